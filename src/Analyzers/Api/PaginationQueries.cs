using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>What a LINQ operator does to the rows of a query, as far as paging is concerned.</summary>
internal enum QueryLinkKind
{
    Other,

    /// <summary>ToList, ToArray, ToListAsync, ToArrayAsync, AsAsyncEnumerable, AsEnumerable.</summary>
    Materializer,

    /// <summary>One output row per input row, same order (Select, Cast, AsNoTracking, Include ...): paging before or after is the same.</summary>
    Commuting,

    /// <summary>OrderBy, OrderByDescending, Order, OrderDescending.</summary>
    Ordering,

    /// <summary>ThenBy, ThenByDescending.</summary>
    ThenOrdering,

    /// <summary>Keeps the order of the rows it keeps (Where, OfType, Skip).</summary>
    OrderPreserving,

    /// <summary>Take, TakeLast.</summary>
    Bounding,

    /// <summary>Can produce more rows than it receives (SelectMany, Concat, Union, Join ...).</summary>
    Expanding,
}

/// <summary>One value a handler returns: the collection in <c>return list;</c> or in <c>return Ok(list);</c>.</summary>
internal sealed class ReturnedValue
{
    public ReturnedValue(IReturnOperation @return, IOperation value, ITypeSymbol? type, ILocalSymbol? local)
    {
        Return = @return;
        Value = value;
        Type = type;
        Local = local;
    }

    public IReturnOperation Return { get; }

    /// <summary>The payload's type once awaited (<c>List&lt;T&gt;</c> for <c>await query.ToListAsync()</c>).</summary>
    public ITypeSymbol? Type { get; }

    /// <summary>The payload, with implicit conversions, parentheses and await removed, a single-assignment local followed to its initializer.</summary>
    public IOperation Value { get; }

    /// <summary>The local the value was read through, when it was.</summary>
    public ILocalSymbol? Local { get; }
}

/// <summary>Operation-tree facts about collections handlers return: LINQ chains, bounds, payloads of Ok/Json results.</summary>
internal static class PaginationQueries
{
    private static readonly Regex SqlLimit = new(
        @"\b(?:LIMIT|TOP)\s*\(?\s*(?<n>\d+)|\bFETCH\s+(?:FIRST|NEXT)\s+(?<n>\d+)|\bLIMIT\s+(?<p>[@:$?])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        System.TimeSpan.FromMilliseconds(100));

    /// <summary>Removes implicit conversions, parentheses, <c>await</c> and <c>.ConfigureAwait(...)</c>.</summary>
    public static IOperation StripAwait(IOperation operation)
    {
        while (true)
        {
            operation = Operations.Unwrap(operation);
            if (operation is IAwaitOperation await)
            {
                operation = await.Operation;
            }
            else if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaited })
            {
                operation = awaited;
            }
            else
            {
                return operation;
            }
        }
    }

    /// <summary>The sequence a LINQ operator works on (its <c>this</c> argument).</summary>
    public static IOperation? Receiver(IInvocationOperation link)
    {
        if (link.Instance is not null)
        {
            return null;
        }

        foreach (var argument in link.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>The argument bound to the parameter at <paramref name="ordinal"/>, when given.</summary>
    public static IOperation? Argument(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>The LINQ operators applied to a source, outermost first; <paramref name="source"/> is what the innermost one works on.</summary>
    public static ImmutableArray<IInvocationOperation> Chain(IOperation expression, PaginationSymbols symbols, out IOperation source)
    {
        var links = ImmutableArray.CreateBuilder<IInvocationOperation>();
        var current = StripAwait(expression);
        while (current is IInvocationOperation invocation && (symbols.IsLinq(invocation.TargetMethod) || IsFilterHelper(invocation.TargetMethod) || IsShapingHelper(invocation.TargetMethod)) && Receiver(invocation) is { } receiver)
        {
            links.Add(invocation);
            current = StripAwait(receiver);
        }

        source = current;
        return links.ToImmutable();
    }

    public static QueryLinkKind Classify(IInvocationOperation link)
    {
        switch (link.TargetMethod.Name)
        {
            case "ToList":
            case "ToArray":
            case "ToListAsync":
            case "ToArrayAsync":
            case "AsAsyncEnumerable":
            case "AsEnumerable":
                return QueryLinkKind.Materializer;
            case "Select":
                // Select((row, index) => ...) sees positions: paging first would change them.
                return SelectorParameterCount(link) == 1 ? QueryLinkKind.Commuting : QueryLinkKind.Other;
            case "Cast":
            case "AsQueryable":
            case "AsNoTracking":
            case "AsNoTrackingWithIdentityResolution":
            case "AsTracking":
            case "AsSplitQuery":
            case "AsSingleQuery":
            case "Include":
            case "ThenInclude":
            case "TagWith":
            case "TagWithCallSite":
            case "IgnoreQueryFilters":
            case "IgnoreAutoIncludes":
            case "ProjectTo" when PaginationSymbols.IsProjection(link.TargetMethod):
            case "ProjectToType" when PaginationSymbols.IsProjection(link.TargetMethod):
                return QueryLinkKind.Commuting;
            case "OrderBy":
            case "OrderByDescending":
            case "Order":
            case "OrderDescending":
                return QueryLinkKind.Ordering;
            case "ThenBy":
            case "ThenByDescending":
                return QueryLinkKind.ThenOrdering;
            case "Where":
            case "OfType":
            case "Skip":
                return QueryLinkKind.OrderPreserving;
            case "Take":
            case "TakeLast":
                return QueryLinkKind.Bounding;
            case "SelectMany":
            case "Concat":
            case "Union":
            case "UnionBy":
            case "Append":
            case "Prepend":
            case "Join":
            case "GroupJoin":
            case "LeftJoin":
            case "RightJoin":
            case "DefaultIfEmpty":
                return QueryLinkKind.Expanding;
            default:
                return IsFilterHelper(link.TargetMethod) ? QueryLinkKind.OrderPreserving : QueryLinkKind.Other;
        }
    }

    /// <summary>
    /// A query helper of the team's own that filters and hands the same query back: an extension method that takes
    /// a query and a row predicate and returns the query's type (<c>WhereIf(on, p =&gt; p.Visible)</c>). Chains are read
    /// through it, so the filters before it still count. A helper that takes a number may page: it is not one.
    /// </summary>
    public static bool IsFilterHelper(IMethodSymbol method)
    {
        if (HandedBackSequence(method) is not { } query)
        {
            return false;
        }

        var predicate = false;
        for (var i = 1; i < method.Parameters.Length; i++)
        {
            var type = method.Parameters[i].Type;
            if (type.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_UInt64)
            {
                return false;
            }

            if (type is INamedTypeSymbol { Name: "Expression", TypeArguments.Length: 1 } expression)
            {
                type = expression.TypeArguments[0];
            }

            predicate |= type is INamedTypeSymbol { Name: "Func", TypeArguments.Length: 2 } func
                && SymbolEqualityComparer.Default.Equals(func.TypeArguments[0], query.TypeArguments[0])
                && func.TypeArguments[1].SpecialType == SpecialType.System_Boolean;
        }

        return predicate;
    }

    /// <summary>
    /// The sequence type an extension method takes as its receiver and returns, when it takes something more
    /// (<c>IQueryable&lt;T&gt; M(this IQueryable&lt;T&gt; query, ...)</c>): the shape of the team's query helpers.
    /// </summary>
    private static INamedTypeSymbol? HandedBackSequence(IMethodSymbol method)
        => method.IsExtensionMethod && method.Parameters.Length >= 2
           && SymbolEqualityComparer.Default.Equals(method.ReturnType, method.Parameters[0].Type)
           && method.ReturnType is INamedTypeSymbol { Name: "IQueryable" or "IEnumerable" or "IOrderedQueryable" or "IOrderedEnumerable", TypeArguments.Length: 1 } query
            ? query
            : null;

    /// <summary>
    /// A query helper of the team's own that shapes the query it is given and hands it back, told only which shape:
    /// an extension method from a query to the same query type whose other parameters are flags, enums or strings
    /// (<c>Includes(VolumeIncludes.Chapters)</c>, <c>SortBy("name")</c>). Chains are read through it, so the filters
    /// before it still count; its effect on order is unknown. Told a number or an object, it may page: not one.
    /// </summary>
    public static bool IsShapingHelper(IMethodSymbol method)
    {
        if (HandedBackSequence(method) is not { Name: "IQueryable" })
        {
            return false;
        }

        for (var i = 1; i < method.Parameters.Length; i++)
        {
            var type = method.Parameters[i].Type;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            if (type.TypeKind != TypeKind.Enum && type.SpecialType is not (SpecialType.System_Boolean or SpecialType.System_String))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A type whose values are few by nature: an enum, a bool (or their nullable forms). A list of them, or rows
    /// grouped by them, cannot grow with a table.
    /// </summary>
    public static bool IsBoundedKeyType(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type is not null && (type.TypeKind == TypeKind.Enum || type.SpecialType == SpecialType.System_Boolean);
    }

    /// <summary>
    /// <c>GroupBy(b =&gt; b.Shelf)</c> or <c>Select(b =&gt; b.AddedAt.Year).Distinct()</c>: one row per value of a key with
    /// few values (an enum, a bool, a date part, a year), not one per row of the table.
    /// </summary>
    private static bool IsBoundedAggregate(IInvocationOperation link)
    {
        switch (link.TargetMethod.Name)
        {
            case "GroupBy":
                return Argument(link, 1) is { } key && SelectorResult(key) is { } grouped && IsBoundedKey(grouped);
            case "Distinct" when link.Arguments.Length == 1:
                if (Receiver(link) is IInvocationOperation { TargetMethod.Name: "Select" } select && Argument(select, 1) is { } selector
                    && SelectorResult(selector) is { } selected)
                {
                    return IsBoundedKey(selected);
                }

                return link.Type is INamedTypeSymbol { TypeArguments.Length: 1 } distinct && IsBoundedKeyType(distinct.TypeArguments[0]);
            default:
                return false;
        }
    }

    /// <summary>The value a one-parameter selector lambda returns (also inside an expression tree), or null.</summary>
    private static IOperation? SelectorResult(IOperation argument)
    {
        var lambda = argument.DescendantsAndSelf().OfType<IAnonymousFunctionOperation>().FirstOrDefault();
        if (lambda is null || lambda.Symbol.Parameters.Length != 1)
        {
            return null;
        }

        IOperation? result = null;
        foreach (var operation in lambda.Body.Operations)
        {
            if (operation is IReturnOperation { ReturnedValue: { } value })
            {
                if (result is not null)
                {
                    return null;
                }

                result = Operations.Unwrap(value);
            }
        }

        return result;
    }

    private static bool IsBoundedKey(IOperation key)
    {
        key = Operations.Unwrap(key);
        if (IsBoundedKeyType(key.Type))
        {
            return true;
        }

        switch (key)
        {
            case IPropertyReferenceOperation { Property: { Name: "Year" or "Month" or "Day" or "DayOfYear" or "Hour" or "Minute", ContainingType.Name: "DateTime" or "DateTimeOffset" or "DateOnly" or "TimeOnly" } }:
                return true;
            case IPropertyReferenceOperation { Property.Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int16 } year
                when year.Property.Name.EndsWith("Year", System.StringComparison.Ordinal):
                return true;
            case IAnonymousObjectCreationOperation anonymous:
                return anonymous.Initializers.All(i => i is ISimpleAssignmentOperation { Value: var value } && IsBoundedKey(value));
            case ITupleOperation tuple:
                return tuple.Elements.All(IsBoundedKey);
            default:
                return false;
        }
    }

    private static int SelectorParameterCount(IInvocationOperation link)
    {
        var parameter = link.TargetMethod.Parameters.Length > 1 ? link.TargetMethod.Parameters[1].Type : null;
        if (parameter is INamedTypeSymbol { Name: "Expression", TypeArguments.Length: 1 } expression)
        {
            parameter = expression.TypeArguments[0];
        }

        return (parameter as INamedTypeSymbol)?.DelegateInvokeMethod?.Parameters.Length ?? -1;
    }

    /// <summary>
    /// The values the handler body returns (not those of nested lambdas or local functions). <paramref name="iterator"/>
    /// is set for <c>yield return</c> bodies, whose rows cannot be followed.
    /// </summary>
    public static ImmutableArray<ReturnedValue> ReturnedValues(IOperation body, PaginationSymbols symbols, out bool iterator)
    {
        iterator = false;
        var values = ImmutableArray.CreateBuilder<ReturnedValue>();
        foreach (var @return in Returns(body))
        {
            if (@return.Kind == OperationKind.YieldReturn)
            {
                iterator = true;
                continue;
            }

            if (@return.ReturnedValue is null)
            {
                continue;
            }

            foreach (var branch in Branches(Operations.Unwrap(@return.ReturnedValue)))
            {
                var payload = Payload(branch, symbols);
                if (payload is null)
                {
                    continue;
                }

                var (value, local) = Trace(StripAwait(payload));
                values.Add(new ReturnedValue(@return, value, local?.Type ?? payload.Type, local));
            }
        }

        return values.ToImmutable();
    }

    /// <summary>
    /// The return and yield return statements of <paramref name="body"/> itself (not of the functions nested in it), in
    /// source order. A return is a statement: only statements are opened, so the expressions of a body (its queries
    /// and their lambdas) are neither walked nor built.
    /// </summary>
    public static List<IReturnOperation> Returns(IOperation body)
    {
        var found = new List<IReturnOperation>();
        if (body is IReturnOperation self)
        {
            found.Add(self);
        }
        else
        {
            CollectReturns(body, found);
        }

        return found;
    }

    private static void CollectReturns(IOperation statement, List<IReturnOperation> found)
    {
        foreach (var child in statement.ChildOperations)
        {
            switch (child)
            {
                case IReturnOperation @return:
                    found.Add(@return);
                    break;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    break;
                default:
                    if (child.Syntax is not ExpressionSyntax)
                    {
                        CollectReturns(child, found);
                    }

                    break;
            }
        }
    }

    private static IEnumerable<IOperation> Branches(IOperation value)
    {
        if (value is IConditionalOperation { WhenFalse: not null } conditional)
        {
            return Branches(Operations.Unwrap(conditional.WhenTrue)).Concat(Branches(Operations.Unwrap(conditional.WhenFalse)));
        }

        if (value is ICoalesceOperation coalesce)
        {
            return Branches(Operations.Unwrap(coalesce.Value)).Concat(Branches(Operations.Unwrap(coalesce.WhenNull)));
        }

        return new[] { value };
    }

    /// <summary>
    /// What a returned value sends as the body: the argument of <c>Ok(x)</c>, <c>Json(x)</c>, <c>Results.Ok(x)</c>,
    /// <c>TypedResults.Ok(x)</c>, <c>Results.Json(x)</c>, <c>new OkObjectResult(x)</c>, <c>new JsonResult(x)</c>; the value
    /// itself otherwise. Null for a result without a body (<c>Ok()</c>). Implicit conversions are removed, awaits kept.
    /// </summary>
    public static IOperation? Payload(IOperation value, PaginationSymbols symbols)
    {
        switch (Operations.Unwrap(value))
        {
            case IInvocationOperation { TargetMethod: { Name: "Ok" or "Json" } method } invocation
                when WellKnownTypes.IsOrDerivesFrom(method.ContainingType, symbols.ControllerBase)
                    || SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Results)
                    || SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.TypedResults):
                return Argument(invocation, 0) is { } argument ? Operations.Unwrap(argument) : null;
            case IObjectCreationOperation { Constructor: { } constructor } creation
                when SymbolEqualityComparer.Default.Equals(constructor.ContainingType, symbols.OkObjectResult)
                    || SymbolEqualityComparer.Default.Equals(constructor.ContainingType, symbols.JsonResult):
                var first = creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
                return first is null ? null : Operations.Unwrap(first.Value);
            case var other:
                return other;
        }
    }

    /// <summary>A local read is followed to its initializer when the local is never written after it.</summary>
    public static (IOperation Value, ILocalSymbol? Local) Trace(IOperation value)
    {
        if (value is ILocalReferenceOperation reference
            && SingleInitializer(reference.Local, reference) is { } initializer)
        {
            return (StripAwait(initializer), reference.Local);
        }

        return (value, null);
    }

    /// <summary>
    /// The value a local is declared with, when it is not assigned, incremented, passed by ref, deconstructed into or
    /// called on afterwards (<c>list.Add(...)</c> after <c>var list = new List&lt;T&gt;();</c>: the initializer is not what is returned).
    /// </summary>
    private static IOperation? SingleInitializer(ILocalSymbol local, IOperation anyOperationInBody)
    {
        var facts = LocalWrites.For(local, anyOperationInBody);
        return facts.WrittenDirectly || facts.Deconstructed || facts.Calls.Count > 0 ? null : facts.Initializer;
    }

    /// <summary>
    /// The value has a bound the rule accepts: a constant Take(n) with n at most <paramref name="maxPageSize"/> (or a
    /// Take whose count it cannot evaluate: someone chose it) with nothing after it that adds rows; a fixed collection
    /// (array or collection literal, enum values, empty); SQL text with a LIMIT/TOP/FETCH at most the max page size.
    /// </summary>
    public static bool IsBounded(IOperation value, PaginationSymbols symbols, int maxPageSize, int depth = 0)
    {
        value = StripAwait(value);
        if (IsFixedCollection(value, symbols))
        {
            return true;
        }

        var chain = Chain(value, symbols, out var source);
        var expanded = false;
        foreach (var link in chain)
        {
            if (!expanded && IsBoundedAggregate(link))
            {
                return true;
            }

            switch (Classify(link))
            {
                case QueryLinkKind.Expanding:
                    expanded = true;
                    break;
                case QueryLinkKind.OrderPreserving when !expanded && link.TargetMethod.Name == "Where" && FiltersByRequestedKeys(link, symbols):
                    return true;
                case QueryLinkKind.Bounding when !expanded:
                    var count = Argument(link, 1);
                    if (count is null)
                    {
                        break;
                    }

                    if (count.ConstantValue is not { HasValue: true, Value: int n } || n <= maxPageSize)
                    {
                        return true;
                    }

                    break;
            }
        }

        if (expanded)
        {
            return false;
        }

        if (IsFixedCollection(source, symbols) || SqlIsLimited(source, maxPageSize))
        {
            return true;
        }

        // var query = db.Products.Take(20); return query.ToList();
        if (depth < 3 && chain.Length > 0 && source is ILocalReferenceOperation)
        {
            var (traced, local) = Trace(source);
            return local is not null && IsBounded(traced, symbols, maxPageSize, depth + 1);
        }

        return false;
    }

    /// <summary>
    /// <c>Where(p =&gt; ids.Contains(p.Id))</c> with <c>ids</c> a collection parameter of the handler: a batch get, bounded
    /// by what the caller asked for.
    /// </summary>
    private static bool FiltersByRequestedKeys(IInvocationOperation where, PaginationSymbols symbols)
    {
        var predicate = Argument(where, 1)?.DescendantsAndSelf().OfType<IAnonymousFunctionOperation>().FirstOrDefault();
        if (predicate is null)
        {
            return false;
        }

        foreach (var contains in predicate.Body.Descendants().OfType<IInvocationOperation>())
        {
            if (contains.TargetMethod.Name != "Contains")
            {
                continue;
            }

            var operands = contains.Arguments.Select(a => Operations.Unwrap(a.Value)).ToList();
            if (contains.Instance is { } instance)
            {
                operands.Insert(0, Operations.Unwrap(instance));
            }

            var requested = operands.OfType<IParameterReferenceOperation>().Any(r =>
                !predicate.Symbol.Parameters.Contains(r.Parameter, SymbolEqualityComparer.Default)
                && r.Parameter.Type.SpecialType != SpecialType.System_String
                && symbols.ElementType(r.Parameter.Type) is not null);
            var key = operands.OfType<IPropertyReferenceOperation>().Any(p => p.Property.Name.EndsWith("Id", System.StringComparison.Ordinal) || p.Property.Name.EndsWith("ID", System.StringComparison.Ordinal));
            if (requested && key)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A collection whose size is fixed in the code: literals, enum values, empty collections, static readonly literal fields.</summary>
    public static bool IsFixedCollection(IOperation value, PaginationSymbols symbols)
    {
        if (Unparenthesize(value.Syntax) is CollectionExpressionSyntax literal)
        {
            return !literal.Elements.Any(e => e is SpreadElementSyntax);
        }

        switch (value)
        {
            case IArrayCreationOperation { Initializer: not null }:
                return true;
            case IObjectCreationOperation creation when symbols.ElementType(creation.Type) is not null:
                return creation.Arguments.All(a => a.Value.ConstantValue.HasValue)
                    && (creation.Initializer is null || creation.Initializer.Initializers.All(i => i is IInvocationOperation or IDynamicInvocationOperation));
            case IInvocationOperation { TargetMethod: { IsStatic: true } method }:
                var type = method.ContainingType;
                return (type?.SpecialType == SpecialType.System_Enum && method.Name is "GetValues" or "GetNames" or "GetValuesAsUnderlyingType")
                    || (type?.SpecialType == SpecialType.System_Array && method.Name == "Empty")
                    || (method.Name == "Empty" && symbols.IsLinq(method));
            case IFieldReferenceOperation { Field: { IsStatic: true } field } when field.IsReadOnly || field.IsConst:
                return field.DeclaringSyntaxReferences.Length == 1
                    && field.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: var fieldValue }
                    && IsLiteralSyntax(fieldValue);
            case IPropertyReferenceOperation { Property: { IsStatic: true, SetMethod: null } property }:
                return property.DeclaringSyntaxReferences.Length == 1
                    && property.DeclaringSyntaxReferences[0].GetSyntax() is PropertyDeclarationSyntax { Initializer.Value: var propertyValue }
                    && IsLiteralSyntax(propertyValue);
            default:
                return false;
        }
    }

    private static SyntaxNode Unparenthesize(SyntaxNode node)
    {
        while (node is ParenthesizedExpressionSyntax parenthesized)
        {
            node = parenthesized.Expression;
        }

        return node;
    }

    private static bool IsLiteralSyntax(ExpressionSyntax value) => value switch
    {
        InitializerExpressionSyntax => true,
        ArrayCreationExpressionSyntax { Initializer: not null } => true,
        ImplicitArrayCreationExpressionSyntax => true,
        CollectionExpressionSyntax collection => !collection.Elements.Any(e => e is SpreadElementSyntax),
        _ => false,
    };

    /// <summary>SQL text passed as a constant to the query source limits the rows: <c>LIMIT 20</c>, <c>TOP (20)</c>, <c>FETCH FIRST 20 ROWS</c>, <c>LIMIT @take</c>.</summary>
    private static bool SqlIsLimited(IOperation source, int maxPageSize)
    {
        if (source is not IInvocationOperation invocation)
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.ConstantValue is not { HasValue: true, Value: string sql })
            {
                continue;
            }

            try
            {
                foreach (Match match in SqlLimit.Matches(sql))
                {
                    if (match.Groups["p"].Success)
                    {
                        return true;
                    }

                    if (int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= maxPageSize)
                    {
                        return true;
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        return false;
    }
}
