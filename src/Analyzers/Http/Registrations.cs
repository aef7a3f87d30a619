using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Http;

/// <summary>Reading <c>IHttpClientFactory</c> registrations and <c>CreateClient</c> calls: client names and what bounds their time.</summary>
internal static class Registrations
{
    /// <summary>
    /// An <c>AddHttpClient</c> overload that registers a client: every one returns the client's <c>IHttpClientBuilder</c>
    /// except <c>AddHttpClient(services)</c>, which registers the factory alone and returns the service collection.
    /// </summary>
    public static bool IsClientRegistration(IInvocationOperation invocation, HttpSymbols symbols)
        => symbols.Builder is not null && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ReturnType, symbols.Builder);

    /// <summary>
    /// The name the factory registers: the <c>name</c> argument when it is a constant (literal, const, nameof), otherwise
    /// for a typed client the name of <c>TClient</c> (what <c>AddHttpClient&lt;TClient&gt;()</c> uses). Null when unknown.
    /// </summary>
    public static string? ClientName(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "name", Type.SpecialType: SpecialType.System_String })
            {
                return argument.Value.ConstantValue is { HasValue: true, Value: string name } ? name : null;
            }
        }

        return invocation.TargetMethod.TypeArguments.FirstOrDefault() is INamedTypeSymbol { IsGenericType: false, TypeKind: not TypeKind.Error } client
            ? client.Name
            : null;
    }

    /// <summary><c>IHttpClientFactory.CreateClient(name)</c> or the <c>CreateClient()</c> extension (the default name).</summary>
    public static bool IsCreateClient(IInvocationOperation invocation, HttpSymbols symbols)
        => invocation.TargetMethod.Name == "CreateClient"
            && (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.ClientFactory)
                || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.ClientFactoryExtensions));

    /// <summary>The names a <c>CreateClient</c> call may ask for (each constant arm of a <c>?:</c>), or null when one is not a constant.</summary>
    public static ImmutableArray<string>? RequestedNames(IInvocationOperation invocation)
    {
        var name = invocation.Arguments.FirstOrDefault(a => a.Parameter is { Name: "name", Type.SpecialType: SpecialType.System_String });
        if (name is null)
        {
            // CreateClient(factory) asks for Options.DefaultName, the empty name.
            return invocation.TargetMethod.Parameters.Length == 1 ? ImmutableArray.Create(string.Empty) : null;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        return Collect(name.Value, builder) ? builder.ToImmutable() : null;

        static bool Collect(IOperation value, ImmutableArray<string>.Builder names)
        {
            value = Operations.Unwrap(value);
            if (value.ConstantValue is { HasValue: true, Value: string constant })
            {
                names.Add(constant);
                return true;
            }

            return value is IConditionalOperation { WhenFalse: { } whenFalse } conditional && Collect(conditional.WhenTrue, names) && Collect(whenFalse, names);
        }
    }

    // ---- what bounds a registration's time ------------------------------------------------------------------

    /// <summary>The syntax assigns a Timeout, or adds a resilience handler or policy that bounds time.</summary>
    public static bool BoundsTime(SyntaxNode node)
    {
        foreach (var descendant in node.DescendantNodesAndSelf())
        {
            switch (descendant)
            {
                case AssignmentExpressionSyntax { Left: var left } when Name(left) == "Timeout":
                    return true;
                case InvocationExpressionSyntax invocation when Name(invocation.Expression) is "AddStandardResilienceHandler" or "AddStandardHedgingHandler" or "AddTimeout" or "TimeoutAsync" or "Timeout":
                    return true;
            }
        }

        return false;
    }

    private static string? Name(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>
    /// The registration itself bounds its client's time: a configure delegate (or a method of this compilation it
    /// calls), a builder call chained on it or made on the builder kept in a local, or a builder extension of this
    /// compilation that does one of these.
    /// </summary>
    public static bool LocallyBounded(IInvocationOperation registration, CancellationToken cancellationToken)
    {
        if (registration.Syntax is not InvocationExpressionSyntax syntax)
        {
            return false;
        }

        if (BoundsTime(syntax.ArgumentList) || registration.Arguments.Any(a => DelegateBoundsTime(a.Value, cancellationToken)))
        {
            return true;
        }

        var model = registration.SemanticModel;
        if (ChainBoundsTime(syntax, model, cancellationToken))
        {
            return true;
        }

        // var builder = services.AddHttpClient<T>(); builder.ConfigureHttpClient(...);
        IOperation current = registration;
        while (current.Parent is IConversionOperation)
        {
            current = current.Parent;
        }

        if (current.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            foreach (var operation in Operations.Root(declarator).Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (operation is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, declarator.Symbol)
                    && local.Parent is IArgumentOperation { Parent: IInvocationOperation call }
                    && call.Syntax is InvocationExpressionSyntax callSyntax
                    && (BoundsTime(callSyntax) || IsResilience(callSyntax) || SourceBoundsTime(call.TargetMethod, cancellationToken) || ChainBoundsTime(callSyntax, model, cancellationToken)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsResilience(InvocationExpressionSyntax call) => Name(call.Expression) is "AddStandardResilienceHandler" or "AddStandardHedgingHandler";

    /// <summary>services.AddHttpClient&lt;T&gt;().ConfigureHttpClient(...).AddStandardResilienceHandler(), read by syntax (packages may be missing).</summary>
    private static bool ChainBoundsTime(InvocationExpressionSyntax start, SemanticModel? model, CancellationToken cancellationToken)
    {
        SyntaxNode node = start;
        while (node.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax chained })
        {
            if (BoundsTime(chained.ArgumentList) || IsResilience(chained)
                || model?.GetSymbolInfo(chained, cancellationToken).Symbol is IMethodSymbol method && SourceBoundsTime(method, cancellationToken))
            {
                return true;
            }

            node = chained;
        }

        return false;
    }

    /// <summary>A delegate argument whose body calls a method of this compilation that bounds time, or a method group that does.</summary>
    private static bool DelegateBoundsTime(IOperation value, CancellationToken cancellationToken)
    {
        switch (Operations.Unwrap(value))
        {
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation function }:
                return function.Body.Descendants().Any(o => o is IInvocationOperation call && SourceBoundsTime(call.TargetMethod, cancellationToken));
            case IDelegateCreationOperation { Target: IMethodReferenceOperation reference }:
                return SourceBoundsTime(reference.Method, cancellationToken);
            default:
                return false;
        }
    }

    /// <summary>A method declared in this compilation whose body bounds time (one level: its own calls are not followed).</summary>
    private static bool SourceBoundsTime(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in (method.ReducedFrom ?? method).OriginalDefinition.DeclaringSyntaxReferences)
        {
            if (BoundsTime(reference.GetSyntax(cancellationToken)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A defaults method (<c>AddServiceDefaults</c>): trusted when declared outside this compilation (the Aspire
    /// template's calls <c>ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler())</c>); when
    /// declared here, only if it calls <c>ConfigureHttpClientDefaults</c> with something that bounds time.
    /// </summary>
    public static bool DefaultsMethodBoundsTime(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var declarations = (method.ReducedFrom ?? method).OriginalDefinition.DeclaringSyntaxReferences;
        if (declarations.IsEmpty)
        {
            return true;
        }

        return declarations.Any(d => d.GetSyntax(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Any(i => Name(i.Expression) == "ConfigureHttpClientDefaults" && BoundsTime(i.ArgumentList)));
    }
}
