using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace BackendRules.Internal;

/// <summary>
/// Type lookups by metadata name, cached per compilation. Created once in a compilation-start action;
/// never used per operation.
/// </summary>
internal sealed class WellKnownTypes
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> _cache = new();

    public WellKnownTypes(Compilation compilation) => _compilation = compilation;

    public Compilation Compilation => _compilation;

    /// <summary>The type, or null when it is missing or ambiguous (defined by several references).</summary>
    public INamedTypeSymbol? Get(string metadataName)
        => _cache.GetOrAdd(metadataName, name => _compilation.GetTypeByMetadataName(name));

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
