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
internal sealed class SqlValueSafety : ValueSafetyWalker
{
    public SqlValueSafety(IOperation anyOperationInBody)
        : base(anyOperationInBody)
    {
    }

    /// <summary>Integers, booleans, enums and Guids format to text that cannot change the SQL around them.</summary>
    public static bool CannotCarrySql(ITypeSymbol? type)
    {
        type = WithoutNullable(type);
        if (type is null)
        {
            return false;
        }

        return type.TypeKind == TypeKind.Enum || IsBooleanOrInteger(type.SpecialType)
            || type is { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }

    protected override bool CannotCarry(ITypeSymbol? type) => CannotCarrySql(type);

    protected override bool IsKnownSafe(IOperation value)
        => value is IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } && HasLiteralInitializer(field);

    // Only sb.ToString() reads the builder local; sb.Append(x).ToString() is a value taken as it is.
    protected override IOperation BuilderOf(IOperation toStringReceiver) => Operations.Unwrap(toStringReceiver);

    // Lists and arrays are builders too: string.Join(" AND ", conditions) joins what was added to them.
    protected override bool AddsText(string method) => base.AddsText(method) || method is "Add" or "AddRange" or "Push" or "Enqueue";

    /// <summary>string.Concat/Format/Join and string instance methods (Trim, ToUpper, Replace...) are as safe as their inputs.</summary>
    protected override void VisitStringCall(IInvocationOperation invocation, List<IOperation> offending, int depth)
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
    }

    protected override bool TryVisitCollection(IOperation value, ITypeSymbol? elementType, List<IOperation> offending, int depth)
    {
        if (elementType is null)
        {
            return false;
        }

        // string.Join(" AND ", conditions) over a local list or array filled in this body.
        if (value is ILocalReferenceOperation collection)
        {
            VisitAccumulator(collection.Local, null, offending, depth);
            return true;
        }

        // string.Join(",", names.Select((_, i) => "@p" + i)).
        return TryVisitSelectReturns(value, offending, depth);
    }

    /// <summary>
    /// A StringBuilder, list or array starts with what its creation or initializer holds. One handed to another
    /// method may get additions we cannot see; those are not guessed at, but the visible ones still count.
    /// </summary>
    protected override void VisitBuilderStart(IOperation start, IOperation write, List<IOperation> offending, int depth)
    {
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
}
