using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace BackendRules.IdeTests.Infrastructure;

/// <summary>
/// Points MSBuild at the SDK the dotnet CLI uses. MSBuildLocator must do so before the runtime loads any MSBuild
/// assembly, and the JIT loads the assemblies a method refers to when it compiles the method: so this class refers to
/// no workspace type, and <see cref="WorkspaceHost"/>, which does, is only touched after <see cref="Ensure"/> ran.
/// </summary>
public static class MSBuildRegistration
{
    private static readonly object Gate = new();

    /// <summary>Registers the SDK's MSBuild once per process and returns its folder.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Ensure()
    {
        lock (Gate)
        {
            if (!MSBuildLocator.IsRegistered)
            {
                var instance = MSBuildLocator.QueryVisualStudioInstances().FirstOrDefault()
                    ?? throw new InvalidOperationException("MSBuildLocator found no .NET SDK.");
                MSBuildLocator.RegisterInstance(instance);
                Folder = instance.MSBuildPath;
            }

            return Folder;
        }
    }

    private static string Folder { get; set; } = string.Empty;
}

/// <summary>An analyzer that threw, and what it threw (an IDE shows it as AD0001).</summary>
public sealed record AnalyzerFailure(string Analyzer, string Exception);

/// <summary>What the analyzers reported on one compilation, and which of them threw.</summary>
public sealed record Analysis(Compilation Compilation, ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<AnalyzerFailure> Failures);

/// <summary>
/// The part of an IDE that this test needs: MSBuildWorkspace opens a project the way an editor's project system does
/// (design-time build, analyzer references, additional files, .editorconfig and global configs, source generators),
/// and the analyzers and code fixers run on its snapshots.
/// </summary>
public sealed class WorkspaceHost : IDisposable
{
    private readonly MSBuildWorkspace _workspace;

    private WorkspaceHost(MSBuildWorkspace workspace, Project project)
    {
        _workspace = workspace;
        Project = project;
    }

    /// <summary>The project as opened; fixes produce new solutions from it, it never changes.</summary>
    public Project Project { get; }

    /// <summary>What the workspace reported while loading (warnings about the project file, unresolved items).</summary>
    public IReadOnlyList<string> LoadMessages => _workspace.Diagnostics.Select(diagnostic => $"{diagnostic.Kind}: {diagnostic.Message}").ToList();

    public bool LoadFailed => _workspace.Diagnostics.Any(diagnostic => diagnostic.Kind == WorkspaceDiagnosticKind.Failure);

    /// <summary>Opens one project with the given global properties; call <see cref="MSBuildRegistration.Ensure"/> first.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<WorkspaceHost> OpenAsync(string projectPath, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        var workspace = MSBuildWorkspace.Create(properties.ToDictionary(pair => pair.Key, pair => pair.Value));
        try
        {
            var project = await workspace.OpenProjectAsync(projectPath, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new WorkspaceHost(workspace, project);
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="analyzers"/> over the project's compilation (which includes what its source generators
    /// added) with the project's analyzer options, as an IDE's diagnostic service does. Suppressed diagnostics are left out.
    /// </summary>
    public static async Task<Analysis> AnalyzeAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{project.Name} has no compilation.");
        var failures = new ConcurrentQueue<AnalyzerFailure>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, _) => failures.Enqueue(new AnalyzerFailure(analyzer.GetType().FullName ?? analyzer.ToString(), exception.ToString())),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        return new Analysis(compilation, diagnostics, failures.ToList());
    }

    /// <summary>The analyzers of every analyzer reference of the project, as the IDE loads them.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AnalyzersOf(IEnumerable<AnalyzerReference> references) =>
        references.SelectMany(reference => reference.GetAnalyzers(LanguageNames.CSharp)).ToImmutableArray();

    /// <summary>
    /// The C# code fix providers that <paramref name="references"/> export (<c>[ExportCodeFixProvider]</c>), created
    /// from the assemblies the workspace loaded for those references, the way an IDE's extension host finds them.
    /// </summary>
    public static IReadOnlyList<CodeFixProvider> CodeFixProvidersOf(IEnumerable<AnalyzerReference> references)
    {
        var providers = new List<CodeFixProvider>();
        foreach (var reference in references)
        {
            if (reference is not AnalyzerFileReference file)
            {
                throw new InvalidOperationException($"The analyzer reference {reference.FullPath} is a {reference.GetType().FullName}, not a file reference.");
            }

            foreach (var type in LoadableTypes(file.GetAssembly()))
            {
                var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
                if (export is null || type.IsAbstract || !typeof(CodeFixProvider).IsAssignableFrom(type) || !export.Languages.Contains(LanguageNames.CSharp))
                {
                    continue;
                }

                providers.Add((CodeFixProvider)(Activator.CreateInstance(type)
                    ?? throw new InvalidOperationException("Could not create " + type.FullName)));
            }
        }

        return providers;
    }

    /// <summary>The document, generated or not, whose syntax tree is <paramref name="tree"/>.</summary>
    public static async Task<Document?> DocumentOfAsync(Project project, SyntaxTree? tree, CancellationToken cancellationToken)
    {
        if (tree is null)
        {
            return null;
        }

        if (project.GetDocument(tree) is { } document)
        {
            return document;
        }

        foreach (var generated in await project.GetSourceGeneratedDocumentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await generated.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false) == tree)
            {
                return generated;
            }
        }

        return null;
    }

    /// <summary>Full path and text of every C# document and additional file (the Razor views) of the project.</summary>
    public static async Task<IReadOnlyList<(string File, string Text)>> SourcesAsync(Project project, CancellationToken cancellationToken)
    {
        var sources = new List<(string, string)>();
        foreach (var document in project.Documents.Cast<TextDocument>().Concat(project.AdditionalDocuments))
        {
            if (document.FilePath is { } path)
            {
                var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                sources.Add((path, text.ToString()));
            }
        }

        return sources;
    }

    public void Dispose() => _workspace.Dispose();

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            throw new InvalidOperationException(
                $"{assembly.FullName} has types that do not load: " + string.Join("; ", exception.LoaderExceptions.Select(loader => loader?.Message)), exception);
        }
    }
}

/// <summary>Hands Fix All the diagnostics the analyzers reported on the original snapshot, the way an IDE's diagnostic service does.</summary>
public sealed class ReportedDiagnosticProvider : FixAllContext.DiagnosticProvider
{
    private readonly ImmutableArray<Diagnostic> _diagnostics;

    public ReportedDiagnosticProvider(IEnumerable<Diagnostic> diagnostics) => _diagnostics = diagnostics.ToImmutableArray();

    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        return _diagnostics.Where(diagnostic => diagnostic.Location.SourceTree is { } source && (source == tree || SameFile(source.FilePath, document.FilePath)));
    }

    public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        Task.FromResult(_diagnostics.Where(diagnostic => !diagnostic.Location.IsInSource));

    public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

    private static bool SameFile(string? left, string? right) =>
        !string.IsNullOrEmpty(left) && !string.IsNullOrEmpty(right) && Marker.SamePath(left, right);
}
