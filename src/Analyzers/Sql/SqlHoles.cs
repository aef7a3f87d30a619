using System.Collections.Immutable;

namespace BackendRules.Sql;

internal enum HolePosition
{
    /// <summary>Where SQL expects a value: after a comparison, in a VALUES list, as a function argument.</summary>
    Value,

    /// <summary>Inside a quoted SQL string literal (<c>'...{x}...'</c>).</summary>
    InString,

    /// <summary>Where SQL expects a name or keyword: table, column, ORDER BY direction, or a fragment of syntax.</summary>
    Identifier,

    /// <summary>Inside an <c>IN (...)</c> list.</summary>
    InList,

    /// <summary>Inside a SQL comment.</summary>
    Comment,
}

/// <summary>Classifies where a non-constant value (a hole) sits in SQL text.</summary>
internal static class SqlHoles
{
    private static readonly ImmutableHashSet<string> IdentifierKeywords = ImmutableHashSet.Create(
        System.StringComparer.OrdinalIgnoreCase, "FROM", "JOIN", "INTO", "UPDATE", "TABLE", "BY", "SELECT", "DISTINCT", "ASC", "DESC", "AS", "EXEC", "EXECUTE", "CALL");

    private static readonly ImmutableHashSet<string> ValueKeywords = ImmutableHashSet.Create(
        System.StringComparer.OrdinalIgnoreCase, "LIKE", "ILIKE", "IS", "LIMIT", "OFFSET", "TOP", "THEN", "ELSE", "WHEN", "BETWEEN", "RETURN", "FETCH", "ESCAPE");

    private static readonly ImmutableHashSet<string> PredicateKeywords = ImmutableHashSet.Create(
        System.StringComparer.OrdinalIgnoreCase, "WHERE", "AND", "OR", "NOT", "ON", "HAVING", "SET", "CASE");

    /// <summary>The position of the hole at <paramref name="offset"/>; <paramref name="tokenIndex"/> is the token that holds it.</summary>
    public static HolePosition Classify(string sql, ImmutableArray<SqlToken> tokens, int offset, out int tokenIndex)
    {
        tokenIndex = -1;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Start <= offset && offset < tokens[i].End)
            {
                tokenIndex = i;
                break;
            }
        }

        if (tokenIndex < 0)
        {
            return HolePosition.Identifier;
        }

        var token = tokens[tokenIndex];
        switch (token.Kind)
        {
            case SqlTokenKind.String:
                return HolePosition.InString;
            case SqlTokenKind.QuotedIdentifier:
                return HolePosition.Identifier;
            case SqlTokenKind.Comment:
                return HolePosition.Comment;
            case SqlTokenKind.Other:
                break;
            default:
                return HolePosition.Identifier;
        }

        var previous = Previous(tokens, tokenIndex);
        var next = Next(tokens, tokenIndex);

        // Glued to a name: "tbl_{suffix}", "{prefix}_log", "t.{column}".
        if (previous >= 0 && tokens[previous].End == token.Start && tokens[previous].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            return HolePosition.Identifier;
        }

        if (next >= 0 && tokens[next].Start == token.End && tokens[next].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            return HolePosition.Identifier;
        }

        if ((previous >= 0 && tokens[previous].Is(sql, '.')) || (next >= 0 && tokens[next].Is(sql, '.')))
        {
            return HolePosition.Identifier;
        }

        if (previous < 0)
        {
            return HolePosition.Identifier;
        }

        var p = tokens[previous];
        if (p.Kind == SqlTokenKind.Word)
        {
            var word = p.Text(sql);
            if (IdentifierKeywords.Contains(word))
            {
                return HolePosition.Identifier;
            }

            if (ValueKeywords.Contains(word))
            {
                return HolePosition.Value;
            }

            if (PredicateKeywords.Contains(word))
            {
                // "WHERE {column} = 1" names a column; "WHERE {condition}" is a fragment of syntax.
                return next >= 0 && tokens[next].Kind == SqlTokenKind.Operator && !word.Equals("NOT", System.StringComparison.OrdinalIgnoreCase)
                    ? HolePosition.Identifier
                    : word.Equals("NOT", System.StringComparison.OrdinalIgnoreCase) ? HolePosition.Value : HolePosition.Identifier;
            }

            // After a name: "ORDER BY name {direction}".
            return HolePosition.Identifier;
        }

        if (p.Kind == SqlTokenKind.QuotedIdentifier || p.Kind == SqlTokenKind.Number || p.Kind == SqlTokenKind.String || p.Kind == SqlTokenKind.Parameter)
        {
            return HolePosition.Identifier;
        }

        // After ';' a new statement starts: what goes there is SQL syntax, never a value.
        if (p.Is(sql, ';'))
        {
            return HolePosition.Identifier;
        }

        if (p.Is(sql, '(') || p.Is(sql, ','))
        {
            return ClassifyInList(sql, tokens, previous);
        }

        return HolePosition.Value;
    }

    /// <summary>After '(' or ',': what owns the list decides.</summary>
    private static HolePosition ClassifyInList(string sql, ImmutableArray<SqlToken> tokens, int previous)
    {
        var depth = tokens[previous].Is(sql, '(') ? tokens[previous].Depth + 1 : tokens[previous].Depth;
        for (var i = previous; i >= 0; i--)
        {
            var t = tokens[i];
            if (t.Kind == SqlTokenKind.Comment)
            {
                continue;
            }

            if (t.Depth == depth - 1 && t.Is(sql, '('))
            {
                var owner = Previous(tokens, i);
                if (owner < 0)
                {
                    return HolePosition.Value;
                }

                var o = tokens[owner];
                if (o.IsWord(sql, "IN"))
                {
                    return HolePosition.InList;
                }

                if (o.IsWord(sql, "VALUES"))
                {
                    return HolePosition.Value;
                }

                // INSERT INTO t (columns...)
                var beforeOwner = Previous(tokens, owner);
                return beforeOwner >= 0 && tokens[beforeOwner].IsWord(sql, "INTO") ? HolePosition.Identifier : HolePosition.Value;
            }

            if (t.Depth == depth && t.Kind == SqlTokenKind.Word)
            {
                if (t.IsWord(sql, "SELECT") || t.IsWord(sql, "BY"))
                {
                    return HolePosition.Identifier;
                }

                if (PredicateKeywords.Contains(t.Text(sql)) || ValueKeywords.Contains(t.Text(sql)) || t.IsWord(sql, "FROM") || t.IsWord(sql, "VALUES"))
                {
                    return t.IsWord(sql, "FROM") ? HolePosition.Identifier : HolePosition.Value;
                }
            }
        }

        return HolePosition.Value;
    }

    private static int Previous(ImmutableArray<SqlToken> tokens, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (tokens[i].Kind != SqlTokenKind.Comment)
            {
                return i;
            }
        }

        return -1;
    }

    private static int Next(ImmutableArray<SqlToken> tokens, int index)
    {
        for (var i = index + 1; i < tokens.Length; i++)
        {
            if (tokens[i].Kind != SqlTokenKind.Comment)
            {
                return i;
            }
        }

        return -1;
    }
}
