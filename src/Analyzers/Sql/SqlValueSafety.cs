using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>
/// Decides whether a value that ends up in SQL text can only be one of the values written in the code:
/// constants, constant ternaries and switch expressions (allow-lists), locals assigned only such values,
/// static readonly strings initialised with literals, and values whose type cannot carry SQL text (integers,
/// booleans, enums, Guids). Everything else is an offending value. Only the current body is looked at.
/// </summary>
internal sealed class SqlValueSafety
{
    private const int MaxDepth = 24;
    private readonly IOperation _root;
    private Dictionary<ILocalSymbol, List<IOperation>>? _writes;
    private HashSet<ILocalSymbol>? _opaqueLocals;
    private readonly HashSet<ILocalSymbol> _visiting = new(SymbolEqualityComparer.Default);

    public SqlValueSafety(IOperation anyOperationInBody)
    {
        _root = Operations.Root(anyOperationInBody);
    }

    /// <summary>True when <paramref name="value"/> is built from text, not taken as it is from elsewhere.</summary>
    public bool IsBuilt(IOperation value, int depth = 0)
    {
        value = Operations.Unwrap(value);
        switch (value)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add }:
            case IInterpolatedStringOperation:
            case IInterpolatedStringHandlerCreationOperation:
                return !value.ConstantValue.HasValue;
            case IInvocationOperation invocation when IsStringBuilding(invocation):
                return true;
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

    private static bool IsStringBuilding(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.ContainingType?.SpecialType == SpecialType.System_String && method.IsStatic && method.Name is "Concat" or "Format" or "Join")
        {
            return true;
        }

        return method.Name == "ToString" && method.Parameters.IsEmpty && IsStringBuilder(invocation.Instance?.Type);
    }

    private static bool IsStringBuilder(ITypeSymbol? type)
        => type is { Name: "StringBuilder", ContainingNamespace: { Name: "Text", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>Collects the values in <paramref name="value"/> that are not known to be safe; empty means safe.</summary>
    public void CollectOffending(IOperation value, List<IOperation> offending) => Visit(value, offending, 0);

    public bool IsSafe(IOperation value)
    {
        var offending = new List<IOperation>();
        Visit(value, offending, 0);
        return offending.Count == 0;
    }

    private void Visit(IOperation value, List<IOperation> offending, int depth)
    {
        value = Operations.Unwrap(value);
        if (depth > MaxDepth)
        {
            offending.Add(value);
            return;
        }

        if (value.ConstantValue.HasValue || CannotCarrySql(value.Type))
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
                Visit(coalesce.Value, offending, depth + 1);
                Visit(coalesce.WhenNull, offending, depth + 1);
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

            case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } when HasLiteralInitializer(field):
                return;

            default:
                offending.Add(value);
                return;
        }
    }

    private void VisitInvocation(IInvocationOperation invocation, List<IOperation> offending, int depth)
    {
        var method = invocation.TargetMethod;

        // x.ToString() on a type that cannot carry SQL (an int, a Guid) is safe; on a StringBuilder, its appends decide.
        if (method.Name == "ToString" && invocation.Instance is { } instance)
        {
            if (CannotCarrySql(instance.Type))
            {
                return;
            }

            if (IsStringBuilder(instance.Type) && Operations.Unwrap(instance) is ILocalReferenceOperation builder)
            {
                VisitAccumulator(builder.Local, invocation, offending, depth);
                return;
            }
        }

        // string.Concat/Format/Join and string instance methods (Trim, ToUpper, Replace...) are as safe as their inputs.
        if (method.ContainingType?.SpecialType == SpecialType.System_String)
        {
            if (invocation.Instance is not null)
            {
                Visit(invocation.Instance, offending, depth + 1);
            }

            foreach (var argument in invocation.Arguments)
            {
                // A format provider shapes numbers and dates; it is not text that reaches the SQL.
                if (argument.Parameter?.Type.Name != "IFormatProvider")
                {
                    VisitArgumentValue(argument.Value, offending, depth);
                }
            }

            return;
        }

        offending.Add(invocation);
    }

    private void VisitArgumentValue(IOperation value, List<IOperation> offending, int depth)
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

        // string.Join(",", ids) over a sequence of ints; string.Join(",", names.Select((_, i) => "@p" + i)).
        if (value.Type is INamedTypeSymbol { IsGenericType: true } sequence && sequence.SpecialType != SpecialType.System_String
            && ElementType(sequence) is { } elementType)
        {
            if (CannotCarrySql(elementType))
            {
                return;
            }

            // string.Join(" AND ", conditions) over a local list or array filled in this body.
            if (value is ILocalReferenceOperation collection)
            {
                VisitAccumulator(collection.Local, null, offending, depth);
                return;
            }

            if (value is IInvocationOperation { TargetMethod.Name: "Select" } select && select.Arguments.Length >= 2
                && Operations.Unwrap(select.Arguments[select.Arguments.Length - 1].Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
            {
                foreach (var returned in lambda.Body.Descendants())
                {
                    if (returned is IReturnOperation { ReturnedValue: { } returnedValue })
                    {
                        Visit(returnedValue, offending, depth + 1);
                    }
                }

                return;
            }
        }

        Visit(value, offending, depth + 1);
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

        foreach (var write in writes)
        {
            Visit(write is ICompoundAssignmentOperation compound ? compound.Value : write, offending, depth + 1);
        }

        _visiting.Remove(local);
    }

    /// <summary>
    /// A StringBuilder, list or array local: every value appended, added or inserted in this body counts. One handed
    /// to another method may get additions we cannot see; those are not guessed at, but the visible ones still count.
    /// </summary>
    private void VisitAccumulator(ILocalSymbol local, IInvocationOperation? toString, List<IOperation> offending, int depth)
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
                // new StringBuilder("SELECT ").Append(columns).Append(" FROM t"): the chain's appends, then its creation.
                var start = Operations.Unwrap(write);
                while (start is IInvocationOperation { Instance: { } chainedOn } chained && AddsText(chained.TargetMethod.Name))
                {
                    VisitCallArguments(chained, offending, depth);
                    start = Operations.Unwrap(chainedOn);
                }

                switch (start)
                {
                    case IObjectCreationOperation creation:
                        foreach (var argument in creation.Arguments)
                        {
                            VisitArgumentValue(argument.Value, offending, depth);
                        }

                        foreach (var added in creation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
                        {
                            if (added is IInvocationOperation addCall)
                            {
                                VisitCallArguments(addCall, offending, depth);
                            }
                            else
                            {
                                offending.Add(added);
                            }
                        }

                        break;
                    case IArrayCreationOperation array:
                        VisitArgumentValue(array, offending, depth);
                        break;
                    default:
                        offending.Add(write);
                        break;
                }
            }
        }

        _visiting.Remove(local);
    }

    /// <summary>The receiver at the start of a fluent chain: <c>sb</c> in <c>sb.Append(a).Append(b)</c>.</summary>
    private static IOperation RootOf(IOperation instance)
    {
        instance = Operations.Unwrap(instance);
        while (instance is IInvocationOperation { Instance: { } inner } call && AddsText(call.TargetMethod.Name))
        {
            instance = Operations.Unwrap(inner);
        }

        return instance;
    }

    private static bool AddsText(string method)
        => method is "Append" or "AppendLine" or "AppendFormat" or "AppendJoin" or "Insert" or "Replace" or "Add" or "AddRange" or "Push" or "Enqueue";

    private void VisitCallArguments(IInvocationOperation call, List<IOperation> offending, int depth)
    {
        foreach (var argument in call.Arguments)
        {
            if (!argument.Value.ConstantValue.HasValue && !CannotCarrySql(argument.Value.Type))
            {
                VisitArgumentValue(argument.Value, offending, depth);
            }
        }
    }

    /// <summary>One walk of the body: every value written to each local, and the locals passed by reference or captured for writing.</summary>
    private void EnsureWrites()
    {
        if (_writes is not null)
        {
            return;
        }

        _writes = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        _opaqueLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in _root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    var initializer = declarator.Initializer?.Value
                        ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                    if (initializer is not null)
                    {
                        AddWrite(declarator.Symbol, initializer);
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
                    foreach (var nested in deconstruction.Target.DescendantsAndSelf())
                    {
                        if (nested is ILocalReferenceOperation written)
                        {
                            _opaqueLocals.Add(written.Local);
                        }
                    }

                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument
                    when Operations.Unwrap(argument.Value) is ILocalReferenceOperation byRef:
                    _opaqueLocals.Add(byRef.Local);
                    break;
                case IDeclarationExpressionOperation or IDeclarationPatternOperation:
                    foreach (var nested in operation.DescendantsAndSelf())
                    {
                        if (nested is ILocalReferenceOperation declared)
                        {
                            _opaqueLocals.Add(declared.Local);
                        }
                    }

                    if (operation is IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol patternLocal })
                    {
                        _opaqueLocals.Add(patternLocal);
                    }

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

    private static bool HasLiteralInitializer(IFieldSymbol field)
    {
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: var initializer } && IsLiteralText(initializer))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLiteralText(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax => true,
        BinaryExpressionSyntax binary => IsLiteralText(binary.Left) && IsLiteralText(binary.Right),
        ParenthesizedExpressionSyntax parenthesized => IsLiteralText(parenthesized.Expression),
        InterpolatedStringExpressionSyntax interpolated => System.Linq.Enumerable.All(interpolated.Contents, c => c is InterpolatedStringTextSyntax),
        _ => false,
    };

    /// <summary>Integers, booleans, enums and Guids format to text that cannot change the SQL around them.</summary>
    public static bool CannotCarrySql(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type is null)
        {
            return false;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
                return true;
        }

        return type is { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }
}
