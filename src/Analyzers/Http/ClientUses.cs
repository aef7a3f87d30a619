using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Http;

/// <summary>What the code does with a client, worst first when combined.</summary>
internal enum UseVerdict
{
    /// <summary>No HTTP call seen (headers set, disposed).</summary>
    None = 0,

    /// <summary>Every call is bounded: a Timeout is set on the client, or each call gets a deadline token.</summary>
    Bounded = 1,

    /// <summary>The client leaves: returned from a non-private member, passed to a call, stored elsewhere.</summary>
    Escapes = 2,

    /// <summary>An HTTP call on the client with nothing bounding its time.</summary>
    Unbounded = 3,
}

/// <summary>
/// Follows a client value to its HTTP calls: through locals and fields (all their uses in the method or type), and
/// through private members that return it (their uses in the type). A call is bounded by a deadline token passed to
/// it: <c>new CancellationTokenSource(TimeSpan)</c>, a source on which <c>CancelAfter</c> is called, a linked source
/// over such a token, or their <c>Token</c>. The caller's token or <c>CancellationToken.None</c> bounds nothing.
/// </summary>
internal sealed class ClientUses
{
    private const int MaxDepth = 4;

    // A token goes through a few hops (token local, source local, linked source, its tokens): a deeper limit.
    private const int MaxTokenDepth = 10;

    private readonly HttpSymbols _symbols;
    private readonly CancellationToken _cancellationToken;

    public ClientUses(HttpSymbols symbols, CancellationToken cancellationToken)
    {
        _symbols = symbols;
        _cancellationToken = cancellationToken;
    }

    public static UseVerdict Worst(UseVerdict a, UseVerdict b) => a > b ? a : b;

    /// <summary>The expression that carries the value on: through conversions, parentheses, <c>?.</c> and the arms of <c>?:</c>, <c>??</c> and <c>switch</c>.</summary>
    public static IOperation Outer(IOperation value)
    {
        var current = value;
        while (true)
        {
            switch (current.Parent)
            {
                case IConversionOperation:
                case IParenthesizedOperation:
                case IConditionalOperation conditional when conditional.Condition != current:
                case ICoalesceOperation:
                case IConditionalAccessOperation access when access.WhenNotNull == current:
                case ISwitchExpressionArmOperation arm when arm.Value == current:
                    current = current.Parent;
                    continue;
                case ISwitchExpressionOperation switchExpression when switchExpression.Value != current:
                    current = current.Parent;
                    continue;
                default:
                    return current;
            }
        }
    }

    /// <summary>The local, field or property the value is kept in (this object's members only).</summary>
    public static ISymbol? Storage(IOperation outer) => outer.Parent switch
    {
        IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
        IFieldInitializerOperation { InitializedFields: { Length: 1 } fields } => fields[0],
        IPropertyInitializerOperation { InitializedProperties: { Length: 1 } properties } => properties[0],
        ISimpleAssignmentOperation assignment when assignment.Value == outer => assignment.Target switch
        {
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation => field.Field,
            IPropertyReferenceOperation property when property.Instance is null or IInstanceReferenceOperation => property.Property,
            _ => null,
        },
        _ => null,
    };

    /// <summary>The verdict for a client value: what happens to it where it is produced, and after.</summary>
    public UseVerdict Judge(IOperation value, int depth = 0)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var outer = Outer(value);
        switch (outer.Parent)
        {
            case IInvocationOperation call when call.Instance == outer:
                return Call(call);
            case IConditionalAccessOperation access when access.Operation == outer:
                return access.WhenNotNull is IInvocationOperation { Instance: IConditionalAccessInstanceOperation } inner ? Call(inner) : UseVerdict.None;
            case IArgumentOperation argument:
                if (argument.Parent is IInvocationOperation invocation
                    && invocation.TargetMethod.IsExtensionMethod && argument.Parameter?.Ordinal == 0 && _symbols.IsHttpClient(argument.Parameter.Type))
                {
                    return Call(invocation);
                }

                // Handed to someone else together with a deadline: that call is bounded, whatever it does with the client.
                var arguments = argument.Parent switch
                {
                    IInvocationOperation other => other.Arguments,
                    IObjectCreationOperation creation => creation.Arguments,
                    _ => default(ImmutableArray<IArgumentOperation>),
                };
                return !arguments.IsDefault && HasDeadline(arguments, 0) ? UseVerdict.Bounded : UseVerdict.Escapes;
            case IPropertyReferenceOperation property when property.Instance == outer:
                return property.Property.Name == "Timeout" && property.Parent is ISimpleAssignmentOperation timeout && timeout.Target == property
                    ? UseVerdict.Bounded
                    : UseVerdict.None;
            case IMemberReferenceOperation member when member.Instance == outer:
                return UseVerdict.None;
            case IExpressionStatementOperation:
            case IUsingOperation:
                return UseVerdict.None;
            case IReturnOperation @return:
                return depth < MaxDepth ? Returned(@return, depth) : UseVerdict.Escapes;
        }

        return Storage(outer) switch
        {
            ILocalSymbol local => Local(local, outer, depth),
            IFieldSymbol or IPropertySymbol when depth < MaxDepth => Member(Storage(outer)!, outer, depth),
            _ => UseVerdict.Escapes,
        };
    }

    private UseVerdict Call(IInvocationOperation call)
        => call.TargetMethod.Name is "Dispose" or "CancelPendingRequests" ? UseVerdict.None
            : HasDeadline(call.Arguments, 0) ? UseVerdict.Bounded
            : UseVerdict.Unbounded;

    // ---- locals, members, private returns -----------------------------------------------------------------

    /// <summary>Every use of the local in its body; a Timeout set on it bounds them all.</summary>
    private UseVerdict Local(ILocalSymbol local, IOperation anywhere, int depth)
    {
        var verdict = UseVerdict.None;
        foreach (var operation in Operations.Root(anywhere).Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local) || IsWrite(reference))
            {
                continue;
            }

            if (SetsTimeout(reference))
            {
                return UseVerdict.Bounded;
            }

            verdict = Worst(verdict, depth < MaxDepth ? Judge(reference, depth + 1) : UseVerdict.Escapes);
        }

        return verdict;
    }

    /// <summary>
    /// A field or property of this object: a Timeout set on it anywhere in the type bounds it; otherwise every use in
    /// the type's declarations, and a member others can reach escapes.
    /// </summary>
    private UseVerdict Member(ISymbol member, IOperation near, int depth)
    {
        if (HttpTimeoutAnalyzer.MemberTimeoutSet(member, _cancellationToken))
        {
            return UseVerdict.Bounded;
        }

        var verdict = member.DeclaredAccessibility == Accessibility.Private ? UseVerdict.None : UseVerdict.Escapes;
        foreach (var reference in ReferencesInType(member, near))
        {
            if (!IsWrite(reference))
            {
                verdict = Worst(verdict, Judge(reference, depth + 1));
                if (verdict == UseVerdict.Unbounded)
                {
                    break;
                }
            }
        }

        return verdict;
    }

    /// <summary>A private method or property getter that returns the client: judged at its uses in the type.</summary>
    private UseVerdict Returned(IReturnOperation @return, int depth)
    {
        var model = @return.SemanticModel;
        var enclosing = model?.GetEnclosingSymbol(@return.Syntax.SpanStart, _cancellationToken);
        ISymbol? member = enclosing switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary } method => method,
            IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: IPropertySymbol property } => property,
            _ => null,
        };
        if (member is null || member.DeclaredAccessibility != Accessibility.Private || member.IsOverride || member.ContainingType is null)
        {
            return UseVerdict.Escapes;
        }

        var verdict = UseVerdict.None;
        foreach (var reference in ReferencesInType(member, @return))
        {
            verdict = Worst(verdict, Judge(reference, depth + 1));
            if (verdict == UseVerdict.Unbounded)
            {
                break;
            }
        }

        return verdict;
    }

    /// <summary>References to a member (reads, calls) in its containing type's declarations, bound one by one.</summary>
    private IEnumerable<IOperation> ReferencesInType(ISymbol member, IOperation near)
    {
        foreach (var declaration in member.ContainingType.DeclaringSyntaxReferences)
        {
            // The member's name is found in the text and only the names there are looked at: no declaration is
            // walked whole, and a partial type's files that never mention it cost a text search.
            var syntax = declaration.GetSyntax(_cancellationToken);
            SemanticModel? model = null;
            var seen = new HashSet<int>();
            foreach (var position in TextSearch.Positions(declaration.SyntaxTree.GetText(_cancellationToken), declaration.Span, member.Name))
            {
                if (syntax.FindToken(position).Parent is not SimpleNameSyntax name || name.Identifier.ValueText != member.Name || !seen.Add(name.SpanStart))
                {
                    continue;
                }

                SyntaxNode node = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (member is IMethodSymbol)
                {
                    if (node.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != node)
                    {
                        continue;
                    }

                    node = invocation;
                }

                model ??= _symbols.ModelFor(syntax.SyntaxTree, near);
                var operation = model.GetOperation(node, _cancellationToken);
                ISymbol? referenced = operation switch
                {
                    IFieldReferenceOperation field => field.Field,
                    IPropertyReferenceOperation property => property.Property,
                    IInvocationOperation call => call.TargetMethod,
                    _ => null,
                };
                if (operation is not null && SymbolEqualityComparer.Default.Equals(referenced?.OriginalDefinition, member.OriginalDefinition))
                {
                    yield return operation;
                }
            }
        }
    }

    private static bool IsWrite(IOperation reference)
        => reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    private static bool SetsTimeout(IOperation reference)
        => reference.Parent is IPropertyReferenceOperation { Property.Name: "Timeout" } property
            && property.Parent is ISimpleAssignmentOperation assignment && assignment.Target == property;

    // ---- deadline tokens ----------------------------------------------------------------------------------

    private bool HasDeadline(ImmutableArray<IArgumentOperation> arguments, int depth = 0)
    {
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                && SymbolEqualityComparer.Default.Equals(argument.Value.Type, _symbols.CancellationToken)
                && IsDeadlineToken(argument.Value, depth))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsDeadlineToken(IOperation token, int depth)
    {
        if (depth > MaxTokenDepth)
        {
            return false;
        }

        switch (Operations.Unwrap(token))
        {
            case IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source } when IsSource(source.Type):
                return IsDeadlineSource(source, depth + 1);
            case ILocalReferenceOperation local:
                return AllValues(local.Local, local, value => IsDeadlineToken(value, depth + 1));
            default:
                return false;
        }
    }

    private bool IsDeadlineSource(IOperation source, int depth)
    {
        if (depth > MaxTokenDepth)
        {
            return false;
        }

        switch (Operations.Unwrap(source))
        {
            case IObjectCreationOperation creation when IsSource(creation.Type):
                // new CancellationTokenSource(delay): every constructor with an argument takes a delay.
                return creation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.DefaultValue);
            case IInvocationOperation { TargetMethod.Name: "CreateLinkedTokenSource" } linked when IsSource(linked.TargetMethod.ContainingType):
                return linked.Arguments.Any(a => Operations.Unwrap(a.Value) is IArrayCreationOperation { Initializer: { } array }
                    ? array.ElementValues.Any(v => IsDeadlineToken(v, depth + 1))
                    : IsDeadlineToken(a.Value, depth + 1));
            case ILocalReferenceOperation local:
                return CancelsAfter(local.Local, local) || AllValues(local.Local, local, value => IsDeadlineSource(value, depth + 1));
            default:
                return false;
        }
    }

    private bool IsSource(ITypeSymbol? type) => WellKnownTypes.IsOrDerivesFrom(type, _symbols.CancellationTokenSource);

    private static bool CancelsAfter(ILocalSymbol local, IOperation anywhere)
        => Operations.Root(anywhere).Descendants().Any(o => o is IInvocationOperation { TargetMethod.Name: "CancelAfter", Instance: ILocalReferenceOperation target }
            && SymbolEqualityComparer.Default.Equals(target.Local, local));

    /// <summary>Every value the local is given in its body (initializer and assignments), at least one, passes the test.</summary>
    private static bool AllValues(ILocalSymbol local, IOperation anywhere, Func<IOperation, bool> test)
    {
        var any = false;
        foreach (var operation in Operations.Root(anywhere).Descendants())
        {
            IOperation? value = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                _ => null,
            };
            if (value is null)
            {
                continue;
            }

            if (!test(value))
            {
                return false;
            }

            any = true;
        }

        return any;
    }
}
