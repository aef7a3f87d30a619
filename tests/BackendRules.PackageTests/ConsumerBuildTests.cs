using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using BackendRules.PackageTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace BackendRules.PackageTests;

/// <summary>A consumer that restores the packed package and builds with the real CLI: default severity, help link, and the usual ways to change or suppress it.</summary>
[Collection(PackageCollection.Name)]
public sealed class ConsumerBuildTests
{
    private readonly PackageFixture _fixture;
    private readonly ITestOutputHelper _output;

    public ConsumerBuildTests(PackageFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task Build_reports_BR0002_as_a_warning_with_its_help_link_and_succeeds()
    {
        var consumer = ConsumerProject.Create(_fixture, _output, "default-severity");

        var result = await consumer.BuildAsync();

        result.AssertSucceeded();
        var diagnostic = Assert.Single(ConsumerProject.Diagnostics(result));
        ConsumerProject.Expect(diagnostic is { Id: "BR0002", Severity: "warning" }, "Expected one 'warning BR0002'.", result);
        ConsumerProject.Expect(diagnostic.File.EndsWith("Repo.cs") && diagnostic.Line == ConsumerProject.LineOf(ConsumerProject.RepoCode, "SELECT *"), "BR0002 should point at the query line of Repo.cs.", result);
        ConsumerProject.Expect(
            Regex.IsMatch(result.Output, @"warning BR0002: [^\r\n]*\(https://[^\s()]+/rules\.md#br0002\)"),
            "Expected the help link (…/rules.md#br0002) after the BR0002 message.",
            result);
    }

    [Fact]
    public async Task EditorConfig_severity_error_fails_the_build()
    {
        var consumer = ConsumerProject.Create(_fixture, _output, "editorconfig-error", editorConfig: "dotnet_diagnostic.BR0002.severity = error");

        var result = await consumer.BuildAsync();

        result.AssertFailed();
        ConsumerProject.Expect(result.Output.Contains("error BR0002"), "Expected 'error BR0002'.", result);
        ConsumerProject.Expect(!result.Output.Contains("warning BR0002"), "Expected no 'warning BR0002'.", result);
    }

    [Fact]
    public async Task EditorConfig_severity_none_silences_BR0002()
    {
        var consumer = ConsumerProject.Create(_fixture, _output, "editorconfig-none", editorConfig: "dotnet_diagnostic.BR0002.severity = none");

        var result = await consumer.BuildAsync();

        result.AssertSucceeded();
        ConsumerProject.Expect(!result.Output.Contains("BR0002"), "Expected no BR0002 in the output.", result);
    }

    [Fact]
    public async Task Pragma_warning_disable_silences_only_the_lines_it_covers()
    {
        // The second query proves the analyzer ran in this compilation; only the first one is suppressed.
        const string code =
            """
            using Dapper;
            using System.Data;

            public sealed class Product
            {
                public int Id { get; set; }
                public string Name { get; set; } = "";
            }

            public static class Repo
            {
            #pragma warning disable BR0002
                public static System.Collections.Generic.IEnumerable<Product> All(IDbConnection c) => c.Query<Product>("SELECT * FROM products");
            #pragma warning restore BR0002

                public static System.Collections.Generic.IEnumerable<Product> Archived(IDbConnection c) => c.Query<Product>("SELECT * FROM archived_products");
            }

            """;
        var consumer = ConsumerProject.Create(_fixture, _output, "pragma", code);

        var result = await consumer.BuildAsync();

        result.AssertSucceeded();
        var diagnostics = ConsumerProject.Diagnostics(result);
        ConsumerProject.Expect(
            diagnostics.Count == 1 && diagnostics[0] is { Id: "BR0002", Severity: "warning" } && diagnostics[0].Line == ConsumerProject.LineOf(code, "archived_products"),
            "Expected exactly one BR0002 warning, on the query outside the pragma; got: " + string.Join("; ", diagnostics.Select(d => $"{d.Severity} {d.Id} at line {d.Line}")),
            result);
    }

    [Fact]
    public async Task A_test_project_is_not_reported_until_the_team_asks_for_it()
    {
        // The package makes IsTestProject visible to the rules; a test project's SQL is test data by default.
        var silent = ConsumerProject.Create(_fixture, _output, "test-project", projectProperties: "    <IsTestProject>true</IsTestProject>");
        var opted = ConsumerProject.Create(
            _fixture,
            _output,
            "test-project-opted-in",
            projectProperties: "    <IsTestProject>true</IsTestProject>",
            editorConfig: "backendrules.BR0002.report_in_test_projects = true");

        var silentResult = await silent.BuildAsync();
        var optedResult = await opted.BuildAsync();

        silentResult.AssertSucceeded();
        ConsumerProject.Expect(ConsumerProject.Diagnostics(silentResult).Count == 0, "Expected no BackendRules diagnostic in a test project.", silentResult);
        optedResult.AssertSucceeded();
        ConsumerProject.Expect(
            ConsumerProject.Diagnostics(optedResult).Any(d => d.Id == "BR0002"),
            "Expected BR0002 once report_in_test_projects is set.",
            optedResult);
    }
}
