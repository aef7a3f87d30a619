using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using BackendRules.PackageTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace BackendRules.PackageTests;

/// <summary>What the packed .nupkg holds: analyzer assemblies only, no lib/, no dependencies, the MSBuild glue and configs.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests
{
    private static readonly string[] Presets = { "None", "AllWarnings", "AllErrors" };

    private readonly PackageFixture _fixture;

    public PackageLayoutTests(PackageFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        output.WriteLine(fixture.PackResult.Describe());
    }

    [Fact]
    public void Feed_holds_exactly_the_one_package_of_this_run()
    {
        var packages = Directory.GetFiles(_fixture.FeedDirectory, "*.nupkg").Select(Path.GetFileName).ToArray();
        Assert.Equal(new[] { $"BackendRules.{_fixture.PackageVersion}.nupkg" }, packages);
    }

    [Fact]
    public void Package_layout_is_an_analyzer_only_development_dependency()
    {
        using var archive = ZipFile.OpenRead(_fixture.PackagePath);
        var entries = archive.Entries.Select(entry => entry.FullName.Replace('\\', '/')).ToList();
        var listing = string.Join(Environment.NewLine, entries);

        // Analyzer and code-fix assemblies in the C# analyzer folder, and nothing else there (Roslyn comes from the host).
        var analyzerFiles = entries.Where(entry => entry.StartsWith("analyzers/", StringComparison.OrdinalIgnoreCase)).OrderBy(entry => entry, StringComparer.Ordinal).ToArray();
        Assert.True(
            analyzerFiles.SequenceEqual(new[] { "analyzers/dotnet/cs/BackendRules.Analyzers.dll", "analyzers/dotnet/cs/BackendRules.CodeFixes.dll" }),
            "analyzers/ should hold exactly the two BackendRules assemblies:" + Environment.NewLine + listing);

        // Nothing a consumer would compile against or copy to its output.
        Assert.DoesNotContain(entries, entry => entry.StartsWith("lib/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, entry => entry.StartsWith("ref/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, entry => entry.StartsWith("runtimes/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, entry => entry.StartsWith("contentFiles/", StringComparison.OrdinalIgnoreCase));

        // MSBuild glue for direct and transitive references, and the three presets it points at.
        Assert.Contains("build/BackendRules.props", entries);
        Assert.Contains("buildTransitive/BackendRules.props", entries);
        foreach (var preset in Presets)
        {
            Assert.Contains($"config/BackendRules.{preset}.globalconfig", entries);
        }

        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void Packaged_msbuild_files_are_the_repository_files()
    {
        using var archive = ZipFile.OpenRead(_fixture.PackagePath);
        var packageDirectory = Path.Combine(_fixture.RepositoryRoot, "src", "Package");

        Assert.Equal(ReadSource("build/BackendRules.props"), ReadEntry(archive, "build/BackendRules.props"));
        Assert.Equal(ReadSource("build/BackendRules.props"), ReadEntry(archive, "buildTransitive/BackendRules.props"));
        foreach (var preset in Presets)
        {
            var path = $"config/BackendRules.{preset}.globalconfig";
            var text = ReadEntry(archive, path);
            Assert.Equal(ReadSource(path), text);
            Assert.Contains("is_global = true", text, StringComparison.Ordinal);
        }

        Assert.Equal(ReadSource("README.md"), ReadEntry(archive, "README.md"));

        string ReadSource(string relative) => File.ReadAllText(Path.Combine(packageDirectory, relative));
    }

    [Fact]
    public void Nuspec_is_a_development_dependency_without_dependencies()
    {
        using var archive = ZipFile.OpenRead(_fixture.PackagePath);
        var nuspecEntry = Assert.Single(archive.Entries, entry => entry.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !entry.FullName.Contains('/'));
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        var metadata = nuspec.Root!.Elements().Single(element => element.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().FirstOrDefault(element => element.Name.LocalName == name)?.Value.Trim();

        Assert.Equal(PackageFixture.PackageId, Value("id"));
        Assert.Equal(_fixture.PackageVersion, Value("version"));
        Assert.Equal("true", Value("developmentDependency"));
        Assert.Equal("README.md", Value("readme"));

        // No dependencies at all: neither a package dependency nor a framework assembly reaches the consumer.
        var dependencies = metadata.Elements().Where(element => element.Name.LocalName == "dependencies").ToList();
        Assert.True(
            dependencies.All(element => !element.Descendants().Any(d => d.Name.LocalName == "dependency")),
            "The nuspec lists dependencies:" + Environment.NewLine + nuspec);
        Assert.DoesNotContain(metadata.Elements(), element => element.Name.LocalName is "frameworkAssemblies" or "frameworkReferences" or "references");
    }

    private static string ReadEntry(ZipArchive archive, string path)
    {
        var entry = archive.GetEntry(path) ?? throw new Xunit.Sdk.XunitException(path + " is not in the package.");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
