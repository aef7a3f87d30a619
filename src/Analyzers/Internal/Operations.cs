using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Internal;

/// <summary>Small operation-tree helpers shared by every rule.</summary>
internal static class Operations
{
    /// <summary>The value under implicit conversions and parentheses.</summary>
    public static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary>
    /// Whether the operation has a constant value, without reading it: the folded value of a string concatenation is
    /// assembled anew on every read of <see cref="IOperation.ConstantValue"/>, and SQL and HTML are often long
    /// concatenations of literals. A concatenation is constant when both of its operands are (C# constant expressions).
    /// </summary>
    public static bool IsConstant(IOperation operation)
    {
        while (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation)
        {
            if (!IsConstant(concatenation.LeftOperand))
            {
                return false;
            }

            operation = concatenation.RightOperand;
        }

        return operation.ConstantValue.HasValue;
    }

    /// <summary>The root of the operation tree this operation belongs to (the body being analyzed).</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }
}
