using System.Threading.Tasks;
using BackendRules.PackageTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace BackendRules.PackageTests;

/// <summary>The BackendRulesAnalysisMode property of the packaged build/BackendRules.props, set in the consumer's project file.</summary>
[Collection(PackageCollection.Name)]
public sealed class AnalysisModeTests
{
    private readonly PackageFixture _fixture;
    private readonly ITestOutputHelper _output;

    public AnalysisModeTests(PackageFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task AllErrors_turns_BR0002_into_an_error()
    {
        var consumer = ConsumerProject.Create(_fixture, _output, "mode-allerrors", projectProperties: Mode("AllErrors"));

        var result = await consumer.BuildAsync();

        result.AssertFailed();
        ConsumerProject.Expect(result.Output.Contains("error BR0002"), "Expected 'error BR0002'.", result);
        ConsumerProject.Expect(!result.Output.Contains("BRCFG001"), "A known mode must not raise BRCFG001.", result);
    }

    [Fact]
    public async Task Mode_names_are_case_insensitive_on_every_file_system()
    {
        var consumer = ConsumerProject.Create(_fixture, _output, "mode-lowercase-allerrors", projectProperties: Mode("allerrors"));

        var result = await consumer.BuildAsync();

        result.AssertFailed();
        ConsumerProject.Expect(result.Output.Contains("error BR0002"), "'allerrors' should select the AllErrors preset.", result);
        ConsumerProject.Expect(!result.Output.Contains("BRCFG001"), "A known mode in another case must not raise BRCFG001.", result);
    }

    [Fact]
    public async Task None_silences_BR0002()
    {
        var consumer = ConsumerProject.Create(_fixture, _output, "mode-none", projectProperties: Mode("None"));

        var result = await consumer.BuildAsync();

        result.AssertSucceeded();
        ConsumerProject.Expect(!result.Output.Contains("BR0002"), "Expected no BR0002 in the output.", result);
        ConsumerProject.Expect(!result.Output.Contains("BRCFG001"), "A known mode must not raise BRCFG001.", result);
    }

    [Fact]
    public async Task Unknown_mode_warns_BRCFG001_and_keeps_default_severities()
    {
        var consumer = ConsumerProject.Create(_fixture, _output, "mode-unknown", projectProperties: Mode("Strictest"));

        var result = await consumer.BuildAsync();

        result.AssertSucceeded();
        ConsumerProject.Expect(result.Output.Contains("warning BRCFG001"), "Expected 'warning BRCFG001' for an unknown mode.", result);
        ConsumerProject.Expect(result.Output.Contains("'Strictest'"), "BRCFG001 should name the value it rejected.", result);
        ConsumerProject.Expect(result.Output.Contains("warning BR0002"), "The rules should keep their default severity (warning BR0002).", result);
    }

    [Fact]
    public async Task Team_editorconfig_wins_over_AllErrors()
    {
        var consumer = ConsumerProject.Create(
            _fixture,
            _output,
            "mode-allerrors-editorconfig-suggestion",
            projectProperties: Mode("AllErrors"),
            editorConfig: "dotnet_diagnostic.BR0002.severity = suggestion");

        var result = await consumer.BuildAsync();

        result.AssertSucceeded();
        ConsumerProject.Expect(!result.Output.Contains("error BR0002"), "The .editorconfig severity (suggestion) should override the AllErrors preset.", result);
        ConsumerProject.Expect(!result.Output.Contains("warning BR0002"), "A suggestion is not a warning.", result);
    }

    private static string Mode(string mode) => $"<BackendRulesAnalysisMode>{mode}</BackendRulesAnalysisMode>";
}
