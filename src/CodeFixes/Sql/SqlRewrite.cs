using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Sql;

/// <summary>One parameter the rewrite introduces: its name (without prefix) and the C# expression of its value.</summary>
internal sealed class SqlParameter
{
    public SqlParameter(string name, ExpressionSyntax value, ITypeSymbol? type, bool mayBeNull)
    {
        Name = name;
        Value = value;
        Type = type;
        MayBeNull = mayBeNull;
    }

    public string Name { get; }
    public ExpressionSyntax Value { get; }
    public ITypeSymbol? Type { get; }
    public bool MayBeNull { get; }
}

/// <summary>A segment of the rewritten SQL: literal text, a kept C# expression (an allow-listed name), or a parameter.</summary>
internal readonly struct SqlSegment
{
    public SqlSegment(string? text, ExpressionSyntax? kept, SqlParameter? parameter)
    {
        Text = text;
        Kept = kept;
        Parameter = parameter;
    }

    public string? Text { get; }
    public ExpressionSyntax? Kept { get; }
    public SqlParameter? Parameter { get; }
}

/// <summary>
/// Rewrites SQL text built from values into text with parameter placeholders. Values in value positions become
/// parameters; a quoted SQL string holding values becomes one parameter whose value is the string's content
/// (<c>'%' + term + '%'</c> → <c>@term</c> = <c>"%" + term + "%"</c>). Allow-listed (safe) names stay as they are.
/// Declines when a value sits where a name, an IN list or a comment is, or when quoting cannot be determined.
/// </summary>
internal static class SqlRewrite
{
    public static bool TryRewrite(IOperation site, SemanticModel model, ISet<string> reservedNames, bool inlineConstants, out ImmutableArray<SqlSegment> segments, out ImmutableArray<SqlParameter> parameters)
    {
        segments = default;
        parameters = default;
        var text = SqlText.Build(site, followLocals: false);
        if (!text.HasHoles)
        {
            return false;
        }

        var sql = text.Text;
        var tokens = SqlLexer.Lex(sql);
        foreach (var token in tokens)
        {
            if (token.Kind == SqlTokenKind.Parameter && token.Length > 1)
            {
                reservedNames.Add(token.Text(sql).Substring(1));
            }
        }

        var safety = new SqlValueSafety(site);

        // Decide, per hole: keep (safe name), parameter (value position), or parameter covering a SQL string token.
        var replacements = new List<(int Start, int End, List<SqlPiece> Holes)>();
        var kept = new HashSet<int>();
        foreach (var piece in text.Pieces)
        {
            if (piece.Kind != SqlPieceKind.Hole || piece.Operation is null)
            {
                continue;
            }

            if (piece.Operation is IInterpolationOperation or IInterpolatedStringAppendOperation)
            {
                // An alignment or format specifier shapes the text; a parameter would not.
                return false;
            }

            var position = SqlHoles.Classify(sql, tokens, piece.Start, out var tokenIndex);
            switch (position)
            {
                case HolePosition.Value:
                    replacements.Add((piece.Start, piece.End, new List<SqlPiece> { piece }));
                    break;
                case HolePosition.InString:
                    var token = tokens[tokenIndex];
                    if (token.Length < 2 || sql[token.Start] != '\'' || sql[token.End - 1] != '\'')
                    {
                        return false;
                    }

                    var start = token.Start;
                    if (tokenIndex > 0 && tokens[tokenIndex - 1].End == start && tokens[tokenIndex - 1].Kind == SqlTokenKind.Word && tokens[tokenIndex - 1].Length == 1)
                    {
                        // N'...', E'...'
                        start = tokens[tokenIndex - 1].Start;
                    }

                    var existing = replacements.FindIndex(r => r.Start == start);
                    if (existing >= 0)
                    {
                        replacements[existing].Holes.Add(piece);
                    }
                    else
                    {
                        replacements.Add((start, token.End, new List<SqlPiece> { piece }));
                    }

                    break;
                default:
                    if (!safety.IsSafe(piece.Operation))
                    {
                        return false;
                    }

                    kept.Add(piece.Start);
                    break;
            }
        }

        var usedNames = new HashSet<string>(reservedNames, System.StringComparer.OrdinalIgnoreCase);
        var parameterList = new List<SqlParameter>();
        var segmentList = new List<SqlSegment>();
        var builder = new StringBuilder();
        var offset = 0;
        foreach (var (start, end, holes) in replacements.OrderBy(r => r.Start))
        {
            if (!AppendText(text, offset, start, builder, segmentList, kept, inlineConstants))
            {
                return false;
            }

            var parameter = CreateParameter(text, sql, start, end, holes, model, usedNames);
            if (parameter is null)
            {
                return false;
            }

            Flush(builder, segmentList);
            segmentList.Add(new SqlSegment(null, null, parameter));
            parameterList.Add(parameter);
            offset = end;
        }

        if (!AppendText(text, offset, sql.Length, builder, segmentList, kept, inlineConstants))
        {
            return false;
        }

        Flush(builder, segmentList);
        segments = segmentList.ToImmutableArray();
        parameters = parameterList.ToImmutableArray();
        return parameters.Length > 0;
    }

    private static void Flush(StringBuilder builder, List<SqlSegment> segments)
    {
        if (builder.Length > 0)
        {
            segments.Add(new SqlSegment(builder.ToString(), null, null));
            builder.Clear();
        }
    }

    /// <summary>Copies text [start, end) into segments; kept holes become kept expressions, constants stay text.</summary>
    private static bool AppendText(SqlText text, int start, int end, StringBuilder builder, List<SqlSegment> segments, HashSet<int> kept, bool inlineConstants)
    {
        for (var i = start; i < end;)
        {
            var piece = text.PieceAt(i);
            if (piece is not { } p)
            {
                return false;
            }

            var stop = System.Math.Min(end, p.End);
            if (p.Kind == SqlPieceKind.Hole)
            {
                if (!kept.Contains(p.Start) || p.Operation?.Syntax is not ExpressionSyntax expression)
                {
                    return false;
                }

                Flush(builder, segments);
                segments.Add(new SqlSegment(null, expression.WithoutTrivia(), null));
            }
            else if (p.Kind == SqlPieceKind.Constant && !inlineConstants && i == p.Start && stop == p.End
                     && p.Operation is { Syntax: ExpressionSyntax constantExpression } operation and not ILiteralOperation)
            {
                // A const field, const local or nameof stays a reference rather than a copy of its value.
                Flush(builder, segments);
                segments.Add(new SqlSegment(null, constantExpression.WithoutTrivia(), null));
            }
            else
            {
                builder.Append(text.Text, i, stop - i);
            }

            i = stop;
        }

        return true;
    }

    private static SqlParameter? CreateParameter(SqlText text, string sql, int start, int end, List<SqlPiece> holes, SemanticModel model, HashSet<string> usedNames)
    {
        ExpressionSyntax value;
        ITypeSymbol? type;
        bool mayBeNull;
        var first = holes[0].Operation!;
        if (holes.Count == 1 && holes[0].Start == start)
        {
            // A bare value: WHERE id = {id}
            value = Parenthesize((ExpressionSyntax)first.Syntax);
            type = first.Type;
            mayBeNull = MayBeNull(first, model);
        }
        else
        {
            // A quoted SQL string: the parameter's value is the string's content, built in C#.
            var quoteStart = sql.IndexOf('\'', start);
            var contentStart = quoteStart + 1;
            var contentEnd = end - 1;
            var parts = new List<ExpressionSyntax>();
            var literal = new StringBuilder();
            for (var i = contentStart; i < contentEnd;)
            {
                var piece = text.PieceAt(i);
                if (piece is not { } p)
                {
                    return null;
                }

                if (p.Kind == SqlPieceKind.Hole)
                {
                    if (literal.Length > 0)
                    {
                        parts.Add(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(literal.ToString())));
                        literal.Clear();
                    }

                    parts.Add(Parenthesize((ExpressionSyntax)p.Operation!.Syntax));
                    i = p.End;
                    continue;
                }

                var stop = System.Math.Min(contentEnd, p.End);
                for (var j = i; j < stop; j++)
                {
                    literal.Append(sql[j]);
                    if (sql[j] == '\'' && j + 1 < stop && sql[j + 1] == '\'')
                    {
                        j++;
                    }
                }

                i = stop;
            }

            if (literal.Length > 0)
            {
                parts.Add(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(literal.ToString())));
            }

            if (parts.Count == 1 && holes.Count == 1 && first.Type?.SpecialType == SpecialType.System_String)
            {
                value = parts[0];
                mayBeNull = MayBeNull(first, model);
            }
            else
            {
                // Make sure the expression is a string concatenation even when the first parts are not strings.
                if (parts[0] is not LiteralExpressionSyntax && parts.All(p => p is not LiteralExpressionSyntax))
                {
                    parts.Insert(0, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(string.Empty)));
                }

                value = parts.Aggregate((left, right) => SyntaxFactory.BinaryExpression(SyntaxKind.AddExpression, left, right)).NormalizeWhitespace();
                mayBeNull = false;
            }

            type = model.Compilation.GetSpecialType(SpecialType.System_String);
        }

        var name = Unique(BaseName(first.Syntax), usedNames);
        return new SqlParameter(name, value, type, mayBeNull);
    }

    private static ExpressionSyntax Parenthesize(ExpressionSyntax expression)
    {
        expression = expression.WithoutTrivia();
        return expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or LiteralExpressionSyntax or ParenthesizedExpressionSyntax
            ? expression
            : SyntaxFactory.ParenthesizedExpression(expression);
    }

    private static bool MayBeNull(IOperation value, SemanticModel model)
    {
        if (value.Type is { IsValueType: true } valueType)
        {
            return valueType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
        }

        var info = model.GetTypeInfo(value.Syntax);
        return info.Nullability.FlowState != NullableFlowState.NotNull;
    }

    /// <summary><c>email</c> from <c>email</c>, <c>user.Email</c> or <c>email.Trim()</c>; <c>p</c> otherwise.</summary>
    private static string BaseName(SyntaxNode syntax)
    {
        var name = syntax switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var receiver } } => BaseName(receiver),
            ParenthesizedExpressionSyntax parenthesized => BaseName(parenthesized.Expression),
            _ => "p",
        };
        if (name.Length == 0 || !SyntaxFacts.IsValidIdentifier(name))
        {
            return "p";
        }

        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private static string Unique(string name, HashSet<string> used)
    {
        var candidate = name == "p" ? "p0" : name;
        for (var i = name == "p" ? 1 : 2; !used.Add(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>A C# expression for the SQL: a string literal, or an interpolated string when names are kept.</summary>
    public static ExpressionSyntax ToStringExpression(ImmutableArray<SqlSegment> segments, string prefix, bool interpolateParameters)
    {
        var multiLine = segments.Any(s => s.Text is { } t && (t.Contains('\n') || t.Contains('\r')));
        var interpolated = interpolateParameters || segments.Any(s => s.Kept is not null);
        var builder = new StringBuilder();
        builder.Append(interpolated ? "$" : string.Empty).Append(multiLine ? "@\"" : "\"");
        foreach (var segment in segments)
        {
            if (segment.Text is { } text)
            {
                builder.Append(Escape(text, multiLine, interpolated));
            }
            else if (segment.Kept is { } kept)
            {
                builder.Append('{').Append(InterpolationText(kept)).Append('}');
            }
            else if (interpolateParameters)
            {
                builder.Append('{').Append(InterpolationText(segment.Parameter!.Value)).Append('}');
            }
            else
            {
                builder.Append(Escape(prefix + segment.Parameter!.Name, multiLine, interpolated));
            }
        }

        builder.Append('"');
        return SyntaxFactory.ParseExpression(builder.ToString());
    }

    private static string InterpolationText(ExpressionSyntax expression)
    {
        var text = expression.WithoutTrivia().ToString();
        return expression is ConditionalExpressionSyntax || text.Contains(':') || text.Contains('"') && text.Contains('\n') ? "(" + text + ")" : text;
    }

    private static string Escape(string text, bool verbatim, bool interpolated)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append(verbatim ? "\"\"" : "\\\"");
                    break;
                case '\\' when !verbatim:
                    builder.Append("\\\\");
                    break;
                case '{' when interpolated:
                    builder.Append("{{");
                    break;
                case '}' when interpolated:
                    builder.Append("}}");
                    break;
                case '\t' when !verbatim:
                    builder.Append("\\t");
                    break;
                case '\0' when !verbatim:
                    builder.Append("\\0");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
