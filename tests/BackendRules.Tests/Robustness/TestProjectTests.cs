using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackendRules.Tests.Robustness;

/// <summary>
/// Test projects are not production code: no rule reports there unless the team turns it on, package-wide or per
/// rule. A project counts as a test project when it references xUnit, NUnit, MSTest or TUnit, or when the build says so
/// (IsTestProject) and it is not an ASP.NET Core application. The code is the one every rule fires on in
/// <see cref="GeneratedCodeTests"/>.
/// </summary>
public sealed class TestProjectTests
{
    private static readonly string[] AllRules = { "BR0001", "BR0002", "BR0003", "BR0004", "BR0005", "BR0006", "BR0007", "BR0008", "BR0009", "BR0010", "BR0011", "BR0012", "BR0013", "BR0014", "BR0015" };

    /// <summary>An empty assembly with the given name: all a compilation needs to "reference a test framework".</summary>
    private static MetadataReference FrameworkNamed(string name)
    {
        var compilation = CSharpCompilation.Create(
            name,
            new[] { CSharpSyntaxTree.ParseText("namespace Marker { public sealed class Fact { } }") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        return compilation.ToMetadataReference();
    }

    /// <summary>Every reference but ASP.NET Core's hosting assembly: a library of controllers and endpoints, not a web app.</summary>
    private static IEnumerable<MetadataReference> LibraryReferences()
        => TestReferences.All.Where(r => !string.Equals(System.IO.Path.GetFileName(r.Display), "Microsoft.AspNetCore.dll", System.StringComparison.OrdinalIgnoreCase));

    private static Task<string[]> RuleIdsAsync(IReadOnlyDictionary<string, string> options, params MetadataReference[] extra)
        => RuleIdsAsync(options, LibraryReferences().Concat(extra));

    private static async Task<string[]> RuleIdsAsync(IReadOnlyDictionary<string, string> options, IEnumerable<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(
            "Project",
            new[] { CSharpSyntaxTree.ParseText(GeneratedCodeTests.Usings + GeneratedCodeTests.Code(string.Empty), AnalyzerHarness.ParseOptions, "/src/Repository.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var (diagnostics, exceptions) = await AnalyzerHarness.RunAsync(compilation, options);
        Assert.Empty(exceptions);
        return diagnostics.Select(d => d.Id).Where(id => id.StartsWith("BR", System.StringComparison.Ordinal)).Distinct().OrderBy(id => id, System.StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task A_production_project_is_reported_even_with_the_property_false()
        => Assert.Equal(AllRules, await RuleIdsAsync(new Dictionary<string, string> { ["build_property.IsTestProject"] = "false" }));

    [Fact]
    public async Task A_project_the_build_marks_as_a_test_project_is_not_reported()
        => Assert.Empty(await RuleIdsAsync(new Dictionary<string, string> { ["build_property.IsTestProject"] = "true" }));

    [Fact]
    public void The_references_leave_out_only_the_hosting_assembly()
        => Assert.Equal(TestReferences.All.Count() - 1, LibraryReferences().Count());

    [Fact]
    public async Task A_web_app_that_pulls_in_the_test_sdk_without_a_test_framework_is_still_reported()
        => Assert.Equal(AllRules, await RuleIdsAsync(new Dictionary<string, string> { ["build_property.IsTestProject"] = "true" }, TestReferences.All));

    [Fact]
    public async Task A_web_app_that_references_a_test_framework_is_a_test_project()
        => Assert.Empty(await RuleIdsAsync(new Dictionary<string, string>(), TestReferences.All.Append(FrameworkNamed("xunit.core"))));

    [Theory]
    [InlineData("xunit.core")]
    [InlineData("xunit.v3.core")]
    [InlineData("nunit.framework")]
    [InlineData("Microsoft.VisualStudio.TestPlatform.TestFramework")]
    [InlineData("TUnit.Core")]
    public async Task A_project_that_references_a_test_framework_is_not_reported(string framework)
        => Assert.Empty(await RuleIdsAsync(new Dictionary<string, string>(), FrameworkNamed(framework)));

    [Fact]
    public async Task An_unrelated_reference_does_not_make_a_test_project()
        => Assert.Equal(AllRules, await RuleIdsAsync(new Dictionary<string, string>(), FrameworkNamed("xunit.helpers")));

    [Fact]
    public async Task The_package_wide_option_turns_every_rule_on_in_test_projects()
        => Assert.Equal(AllRules, await RuleIdsAsync(new Dictionary<string, string>
        {
            ["build_property.IsTestProject"] = "true",
            ["backendrules.report_in_test_projects"] = "true",
        }));

    [Fact]
    public async Task The_rule_option_turns_one_rule_on_in_test_projects()
        => Assert.Equal(new[] { "BR0003" }, await RuleIdsAsync(new Dictionary<string, string>
        {
            ["build_property.IsTestProject"] = "true",
            ["backendrules.BR0003.report_in_test_projects"] = "true",
        }));

    [Fact]
    public async Task The_rule_option_wins_over_the_package_wide_one()
        => Assert.Equal(AllRules.Where(id => id != "BR0005").ToArray(), await RuleIdsAsync(new Dictionary<string, string>
        {
            ["build_property.IsTestProject"] = "true",
            ["backendrules.report_in_test_projects"] = "true",
            ["backendrules.BR0005.report_in_test_projects"] = "false",
        }));
}
