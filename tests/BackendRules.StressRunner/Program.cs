using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
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
//            [--assets path/to/project.assets.json]... [--skip-tests]
//   Each folder holding a .csproj is compiled as one project (the frameworks, Dapper, EF Core and
//   Microsoft.Data.Sqlite are referenced; other packages become error types, which is part of the exercise).
//   A project's <ProjectReference>s to other analysed projects (and theirs, transitively) are referenced as compilations.
//   --cuts N        also analyzes N random prefixes of every file (code being typed)
//   --fixes         computes and applies every offered fix and counts the ones that add compiler errors
//   --assets FILE   also references the compile-time assemblies of every package in a restore's project.assets.json
//                   (first target framework; test frameworks left out, as they would make every project a test project,
//                   where no rule reports); when an assembly name comes twice, the higher version wins
//   --list          prints every BR diagnostic and the most frequent compiler errors
//   --diffs         prints the text changes of every fix applied
//   --skip-tests    skips test projects (a folder path containing "test"/"Test", or a csproj referencing xunit/NUnit/MSTest)
// Exit code 1 when any analyzer threw or a fix broke the code.
var folders = new List<string>();
var assetsFiles = new List<string>();
var cuts = 0;
var applyFixes = false;
var skipTests = false;
var list = false;
var diffs = false;
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
        case "--skip-tests":
            skipTests = true;
            break;
        case "--list":
            list = true;
            break;
        case "--diffs":
            diffs = true;
            break;
        case "--assets" when i + 1 < args.Length:
            assetsFiles.Add(Path.GetFullPath(args[i + 1]));
            i++;
            break;
        default:
            folders.Add(Path.GetFullPath(args[i]));
            break;
    }
}

if (folders.Count == 0 || folders.Any(f => !Directory.Exists(f)) || assetsFiles.Any(f => !File.Exists(f)))
{
    Console.Error.WriteLine("usage: BackendRules.StressRunner <folder> [<folder>...] [--cuts N] [--fixes] [--assets project.assets.json]... [--skip-tests] [--list] [--diffs]");
    return 2;
}

var references = References(assetsFiles);
if (assetsFiles.Count > 0)
{
    Console.WriteLine($"{references.Length} metadata references ({references.Length - TestReferences.All.Length:+#;-#;0} from {assetsFiles.Count} assets file(s))");
}

var projects = folders.SelectMany(Projects).ToList();
if (skipTests)
{
    projects = projects.Where(p => !IsTestProject(p)).ToList();
}

var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
using var workspace = new AdhocWorkspace();
var solution = workspace.CurrentSolution;
var ids = new Dictionary<string, ProjectId>(StringComparer.Ordinal);
foreach (var project in projects)
{
    var id = ProjectId.CreateNewId(project.Name);
    ids[project.ProjectFile ?? project.Dir] = id;
    solution = solution.AddProject(ProjectInfo.Create(
        id, VersionStamp.Default, project.Name, AssemblyNameOf(project), LanguageNames.CSharp,
        compilationOptions: new CSharpCompilationOptions(IsExecutable(project.ProjectFile) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true, concurrentBuild: true),
        parseOptions: parseOptions,
        metadataReferences: references));
    foreach (var file in project.Files)
    {
        solution = solution.AddDocument(DocumentId.CreateNewId(id), Path.GetFileName(file), SourceText.From(File.ReadAllText(file)), filePath: file);
    }

    var usings = ImplicitUsings(project.ProjectFile);
    if (usings.Length > 0)
    {
        solution = solution.AddDocument(DocumentId.CreateNewId(id), "ImplicitUsings.g.cs", SourceText.From(usings), filePath: Path.Combine(project.Dir, "obj", "ImplicitUsings.g.cs"));
    }
}

foreach (var project in projects)
{
    var id = ids[project.ProjectFile ?? project.Dir];
    // Transitively, as MSBuild flows project references.
    var closure = new HashSet<string>(StringComparer.Ordinal);
    var pending = new Stack<string>(ReferencedProjects(project.ProjectFile));
    while (pending.Count > 0)
    {
        var next = pending.Pop();
        if (closure.Add(next))
        {
            foreach (var further in ReferencedProjects(File.Exists(next) ? next : null))
            {
                pending.Push(further);
            }
        }
    }

    foreach (var referenced in closure.Where(ids.ContainsKey).Select(p => ids[p]).Where(r => r != id))
    {
        try
        {
            solution = solution.AddProjectReference(id, new ProjectReference(referenced));
        }
        catch (InvalidOperationException)
        {
            // A cycle: the reference is left out.
        }
    }
}

var failures = 0;
var totals = new SortedDictionary<string, int>(StringComparer.Ordinal);
var random = new Random(1);
foreach (var project in projects)
{
    var clock = Stopwatch.StartNew();
    var id = ids[project.ProjectFile ?? project.Dir];
    var compilation = (await solution.GetProject(id)!.GetCompilationAsync())!;
    var errors = Errors(compilation);
    var (diagnostics, exceptions) = await AnalyzerHarness.RunAsync(compilation);
    var counts = diagnostics.Where(d => d.Id.StartsWith("BR", StringComparison.Ordinal)).GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());
    foreach (var (ruleId, count) in counts)
    {
        totals[ruleId] = totals.GetValueOrDefault(ruleId) + count;
    }

    if (list)
    {
        foreach (var group in errors.GroupBy(e => e.Id).OrderByDescending(g => g.Count()).Take(5))
        {
            Console.WriteLine($"  {group.Count()} x {group.Key}, e.g. {group.First().GetMessage()}");
        }

        foreach (var diagnostic in diagnostics.Where(d => d.Id.StartsWith("BR", StringComparison.Ordinal)))
        {
            Console.WriteLine("  " + diagnostic);
        }
    }

    var prefixRuns = 0;
    if (cuts > 0)
    {
        foreach (var file in project.Files)
        {
            var text = File.ReadAllText(file);
            for (var c = 0; c < cuts && text.Length > 0; c++)
            {
                var (_, prefixExceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { text[..random.Next(text.Length)] }, references));
                exceptions = exceptions.Concat(prefixExceptions).ToList();
                prefixRuns++;
            }
        }
    }

    var (fixesApplied, brokenFixes) = applyFixes ? await ApplyFixesAsync(solution, id, diagnostics, errors, project.Dir, diffs) : (0, new List<string>());
    failures += exceptions.Count + brokenFixes.Count;
    Console.WriteLine($"{project.Name}: {project.Files.Count} files, {errors.Count} compiler errors, {string.Join(", ", counts.OrderBy(p => p.Key).Select(p => $"{p.Key} x{p.Value}"))}{(counts.Count == 0 ? "no diagnostics" : string.Empty)}; "
        + $"{prefixRuns} prefixes; {fixesApplied} fixes applied; {exceptions.Count} analyzer exceptions; {brokenFixes.Count} broken fixes; {clock.Elapsed.TotalSeconds:F1} s");
    foreach (var line in exceptions.Take(5).Concat(brokenFixes))
    {
        Console.WriteLine("  " + line.Replace("\n", "\n  "));
    }
}

Console.WriteLine($"total: {string.Join(", ", totals.Select(p => $"{p.Key} x{p.Value}"))}; {failures} failures");
return failures == 0 ? 0 : 1;

static List<Diagnostic> Errors(Compilation compilation) => compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

// The runner's framework and SQL references plus every package's compile-time assemblies from the assets files;
// one reference per assembly name (the higher version; the framework's on a tie), so that no type is ambiguous.
static ImmutableArray<MetadataReference> References(IReadOnlyList<string> assetsFiles)
{
    var chosen = new Dictionary<string, (Version Version, MetadataReference Reference)>(StringComparer.OrdinalIgnoreCase);
    void Offer(string path, MetadataReference? reference = null)
    {
        AssemblyName name;
        try
        {
            name = System.Reflection.AssemblyName.GetAssemblyName(path);
        }
        catch (Exception exception) when (exception is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            return;
        }

        var version = name.Version ?? new Version(0, 0);
        if (!chosen.TryGetValue(name.Name!, out var current) || version > current.Version)
        {
            chosen[name.Name!] = (version, reference ?? MetadataReference.CreateFromFile(path));
        }
    }

    foreach (var reference in TestReferences.All.OfType<PortableExecutableReference>())
    {
        Offer(reference.FilePath!, reference);
    }

    var testPackagePrefixes = new[]
    {
        "xunit", "NUnit", "MSTest", "TUnit", "Microsoft.NET.Test.Sdk", "Microsoft.TestPlatform", "Microsoft.VisualStudio.TestPlatform", "Microsoft.Testing.",
    };
    foreach (var assetsFile in assetsFiles)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(assetsFile));
        var root = document.RootElement;
        var packageFolders = root.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name).ToList();
        var libraries = root.GetProperty("libraries");
        var target = root.GetProperty("targets").EnumerateObject().FirstOrDefault();
        if (target.Value.ValueKind != JsonValueKind.Object)
        {
            continue;
        }

        foreach (var package in target.Value.EnumerateObject())
        {
            // A codebase's restore holds its test projects' packages too; a test framework among the references would
            // make every project a test project, where the rules stay silent.
            if (testPackagePrefixes.Any(prefix => package.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                || !package.Value.TryGetProperty("type", out var type) || type.GetString() != "package"
                || !package.Value.TryGetProperty("compile", out var compile)
                || !libraries.TryGetProperty(package.Name, out var library) || !library.TryGetProperty("path", out var libraryPath))
            {
                continue;
            }

            foreach (var item in compile.EnumerateObject().Select(p => p.Name).Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
            {
                var path = packageFolders.Select(folder => Path.Combine(folder, libraryPath.GetString()!, item)).FirstOrDefault(File.Exists);
                if (path is not null)
                {
                    Offer(path);
                }
            }
        }
    }

    return chosen.Values.Select(v => v.Reference).ToImmutableArray();
}

static bool IsTestProject((string Name, string Dir, List<string> Files, string? ProjectFile) project)
{
    if (project.Name.Contains("test", StringComparison.Ordinal) || project.Name.Contains("Test", StringComparison.Ordinal))
    {
        return true;
    }

    var text = project.ProjectFile is null ? string.Empty : File.ReadAllText(project.ProjectFile);
    return new[] { "xunit", "NUnit", "MSTest" }.Any(package => Regex.IsMatch(text, $"<PackageReference\\s+Include=\"{package}", RegexOptions.IgnoreCase));
}

// An <OutputType>Exe</OutputType>, or a Web or Worker SDK project that does not say Library (top-level statements need it).
static bool IsExecutable(string? projectFile)
{
    var text = projectFile is null ? string.Empty : File.ReadAllText(projectFile);
    var outputType = Regex.Match(text, "<OutputType>\\s*(\\w+)\\s*</OutputType>", RegexOptions.IgnoreCase);
    return outputType.Success
        ? outputType.Groups[1].Value.EndsWith("Exe", StringComparison.OrdinalIgnoreCase)
        : Regex.IsMatch(text, "Sdk=\"Microsoft\\.NET\\.Sdk\\.(Web|Worker)\"", RegexOptions.IgnoreCase);
}

static string AssemblyNameOf((string Name, string Dir, List<string> Files, string? ProjectFile) project)
{
    if (project.ProjectFile is null)
    {
        return Path.GetFileName(project.Dir);
    }

    var match = Regex.Match(File.ReadAllText(project.ProjectFile), "<AssemblyName>([^<$]+)</AssemblyName>");
    return match.Success ? match.Groups[1].Value.Trim() : Path.GetFileNameWithoutExtension(project.ProjectFile);
}

// Full paths of the projects a csproj references.
static IEnumerable<string> ReferencedProjects(string? projectFile)
{
    if (projectFile is null)
    {
        return Array.Empty<string>();
    }

    var dir = Path.GetDirectoryName(projectFile)!;
    return Regex.Matches(File.ReadAllText(projectFile), "<ProjectReference\\s+Include=\"([^\"]+)\"")
        .Select(m => Path.GetFullPath(Path.Combine(dir, m.Groups[1].Value.Replace('\\', Path.DirectorySeparatorChar))))
        .ToList();
}

// What the SDK's ImplicitUsings (set in the csproj or a Directory.Build.props above it) and <Using> items would add,
// so SDK-style projects compile as they do in a build.
static string ImplicitUsings(string? projectFile)
{
    if (projectFile is null)
    {
        return string.Empty;
    }

    var text = File.ReadAllText(projectFile);
    var props = new List<string>();
    for (var dir = Path.GetDirectoryName(projectFile); dir is not null; dir = Path.GetDirectoryName(dir))
    {
        var candidate = Path.Combine(dir, "Directory.Build.props");
        if (File.Exists(candidate))
        {
            props.Add(File.ReadAllText(candidate));
        }
    }

    var setting = Regex.Match(text, "<ImplicitUsings>\\s*(\\w+)\\s*</ImplicitUsings>", RegexOptions.IgnoreCase);
    var enabled = setting.Success
        ? setting.Groups[1].Value is "enable" or "true"
        : props.Select(p => Regex.Match(p, "<ImplicitUsings>\\s*(\\w+)\\s*</ImplicitUsings>", RegexOptions.IgnoreCase)).FirstOrDefault(m => m.Success) is { } inherited
          && inherited.Groups[1].Value is "enable" or "true";
    var namespaces = new List<string>();
    if (enabled)
    {
        namespaces.AddRange(new[] { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" });
        var hosting = new[] { "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging" };
        if (text.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase))
        {
            namespaces.AddRange(new[] { "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing" });
            namespaces.AddRange(hosting);
        }
        else if (text.Contains("Microsoft.NET.Sdk.Worker", StringComparison.OrdinalIgnoreCase))
        {
            namespaces.AddRange(hosting);
        }
    }

    var lines = namespaces.Select(n => $"global using global::{n};").ToList();
    foreach (Match item in Regex.Matches(text + string.Concat(props), "<Using\\s+Include=\"([\\w.]+)\"([^>]*)/>"))
    {
        var attributes = item.Groups[2].Value;
        var alias = Regex.Match(attributes, "Alias=\"(\\w+)\"");
        lines.Add(alias.Success ? $"global using {alias.Groups[1].Value} = global::{item.Groups[1].Value};"
            : attributes.Contains("Static=\"true\"", StringComparison.OrdinalIgnoreCase) ? $"global using static global::{item.Groups[1].Value};"
            : $"global using global::{item.Groups[1].Value};");
    }

    return string.Concat(lines.Distinct().Select(l => l + "\n"));
}

static IEnumerable<(string Name, string Dir, List<string> Files, string? ProjectFile)> Projects(string folder)
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
            g.Key,
            g.ToList(),
            Directory.EnumerateFiles(g.Key, "*.csproj").Select(Path.GetFullPath).FirstOrDefault()));
}

// Applies every fix offered for the project's diagnostics, one at a time on the original solution, and reports each
// fix after which the project has compiler errors it did not have before (compared by id, message and file).
static async Task<(int Applied, List<string> Broken)> ApplyFixesAsync(Solution solution, ProjectId projectId, ImmutableArray<Diagnostic> diagnostics, List<Diagnostic> errorsBefore, string root, bool showDiffs)
{
    static string Key(Diagnostic d) => $"{d.Id}|{d.GetMessage()}|{d.Location.SourceTree?.FilePath}";
    static string Where(Diagnostic d, string root)
    {
        var span = d.Location.GetLineSpan();
        return span.Path is { Length: > 0 } path ? $"{Path.GetRelativePath(root, path)}:{span.StartLinePosition.Line + 1}" : "(no file)";
    }

    var before = errorsBefore.GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());
    var applied = 0;
    var broken = new List<string>();
    foreach (var diagnostic in diagnostics.Where(d => d.Location.IsInSource && d.Id.StartsWith("BR", StringComparison.Ordinal)))
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
                    var errorsAfter = Errors((await changed.GetProject(projectId)!.GetCompilationAsync())!);
                    applied++;
                    if (showDiffs)
                    {
                        Console.WriteLine($"  fix {diagnostic.Id} at {Where(diagnostic, root)}: '{action.Title}'");
                        foreach (var changedId in changed.GetChanges(solution).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()))
                        {
                            var oldText = await solution.GetDocument(changedId)!.GetTextAsync();
                            var newText = await changed.GetDocument(changedId)!.GetTextAsync();
                            // The changed lines: what lies between the common first and last lines.
                            var oldLines = oldText.Lines.Select(l => l.ToString()).ToList();
                            var newLines = newText.Lines.Select(l => l.ToString()).ToList();
                            var head = 0;
                            while (head < oldLines.Count && head < newLines.Count && oldLines[head] == newLines[head])
                            {
                                head++;
                            }

                            var tail = 0;
                            while (tail < oldLines.Count - head && tail < newLines.Count - head && oldLines[^(tail + 1)] == newLines[^(tail + 1)])
                            {
                                tail++;
                            }

                            Console.WriteLine($"    {Path.GetFileName(solution.GetDocument(changedId)!.FilePath)}:{head + 1}");
                            foreach (var line in oldLines.Skip(head).Take(oldLines.Count - head - tail))
                            {
                                Console.WriteLine("    - " + line);
                            }

                            foreach (var line in newLines.Skip(head).Take(newLines.Count - head - tail))
                            {
                                Console.WriteLine("    + " + line);
                            }
                        }
                    }

                    var remaining = new Dictionary<string, int>(before);
                    var added = new List<Diagnostic>();
                    foreach (var error in errorsAfter)
                    {
                        if (remaining.TryGetValue(Key(error), out var left) && left > 0)
                        {
                            remaining[Key(error)] = left - 1;
                        }
                        else
                        {
                            added.Add(error);
                        }
                    }

                    if (added.Count > 0)
                    {
                        broken.Add($"{diagnostic.Id} at {Where(diagnostic, root)}: '{action.Title}' adds {added.Count} errors: "
                            + string.Join(" | ", added.Take(3).Select(e => $"{Where(e, root)} {e.Id} {e.GetMessage()}")));
                    }
                }
            }
            catch (Exception exception)
            {
                broken.Add($"{fixer.GetType().Name} threw on {diagnostic.Id} at {Where(diagnostic, root)}: {exception}");
            }
        }
    }

    return (applied, broken);
}
