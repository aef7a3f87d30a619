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
internal sealed class HtmlValueSafety : ValueSafetyWalker
{
    private readonly HtmlSinks _sinks;
    private readonly Func<IInvocationOperation, bool> _isCustomEncoder;

    public HtmlValueSafety(IOperation anyOperationInBody, HtmlSinks sinks, Func<IInvocationOperation, bool> isCustomEncoder)
        : base(anyOperationInBody)
    {
        _sinks = sinks;
        _isCustomEncoder = isCustomEncoder;
    }

    /// <summary>Numbers, booleans, enums, Guids, dates and times print without markup characters.</summary>
    public static bool CannotCarryMarkup(ITypeSymbol? type)
    {
        type = WithoutNullable(type);
        if (type is null)
        {
            return false;
        }

        if (IsBooleanOrInteger(type.SpecialType)
            || type.SpecialType is SpecialType.System_Decimal or SpecialType.System_Single or SpecialType.System_Double
                or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_DateTime
            || type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        return type is INamedTypeSymbol { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } named
            && named.Name is "Guid" or "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly" or "Int128" or "UInt128" or "Half";
    }

    protected override bool CannotCarry(ITypeSymbol? type) => CannotCarryMarkup(type);

    protected override bool IsSafeType(ITypeSymbol? type) => CannotCarryMarkup(type) || IsHtmlContent(type);

    // htmlString.ToString() is its markup, judged where that HtmlString was created.
    protected override bool IsSafeToStringReceiver(ITypeSymbol? type)
        => CannotCarryMarkup(type) || WellKnownTypes.IsOrDerivesFrom(type, _sinks.HtmlString);

    // A format provider shapes numbers and dates; it is not written into the HTML.
    protected override bool IsAppendedText(IArgumentOperation argument) => argument.Parameter?.Type.Name != "IFormatProvider";

    // cond ? "<b>" + name + "</b>" : fallback is HTML built here.
    protected override bool ConditionalsCanBeBuilt => true;

    // A ref, foreach or using local, or one inside a ref or out argument, is a hole of its own.
    protected override bool AliasesAreOpaque => true;

    private bool IsHtmlContent(ITypeSymbol? type) => WellKnownTypes.Implements(type, _sinks.HtmlContent);

    protected override bool IsKnownSafe(IOperation value)
    {
        switch (value)
        {
            case IInvocationOperation invocation:
                return _sinks.Encoders.IsEncoding(invocation) || _isCustomEncoder(invocation);

            case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } when HasLiteralInitializer(field) || IsStringEmpty(field):
                return true;

            // Resource text looked up by a constant name (IStringLocalizer["Welcome"]) is written by the team, like a literal.
            case IPropertyReferenceOperation property when IsResourceText(property) || IsNewLine(property.Property):
                return true;

            // htmlString.Value: the markup of an HtmlString, judged where that HtmlString was created.
            case IPropertyReferenceOperation { Property.Name: "Value", Instance: { } owner } when WellKnownTypes.IsOrDerivesFrom(owner.Type, _sinks.HtmlString):
                return true;

            default:
                return false;
        }
    }

    // a ?? b is one hole: encoding a alone would make it never null, and b would stop showing.
    protected override void VisitCoalesce(ICoalesceOperation coalesce, List<IOperation> offending, int depth)
    {
        var parts = new List<IOperation>();
        Visit(coalesce.Value, parts, depth + 1);
        Visit(coalesce.WhenNull, parts, depth + 1);
        if (parts.Count > 0)
        {
            offending.Add(coalesce);
        }
    }

    protected override void VisitStringCall(IInvocationOperation invocation, List<IOperation> offending, int depth)
    {
        // string instance methods (Trim, ToUpper, Substring...) are as safe as their inputs; when they are not, the
        // whole call is the hole, so encoding happens after it (a Substring of encoded text could cut an entity).
        if (invocation.Instance is not null)
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
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.Name != "IFormatProvider" && argument.Parameter?.Type.SpecialType != SpecialType.System_Char)
            {
                VisitArgumentValue(argument.Value, offending, depth);
            }
        }
    }

    protected override bool TryVisitCollection(IOperation value, ITypeSymbol? elementType, List<IOperation> offending, int depth)
    {
        if (value.Type is IArrayTypeSymbol array && IsSafeType(array.ElementType))
        {
            return true;
        }

        // string.Join("", items.Select(i => $"<li>{HtmlEncoder.Default.Encode(i)}</li>")): what the lambda returns decides.
        return TryVisitSelectReturns(value, offending, depth);
    }

    /// <summary>
    /// A local holding HTML built in this body is looked into; a local only ever assigned plain values is itself the
    /// hole (so the fix encodes it where it enters the HTML, not where it is assigned and maybe used otherwise).
    /// </summary>
    protected override void VisitWrites(ILocalReferenceOperation reference, List<IOperation> writes, List<IOperation> offending, int depth)
    {
        var built = false;
        foreach (var write in writes)
        {
            built |= write is ICompoundAssignmentOperation || IsBuilt(write, 1);
        }

        if (built)
        {
            base.VisitWrites(reference, writes, offending, depth);
            return;
        }

        foreach (var write in writes)
        {
            if (!IsSafe(write))
            {
                offending.Add(reference);
                break;
            }
        }
    }

    /// <summary>A StringBuilder local starts with its creation's text; anything else it is assigned is a hole.</summary>
    protected override void VisitBuilderStart(IOperation start, IOperation write, List<IOperation> offending, int depth)
    {
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
}
