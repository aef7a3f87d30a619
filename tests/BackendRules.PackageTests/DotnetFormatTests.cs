using System.IO;
using System.Threading.Tasks;
using BackendRules.PackageTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace BackendRules.PackageTests;

/// <summary>The packaged BR0002 code fix, applied by <c>dotnet format analyzers</c> as the README shows.</summary>
[Collection(PackageCollection.Name)]
public sealed class DotnetFormatTests
{
    private readonly PackageFixture _fixture;
    private readonly ITestOutputHelper _output;

    public DotnetFormatTests(PackageFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task Dotnet_format_analyzers_replaces_the_star_with_the_row_type_columns()
    {
        var consumer = ConsumerProject.Create(_fixture, _output, "dotnet-format");

        // 'dotnet format' restores the project itself (into this run's packages folder) before loading it.
        var format = await consumer.RunAsync("format", "analyzers", consumer.ProjectPath, "--diagnostics", "BR0002", "--severity", "warn", "-v", "normal");

        format.AssertSucceeded();
        var code = File.ReadAllText(consumer.SourcePath);
        ConsumerProject.Expect(
            code.Contains("c.Query<Product>(\"SELECT Id, Name FROM products\")") && !code.Contains("SELECT *"),
            "Expected Repo.cs to query 'SELECT Id, Name FROM products' after dotnet format; it is now:\n" + code,
            format);
        ConsumerProject.Expect(
            code == ConsumerProject.RepoCode.Replace("SELECT * FROM products", "SELECT Id, Name FROM products"),
            "dotnet format should change only the star; Repo.cs is now:\n" + code,
            format);

        // The fixed code still compiles, and the rule has nothing left to say.
        var build = await consumer.BuildAsync();
        build.AssertSucceeded();
        ConsumerProject.Expect(!build.Output.Contains("BR0002"), "Expected no BR0002 after the fix.", build);
    }
}
