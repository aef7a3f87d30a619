using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Html;

/// <summary>
/// Decides which values written into HTML are not encoded: not constants, not the result of an encoder, not
/// framework HTML (<c>IHtmlContent</c>), and of a type that can carry markup (numbers, booleans, enums, Guids and
/// dates cannot). HTML built here (interpolation, +, string.Format/Concat/Join, StringBuilder, locals assigned in
/// this body) is looked into hole by hole. Only the current body is looked at.
/// </summary>
internal sealed class HtmlValueSafety
{
    private const int MaxDepth = 24;
    private readonly IOperation _root;
    private readonly HtmlSinks _sinks;
    private readonly Func<IInvocationOperation, bool> _isCustomEncoder;
    private readonly HashSet<ILocalSymbol> _visiting = new(SymbolEqualityComparer.Default);
    private Dictionary<ILocalSymbol, List<IOperation>>? _writes;
    private HashSet<ILocalSymbol>? _opaqueLocals;

    public HtmlValueSafety(IOperation anyOperationInBody, HtmlSinks sinks, Func<IInvocationOperation, bool> isCustomEncoder)
    {
        _root = Operations.Root(anyOperationInBody);
        _sinks = sinks;
        _isCustomEncoder = isCustomEncoder;
    }

    /// <summary>True when <paramref name="value"/> is HTML built here from pieces, not a value taken as it is.</summary>
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
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional when depth < 4:
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

    /// <summary>The unencoded values in <paramref name="value"/>, in source order without duplicates; empty means safe.</summary>
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

    /// <summary>Numbers, booleans, enums, Guids, dates and times print without markup characters.</summary>
    public static bool CannotCarryMarkup(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
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
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_DateTime:
                return true;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        return type is INamedTypeSymbol { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } named
            && named.Name is "Guid" or "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly" or "Int128" or "UInt128" or "Half";
    }

    private bool IsHtmlContent(ITypeSymbol? type) => WellKnownTypes.Implements(type, _sinks.HtmlContent);

    private void Visit(IOperation value, List<IOperation> offending, int depth)
    {
        value = Operations.Unwrap(value);
        if (depth > MaxDepth)
        {
            offending.Add(value);
            return;
        }

        if (value.ConstantValue.HasValue || CannotCarryMarkup(value.Type) || IsHtmlContent(value.Type))
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

            // a ?? b is one hole: encoding a alone would make it never null, and b would stop showing.
            case ICoalesceOperation coalesce:
                var parts = new List<IOperation>();
                Visit(coalesce.Value, parts, depth + 1);
                Visit(coalesce.WhenNull, parts, depth + 1);
                if (parts.Count > 0)
                {
                    offending.Add(coalesce);
                }

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

            case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } when HasLiteralInitializer(field) || IsStringEmpty(field):
                return;

            // Resource text looked up by a constant name (IStringLocalizer["Welcome"]) is written by the team, like a literal.
            case IPropertyReferenceOperation property when IsResourceText(property) || IsNewLine(property.Property):
                return;

            // htmlString.Value: the markup of an HtmlString, judged where that HtmlString was created.
            case IPropertyReferenceOperation { Property.Name: "Value", Instance: { } owner } when WellKnownTypes.IsOrDerivesFrom(owner.Type, _sinks.HtmlString):
                return;

            default:
                offending.Add(value);
                return;
        }
    }

    private void VisitInvocation(IInvocationOperation invocation, List<IOperation> offending, int depth)
    {
        var method = invocation.TargetMethod;
        if (_sinks.Encoders.IsEncoding(invocation) || _isCustomEncoder(invocation))
        {
            return;
        }

        // x.ToString() on a number or a Guid is safe; on a StringBuilder, its appends decide.
        if (method.Name == "ToString" && invocation.Instance is { } instance)
        {
            if (CannotCarryMarkup(instance.Type) || WellKnownTypes.IsOrDerivesFrom(instance.Type, _sinks.HtmlString))
            {
                return;
            }

            if (IsStringBuilder(instance.Type) && RootOf(instance) is ILocalReferenceOperation builder)
            {
                VisitAccumulator(builder.Local, invocation, offending, depth);
                return;
            }
        }

        // string instance methods (Trim, ToUpper, Substring...) are as safe as their inputs; when they are not, the
        // whole call is the hole, so encoding happens after it (a Substring of encoded text could cut an entity).
        if (method.ContainingType?.SpecialType == SpecialType.System_String && invocation.Instance is not null)
        {
            var inner = new List<IOperation>();
            Visit(invocation.Instance, inner, depth + 1);
            foreach (var argument in invocation.Arguments)
            {
                VisitArgumentValue(argument.Value, inner, depth);
            }

            if (inner.Count > 0)
            {
                offending.Add(invocation);
            }

            return;
        }

        // string.Concat/Format/Join build text from their inputs: each input is a hole of its own.
        if (method.ContainingType?.SpecialType == SpecialType.System_String)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Type.Name != "IFormatProvider" && argument.Parameter?.Type.SpecialType != SpecialType.System_Char)
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

        // string.Join(", ", ids) over numbers.
        if (value.Type is INamedTypeSymbol { IsGenericType: true } sequence && sequence.SpecialType != SpecialType.System_String
            && ElementType(sequence) is { } elementType && (CannotCarryMarkup(elementType) || IsHtmlContent(elementType)))
        {
            return;
        }

        if (value.Type is IArrayTypeSymbol array && (CannotCarryMarkup(array.ElementType) || IsHtmlContent(array.ElementType)))
        {
            return;
        }

        // string.Join("", items.Select(i => $"<li>{HtmlEncoder.Default.Encode(i)}</li>")): what the lambda returns decides.
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

    /// <summary>
    /// A local holding HTML built in this body is looked into; a local only ever assigned plain values is itself the
    /// hole (so the fix encodes it where it enters the HTML, not where it is assigned and maybe used otherwise).
    /// </summary>
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

        var built = false;
        foreach (var write in writes)
        {
            built |= write is ICompoundAssignmentOperation || IsBuilt(write, 1);
        }

        if (built)
        {
            foreach (var write in writes)
            {
                Visit(write is ICompoundAssignmentOperation compound ? compound.Value : write, offending, depth + 1);
            }
        }
        else
        {
            foreach (var write in writes)
            {
                if (!IsSafe(write))
                {
                    offending.Add(reference);
                    break;
                }
            }
        }

        _visiting.Remove(local);
    }

    /// <summary>A StringBuilder local: every value appended or inserted in this body counts.</summary>
    private void VisitAccumulator(ILocalSymbol local, IInvocationOperation toString, List<IOperation> offending, int depth)
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
                var start = Operations.Unwrap(write);
                while (start is IInvocationOperation { Instance: { } chainedOn } chained && AddsText(chained.TargetMethod.Name))
                {
                    VisitCallArguments(chained, offending, depth);
                    start = Operations.Unwrap(chainedOn);
                }

                if (start is IObjectCreationOperation creation)
                {
                    foreach (var argument in creation.Arguments)
                    {
                        if (argument.Value.Type?.SpecialType == SpecialType.System_String)
                        {
                            Visit(argument.Value, offending, depth + 1);
                        }
                    }
                }
                else
                {
                    offending.Add(write);
                }
            }
        }

        _visiting.Remove(local);
    }

    private static IOperation RootOf(IOperation instance)
    {
        instance = Operations.Unwrap(instance);
        while (instance is IInvocationOperation { Instance: { } inner } call && AddsText(call.TargetMethod.Name))
        {
            instance = Operations.Unwrap(inner);
        }

        return instance;
    }

    private static bool AddsText(string method) => method is "Append" or "AppendLine" or "AppendFormat" or "AppendJoin" or "Insert" or "Replace";

    private void VisitCallArguments(IInvocationOperation call, List<IOperation> offending, int depth)
    {
        foreach (var argument in call.Arguments)
        {
            if (!argument.Value.ConstantValue.HasValue && !CannotCarryMarkup(argument.Value.Type) && argument.Parameter?.Type.Name != "IFormatProvider")
            {
                VisitArgumentValue(argument.Value, offending, depth);
            }
        }
    }

    private static bool IsStringEmpty(IFieldSymbol field) => field.Name == "Empty" && field.ContainingType.SpecialType == SpecialType.System_String;

    private static bool IsNewLine(IPropertySymbol property)
        => property is { Name: "NewLine", IsStatic: true, ContainingType: { Name: "Environment", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static bool IsResourceText(IPropertyReferenceOperation property)
    {
        if (property.Property.Name == "Value" && property.Instance is IPropertyReferenceOperation inner && property.Property.ContainingType.Name == "LocalizedString")
        {
            property = inner;
        }

        return property.Property.IsIndexer && property.Arguments.Length == 1 && property.Arguments[0].Value.ConstantValue.HasValue
            && property.Type is { Name: "LocalizedString", ContainingNamespace: { Name: "Localization", ContainingNamespace: { Name: "Extensions", ContainingNamespace.Name: "Microsoft" } } };
    }

    private static bool HasLiteralInitializer(IFieldSymbol field)
    {
        if (field.Type.SpecialType != SpecialType.System_String)
        {
            return false;
        }

        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax
                {
                    Initializer.Value: Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax literal,
                } && literal.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StringLiteralExpression))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One walk of the body: every value written to each local, and the locals written in ways not followed.</summary>
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
                    var initializer = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                    if (initializer is not null)
                    {
                        AddWrite(declarator.Symbol, initializer);
                    }

                    if (declarator.Symbol.IsRef || declarator.Parent?.Parent is IForEachLoopOperation or IUsingOperation)
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
                    MarkOpaque(argument.Value);
                    break;
                case IDeclarationExpressionOperation declaration:
                    MarkOpaque(declaration);
                    break;
                case IForEachLoopOperation loop:
                    MarkOpaque(loop.LoopControlVariable);
                    break;
                case IPatternOperation pattern:
                    foreach (var nested in pattern.DescendantsAndSelf())
                    {
                        if (nested is IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared })
                        {
                            _opaqueLocals.Add(declared);
                        }
                    }

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
