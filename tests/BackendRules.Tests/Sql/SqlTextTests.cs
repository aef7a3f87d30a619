using System.Linq;
using BackendRules.Sql;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace BackendRules.Tests.Sql;

/// <summary>The SQL text the three SQL rules read: built once per expression, lexed once, and the pre-check that skips it.</summary>
public sealed class SqlTextTests
{
    /// <summary>The operation of each argument passed to <c>Run</c> in the snippet's method.</summary>
    private static IOperation[] Arguments(string body)
    {
        var source = "public static class Queries { static void Run(string sql) { } public static void M(string name, int id) {\n" + body + "\n} }";
        var compilation = CSharpCompilation.Create(
            "Subject",
            new[] { CSharpSyntaxTree.ParseText(source) },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        return tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(call => model.GetOperation(call.ArgumentList.Arguments[0].Expression)!)
            .ToArray();
    }

    [Fact]
    public void The_text_of_an_expression_is_built_once_and_its_tokens_are_the_lexer_s()
    {
        var value = Arguments("""
            var filter = "WHERE Name = '" + name + "'";
            Run("SELECT COUNT(*) FROM Orders " + filter);
            """).Single();

        var first = SqlText.Build(value);
        Assert.Same(first, SqlText.Build(value));
        Assert.Equal(SqlLexer.Lex(first.Text).Select(t => t.ToString()), first.Tokens.Select(t => t.ToString()));
        Assert.Equal(first.Tokens, SqlText.Build(value).Tokens);
        Assert.Same(first.Text, SqlText.Build(value).Text);

        // The pieces written at the site only (locals not followed) are another text, built each time.
        var local = SqlText.Build(value, followLocals: false);
        Assert.NotSame(first, local);
        Assert.DoesNotContain("WHERE", local.Text);
    }

    [Fact]
    public void The_pre_check_for_several_characters_answers_as_one_check_per_character_before_and_after_the_build()
    {
        var values = Arguments("""
            Run("SELECT Id FROM Orders WHERE Id = @id");
            Run("SELECT * FROM Orders WHERE Name LIKE '%" + name + "'");
            Run($"SELECT Id FROM Orders WHERE Total / 2 > {id}");
            Run(string.Format("SELECT Id FROM Orders WHERE Created >= {0}", id));
            var tail = " WHERE LOWER(Name) = @name";
            Run("SELECT Id FROM Customers" + tail);
            """);
        char[][] sets = { new[] { '*' }, new[] { '(', '%', '+', '-', '*', '/', ':' }, new[] { '(' }, new[] { '#', '!' } };
        foreach (var value in values)
        {
            foreach (var set in sets)
            {
                var expected = set.Any(c => SqlText.MayContain(value, c));
                Assert.Equal(expected, SqlText.MayContainAny(value, set));
            }

            // Once built, the built text answers; it never says no where the text holds the character.
            var text = SqlText.Build(value).Text;
            foreach (var set in sets)
            {
                Assert.Equal(text.IndexOfAny(set) >= 0, SqlText.MayContainAny(value, set));
            }
        }
    }
}
