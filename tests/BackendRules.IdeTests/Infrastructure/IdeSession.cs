using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Sdk;

namespace BackendRules.IdeTests.Infrastructure;

/// <summary>
/// One run's IDE session on a copy of samples/ShopApi: one pack of src/Package into a temporary feed under a version
/// no cache has seen, one <c>dotnet restore</c> into a packages folder of the run's own, one workspace load with the
/// analysis an editor does on opening the project, and one <c>dotnet build</c> of the same copy to compare with.
/// </summary>
/// <remarks>
/// The copy keeps the repository's shape that samples/ expects: Directory.Build.props (its Version set to the run's
/// package version, which samples/Directory.Build.props reads), .editorconfig, samples/ without bin, obj and .packages,
/// and the packed .nupkg in artifacts/packages, which samples/NuGet.config adds to the machine's configured sources.
/// Set BACKENDRULES_IDETESTS_KEEP=1 to keep the temporary folder.
/// </remarks>
public sealed class IdeSession : IAsyncLifetime
{
    public const string PackageId = "BackendRules";

    private static readonly TimeSpan WorkspaceTimeLimit = TimeSpan.FromMinutes(8);

    private readonly List<string> _log = new();

    public IdeSession()
    {
        var runId = DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Environment.ProcessId;
        RepositoryRoot = FindRepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), "BackendRules.IdeTests." + runId);
        CopyRoot = Path.Combine(Root, "copy");
        FeedFolder = Path.Combine(CopyRoot, "artifacts", "packages");
        PackagesFolder = Path.Combine(Root, "packages") + Path.DirectorySeparatorChar;
        ProjectDirectory = Path.Combine(CopyRoot, "samples", "ShopApi");
        ProjectPath = Path.Combine(ProjectDirectory, "ShopApi.csproj");
        PackageVersion = RepositoryVersion(RepositoryRoot) + "-ide." + runId.Replace('-', '.');
    }

    public string RepositoryRoot { get; }

    public string Root { get; }

    /// <summary>The repository's shape, rebuilt in the temporary folder: Directory.Build.props, .editorconfig, samples/, artifacts/packages.</summary>
    public string CopyRoot { get; }

    public string FeedFolder { get; }

    /// <summary>NUGET_PACKAGES and RestorePackagesPath of the copy's restore (ends with a separator, as the sample's targets expect).</summary>
    public string PackagesFolder { get; }

    public string ProjectDirectory { get; }

    public string ProjectPath { get; }

    public string PackageVersion { get; }

    /// <summary>Where the restore extracted the package's analyzers: the only place the IDE may take BackendRules from.</summary>
    public string RestoredAnalyzerFolder => Path.Combine(PackagesFolder, PackageId.ToLowerInvariant(), PackageVersion.ToLowerInvariant(), "analyzers", "dotnet", "cs");

    /// <summary>Each step with its duration, and the workspace's load messages.</summary>
    public IReadOnlyList<string> Log => _log;

    public WorkspaceHost Host { get; private set; } = null!;

    /// <summary>The analyzer references of the opened project that are BackendRules' assemblies.</summary>
    public IReadOnlyList<AnalyzerReference> PackageReferences { get; private set; } = Array.Empty<AnalyzerReference>();

    public ImmutableArray<DiagnosticAnalyzer> PackageAnalyzers { get; private set; }

    public IReadOnlyList<CodeFixProvider> PackageFixers { get; private set; } = Array.Empty<CodeFixProvider>();

    /// <summary>Every analyzer of every analyzer reference of the project (the SDK's, ASP.NET Core's, EF Core's and BackendRules').</summary>
    public Analysis Opened { get; private set; } = null!;

    /// <summary>The BackendRules diagnostics of <see cref="Opened"/> that a build prints (warnings and errors, not suppressed).</summary>
    public IReadOnlyList<Diagnostic> Shown { get; private set; } = Array.Empty<Diagnostic>();

    /// <summary>The violation markers of the project's C# files and Razor views as opened.</summary>
    public IReadOnlyList<Marker> Markers { get; private set; } = Array.Empty<Marker>();

    public CommandOutcome Build { get; private set; } = null!;

    public IReadOnlyList<Reported> BuildDiagnostics { get; private set; } = Array.Empty<Reported>();

    public CancellationToken Cancellation => _cancellation.Token;

    private readonly CancellationTokenSource _cancellation = new(WorkspaceTimeLimit * 2);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FeedFolder);
        Directory.CreateDirectory(PackagesFolder);

        await Step("pack", () => PackAsync()).ConfigureAwait(false);
        await Step("copy", () => { CopySample(); return Task.CompletedTask; }).ConfigureAwait(false);
        await Step("restore", () => RestoreAsync()).ConfigureAwait(false);
        await Step("workspace load", () => OpenAsync()).ConfigureAwait(false);
        await Step("analysis", () => AnalyzeAsync()).ConfigureAwait(false);
        await Step("build", () => BuildAsync()).ConfigureAwait(false);
    }

    public Task DisposeAsync()
    {
        Host?.Dispose();
        _cancellation.Dispose();
        if (Environment.GetEnvironmentVariable("BACKENDRULES_IDETESTS_KEEP") != "1")
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A temporary folder: best effort.
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The diagnostics of <paramref name="analysis"/> that BackendRules reported and a build would print.</summary>
    public IReadOnlyList<Diagnostic> ShownOf(Analysis analysis)
    {
        var ids = PackageAnalyzers.SelectMany(analyzer => analyzer.SupportedDiagnostics).Select(descriptor => descriptor.Id).ToHashSet(StringComparer.Ordinal);
        return analysis.Diagnostics
            .Where(diagnostic => ids.Contains(diagnostic.Id) && diagnostic.Severity >= DiagnosticSeverity.Warning && !diagnostic.IsSuppressed)
            .OrderBy(diagnostic => Reported.From(diagnostic).File, StringComparer.Ordinal)
            .ThenBy(diagnostic => diagnostic.Location.GetMappedLineSpan().StartLinePosition)
            .ToList();
    }

    public string Relative(string path) => Path.GetRelativePath(ProjectDirectory, path).Replace('\\', '/');

    private async Task Step(string name, Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        _log.Add($"{name}: {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    private IReadOnlyDictionary<string, string> RestoreEnvironment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesFolder };

    private async Task PackAsync()
    {
        // The pack's own build output goes to the temporary folder too (--artifacts-path): src/*/bin and obj stay as they are.
        var outcome = await DotnetCommand.RunAsync(
            RepositoryRoot,
            new Dictionary<string, string>(),
            "pack", Path.Combine(RepositoryRoot, "src", "Package", "BackendRules.Package.csproj"),
            "-c", "Release",
            "-o", FeedFolder,
            "--artifacts-path", Path.Combine(Root, "pack"),
            "-p:PackageVersion=" + PackageVersion,
            "-p:UseSharedCompilation=false",
            "--disable-build-servers", "-nologo", "-tl:off", "-clp:NoSummary").ConfigureAwait(false);
        outcome.EnsureSuccess("Packing src/Package");
        if (!File.Exists(Path.Combine(FeedFolder, $"{PackageId}.{PackageVersion}.nupkg")))
        {
            throw new XunitException($"The pack wrote no {PackageId}.{PackageVersion}.nupkg.{Environment.NewLine}{outcome}");
        }
    }

    private void CopySample()
    {
        CopyFolder(Path.Combine(RepositoryRoot, "samples"), Path.Combine(CopyRoot, "samples"));

        var props = File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Build.props"));
        var version = new Regex("(?<=<Version>)[^<]*(?=</Version>)", RegexOptions.CultureInvariant);
        if (version.Matches(props).Count != 1)
        {
            throw new InvalidOperationException("Directory.Build.props should have exactly one <Version>.");
        }

        File.WriteAllText(Path.Combine(CopyRoot, "Directory.Build.props"), version.Replace(props, PackageVersion, 1));
        File.Copy(Path.Combine(RepositoryRoot, ".editorconfig"), Path.Combine(CopyRoot, ".editorconfig"));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            if (Path.GetFileName(folder) is not ("bin" or "obj" or ".packages"))
            {
                CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
            }
        }
    }

    private async Task RestoreAsync()
    {
        // samples/Directory.Build.props points RestorePackagesPath at samples/.packages; the run's own folder wins here.
        var outcome = await DotnetCommand.RunAsync(
            CopyRoot,
            RestoreEnvironment,
            "restore", ProjectPath,
            "-p:RestorePackagesPath=" + PackagesFolder,
            "--disable-build-servers", "-nologo", "-tl:off").ConfigureAwait(false);
        outcome.EnsureSuccess("Restoring the sample copy");
        _log.Add(outcome.CommandLine);
    }

    private async Task OpenAsync()
    {
        _log.Add("MSBuild: " + MSBuildRegistration.Ensure());
        Host = await WorkspaceHost.OpenAsync(
            ProjectPath,
            new Dictionary<string, string> { ["RestorePackagesPath"] = PackagesFolder },
            Cancellation).ConfigureAwait(false);
        _log.AddRange(Host.LoadMessages.Select(message => "workspace " + message));

        PackageReferences = Host.Project.AnalyzerReferences
            .Where(reference => Path.GetFileName(reference.FullPath ?? string.Empty).StartsWith(PackageId + ".", StringComparison.OrdinalIgnoreCase))
            .ToList();
        PackageAnalyzers = WorkspaceHost.AnalyzersOf(PackageReferences);
        PackageFixers = WorkspaceHost.CodeFixProvidersOf(PackageReferences);
    }

    private async Task AnalyzeAsync()
    {
        Opened = await WorkspaceHost.AnalyzeAsync(Host.Project, WorkspaceHost.AnalyzersOf(Host.Project.AnalyzerReferences), Cancellation).ConfigureAwait(false);
        Shown = ShownOf(Opened);
        Markers = Marker.Read(await WorkspaceHost.SourcesAsync(Host.Project, Cancellation).ConfigureAwait(false));
    }

    private async Task BuildAsync()
    {
        Build = await DotnetCommand.RunAsync(
            CopyRoot,
            RestoreEnvironment,
            "build", ProjectPath,
            "--no-restore",
            "-p:RestorePackagesPath=" + PackagesFolder,
            "-p:UseSharedCompilation=false",
            "--disable-build-servers", "-nologo", "-tl:off", "-clp:NoSummary").ConfigureAwait(false);
        BuildDiagnostics = Reported.FromBuildOutput(Build.Output);
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BackendRules.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No BackendRules.sln above " + AppContext.BaseDirectory);
    }

    private static string RepositoryVersion(string repositoryRoot)
    {
        var match = Regex.Match(File.ReadAllText(Path.Combine(repositoryRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>");
        return match.Success ? match.Groups[1].Value.Trim() : throw new InvalidOperationException("No <Version> in Directory.Build.props.");
    }
}
