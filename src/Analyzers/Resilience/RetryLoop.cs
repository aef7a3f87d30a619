using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Resilience;

/// <summary>What the rule and its fix need to know about one hand-written retry loop.</summary>
internal sealed class RetryLoop
{
    private RetryLoop(StatementSyntax loop, ISymbol? counter, bool countsUp, ImmutableArray<InvocationExpressionSyntax> waits, CatchClauseSyntax? retryCatch, bool isAsync)
    {
        Loop = loop;
        Counter = counter;
        CountsUp = countsUp;
        Waits = waits;
        RetryCatch = retryCatch;
        IsAsync = isAsync;
    }

    public StatementSyntax Loop { get; }

    /// <summary>The attempt counter (local, parameter or field), or null where a retry flag bounds the loop.</summary>
    public ISymbol? Counter { get; }

    /// <summary>True when the counter is incremented (attempts so far), false when it counts down (attempts left).</summary>
    public bool CountsUp { get; }

    /// <summary>The constant waits (<c>Task.Delay</c>, <c>Thread.Sleep</c>) between attempts; empty when the loop does not wait.</summary>
    public ImmutableArray<InvocationExpressionSyntax> Waits { get; }

    /// <summary>The catch clause that lets the loop go round again, or null for a loop retried on a status.</summary>
    public CatchClauseSyntax? RetryCatch { get; }

    /// <summary>Whether the loop is in an async method, lambda or local function (where a wait can be awaited).</summary>
    public bool IsAsync { get; }

    public SyntaxToken Keyword => Loop switch
    {
        ForStatementSyntax f => f.ForKeyword,
        WhileStatementSyntax w => w.WhileKeyword,
        DoStatementSyntax d => d.DoKeyword,
        _ => Loop.GetFirstToken(),
    };

    /// <summary>Cheap syntax test run before any symbol is touched: a loop whose body has a try with a catch, or reads a status.</summary>
    public static bool MayBeRetryLoop(StatementSyntax loop)
    {
        if (Body(loop) is null)
        {
            return false;
        }

        foreach (var node in loop.DescendantNodes(Descend))
        {
            if (node is TryStatementSyntax { Catches.Count: > 0 }
                || node is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsSuccessStatusCode" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The retry loop the statement is, or null where it is not one (or its waits are not constant).</summary>
    public static RetryLoop? Find(StatementSyntax loop, SemanticModel model, IoCalls io, CancellationToken cancellationToken)
    {
        if (Body(loop) is not { } body)
        {
            return null;
        }

        var owned = new List<SyntaxNode>();
        foreach (var node in loop.DescendantNodes(Descend))
        {
            if (NearestLoop(node) == loop)
            {
                owned.Add(node);
            }
        }

        var condition = Condition(loop);

        // The repeated structure: a catch that goes round again after a failed I/O call, or a failed status.
        CatchClauseSyntax? retryCatch = null;
        var retries = false;
        foreach (var node in owned)
        {
            if (node is TryStatementSyntax tryStatement
                && IsRetryTry(tryStatement, loop, condition, model, io, cancellationToken) is { } caught)
            {
                retryCatch = caught;
                retries = true;
                break;
            }
        }

        if (!retries && !IsStatusRetry(owned, loop, condition, model, io, cancellationToken))
        {
            return null;
        }

        // The bound: a counter compared to a limit, or a retry flag.
        var (counter, countsUp) = FindCounter(owned, loop, condition, model, cancellationToken);
        if (counter is null && !HasRetryFlag(condition, retryCatch, model, cancellationToken))
        {
            return null;
        }

        // A counter that indexes what is called walks a list of endpoints or items (failover), not attempts at one call.
        if (counter is not null && IndexesWork(owned, counter, model, io, cancellationToken))
        {
            return null;
        }

        var waits = ImmutableArray.CreateBuilder<InvocationExpressionSyntax>();
        foreach (var node in owned)
        {
            if (node is not InvocationExpressionSyntax invocation || WaitKind(invocation, model, cancellationToken) is not { } kind)
            {
                continue;
            }

            if (kind == Wait.Unknown || !IsWaitStatement(invocation))
            {
                // A helper that may wait (an injected delay, a backoff function) or a Task.Delay used as a timeout:
                // nothing here says the wait is constant.
                if (kind == Wait.Unknown)
                {
                    return null;
                }

                continue;
            }

            var duration = invocation.ArgumentList.Arguments.Count > 0 ? invocation.ArgumentList.Arguments[0].Expression : null;
            if (duration is null || !Durations.IsConstant(duration, model, cancellationToken))
            {
                return null;
            }

            waits.Add(invocation);
        }

        return new RetryLoop(loop, counter, countsUp, waits.ToImmutable(), retryCatch, IsInAsyncCode(loop));
    }

    public static StatementSyntax? Body(StatementSyntax loop) => loop switch
    {
        ForStatementSyntax f => f.Statement,
        WhileStatementSyntax w => w.Statement,
        DoStatementSyntax d => d.Statement,
        _ => null,
    };

    private static ExpressionSyntax? Condition(StatementSyntax loop) => loop switch
    {
        ForStatementSyntax f => f.Condition,
        WhileStatementSyntax w => w.Condition,
        DoStatementSyntax d => d.Condition,
        _ => null,
    };

    /// <summary>Lambdas, anonymous methods and local functions run elsewhere: what they hold is not the loop's.</summary>
    private static bool Descend(SyntaxNode node)
        => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);

    /// <summary>The loop a node belongs to: the nearest enclosing loop statement (any kind).</summary>
    private static SyntaxNode? NearestLoop(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax or ForEachVariableStatementSyntax:
                    return current;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// A try whose block calls I/O (or whose catch takes an I/O failure), leaves the loop on success, and has a catch
    /// that lets the loop go round again. Returns that catch.
    /// </summary>
    private static CatchClauseSyntax? IsRetryTry(TryStatementSyntax tryStatement, StatementSyntax loop, ExpressionSyntax? condition, SemanticModel model, IoCalls io, CancellationToken cancellationToken)
    {
        if (!LeavesOnSuccess(tryStatement.Block, loop, condition, model, cancellationToken)
            && !ClearsFlagOutside(tryStatement, loop, condition, model, cancellationToken))
        {
            return null;
        }

        var callsIo = ContainsIoCall(tryStatement.Block, model, io, cancellationToken);
        foreach (var catchClause in tryStatement.Catches)
        {
            // The catch's operation is looked up in the member's bound tree; asking for the type syntax's type binds it again.
            var caught = catchClause.Declaration is null ? null
                : model.GetOperation(catchClause, cancellationToken) is ICatchClauseOperation operation ? operation.ExceptionType
                : model.GetTypeInfo(catchClause.Declaration.Type, cancellationToken).Type;

            // Optimistic-concurrency conflicts are retried at once after a reload: nothing is failing there.
            if (caught is not null && IoCalls.IsConcurrencyConflict(caught))
            {
                continue;
            }

            if ((callsIo || (caught is not null && io.IsIoException(caught))) && GoesRoundAgain(catchClause, loop, model))
            {
                return catchClause;
            }
        }

        return null;
    }

    /// <summary>The block leaves the loop on success: a break or return of this loop, or it sets a flag the condition reads.</summary>
    private static bool LeavesOnSuccess(BlockSyntax block, StatementSyntax loop, ExpressionSyntax? condition, SemanticModel model, CancellationToken cancellationToken)
    {
        HashSet<ISymbol>? conditionSymbols = null;
        foreach (var node in block.DescendantNodes(Descend))
        {
            switch (node)
            {
                case ReturnStatementSyntax:
                    return true;
                case BreakStatementSyntax when NearestBreakTarget(node) == loop:
                    return true;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } when condition is not null && NearestLoop(node) == loop:
                    conditionSymbols ??= SymbolsIn(condition, model, cancellationToken);
                    if (model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol local && conditionSymbols.Contains(local))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary><c>again = false;</c> in the loop but outside the catches: the flag stays cleared when the try succeeds.</summary>
    private static bool ClearsFlagOutside(TryStatementSyntax tryStatement, StatementSyntax loop, ExpressionSyntax? condition, SemanticModel model, CancellationToken cancellationToken)
    {
        if (condition is null || Body(loop) is not { } body)
        {
            return false;
        }

        HashSet<ISymbol>? conditionSymbols = null;
        foreach (var node in body.DescendantNodes(Descend))
        {
            if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax name, Right: LiteralExpressionSyntax }
                && NearestLoop(node) == loop
                && !InCatchOf(node, tryStatement))
            {
                conditionSymbols ??= SymbolsIn(condition, model, cancellationToken);
                if (model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol { Type.SpecialType: SpecialType.System_Boolean } local && conditionSymbols.Contains(local))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool InCatchOf(SyntaxNode node, TryStatementSyntax tryStatement)
    {
        foreach (var catchClause in tryStatement.Catches)
        {
            if (catchClause.Span.Contains(node.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static SyntaxNode? NearestBreakTarget(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax or ForEachVariableStatementSyntax or SwitchStatementSyntax:
                    return current;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The catch ends with the loop going on: its end is reachable, or it continues this loop.</summary>
    private static bool GoesRoundAgain(CatchClauseSyntax catchClause, StatementSyntax loop, SemanticModel model)
    {
        foreach (var node in catchClause.Block.DescendantNodes(Descend))
        {
            if (node is ContinueStatementSyntax && NearestLoop(node) == loop)
            {
                return true;
            }
        }

        if (catchClause.Block.Statements.Count == 0 || !MayEndAbruptly(catchClause.Block))
        {
            return true;
        }

        var flow = model.AnalyzeControlFlow(catchClause.Block.Statements[0], catchClause.Block.Statements[catchClause.Block.Statements.Count - 1]);
        return flow is { Succeeded: true, EndPointIsReachable: true };
    }

    /// <summary>
    /// Whether a block holds anything that can keep control from reaching its end: a jump (throw, return, break, goto,
    /// yield break) or a loop that may never end. A block without any completes normally, so flow analysis (which
    /// walks the whole member) is only asked about the others.
    /// </summary>
    private static bool MayEndAbruptly(BlockSyntax block)
    {
        foreach (var node in block.DescendantNodes(Descend))
        {
            if (node is ThrowStatementSyntax or ThrowExpressionSyntax or ReturnStatementSyntax or BreakStatementSyntax or GotoStatementSyntax
                or YieldStatementSyntax or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax
                or ForEachVariableStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsIoCall(SyntaxNode scope, SemanticModel model, IoCalls io, CancellationToken cancellationToken)
    {
        foreach (var node in scope.DescendantNodes(Descend))
        {
            if (node is InvocationExpressionSyntax invocation && io.IsIoCall(invocation, model, cancellationToken))
            {
                return true;
            }

            if (node is AwaitExpressionSyntax && io.AnyAwaitedCall)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A loop without a try that goes round again on a failed HTTP status: <c>IsSuccessStatusCode</c> is read in the loop's
    /// condition, or in an if that leaves the loop; and the loop makes an I/O call.
    /// </summary>
    private static bool IsStatusRetry(List<SyntaxNode> owned, StatementSyntax loop, ExpressionSyntax? condition, SemanticModel model, IoCalls io, CancellationToken cancellationToken)
    {
        var readsStatus = false;
        var callsIo = false;
        foreach (var node in owned)
        {
            if (node is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsSuccessStatusCode" } access
                && model.GetSymbolInfo(access, cancellationToken).Symbol is IPropertySymbol { ContainingType.Name: "HttpResponseMessage" }
                && (condition is not null && condition.Span.Contains(access.Span) && !ReadsAsTrue(access, condition) || LeavesInIf(access, loop)))
            {
                readsStatus = true;
            }
            else if (node is InvocationExpressionSyntax invocation && !callsIo && io.IsIoCall(invocation, model, cancellationToken))
            {
                callsIo = true;
            }
        }

        return readsStatus && callsIo;
    }

    /// <summary>
    /// Whether the condition holds when the status is a success: <c>r.IsSuccessStatusCode</c> rather than
    /// <c>!r.IsSuccessStatusCode</c> or <c>r.IsSuccessStatusCode == false</c>.
    /// </summary>
    private static bool ReadsAsTrue(SyntaxNode read, SyntaxNode condition)
    {
        var positive = true;
        for (var node = read; node != condition && node.Parent is { } parent; node = parent)
        {
            if (parent is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression }
                || parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression, Right: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.FalseLiteralExpression } }
                || parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression, Right: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression } })
            {
                positive = !positive;
            }
        }

        return positive;
    }

    /// <summary>An if that leaves the loop when the status is a success (not one that gives up on a failure).</summary>
    private static bool LeavesInIf(SyntaxNode read, StatementSyntax loop)
    {
        if (read.FirstAncestorOrSelf<IfStatementSyntax>() is not { } ifStatement || !ifStatement.Condition.Span.Contains(read.Span)
            || !ReadsAsTrue(read, ifStatement.Condition))
        {
            return false;
        }

        foreach (var node in ifStatement.Statement.DescendantNodesAndSelf(Descend))
        {
            if (node is ReturnStatementSyntax || (node is BreakStatementSyntax && NearestBreakTarget(node) == loop))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A variable stepped by one (or a constant) in the loop and compared in the loop's condition, a catch filter or an if:
    /// the attempt counter.
    /// </summary>
    private static (ISymbol? Counter, bool CountsUp) FindCounter(List<SyntaxNode> owned, StatementSyntax loop, ExpressionSyntax? condition, SemanticModel model, CancellationToken cancellationToken)
    {
        var stepped = new Dictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        foreach (var node in owned)
        {
            var (target, up) = node switch
            {
                PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression } p => (p.Operand, true),
                PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostDecrementExpression } p => (p.Operand, false),
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression } p => (p.Operand, true),
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreDecrementExpression } p => (p.Operand, false),
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } a => (a.Left, true),
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SubtractAssignmentExpression } a => (a.Left, false),
                _ => ((ExpressionSyntax?)null, false),
            };
            if (target is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }
                && model.GetSymbolInfo(target, cancellationToken).Symbol is { } symbol
                && symbol is ILocalSymbol { Type.SpecialType: >= SpecialType.System_SByte and <= SpecialType.System_UInt64 }
                    or IFieldSymbol { Type.SpecialType: >= SpecialType.System_SByte and <= SpecialType.System_UInt64 }
                    or IParameterSymbol { Type.SpecialType: >= SpecialType.System_SByte and <= SpecialType.System_UInt64, RefKind: RefKind.None }
                && !DeclaredInside(symbol, loop))
            {
                stepped[symbol] = up;
            }
        }

        if (stepped.Count == 0)
        {
            return (null, false);
        }

        foreach (var node in owned)
        {
            if (node is not BinaryExpressionSyntax binary
                || !binary.IsKind(SyntaxKind.LessThanExpression) && !binary.IsKind(SyntaxKind.LessThanOrEqualExpression)
                    && !binary.IsKind(SyntaxKind.GreaterThanExpression) && !binary.IsKind(SyntaxKind.GreaterThanOrEqualExpression)
                    && !binary.IsKind(SyntaxKind.EqualsExpression) && !binary.IsKind(SyntaxKind.NotEqualsExpression)
                || !IsBoundPlace(binary, condition))
            {
                continue;
            }

            foreach (var side in new[] { binary.Left, binary.Right })
            {
                var operand = side is PrefixUnaryExpressionSyntax prefix ? prefix.Operand : side is PostfixUnaryExpressionSyntax postfix ? postfix.Operand : side;
                if (operand is IdentifierNameSyntax or MemberAccessExpressionSyntax
                    && model.GetSymbolInfo(operand, cancellationToken).Symbol is { } symbol
                    && stepped.TryGetValue(symbol, out var up))
                {
                    return (symbol, up);
                }
            }
        }

        return (null, false);
    }

    /// <summary>A comparison bounds the loop in its condition, in a catch filter or in an if's condition.</summary>
    private static bool IsBoundPlace(BinaryExpressionSyntax comparison, ExpressionSyntax? condition)
    {
        if (condition is not null && condition.Span.Contains(comparison.Span))
        {
            return true;
        }

        foreach (var ancestor in comparison.Ancestors())
        {
            switch (ancestor)
            {
                case CatchFilterClauseSyntax:
                    return true;
                case IfStatementSyntax ifStatement:
                    return ifStatement.Condition.Span.Contains(comparison.Span);
                case StatementSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool DeclaredInside(ISymbol symbol, StatementSyntax loop)
    {
        if (symbol is not ILocalSymbol || Body(loop) is not { } body)
        {
            return false;
        }

        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == body.SyntaxTree && body.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A bool local the condition reads and the retrying catch sets: <c>while (retry)</c>.</summary>
    private static bool HasRetryFlag(ExpressionSyntax? condition, CatchClauseSyntax? retryCatch, SemanticModel model, CancellationToken cancellationToken)
    {
        if (condition is null || retryCatch is null)
        {
            return false;
        }

        var read = SymbolsIn(condition, model, cancellationToken);
        foreach (var node in retryCatch.Block.DescendantNodes(Descend))
        {
            if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax name }
                && model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol { Type.SpecialType: SpecialType.System_Boolean } local
                && read.Contains(local))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<ISymbol> SymbolsIn(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var name in node.DescendantNodesAndSelf(Descend))
        {
            if (name is IdentifierNameSyntax && model.GetSymbolInfo(name, cancellationToken).Symbol is { } symbol)
            {
                symbols.Add(symbol);
            }
        }

        return symbols;
    }

    /// <summary>The counter picks what is called: an index into a list, or an argument of the I/O call itself.</summary>
    private static bool IndexesWork(List<SyntaxNode> owned, ISymbol counter, SemanticModel model, IoCalls io, CancellationToken cancellationToken)
    {
        foreach (var node in owned)
        {
            if (node is not IdentifierNameSyntax name || name.Identifier.ValueText != counter.Name)
            {
                continue;
            }

            var inIndex = name.FirstAncestorOrSelf<BracketedArgumentListSyntax>() is not null;
            var argument = name.FirstAncestorOrSelf<ArgumentSyntax>();
            var inIoArgument = argument?.Parent?.Parent is InvocationExpressionSyntax call && io.IsIoCall(call, model, cancellationToken);
            var inSkip = argument?.Parent?.Parent is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Skip" or "ElementAt" or "GetValue" } };
            if ((inIndex || inIoArgument || inSkip) && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, counter))
            {
                return true;
            }
        }

        return false;
    }

    private enum Wait
    {
        Delay,
        Sleep,
        Unknown,
    }

    private static Wait? WaitKind(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            GenericNameSyntax generic => generic.Identifier.ValueText,
            _ => null,
        };
        if (name is null
            || (name.IndexOf("Delay", StringComparison.OrdinalIgnoreCase) < 0 && name.IndexOf("Sleep", StringComparison.OrdinalIgnoreCase) < 0
                && name.IndexOf("Backoff", StringComparison.OrdinalIgnoreCase) < 0 && name.IndexOf("Wait", StringComparison.OrdinalIgnoreCase) < 0))
        {
            return null;
        }

        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return Wait.Unknown;
        }

        var type = method.ContainingType;
        if (method.Name == "Delay" && type is { Name: "Task", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } })
        {
            return Wait.Delay;
        }

        if (method.Name == "Sleep" && type is { Name: "Thread", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } })
        {
            return Wait.Sleep;
        }

        // Waiting on a task or a handle (Wait, WaitAsync, WaitOne) is not a pause between attempts.
        if (name.StartsWith("Wait", StringComparison.Ordinal) || name == "ConfigureAwait")
        {
            return null;
        }

        return Wait.Unknown;
    }

    /// <summary><c>await Task.Delay(..)</c> (with or without ConfigureAwait), <c>Task.Delay(..).Wait()</c> or <c>Thread.Sleep(..)</c> as a statement.</summary>
    private static bool IsWaitStatement(InvocationExpressionSyntax invocation)
    {
        SyntaxNode node = invocation;
        while (true)
        {
            var parent = node.Parent;
            switch (parent)
            {
                case ExpressionStatementSyntax:
                    return true;
                case AwaitExpressionSyntax or ParenthesizedExpressionSyntax:
                    node = parent;
                    continue;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" or "Wait" or "GetAwaiter" or "GetResult" } member when member.Expression == node
                    && member.Parent is InvocationExpressionSyntax call:
                    node = call;
                    continue;
                default:
                    return false;
            }
        }
    }

    private static bool IsInAsyncCode(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax function:
                    return function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }
}
