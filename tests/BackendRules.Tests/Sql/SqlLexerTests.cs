using System;
using System.Linq;
using BackendRules.Sql;
using Xunit;

namespace BackendRules.Tests.Sql;

public sealed class SqlLexerTests
{
    private static (SqlTokenKind Kind, string Text)[] Lex(string sql)
        => SqlLexer.Lex(sql).Select(t => (t.Kind, t.Text(sql))).ToArray();

    [Fact]
    public void Words_numbers_punctuation_and_parameters()
    {
        var tokens = Lex("SELECT a.b, 1.5e3, @id, :name, $1, ? FROM t;");
        Assert.Equal(
            new[]
            {
                (SqlTokenKind.Word, "SELECT"), (SqlTokenKind.Word, "a"), (SqlTokenKind.Punctuation, "."), (SqlTokenKind.Word, "b"),
                (SqlTokenKind.Punctuation, ","), (SqlTokenKind.Number, "1.5e3"), (SqlTokenKind.Punctuation, ","),
                (SqlTokenKind.Parameter, "@id"), (SqlTokenKind.Punctuation, ","), (SqlTokenKind.Parameter, ":name"),
                (SqlTokenKind.Punctuation, ","), (SqlTokenKind.Parameter, "$1"), (SqlTokenKind.Punctuation, ","),
                (SqlTokenKind.Parameter, "?"), (SqlTokenKind.Word, "FROM"), (SqlTokenKind.Word, "t"), (SqlTokenKind.Punctuation, ";"),
            },
            tokens);
    }

    [Theory]
    [InlineData("'it''s * here'")]
    [InlineData("'unterminated * string")]
    [InlineData("$$ SELECT * $$")]
    [InlineData("$body$ it's * $body$")]
    public void Strings_swallow_stars_and_quotes(string sql)
    {
        var tokens = Lex(sql);
        Assert.Single(tokens);
        Assert.Equal(SqlTokenKind.String, tokens[0].Kind);
        Assert.Equal(sql, tokens[0].Text);
    }

    [Theory]
    [InlineData("\"odd \"\" name\"")]
    [InlineData("[odd ]] name]")]
    [InlineData("`odd `` name`")]
    public void Quoted_identifiers_with_doubled_closing_quotes(string sql)
    {
        var tokens = Lex(sql);
        Assert.Single(tokens);
        Assert.Equal((SqlTokenKind.QuotedIdentifier, sql), tokens[0]);
    }

    [Theory]
    [InlineData("-- SELECT *\nx", "-- SELECT *")]
    [InlineData("/* outer /* nested * */ still comment */x", "/* outer /* nested * */ still comment */")]
    [InlineData("/* unterminated * comment", "/* unterminated * comment")]
    public void Comments_including_nested_block_comments(string sql, string comment)
    {
        var tokens = Lex(sql);
        Assert.Equal((SqlTokenKind.Comment, comment), tokens[0]);
    }

    [Fact]
    public void Casts_and_system_variables_are_not_parameters()
    {
        var tokens = Lex("SELECT x::int, @@ROWCOUNT");
        Assert.DoesNotContain(tokens, t => t.Kind == SqlTokenKind.Parameter);
        Assert.Contains((SqlTokenKind.Operator, "::"), tokens);
    }

    [Fact]
    public void Depth_counts_parentheses_and_never_goes_negative()
    {
        const string Sql = "a (b (c)) ) d";
        var tokens = SqlLexer.Lex(Sql);
        Assert.Equal(new[] { 0, 0, 1, 1, 2, 1, 0, 0, 0 }, tokens.Select(t => t.Depth).ToArray());
    }

    [Fact]
    public void Random_input_never_throws_and_tokens_tile_the_text()
    {
        const string Alphabet = "SELECT*FROM()[]\"'`$@:?-/#.,;0123456789eE \n\tabc_{}\u0001";
        var random = new Random(2026);
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 60)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            var sql = new string(chars);
            var tokens = SqlLexer.Lex(sql);
            var position = 0;
            foreach (var token in tokens)
            {
                Assert.True(token.Length > 0, sql);
                Assert.True(token.Start >= position, sql);
                Assert.True(sql.Substring(position, token.Start - position).All(char.IsWhiteSpace), sql);
                Assert.True(token.Depth >= 0, sql);
                position = token.End;
            }

            Assert.True(position <= sql.Length);
            Assert.True(sql.Substring(position).All(char.IsWhiteSpace), sql);
            _ = SelectStarFinder.Find(sql, tokens);
        }
    }
}
