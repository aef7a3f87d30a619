using System.Linq;
using BackendRules.Sql;
using Xunit;

namespace BackendRules.Tests.Sql;

/// <summary>Expected stars are written as <c>{*}</c> in the SQL; the test strips the braces.</summary>
public sealed class SelectStarFinderTests
{
    private static void AssertStars(string markedSql)
    {
        var sql = markedSql.Replace("{*}", "*");
        var expected = Enumerable.Range(0, markedSql.Length)
            .Where(i => string.CompareOrdinal(markedSql, i, "{*}", 0, 3) == 0)
            .Select((position, index) => position - (2 * index) + 0)
            .ToArray();
        var actual = SelectStarFinder.Find(sql).Select(s => s.StarOffset).ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("SELECT {*} FROM users")]
    [InlineData("select distinct {*} from users")]
    [InlineData("SELECT TOP 10 {*} FROM users")]
    [InlineData("SELECT TOP (@n) PERCENT WITH TIES {*} FROM users ORDER BY id")]
    [InlineData("SELECT DISTINCT ON (email) {*} FROM users")]
    [InlineData("SELECT u.{*} FROM users u")]
    [InlineData("SELECT [dbo].[users].{*} FROM [dbo].[users]")]
    [InlineData("SELECT id, u.{*} FROM users u")]
    [InlineData("SELECT {*} FROM a UNION SELECT {*} FROM b")]
    [InlineData("(SELECT {*} FROM a) UNION ALL (SELECT {*} FROM b)")]
    [InlineData("INSERT INTO archive SELECT {*} FROM users")]
    [InlineData("INSERT INTO archive (id, name) SELECT {*} FROM users")]
    [InlineData("SELECT {*} FROM (SELECT {*} FROM users) x")]
    [InlineData("WITH recent AS (SELECT {*} FROM users) SELECT {*} FROM recent")]
    [InlineData("SELECT id FROM t; SELECT {*} FROM u")]
    [InlineData("INSERT INTO archive (id, name) SELECT {*} FROM users u")]
    [InlineData("INSERT INTO archive SELECT {*} FROM read_rows(@from)")]
    [InlineData("INSERT INTO archive (id) SELECT {*} FROM a, expand(@ids)")]
    [InlineData("SELECT {*} FROM expand(@ids)")]
    [InlineData("INSERT INTO archive (id) SELECT {*} FROM users WITH (NOLOCK)")]
    [InlineData("SELECT * INTO copy FROM users; SELECT {*} FROM copy")]
    public void Reports_select_list_stars(string sql) => AssertStars(sql);

    [Theory]
    [InlineData("SELECT COUNT(*) FROM users")]
    [InlineData("SELECT COUNT(*), MAX(id) FROM users")]
    [InlineData("SELECT id FROM users WHERE EXISTS (SELECT * FROM orders)")]
    [InlineData("SELECT id FROM users WHERE NOT EXISTS(SELECT * FROM orders)")]
    [InlineData("SELECT id FROM users WHERE id IN (SELECT * FROM vip)")]
    [InlineData("SELECT id FROM users WHERE score > ALL (SELECT * FROM limits)")]
    [InlineData("SELECT (SELECT * FROM one_value) AS v")]
    [InlineData("SELECT price * quantity FROM lines")]
    [InlineData("SELECT a, b * 2 FROM t WHERE c * 3 > 4 ORDER BY d * 5")]
    [InlineData("SELECT '*' AS star, \"*\" FROM t")]
    [InlineData("SELECT id -- SELECT *\nFROM t /* SELECT * */")]
    [InlineData("SELECT x.id, x.name FROM (SELECT * FROM users) x")]
    [InlineData("WITH a AS (SELECT * FROM users), b AS (SELECT * FROM a) SELECT id FROM b")]
    [InlineData("UPDATE t SET a = a * 2")]
    [InlineData("SELECT $$ SELECT * $$")]
    [InlineData("DELETE FROM t WHERE id IN (SELECT * FROM x)")]
    [InlineData("SELECT * INTO copy FROM users")]
    [InlineData("SELECT TOP 0 * INTO #staging FROM [dbo].[Invoice]")]
    [InlineData("SELECT * INTO #staging FROM (SELECT * FROM invoices) i")]
    [InlineData("INSERT INTO locks (id) SELECT * FROM unnest(@ids)")]
    [InlineData("INSERT INTO \"Locks\"(\"Id\") SELECT * FROM unnest(@ids)")]
    public void Ignores_stars_outside_result_select_lists(string sql) => AssertStars(sql);

    [Fact]
    public void Describes_each_star()
    {
        var stars = SelectStarFinder.Find("SELECT u.*, 1 FROM users u JOIN orders o ON o.uid = u.id");
        var star = Assert.Single(stars);
        Assert.Equal("u.", star.Qualifier);
        Assert.False(star.IsSoleItem);
        Assert.False(star.HasSingleSource);
        Assert.True(star.IsTopLevel);
        Assert.Equal(7, star.ItemOffset);

        var simple = Assert.Single(SelectStarFinder.Find("SELECT * FROM users"));
        Assert.Equal(string.Empty, simple.Qualifier);
        Assert.True(simple.IsSoleItem);
        Assert.True(simple.HasSingleSource);

        var insert = Assert.Single(SelectStarFinder.Find("INSERT INTO a SELECT * FROM b"));
        Assert.True(insert.IsInsertSelect);

        var inner = SelectStarFinder.Find("SELECT * FROM (SELECT * FROM t) x");
        Assert.Equal(new[] { true, false }, inner.Select(s => s.IsTopLevel).ToArray());
    }
}
