using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Api;

/// <summary>
/// The application's endpoints, built per type or per call as analysis asks for them (no whole-program pass).
/// Create once per compilation (compilation-start action); null when ASP.NET Core is not referenced.
/// CONTRACT STUB: the implementation is being written; signatures are fixed.
/// </summary>
internal sealed class EndpointModel
{
    private EndpointModel()
    {
    }

    /// <summary>Null when neither MVC controllers nor minimal APIs are available in the compilation.</summary>
    public static EndpointModel? Create(Compilation compilation) => null;

    /// <summary>Derives from ControllerBase or carries [ApiController]/[Controller] (own or inherited), not [NonController].</summary>
    public bool IsController(INamedTypeSymbol type) => false;

    /// <summary>Every endpoint of a controller's actions (one per route template and action), in declaration order.</summary>
    public ImmutableArray<Endpoint> GetControllerEndpoints(INamedTypeSymbol controller, CancellationToken cancellationToken) => ImmutableArray<Endpoint>.Empty;

    /// <summary>The endpoints of one action (several when it has several route attributes); empty when it is not an action.</summary>
    public ImmutableArray<Endpoint> GetActionEndpoints(IMethodSymbol method, CancellationToken cancellationToken) => ImmutableArray<Endpoint>.Empty;

    /// <summary>The endpoint a MapGet/MapPost/MapPut/MapPatch/MapDelete/MapMethods call declares, with its MapGroup prefixes.</summary>
    public bool TryGetMinimalEndpoint(IInvocationOperation invocation, CancellationToken cancellationToken, out Endpoint? endpoint)
    {
        endpoint = null;
        return false;
    }

    /// <summary>The minimal API endpoints declared on the same group (same builder expression or local) as this call, this one included.</summary>
    public ImmutableArray<Endpoint> GetSiblingMinimalEndpoints(IInvocationOperation invocation, CancellationToken cancellationToken) => ImmutableArray<Endpoint>.Empty;

    /// <summary>Unwraps Task/ValueTask/ActionResult&lt;T&gt;/Ok&lt;T&gt;/Results&lt;...&gt;; null when nothing is known of the body.</summary>
    public ITypeSymbol? UnwrapResponse(ITypeSymbol? type) => null;
}
