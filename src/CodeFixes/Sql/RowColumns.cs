using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendRules.Sql;

/// <summary>
/// The columns a row type is materialised from, as far as they can be known from the source alone.
/// Returns false (the fix declines) whenever a guess would be needed.
/// </summary>
internal static class RowColumns
{
    private const string ColumnAttribute = "System.ComponentModel.DataAnnotations.Schema.ColumnAttribute";
    private const string NotMappedAttribute = "System.ComponentModel.DataAnnotations.Schema.NotMappedAttribute";

    private static readonly HashSet<string> ScalarTypeNames = new()
    {
        "System.Guid", "System.DateTimeOffset", "System.TimeSpan", "System.DateOnly", "System.TimeOnly",
    };

    /// <summary>Dapper: settable public members when the type has a parameterless constructor, else the widest constructor's parameters.</summary>
    public static bool TryGetDapperColumns(ITypeSymbol rowType, out ImmutableArray<string> columns)
    {
        columns = default;
        if (!IsCandidateRowType(rowType, out var type))
        {
            return false;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        var hasDefaultConstructor = type.IsValueType || type.InstanceConstructors.Any(c => c.Parameters.IsEmpty && c.DeclaredAccessibility == Accessibility.Public);
        if (hasDefaultConstructor)
        {
            foreach (var member in InstanceMembers(type))
            {
                switch (member)
                {
                    case IPropertySymbol { IsIndexer: false, SetMethod.DeclaredAccessibility: Accessibility.Public, DeclaredAccessibility: Accessibility.Public } property
                        when !HasAttribute(property, NotMappedAttribute):
                        builder.Add(ColumnName(property));
                        break;
                    case IFieldSymbol { IsReadOnly: false, IsConst: false, DeclaredAccessibility: Accessibility.Public, IsImplicitlyDeclared: false } field
                        when !HasAttribute(field, NotMappedAttribute):
                        builder.Add(field.Name);
                        break;
                }
            }
        }
        else
        {
            var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
            var widest = constructors.OrderByDescending(c => c.Parameters.Length).FirstOrDefault();
            if (widest is null || constructors.Count(c => c.Parameters.Length == widest.Parameters.Length) != 1)
            {
                return false;
            }

            foreach (var parameter in widest.Parameters)
            {
                var property = InstanceMembers(type).OfType<IPropertySymbol>()
                    .FirstOrDefault(p => string.Equals(p.Name, parameter.Name, System.StringComparison.OrdinalIgnoreCase));
                builder.Add(property is null ? parameter.Name : ColumnName(property));
            }
        }

        columns = builder.ToImmutable();
        return columns.Length > 0 && columns.Distinct(System.StringComparer.OrdinalIgnoreCase).Count() == columns.Length;
    }

    /// <summary>
    /// EF Core: every mapped column of the entity, which EF requires in a FromSql query. Only when the mapping
    /// is fully visible from conventions and attributes: no fluent configuration of the type, no naming-convention
    /// plug-in, no inheritance, no navigations, owned or complex properties, no shadow foreign keys.
    /// </summary>
    public static bool TryGetEfColumns(ITypeSymbol rowType, Compilation compilation, CancellationToken cancellationToken, out ImmutableArray<string> columns)
    {
        columns = default;
        if (!IsCandidateRowType(rowType, out var type) || type.IsValueType || type.BaseType?.SpecialType != SpecialType.System_Object)
        {
            return false;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        var propertyNames = new List<string>();
        foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
        {
            if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                || property.GetMethod is null || property.SetMethod is null || HasAttribute(property, NotMappedAttribute))
            {
                continue;
            }

            if (!IsScalar(property.Type))
            {
                return false;
            }

            builder.Add(ColumnName(property));
            propertyNames.Add(property.Name);
        }

        if (builder.Count == 0 || HasInvisibleMapping(type, propertyNames, compilation, cancellationToken))
        {
            return false;
        }

        columns = builder.ToImmutable();
        return true;
    }

    private static bool IsCandidateRowType(ITypeSymbol rowType, out INamedTypeSymbol type)
    {
        type = null!;
        if (rowType is not INamedTypeSymbol named
            || named.SpecialType != SpecialType.None
            || named.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || named.IsAbstract
            || named.IsTupleType
            || named.IsGenericType && named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
            || ScalarTypeNames.Contains(named.ToDisplayString()))
        {
            return false;
        }

        type = named;
        return true;
    }

    private static IEnumerable<ISymbol> InstanceMembers(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
        {
            chain.Insert(0, current);
        }

        var seen = new HashSet<string>();
        var result = new List<ISymbol>();
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            foreach (var member in chain[i].GetMembers())
            {
                if (!member.IsStatic && member.Kind is SymbolKind.Property or SymbolKind.Field && seen.Add(member.Name))
                {
                    result.Add(member);
                }
            }
        }

        // Base members first, as the database would usually list them.
        return result.OrderBy(m => chain.FindIndex(t => SymbolEqualityComparer.Default.Equals(t, m.ContainingType)));
    }

    private static bool IsScalar(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 })
        {
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_String:
            case SpecialType.System_DateTime:
                return true;
        }

        return ScalarTypeNames.Contains(type.ToDisplayString());
    }

    private static string ColumnName(ISymbol member)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != ColumnAttribute)
            {
                continue;
            }

            if (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string name && name.Length > 0)
            {
                return name;
            }

            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Name" && named.Value.Value is string namedValue && namedValue.Length > 0)
                {
                    return namedValue;
                }
            }
        }

        return member.Name;
    }

    private static bool HasAttribute(ISymbol symbol, string fullName)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == fullName);

    /// <summary>Anything in the compilation that could change the entity's columns beyond what its attributes say.</summary>
    private static bool HasInvisibleMapping(INamedTypeSymbol entity, IReadOnlyCollection<string> propertyNames, Compilation compilation, CancellationToken cancellationToken)
    {
        if (entity.GetAttributes().Any(a => a.AttributeClass?.Name is "OwnedAttribute" or "ComplexTypeAttribute"))
        {
            return true;
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = tree.GetText(cancellationToken).ToString();
            if (text.IndexOf("NamingConvention", System.StringComparison.Ordinal) >= 0)
            {
                return true;
            }

            var mentionsEntity = text.IndexOf(entity.Name, System.StringComparison.Ordinal) >= 0;
            if (!mentionsEntity)
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot(cancellationToken);
            foreach (var node in root.DescendantNodes())
            {
                switch (node)
                {
                    // modelBuilder.Entity<T>(...), IEntityTypeConfiguration<T>, ComplexProperty/OwnsOne<T> and the like.
                    case GenericNameSyntax generic when generic.TypeArgumentList.Arguments.Any(a => IsEntity(model, a, entity, cancellationToken))
                                                        && generic.Identifier.ValueText is "Entity" or "IEntityTypeConfiguration" or "OwnsOne" or "OwnsMany" or "ComplexProperty" or "HasBaseType":
                        return true;
                    case TypeOfExpressionSyntax typeOf when IsEntity(model, typeOf.Type, entity, cancellationToken):
                        return true;
                    case ClassDeclarationSyntax or RecordDeclarationSyntax:
                        if (model.GetDeclaredSymbol(node, cancellationToken) is INamedTypeSymbol declared
                            && !SymbolEqualityComparer.Default.Equals(declared, entity)
                            && (DerivesFrom(declared, entity) || HasShadowForeignKeyInto(declared, entity, propertyNames)))
                        {
                            return true;
                        }

                        break;
                }
            }
        }

        return false;
    }

    private static bool IsEntity(SemanticModel model, TypeSyntax syntax, INamedTypeSymbol entity, CancellationToken cancellationToken)
        => SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(syntax, cancellationToken).Type, entity);

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A navigation from another type to the entity adds a foreign key to the entity's table; unless the entity
    /// has a property EF would pick by convention (<c>CustomerId</c> for <c>Customer.Orders</c>), that key is a
    /// shadow property the source does not show. A reference navigation (one-to-one) is ambiguous: decline.
    /// </summary>
    private static bool HasShadowForeignKeyInto(INamedTypeSymbol principal, INamedTypeSymbol entity, IReadOnlyCollection<string> propertyNames)
    {
        foreach (var property in principal.GetMembers().OfType<IPropertySymbol>())
        {
            if (property.IsStatic || SymbolEqualityComparer.Default.Equals(property.Type.OriginalDefinition, entity))
            {
                if (!property.IsStatic)
                {
                    return true;
                }

                continue;
            }

            if (property.Type is INamedTypeSymbol { IsGenericType: true } generic
                && generic.TypeArguments.Length == 1
                && SymbolEqualityComparer.Default.Equals(generic.TypeArguments[0], entity)
                && generic.Name != "DbSet")
            {
                var expected = principal.Name + "Id";
                if (!propertyNames.Any(c => string.Equals(c, expected, System.StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
