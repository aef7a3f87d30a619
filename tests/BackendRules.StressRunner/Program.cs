using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendRules.Tests.Infrastructure;
using BackendRules.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

// Usage: dotnet run -c Release --project tests/BackendRules.StressRunner -- <folder> [<folder>...] [--cuts N] [--fixes]
//   Each folder holding a .csproj is compiled as one project (the frameworks, Dapper, EF Core and
//   Microsoft.Data.Sqlite are referenced; other packages become error types, which is part of the exercise).
//   --cuts N   also analyzes N random prefixes of every file (code being typed)
//   --fixes    computes and applies every offered fix and counts the ones that add compiler errors
// Exit code 1 when any analyzer threw or a fix broke the code.
var folders = new List<string>();
var cuts = 0;
var applyFixes = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--cuts" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n):
            cuts = n;
            i++;
            break;
        case "--fixes":
            applyFixes = true;
            break;
        default:
            folders.Add(Path.GetFullPath(args[i]));
            break;
    }
}

if (folders.Count == 0 || folders.Any(f => !Directory.Exists(f)))
{
    Console.Error.WriteLine("usage: BackendRules.StressRunner <folder> [<folder>...] [--cuts N] [--fixes]");
    return 2;
}

var failures = 0;
var totals = new SortedDictionary<string, int>(StringComparer.Ordinal);
var random = new Random(1);
foreach (var project in folders.SelectMany(Projects))
{
    var clock = Stopwatch.StartNew();
    var files = project.Files;
    var compilation = AnalyzerHarness.Compile(files.Select(File.ReadAllText).Append(ImplicitUsings(project.ProjectFile)));
    var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
    var (diagnostics, exceptions) = await AnalyzerHarness.RunAsync(compilation);
    var counts = diagnostics.Where(d => d.Id.StartsWith("BR", StringComparison.Ordinal)).GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());
    foreach (var (id, count) in counts)
    {
        totals[id] = totals.GetValueOrDefault(id) + count;
    }

    var prefixRuns = 0;
    if (cuts > 0)
    {
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            for (var c = 0; c < cuts && text.Length > 0; c++)
            {
                var (_, prefixExceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { text[..random.Next(text.Length)] }));
                exceptions = exceptions.Concat(prefixExceptions).ToList();
                prefixRuns++;
            }
        }
    }

    var (fixesApplied, brokenFixes) = applyFixes ? await ApplyFixesAsync(files, ImplicitUsings(project.ProjectFile)) : (0, new List<string>());
    failures += exceptions.Count + brokenFixes.Count;
    Console.WriteLine($"{project.Name}: {files.Count} files, {errors} compiler errors, {string.Join(", ", counts.OrderBy(p => p.Key).Select(p => $"{p.Key} x{p.Value}"))}{(counts.Count == 0 ? "no diagnostics" : string.Empty)}; "
        + $"{prefixRuns} prefixes; {fixesApplied} fixes applied; {exceptions.Count} analyzer exceptions; {brokenFixes.Count} broken fixes; {clock.Elapsed.TotalSeconds:F1} s");
    foreach (var line in exceptions.Concat(brokenFixes).Take(5))
    {
        Console.WriteLine("  " + line.Replace("\n", "\n  "));
    }
}

Console.WriteLine($"total: {string.Join(", ", totals.Select(p => $"{p.Key} x{p.Value}"))}; {failures} failures");
return failures == 0 ? 0 : 1;

// What the SDK's ImplicitUsings would add, so SDK-style projects compile as they do in a build.
static string ImplicitUsings(string? projectFile)
{
    var text = projectFile is null ? string.Empty : File.ReadAllText(projectFile);
    if (!text.Contains("<ImplicitUsings>enable</ImplicitUsings>", StringComparison.OrdinalIgnoreCase))
    {
        return string.Empty;
    }

    var namespaces = new List<string> { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" };
    if (text.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase))
    {
        namespaces.AddRange(new[]
        {
            "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
            "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
            "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
        });
    }

    return string.Concat(namespaces.Select(n => $"global using global::{n};\n"));
}

static IEnumerable<(string Name, List<string> Files, string? ProjectFile)> Projects(string folder)
{
    static bool Skipped(string path) => path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules" or ".packages");
    var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !Skipped(f)).ToList();
    var projectDirs = Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories).Where(f => !Skipped(f))
        .Select(Path.GetDirectoryName).OrderByDescending(d => d!.Length).ToList();
    return files
        .GroupBy(file => projectDirs.FirstOrDefault(dir => file.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal)) ?? folder)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => (
            Path.GetRelativePath(folder, g.Key) is "." ? Path.GetFileName(folder) : Path.GetRelativePath(folder, g.Key),
            g.ToList(),
            Directory.EnumerateFiles(g.Key, "*.csproj").FirstOrDefault()));
}

static async Task<(int Applied, List<string> Broken)> ApplyFixesAsync(List<string> files, string implicitUsings)
{
    using var workspace = new AdhocWorkspace();
    var project = workspace.AddProject(ProjectInfo.Create(
        ProjectId.CreateNewId(), VersionStamp.Default, "P", "P", LanguageNames.CSharp,
        compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
        parseOptions: AnalyzerHarness.ParseOptions,
        metadataReferences: TestReferences.All));
    foreach (var (text, i) in files.Select(File.ReadAllText).Append(implicitUsings).Select((text, i) => (text, i)))
    {
        workspace.AddDocument(project.Id, $"File{i}.cs", SourceText.From(text));
    }

    var solution = workspace.CurrentSolution;
    var compilation = (await solution.GetProject(project.Id)!.GetCompilationAsync())!;
    var errorsBefore = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);

    var (workspaceDiagnostics, _) = await AnalyzerHarness.RunAsync(compilation);
    var applied = 0;
    var broken = new List<string>();
    foreach (var diagnostic in workspaceDiagnostics.Where(d => d.Location.IsInSource))
    {
        var document = solution.GetDocument(diagnostic.Location.SourceTree);
        if (document is null)
        {
            continue;
        }

        foreach (var fixer in AnalyzerHarness.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var actions = new List<CodeAction>();
            try
            {
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                foreach (var action in actions)
                {
                    var changed = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution;
                    var errorsAfter = (await changed.GetProject(project.Id)!.GetCompilationAsync())!.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
                    applied++;
                    if (errorsAfter > errorsBefore)
                    {
                        broken.Add($"{diagnostic.Id} at {diagnostic.Location.GetLineSpan()}: '{action.Title}' adds {errorsAfter - errorsBefore} errors");
                    }
                }
            }
            catch (Exception exception)
            {
                broken.Add($"{fixer.GetType().Name} threw on {diagnostic}: {exception}");
            }
        }
    }

    return (applied, broken);
}
