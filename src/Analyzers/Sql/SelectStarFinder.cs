using System.Collections.Generic;
using System.Collections.Immutable;

namespace BackendRules.Sql;

/// <summary>A <c>*</c> or <c>t.*</c> in a select list whose columns reach the caller.</summary>
internal readonly struct SelectStar
{
    public SelectStar(int starOffset, int itemOffset, string qualifier, bool isSoleItem, bool hasSingleSource, bool isTopLevel, bool isInsertSelect, string? sourceName = null)
    {
        SourceName = sourceName;
        StarOffset = starOffset;
        ItemOffset = itemOffset;
        Qualifier = qualifier;
        IsSoleItem = isSoleItem;
        HasSingleSource = hasSingleSource;
        IsTopLevel = isTopLevel;
        IsInsertSelect = isInsertSelect;
    }

    /// <summary>Offset of the <c>*</c> in the SQL text.</summary>
    public int StarOffset { get; }

    /// <summary>Offset where the select item starts (the qualifier, or the star itself).</summary>
    public int ItemOffset { get; }

    /// <summary>The qualifier including its trailing dot (<c>u.</c>, <c>dbo.Users.</c>), or empty.</summary>
    public string Qualifier { get; }

    /// <summary>The star is the only item of its select list.</summary>
    public bool IsSoleItem { get; }

    /// <summary>The FROM clause names one source (no JOIN, no comma, no APPLY).</summary>
    public bool HasSingleSource { get; }

    /// <summary>The select produces the statement's result (not a derived table or CTE body).</summary>
    public bool IsTopLevel { get; }

    /// <summary>The select feeds an <c>INSERT ... SELECT</c>.</summary>
    public bool IsInsertSelect { get; }

    /// <summary>The last part of the first FROM source's name, unquoted (<c>Orders</c> for <c>[dbo].[Orders] o</c>); null for a derived table or none.</summary>
    public string? SourceName { get; }
}

/// <summary>
/// Finds select-list stars in lexed SQL. Deliberately not reported: <c>COUNT(*)</c> and other function
/// arguments, multiplication, stars in strings or comments, stars under <c>EXISTS</c>/<c>IN</c>/<c>ANY</c>/<c>ALL</c>
/// and scalar subqueries (their columns never reach the caller), and stars in CTE bodies or derived tables whose
/// outer query lists its own columns.
/// </summary>
internal static class SelectStarFinder
{
    private enum Context
    {
        Top,
        Derived,
        Cte,
        Predicate,
        Other,
    }

    private enum Clause
    {
        None,
        SelectList,
        From,
        Rest,
    }

    private sealed class Select
    {
        public Context Context;
        public Select? Outer;
        public bool IsInsert;

        /// <summary>The INSERT this select feeds names its target columns: <c>INSERT INTO t (a, b) SELECT ...</c>.</summary>
        public bool InsertHasColumns;

        /// <summary><c>SELECT ... INTO target</c>: the rows go into a table, none reach the caller.</summary>
        public bool IsSelectInto;

        /// <summary>The first source of the FROM clause is a function call: <c>FROM unnest(@ids)</c>.</summary>
        public bool SourceIsFunction;

        /// <summary>The first FROM source's name (its last dotted part, unquoted), once read; null for a derived table.</summary>
        public string? SourceName;
        public bool SourceStarted;
        public bool SourceExpectsPart;
        public bool SourceNameDone;
        public int ItemCount = 1;
        public bool MultipleSources;
        public readonly List<(int Star, int Item, string Qualifier)> Stars = new();
    }

    private sealed class Frame
    {
        public Context Context;
        public Select? OuterForDerived;
        public Select? Current;
        public Clause Clause;
        public bool SawInsert;
        public bool InsertHasColumns;
        public bool InWith;
        public readonly List<Select> Selects = new();
        public readonly List<Select> PendingCtes = new();

        // Select-list item state.
        public bool ExpectingItem;
        public bool ModifierParen;
        public int ChainStart = -1;
        public bool ChainExpectsName;
    }

    private static readonly HashSet<string> SelectModifiers = new(System.StringComparer.OrdinalIgnoreCase)
    {
        "DISTINCT", "ALL", "TOP", "PERCENT", "WITH", "TIES", "ON", "DISTINCTROW", "SQL_CALC_FOUND_ROWS",
        "STRAIGHT_JOIN", "HIGH_PRIORITY", "SQL_NO_CACHE", "SQL_CACHE", "SQL_SMALL_RESULT", "SQL_BIG_RESULT",
    };

    private static readonly HashSet<string> ClauseAfterList = new(System.StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR", "WINDOW", "QUALIFY", "RETURNING",
    };

    private static readonly HashSet<string> SetOperators = new(System.StringComparer.OrdinalIgnoreCase)
    {
        "UNION", "INTERSECT", "EXCEPT", "MINUS",
    };

    public static ImmutableArray<SelectStar> Find(string sql) => Find(sql, SqlLexer.Lex(sql));

    public static ImmutableArray<SelectStar> Find(string sql, ImmutableArray<SqlToken> tokens)
    {
        var all = new List<Select>();
        var frames = new Stack<Frame>();
        frames.Push(new Frame { Context = Context.Top });
        SqlToken? prev = null;
        SqlToken? prevPrev = null;

        foreach (var token in tokens)
        {
            if (token.Kind == SqlTokenKind.Comment)
            {
                continue;
            }

            var frame = frames.Peek();
            if (token.Is(sql, '('))
            {
                NoteParenthesis(sql, frame, prev);
                HandleInFrame(sql, frame, token, prev, all);
                var child = new Frame { Context = ChildContext(sql, frame, prev, prevPrev) };
                child.OuterForDerived = child.Context switch
                {
                    Context.Derived => frame.Current,
                    Context.Top => frame.OuterForDerived,
                    _ => null,
                };
                if (child.Context == Context.Top)
                {
                    // A parenthesised set-operation operand behaves like its parent.
                    child.Context = frame.Context;
                    child.SawInsert = frame.SawInsert;
                    child.InsertHasColumns = frame.InsertHasColumns;
                }

                frames.Push(child);
            }
            else if (token.Is(sql, ')'))
            {
                if (frames.Count > 1)
                {
                    var closed = frames.Pop();
                    frame = frames.Peek();
                    if (closed.Context == Context.Cte)
                    {
                        frame.PendingCtes.AddRange(closed.Selects);
                    }
                    else if (closed.Context == frame.Context)
                    {
                        frame.Selects.AddRange(closed.Selects);
                    }
                }

                HandleInFrame(sql, frame, token, prev, all);
            }
            else if (token.Is(sql, ';'))
            {
                frames.Clear();
                frames.Push(new Frame { Context = Context.Top });
            }
            else
            {
                HandleInFrame(sql, frame, token, prev, all);
            }

            prevPrev = prev;
            prev = token;
        }

        var result = ImmutableArray.CreateBuilder<SelectStar>();
        foreach (var select in all)
        {
            // INSERT INTO t (a, b) SELECT * FROM fn(@x): the function's result has the shape the column list takes.
            if (select.Stars.Count == 0 || !IsExposed(select, 0) || (select.IsInsert && select.InsertHasColumns && select.SourceIsFunction && !select.MultipleSources))
            {
                continue;
            }

            foreach (var (star, item, qualifier) in select.Stars)
            {
                result.Add(new SelectStar(star, item, qualifier, select.ItemCount == 1, !select.MultipleSources, select.Context == Context.Top, select.IsInsert, select.SourceName));
            }
        }

        return result.ToImmutable();
    }

    private static bool IsExposed(Select select, int guard)
    {
        if (guard > 64)
        {
            return false;
        }

        // SELECT * INTO #copy FROM t returns nothing to the caller (SELECT TOP 0 * INTO clones a shape for a bulk copy).
        if (select.IsSelectInto)
        {
            return false;
        }

        switch (select.Context)
        {
            case Context.Top:
                return true;
            case Context.Derived:
            case Context.Cte:
                return select.Outer is { Stars.Count: > 0 } outer && IsExposed(outer, guard + 1);
            default:
                return false;
        }
    }

    /// <summary>The first source after FROM: a dotted name (its last part is kept) or a derived table (no name).</summary>
    private static void ReadSourceName(string sql, Select select, SqlToken token)
    {
        if (!select.SourceStarted)
        {
            select.SourceStarted = true;
            if (token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                select.SourceName = Unquote(token.Text(sql));
            }
            else
            {
                select.SourceNameDone = true;
            }

            return;
        }

        if (!select.SourceExpectsPart && token.Is(sql, '.'))
        {
            select.SourceExpectsPart = true;
        }
        else if (select.SourceExpectsPart && token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            select.SourceName = Unquote(token.Text(sql));
            select.SourceExpectsPart = false;
        }
        else
        {
            if (token.Is(sql, '('))
            {
                // A function call, not a table.
                select.SourceName = null;
            }

            select.SourceNameDone = true;
        }
    }

    private static string Unquote(string name)
        => name.Length >= 2 && name[0] is '[' or '"' or '`' ? name.Substring(1, name.Length - 2) : name;

    /// <summary>
    /// A parenthesis after a name: the column list of an INSERT's target (before its SELECT), or a function call as
    /// the first source of a FROM clause.
    /// </summary>
    private static void NoteParenthesis(string sql, Frame frame, SqlToken? prev)
    {
        if (prev is not { Kind: SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier } name)
        {
            return;
        }

        if (name.IsWord(sql, "VALUES") || name.IsWord(sql, "AS") || name.IsWord(sql, "WITH") || name.IsWord(sql, "FROM") || name.IsWord(sql, "INDEX"))
        {
            return;
        }

        if (frame.SawInsert && frame.Clause == Clause.None)
        {
            frame.InsertHasColumns = true;
        }
        else if (frame.Clause == Clause.From && frame.Current is { MultipleSources: false } select)
        {
            select.SourceIsFunction = true;
        }
    }

    private static Context ChildContext(string sql, Frame frame, SqlToken? prev, SqlToken? prevPrev)
    {
        if (prev is not { } p || p.Is(sql, '('))
        {
            return Context.Top;
        }

        if (p.IsWord(sql, "EXISTS") || p.IsWord(sql, "IN") || p.IsWord(sql, "ANY") || p.IsWord(sql, "SOME"))
        {
            return Context.Predicate;
        }

        if (p.IsWord(sql, "ALL"))
        {
            return prevPrev is { } pp && IsSetOperator(sql, pp) ? Context.Top : Context.Predicate;
        }

        if (IsSetOperator(sql, p))
        {
            return Context.Top;
        }

        if (p.IsWord(sql, "AS") && frame.InWith)
        {
            return Context.Cte;
        }

        if (p.IsWord(sql, "FROM") || p.IsWord(sql, "JOIN") || p.IsWord(sql, "APPLY") || p.IsWord(sql, "LATERAL")
            || (p.Is(sql, ',') && frame.Clause == Clause.From))
        {
            return Context.Derived;
        }

        return Context.Other;
    }

    private static bool IsSetOperator(string sql, SqlToken token)
        => token.Kind == SqlTokenKind.Word && SetOperators.Contains(token.Text(sql));

    private static void HandleInFrame(string sql, Frame frame, SqlToken token, SqlToken? prev, List<Select> all)
    {
        if (token.Kind == SqlTokenKind.Word)
        {
            var word = token.Text(sql);
            if (word.Equals("SELECT", System.StringComparison.OrdinalIgnoreCase))
            {
                var select = new Select
                {
                    Context = frame.Context,
                    Outer = frame.OuterForDerived,
                    IsInsert = frame.SawInsert,
                    InsertHasColumns = frame.SawInsert && frame.InsertHasColumns,
                };
                foreach (var cte in frame.PendingCtes)
                {
                    cte.Outer = select;
                }

                frame.PendingCtes.Clear();
                frame.InWith = false;
                frame.Selects.Add(select);
                all.Add(select);
                frame.Current = select;
                frame.Clause = Clause.SelectList;
                frame.ExpectingItem = true;
                frame.ChainStart = -1;
                return;
            }

            if (word.Equals("INSERT", System.StringComparison.OrdinalIgnoreCase))
            {
                frame.SawInsert = true;
            }
            else if (word.Equals("WITH", System.StringComparison.OrdinalIgnoreCase) && frame.Clause == Clause.None)
            {
                frame.InWith = true;
                return;
            }

            if (SetOperators.Contains(word))
            {
                frame.Clause = Clause.None;
                return;
            }

            if (frame.Clause != Clause.None && ClauseAfterList.Contains(word))
            {
                frame.Clause = Clause.Rest;
                return;
            }

            if (frame.Clause == Clause.SelectList && (word.Equals("FROM", System.StringComparison.OrdinalIgnoreCase) || word.Equals("INTO", System.StringComparison.OrdinalIgnoreCase)))
            {
                var into = word.Equals("INTO", System.StringComparison.OrdinalIgnoreCase);
                if (into && frame.Current is not null)
                {
                    frame.Current.IsSelectInto = true;
                }

                frame.Clause = into ? Clause.Rest : Clause.From;
                return;
            }

            if (frame.Clause == Clause.Rest && word.Equals("FROM", System.StringComparison.OrdinalIgnoreCase) && frame.Current is not null)
            {
                // SELECT ... INTO target FROM source
                frame.Clause = Clause.From;
                return;
            }

            if (frame.Clause == Clause.From && frame.Current is not null && (word.Equals("JOIN", System.StringComparison.OrdinalIgnoreCase) || word.Equals("APPLY", System.StringComparison.OrdinalIgnoreCase)))
            {
                frame.Current.MultipleSources = true;
                return;
            }
        }

        if (frame.Clause == Clause.From && frame.Current is { SourceNameDone: false } reading)
        {
            ReadSourceName(sql, reading, token);
        }

        if (frame.Clause == Clause.From && frame.Current is not null && token.Is(sql, ','))
        {
            frame.Current.MultipleSources = true;
            return;
        }

        if (frame.Clause == Clause.SelectList && frame.Current is not null)
        {
            HandleSelectListToken(sql, frame, frame.Current, token, prev);
        }
    }

    private static void HandleSelectListToken(string sql, Frame frame, Select select, SqlToken token, SqlToken? prev)
    {
        if (token.Is(sql, ','))
        {
            select.ItemCount++;
            frame.ExpectingItem = true;
            frame.ChainStart = -1;
            return;
        }

        if (frame.ExpectingItem && frame.ChainStart < 0)
        {
            if (token.Is(sql, '*'))
            {
                select.Stars.Add((token.Start, token.Start, string.Empty));
                frame.ExpectingItem = false;
                return;
            }

            if (IsModifier(sql, token, prev, frame))
            {
                return;
            }

            if (token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                frame.ChainStart = token.Start;
                frame.ChainExpectsName = false;
                return;
            }

            frame.ExpectingItem = false;
            return;
        }

        if (frame.ExpectingItem && frame.ChainStart >= 0)
        {
            if (!frame.ChainExpectsName && token.Is(sql, '.'))
            {
                frame.ChainExpectsName = true;
                return;
            }

            if (frame.ChainExpectsName && token.Is(sql, '*'))
            {
                select.Stars.Add((token.Start, frame.ChainStart, sql.Substring(frame.ChainStart, token.Start - frame.ChainStart)));
                frame.ExpectingItem = false;
                frame.ChainStart = -1;
                return;
            }

            if (frame.ChainExpectsName && token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                frame.ChainExpectsName = false;
                return;
            }

            frame.ExpectingItem = false;
            frame.ChainStart = -1;
        }
    }

    /// <summary>DISTINCT, ALL, TOP n, TOP (n) PERCENT WITH TIES, DISTINCT ON (...) and MySQL hints before the first item.</summary>
    private static bool IsModifier(string sql, SqlToken token, SqlToken? prev, Frame frame)
    {
        if (frame.Current is not { ItemCount: 1 })
        {
            return false;
        }

        if (token.Kind == SqlTokenKind.Word && SelectModifiers.Contains(token.Text(sql)))
        {
            return true;
        }

        if (prev is { } p && (p.IsWord(sql, "TOP") || p.IsWord(sql, "ON")))
        {
            if (token.Is(sql, '('))
            {
                frame.ModifierParen = true;
                return true;
            }

            if (token.Kind is SqlTokenKind.Number or SqlTokenKind.Parameter)
            {
                return true;
            }
        }

        if (frame.ModifierParen && token.Is(sql, ')'))
        {
            frame.ModifierParen = false;
            return true;
        }

        return false;
    }
}
