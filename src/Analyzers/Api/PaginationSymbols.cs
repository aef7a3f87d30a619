using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>The types BR0005 and its fix look at, resolved once per compilation; collection shapes of response types.</summary>
internal sealed class PaginationSymbols
{
    private PaginationSymbols(WellKnownTypes types)
    {
        Compilation = types.Compilation;
        EnumerableOfT = types.Get("System.Collections.Generic.IEnumerable`1");
        QueryableOfT = types.Get("System.Linq.IQueryable`1");
        AsyncEnumerableOfT = types.Get("System.Collections.Generic.IAsyncEnumerable`1");
        DictionaryOfT = types.Get("System.Collections.Generic.IDictionary`2");
        ReadOnlyDictionaryOfT = types.Get("System.Collections.Generic.IReadOnlyDictionary`2");
        Enumerable = types.Get("System.Linq.Enumerable");
        Queryable = types.Get("System.Linq.Queryable");
        AsyncEnumerable = types.Get("System.Linq.AsyncEnumerable");
        EfQueryable = types.Get("Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions");
        EfRelationalQueryable = types.Get("Microsoft.EntityFrameworkCore.RelationalQueryableExtensions");
        ControllerBase = types.Get("Microsoft.AspNetCore.Mvc.ControllerBase");
        Controller = types.Get("Microsoft.AspNetCore.Mvc.Controller");
        OkObjectResult = types.Get("Microsoft.AspNetCore.Mvc.OkObjectResult");
        JsonResult = types.Get("Microsoft.AspNetCore.Mvc.JsonResult");
        Results = types.Get("Microsoft.AspNetCore.Http.Results");
        TypedResults = types.Get("Microsoft.AspNetCore.Http.TypedResults");
        QueryCollection = types.Get("Microsoft.AspNetCore.Http.IQueryCollection");
        FromQueryMetadata = types.Get("Microsoft.AspNetCore.Http.Metadata.IFromQueryMetadata");
        FromServiceMetadata = types.Get("Microsoft.AspNetCore.Http.Metadata.IFromServiceMetadata");
        FromBodyMetadata = types.Get("Microsoft.AspNetCore.Http.Metadata.IFromBodyMetadata");
        KeyAttribute = types.Get("System.ComponentModel.DataAnnotations.KeyAttribute");
        PrimaryKeyAttribute = types.Get("Microsoft.EntityFrameworkCore.PrimaryKeyAttribute");
        NewtonsoftToken = types.Get("Newtonsoft.Json.Linq.JToken");
        NewtonsoftArray = types.Get("Newtonsoft.Json.Linq.JArray");
        JsonNode = types.Get("System.Text.Json.Nodes.JsonNode");
        JsonArray = types.Get("System.Text.Json.Nodes.JsonArray");
        ActionResult = types.Get("Microsoft.AspNetCore.Mvc.IActionResult");
        HttpResult = types.Get("Microsoft.AspNetCore.Http.IResult");
        HttpMethodProvider = types.Get("Microsoft.AspNetCore.Mvc.Routing.IActionHttpMethodProvider");
        RouteTemplateProvider = types.Get("Microsoft.AspNetCore.Mvc.Routing.IRouteTemplateProvider");
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol? EnumerableOfT { get; }
    public INamedTypeSymbol? QueryableOfT { get; }
    public INamedTypeSymbol? AsyncEnumerableOfT { get; }
    public INamedTypeSymbol? DictionaryOfT { get; }
    public INamedTypeSymbol? ReadOnlyDictionaryOfT { get; }
    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? Queryable { get; }
    public INamedTypeSymbol? AsyncEnumerable { get; }
    public INamedTypeSymbol? EfQueryable { get; }

    public INamedTypeSymbol? EfRelationalQueryable { get; }
    public INamedTypeSymbol? ControllerBase { get; }
    public INamedTypeSymbol? Controller { get; }
    public INamedTypeSymbol? OkObjectResult { get; }
    public INamedTypeSymbol? JsonResult { get; }
    public INamedTypeSymbol? Results { get; }
    public INamedTypeSymbol? TypedResults { get; }
    public INamedTypeSymbol? QueryCollection { get; }
    public INamedTypeSymbol? FromQueryMetadata { get; }
    public INamedTypeSymbol? FromServiceMetadata { get; }
    public INamedTypeSymbol? FromBodyMetadata { get; }
    public INamedTypeSymbol? KeyAttribute { get; }
    public INamedTypeSymbol? PrimaryKeyAttribute { get; }
    public INamedTypeSymbol? NewtonsoftToken { get; }
    public INamedTypeSymbol? NewtonsoftArray { get; }
    public INamedTypeSymbol? JsonNode { get; }
    public INamedTypeSymbol? JsonArray { get; }
    public INamedTypeSymbol? ActionResult { get; }
    public INamedTypeSymbol? HttpResult { get; }
    public INamedTypeSymbol? HttpMethodProvider { get; }
    public INamedTypeSymbol? RouteTemplateProvider { get; }

    /// <summary>Null when the compilation has no generic IEnumerable (a broken or bare compilation).</summary>
    public static PaginationSymbols? Create(Compilation compilation)
    {
        var symbols = new PaginationSymbols(WellKnownTypes.Of(compilation));
        return symbols.EnumerableOfT is null ? null : symbols;
    }

    /// <summary>
    /// A LINQ operator (Enumerable, Queryable, AsyncEnumerable, EF Core's queryable extensions and its relational
    /// <c>AsSplitQuery</c>/<c>AsSingleQuery</c>), or a mapper's query projection (<c>ProjectTo&lt;T&gt;</c>, see <see cref="IsProjection"/>).
    /// </summary>
    public bool IsLinq(IMethodSymbol method)
    {
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type, Enumerable)
            || SymbolEqualityComparer.Default.Equals(type, Queryable)
            || SymbolEqualityComparer.Default.Equals(type, AsyncEnumerable)
            || SymbolEqualityComparer.Default.Equals(type, EfQueryable)
            || (SymbolEqualityComparer.Default.Equals(type, EfRelationalQueryable) && IsRelationalLink(method))
            || IsProjection(method))
        {
            return true;
        }

        // A type the compilation sees in two references (the framework's and a package's copy, System.Linq.Async's
        // AsyncEnumerable) resolves to no symbol by name, or to the other copy: recognise the operators by full name.
        return type.Name switch
        {
            "Enumerable" or "Queryable" or "AsyncEnumerable" => IsNamespace(type.ContainingNamespace, "Linq", "System"),
            "EntityFrameworkQueryableExtensions" => IsNamespace(type.ContainingNamespace, "EntityFrameworkCore", "Microsoft"),
            "RelationalQueryableExtensions" => IsRelationalLink(method) && IsNamespace(type.ContainingNamespace, "EntityFrameworkCore", "Microsoft"),
            _ => false,
        };
    }

    /// <summary>
    /// The relational extensions that only choose how a query is loaded; <c>FromSql*</c> there starts a query (its SQL
    /// is the source, read for a LIMIT or TOP) and is no link of a chain.
    /// </summary>
    private static bool IsRelationalLink(IMethodSymbol method) => method.Name is "AsSplitQuery" or "AsSingleQuery";

    /// <summary>
    /// A mapper's projection of a query into DTOs that stays a query (AutoMapper's <c>ProjectTo&lt;T&gt;</c>, Mapster's
    /// <c>ProjectToType&lt;T&gt;</c>): it selects columns, keeps every row, and the filters before it still apply.
    /// </summary>
    public static bool IsProjection(IMethodSymbol method)
    {
        if (method.Name is not ("ProjectTo" or "ProjectToType") || !method.IsExtensionMethod && method.ReducedFrom is null)
        {
            return false;
        }

        for (var ns = method.ContainingType?.ContainingNamespace; ns is not null; ns = ns.ContainingNamespace)
        {
            if (ns.ContainingNamespace is { IsGlobalNamespace: true })
            {
                return ns.Name is "AutoMapper" or "Mapster";
            }
        }

        return false;
    }

    private static bool IsNamespace(INamespaceSymbol? ns, string name, string parent)
        => ns is { Name: var own, ContainingNamespace: { Name: var outer, ContainingNamespace.IsGlobalNamespace: true } } && own == name && outer == parent;

    /// <summary>
    /// The element type when <paramref name="type"/> is a response collection: an array or a type of the
    /// IEnumerable&lt;T&gt;, IQueryable&lt;T&gt; or IAsyncEnumerable&lt;T&gt; family. Strings, dictionaries (a JSON
    /// object keyed by name, usually a lookup or an aggregate), and byte/char sequences (file content, text) are not.
    /// </summary>
    public ITypeSymbol? ElementType(ITypeSymbol? type)
        => type is null ? null : _elementTypes.TryGetValue(type, out var known) ? known : _elementTypes.GetOrAdd(type, ComputeElementType);

    // Handlers and the values they return share a few dozen types, and the interfaces of a constructed type
    // (List<OrderDto>) are substituted anew for each instance of it: answer once per type.
    private readonly ConcurrentDictionary<ITypeSymbol, ITypeSymbol?> _elementTypes = new(SymbolEqualityComparer.IncludeNullability);

    private ITypeSymbol? ComputeElementType(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Error || type.SpecialType == SpecialType.System_String || IsJsonValue(type))
        {
            return null;
        }

        ITypeSymbol? element = null;
        if (type is IArrayTypeSymbol array)
        {
            element = array.ElementType;
        }
        else if (WellKnownTypes.Implements(type, DictionaryOfT) || WellKnownTypes.Implements(type, ReadOnlyDictionaryOfT))
        {
            return null;
        }
        else
        {
            element = GenericArgument(type, QueryableOfT) ?? GenericArgument(type, EnumerableOfT) ?? GenericArgument(type, AsyncEnumerableOfT);
        }

        return element is null || element.SpecialType is SpecialType.System_Byte or SpecialType.System_Char || element.TypeKind == TypeKind.Error
            ? null
            : element;
    }

    /// <summary>
    /// A JSON DOM value that is not an array: <c>JToken</c>, <c>JObject</c>, <c>JValue</c>, <c>JProperty</c>
    /// (enumerable over their children) and <c>JsonNode</c>, <c>JsonObject</c>, <c>JsonValue</c>. One document, not a
    /// list of rows; <c>JArray</c> and <c>JsonArray</c> stay collections.
    /// </summary>
    private bool IsJsonValue(ITypeSymbol type)
        => (NewtonsoftToken is not null && WellKnownTypes.IsOrDerivesFrom(type, NewtonsoftToken) && !WellKnownTypes.IsOrDerivesFrom(type, NewtonsoftArray))
           || (JsonNode is not null && WellKnownTypes.IsOrDerivesFrom(type, JsonNode) && !WellKnownTypes.IsOrDerivesFrom(type, JsonArray));

    /// <summary>A JSON array (<c>JArray</c>, <c>JsonArray</c>): a collection of JSON tokens that serializes as one document.</summary>
    public bool IsJsonArray(ITypeSymbol type)
        => (NewtonsoftArray is not null && WellKnownTypes.IsOrDerivesFrom(type, NewtonsoftArray))
           || (JsonArray is not null && WellKnownTypes.IsOrDerivesFrom(type, JsonArray));

    /// <summary>The T of <paramref name="type"/> when it is or implements <paramref name="generic"/>&lt;T&gt;.</summary>
    public static ITypeSymbol? GenericArgument(ITypeSymbol type, INamedTypeSymbol? generic)
    {
        if (generic is null)
        {
            return null;
        }

        if (type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, generic) && named.TypeArguments.Length == 1)
        {
            return named.TypeArguments[0];
        }

        // The interfaces of a constructed type are its definition's, substituted: List<OrderDto> implements
        // IEnumerable<T> of List<T> with T = OrderDto. Read them from the definition (computed once per definition)
        // and substitute the one argument needed, instead of substituting every interface of every constructed type.
        if (type is INamedTypeSymbol { IsGenericType: true } constructed && !SymbolEqualityComparer.Default.Equals(constructed, constructed.OriginalDefinition))
        {
            var definition = constructed.OriginalDefinition;
            var declared = FindInterface(definition, generic);
            if (declared is null)
            {
                return null;
            }

            var argument = declared.TypeArguments.Length == 1 ? declared.TypeArguments[0] : null;
            if (argument is ITypeParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, definition))
            {
                return constructed.TypeArguments[parameter.Ordinal];
            }

            if (argument is not null && !MentionsTypeParameter(argument))
            {
                return argument;
            }
        }

        var match = FindInterface(type, generic);
        return match is { TypeArguments.Length: 1 } ? match.TypeArguments[0] : null;
    }

    private static INamedTypeSymbol? FindInterface(ITypeSymbol type, INamedTypeSymbol generic)
    {
        foreach (var candidate in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, generic))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool MentionsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => MentionsTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(MentionsTypeParameter) || (named.ContainingType is { } outer && MentionsTypeParameter(outer)),
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
        _ => false,
    };

    /// <summary>
    /// A collection type that carries paging data itself (a PagedList&lt;T&gt; with TotalCount, HasNextPage ...):
    /// the response already is one page. Members of framework types (List&lt;T&gt;.Count) do not count.
    /// </summary>
    public static bool IsPageEnvelope(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (IsFrameworkType(current))
            {
                break;
            }

            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public } property
                    && PaginationNames.IsEnvelopeMember(property.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The one collection property of a response object that wraps a list (<c>{ "data": [...] }</c>): an application
    /// type, not itself a collection or a result that writes itself (IActionResult, IResult), with exactly one
    /// collection property, no paging member, and otherwise at most
    /// three strings, booleans or enums (<c>Object = "list"</c>, <c>Success</c>, <c>Message</c>). A type with an id,
    /// numbers or nested objects beside its list is one item with its children, not a list.
    /// </summary>
    public IPropertySymbol? WrappedCollection(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, SpecialType: SpecialType.None, IsAnonymousType: false } named
           ? (_wrappers.TryGetValue(named, out var known) ? known : _wrappers.GetOrAdd(named, ComputeWrappedCollection))
           : null;

    // Every GET handler returning one object asks this of its response type: answer once per type.
    private readonly ConcurrentDictionary<ITypeSymbol, IPropertySymbol?> _wrappers = new(SymbolEqualityComparer.Default);

    private IPropertySymbol? ComputeWrappedCollection(ITypeSymbol type)
    {
        if (IsFrameworkType(type)
            || IsJsonValue(type)
            || ElementType(type) is not null
            || WellKnownTypes.Implements(type, ActionResult)
            || WellKnownTypes.Implements(type, HttpResult))
        {
            return null;
        }

        IPropertySymbol? collection = null;
        var others = 0;
        for (var current = type; current is not null && !IsFrameworkType(current); current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public } property
                    || property.IsOverride)
                {
                    continue;
                }

                if (PaginationNames.IsEnvelopeMember(property.Name))
                {
                    return null;
                }

                if (ElementType(property.Type) is not null)
                {
                    if (collection is not null)
                    {
                        return null;
                    }

                    collection = property;
                    continue;
                }

                var scalar = property.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : property.Type;
                if (scalar.SpecialType is not (SpecialType.System_String or SpecialType.System_Boolean) && scalar.TypeKind != TypeKind.Enum)
                {
                    return null;
                }

                others++;
            }
        }

        return others <= 3 ? collection : null;
    }

    private static bool IsFrameworkType(ITypeSymbol type)
    {
        var ns = type.ContainingNamespace;
        while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns?.Name is "System" or "Microsoft";
    }
}
