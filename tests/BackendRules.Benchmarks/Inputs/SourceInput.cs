using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendRules.Benchmarks.Inputs;

internal enum InputKind
{
    /// <summary>Generated backend; must compile without errors.</summary>
    Synthetic,

    /// <summary>Generated plain C# compiled against the core framework only; must compile without errors.</summary>
    NoLibraries,

    /// <summary>samples/ShopApi; must compile without errors.</summary>
    Sample,

    /// <summary>A folder from the command line; errors are reported, not fatal.</summary>
    Folder,
}

/// <summary>Parsed syntax trees and what a compilation of them needs.</summary>
internal sealed class SourceInput
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private SourceInput(string name, InputKind kind, ImmutableArray<SyntaxTree> trees, int lines, double parseMs, OutputKind outputKind, bool nullable, string? note)
    {
        Name = name;
        Kind = kind;
        Trees = trees;
        Lines = lines;
        ParseMs = parseMs;
        OutputKind = outputKind;
        Nullable = nullable;
        Note = note;
        Methods = trees.Sum(tree => tree.GetRoot().DescendantNodes().Count(node => node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax));
    }

    public string Name { get; }

    public InputKind Kind { get; }

    public ImmutableArray<SyntaxTree> Trees { get; }

    public int Files => Trees.Length;

    public int Lines { get; }

    /// <summary>Methods, constructors, operators and local functions.</summary>
    public int Methods { get; }

    public double ParseMs { get; }

    public OutputKind OutputKind { get; }

    public bool Nullable { get; }

    public string? Note { get; }

    public bool CoreReferencesOnly => Kind == InputKind.NoLibraries;

    public bool ErrorsAllowed => Kind == InputKind.Folder;

    public GeneratedSource? Generated { get; private init; }

    public static SourceInput FromGenerated(string name, InputKind kind, GeneratedSource generated)
    {
        var watch = Stopwatch.StartNew();
        var trees = generated.Files
            .Select(file => CSharpSyntaxTree.ParseText(file.Text, ParseOptions, path: file.Path, encoding: Encoding.UTF8))
            .ToImmutableArray();
        foreach (var tree in trees)
        {
            tree.GetRoot();
        }

        var parseMs = watch.Elapsed.TotalMilliseconds;
        return new SourceInput(name, kind, trees, generated.Lines, parseMs, OutputKind.DynamicallyLinkedLibrary, nullable: true, note: null)
        {
            Generated = generated,
        };
    }

    /// <summary>
    /// Every .cs file under <paramref name="folder"/> except bin/ and obj/. If the project file in the folder (or a
    /// Directory.Build.props above it) enables ImplicitUsings, the SDK's global usings are added (the Web SDK's for
    /// Sdk="Microsoft.NET.Sdk.Web"); its Nullable setting is honoured. Source generators (Razor, regex, JSON, logging) are not run.
    /// </summary>
    public static SourceInput FromFolder(string name, InputKind kind, string folder)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"No folder {folder}.");
        }

        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(folder, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"No .cs files under {folder}.");
        }

        // The project's settings: its project file, then the Directory.Build.props files above it.
        var project = Directory.EnumerateFiles(folder, "*.csproj", SearchOption.TopDirectoryOnly).FirstOrDefault();
        var projectText = project is null ? string.Empty : File.ReadAllText(project);
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            var props = Path.Combine(directory.FullName, "Directory.Build.props");
            if (File.Exists(props))
            {
                projectText += File.ReadAllText(props);
            }
        }

        var implicitUsings = Regex.IsMatch(projectText, @"<ImplicitUsings>\s*(enable|true)\s*</ImplicitUsings>", RegexOptions.IgnoreCase);
        var web = projectText.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase);
        var nullable = project is null || Regex.IsMatch(projectText, @"<Nullable>\s*enable\s*</Nullable>", RegexOptions.IgnoreCase);

        var watch = Stopwatch.StartNew();
        var trees = new List<SyntaxTree>();
        var lines = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            lines += GeneratedSource.CountLines(text);
            trees.Add(CSharpSyntaxTree.ParseText(text, ParseOptions, path: file, encoding: Encoding.UTF8));
        }

        string? note = project is null ? "no project file: no implicit usings, nullable enabled" : $"{Path.GetFileName(project)}: implicit usings {(implicitUsings ? (web ? "on (Web SDK)" : "on") : "off")}, nullable {(nullable ? "on" : "off")}";
        if (implicitUsings)
        {
            trees.Add(CSharpSyntaxTree.ParseText(GeneratedSource.GlobalUsings(web ? GeneratedSource.WebImplicitUsings : GeneratedSource.ConsoleImplicitUsings), ParseOptions, path: "GlobalUsings.g.cs", encoding: Encoding.UTF8));
        }

        foreach (var tree in trees)
        {
            tree.GetRoot();
        }

        var parseMs = watch.Elapsed.TotalMilliseconds;
        var topLevel = trees.Any(tree => tree.GetRoot() is CompilationUnitSyntax unit && unit.Members.OfType<GlobalStatementSyntax>().Any());
        return new SourceInput(name, kind, trees.ToImmutableArray(), lines, parseMs, topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullable, note);
    }

    public CSharpCompilation CreateCompilation(References references)
        => CSharpCompilation.Create(
            "Benchmark_" + Regex.Replace(Name, "[^A-Za-z0-9]", "_"),
            Trees,
            CoreReferencesOnly ? references.CoreOnly : references.Full,
            new CSharpCompilationOptions(
                OutputKind,
                nullableContextOptions: Nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable,
                optimizationLevel: OptimizationLevel.Release,
                concurrentBuild: false,
                specificDiagnosticOptions: AnalyzerSets.DiagnosticOptions));
}
