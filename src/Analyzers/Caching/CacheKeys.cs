using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Caching;

/// <summary>
/// The shape of a cache key, to match a write with a removal in the same type: a constant, the constant prefix of an
/// interpolation or concatenation (<c>$"order:{id}"</c> → <c>order:</c>), the method that builds it
/// (<c>GetKey(id)</c>), the field or property it is read from, or a local's initial value. A parameter has no shape:
/// a wrapper's <c>Set(key, value)</c> and <c>Remove(key)</c> say nothing about each other.
/// </summary>
internal static class CacheKeys
{
    /// <summary>A removal whose key has no shape: it matches nothing.</summary>
    public const string Unknown = "?";

    /// <summary><c>Clear</c> or <c>Compact</c>: every entry of the cache.</summary>
    public const string Everything = "*";

    public static IOperation? KeyArgument(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name is "Clear" or "Compact")
        {
            return null;
        }

        return Operations.ArgumentValue(invocation.Arguments, "key");
    }

    public static string? Shape(IOperation? key) => key is null ? Everything : Shape(key, 0);

    private static string? Shape(IOperation key, int depth)
    {
        while (key is IConversionOperation or IParenthesizedOperation)
        {
            key = key is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)key).Operand;
        }

        if (depth > 3)
        {
            return null;
        }

        if (key.ConstantValue is { HasValue: true, Value: { } constant })
        {
            return "c:" + constant;
        }

        switch (key)
        {
            case IInterpolatedStringOperation interpolated:
                return Prefix(interpolated);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                var left = concatenation.LeftOperand;
                while (left is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } inner)
                {
                    left = inner.LeftOperand;
                }

                return Shape(left, depth + 1) is { } shape ? (shape.StartsWith("c:", System.StringComparison.Ordinal) ? "p:" + shape.Substring(2) : shape) : null;
            case IInvocationOperation invocation:
                return "m:" + invocation.TargetMethod.OriginalDefinition.ToDisplayString();
            case IFieldReferenceOperation field:
                return "s:" + field.Field.OriginalDefinition.ToDisplayString();
            case IPropertyReferenceOperation property when property.Instance is not IParameterReferenceOperation:
                return "s:" + property.Property.OriginalDefinition.ToDisplayString();
            case ILocalReferenceOperation local:
                return InitialValue(local) is { } value ? Shape(value, depth + 1) : null;
            default:
                return null;
        }
    }

    private static string? Prefix(IInterpolatedStringOperation interpolated)
    {
        var text = new StringBuilder();
        foreach (var part in interpolated.Parts)
        {
            if (part is IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string literal } })
            {
                text.Append(literal);
            }
            else if (part is IInterpolationOperation { Expression.ConstantValue: { HasValue: true, Value: { } constant } })
            {
                text.Append(constant);
            }
            else
            {
                break;
            }
        }

        return text.Length == 0 ? null : "p:" + text;
    }

    private static IOperation? InitialValue(ILocalReferenceOperation local)
    {
        var root = (IOperation)local;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root.Descendants()
            .OfType<IVariableDeclaratorOperation>()
            .FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local.Local))?.Initializer?.Value;
    }
}
