using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>
/// BR0015 fix: a comparison with a year or a day becomes the equivalent range on the bare column
/// (<c>YEAR(col) = 2024</c>, <c>x.CreatedAt.Year == y</c>, <c>x.CreatedAt.Date == d</c>, the last guarded by
/// <c>d == d.Date</c> unless d is a date already). Declines everywhere else:
/// case conversions, arithmetic and leading wildcards have no rewrite that keeps the same rows.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnindexablePredicateFixer)), Shared]
public sealed class UnindexablePredicateFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0015.Range";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.UnindexablePredicate);

    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Compare the bare columns with ranges", ApplyAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, model, diagnostic) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Compare the bare column with a range", c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var changes = new List<TextChange>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(root, model, diagnostic) is { } change && !changes.Any(c => c.Span.OverlapsWith(change.Span)))
            {
                changes.Add(change);
            }
        }

        if (changes.Count == 0)
        {
            return document;
        }

        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(changes.OrderBy(c => c.Span.Start)));
    }

    private static TextChange? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        if (diagnostic.Properties.TryGetValue(UnindexablePredicateAnalyzer.SqlReplacementProperty, out var replacement) && replacement is not null)
        {
            return PlanSql(root, diagnostic, replacement);
        }

        if (diagnostic.Properties.TryGetValue(UnindexablePredicateAnalyzer.LinqFixProperty, out var kind) && kind is not null)
        {
            return PlanLinq(root, model, diagnostic, kind);
        }

        return null;
    }

    /// <summary>The comparison sits unescaped in one string literal (the analyzer checked): the range replaces its text.</summary>
    private static TextChange? PlanSql(SyntaxNode root, Diagnostic diagnostic, string replacement)
    {
        var span = diagnostic.AdditionalLocations.Count > 0 ? diagnostic.AdditionalLocations[0].SourceSpan : diagnostic.Location.SourceSpan;
        var token = root.FindToken(span.Start);
        if (!token.Span.Contains(span)
            || !(token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken)
                 || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)))
        {
            return null;
        }

        // An interpolated string would read a brace as a hole; the range has none, and no quote or backslash either.
        if (replacement.IndexOfAny(new[] { '"', '\\', '{', '}', '\n', '\r' }) >= 0)
        {
            return null;
        }

        return new TextChange(span, replacement);
    }

    private static TextChange? PlanLinq(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, string kind)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } comparison
            || comparison.Span != diagnostic.Location.SourceSpan)
        {
            return null;
        }

        var property = kind == nameof(QueryableFixKind.Year) ? "Year" : kind == nameof(QueryableFixKind.Date) ? "Date" : null;
        if (property is null)
        {
            return null;
        }

        MemberAccessExpressionSyntax column;
        ExpressionSyntax value;
        if (Unparenthesize(comparison.Left) is MemberAccessExpressionSyntax left && left.Name.Identifier.ValueText == property)
        {
            (column, value) = (left, comparison.Right);
        }
        else if (Unparenthesize(comparison.Right) is MemberAccessExpressionSyntax right && right.Name.Identifier.ValueText == property)
        {
            (column, value) = (right, comparison.Left);
        }
        else
        {
            return null;
        }

        var receiver = column.Expression.WithoutTrivia().ToString();
        var valueText = value.WithoutTrivia().ToString();
        if (value is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or ThisExpressionSyntax))
        {
            valueText = "(" + valueText + ")";
        }

        string range;
        if (property == "Year")
        {
            var typeName = diagnostic.Properties.TryGetValue(UnindexablePredicateAnalyzer.TypeProperty, out var type) && type is "DateTime" or "DateOnly" ? type! : null;
            if (typeName is null)
            {
                return null;
            }

            typeName = TypeName(model, comparison.SpanStart, typeName);
            var next = value is LiteralExpressionSyntax { Token.Value: int year }
                ? (year + 1).ToString(CultureInfo.InvariantCulture)
                : valueText + " + 1";
            range = $"{receiver} >= new {typeName}({valueText}, 1, 1) && {receiver} < new {typeName}({next}, 1, 1)";
        }
        else
        {
            // x.Date == d never matches when d has a time of day; the range would match that whole day. A value that
            // is a date already (d.Date) needs no guard; any other is compared with its own date first.
            var isDate = value is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Date" };
            range = isDate
                ? $"{receiver} >= {valueText} && {receiver} < {valueText}.AddDays(1)"
                : $"{valueText} == {valueText}.Date && {receiver} >= {valueText} && {receiver} < {valueText}.AddDays(1)";
        }

        var parent = comparison.Parent;
        var bare = parent is LambdaExpressionSyntax or ParenthesizedExpressionSyntax or ArgumentSyntax
            || (parent is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.LogicalAndExpression));
        return new TextChange(comparison.Span, bare ? range : "(" + range + ")");
    }

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary><c>DateTime</c> where <c>using System;</c> is in scope, else <c>System.DateTime</c>.</summary>
    private static string TypeName(SemanticModel model, int position, string name)
    {
        foreach (var symbol in model.LookupNamespacesAndTypes(position, name: name))
        {
            if (symbol is INamedTypeSymbol { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return name;
            }
        }

        return "System." + name;
    }
}
