using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>How the range rewrite of a LINQ comparison goes; absent where there is none.</summary>
internal enum QueryableFixKind
{
    None,

    /// <summary><c>x.CreatedAt.Year == y</c>.</summary>
    Year,

    /// <summary><c>x.CreatedAt.Date == d</c>.</summary>
    Date,
}

/// <summary>One comparison in an EF Core LINQ predicate whose column side is hidden by a call or arithmetic.</summary>
internal readonly struct QueryableFinding
{
    public QueryableFinding(IOperation comparison, SqlPredicateProblem problem, string expression, string key, QueryableFixKind fix, string? typeName)
    {
        Comparison = comparison;
        Problem = problem;
        Expression = expression;
        Key = key;
        Fix = fix;
        TypeName = typeName;
    }

    public IOperation Comparison { get; }
    public SqlPredicateProblem Problem { get; }
    public string Expression { get; }

    /// <summary><c>member.call</c> in lower case, matched against the indexed-expressions option.</summary>
    public string Key { get; }
    public QueryableFixKind Fix { get; }

    /// <summary>For a Year fix: the type whose constructor builds the bounds (DateTime, DateOnly).</summary>
    public string? TypeName { get; }
}

/// <summary>
/// The EF Core half of BR0015: predicates passed to <c>Queryable</c> (<c>Where</c>, <c>First*</c>, <c>Single*</c>,
/// <c>Any</c>, <c>All</c>, <c>Count</c>...) and to EF Core's async terminal operators, on a query that does not start
/// from <c>AsQueryable()</c> (in-memory data).
/// </summary>
internal sealed class QueryablePredicates
{
    private static readonly HashSet<string> PredicateMethods = new(System.StringComparer.Ordinal)
    {
        "Where", "First", "FirstOrDefault", "Single", "SingleOrDefault", "Last", "LastOrDefault", "Any", "All", "Count", "LongCount",
        "FirstAsync", "FirstOrDefaultAsync", "SingleAsync", "SingleOrDefaultAsync", "LastAsync", "LastOrDefaultAsync", "AnyAsync", "AllAsync",
        "CountAsync", "LongCountAsync",
    };

    private readonly INamedTypeSymbol _queryable;
    private readonly INamedTypeSymbol? _efExtensions;
    private readonly INamedTypeSymbol? _dateOnly;

    private QueryablePredicates(INamedTypeSymbol queryable, INamedTypeSymbol? efExtensions, INamedTypeSymbol? dateOnly)
    {
        _queryable = queryable;
        _efExtensions = efExtensions;
        _dateOnly = dateOnly;
    }

    /// <summary>The model, or null when the compilation does not reference EF Core.</summary>
    public static QueryablePredicates? Create(Compilation compilation)
    {
        var types = WellKnownTypes.Of(compilation);
        return types.Get("Microsoft.EntityFrameworkCore.DbContext") is null || types.Get("System.Linq.Queryable") is not { } queryable
            ? null
            : new QueryablePredicates(queryable, types.Get("Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions"), types.Get("System.DateOnly"));
    }

    public static bool MayBePredicateCall(IInvocationOperation invocation) => PredicateMethods.Contains(invocation.TargetMethod.Name);

    public void Find(IInvocationOperation invocation, List<QueryableFinding> findings)
    {
        var method = invocation.TargetMethod;
        if (!IsQueryMethod(method) || invocation.Arguments.Length < 2 || StartsInMemory(invocation))
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name != "predicate" || Lambda(argument.Value) is not { } lambda)
            {
                continue;
            }

            var parameters = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
            foreach (var parameter in lambda.Symbol.Parameters)
            {
                parameters.Add(parameter);
            }

            var outer = new HashSet<IParameterSymbol>(parameters, SymbolEqualityComparer.Default);

            // A query inside another query's lambda (candidates.Any(o => o.Name.ToLower() == p.Name.ToLower())): the
            // enclosing row's members are columns too.
            for (var ancestor = invocation.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                if (ancestor is IAnonymousFunctionOperation enclosing && IsQueryLambda(enclosing))
                {
                    foreach (var parameter in enclosing.Symbol.Parameters)
                    {
                        parameters.Add(parameter);
                    }
                }
            }

            HashSet<IAnonymousFunctionOperation>? correlated = null;
            foreach (var operation in lambda.Body.Descendants())
            {
                if (operation is IAnonymousFunctionOperation nested)
                {
                    foreach (var parameter in nested.Symbol.Parameters)
                    {
                        parameters.Add(parameter);
                    }

                    // e.Providers.Any(p => ...): a subquery over a navigation, joined to the row by its foreign key.
                    if (SourceOf(nested) is { } source && UsesParameter(source, outer))
                    {
                        (correlated ??= new HashSet<IAnonymousFunctionOperation>()).Add(nested);
                    }
                }
            }

            // A query that also compares a key (Id, a foreign key ...Id) with a value is driven by that key's index: a
            // wrapped column next to it filters the few rows found, it does not make the query scan.
            var keyed = ChainHasKeyEquality(invocation);
            foreach (var operation in lambda.Body.Descendants())
            {
                if (correlated is not null && InAny(operation, correlated, lambda))
                {
                    continue;
                }

                if (operation is IBinaryOperation binary && IsComparison(binary.OperatorKind))
                {
                    if (!keyed && !ConjunctionHasKeyEquality(binary, parameters))
                    {
                        Inspect(binary, binary.LeftOperand, binary.RightOperand, binary.OperatorKind == BinaryOperatorKind.Equals, parameters, findings);
                    }
                }
                else if (operation is IInvocationOperation { TargetMethod: { Name: "Equals", IsStatic: false, ContainingType.SpecialType: SpecialType.System_String }, Instance: { } instance, Arguments.Length: 1 } equals)
                {
                    // x.Email.ToLower().Equals(email)
                    if (!keyed && !ConjunctionHasKeyEquality(equals, parameters))
                    {
                        Inspect(equals, instance, equals.Arguments[0].Value, false, parameters, findings);
                    }
                }
            }
        }
    }

    private bool IsQueryMethod(IMethodSymbol method)
    {
        var type = method.ContainingType;
        return type is not null && method.IsStatic
            && (SymbolEqualityComparer.Default.Equals(type, _queryable) || SymbolEqualityComparer.Default.Equals(type, _efExtensions));
    }

    /// <summary><c>list.AsQueryable().Where(...)</c>: LINQ over objects in memory, where no index exists.</summary>
    private bool StartsInMemory(IInvocationOperation invocation)
    {
        IOperation? source = invocation;
        for (var i = 0; i < 64 && source is IInvocationOperation call && IsQueryMethod(call.TargetMethod); i++)
        {
            if (call.TargetMethod.Name == "AsQueryable")
            {
                return true;
            }

            source = call.Arguments.Length > 0 ? Operations.Unwrap(call.Arguments[0].Value) : null;
        }

        return false;
    }

    private static IAnonymousFunctionOperation? Lambda(IOperation value)
    {
        value = Operations.Unwrap(value);
        while (value is IConversionOperation or IDelegateCreationOperation)
        {
            value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
        }

        return value as IAnonymousFunctionOperation;
    }

    private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
        or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

    private void Inspect(IOperation comparison, IOperation left, IOperation right, bool isEquality, HashSet<IParameterSymbol> parameters, List<QueryableFinding> findings)
    {
        left = Operations.Unwrap(left);
        right = Operations.Unwrap(right);
        var leftUses = UsesParameter(left, parameters);
        var rightUses = UsesParameter(right, parameters);
        if (leftUses == rightUses)
        {
            // Member against member (a join condition) or value against value.
            return;
        }

        var (column, value) = leftUses ? (left, right) : (right, left);
        if (Classify(column, parameters) is not { } shape)
        {
            return;
        }

        var fix = QueryableFixKind.None;
        string? typeName = null;
        if (isEquality && comparison is IBinaryOperation && IsSimpleValue(value, 0) && shape.Property is { } property && property.ContainingType is { } dateType)
        {
            var isDateTime = dateType.SpecialType == SpecialType.System_DateTime;
            var isDateOnly = SymbolEqualityComparer.Default.Equals(dateType, _dateOnly);
            if (property.Name == "Year" && (isDateTime || isDateOnly) && value.Type?.SpecialType == SpecialType.System_Int32)
            {
                fix = QueryableFixKind.Year;
                typeName = isDateTime ? "DateTime" : "DateOnly";
            }
            else if (property.Name == "Date" && isDateTime && value.Type?.SpecialType == SpecialType.System_DateTime)
            {
                fix = QueryableFixKind.Date;
            }
        }

        findings.Add(new QueryableFinding(comparison, shape.Problem, column.Syntax.ToString(), shape.Key, fix, typeName));
    }

    private readonly struct Shape
    {
        public Shape(SqlPredicateProblem problem, string key, IPropertySymbol? property)
        {
            Problem = problem;
            Key = key;
            Property = property;
        }

        public SqlPredicateProblem Problem { get; }
        public string Key { get; }

        /// <summary>The date property read from the member (<c>Year</c>, <c>Date</c>), for the fix.</summary>
        public IPropertySymbol? Property { get; }
    }

    private static Shape? Classify(IOperation column, HashSet<IParameterSymbol> parameters)
    {
        switch (column)
        {
            case IInvocationOperation { TargetMethod: { IsStatic: false, ContainingType.SpecialType: SpecialType.System_String } method, Instance: { } instance }
                when IsMember(instance, parameters, out var member):
                switch (method.Name)
                {
                    case "ToLower" or "ToUpper" or "ToLowerInvariant" or "ToUpperInvariant":
                        return new Shape(SqlPredicateProblem.CaseFunction, Key(member, method.Name), null);
                    case "Trim" or "TrimStart" or "TrimEnd" or "Substring" or "Replace" or "PadLeft" or "PadRight":
                        return new Shape(SqlPredicateProblem.Function, Key(member, method.Name), null);
                    default:
                        return null;
                }

            case IPropertyReferenceOperation { Property: { IsStatic: false } property, Instance: { } instance }
                when WellKnownTypes.IsDateType(property.ContainingType) && IsDatePart(property.Name) && IsMember(instance, parameters, out var member):
                return new Shape(SqlPredicateProblem.Function, Key(member, property.Name), property);

            case IInvocationOperation { TargetMethod: { IsStatic: false } method, Instance: { } instance } call
                when WellKnownTypes.IsDateType(method.ContainingType) && method.Name.StartsWith("Add", System.StringComparison.Ordinal) && IsMember(instance, parameters, out var member)
                     && !ArgumentsUseParameter(call, parameters):
                // x.CreatedAt.AddDays(30) < now: the arithmetic belongs on the value side.
                return new Shape(SqlPredicateProblem.Arithmetic, Key(member, method.Name), null);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder } arithmetic
                when (IsMember(Operations.Unwrap(arithmetic.LeftOperand), parameters, out var member) && !UsesParameter(Operations.Unwrap(arithmetic.RightOperand), parameters))
                     || (IsMember(Operations.Unwrap(arithmetic.RightOperand), parameters, out member) && !UsesParameter(Operations.Unwrap(arithmetic.LeftOperand), parameters)):
                // Arithmetic of two columns (x.Start.AddDays(x.Days), x.Price * x.Quantity) has no value side to move to.
                return new Shape(SqlPredicateProblem.Arithmetic, Key(member!, arithmetic.OperatorKind.ToString()), null);

            default:
                return null;
        }
    }

    private bool IsQueryLambda(IAnonymousFunctionOperation function)
    {
        var parent = function.Parent;
        while (parent is IConversionOperation or IDelegateCreationOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation call } && IsQueryMethod(call.TargetMethod);
    }

    /// <summary>The collection a nested lambda filters: the first argument of the LINQ call it is passed to.</summary>
    private static IOperation? SourceOf(IAnonymousFunctionOperation nested)
    {
        var parent = nested.Parent;
        while (parent is IConversionOperation or IDelegateCreationOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation { Arguments.Length: > 0 } call } argument && argument != call.Arguments[0]
            ? call.Arguments[0].Value
            : null;
    }

    private static bool InAny(IOperation operation, HashSet<IAnonymousFunctionOperation> lambdas, IAnonymousFunctionOperation stop)
    {
        for (var current = operation.Parent; current is not null && current != stop; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation function && lambdas.Contains(function))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ArgumentsUseParameter(IInvocationOperation call, HashSet<IParameterSymbol> parameters)
    {
        foreach (var argument in call.Arguments)
        {
            if (UsesParameter(argument.Value, parameters))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the <c>&amp;&amp;</c> chain the comparison belongs to also compares a key member with a value.</summary>
    private static bool ConjunctionHasKeyEquality(IOperation comparison, HashSet<IParameterSymbol> parameters)
    {
        var root = comparison;
        while (root.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } or IParenthesizedOperation
               || (root.Parent is IConversionOperation { IsImplicit: true } && root.Parent.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd }))
        {
            root = root.Parent;
        }

        return HasKeyEquality(root, parameters);
    }

    /// <summary>The other predicates of the same query (<c>.Where(a).Where(b)</c>, query syntax's several <c>where</c>s).</summary>
    private bool ChainHasKeyEquality(IInvocationOperation invocation)
    {
        var calls = new List<IInvocationOperation>();
        IOperation? down = invocation;
        for (var i = 0; i < 32 && down is IInvocationOperation call && IsQueryMethod(call.TargetMethod); i++)
        {
            calls.Add(call);
            down = call.Arguments.Length > 0 ? Operations.Unwrap(call.Arguments[0].Value) : null;
        }

        IOperation up = invocation;
        for (var i = 0; i < 32; i++)
        {
            var parent = up.Parent;
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            if (parent is IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation outer } && IsQueryMethod(outer.TargetMethod))
            {
                calls.Add(outer);
                up = outer;
                continue;
            }

            break;
        }

        foreach (var call in calls)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.Name == "predicate" && Lambda(argument.Value) is { } lambda && lambda.Symbol.Parameters.Length > 0)
                {
                    var parameters = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default) { lambda.Symbol.Parameters[0] };
                    var body = lambda.Body.Operations.Length == 1 && lambda.Body.Operations[0] is IReturnOperation { ReturnedValue: { } value } ? value : null;
                    if (body is not null && HasKeyEquality(body, parameters))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>A conjunct <c>x.Id == value</c> or <c>x.UserId == value</c> in an <c>&amp;&amp;</c> tree.</summary>
    private static bool HasKeyEquality(IOperation operation, HashSet<IParameterSymbol> parameters)
    {
        operation = Operations.Unwrap(operation);
        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and)
        {
            return HasKeyEquality(and.LeftOperand, parameters) || HasKeyEquality(and.RightOperand, parameters);
        }

        // ids.Contains(x.Id): a list or subquery of keys (SQL IN) drives the query the same way.
        if (operation is IInvocationOperation { TargetMethod.Name: "Contains" } contains && contains.Arguments.Length >= 1)
        {
            var item = Operations.Unwrap(contains.Arguments[contains.Arguments.Length - 1].Value);
            var source = contains.Instance ?? (contains.Arguments.Length == 2 ? contains.Arguments[0].Value : null);
            return source is not null && IsKey(item, parameters) && !UsesParameter(source, parameters);
        }

        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals)
        {
            var left = Operations.Unwrap(equals.LeftOperand);
            var right = Operations.Unwrap(equals.RightOperand);
            return (IsKey(left, parameters) && !UsesParameter(right, parameters)) || (IsKey(right, parameters) && !UsesParameter(left, parameters));
        }

        return false;
    }

    private static bool IsKey(IOperation operation, HashSet<IParameterSymbol> parameters)
    {
        if (!IsMember(operation, parameters, out var member))
        {
            return false;
        }

        var name = member.Name;
        if (name == "Id" || name == "ID" || (name.Length > 2 && (name.EndsWith("Id", System.StringComparison.Ordinal) || name.EndsWith("ID", System.StringComparison.Ordinal)) && char.IsLower(name[name.Length - 3])))
        {
            return true;
        }

        foreach (var attribute in member.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "KeyAttribute")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDatePart(string name) => name is "Year" or "Month" or "Day" or "Date" or "Hour" or "Minute" or "DayOfYear" or "DayOfWeek" or "TimeOfDay";

    private static string Key(ISymbol member, string call) => (member.Name + "." + call).ToLowerInvariant();

    /// <summary>A property or field chain from a lambda parameter (<c>x.Email</c>, <c>x.User.Email</c>, <c>x.CreatedAt.Value</c>): a column.</summary>
    private static bool IsMember(IOperation operation, HashSet<IParameterSymbol> parameters, out ISymbol member)
    {
        member = null!;
        operation = Operations.Unwrap(operation);
        ISymbol? last = null;
        for (var i = 0; i < 16; i++)
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property: { IsStatic: false, IsIndexer: false } property, Instance: { } instance }:
                    if (property.Name == "Value" && property.ContainingType?.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                    {
                        operation = Operations.Unwrap(instance);
                        continue;
                    }

                    last ??= property;
                    operation = Operations.Unwrap(instance);
                    continue;
                case IFieldReferenceOperation { Field: { IsStatic: false } field, Instance: { } instance }:
                    last ??= field;
                    operation = Operations.Unwrap(instance);
                    continue;
                case IParameterReferenceOperation parameter when last is not null && parameters.Contains(parameter.Parameter):
                    member = last;
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool UsesParameter(IOperation operation, HashSet<IParameterSymbol> parameters)
    {
        if (operation is IParameterReferenceOperation self && parameters.Contains(self.Parameter))
        {
            return true;
        }

        foreach (var descendant in operation.Descendants())
        {
            if (descendant is IParameterReferenceOperation reference && parameters.Contains(reference.Parameter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value the fix may write twice: a constant, local, parameter, field, or an instance property of one.</summary>
    private static bool IsSimpleValue(IOperation value, int depth)
    {
        value = Operations.Unwrap(value);
        return depth < 4 && value switch
        {
            ILiteralOperation => true,
            ILocalReferenceOperation => true,
            IParameterReferenceOperation => true,
            IFieldReferenceOperation { Field.IsStatic: true } => true,
            IFieldReferenceOperation { Instance: { } instance } => IsSimpleValue(instance, depth + 1),
            IPropertyReferenceOperation { Property.IsStatic: false, Property.IsIndexer: false, Instance: { } instance } => IsSimpleValue(instance, depth + 1),
            IInstanceReferenceOperation => true,
            _ => value.ConstantValue.HasValue,
        };
    }
}
