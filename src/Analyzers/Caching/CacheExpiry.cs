using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Caching;

/// <summary>What the code shows about an entry's expiration.</summary>
internal enum Expiration
{
    /// <summary>Everything that touches the entry or its options is visible, and none of it sets an expiration.</summary>
    None,

    /// <summary>An absolute or sliding expiration or an expiration token is set somewhere.</summary>
    Set,

    /// <summary>Something the rule cannot read takes part (a parameter, a helper, injected or bound options): no report.</summary>
    Unknown,
}

/// <summary>
/// Follows options objects and cache entries through the code the compilation shows: object initializers, fluent
/// extension calls, locals written and mutated in the same body, fields and properties initialised or assigned in their
/// own type, methods whose body returns new options. Anything else is <see cref="Expiration.Unknown"/>.
/// </summary>
internal sealed class CacheExpiry
{
    private const int MaxDepth = 4;

    private static readonly HashSet<string> ExpiryProperties = new() { "AbsoluteExpiration", "AbsoluteExpirationRelativeToNow", "SlidingExpiration" };
    private static readonly HashSet<string> ExpiryMethods = new() { "SetAbsoluteExpiration", "SetSlidingExpiration", "AddExpirationToken" };

    /// <summary>Names whose presence in a statement about options means an expiration is set (syntax only, for members).</summary>
    private static readonly HashSet<string> ExpiryNames = new(ExpiryProperties.Concat(ExpiryMethods).Concat(new[] { "ExpirationTokens" }));

    /// <summary>Calls that consume options or an entry without changing its expiration: writing the entry is not a use that hides anything.</summary>
    private static readonly HashSet<string> CacheWriteNames = new() { "Set", "SetAsync", "SetString", "SetStringAsync", "GetOrCreate", "GetOrCreateAsync", "CreateEntry", "SetOptions", "TryGetValue", "Get" };

    public static bool IsOptionsType(ITypeSymbol? type)
        => type is INamedTypeSymbol { Name: "MemoryCacheEntryOptions" or "DistributedCacheEntryOptions" } named
            && named.ContainingNamespace?.ToDisplayString() is "Microsoft.Extensions.Caching.Memory" or "Microsoft.Extensions.Caching.Distributed";

    /// <summary>An options value (<c>MemoryCacheEntryOptions</c> or <c>DistributedCacheEntryOptions</c>).</summary>
    public Expiration OfOptions(IOperation value) => OfOptions(value, 0);

    /// <summary>An <c>ICacheEntry</c> a factory lambda receives, from its uses in the body.</summary>
    public Expiration OfEntry(IParameterSymbol entry, IOperation? body) => body is null ? Expiration.Unknown : OfUses(entry, body, 0);

    /// <summary>The entry <c>IMemoryCache.CreateEntry</c> returns: its fluent chain, then the local it is stored in.</summary>
    public Expiration OfCreatedEntry(IInvocationOperation createEntry)
    {
        var (state, top) = FollowChain(createEntry, 0);
        if (state != Expiration.None)
        {
            return state;
        }

        return Parent(top) switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => OfUses(declarator.Symbol, Root(top), 0),
            IExpressionStatementOperation => Expiration.None,
            IUsingOperation => Expiration.None,
            _ => Expiration.Unknown,
        };
    }

    private Expiration OfOptions(IOperation value, int depth)
    {
        if (depth > MaxDepth)
        {
            return Expiration.Unknown;
        }

        value = Unwrap(value);
        switch (value)
        {
            case ILiteralOperation or IDefaultValueOperation:
                return Expiration.None;
            case IObjectCreationOperation creation:
                return OfInitializer(creation.Initializer);
            case IInvocationOperation invocation when IsCachingExtension(invocation.TargetMethod) && invocation.Arguments.Length > 0:
                return ExpiryMethods.Contains(invocation.TargetMethod.Name) ? Expiration.Set : OfOptions(invocation.Arguments[0].Value, depth + 1);
            case IInvocationOperation invocation:
                return OfMethod(invocation.TargetMethod);
            case ILocalReferenceOperation local:
                return OfUses(local.Local, Root(value), depth + 1);
            case IFieldReferenceOperation field:
                return OfMember(field.Field);
            case IPropertyReferenceOperation property:
                return OfMember(property.Property);
            case IConditionalOperation conditional when conditional.WhenFalse is not null:
                return Combine(OfOptions(conditional.WhenTrue, depth + 1), OfOptions(conditional.WhenFalse, depth + 1));
            case ICoalesceOperation coalesce:
                return Combine(OfOptions(coalesce.Value, depth + 1), OfOptions(coalesce.WhenNull, depth + 1));
            default:
                return Expiration.Unknown;
        }
    }

    private static Expiration OfInitializer(IObjectOrCollectionInitializerOperation? initializer)
    {
        if (initializer is null)
        {
            return Expiration.None;
        }

        foreach (var element in initializer.Initializers)
        {
            switch (element)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                    when ExpiryProperties.Contains(target.Property.Name) && !IsNull(assignment.Value):
                    return Expiration.Set;
                case IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation { Property.Name: "ExpirationTokens" }, Initializer.Initializers.Length: > 0 }:
                    return Expiration.Set;
            }
        }

        return Expiration.None;
    }

    /// <summary>
    /// Every use of a local or parameter (options or an entry) in the body: writes are evaluated, expiration
    /// properties and methods set it, cache calls consume it, anything else hands it to code not read here.
    /// </summary>
    private Expiration OfUses(ISymbol symbol, IOperation root, int depth)
    {
        if (depth > MaxDepth)
        {
            return Expiration.Unknown;
        }

        var result = Expiration.None;
        foreach (var operation in root.Descendants())
        {
            Expiration state;
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, symbol):
                    state = declarator.Initializer is { } initializer ? OfOptionsOrEntry(initializer.Value, depth) : Expiration.None;
                    break;
                case ILocalReferenceOperation local when SymbolEqualityComparer.Default.Equals(local.Local, symbol):
                    state = OfUse(local, depth);
                    break;
                case IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol):
                    state = OfUse(parameter, depth);
                    break;
                default:
                    continue;
            }

            if (state == Expiration.Set)
            {
                return Expiration.Set;
            }

            if (state == Expiration.Unknown)
            {
                result = Expiration.Unknown;
            }
        }

        return result;
    }

    /// <summary>A local's initial value: options are evaluated, an entry from <c>CreateEntry</c> starts with none.</summary>
    private Expiration OfOptionsOrEntry(IOperation value, int depth)
        => Unwrap(value) is IInvocationOperation { TargetMethod.Name: "CreateEntry" } create ? FollowChain(create, depth).State : OfOptions(value, depth + 1);

    private Expiration OfUse(IOperation reference, int depth)
    {
        var parent = Parent(reference);
        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == ContainingValue(reference):
                return OfOptionsOrEntry(assignment.Value, depth);
            case IPropertyReferenceOperation property when property.Instance is not null:
                if (ExpiryProperties.Contains(property.Property.Name))
                {
                    return Parent(property) is ISimpleAssignmentOperation set && set.Target == property && !IsNull(set.Value) ? Expiration.Set : Expiration.None;
                }

                return property.Property.Name == "ExpirationTokens" && Parent(property) is IInvocationOperation { TargetMethod.Name: "Add" } ? Expiration.Set : Expiration.None;
            case IArgumentOperation:
                return FollowChain(ContainingValue(reference), depth).State is var state && state != Expiration.None
                    ? state
                    : ChainEnd(ContainingValue(reference));
            case IInvocationOperation { TargetMethod.Name: "Dispose" }:
            case IExpressionStatementOperation:
                return Expiration.None;
            default:
                return Expiration.Unknown;
        }
    }

    /// <summary>Where a value passed through fluent caching extensions ends: a cache call or a statement is fine, anything else is unknown.</summary>
    private static Expiration ChainEnd(IOperation value)
    {
        while (Parent(value) is IArgumentOperation { Parent: IInvocationOperation invocation } argument
            && IsCachingExtension(invocation.TargetMethod) && invocation.Arguments.Length > 0 && invocation.Arguments[0] == argument)
        {
            value = invocation;
        }

        return Parent(value) switch
        {
            IArgumentOperation { Parent: IInvocationOperation invocation } when IsCacheCall(invocation.TargetMethod) => Expiration.None,
            IExpressionStatementOperation or IUsingOperation => Expiration.None,
            IReturnOperation or IVariableInitializerOperation or ISimpleAssignmentOperation => Expiration.Unknown,
            _ => Expiration.Unknown,
        };
    }

    /// <summary>
    /// Walks the fluent caching extensions called on a value (<c>entry.SetValue(v).SetSize(1)</c>): Set at the first that
    /// sets an expiration, the options' state at <c>SetOptions</c>; returns the last call of the chain.
    /// </summary>
    private (Expiration State, IOperation Top) FollowChain(IOperation value, int depth)
    {
        while (Parent(value) is IArgumentOperation { Parent: IInvocationOperation invocation } argument
            && IsCachingExtension(invocation.TargetMethod) && invocation.Arguments.Length > 0 && invocation.Arguments[0] == argument)
        {
            var name = invocation.TargetMethod.Name;
            if (ExpiryMethods.Contains(name))
            {
                return (Expiration.Set, invocation);
            }

            if (name == "SetOptions" && invocation.Arguments.Length > 1)
            {
                var options = OfOptions(invocation.Arguments[1].Value, depth + 1);
                if (options != Expiration.None)
                {
                    return (options, invocation);
                }
            }

            value = invocation;
        }

        return (Expiration.None, value);
    }

    /// <summary>A method of the project's own that returns options: read from its syntax.</summary>
    private static Expiration OfMethod(IMethodSymbol method)
    {
        var reference = method.DeclaringSyntaxReferences.FirstOrDefault();
        var node = reference?.GetSyntax();
        var (body, expression) = node switch
        {
            MethodDeclarationSyntax m => ((SyntaxNode?)m.Body, m.ExpressionBody?.Expression),
            LocalFunctionStatementSyntax f => (f.Body, f.ExpressionBody?.Expression),
            _ => (null, null),
        };

        if (expression is not null)
        {
            return OfSyntax(expression);
        }

        if (body is null)
        {
            return Expiration.Unknown;
        }

        if (Mentions(body))
        {
            return Expiration.Set;
        }

        var returns = body.DescendantNodes().OfType<ReturnStatementSyntax>().ToList();
        return returns.Count > 0 && returns.All(r => r.Expression is not null && OfSyntax(r.Expression) == Expiration.None) ? Expiration.None : Expiration.Unknown;
    }

    /// <summary>
    /// A field or property of the project's own: its initializer and every assignment in its type, and any statement of
    /// its type that names it together with an expiration member (<c>_options.SlidingExpiration = ...</c>).
    /// </summary>
    private Expiration OfMember(ISymbol member)
    {
        var declarations = member.DeclaringSyntaxReferences;
        if (declarations.IsEmpty || member.ContainingType is not { } type)
        {
            return Expiration.Unknown;
        }

        // Written from outside its type: not all writes are visible here.
        var writable = member switch
        {
            IFieldSymbol field => !field.IsReadOnly && !field.IsConst,
            IPropertySymbol property => property.SetMethod is { } setter && setter.DeclaredAccessibility != Accessibility.Private,
            _ => true,
        };
        if (writable && member.DeclaredAccessibility != Accessibility.Private)
        {
            return Expiration.Unknown;
        }

        var result = Expiration.None;
        var writes = 0;
        foreach (var declaration in declarations)
        {
            var node = declaration.GetSyntax();
            ExpressionSyntax? initial = node switch
            {
                VariableDeclaratorSyntax variable => variable.Initializer?.Value,
                PropertyDeclarationSyntax property => property.Initializer?.Value ?? property.ExpressionBody?.Expression,
                _ => null,
            };
            if (initial is not null)
            {
                writes++;
                result = Combine(result, OfSyntax(initial));
            }
            else if (node is PropertyDeclarationSyntax { AccessorList: { } accessors }
                && accessors.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)) is { } getter
                && (getter.Body is not null || getter.ExpressionBody is not null))
            {
                return Mentions(getter) ? Expiration.Set : Expiration.Unknown;
            }
        }

        foreach (var typeReference in type.DeclaringSyntaxReferences)
        {
            foreach (var name in typeReference.GetSyntax().DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText != member.Name)
                {
                    continue;
                }

                SyntaxNode use = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (use.Parent is AssignmentExpressionSyntax assignment && assignment.Left == use)
                {
                    writes++;
                    result = Combine(result, OfSyntax(assignment.Right));
                }
                else if (use.Parent is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } argument
                    && (!argument.RefKindKeyword.IsKind(SyntaxKind.None) || !CacheWriteNames.Contains(CalledName(call))))
                {
                    // Bound from configuration, passed to a helper: its content is decided elsewhere.
                    return Expiration.Unknown;
                }
                else if (use.FirstAncestorOrSelf<StatementSyntax>() is { } statement && Mentions(statement))
                {
                    return Expiration.Set;
                }
            }
        }

        return writes == 0 ? Expiration.Unknown : result;
    }

    private static string CalledName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => string.Empty,
    };

    /// <summary>Options written as an expression, read from syntax: new options without an expiration member are none.</summary>
    private static Expiration OfSyntax(ExpressionSyntax expression)
    {
        if (Mentions(expression))
        {
            return Expiration.Set;
        }

        return expression is BaseObjectCreationExpressionSyntax || expression.IsKind(SyntaxKind.NullLiteralExpression) || expression.IsKind(SyntaxKind.DefaultLiteralExpression)
            ? Expiration.None
            : Expiration.Unknown;
    }

    private static bool Mentions(SyntaxNode node)
        => node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => ExpiryNames.Contains(n.Identifier.ValueText));

    private static bool IsCachingExtension(IMethodSymbol method)
        => method.IsExtensionMethod && IsCachingNamespace(method.ContainingType);

    private static bool IsCacheCall(IMethodSymbol method)
        => CacheWriteNames.Contains(method.Name) && IsCachingNamespace(method.ContainingType);

    private static bool IsCachingNamespace(INamedTypeSymbol? type)
        => type?.ContainingNamespace?.ToDisplayString() is "Microsoft.Extensions.Caching.Memory" or "Microsoft.Extensions.Caching.Distributed";

    private static bool IsNull(IOperation value) => Unwrap(value) is { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation;

    private static Expiration Combine(Expiration a, Expiration b)
        => a == Expiration.Set || b == Expiration.Set ? Expiration.Set : a == Expiration.Unknown || b == Expiration.Unknown ? Expiration.Unknown : Expiration.None;

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary>The outermost conversion or parentheses around a value: the node its parent holds.</summary>
    private static IOperation ContainingValue(IOperation operation)
    {
        while (operation.Parent is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static IOperation? Parent(IOperation operation) => ContainingValue(operation).Parent;

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }
}
