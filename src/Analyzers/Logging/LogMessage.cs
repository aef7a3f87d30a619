using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Logging;

/// <summary>How a log message was built from values.</summary>
internal enum LogMessageKind
{
    Interpolation,
    Concatenation,
    Format,
    StringBuilder,

    /// <summary>A local written once, from one of the shapes above.</summary>
    Local,
}

/// <summary>One value baked into a message: the expression and the alignment and format it was written with.</summary>
internal sealed class LogHole
{
    public LogHole(IOperation value, int? alignment, string? format)
    {
        Value = value;
        Alignment = alignment;
        Format = format;
    }

    public IOperation Value { get; }
    public int? Alignment { get; }
    public string? Format { get; }
}

/// <summary>
/// A log message built from values: its kind and, where the text can be rebuilt as a template, its parts in order
/// (a <see cref="string"/> of literal text or a <see cref="LogHole"/>). <see cref="Parts"/> is default when the
/// template cannot be rebuilt (a <c>StringBuilder</c>, a local, a format string that is no constant), and
/// <see cref="Decline"/> then says why.
/// </summary>
internal sealed class LogMessage
{
    private LogMessage(LogMessageKind kind, ImmutableArray<object> parts, string? decline, ILocalSymbol? local = null)
    {
        Kind = kind;
        Parts = parts;
        Decline = decline;
        Local = local;
    }

    public LogMessageKind Kind { get; }
    public ImmutableArray<object> Parts { get; }
    public string? Decline { get; }
    public ILocalSymbol? Local { get; }

    /// <summary>What the message is built with, for the diagnostic: "an interpolated string", "string.Format" ...</summary>
    public string Describe() => Kind switch
    {
        LogMessageKind.Interpolation => "an interpolated string",
        LogMessageKind.Concatenation => "string concatenation",
        LogMessageKind.Format => "string.Format",
        LogMessageKind.StringBuilder => "a StringBuilder",
        _ => "the local '" + Local?.Name + "', built from values",
    };

    /// <summary>
    /// The message shape of a template argument's value, or null when it is not built from values here: a constant,
    /// an interpolation whose holes are constants, a parameter, a field, a call of another kind.
    /// </summary>
    public static LogMessage? Parse(IOperation value)
    {
        value = Operations.Unwrap(value);
        switch (value)
        {
            case IInterpolatedStringOperation interpolation:
                return Interpolation(interpolation);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                return Concatenation(concatenation);
            case IInvocationOperation invocation:
                return Invocation(invocation);
            case ILocalReferenceOperation reference:
                return LocalValue(reference);
            default:
                return null;
        }
    }

    private static LogMessage? Interpolation(IInterpolatedStringOperation interpolation)
    {
        var parts = ImmutableArray.CreateBuilder<object>();
        var values = 0;
        foreach (var part in interpolation.Parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string text } }:
                    parts.Add(text);
                    break;
                case IInterpolationOperation hole:
                    int? alignment = hole.Alignment is { ConstantValue: { HasValue: true, Value: int a } } ? a : null;
                    var format = hole.FormatString?.ConstantValue.Value as string;
                    if (hole.Alignment is null && format is null && Text(hole.Expression) is { } constant)
                    {
                        parts.Add(constant);
                        break;
                    }

                    if (IsValue(hole.Expression))
                    {
                        values++;
                    }

                    parts.Add(new LogHole(hole.Expression, alignment, format));
                    break;
                default:
                    // An interpolated string handler's parts or code being typed: nothing to rebuild.
                    return null;
            }
        }

        return values == 0 ? null : new LogMessage(LogMessageKind.Interpolation, parts.ToImmutable(), null);
    }

    private static LogMessage? Concatenation(IBinaryOperation concatenation)
    {
        if (Operations.IsConstant(concatenation))
        {
            return null;
        }

        var operands = new List<IOperation>();
        Flatten(concatenation, operands);
        var parts = ImmutableArray.CreateBuilder<object>();
        var values = 0;
        foreach (var operand in operands)
        {
            var unwrapped = Operations.Unwrap(operand);
            if (Text(unwrapped) is { } text)
            {
                parts.Add(text);
                continue;
            }

            if (unwrapped is IInterpolatedStringOperation nested)
            {
                // "Order " + $"{id} shipped": the interpolation's parts join the template.
                if (Interpolation(nested) is { Parts: var nestedParts })
                {
                    parts.AddRange(nestedParts);
                    values++;
                    continue;
                }
            }

            if (IsValue(unwrapped))
            {
                values++;
            }

            parts.Add(new LogHole(unwrapped, null, null));
        }

        return values == 0 ? null : new LogMessage(LogMessageKind.Concatenation, parts.ToImmutable(), null);
    }

    private static void Flatten(IOperation operand, List<IOperation> operands)
    {
        var unwrapped = Operations.Unwrap(operand);
        if (unwrapped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String, OperatorMethod: null } add
            && !Operations.IsConstant(add))
        {
            Flatten(add.LeftOperand, operands);
            Flatten(add.RightOperand, operands);
            return;
        }

        operands.Add(operand);
    }

    private static LogMessage? Invocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "ToString" && invocation.Instance?.Type is { Name: "StringBuilder", ContainingNamespace.Name: "Text" })
        {
            return new LogMessage(LogMessageKind.StringBuilder, default, "the text is assembled by a StringBuilder");
        }

        if (method is not { Name: "Format", IsStatic: true, ContainingType.SpecialType: SpecialType.System_String })
        {
            return null;
        }

        var parameters = method.Parameters;
        if (parameters.Length == 0 || parameters[0].Type.SpecialType != SpecialType.System_String)
        {
            return new LogMessage(LogMessageKind.Format, default, "the format takes a format provider");
        }

        IOperation? format = null;
        var arguments = new List<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                format = argument.Value;
            }
            else if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer })
            {
                arguments.AddRange(initializer.ElementValues);
            }
            else if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter?.IsParams != true)
            {
                arguments.Add(argument.Value);
            }
            else
            {
                return new LogMessage(LogMessageKind.Format, default, "the values are passed as an array");
            }
        }

        if (format is null || Operations.Unwrap(format).ConstantValue is not { HasValue: true, Value: string text })
        {
            return new LogMessage(LogMessageKind.Format, default, "the format string is not a constant");
        }

        var parts = ParseFormat(text, arguments);
        return parts.IsDefault
            ? new LogMessage(LogMessageKind.Format, default, "the format uses its values out of order, more than once or not at all")
            : new LogMessage(LogMessageKind.Format, parts, null);
    }

    /// <summary>
    /// A composite format's parts, when it uses each value once and in order (the template's values are positional:
    /// anything else would need values reordered or evaluated twice). Default otherwise, or for a malformed format.
    /// </summary>
    internal static ImmutableArray<object> ParseFormat(string format, IReadOnlyList<IOperation> values)
    {
        var parts = ImmutableArray.CreateBuilder<object>();
        var text = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                {
                    text.Append('}');
                    i++;
                    continue;
                }

                return default;
            }

            if (c != '{')
            {
                text.Append(c);
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '{')
            {
                text.Append('{');
                i++;
                continue;
            }

            var close = format.IndexOf('}', i + 1);
            if (close < 0)
            {
                return default;
            }

            var item = format.Substring(i + 1, close - i - 1);
            var colon = item.IndexOf(':');
            var head = colon < 0 ? item : item.Substring(0, colon);
            var itemFormat = colon < 0 ? null : item.Substring(colon + 1);
            var comma = head.IndexOf(',');
            var indexText = (comma < 0 ? head : head.Substring(0, comma)).Trim();
            int? alignment = null;
            if (comma >= 0)
            {
                if (!int.TryParse(head.Substring(comma + 1).Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var a))
                {
                    return default;
                }

                alignment = a;
            }

            if (!int.TryParse(indexText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                || index != next || index >= values.Count || (itemFormat is not null && itemFormat.IndexOf('{') >= 0))
            {
                return default;
            }

            if (text.Length > 0)
            {
                parts.Add(text.ToString());
                text.Clear();
            }

            parts.Add(new LogHole(Operations.Unwrap(values[index]), alignment, itemFormat));
            next++;
            i = close;
        }

        if (next != values.Count)
        {
            return default;
        }

        if (text.Length > 0)
        {
            parts.Add(text.ToString());
        }

        return parts.ToImmutable();
    }

    private static LogMessage? LocalValue(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        if (local.IsRef || local.IsConst)
        {
            return null;
        }

        // The local's one write is its initializer: any later assignment (a loop, a branch) makes it something else.
        IOperation? initializer = null;
        foreach (var operation in Operations.Root(reference).Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    initializer = declarator.Initializer?.Value;
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    return null;
                case IArgumentOperation { Value: ILocalReferenceOperation passed, Parameter.RefKind: not RefKind.None and not RefKind.In }
                    when SymbolEqualityComparer.Default.Equals(passed.Local, local):
                    return null;
            }
        }

        return initializer is not null && Parse(initializer) is { Kind: not LogMessageKind.Local }
            ? new LogMessage(LogMessageKind.Local, default, "the message is held in a local", local)
            : null;
    }

    /// <summary>The text of a constant string (or char) part, or null.</summary>
    private static string? Text(IOperation operation)
        => Operations.Unwrap(operation) switch
        {
            { ConstantValue: { HasValue: true, Value: string text } } => text,
            { ConstantValue: { HasValue: true, Value: char c } } => c.ToString(),
            { ConstantValue: { HasValue: true, Value: null }, Type.SpecialType: SpecialType.System_String } => string.Empty,
            _ => null,
        };

    /// <summary>
    /// Whether a hole carries a value that varies with the data: not a constant, and not <c>Environment.NewLine</c>
    /// (the same text on every call).
    /// </summary>
    private static bool IsValue(IOperation operation)
    {
        operation = Operations.Unwrap(operation);
        return !operation.ConstantValue.HasValue
            && operation is not IPropertyReferenceOperation { Property: { Name: "NewLine", IsStatic: true, ContainingType.Name: "Environment" } };
    }
}
