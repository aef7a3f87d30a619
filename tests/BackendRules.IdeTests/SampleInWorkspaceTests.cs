using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using BackendRules.IdeTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BackendRules.IdeTests;

/// <summary>
/// samples/ShopApi opened in a workspace with the packed BackendRules package, as a user sees it in an editor: the
/// squiggles (the same diagnostics as the build, the Razor view's on its .cshtml line), the light bulb on each of
/// them (a clear title, a fix that removes the diagnostic and compiles), and Fix All in Solution scope.
/// </summary>
/// <remarks>
/// What to expect comes from the sample itself: each intentional violation has a <c>// BRxxxx: violation (...)</c>
/// comment just above it that says "fixable" or "no fix" (samples/README.md). A diagnostic that gains or loses its
/// fix, or moves away from its comment, fails the test; so does one that the build does not report.
/// </remarks>
public sealed class SampleInWorkspaceTests : IClassFixture<IdeSession>
{
    private readonly IdeSession _session;
    private readonly ITestOutputHelper _output;

    public SampleInWorkspaceTests(IdeSession session, ITestOutputHelper output)
    {
        _session = session;
        _output = output;
        foreach (var line in session.Log)
        {
            output.WriteLine(line);
        }
    }

    [Fact]
    public async Task The_workspace_takes_the_analyzers_and_fixers_from_the_restored_package()
    {
        var project = _session.Host.Project;
        Expect(!_session.Host.LoadFailed, "The workspace failed to load the sample: " + string.Join("; ", _session.Host.LoadMessages));

        // The analyzers come from the package folder the restore filled, not from a project or src/ build output.
        var expectedFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_session.RestoredAnalyzerFolder));
        var files = _session.PackageReferences.Select(reference => Path.GetFullPath(reference.FullPath!)).ToList();
        _output.WriteLine("BackendRules analyzer references:" + Environment.NewLine + string.Join(Environment.NewLine, files.Select(file => "  " + file)));
        Expect(files.Count > 0, $"The opened project has no BackendRules analyzer reference. All of them:{Environment.NewLine}{string.Join(Environment.NewLine, project.AnalyzerReferences.Select(r => "  " + r.FullPath))}");
        Expect(
            files.All(file => Marker.SamePath(Path.GetDirectoryName(file)!, expectedFolder)),
            $"Every BackendRules analyzer reference must lie in {expectedFolder}.");
        Expect(
            files.Select(Path.GetFileName).OrderBy(name => name, StringComparer.Ordinal).SequenceEqual(new[] { "BackendRules.Analyzers.dll", "BackendRules.CodeFixes.dll" }),
            "Expected the package's two assemblies, BackendRules.Analyzers.dll and BackendRules.CodeFixes.dll.");
        Expect(
            !files.Any(file => file.StartsWith(Path.Combine(_session.RepositoryRoot, "src"), StringComparison.Ordinal)),
            "An analyzer reference points into the repository's src/.");
        Expect(!project.ProjectReferences.Any(), "The sample must not reference a project: " + string.Join(", ", project.ProjectReferences.Select(r => r.ProjectId)));
        Expect(
            !project.MetadataReferences.OfType<PortableExecutableReference>().Any(reference => Path.GetFileName(reference.FilePath ?? string.Empty).StartsWith(IdeSession.PackageId + ".", StringComparison.OrdinalIgnoreCase)),
            "The package must add no compile-time reference to the project.");

        // The fixers are the package's exported providers, covering every rule that has a fix.
        Expect(_session.PackageAnalyzers.Length > 0, "The package's analyzer assembly exports no analyzer.");
        Expect(_session.PackageFixers.Count > 0, "The package's code-fix assembly exports no [ExportCodeFixProvider].");
        var fixerAssemblies = _session.PackageFixers.Select(fixer => fixer.GetType().Assembly.GetName().Name).Distinct().ToList();
        Expect(fixerAssemblies.SequenceEqual(new[] { "BackendRules.CodeFixes" }), "Fixers came from " + string.Join(", ", fixerAssemblies));
        var ruleIds = _session.PackageAnalyzers.SelectMany(analyzer => analyzer.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        var unknown = _session.PackageFixers.SelectMany(fixer => fixer.FixableDiagnosticIds).Where(id => !ruleIds.Contains(id)).ToList();
        Expect(unknown.Count == 0, "Fixers claim ids no analyzer reports: " + string.Join(", ", unknown));
        foreach (var fixer in _session.PackageFixers)
        {
            _output.WriteLine($"fixer {fixer.GetType().Name}: {string.Join(", ", fixer.FixableDiagnosticIds)} from {fixer.GetType().Assembly.Location}");
        }

        // The project's analyzer options are the editor's: the copy's .editorconfig and the configs MSBuild generates.
        var configs = project.AnalyzerConfigDocuments.Select(document => document.FilePath ?? document.Name).ToList();
        _output.WriteLine("Analyzer config documents:" + Environment.NewLine + string.Join(Environment.NewLine, configs.Select(c => "  " + c)));
        Expect(
            configs.Any(path => Marker.SamePath(path, Path.Combine(_session.CopyRoot, ".editorconfig"))),
            "The copy's .editorconfig is not among the project's analyzer config documents.");
        Expect(
            project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.rootnamespace", out var rootNamespace) && rootNamespace == "ShopApi",
            "The MSBuild properties the build hands analyzers (build_property.RootNamespace) did not reach the workspace's analyzer options.");

        // The compilation holds the Razor generator's output and compiles as the build does: the IDE shows no error.
        var generated = await project.GetSourceGeneratedDocumentsAsync(_session.Cancellation);
        Expect(
            generated.Any(document => document.HintName.Contains("Index_cshtml", StringComparison.Ordinal)),
            "The Razor source generator produced no code for Views/Storefront/Index.cshtml. Generated: " + string.Join(", ", generated.Select(d => d.HintName)));
        var errors = _session.Opened.Compilation.GetDiagnostics(_session.Cancellation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Expect(errors.Count == 0, "The workspace's compilation of the sample has errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Take(20)));
    }

    [Fact]
    public void The_workspace_reports_what_the_build_reports_on_the_same_lines()
    {
        var build = _session.Build;
        Expect(build.ExitCode == 0, "dotnet build of the copy failed." + Environment.NewLine + build);
        Expect(_session.BuildDiagnostics.Count > 0, "dotnet build printed no BackendRules diagnostic: the package did not reach the build." + Environment.NewLine + build);

        var failures = _session.Opened.Failures.Concat(AnalyzerCrashes(_session.Opened.Diagnostics)).ToList();
        foreach (var failure in failures)
        {
            _output.WriteLine($"analyzer exception in {failure.Analyzer}: {failure.Exception}");
        }

        Expect(
            !failures.Any(failure => failure.Analyzer.Contains(IdeSession.PackageId, StringComparison.Ordinal)),
            "A BackendRules analyzer threw in the workspace (AD0001).");

        var inWorkspace = _session.Shown.Select(Reported.From).ToHashSet();
        var inBuild = _session.BuildDiagnostics.ToHashSet();
        _output.WriteLine("BackendRules diagnostics (workspace = build):");
        foreach (var reported in inWorkspace.Union(inBuild).OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Line))
        {
            var where = (inWorkspace.Contains(reported), inBuild.Contains(reported)) switch
            {
                (true, true) => "both",
                (true, false) => "workspace only",
                _ => "build only",
            };
            _output.WriteLine($"  {reported.Severity} {reported.Id} {reported.Where(_session.ProjectDirectory)}  [{where}]");
        }

        Expect(
            inWorkspace.SetEquals(inBuild),
            "The workspace and dotnet build disagree (id, file, line, column, severity). Workspace only: " +
            Describe(inWorkspace.Except(inBuild)) + "; build only: " + Describe(inBuild.Except(inWorkspace)) + Environment.NewLine + build);

        var view = Path.Combine(_session.ProjectDirectory, "Views", "Storefront", "Index.cshtml");
        var inView = inWorkspace.Where(reported => Marker.SamePath(reported.File, view)).ToList();
        var viewMarker = _session.Markers.SingleOrDefault(marker => Marker.SamePath(marker.File, view) && marker.Rule == "BR0006");
        Expect(viewMarker is not null, "Views/Storefront/Index.cshtml has no '@* BR0006: violation *@' comment.");
        Expect(
            inView.Count == 1 && inView[0].Id == "BR0006" && Marker.Owning(_session.Markers, "BR0006", view, inView[0].Line) == viewMarker,
            $"Expected one BR0006 in Views/Storefront/Index.cshtml just below line {viewMarker!.Line}; got {Describe(inView)}.");

        // Every diagnostic sits under the violation comment that says whether the light bulb fixes it. A comment with
        // no diagnostic under it is the sample's own business (the build-based sample test fails on it); here it is
        // only named, since it says nothing about the IDE.
        var problems = inWorkspace
            .Where(reported => Marker.Owning(_session.Markers, reported.Id, reported.File, reported.Line) is null)
            .Select(reported => $"{reported.Id} at {reported.Where(_session.ProjectDirectory)} has no '{reported.Id}: violation' comment within {Marker.Reach} lines above it")
            .ToList();
        foreach (var marker in _session.Markers.Where(marker => !inWorkspace.Any(reported => Marker.Owning(_session.Markers, reported.Id, reported.File, reported.Line) == marker)))
        {
            _output.WriteLine($"note: the violation comment {marker} has no diagnostic under it in the workspace nor in the build.");
        }

        Expect(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Each_light_bulb_fix_has_a_clear_title_removes_its_diagnostic_and_compiles()
    {
        var table = new Table("diagnostic", "title offered", "applied", "errors after");
        var problems = new List<string>();
        var baselineErrors = CompilerErrors(_session.Opened.Compilation);

        foreach (var diagnostic in _session.Shown)
        {
            var reported = Reported.From(diagnostic);
            var name = $"{reported.Id} {reported.Where(_session.ProjectDirectory)}";
            var marker = Marker.Owning(_session.Markers, reported.Id, reported.File, reported.Line);
            var offered = await OfferedAsync(_session.Host.Project, diagnostic);

            if (marker is null)
            {
                problems.Add($"{name}: no violation comment above it says whether a fix is expected");
            }
            else if (marker.Fixable && offered.Count == 0)
            {
                problems.Add($"{name}: marked fixable at {marker}, but the light bulb offers nothing");
            }
            else if (!marker.Fixable && offered.Count > 0)
            {
                problems.Add($"{name}: marked 'no fix' at {marker}, but the light bulb offers: {string.Join(" | ", offered.Select(o => o.Action.Title))}");
            }

            if (offered.Count == 0)
            {
                table.Add(name, "(none: no fix by design)", "-", "-");
                continue;
            }

            foreach (var (fixer, action) in offered)
            {
                if (TitleProblem(action.Title) is { } titleProblem)
                {
                    problems.Add($"{name}: {fixer.GetType().Name} offers the title '{action.Title}': {titleProblem}");
                }

                var changed = await ApplyAsync(action);
                if (changed is null)
                {
                    problems.Add($"{name}: '{action.Title}' has no ApplyChangesOperation");
                    table.Add(name, action.Title, "no change", "-");
                    continue;
                }

                var after = await WorkspaceHost.AnalyzeAsync(changed.GetProject(_session.Host.Project.Id)!, _session.PackageAnalyzers, _session.Cancellation);
                var newErrors = NewErrors(baselineErrors, after.Compilation);
                var removed = Removed(reported, _session.Shown, _session.ShownOf(after), out var removalProblem);
                if (removalProblem is not null)
                {
                    problems.Add($"{name}: after '{action.Title}': {removalProblem}");
                }

                if (newErrors.Count > 0)
                {
                    problems.Add($"{name}: '{action.Title}' breaks the build:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", newErrors));
                }

                table.Add(name, action.Title, removed ? "yes, diagnostic gone" : "yes, diagnostic STILL THERE", newErrors.Count == 0 ? "0" : $"{newErrors.Count}: {newErrors[0]}");
            }
        }

        _output.WriteLine("Light bulb on each BackendRules diagnostic of samples/ShopApi:");
        _output.WriteLine(table.ToString());
        Expect(_session.Shown.Count > 0, "No BackendRules diagnostic in the workspace.");
        Expect(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Fix_all_in_solution_compiles_and_leaves_only_the_diagnostics_without_a_fix()
    {
        var table = new Table("fixer", "title offered", "applied", "errors after");
        var problems = new List<string>();
        var baselineErrors = CompilerErrors(_session.Opened.Compilation);
        var project = _session.Host.Project;

        foreach (var fixer in _session.PackageFixers)
        {
            var ids = fixer.FixableDiagnosticIds.ToHashSet(StringComparer.Ordinal);
            var mine = _session.Shown.Where(diagnostic => ids.Contains(diagnostic.Id)).ToList();

            // Fix All starts, as in an editor, from one offered fix: its document and its equivalence key.
            (Diagnostic Diagnostic, CodeAction Action)? start = null;
            foreach (var diagnostic in mine)
            {
                var offered = await OfferedAsync(project, diagnostic, fixer);
                if (offered.Count > 0)
                {
                    start = (diagnostic, offered[0].Action);
                    break;
                }
            }

            var name = $"{fixer.GetType().Name} ({string.Join(", ", ids)})";
            if (start is null)
            {
                table.Add(name, "(nothing to fix in the sample)", "-", "-");
                continue;
            }

            var provider = fixer.GetFixAllProvider();
            if (provider is null || !provider.GetSupportedFixAllScopes().Contains(FixAllScope.Solution))
            {
                problems.Add($"{name}: no Fix All in Solution scope");
                continue;
            }

            var document = (await WorkspaceHost.DocumentOfAsync(project, start.Value.Diagnostic.Location.SourceTree, _session.Cancellation))!;
            var context = new FixAllContext(
                document,
                fixer,
                FixAllScope.Solution,
                start.Value.Action.EquivalenceKey,
                ids,
                new ReportedDiagnosticProvider(_session.Shown),
                _session.Cancellation);
            var fixAll = await provider.GetFixAsync(context);
            if (fixAll is null)
            {
                problems.Add($"{name}: Fix All in Solution offered no action");
                continue;
            }

            if (TitleProblem(fixAll.Title) is { } titleProblem)
            {
                problems.Add($"{name}: the Fix All title '{fixAll.Title}' {titleProblem}");
            }

            var changed = await ApplyAsync(fixAll);
            if (changed is null)
            {
                problems.Add($"{name}: Fix All has no ApplyChangesOperation");
                continue;
            }

            var changedProject = changed.GetProject(project.Id)!;
            var after = await WorkspaceHost.AnalyzeAsync(changedProject, _session.PackageAnalyzers, _session.Cancellation);
            var newErrors = NewErrors(baselineErrors, after.Compilation);
            if (newErrors.Count > 0)
            {
                problems.Add($"{name}: Fix All breaks the build:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", newErrors));
            }

            // What is left of this fixer's rules is exactly the diagnostics whose comment says "no fix".
            var markersAfter = Marker.Read(await WorkspaceHost.SourcesAsync(changedProject, _session.Cancellation));
            var left = _session.ShownOf(after).Where(diagnostic => ids.Contains(diagnostic.Id)).Select(Reported.From).ToList();
            var unfixable = mine.Select(Reported.From).Where(r => Marker.Owning(_session.Markers, r.Id, r.File, r.Line) is { Fixable: false }).ToList();
            foreach (var reported in left)
            {
                if (Marker.Owning(markersAfter, reported.Id, reported.File, reported.Line) is not { Fixable: false })
                {
                    problems.Add($"{name}: {reported.Id} at {reported.Where(_session.ProjectDirectory)} is still reported after Fix All");
                }
            }

            if (left.Count < unfixable.Count)
            {
                problems.Add($"{name}: {unfixable.Count} diagnostics are marked 'no fix' ({Describe(unfixable)}), but only {left.Count} are left after Fix All: a fix appeared");
            }

            table.Add(
                name,
                fixAll.Title,
                $"{mine.Count - left.Count} of {mine.Count} fixed; left: {(left.Count == 0 ? "none" : string.Join(", ", left.Select(r => $"{r.Id} {Path.GetFileName(r.File)}:{r.Line}")))}",
                newErrors.Count == 0 ? "0" : $"{newErrors.Count}: {newErrors[0]}");
        }

        _output.WriteLine("Fix All in Solution scope, one fixer at a time, on samples/ShopApi:");
        _output.WriteLine(table.ToString());
        Expect(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    // ---- the light bulb -------------------------------------------------------------------------------------------

    /// <summary>The code actions the package's fixers (or only <paramref name="only"/>) register for the diagnostic.</summary>
    private async Task<IReadOnlyList<(CodeFixProvider Fixer, CodeAction Action)>> OfferedAsync(Project project, Diagnostic diagnostic, CodeFixProvider? only = null)
    {
        var offered = new List<(CodeFixProvider, CodeAction)>();
        var document = await WorkspaceHost.DocumentOfAsync(project, diagnostic.Location.SourceTree, _session.Cancellation);
        if (document is null)
        {
            throw new XunitException($"No document holds the tree of {diagnostic}.");
        }

        foreach (var fixer in only is null ? _session.PackageFixers : new[] { only })
        {
            if (!fixer.FixableDiagnosticIds.Contains(diagnostic.Id))
            {
                continue;
            }

            var context = new CodeFixContext(document, diagnostic, (action, _) => offered.Add((fixer, action)), _session.Cancellation);
            await fixer.RegisterCodeFixesAsync(context);
        }

        return offered;
    }

    /// <summary>The solution the action produces, as the editor applies it; null when it changes nothing.</summary>
    private async Task<Solution?> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(_session.Cancellation);
        return operations.OfType<ApplyChangesOperation>().SingleOrDefault()?.ChangedSolution;
    }

    /// <summary>
    /// Whether the fix removed <paramref name="fixedOne"/>: one diagnostic fewer of its rule in its file, and the same
    /// number as before of every other rule in every file (a fix neither silences nor causes other reports).
    /// </summary>
    private static bool Removed(Reported fixedOne, IReadOnlyList<Diagnostic> before, IReadOnlyList<Diagnostic> after, out string? problem)
    {
        static Dictionary<(string Id, string File), int> Count(IEnumerable<Diagnostic> diagnostics) =>
            diagnostics.Select(Reported.From).GroupBy(r => (r.Id, r.File)).ToDictionary(group => group.Key, group => group.Count());

        var countsBefore = Count(before);
        var countsAfter = Count(after);
        var changes = countsBefore.Keys.Union(countsAfter.Keys)
            .Select(key => (Key: key, Delta: countsAfter.GetValueOrDefault(key) - countsBefore.GetValueOrDefault(key)))
            .Where(change => change.Delta != 0)
            .ToList();
        var removed = changes.Count == 1 && changes[0].Key == (fixedOne.Id, fixedOne.File) && changes[0].Delta == -1;
        problem = removed
            ? null
            : "expected exactly this diagnostic to go; changes: " +
              (changes.Count == 0 ? "none" : string.Join(", ", changes.Select(c => $"{c.Key.Id} in {Path.GetFileName(c.Key.File)} {c.Delta:+0;-0}")));
        return removed;
    }

    /// <summary>Why a title would not tell a user what the fix does, or null when it does.</summary>
    private string? TitleProblem(string title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return "is empty";
        }

        if (!title.Trim().Contains(' '))
        {
            return "is one word, not a description of what the fix does";
        }

        var typeNames = _session.PackageFixers.Select(fixer => fixer.GetType().Assembly)
            .Concat(_session.PackageAnalyzers.Select(analyzer => analyzer.GetType().Assembly))
            .Append(typeof(CodeAction).Assembly)
            .Distinct()
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => new[] { type.Name, type.FullName ?? type.Name })
            .ToHashSet(StringComparer.Ordinal);
        if (typeNames.Contains(title.Trim()) || title.Contains("BackendRules.", StringComparison.Ordinal) || title.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal))
        {
            return "is a type name";
        }

        return char.IsUpper(title.TrimStart()[0]) ? null : "does not start like a sentence";
    }

    // ---- compiler errors ------------------------------------------------------------------------------------------

    private static IReadOnlyList<string> CompilerErrors(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)
            .Select(diagnostic => $"{diagnostic.Id} {Path.GetFileName(diagnostic.Location.GetMappedLineSpan().Path)}: {diagnostic.GetMessage()}")
            .ToList();

    /// <summary>Compiler errors of <paramref name="compilation"/> that the original did not have.</summary>
    private static IReadOnlyList<string> NewErrors(IReadOnlyList<string> before, Compilation compilation)
    {
        var remaining = before.GroupBy(error => error).ToDictionary(group => group.Key, group => group.Count());
        var added = new List<string>();
        foreach (var error in CompilerErrors(compilation))
        {
            if (remaining.TryGetValue(error, out var count) && count > 0)
            {
                remaining[error] = count - 1;
            }
            else
            {
                added.Add(error);
            }
        }

        return added;
    }

    private static IEnumerable<AnalyzerFailure> AnalyzerCrashes(ImmutableArray<Diagnostic> diagnostics) =>
        diagnostics.Where(diagnostic => diagnostic.Id == "AD0001").Select(diagnostic => new AnalyzerFailure(diagnostic.GetMessage(), "AD0001"));

    private static string Describe(IEnumerable<Reported> reported)
    {
        var list = reported.Select(r => $"{r.Severity} {r.Id} {Path.GetFileName(r.File)}({r.Line},{r.Column})").ToList();
        return list.Count == 0 ? "(none)" : string.Join("; ", list);
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new XunitException(message);
        }
    }

    /// <summary>A Markdown table for the test output.</summary>
    private sealed class Table
    {
        private readonly string[] _headers;
        private readonly List<string[]> _rows = new();

        public Table(params string[] headers) => _headers = headers;

        public void Add(params string[] cells) => _rows.Add(cells);

        public override string ToString()
        {
            var text = new StringBuilder();
            text.AppendLine("| " + string.Join(" | ", _headers) + " |");
            text.AppendLine("|" + string.Concat(_headers.Select(_ => "---|")));
            foreach (var row in _rows)
            {
                text.AppendLine("| " + string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|").Replace(Environment.NewLine, " "))) + " |");
            }

            return text.ToString();
        }
    }
}
