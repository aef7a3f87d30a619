using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace BackendRules.Internal;

/// <summary>
/// Type lookups by metadata name, cached per compilation. Created once per compilation by the first callback that
/// needs a rule's types (see References); never per operation.
/// </summary>
internal sealed class WellKnownTypes
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> _cache = new();

    private static readonly ConditionalWeakTable<Compilation, WellKnownTypes> Shared = new();

    private WellKnownTypes(Compilation compilation) => _compilation = compilation;

    /// <summary>The compilation's one cache, shared by every rule: a type one rule looked up costs the next nothing.</summary>
    public static WellKnownTypes Of(Compilation compilation) => Shared.GetValue(compilation, c => new WellKnownTypes(c));

    public Compilation Compilation => _compilation;

    /// <summary>The type, or null when it is missing or ambiguous (defined by several references).</summary>
    public INamedTypeSymbol? Get(string metadataName)
        => _cache.TryGetValue(metadataName, out var known) ? known : _cache.GetOrAdd(metadataName, Find);

    /// <summary>
    /// Like <see cref="Compilation.GetTypeByMetadataName"/>, which asks every referenced assembly in turn (a backend
    /// references hundreds), but walking the merged namespaces the compiler builds for binding anyway: only the
    /// assemblies that declare the namespace are asked. The same answer: the source's own type first, else the one
    /// public type of that name, else none (missing or ambiguous).
    /// </summary>
    private INamedTypeSymbol? Find(string metadataName)
    {
        if (metadataName.IndexOf('+') >= 0)
        {
            return _compilation.GetTypeByMetadataName(metadataName);
        }

        var dot = metadataName.LastIndexOf('.');
        var typeName = metadataName.Substring(dot + 1);
        var arity = 0;
        var tick = typeName.IndexOf('`');
        if (tick >= 0)
        {
            if (!int.TryParse(typeName.Substring(tick + 1), out arity))
            {
                return _compilation.GetTypeByMetadataName(metadataName);
            }

            typeName = typeName.Substring(0, tick);
        }

        INamespaceSymbol? ns = _compilation.GlobalNamespace;
        if (dot > 0)
        {
            foreach (var part in metadataName.Substring(0, dot).Split('.'))
            {
                INamespaceSymbol? next = null;
                foreach (var member in ns.GetMembers(part))
                {
                    if (member is INamespaceSymbol found)
                    {
                        next = found;
                        break;
                    }
                }

                if (next is null)
                {
                    return null;
                }

                ns = next;
            }
        }

        INamedTypeSymbol? single = null;
        foreach (var type in ns.GetTypeMembers(typeName, arity))
        {
            if (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _compilation.Assembly))
            {
                return type;
            }

            if (type.DeclaredAccessibility != Accessibility.Public && !type.ContainingAssembly.GivesAccessTo(_compilation.Assembly))
            {
                continue;
            }

            if (single is not null)
            {
                return null;
            }

            single = type;
        }

        return single;
    }

    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (type is null || baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A point in time or a calendar date: <c>DateTime</c>, <c>DateTimeOffset</c>, <c>DateOnly</c> (not nullable forms).</summary>
    public static bool IsDateType(ITypeSymbol? type)
        => type is not null && (type.SpecialType == SpecialType.System_DateTime
                                || (type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true } && type.Name is "DateTimeOffset" or "DateOnly"));

    public static bool Implements(ITypeSymbol? type, INamedTypeSymbol? @interface)
    {
        if (type is null || @interface is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, @interface))
        {
            return true;
        }

        // Interfaces are compared by definition, and a definition's set of interface definitions is that of every
        // type constructed from it: ask the definition, whose list is computed once, not each constructed type's.
        foreach (var candidate in type.OriginalDefinition.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, @interface))
            {
                return true;
            }
        }

        return false;
    }
}
