using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendRules.Resilience;

/// <summary>
/// Whether a wait's duration is the same on every attempt: a constant, a constant <c>TimeSpan</c>
/// (<c>TimeSpan.FromSeconds(2)</c>, <c>new TimeSpan(0, 0, 2)</c>), a readonly field initialised with one, or a local
/// initialised with one and never written again. Anything else (a parameter, an option, a computed value) may grow,
/// so it is not called constant.
/// </summary>
internal static class Durations
{
    public static bool IsConstant(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        expression = Unwrap(expression);
        if (model.GetConstantValue(expression, cancellationToken).HasValue)
        {
            return true;
        }

        if (IsConstantTimeSpan(expression, e => model.GetConstantValue(e, cancellationToken).HasValue))
        {
            return true;
        }

        if (expression is not (IdentifierNameSyntax or MemberAccessExpressionSyntax))
        {
            return false;
        }

        switch (model.GetSymbolInfo(expression, cancellationToken).Symbol)
        {
            case IFieldSymbol { IsReadOnly: true } field:
                foreach (var reference in field.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } value }
                        && IsConstantSyntax(value))
                    {
                        return true;
                    }
                }

                return false;
            case ILocalSymbol local when !local.IsRef:
                return IsUnchangedLocal(local, model, cancellationToken);
            default:
                return false;
        }
    }

    private static bool IsUnchangedLocal(ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            || !IsConstant(value, model, cancellationToken)
            || declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member)
        {
            return false;
        }

        foreach (var node in member.DescendantNodes())
        {
            var written = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => prefix.Operand,
                PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None } argument => argument.Expression,
                _ => null,
            };
            if (written is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>TimeSpan.FromX(c)</c> or <c>new TimeSpan(c, ...)</c> with every argument constant.</summary>
    private static bool IsConstantTimeSpan(ExpressionSyntax expression, System.Func<ExpressionSyntax, bool> isConstant)
    {
        switch (expression)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var type, Name.Identifier.ValueText: var name } } invocation
                when name.StartsWith("From", System.StringComparison.Ordinal) && IsTimeSpanName(type):
                return AllConstant(invocation.ArgumentList, isConstant);
            case ObjectCreationExpressionSyntax { ArgumentList: { } arguments } creation when IsTimeSpanName(creation.Type):
                return AllConstant(arguments, isConstant);
            default:
                return false;
        }
    }

    private static bool AllConstant(ArgumentListSyntax arguments, System.Func<ExpressionSyntax, bool> isConstant)
    {
        if (arguments.Arguments.Count == 0)
        {
            return false;
        }

        foreach (var argument in arguments.Arguments)
        {
            if (!isConstant(Unwrap(argument.Expression)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTimeSpanName(SyntaxNode type)
        => type switch
        {
            IdentifierNameSyntax { Identifier.ValueText: "TimeSpan" } => true,
            QualifiedNameSyntax { Right.Identifier.ValueText: "TimeSpan" } => true,
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "TimeSpan" } => true,
            _ => false,
        };

    /// <summary>A field initialiser read by its syntax alone (it may sit in another file): literals and constant TimeSpans.</summary>
    private static bool IsConstantSyntax(ExpressionSyntax expression)
    {
        expression = Unwrap(expression);
        return expression switch
        {
            LiteralExpressionSyntax => true,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus => IsConstantSyntax(minus.Operand),
            BinaryExpressionSyntax binary => IsConstantSyntax(binary.Left) && IsConstantSyntax(binary.Right),
            _ => IsConstantTimeSpan(expression, IsConstantSyntax),
        };
    }

    private static ExpressionSyntax Unwrap(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }
}
