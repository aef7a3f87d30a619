using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;

namespace BackendRules.Sql;

internal enum SqlPredicateProblem
{
    /// <summary>A column wrapped in a function (<c>YEAR(col) = 2024</c>, <c>CAST(col AS date) = @d</c>).</summary>
    Function,

    /// <summary>A column wrapped in a case function (<c>LOWER(email) = @e</c>): fixed by a collation, not a rewrite.</summary>
    CaseFunction,

    /// <summary>A column inside arithmetic (<c>col + 1 = @x</c>).</summary>
    Arithmetic,

    /// <summary>A literal LIKE pattern that starts with a wildcard (<c>LIKE '%son'</c>).</summary>
    LeadingWildcard,
}

/// <summary>One comparison in a WHERE, ON or HAVING clause whose column side cannot use an index.</summary>
internal readonly struct SqlPredicateFinding
{
    public SqlPredicateFinding(SqlPredicateProblem problem, int start, int end, string expression, string? replacement)
    {
        Problem = problem;
        Start = start;
        End = end;
        Expression = expression;
        Replacement = replacement;
    }

    public SqlPredicateProblem Problem { get; }

    /// <summary>Start of the whole comparison in the SQL text.</summary>
    public int Start { get; }

    /// <summary>End (exclusive) of the whole comparison in the SQL text.</summary>
    public int End { get; }

    /// <summary>The column side as written (<c>YEAR(created_at)</c>), or the pattern for a leading wildcard.</summary>
    public string Expression { get; }

    /// <summary>An equivalent range the index can use, when one exists (<c>created_at &gt;= '2024-01-01' AND ...</c>).</summary>
    public string? Replacement { get; }
}

/// <summary>
/// Finds comparisons in WHERE / ON / HAVING clauses where one side is a column wrapped in a function or arithmetic
/// and the other side is a value (no column), and literal LIKE patterns with a leading wildcard. Select lists,
/// ORDER BY and GROUP BY are never read; a comparison between two columns (a join) is never reported.
/// </summary>
internal static class SqlPredicateFinder
{
    private static readonly HashSet<string> ColumnFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "YEAR", "MONTH", "DAY", "DATE", "DATEPART", "DATENAME", "DATEDIFF", "DATE_TRUNC", "DATE_FORMAT", "EXTRACT", "STRFTIME", "JULIANDAY",
        "TO_CHAR", "TO_DATE", "EOMONTH", "CAST", "CONVERT", "TRY_CAST", "TRY_CONVERT", "ISNULL", "IFNULL", "NVL", "COALESCE",
        "TRIM", "LTRIM", "RTRIM", "BTRIM", "SUBSTRING", "SUBSTR", "LEFT", "RIGHT", "LEN", "LENGTH", "CHAR_LENGTH", "REPLACE",
        "ABS", "ROUND", "FLOOR", "CEILING", "CEIL", "CONCAT",
    };

    private static readonly HashSet<string> CaseFunctions = new(StringComparer.OrdinalIgnoreCase) { "LOWER", "UPPER", "LCASE", "UCASE" };

    private static readonly HashSet<string> ClauseEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "GROUP", "ORDER", "LIMIT", "OFFSET", "FETCH", "UNION", "EXCEPT", "INTERSECT", "RETURNING", "WINDOW", "FOR", "OPTION",
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "OUTER", "WHERE", "HAVING", "SELECT", "FROM", "SET", "VALUES",
        "INSERT", "UPDATE", "DELETE", "MERGE", "WHEN", "OUTPUT", "ON", "INTO", "USING",
    };

    private static readonly HashSet<string> Boundaries = new(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "OR", "NOT", "WHERE", "ON", "HAVING", "WHEN", "THEN", "ELSE", "END", "CASE", "EXISTS", "IS", "IN", "BETWEEN", "LIKE", "ILIKE",
        "ESCAPE", "SELECT", "FROM",
    };

    /// <summary>Words that are values, never columns.</summary>
    private static readonly HashSet<string> ValueWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME", "SYSDATE", "SYSTIMESTAMP",
        "CURRENT_USER", "SESSION_USER", "INTERVAL", "DATE", "TIMESTAMP", "TIME",
    };

    /// <summary>Date parts and type names that appear as arguments of DATEPART, EXTRACT, CAST and CONVERT.</summary>
    private static readonly HashSet<string> ArgumentWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "YEAR", "YY", "YYYY", "QUARTER", "QQ", "Q", "MONTH", "MM", "M", "DAYOFYEAR", "DY", "Y", "DAY", "DD", "D", "WEEK", "WK", "WW", "WEEKDAY",
        "DW", "HOUR", "HH", "MINUTE", "MI", "N", "SECOND", "SS", "S", "MILLISECOND", "MS", "DOW", "DOY", "EPOCH", "ISOYEAR", "FROM", "AS",
        "DATE", "DATETIME", "DATETIME2", "SMALLDATETIME", "DATETIMEOFFSET", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "VARCHAR", "NVARCHAR", "CHAR",
        "NCHAR", "TEXT", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "DECIMAL", "NUMERIC", "FLOAT", "REAL", "BIT", "MONEY", "UNIQUEIDENTIFIER",
        "SIGNED", "UNSIGNED", "BOOLEAN", "DOUBLE", "PRECISION", "VARYING", "UUID", "MAX", "LEADING", "TRAILING", "BOTH", "ZONE", "WITH", "WITHOUT",
    };

    public static ImmutableArray<SqlPredicateFinding> Find(string sql, ImmutableArray<SqlToken> all)
    {
        // Comments are dropped: they end no clause and hold no column.
        var tokens = ImmutableArray.CreateBuilder<SqlToken>(all.Length);
        foreach (var token in all)
        {
            if (token.Kind != SqlTokenKind.Comment)
            {
                tokens.Add(token);
            }
        }

        var findings = ImmutableArray.CreateBuilder<SqlPredicateFinding>();
        var clauseOf = new List<int>();

        // inPredicate[d]: a WHERE / ON / HAVING clause is open at parenthesis depth d, starting at clauseStart[d].
        var inPredicate = new List<bool>();
        var clauseStart = new List<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var depth = token.Depth;
            while (inPredicate.Count <= depth + 1)
            {
                inPredicate.Add(false);
                clauseStart.Add(-1);
            }

            if (token.Kind == SqlTokenKind.Punctuation && token.Is(sql, '('))
            {
                // A parenthesized group or a call inside a predicate is still the predicate; a subquery's SELECT closes it.
                inPredicate[depth + 1] = inPredicate[depth];
                clauseStart[depth + 1] = clauseStart[depth];
                continue;
            }

            if (token.Kind == SqlTokenKind.Punctuation && token.Is(sql, ';'))
            {
                inPredicate[depth] = false;
                continue;
            }

            if (token.Kind == SqlTokenKind.Word)
            {
                if (token.IsWord(sql, "WHERE") || token.IsWord(sql, "HAVING") || token.IsWord(sql, "ON"))
                {
                    // ON CONFLICT / ON DUPLICATE KEY / ON DELETE are not join conditions.
                    inPredicate[depth] = !(token.IsWord(sql, "ON") && i + 1 < tokens.Count
                        && (tokens[i + 1].IsWord(sql, "CONFLICT") || tokens[i + 1].IsWord(sql, "DUPLICATE") || tokens[i + 1].IsWord(sql, "DELETE") || tokens[i + 1].IsWord(sql, "UPDATE")));
                    clauseStart[depth] = i;
                    continue;
                }

                if (ClauseEnds.Contains(token.Text(sql)) && !IsFunctionName(tokens, i, sql))
                {
                    inPredicate[depth] = false;
                    continue;
                }
            }

            if (!inPredicate[depth])
            {
                continue;
            }

            var before = findings.Count;
            if (IsComparison(sql, token))
            {
                Compare(sql, tokens, i, findings);
            }
            else if (token.IsWord(sql, "LIKE") && i + 1 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.String)
            {
                var pattern = tokens[i + 1];
                var text = pattern.Text(sql);
                var leftStart = OperandStart(sql, tokens, i);
                var notLike = i > 0 && tokens[i - 1].IsWord(sql, "NOT");
                if (!notLike && text.Length >= 4 && text[1] == '%' && text.IndexOf(SqlText.HoleMarker) < 0 && leftStart < i && HasColumn(sql, tokens, leftStart, i)
                    && NextIsBoundary(sql, tokens, i + 2, depth))
                {
                    findings.Add(new SqlPredicateFinding(SqlPredicateProblem.LeadingWildcard, tokens[leftStart].Start, pattern.End, text, null));
                }
            }

            for (var f = before; f < findings.Count; f++)
            {
                clauseOf.Add(clauseStart[depth]);
            }
        }

        if (findings.Count == 0)
        {
            return findings.ToImmutable();
        }

        // A clause that also compares a key (id, user_id, UserId) with a value is driven by that key's index: a wrapped
        // column next to it filters the few rows found, it does not make the query scan.
        var kept = ImmutableArray.CreateBuilder<SqlPredicateFinding>(findings.Count);
        for (var f = 0; f < findings.Count; f++)
        {
            if (clauseOf[f] < 0 || !ClauseHasKeyEquality(sql, tokens, clauseOf[f]))
            {
                kept.Add(findings[f]);
            }
        }

        return kept.ToImmutable();
    }

    /// <summary>A top-level <c>key = value</c> in the clause whose keyword is at <paramref name="keyword"/>, and no top-level OR.</summary>
    private static bool ClauseHasKeyEquality(string sql, ImmutableArray<SqlToken>.Builder tokens, int keyword)
    {
        var depth = tokens[keyword].Depth;
        var found = false;
        for (var i = keyword + 1; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Depth < depth || (token.Depth == depth && token.Kind == SqlTokenKind.Word && ClauseEnds.Contains(token.Text(sql)) && !IsFunctionName(tokens, i, sql))
                || (token.Depth == depth && token.Is(sql, ';')))
            {
                break;
            }

            if (token.Depth != depth)
            {
                continue;
            }

            if (token.IsWord(sql, "OR"))
            {
                return false;
            }

            if (token.Kind == SqlTokenKind.Operator && token.Text(sql) == "=" && i > 0 && i + 1 < tokens.Count)
            {
                var left = tokens[i - 1];
                var right = tokens[i + 1];
                if (IsKeyName(sql, left) && IsValue(right) && (i + 2 >= tokens.Count || !IsArithmetic(sql, tokens[i + 2])))
                {
                    found = true;
                }
            }
        }

        return found;
    }

    private static bool IsKeyName(string sql, SqlToken token)
    {
        if (token.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
        {
            return false;
        }

        // id, user_id, UserId, userID; not paid or valid.
        var name = token.Text(sql).Trim('"', '[', ']', '`');
        return name.Equals("id", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("_id", StringComparison.OrdinalIgnoreCase)
            || (name.Length > 2 && (name.EndsWith("Id", StringComparison.Ordinal) || name.EndsWith("ID", StringComparison.Ordinal)) && char.IsLower(name[name.Length - 3]));
    }

    private static bool IsValue(SqlToken token) => token.Kind is SqlTokenKind.Parameter or SqlTokenKind.Number or SqlTokenKind.String || (token.Kind == SqlTokenKind.Other);

    private static bool IsArithmetic(string sql, SqlToken token)
        => (token.Kind == SqlTokenKind.Operator && token.Text(sql) is "+" or "-" or "/" or "%" or "||") || token.Is(sql, '*');

    private static bool NextIsBoundary(string sql, ImmutableArray<SqlToken>.Builder tokens, int index, int depth)
        => index >= tokens.Count || tokens[index].Depth < depth
           || (tokens[index].Depth == depth && (tokens[index].Kind != SqlTokenKind.Operator || tokens[index].Text(sql) != "||") && (tokens[index].Kind != SqlTokenKind.Operator || tokens[index].Text(sql) != "+"));

    private static bool IsComparison(string sql, SqlToken token)
    {
        if (token.Kind != SqlTokenKind.Operator)
        {
            return false;
        }

        var text = token.Text(sql);
        return text is "=" or "==" or "<>" or "!=" or "<" or ">" or "<=" or ">=";
    }

    private static void Compare(string sql, ImmutableArray<SqlToken>.Builder tokens, int op, ImmutableArray<SqlPredicateFinding>.Builder findings)
    {
        var leftStart = OperandStart(sql, tokens, op);
        var rightEnd = OperandEnd(sql, tokens, op);
        if (leftStart >= op || rightEnd <= op + 1)
        {
            return;
        }

        var leftColumns = HasColumn(sql, tokens, leftStart, op);
        var rightColumns = HasColumn(sql, tokens, op + 1, rightEnd);
        if (leftColumns == rightColumns)
        {
            // Column against column (a join, a correlated filter) or value against value.
            return;
        }

        var (start, end) = leftColumns ? (leftStart, op) : (op + 1, rightEnd);
        if (Classify(sql, tokens, start, end) is not { } problem)
        {
            return;
        }

        var expression = sql.Substring(tokens[start].Start, tokens[end - 1].End - tokens[start].Start);
        var replacement = tokens[op].Text(sql) == "=" ? YearRange(sql, tokens, start, end, leftColumns ? op + 1 : leftStart, leftColumns ? rightEnd : op) : null;
        if (replacement is not null && leftStart > 0 && tokens[leftStart - 1].IsWord(sql, "NOT"))
        {
            // NOT binds tighter than AND.
            replacement = "(" + replacement + ")";
        }

        findings.Add(new SqlPredicateFinding(problem, tokens[leftStart].Start, tokens[rightEnd - 1].End, expression, replacement));
    }

    /// <summary>What hides the column in tokens [start, end): a function around it, or arithmetic; null when nothing does.</summary>
    private static SqlPredicateProblem? Classify(string sql, ImmutableArray<SqlToken>.Builder tokens, int start, int end)
    {
        var first = tokens[start];
        if (first.Kind == SqlTokenKind.Word && start + 1 < end && tokens[start + 1].Is(sql, '(') && Closes(sql, tokens, start + 1) == end - 1)
        {
            // The whole operand is one call: NAME( ... ).
            var name = first.Text(sql);
            var isCase = CaseFunctions.Contains(name);
            if ((isCase || ColumnFunctions.Contains(name)) && ArgumentHasColumn(sql, tokens, start + 2, end - 1, first.Depth + 1))
            {
                return isCase ? SqlPredicateProblem.CaseFunction : SqlPredicateProblem.Function;
            }

            return null;
        }

        // Arithmetic at the operand's own level: col + 1, price * quantity; a PostgreSQL cast col::date.
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (token.Depth == first.Depth && token.Kind == SqlTokenKind.Operator && token.Text(sql) == "::")
            {
                return SqlPredicateProblem.Function;
            }

            if (token.Depth == first.Depth
                && ((token.Kind == SqlTokenKind.Operator && token.Text(sql) is "+" or "-" or "/" or "%")
                    || (token.Kind == SqlTokenKind.Punctuation && token.Is(sql, '*'))))
            {
                return SqlPredicateProblem.Arithmetic;
            }
        }

        return null;
    }

    /// <summary>Whether the call's arguments (tokens [start, end) at <paramref name="depth"/>) name a column directly.</summary>
    private static bool ArgumentHasColumn(string sql, ImmutableArray<SqlToken>.Builder tokens, int start, int end, int depth)
    {
        var afterAs = false;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (token.Depth != depth)
            {
                continue;
            }

            if (token.IsWord(sql, "SELECT"))
            {
                return false;
            }

            if (token.IsWord(sql, "AS"))
            {
                afterAs = true;
                continue;
            }

            if (!afterAs && IsColumnToken(sql, tokens, i) && !(token.Kind == SqlTokenKind.Word && ArgumentWords.Contains(token.Text(sql))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasColumn(string sql, ImmutableArray<SqlToken>.Builder tokens, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (tokens[i].IsWord(sql, "SELECT"))
            {
                // A subquery: its columns belong to another table.
                return true;
            }

            if (IsColumnToken(sql, tokens, i) && !(tokens[i].Kind == SqlTokenKind.Word && ArgumentWords.Contains(tokens[i].Text(sql)) && tokens[i].Depth > tokens[start].Depth))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsColumnToken(string sql, ImmutableArray<SqlToken>.Builder tokens, int i)
    {
        var token = tokens[i];
        if (token.Kind == SqlTokenKind.QuotedIdentifier)
        {
            return true;
        }

        if (token.Kind != SqlTokenKind.Word || token.Text(sql).StartsWith("@@", StringComparison.Ordinal))
        {
            return false;
        }

        if (IsFunctionName(tokens, i, sql) || ValueWords.Contains(token.Text(sql)) || Boundaries.Contains(token.Text(sql)))
        {
            return false;
        }

        // 'DATE' '2024-01-01' / TIMESTAMP '...' typed literals were caught by ValueWords; x::type casts name a type.
        return !(i > 0 && tokens[i - 1].Kind == SqlTokenKind.Operator && tokens[i - 1].Text(sql) == "::");
    }

    private static bool IsFunctionName(ImmutableArray<SqlToken>.Builder tokens, int i, string sql)
        => i + 1 < tokens.Count && tokens[i + 1].Is(sql, '(') && tokens[i + 1].Start == tokens[i].End;

    /// <summary>The index of the ')' that closes the '(' at <paramref name="open"/>, or -1.</summary>
    private static int Closes(string sql, ImmutableArray<SqlToken>.Builder tokens, int open)
    {
        var depth = tokens[open].Depth;
        for (var i = open + 1; i < tokens.Count; i++)
        {
            if (tokens[i].Depth == depth && tokens[i].Is(sql, ')'))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsBoundary(string sql, SqlToken token, int depth)
        => token.Depth < depth
           || (token.Depth == depth
               && ((token.Kind == SqlTokenKind.Word && (Boundaries.Contains(token.Text(sql)) || ClauseEnds.Contains(token.Text(sql))))
                   || (token.Kind == SqlTokenKind.Punctuation && (token.Is(sql, ',') || token.Is(sql, ';') || token.Is(sql, '(') || token.Is(sql, ')')) && token.Depth < depth)
                   || (token.Kind == SqlTokenKind.Punctuation && (token.Is(sql, ',') || token.Is(sql, ';')))
                   || IsComparison(sql, token)));

    /// <summary>The first token of the operand left of the operator at <paramref name="op"/>.</summary>
    private static int OperandStart(string sql, ImmutableArray<SqlToken>.Builder tokens, int op)
    {
        var depth = tokens[op].Depth;
        var i = op - 1;
        while (i >= 0 && !IsBoundary(sql, tokens[i], depth))
        {
            i--;
        }

        // A word right before '(' at our depth belongs to the call that '(' opens (the loop stopped at nothing else).
        return i + 1;
    }

    /// <summary>The index after the last token of the operand right of the operator at <paramref name="op"/>.</summary>
    private static int OperandEnd(string sql, ImmutableArray<SqlToken>.Builder tokens, int op)
    {
        var depth = tokens[op].Depth;
        var i = op + 1;
        while (i < tokens.Count && !IsBoundary(sql, tokens[i], depth))
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// <c>YEAR(col) = 2024</c> and SQLite's <c>strftime('%Y', col) = '2024'</c>: the same rows as
    /// <c>col &gt;= '2024-01-01' AND col &lt; '2025-01-01'</c>, a range the index on col can seek.
    /// </summary>
    private static string? YearRange(string sql, ImmutableArray<SqlToken>.Builder tokens, int start, int end, int valueStart, int valueEnd)
    {
        if (valueEnd - valueStart != 1)
        {
            return null;
        }

        var value = tokens[valueStart];
        string column;
        if (tokens[start].IsWord(sql, "YEAR") && end - start >= 4 && value.Kind == SqlTokenKind.Number)
        {
            column = Span(sql, tokens, start + 2, end - 1);
        }
        else if (tokens[start].IsWord(sql, "STRFTIME") && end - start >= 6 && tokens[start + 2].Kind == SqlTokenKind.String && tokens[start + 2].Text(sql) == "'%Y'"
                 && tokens[start + 3].Is(sql, ',') && value.Kind == SqlTokenKind.String)
        {
            column = Span(sql, tokens, start + 4, end - 1);
        }
        else
        {
            return null;
        }

        // The column must be a plain (possibly qualified) name: no call, no expression.
        for (var i = start + (tokens[start].IsWord(sql, "YEAR") ? 2 : 4); i < end - 1; i++)
        {
            if (!(tokens[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier || tokens[i].Is(sql, '.')))
            {
                return null;
            }
        }

        var digits = value.Text(sql).Trim('\'');
        if (digits.Length != 4 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1000 || year > 9998)
        {
            return null;
        }

        return $"{column} >= '{year:D4}-01-01' AND {column} < '{year + 1:D4}-01-01'";
    }

    private static string Span(string sql, ImmutableArray<SqlToken>.Builder tokens, int start, int end)
        => sql.Substring(tokens[start].Start, tokens[end - 1].End - tokens[start].Start);
}
