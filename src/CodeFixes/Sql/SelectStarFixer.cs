using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
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

/// <summary>BR0002 fix: replaces the star with the row type's columns when that type is known.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SelectStarFixer)), Shared]
public sealed class SelectStarFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0002.ListColumns";

    private static readonly HashSet<string> ReservedWords = new(System.StringComparer.OrdinalIgnoreCase)
    {
        "ADD", "ALL", "ALTER", "AND", "ANY", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "CHECK", "COLUMN", "CONSTRAINT",
        "CREATE", "CROSS", "CURRENT", "DATABASE", "DEFAULT", "DELETE", "DESC", "DISTINCT", "DROP", "ELSE", "END", "EXCEPT",
        "EXISTS", "FETCH", "FOR", "FOREIGN", "FROM", "FULL", "GRANT", "GROUP", "HAVING", "IN", "INDEX", "INNER", "INSERT",
        "INTERSECT", "INTO", "IS", "JOIN", "KEY", "LEFT", "LIKE", "LIMIT", "NOT", "NULL", "OF", "OFFSET", "ON", "OR", "ORDER",
        "OUTER", "PRIMARY", "REFERENCES", "RIGHT", "ROW", "ROWS", "SELECT", "SET", "TABLE", "THEN", "TO", "TOP", "UNION",
        "UNIQUE", "UPDATE", "USER", "USING", "VALUES", "VIEW", "WHEN", "WHERE", "WITH",
    };

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.SelectStar);

    // Not the batch fixer: it keeps only fixes whose equivalence key matches the one of the diagnostic Fix All
    // started from, and `dotnet format` starts from whichever diagnostic it meets first, possibly one whose fix
    // declines (no key at all), which made it fix nothing. Each fix replaces exactly one '*' character, so the
    // edits of one document never overlap and are applied together.
    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("List the columns of the row types", FixAllAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(SelectStarAnalyzer.FixableProperty, out var fixable) || fixable != "true")
            {
                continue;
            }

            var replacement = await ComputeReplacementAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (replacement is null)
            {
                continue;
            }

            var (text, typeName) = replacement.Value;
            var span = StarLocation(diagnostic).SourceSpan;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"List the columns of '{typeName}'",
                    cancellationToken => ApplyAsync(context.Document, span, text, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAllAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var changes = new List<TextChange>();
        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(SelectStarAnalyzer.FixableProperty, out var fixable) || fixable != "true")
            {
                continue;
            }

            var span = StarLocation(diagnostic).SourceSpan;
            if (changes.Any(c => c.Span.IntersectsWith(span)))
            {
                continue;
            }

            var replacement = await ComputeReplacementAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
            if (replacement is not null)
            {
                changes.Add(new TextChange(span, replacement.Value.Text));
            }
        }

        if (changes.Count == 0)
        {
            return document;
        }

        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(changes));
    }

    /// <summary>The star itself: the primary location, or the first additional one when the SQL sits in a local.</summary>
    private static Location StarLocation(Diagnostic diagnostic)
        => diagnostic.AdditionalLocations.Count > 0 ? diagnostic.AdditionalLocations[0] : diagnostic.Location;

    private static async Task<Document> ApplyAsync(Document document, TextSpan span, string replacement, CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(new TextChange(span, replacement)));
    }

    private static async Task<(string Text, string TypeName)?> ComputeReplacementAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var span = StarLocation(diagnostic).SourceSpan;
        var token = root.FindToken(span.Start);
        if (span.Length != 1 || !token.Span.Contains(span) || root.GetText().ToString(span) != "*")
        {
            return null;
        }

        var sinks = SqlSinks.Create(model.Compilation);
        if (sinks is null || !TryFindSink(token, model, sinks, cancellationToken, out var sink) || sink.RowType is null)
        {
            return null;
        }

        ImmutableArray<string> columns;
        var found = sink.Kind == SqlSinkKind.Dapper
            ? RowColumns.TryGetDapperColumns(sink.RowType, out columns)
            : RowColumns.TryGetEfColumns(sink.RowType, model.Compilation, cancellationToken, out columns);
        if (!found)
        {
            return null;
        }

        diagnostic.Properties.TryGetValue(SelectStarAnalyzer.QualifierProperty, out var qualifier);
        diagnostic.Properties.TryGetValue(SelectStarAnalyzer.QuoteProperty, out var quote);
        var list = FormatColumns(columns, qualifier ?? string.Empty, quote ?? string.Empty);
        if (list is null)
        {
            return null;
        }

        // The qualifier ("u.") stays where it is in the source; only the star is replaced, so every column after
        // the first gets the qualifier written out.
        var escaped = Escape(list, token);
        return escaped is null ? null : (escaped, sink.RowType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
    }

    /// <summary>The one sink whose SQL text contains this literal token; none when the literal feeds several.</summary>
    private static bool TryFindSink(SyntaxToken token, SemanticModel model, SqlSinks sinks, CancellationToken cancellationToken, out SqlSink sink)
    {
        sink = default;
        var body = token.Parent?.AncestorsAndSelf().FirstOrDefault(n => n is MemberDeclarationSyntax or CompilationUnitSyntax);
        if (body is null)
        {
            return false;
        }

        var matches = 0;
        foreach (var node in body.DescendantNodes())
        {
            if (node is not (InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or AssignmentExpressionSyntax))
            {
                continue;
            }

            var operation = model.GetOperation(node, cancellationToken);
            if (operation is null || !sinks.TryGetSink(operation, out var candidate))
            {
                continue;
            }

            foreach (var piece in SqlText.Build(candidate.SqlValue).Pieces)
            {
                if (piece.Kind == SqlPieceKind.Literal && piece.Token == token)
                {
                    sink = candidate;
                    matches++;
                    break;
                }
            }
        }

        return matches == 1;
    }

    private static string? FormatColumns(ImmutableArray<string> columns, string qualifier, string quote)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < columns.Length; i++)
        {
            var name = Quote(columns[i], quote);
            if (name is null)
            {
                return null;
            }

            if (i > 0)
            {
                builder.Append(", ").Append(qualifier);
            }

            builder.Append(name);
        }

        return builder.ToString();
    }

    private static string? Quote(string name, string quote)
    {
        switch (quote)
        {
            case "[":
                return name.IndexOf(']') >= 0 ? null : "[" + name + "]";
            case "\"":
            case "`":
                return name.IndexOf(quote[0]) >= 0 ? null : quote + name + quote;
            default:
                return IsPlainIdentifier(name) && !ReservedWords.Contains(name) ? name : null;
        }
    }

    private static bool IsPlainIdentifier(string name)
    {
        if (name.Length == 0 || !(name[0] == '_' || char.IsLetter(name[0])))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c == '_' || char.IsLetterOrDigit(c)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Escapes the column list for the kind of string literal it is written into.</summary>
    private static string? Escape(string value, SyntaxToken token)
    {
        if (token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
        {
            return value.Contains("\"\"\"") ? null : value;
        }

        var verbatim = token.Text.StartsWith("@", System.StringComparison.Ordinal);
        if (token.IsKind(SyntaxKind.InterpolatedStringTextToken))
        {
            if (token.Parent?.Parent is not InterpolatedStringExpressionSyntax interpolated)
            {
                return null;
            }

            var start = interpolated.StringStartToken;
            if (start.IsKind(SyntaxKind.InterpolatedSingleLineRawStringStartToken) || start.IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken))
            {
                return value.Contains("\"\"\"") || value.IndexOf('{') >= 0 || value.IndexOf('}') >= 0 ? null : value;
            }

            verbatim = start.Text.Contains("@");
            value = value.Replace("{", "{{").Replace("}", "}}");
        }
        else if (!token.IsKind(SyntaxKind.StringLiteralToken))
        {
            return null;
        }

        return verbatim ? value.Replace("\"", "\"\"") : value.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }
}
