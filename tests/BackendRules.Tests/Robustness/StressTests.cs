using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace BackendRules.Tests.Robustness;

/// <summary>
/// Analyzers must never throw (AD0001) and fixes must never break code: on real files, on every kind of
/// half-typed prefix, on files with a token missing, and on generated extremes.
/// </summary>
public sealed class StressTests
{
    // Sizes that keep the whole class to about a minute on two cores; the long-running variant samples more.
    private const int PrefixRuns = 800;
    private const int DeletionRuns = 500;

    private readonly ITestOutputHelper _output;

    public StressTests(ITestOutputHelper output) => _output = output;

    /// <summary>The repository's own C# (analyzers, fixes, tests with their embedded inputs) and the samples.</summary>
    public static IReadOnlyList<(string Path, string Text)> CorpusFiles { get; } = LoadCorpus();

    private static IReadOnlyList<(string, string)> LoadCorpus()
    {
        var roots = new[] { "samples", "tests", "src" }.Select(r => RepositoryPaths.File(r)).Where(Directory.Exists);
        return roots
            .SelectMany(root => Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            .Where(path => !new[] { "obj", "bin", ".packages" }.Any(folder => path.Contains($"{Path.DirectorySeparatorChar}{folder}{Path.DirectorySeparatorChar}")))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (Path.GetRelativePath(RepositoryPaths.Root, path), File.ReadAllText(path)))
            .ToList();
    }

    /// <summary>C# inputs embedded in the tests as raw string literals (the code the rules are specified on).</summary>
    private static IEnumerable<string> EmbeddedInputs()
    {
        foreach (var (path, text) in CorpusFiles.Where(f => f.Path.StartsWith("tests", StringComparison.Ordinal)))
        {
            var tree = CSharpSyntaxTree.ParseText(text);
            foreach (var token in tree.GetRoot().DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) && token.ValueText.Contains("class ", StringComparison.Ordinal))
                {
                    yield return Complete(StripMarkup(token.ValueText));
                }
            }
        }
    }

    private static readonly (string Name, string Declaration)[] CommonTypes =
    {
        ("User", "public sealed class User { public int Id { get; set; } public string Email { get; set; } = \"\"; }"),
        ("Product", "public sealed class Product { public int Id { get; set; } public string Name { get; set; } = \"\"; public decimal Price { get; set; } }"),
        ("Order", "public sealed class Order { public int Id { get; set; } public decimal Total { get; set; } }"),
        ("OrderSummary", "public sealed class OrderSummary { public int Id { get; set; } public decimal Total { get; set; } }"),
        ("ShopContext", "public sealed class ShopContext : Microsoft.EntityFrameworkCore.DbContext { public Microsoft.EntityFrameworkCore.DbSet<User> Users => Set<User>(); public Microsoft.EntityFrameworkCore.DbSet<Order> Orders => Set<Order>(); }"),
        ("SortColumn", "public enum SortColumn { Name, Email }"),
    };

    /// <summary>Test inputs are often a body that the test prefixes with usings and shared types: add what is missing.</summary>
    private static string Complete(string input)
    {
        if (input.Contains("using ", StringComparison.Ordinal))
        {
            return input;
        }

        var builder = new StringBuilder(SqlConcatenationAnalyzerTestsUsings);
        foreach (var (name, declaration) in CommonTypes)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(input, $@"\b(class|record|enum|struct)\s+{name}\b"))
            {
                builder.AppendLine(declaration);
            }
        }

        return builder.Append(input).ToString();
    }

    private const string SqlConcatenationAnalyzerTestsUsings = "using System; using System.Collections.Generic; using System.ComponentModel.DataAnnotations.Schema; using System.Data; using System.Data.Common; using System.Linq; using System.Text; using System.Threading.Tasks; using Dapper; using Microsoft.Data.Sqlite; using Microsoft.EntityFrameworkCore;\n";

    private static string StripMarkup(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '[' && i + 1 < text.Length && text[i + 1] == '|')
            {
                i++;
                continue;
            }

            if (text[i] == '|' && i + 1 < text.Length && (text[i + 1] == ']' || text[i + 1] == '}'))
            {
                i++;
                continue;
            }

            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '|')
            {
                var colon = text.IndexOf(':', i);
                i = colon < 0 ? i + 1 : colon;
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    /// <summary>A seeded sample keeps the run inside CI's budget while every run covers different files alike.</summary>
    private static List<T> Sample<T>(IEnumerable<T> items, int count, int seed)
    {
        var random = new Random(seed);
        return items.OrderBy(_ => random.Next()).Take(count).ToList();
    }

    private static void AssertNoExceptions(IReadOnlyList<string> exceptions, string context)
        => Assert.True(exceptions.Count == 0, $"{context}:\n{string.Join("\n", exceptions.Take(3))}");

    [Fact]
    public async Task Complete_files_produce_no_analyzer_exception()
    {
        // Each top folder compiles as one project; each embedded input on its own (they reuse type names).
        foreach (var group in CorpusFiles.GroupBy(f => f.Path.Split(Path.DirectorySeparatorChar)[0]))
        {
            var (_, exceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(group.Select(f => f.Text)));
            AssertNoExceptions(exceptions, "folder " + group.Key);
        }

        var embedded = EmbeddedInputs().ToList();
        Assert.True(embedded.Count > 30, "the corpus should hold the tests' embedded inputs");
        foreach (var input in embedded)
        {
            var (_, exceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { input }));
            AssertNoExceptions(exceptions, "complete file");
        }
    }

    [Fact]
    public async Task Every_kind_of_prefix_of_a_file_being_typed_produces_no_analyzer_exception()
    {
        var random = new Random(20261126);
        var candidates = new List<(string Input, int Cut)>();
        foreach (var input in EmbeddedInputs())
        {
            // Line starts, and points inside tokens: strings, interpolations, identifiers.
            candidates.AddRange(SourceText.From(input).Lines.Select(l => (input, l.Start)));
            candidates.AddRange(Enumerable.Range(0, 10).Select(_ => (input, random.Next(input.Length))));
        }

        var runs = 0;
        foreach (var (input, cut) in Sample(candidates, PrefixRuns, 11))
        {
            var (_, exceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { input[..cut] }));
            AssertNoExceptions(exceptions, $"prefix of {cut} characters:\n{input[..cut]}");
            runs++;
        }

        _output.WriteLine($"{runs} of {candidates.Count} prefixes analyzed");
        Assert.Equal(Math.Min(PrefixRuns, candidates.Count), runs);
    }

    [Fact]
    public async Task Deleting_any_single_token_produces_no_analyzer_exception()
    {
        var candidates = EmbeddedInputs()
            .SelectMany(input => CSharpSyntaxTree.ParseText(input).GetRoot().DescendantTokens().Select(token => (input, token)))
            .ToList();
        var runs = 0;
        foreach (var (input, token) in Sample(candidates, DeletionRuns, 7))
        {
            var mutated = input.Remove(token.SpanStart, token.Span.Length);
            var (_, exceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { mutated }));
            AssertNoExceptions(exceptions, $"without '{token.Text}' at {token.SpanStart}:\n{mutated}");
            runs++;
        }

        _output.WriteLine($"{runs} of {candidates.Count} single-token deletions analyzed");
        Assert.Equal(Math.Min(DeletionRuns, candidates.Count), runs);
    }

    public static TheoryData<string, string> Extremes()
    {
        const string Usings = "using System; using System.Collections.Generic; using System.Data; using System.Linq; using Dapper; using Microsoft.Data.Sqlite; using Microsoft.EntityFrameworkCore;\n";
        var data = new TheoryData<string, string>();
        var hugeSql = "SELECT * FROM t WHERE " + string.Join(" OR ", Enumerable.Range(0, 40_000).Select(i => $"c{i} = '{i}*'"));
        data.Add("1 MB SQL literal", Usings + $"static class C {{ static void M(IDbConnection c, string v) {{ c.Query<int>(\"{hugeSql}\"); c.Query<int>(\"{hugeSql}\" + v); }} }}");
        var concat = string.Join(" + ", Enumerable.Range(0, 2000).Select(i => i % 2 == 0 ? $"\"a{i} = '\"" : "v"));
        data.Add("2000-part concatenation", Usings + $"static class C {{ static void M(IDbConnection c, string v) => c.Execute({concat}); }}");
        var nested = "v";
        // The compiler binds each interpolation level more than once, so its own cost grows quickly with depth: 12 levels.
        for (var i = 0; i < 12; i++)
        {
            nested = "$\"SELECT '{" + nested + "}' \"";
        }

        data.Add("nested interpolations", Usings + $"static class C {{ static void M(IDbConnection c, string v) => c.Execute({nested}); }}");
        data.Add("unicode and right-to-left text", Usings + "static class C { static void M(IDbConnection c, string v) { c.Query<int>(\"SELECT * FROM \\\"مستخدمون\\\" WHERE \\u202Ename = '\" + v + \"' -- \u202E*/\"); c.Execute($\"UPDATE 用户 SET 名 = '{v}' WHERE x = '🦀*'\"); } }");
        data.Add("top-level statements", Usings + "var c = new SqliteConnection(\"Data Source=:memory:\"); var v = args[0]; c.Query<int>(\"SELECT * FROM t WHERE a = '\" + v + \"'\"); record R(int Id);");
        data.Add("records, primary constructors, file-scoped namespace, generic and partial types",
            Usings.Replace("using System;", "namespace N;\nusing System;") + "public sealed record Row(int Id, string Name);\npublic partial class Repo<T>(IDbConnection c) where T : class { public IEnumerable<Row> All(string v) => c.Query<Row>($\"SELECT * FROM rows WHERE n = '{v}'\"); }\npublic partial class Repo<T> { public T? One(string v) => c.QueryFirstOrDefault<T>(\"SELECT t.* FROM t WHERE v = '\" + v + \"'\"); }");
        data.Add("error types and missing members", Usings + "static class C { static void M(Missing c, string v) { c.Query<Unknown>(\"SELECT * FROM t\" + v); c.CommandText = $\"SELECT * FROM {v}\"; new SqliteCommand(\"SELECT * FROM t WHERE a = '\" + v, c).Nope(); } }");
        data.Add("local functions, lambdas, ref and out", Usings + "static class C { static void M(IDbConnection c, string v) { string sql = \"SELECT * FROM t\"; void Local() => sql += v; Action a = () => sql = v; Set(out sql); ref var r = ref sql; r = v; c.Query<int>(sql); static void Set(out string s) => s = \"x\"; } }");
        return data;
    }

    [Theory]
    [MemberData(nameof(Extremes))]
    public async Task Generated_extremes_produce_no_analyzer_exception(string name, string source)
    {
        var kind = name == "top-level statements" ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        var (_, exceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { source }, kind: kind));
        AssertNoExceptions(exceptions, name);

        // The same code with none of the libraries referenced: every using is an error and every type is an error type.
        var bare = TestReferences.All.Where(r => r.Display is { } d && !d.Contains("Dapper") && !d.Contains("Sqlite") && !d.Contains("EntityFramework") && !d.Contains("System.Data"));
        var (_, bareExceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { source }, bare, kind));
        AssertNoExceptions(bareExceptions, name + " without references");
    }

    [Fact]
    public async Task Malformed_option_values_fall_back_without_an_exception()
    {
        var keys = new[]
        {
            "backendrules.BR0001.additional_sinks", "backendrules.BR0001.parameter_prefix", "backendrules.BR0002.flag_insert_select",
            "backendrules.BR0003.default_timeout_seconds", "backendrules.BR0003.max_timeout_seconds", "backendrules.BR0006.encoding_methods",
            "backendrules.BR0005.default_page_size", "backendrules.BR0005.max_page_size",
            "backendrules.flag_insert_select", "backendrules.parameter_prefix", "backendrules.default_timeout_seconds", "backendrules.max_timeout_seconds",
            "backendrules.default_page_size", "backendrules.max_page_size",
            "backendrules.encoding_methods",
        };

        // Lists that replace or extend a built-in word list: any non-empty value is a legitimate (if odd) list, so they
        // change what is reported by design. They are checked for exceptions only.
        var replacingLists = new[]
        {
            "backendrules.BR0005.page_parameter_names", "backendrules.page_parameter_names",
            "backendrules.BR0004.verbs", "backendrules.BR0004.additional_verbs", "backendrules.BR0004.allowed_segments",
            "backendrules.verbs", "backendrules.additional_verbs", "backendrules.allowed_segments",
        };
        var values = new[] { "", " ", "-1", "abc", "true false", "M:", "M:(((", "|", ",,,", "#", "\u0000", new string('x', 10_000), "M:Nope.Run(System.String)|sql" };
        var inputs = Sample(EmbeddedInputs(), 3, 5);
        var compilation = AnalyzerHarness.Compile(inputs.Take(1));
        var (baseline, _) = await AnalyzerHarness.RunAsync(compilation);
        foreach (var value in values)
        {
            var options = keys.ToDictionary(k => k, _ => value);
            var withLists = keys.Concat(replacingLists).ToDictionary(k => k, _ => value);
            foreach (var input in inputs)
            {
                var (_, exceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { input }), withLists);
                AssertNoExceptions(exceptions, $"option value '{value}'");
            }

            // Bad values mean defaults: the same diagnostics as with no options at all.
            var (withBadOptions, _) = await AnalyzerHarness.RunAsync(compilation, options);
            Assert.Equal(baseline.Select(d => d.ToString()).OrderBy(x => x), withBadOptions.Select(d => d.ToString()).OrderBy(x => x));
        }
    }

    [Fact]
    public async Task Every_fix_computes_without_exception_and_introduces_no_compiler_error()
    {
        var fixesApplied = 0;
        foreach (var input in EmbeddedInputs())
        {
            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject(ProjectInfo.Create(
                ProjectId.CreateNewId(), VersionStamp.Default, "P", "P", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: AnalyzerHarness.ParseOptions,
                metadataReferences: TestReferences.All));
            var document = workspace.AddDocument(project.Id, "Input.cs", SourceText.From(input));
            var compilation = (await document.Project.GetCompilationAsync())!;
            var errorsBefore = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            var (diagnostics, exceptions) = await AnalyzerHarness.RunAsync(compilation);
            AssertNoExceptions(exceptions, "analysis before fixing");
            foreach (var diagnostic in diagnostics)
            {
                foreach (var fixer in AnalyzerHarness.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    var actions = new List<CodeAction>();
                    await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                    foreach (var action in actions)
                    {
                        var operations = await action.GetOperationsAsync(CancellationToken.None);
                        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
                        var fixedCompilation = (await changed.Project.GetCompilationAsync())!;
                        var errorsAfter = fixedCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                        Assert.True(
                            errorsAfter.Count <= errorsBefore,
                            $"{diagnostic.Id} fix '{action.Title}' introduced errors:\n{string.Join("\n", errorsAfter)}\n{(await changed.GetTextAsync())}");
                        fixesApplied++;
                    }
                }
            }
        }

        _output.WriteLine($"{fixesApplied} fixes applied");
        Assert.True(fixesApplied > 20, $"only {fixesApplied} fixes applied");
    }
}
