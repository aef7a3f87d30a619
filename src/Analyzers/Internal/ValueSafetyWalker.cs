using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Internal;

/// <summary>
/// Follows a value that ends up in text (SQL, HTML) through what builds it in the current body: conditionals,
/// switch expressions, +, interpolation, string methods, StringBuilder appends and the locals assigned here, down to
/// the values it is made of, and collects those not known to be safe. What a rule takes as safe, and how it reports
/// some shapes, are the hooks below. Only the current body is looked at; its writes to locals are gathered in one
/// walk, on first need, and kept for the life of the instance.
/// </summary>
internal abstract class ValueSafetyWalker
{
    private const int MaxDepth = 24;
    private readonly IOperation _root;
    private readonly HashSet<ILocalSymbol> _visiting = new(SymbolEqualityComparer.Default);
    private Dictionary<ILocalSymbol, List<IOperation>>? _writes;
    private HashSet<ILocalSymbol>? _opaqueLocals;

    protected ValueSafetyWalker(IOperation anyOperationInBody)
    {
        _root = Operations.Root(anyOperationInBody);
    }

    /// <summary>Types whose text cannot carry what the rule guards against (numbers, booleans, enums...).</summary>
    protected abstract bool CannotCarry(ITypeSymbol? type);

    /// <summary>Types whose values are safe as they are, whatever made them.</summary>
    protected virtual bool IsSafeType(ITypeSymbol? type) => CannotCarry(type);

    /// <summary>Receivers whose <c>ToString()</c> is safe.</summary>
    protected virtual bool IsSafeToStringReceiver(ITypeSymbol? type) => CannotCarry(type);

    /// <summary>
    /// A value this walker does not look into that is safe all the same: called for every invocation before it is
    /// looked into, and for any other value no case here follows (fields, properties...).
    /// </summary>
    protected abstract bool IsKnownSafe(IOperation value);

    /// <summary>A call to a string method (string.Concat/Format/Join, Trim, Substring...): how its inputs count.</summary>
    protected abstract void VisitStringCall(IInvocationOperation invocation, List<IOperation> offending, int depth);

    /// <summary>
    /// An argument value that is a sequence or collection, after sequences of safe elements were let through;
    /// <paramref name="elementType"/> is its element type when it is a generic sequence. True when handled here.
    /// </summary>
    protected abstract bool TryVisitCollection(IOperation value, ITypeSymbol? elementType, List<IOperation> offending, int depth);

    /// <summary>
    /// Where a builder local's value starts, once the appends chained on it are counted: its creation, or any other
    /// value (<paramref name="write"/> is the whole value written).
    /// </summary>
    protected abstract void VisitBuilderStart(IOperation start, IOperation write, List<IOperation> offending, int depth);

    /// <summary>The local a <c>ToString()</c> on a StringBuilder reads; by default past the appends chained on it.</summary>
    protected virtual IOperation BuilderOf(IOperation toStringReceiver) => RootOf(toStringReceiver);

    /// <summary>Methods that add text to the local they are called on.</summary>
    protected virtual bool AddsText(string method) => method is "Append" or "AppendLine" or "AppendFormat" or "AppendJoin" or "Insert" or "Replace";

    /// <summary>Whether an argument of an append counts as text.</summary>
    protected virtual bool IsAppendedText(IArgumentOperation argument) => true;

    /// <summary>Whether a conditional with a built branch is itself built (<see cref="IsBuilt"/>).</summary>
    protected virtual bool ConditionalsCanBeBuilt => false;

    /// <summary>
    /// Whether ref locals, foreach and using variables, and every local inside a ref or out argument are written in
    /// ways not followed; otherwise only the locals passed as ref or out themselves are.
    /// </summary>
    protected virtual bool AliasesAreOpaque => false;

    /// <summary>a ?? b: by default each side counts on its own.</summary>
    protected virtual void VisitCoalesce(ICoalesceOperation coalesce, List<IOperation> offending, int depth)
    {
        Visit(coalesce.Value, offending, depth + 1);
        Visit(coalesce.WhenNull, offending, depth + 1);
    }

    /// <summary>A local with writes here, not yet being followed: by default every value written to it counts.</summary>
    protected virtual void VisitWrites(ILocalReferenceOperation reference, List<IOperation> writes, List<IOperation> offending, int depth)
    {
        foreach (var write in writes)
        {
            Visit(write is ICompoundAssignmentOperation compound ? compound.Value : write, offending, depth + 1);
        }
    }

    /// <summary>True when <paramref name="value"/> is text built here from pieces, not a value taken as it is.</summary>
    public bool IsBuilt(IOperation value, int depth = 0)
    {
        value = Operations.Unwrap(value);
        switch (value)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add }:
            case IInterpolatedStringOperation:
            case IInterpolatedStringHandlerCreationOperation:
                return !Operations.IsConstant(value);
            case IInvocationOperation invocation when IsStringBuilding(invocation):
                return true;
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional when depth < 4 && ConditionalsCanBeBuilt:
                return IsBuilt(conditional.WhenTrue, depth + 1) || IsBuilt(whenFalse, depth + 1);
            case ILocalReferenceOperation local when depth < 4:
                EnsureWrites();
                if (_writes!.TryGetValue(local.Local, out var writes))
                {
                    foreach (var write in writes)
                    {
                        if (write is ICompoundAssignmentOperation || IsBuilt(write, depth + 1))
                        {
                            return true;
                        }
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>The offending values in <paramref name="value"/>, in source order without duplicates; empty means safe.</summary>
    public List<IOperation> CollectOffending(IOperation value)
    {
        var collected = new List<IOperation>();
        Visit(value, collected, 0);
        var seen = new HashSet<Microsoft.CodeAnalysis.Text.TextSpan>();
        var result = new List<IOperation>();
        foreach (var operation in collected)
        {
            if (seen.Add(operation.Syntax.Span))
            {
                result.Add(operation);
            }
        }

        result.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));
        return result;
    }

    public bool IsSafe(IOperation value)
    {
        var offending = new List<IOperation>();
        Visit(value, offending, 0);
        return offending.Count == 0;
    }

    /// <summary>The type under <c>Nullable&lt;T&gt;</c>, or the type itself.</summary>
    protected static ITypeSymbol? WithoutNullable(ITypeSymbol? type)
        => type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

    /// <summary>Booleans and integers: they print as digits or True/False.</summary>
    protected static bool IsBooleanOrInteger(SpecialType type)
        => type is SpecialType.System_Boolean or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16
            or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64
            or SpecialType.System_UInt64;

    protected static bool IsStringBuilder(ITypeSymbol? type)
        => type is { Name: "StringBuilder", ContainingNamespace: { Name: "Text", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static bool IsStringBuilding(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.ContainingType?.SpecialType == SpecialType.System_String && method.IsStatic && method.Name is "Concat" or "Format" or "Join")
        {
            return true;
        }

        return method.Name == "ToString" && method.Parameters.IsEmpty && IsStringBuilder(invocation.Instance?.Type);
    }

    protected void Visit(IOperation value, List<IOperation> offending, int depth)
    {
        value = Operations.Unwrap(value);
        if (depth > MaxDepth)
        {
            offending.Add(value);
            return;
        }

        if (Operations.IsConstant(value) || IsSafeType(value.Type))
        {
            return;
        }

        switch (value)
        {
            case IConditionalOperation conditional when conditional.WhenFalse is not null:
                Visit(conditional.WhenTrue, offending, depth + 1);
                Visit(conditional.WhenFalse, offending, depth + 1);
                return;

            case ISwitchExpressionOperation switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    Visit(arm.Value, offending, depth + 1);
                }

                return;

            case ICoalesceOperation coalesce:
                VisitCoalesce(coalesce, offending, depth);
                return;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                Visit(binary.LeftOperand, offending, depth + 1);
                Visit(binary.RightOperand, offending, depth + 1);
                return;

            case IInterpolatedStringHandlerCreationOperation handler:
                Visit(handler.Content, offending, depth + 1);
                return;

            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolationOperation interpolation:
                            Visit(interpolation.Expression, offending, depth + 1);
                            break;
                        case IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation { Arguments.Length: > 0 } call } append
                            when append.Kind == OperationKind.InterpolatedStringAppendFormatted:
                            Visit(call.Arguments[0].Value, offending, depth + 1);
                            break;
                    }
                }

                return;

            case IInvocationOperation invocation:
                VisitInvocation(invocation, offending, depth);
                return;

            case ILocalReferenceOperation local:
                VisitLocal(local, offending, depth);
                return;

            default:
                if (!IsKnownSafe(value))
                {
                    offending.Add(value);
                }

                return;
        }
    }

    private void VisitInvocation(IInvocationOperation invocation, List<IOperation> offending, int depth)
    {
        if (IsKnownSafe(invocation))
        {
            return;
        }

        // x.ToString() on a type that cannot carry text is safe; on a StringBuilder, its appends decide.
        var method = invocation.TargetMethod;
        if (method.Name == "ToString" && invocation.Instance is { } instance)
        {
            if (IsSafeToStringReceiver(instance.Type))
            {
                return;
            }

            if (IsStringBuilder(instance.Type) && BuilderOf(instance) is ILocalReferenceOperation builder)
            {
                VisitAccumulator(builder.Local, invocation, offending, depth);
                return;
            }
        }

        if (method.ContainingType?.SpecialType == SpecialType.System_String)
        {
            VisitStringCall(invocation, offending, depth);
            return;
        }

        VisitOtherCall(invocation, offending, depth);
    }

    /// <summary>A call no case here follows and <see cref="IsKnownSafe"/> did not let through: by default the call is the hole.</summary>
    protected virtual void VisitOtherCall(IInvocationOperation invocation, List<IOperation> offending, int depth) => offending.Add(invocation);

    protected void VisitArgumentValue(IOperation value, List<IOperation> offending, int depth)
    {
        value = Operations.Unwrap(value);
        if (value is IArrayCreationOperation { Initializer: { } initializer })
        {
            foreach (var element in initializer.ElementValues)
            {
                Visit(element, offending, depth + 1);
            }

            return;
        }

        // string.Join(", ", ids) over a sequence of numbers.
        var elementType = value.Type is INamedTypeSymbol { IsGenericType: true } sequence && sequence.SpecialType != SpecialType.System_String
            ? ElementType(sequence)
            : null;
        if (elementType is not null && IsSafeType(elementType))
        {
            return;
        }

        if (TryVisitCollection(value, elementType, offending, depth))
        {
            return;
        }

        Visit(value, offending, depth + 1);
    }

    /// <summary>items.Select(i => ...): what the lambda returns decides. False when <paramref name="value"/> is no such call.</summary>
    protected bool TryVisitSelectReturns(IOperation value, List<IOperation> offending, int depth)
    {
        if (value is not IInvocationOperation { TargetMethod.Name: "Select" } select || select.Arguments.Length < 2
            || Operations.Unwrap(select.Arguments[select.Arguments.Length - 1].Value) is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
        {
            return false;
        }

        foreach (var returned in lambda.Body.Descendants())
        {
            if (returned is IReturnOperation { ReturnedValue: { } returnedValue })
            {
                Visit(returnedValue, offending, depth + 1);
            }
        }

        return true;
    }

    private static ITypeSymbol? ElementType(INamedTypeSymbol type)
    {
        foreach (var candidate in type.AllInterfaces)
        {
            if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            {
                return candidate.TypeArguments[0];
            }
        }

        return type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T ? type.TypeArguments[0] : null;
    }

    private void VisitLocal(ILocalReferenceOperation reference, List<IOperation> offending, int depth)
    {
        var local = reference.Local;
        EnsureWrites();
        if (_opaqueLocals!.Contains(local) || !_writes!.TryGetValue(local, out var writes))
        {
            offending.Add(reference);
            return;
        }

        if (!_visiting.Add(local))
        {
            return;
        }

        VisitWrites(reference, writes, offending, depth);
        _visiting.Remove(local);
    }

    /// <summary>
    /// A builder local (a StringBuilder; for rules that follow them, a list or array): every value appended, added
    /// or inserted in this body counts, then how each value written to it starts. <paramref name="toString"/> is the
    /// call that reads the builder, not counted as an append.
    /// </summary>
    protected void VisitAccumulator(ILocalSymbol local, IInvocationOperation? toString, List<IOperation> offending, int depth)
    {
        EnsureWrites();
        if (!_visiting.Add(local))
        {
            return;
        }

        foreach (var operation in _root.Descendants())
        {
            if (operation is not IInvocationOperation call || call.Instance is null || RootOf(call.Instance) is not ILocalReferenceOperation receiver
                || !SymbolEqualityComparer.Default.Equals(receiver.Local, local) || ReferenceEquals(call, toString)
                || !AddsText(call.TargetMethod.Name))
            {
                continue;
            }

            VisitCallArguments(call, offending, depth);
        }

        if (_writes!.TryGetValue(local, out var writes))
        {
            foreach (var write in writes)
            {
                // new StringBuilder("SELECT ").Append(columns).Append(" FROM t"): the chain's appends, then its start.
                var start = Operations.Unwrap(write);
                while (start is IInvocationOperation { Instance: { } chainedOn } chained && AddsText(chained.TargetMethod.Name))
                {
                    VisitCallArguments(chained, offending, depth);
                    start = Operations.Unwrap(chainedOn);
                }

                VisitBuilderStart(start, write, offending, depth);
            }
        }

        _visiting.Remove(local);
    }

    /// <summary>The receiver at the start of a fluent chain: <c>sb</c> in <c>sb.Append(a).Append(b)</c>.</summary>
    protected IOperation RootOf(IOperation instance)
    {
        instance = Operations.Unwrap(instance);
        while (instance is IInvocationOperation { Instance: { } inner } call && AddsText(call.TargetMethod.Name))
        {
            instance = Operations.Unwrap(inner);
        }

        return instance;
    }

    protected void VisitCallArguments(IInvocationOperation call, List<IOperation> offending, int depth)
    {
        foreach (var argument in call.Arguments)
        {
            if (!Operations.IsConstant(argument.Value) && !CannotCarry(argument.Value.Type) && IsAppendedText(argument))
            {
                VisitArgumentValue(argument.Value, offending, depth);
            }
        }
    }

    /// <summary>One walk of the body: every value written to each local, and the locals written in ways not followed.</summary>
    private void EnsureWrites()
    {
        if (_writes is not null)
        {
            return;
        }

        var aliasesAreOpaque = AliasesAreOpaque;
        _writes = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        _opaqueLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in _root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    var initializer = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                    if (initializer is not null)
                    {
                        AddWrite(declarator.Symbol, initializer);
                    }

                    if (aliasesAreOpaque && (declarator.Symbol.IsRef || declarator.Parent?.Parent is IForEachLoopOperation or IUsingOperation))
                    {
                        _opaqueLocals.Add(declarator.Symbol);
                    }

                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } simple:
                    AddWrite(target.Local, simple.Value);
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } compound:
                    AddWrite(target.Local, compound);
                    break;
                case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation target } coalesce:
                    AddWrite(target.Local, coalesce.Value);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    MarkOpaque(deconstruction.Target);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    if (aliasesAreOpaque)
                    {
                        MarkOpaque(argument.Value);
                    }
                    else if (Operations.Unwrap(argument.Value) is ILocalReferenceOperation byRef)
                    {
                        _opaqueLocals.Add(byRef.Local);
                    }

                    break;
                case IDeclarationExpressionOperation declaration:
                    MarkOpaque(declaration);
                    break;
                case IForEachLoopOperation loop when aliasesAreOpaque:
                    MarkOpaque(loop.LoopControlVariable);
                    break;
                case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared }:
                    _opaqueLocals.Add(declared);
                    break;
            }
        }
    }

    private void MarkOpaque(IOperation target)
    {
        foreach (var nested in target.DescendantsAndSelf())
        {
            switch (nested)
            {
                case ILocalReferenceOperation written:
                    _opaqueLocals!.Add(written.Local);
                    break;
                case IVariableDeclaratorOperation declarator:
                    _opaqueLocals!.Add(declarator.Symbol);
                    break;
            }
        }
    }

    private void AddWrite(ILocalSymbol local, IOperation value)
    {
        if (!_writes!.TryGetValue(local, out var list))
        {
            list = new List<IOperation>();
            _writes[local] = list;
        }

        list.Add(value);
    }
}
