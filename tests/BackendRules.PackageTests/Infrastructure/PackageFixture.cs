using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;
using Xunit.Sdk;

namespace BackendRules.PackageTests.Infrastructure;

/// <summary>Every package test shares one pack, and they run one after the other (the machine has two cores).</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "BackendRules package";
}

/// <summary>
/// Packs src/Package once per test run into a temporary feed, under a version no cache has seen, with its build
/// output in the temporary folder too (--artifacts-path) so the pack neither reads nor writes the src/*/bin and
/// obj folders that other builds use. Consumers restore into a packages folder of their own.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public const string PackageId = "BackendRules";

    public PackageFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), "BackendRules.PackageTests." + DotnetCli.RunId);
        FeedDirectory = Path.Combine(Root, "feed");
        ConsumerPackagesDirectory = Path.Combine(Root, "packages");
        ConsumersDirectory = Path.Combine(Root, "consumers");
        PackageVersion = ReadRepositoryVersion(RepositoryRoot) + "-test." + DotnetCli.RunId.Replace('-', '.');
        DapperVersion = Metadata("DapperVersion") ?? throw new InvalidOperationException("DapperVersion metadata missing from the test assembly.");
    }

    /// <summary>The folder holding BackendRules.sln.</summary>
    public string RepositoryRoot { get; }

    /// <summary>The run's temporary folder; deleted at the end unless BACKENDRULES_PACKAGETESTS_KEEP=1.</summary>
    public string Root { get; }

    public string FeedDirectory { get; }

    /// <summary>NUGET_PACKAGES of every consumer restore: nothing from earlier runs or other projects is in it.</summary>
    public string ConsumerPackagesDirectory { get; }

    public string ConsumersDirectory { get; }

    public string PackageVersion { get; }

    public string DapperVersion { get; }

    public string PackagePath => Path.Combine(FeedDirectory, $"{PackageId}.{PackageVersion}.nupkg");

    public CommandResult PackResult { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(FeedDirectory);
        Directory.CreateDirectory(ConsumerPackagesDirectory);
        Directory.CreateDirectory(ConsumersDirectory);

        var project = Path.Combine(RepositoryRoot, "src", "Package", "BackendRules.Package.csproj");
        PackResult = await DotnetCli.RunAsync(
            RepositoryRoot,
            new[]
            {
                "pack", project,
                "-c", "Release",
                "-o", FeedDirectory,
                "--artifacts-path", Path.Combine(Root, "artifacts"),
                "-p:PackageVersion=" + PackageVersion,
                "-p:UseSharedCompilation=false",
                "--disable-build-servers",
                "-nologo", "-tl:off", "-clp:NoSummary",
            }).ConfigureAwait(false);

        if (!PackResult.Succeeded || !File.Exists(PackagePath))
        {
            throw new XunitException($"Packing src/Package failed or produced no {Path.GetFileName(PackagePath)}." + Environment.NewLine + PackResult.Describe());
        }
    }

    public Task DisposeAsync()
    {
        // Last sweep: anything of this run still alive was started by it.
        DotnetCli.KillMarked(DotnetCli.RunMarkerVariable, DotnetCli.RunId);
        if (Environment.GetEnvironmentVariable("BACKENDRULES_PACKAGETESTS_KEEP") != "1")
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Best effort: it is a temporary folder.
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Environment for consumer commands: restores go to this run's own packages folder.</summary>
    public IReadOnlyDictionary<string, string?> ConsumerEnvironment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = ConsumerPackagesDirectory,
        ["NUGET_FALLBACK_PACKAGES"] = null,
    };

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BackendRules.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("BackendRules.sln not found above " + AppContext.BaseDirectory);
    }

    private static string ReadRepositoryVersion(string repositoryRoot)
    {
        var props = XDocument.Load(Path.Combine(repositoryRoot, "Directory.Build.props"));
        var version = props.Descendants("Version").Select(element => element.Value.Trim()).FirstOrDefault(value => value.Length > 0);
        return version ?? throw new InvalidOperationException("No <Version> in Directory.Build.props.");
    }

    private static string? Metadata(string key) =>
        typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(attribute => attribute.Key == key)?.Value;
}
