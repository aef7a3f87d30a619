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

    /// <summary>
    /// The value passed for the parameter of that name, or null. A loop rather than LINQ: LINQ over an
    /// <see cref="System.Collections.Immutable.ImmutableArray{T}"/> boxes its enumerator, and a lambda that reads the
    /// name allocates a closure, on every call.
    /// </summary>
    public static IOperation? ArgumentValue(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, string parameterName)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == parameterName)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>The value passed for the parameter at that position, or null (see <see cref="ArgumentValue(System.Collections.Immutable.ImmutableArray{IArgumentOperation}, string)"/>).</summary>
    public static IOperation? ArgumentValue(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, int ordinal)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value;
            }
        }

        return null;
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
