using System.Collections.Immutable;

namespace BackendRules.Sql;

internal enum SqlTokenKind
{
    Word,
    QuotedIdentifier,
    String,
    Number,
    Parameter,
    Comment,
    Punctuation,
    Operator,
    Other,
}

/// <summary>A token of SQL text: its span in the text and the parenthesis depth it sits at.</summary>
internal readonly struct SqlToken
{
    public SqlToken(SqlTokenKind kind, int start, int length, int depth)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Depth = depth;
    }

    public SqlTokenKind Kind { get; }
    public int Start { get; }
    public int Length { get; }
    public int End => Start + Length;
    public int Depth { get; }

    public string Text(string sql) => sql.Substring(Start, Length);

    public bool Is(string sql, char c) => Length == 1 && sql[Start] == c;

    /// <summary>Case-insensitive keyword test for <see cref="SqlTokenKind.Word"/> tokens.</summary>
    public bool IsWord(string sql, string keyword)
        => Kind == SqlTokenKind.Word && Length == keyword.Length && string.Compare(sql, Start, keyword, 0, Length, System.StringComparison.OrdinalIgnoreCase) == 0;

    public override string ToString() => $"{Kind}@{Start}+{Length} d{Depth}";
}

/// <summary>
/// A dialect-tolerant SQL lexer: comments (line, nested block), strings with doubled quotes, quoted identifiers
/// ("x", [x], `x`), PostgreSQL dollar-quoted strings, parameters (@p, :p, $1, ?), numbers and punctuation.
/// Whitespace is skipped. It never throws: unterminated constructs run to the end of the text.
/// </summary>
internal static class SqlLexer
{
    public static ImmutableArray<SqlToken> Lex(string sql)
    {
        var tokens = ImmutableArray.CreateBuilder<SqlToken>();
        var depth = 0;
        var i = 0;
        var n = sql.Length;
        while (i < n)
        {
            var c = sql[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            SqlTokenKind kind;
            if (c == '-' && Peek(sql, i + 1) == '-')
            {
                i = SkipToLineEnd(sql, i + 2);
                kind = SqlTokenKind.Comment;
            }
            else if (c == '#' && IsLineCommentHash(sql, i))
            {
                i = SkipToLineEnd(sql, i + 1);
                kind = SqlTokenKind.Comment;
            }
            else if (c == '/' && Peek(sql, i + 1) == '*')
            {
                i = SkipBlockComment(sql, i);
                kind = SqlTokenKind.Comment;
            }
            else if (c == '\'')
            {
                i = SkipQuoted(sql, i + 1, '\'');
                kind = SqlTokenKind.String;
            }
            else if (c == '"')
            {
                i = SkipQuoted(sql, i + 1, '"');
                kind = SqlTokenKind.QuotedIdentifier;
            }
            else if (c == '`')
            {
                i = SkipQuoted(sql, i + 1, '`');
                kind = SqlTokenKind.QuotedIdentifier;
            }
            else if (c == '[')
            {
                i = SkipQuoted(sql, i + 1, ']');
                kind = SqlTokenKind.QuotedIdentifier;
            }
            else if (c == '$' && TrySkipDollarQuoted(sql, i, out var afterDollar))
            {
                i = afterDollar;
                kind = SqlTokenKind.String;
            }
            else if (c == '$' && IsDigit(Peek(sql, i + 1)))
            {
                i = SkipWhile(sql, i + 1, IsDigit);
                kind = SqlTokenKind.Parameter;
            }
            else if (c == '@' && Peek(sql, i + 1) == '@')
            {
                // @@ROWCOUNT and other system variables.
                i = SkipWhile(sql, i + 2, IsIdentifierPart);
                kind = SqlTokenKind.Word;
            }
            else if ((c == '@' || c == ':') && IsIdentifierStart(Peek(sql, i + 1)) && !(c == ':' && Peek(sql, i - 1) == ':'))
            {
                // '::type' casts are not parameters.
                i = SkipWhile(sql, i + 1, IsIdentifierPart);
                kind = SqlTokenKind.Parameter;
            }
            else if (c == '?')
            {
                i++;
                kind = SqlTokenKind.Parameter;
            }
            else if (IsDigit(c) || (c == '.' && IsDigit(Peek(sql, i + 1))))
            {
                i = SkipNumber(sql, i);
                kind = SqlTokenKind.Number;
            }
            else if (IsIdentifierStart(c))
            {
                i = SkipWhile(sql, i + 1, IsIdentifierPart);
                kind = SqlTokenKind.Word;
            }
            else if (c == '(' || c == ')' || c == ',' || c == ';' || c == '.' || c == '*')
            {
                i++;
                kind = SqlTokenKind.Punctuation;
            }
            else if (IsOperatorChar(c))
            {
                i = SkipWhile(sql, i + 1, IsOperatorChar);
                kind = SqlTokenKind.Operator;
            }
            else
            {
                i++;
                kind = SqlTokenKind.Other;
            }

            if (kind == SqlTokenKind.Punctuation && c == ')' && depth > 0)
            {
                depth--;
            }

            tokens.Add(new SqlToken(kind, start, i - start, depth));
            if (kind == SqlTokenKind.Punctuation && c == '(')
            {
                depth++;
            }
        }

        return tokens.ToImmutable();
    }

    private static char Peek(string s, int i) => i >= 0 && i < s.Length ? s[i] : '\0';

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    private static bool IsIdentifierPart(char c) => c == '_' || c == '$' || c == '#' || c == '@' || char.IsLetterOrDigit(c);

    private static bool IsOperatorChar(char c) => "+-/<>=!%^&|~:".IndexOf(c) >= 0;

    // MySQL '#' line comments; elsewhere '#' starts temp-table names, which the identifier rule covers.
    private static bool IsLineCommentHash(string s, int i) => !IsIdentifierPart(Peek(s, i + 1)) || Peek(s, i + 1) == ' ';

    private static int SkipWhile(string s, int i, System.Func<char, bool> predicate)
    {
        while (i < s.Length && predicate(s[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipToLineEnd(string s, int i)
    {
        while (i < s.Length && s[i] != '\n' && s[i] != '\r')
        {
            i++;
        }

        return i;
    }

    private static int SkipBlockComment(string s, int i)
    {
        var nesting = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && Peek(s, i + 1) == '*')
            {
                nesting++;
                i += 2;
            }
            else if (s[i] == '*' && Peek(s, i + 1) == '/')
            {
                nesting--;
                i += 2;
                if (nesting == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return i;
    }

    /// <summary>Skips to after the closing quote; a doubled closing quote is an escaped one.</summary>
    private static int SkipQuoted(string s, int i, char close)
    {
        while (i < s.Length)
        {
            if (s[i] == close)
            {
                if (Peek(s, i + 1) == close)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return i;
    }

    private static int SkipNumber(string s, int i)
    {
        i = SkipWhile(s, i, IsDigit);
        if (Peek(s, i) == '.' && IsDigit(Peek(s, i + 1)))
        {
            i = SkipWhile(s, i + 1, IsDigit);
        }
        else if (Peek(s, i) == '.' && !IsIdentifierStart(Peek(s, i + 1)))
        {
            i++;
        }

        if ((Peek(s, i) == 'e' || Peek(s, i) == 'E') && (IsDigit(Peek(s, i + 1)) || ((Peek(s, i + 1) == '+' || Peek(s, i + 1) == '-') && IsDigit(Peek(s, i + 2)))))
        {
            i = SkipWhile(s, i + 2, IsDigit);
        }

        return i;
    }

    /// <summary>PostgreSQL <c>$$...$$</c> and <c>$tag$...$tag$</c>.</summary>
    private static bool TrySkipDollarQuoted(string s, int i, out int end)
    {
        end = i;
        var j = i + 1;
        if (j < s.Length && IsIdentifierStart(s[j]))
        {
            j++;
            while (j < s.Length && (s[j] == '_' || char.IsLetterOrDigit(s[j])))
            {
                j++;
            }
        }

        if (j >= s.Length || s[j] != '$')
        {
            return false;
        }

        var tag = s.Substring(i, j - i + 1);
        var close = s.IndexOf(tag, j + 1, System.StringComparison.Ordinal);
        end = close < 0 ? s.Length : close + tag.Length;
        return true;
    }
}
