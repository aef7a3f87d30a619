using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Diagnostics;
using BackendRules.Internal;

namespace BackendRules.Http;

/// <summary>
/// What the whole compilation says about <c>IHttpClientFactory</c> clients: the registrations of each client name,
/// the defaults that bound every client of a service collection, and the <c>CreateClient</c> calls of each name.
/// Filled from the invocations the compiler hands the analyzer anyway (nothing is bound for it), and read at the end
/// of the compilation, when every file has been seen.
/// </summary>
internal sealed class ClientRegistry
{
    private static readonly OptionsCache<DefaultsMethods> DefaultsMethodsCache = new(options => new DefaultsMethods(HttpTimeoutAnalyzer.DefaultsMethods.Read(options)));

    private readonly HttpSymbols _symbols;
    private readonly object _gate = new();
    private readonly Dictionary<string, List<IInvocationOperation>> _registrations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IInvocationOperation>> _sites = new(StringComparer.Ordinal);
    private readonly HashSet<ILocalSymbol> _boundedLocalContainers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<string, bool> _boundedNames = new(StringComparer.Ordinal);

    public ClientRegistry(HttpSymbols symbols) => _symbols = symbols;

    /// <summary>Any <c>AddHttpClient</c> call: this compilation sets up the factory, so it knows the names it serves.</summary>
    public bool HasFactory { get; private set; }

    /// <summary><c>ConfigureHttpClientDefaults</c> on the application's service collection, or a defaults method, bounds every client.</summary>
    public bool AppDefaultsBound { get; private set; }

    public bool IsRegistered(string name) => _registrations.ContainsKey(name);

    /// <summary>Whether defaults bound the time of clients registered on this container (see <see cref="Container"/>).</summary>
    public bool DefaultsCover(object? container) => container switch
    {
        null => AppDefaultsBound,
        ILocalSymbol local => _boundedLocalContainers.Contains(local),
        _ => false,
    };

    /// <summary>
    /// A client name is one client however many registrations it has: bounded when any of them bounds its time, or
    /// when every <c>CreateClient</c> call for it in the compilation bounds each HTTP call (deadline tokens, Timeout).
    /// </summary>
    public bool NameBounded(string name, CancellationToken cancellationToken)
    {
        if (_boundedNames.TryGetValue(name, out var known))
        {
            return known;
        }

        var bounded = (_registrations.TryGetValue(name, out var registrations) && registrations.Any(r => Registrations.LocallyBounded(r, cancellationToken)))
            || (_sites.TryGetValue(name, out var sites) && sites.All(s => new ClientUses(_symbols, cancellationToken).Judge(s) == UseVerdict.Bounded));
        return _boundedNames.GetOrAdd(name, bounded);
    }

    /// <summary>
    /// The service collection a registration or defaults call works on: a local created in the same body
    /// (<c>var services = new ServiceCollection()</c>, a container of its own), a new collection used on the spot
    /// (never covered by anything else), or null for the application's collection (parameters, <c>builder.Services</c>).
    /// </summary>
    public static object? Container(IInvocationOperation call)
    {
        var receiver = call.Instance ?? (call.Arguments.Length > 0 ? call.Arguments[0].Value : null);
        switch (receiver is null ? null : Operations.Unwrap(receiver))
        {
            case IObjectCreationOperation creation:
                return creation.Syntax;
            case ILocalReferenceOperation local:
                foreach (var operation in Operations.Root(local).Descendants())
                {
                    if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local))
                    {
                        return declarator.Initializer?.Value is { } value && Operations.Unwrap(value) is IObjectCreationOperation ? local.Local : null;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Whether the call is one the registry collects, told by its name alone.</summary>
    public static bool Concerns(IInvocationOperation invocation, AnalyzerOptions options)
        => Concerns(invocation.TargetMethod.Name, DefaultsMethodsCache.Get(options, invocation.Syntax.SyntaxTree));

    private static bool Concerns(string name, DefaultsMethods defaultsMethods)
        => name is "AddHttpClient" or "ConfigureHttpClientDefaults" or "CreateClient" || defaultsMethods.Names.Contains(name);

    /// <summary>
    /// Records an invocation the analyzer was handed, when it is one the registry keeps: a client registration, a
    /// defaults call, a <c>CreateClient</c> call or a defaults method. Safe to call from concurrent callbacks.
    /// </summary>
    public void Record(IInvocationOperation invocation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var name = invocation.TargetMethod.Name;
        var defaultsMethods = DefaultsMethodsCache.Get(options, invocation.Syntax.SyntaxTree);
        if (Concerns(name, defaultsMethods) && invocation.Syntax is InvocationExpressionSyntax syntax)
        {
            lock (_gate)
            {
                Add(name, syntax, invocation, defaultsMethods, cancellationToken);
            }
        }
    }

    private void Add(string name, InvocationExpressionSyntax syntax, IOperation? operation, DefaultsMethods defaultsMethods, CancellationToken cancellationToken)
    {
        var invocation = operation as IInvocationOperation;
        var method = invocation?.TargetMethod;
        switch (name)
        {
            case "AddHttpClient" when invocation is not null && SymbolEqualityComparer.Default.Equals(method!.ContainingType, _symbols.FactoryExtensions):
                HasFactory = true;
                if (Registrations.IsClientRegistration(invocation, _symbols) && Registrations.ClientName(invocation) is { } clientName)
                {
                    Append(_registrations, clientName, invocation);
                }

                return;
            case "ConfigureHttpClientDefaults":
                // Unresolved (a reference the build could not load) counts by its name, as the resilience methods do.
                if ((invocation is null || SymbolEqualityComparer.Default.Equals(method!.ContainingType, _symbols.FactoryExtensions))
                    && Registrations.BoundsTime(syntax.ArgumentList))
                {
                    switch (invocation is null ? null : Container(invocation))
                    {
                        case null:
                            AppDefaultsBound = true;
                            break;
                        case ILocalSymbol local:
                            _boundedLocalContainers.Add(local);
                            break;
                    }
                }

                return;
            case "CreateClient" when invocation is not null:
                if (Registrations.IsCreateClient(invocation, _symbols) && Registrations.RequestedNames(invocation) is { } names)
                {
                    foreach (var requested in names)
                    {
                        Append(_sites, requested, invocation);
                    }
                }

                return;
        }

        // A defaults method (AddServiceDefaults): trusted when declared elsewhere, read when declared here.
        if (defaultsMethods.Names.Contains(name) && (method is null || Registrations.DefaultsMethodBoundsTime(method, cancellationToken)))
        {
            AppDefaultsBound = true;
        }
    }

    private static void Append(Dictionary<string, List<IInvocationOperation>> map, string key, IInvocationOperation invocation)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<IInvocationOperation>();
        }

        list.Add(invocation);
    }

    /// <summary>The defaults methods an options instance lists.</summary>
    private sealed class DefaultsMethods
    {
        public DefaultsMethods(ImmutableArray<string> names)
        {
            Names = new HashSet<string>(names.Where(n => n.Length > 0), StringComparer.Ordinal);
        }

        // Asked for every invocation of a compilation that references the client factory: a hash set, read only once
        // made, answers faster than an immutable one.
        public HashSet<string> Names { get; }
    }
}
