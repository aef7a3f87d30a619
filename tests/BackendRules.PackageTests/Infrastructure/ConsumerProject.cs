using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BackendRules.PackageTests.Infrastructure;

/// <summary>One diagnostic line of MSBuild's console output.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Id, string Text);

/// <summary>
/// A fresh net10.0 class library in its own temporary folder that references the packed BackendRules and Dapper,
/// with a NuGet.config that lists only the run's feed and the local packages folder, so nothing is downloaded.
/// </summary>
public sealed class ConsumerProject
{
    public const string ProjectName = "Consumer";

    /// <summary>The code of the brief: one Dapper query with SELECT * against a two-property row type.</summary>
    public const string RepoCode =
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
            public static System.Collections.Generic.IEnumerable<Product> All(IDbConnection c) => c.Query<Product>("SELECT * FROM products");
        }

        """;

    private static readonly Regex DiagnosticLine = new(
        @"^\s*(?<file>.+?)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\)\s*:\s*(?<severity>warning|error|info)\s+(?<id>[A-Z]+\d+)\s*:\s*(?<text>.*)$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private readonly PackageFixture _fixture;
    private readonly ITestOutputHelper _output;

    private ConsumerProject(PackageFixture fixture, ITestOutputHelper output, string directory)
    {
        _fixture = fixture;
        _output = output;
        Directory = directory;
    }

    public string Directory { get; }

    public string ProjectPath => Path.Combine(Directory, ProjectName + ".csproj");

    public string SourcePath => Path.Combine(Directory, "Repo.cs");

    /// <param name="name">Folder name under the run's consumers folder; unique per test.</param>
    /// <param name="projectProperties">Extra lines inside the project's PropertyGroup.</param>
    /// <param name="editorConfig">Extra lines of the project's .editorconfig (a root file: nothing above it applies).</param>
    public static ConsumerProject Create(
        PackageFixture fixture,
        ITestOutputHelper output,
        string name,
        string code = RepoCode,
        string projectProperties = "",
        string editorConfig = "")
    {
        var directory = Path.Combine(fixture.ConsumersDirectory, name);
        if (System.IO.Directory.Exists(directory))
        {
            throw new InvalidOperationException("Consumer folder already used: " + directory);
        }

        System.IO.Directory.CreateDirectory(directory);
        var consumer = new ConsumerProject(fixture, output, directory);

        File.WriteAllText(Path.Combine(directory, "NuGet.config"),
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="backendrules-test-feed" value="{SecurityElement.Escape(fixture.FeedDirectory)}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
              </fallbackPackageFolders>
              <disabledPackageSources>
                <clear />
              </disabledPackageSources>
            </configuration>
            """);

        // Empty Directory.Build.* and a root .editorconfig: nothing from the folders above the temporary one applies.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n\n[*.cs]\n" + editorConfig + (editorConfig.EndsWith('\n') ? string.Empty : "\n"));

        File.WriteAllText(consumer.ProjectPath,
            $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <!-- Offline: the local sources carry no vulnerability data to audit against. -->
                <NuGetAudit>false</NuGetAudit>
            {projectProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dapper" Version="{fixture.DapperVersion}" />
                <PackageReference Include="{PackageFixture.PackageId}" Version="{fixture.PackageVersion}" />
              </ItemGroup>
            </Project>
            """);

        File.WriteAllText(consumer.SourcePath, code);
        return consumer;
    }

    /// <summary><c>dotnet build</c> (with its implicit restore), no build servers, plain console output.</summary>
    public Task<CommandResult> BuildAsync() =>
        RunAsync("build", ProjectPath, "-nologo", "-tl:off", "-clp:NoSummary", "--disable-build-servers", "-p:UseSharedCompilation=false");

    public async Task<CommandResult> RunAsync(params string[] arguments)
    {
        var result = await DotnetCli.RunAsync(Directory, arguments, _fixture.ConsumerEnvironment).ConfigureAwait(false);
        _output.WriteLine(result.Describe());
        return result;
    }

    /// <summary>The distinct BackendRules diagnostics (BR*, BRCFG*) in a build's output; MSBuild may print each twice.</summary>
    public static IReadOnlyList<BuildDiagnostic> Diagnostics(CommandResult result, string idPrefix = "BR") =>
        DiagnosticLine.Matches(result.Output)
            .Select(match => new BuildDiagnostic(
                match.Groups["file"].Value.Trim(),
                int.Parse(match.Groups["line"].Value),
                int.Parse(match.Groups["column"].Value),
                match.Groups["severity"].Value,
                match.Groups["id"].Value,
                match.Groups["text"].Value.TrimEnd()))
            .Where(diagnostic => diagnostic.Id.StartsWith(idPrefix, StringComparison.Ordinal))
            .Distinct()
            .ToList();

    /// <summary>Fails with the whole output unless the check holds.</summary>
    public static void Expect(bool condition, string what, CommandResult result)
    {
        if (!condition)
        {
            throw new XunitException(what + Environment.NewLine + result.Describe());
        }
    }

    /// <summary>1-based line of the first occurrence of <paramref name="text"/> in <paramref name="code"/>.</summary>
    public static int LineOf(string code, string text)
    {
        var lines = code.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(text, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        throw new ArgumentException($"'{text}' not in the code.");
    }
}
