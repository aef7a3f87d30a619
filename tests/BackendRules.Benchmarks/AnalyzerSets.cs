using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendRules.Benchmarks;

/// <summary>The two analyzer sets that are measured.</summary>
internal sealed class AnalyzerSets
{
    public const string Ca2100 = "CA2100";

    private AnalyzerSets(ImmutableArray<DiagnosticAnalyzer> ours, ImmutableArray<DiagnosticAnalyzer> netAnalyzers, int netAnalyzersInPackage, string netAnalyzersVersion, string netAnalyzersDirectory)
    {
        Ours = ours;
        NetAnalyzers = netAnalyzers;
        NetAnalyzersInPackage = netAnalyzersInPackage;
        NetAnalyzersVersion = netAnalyzersVersion;
        NetAnalyzersDirectory = netAnalyzersDirectory;
    }

    /// <summary>Every analyzer in BackendRules.Analyzers.dll.</summary>
    public ImmutableArray<DiagnosticAnalyzer> Ours { get; }

    /// <summary>NetAnalyzers' C# analyzers that report at least one rule enabled by default, plus the one that reports CA2100.</summary>
    public ImmutableArray<DiagnosticAnalyzer> NetAnalyzers { get; }

    public int NetAnalyzersInPackage { get; }

    public string NetAnalyzersVersion { get; }

    public string NetAnalyzersDirectory { get; }

    /// <summary>
    /// The diagnostic options every measured compilation uses, so the compile-only, BackendRules and NetAnalyzers
    /// runs see the same compilation: CA2100 switched on (it is off by default), CS1701 and CS1702 off as the .NET
    /// SDK's default NoWarn has them, everything else at its default.
    /// </summary>
    public static ImmutableDictionary<string, ReportDiagnostic> DiagnosticOptions { get; } =
        ImmutableDictionary<string, ReportDiagnostic>.Empty
            .Add(Ca2100, ReportDiagnostic.Warn)
            .Add("CS1701", ReportDiagnostic.Suppress)
            .Add("CS1702", ReportDiagnostic.Suppress);

    public static string Name(DiagnosticAnalyzer analyzer) => analyzer.GetType().Name;

    public static string Rules(DiagnosticAnalyzer analyzer)
        => string.Join(",", analyzer.SupportedDiagnostics.Select(descriptor => descriptor.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));

    public static AnalyzerSets Load()
    {
        var ours = typeof(BackendRules.Sql.SqlConcatenationAnalyzer).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .Where(type => type.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(attribute => attribute.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(type => type.Name, StringComparer.Ordinal)
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();
        var metadata = typeof(AnalyzerSets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(attribute => attribute.Key, attribute => attribute.Value ?? string.Empty);
        var directory = metadata["NetAnalyzersDirectory"];
        var files = Directory.GetFiles(directory, "*.dll").OrderBy(path => path, StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"No NetAnalyzers assemblies in {directory}: restore the benchmark project.");
        }

        // The two NetAnalyzers assemblies reference each other and the host's Microsoft.CodeAnalysis; load them into
        // the default context, resolving siblings from the package folder.
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };

        var loader = new DefaultContextLoader();
        var all = new List<DiagnosticAnalyzer>();
        var failures = new List<string>();
        foreach (var file in files)
        {
            var reference = new AnalyzerFileReference(file, loader);
            reference.AnalyzerLoadFailed += (_, e) => failures.Add($"{Path.GetFileName(file)}: {e.ErrorCode} {e.TypeName} {e.Message}");
            all.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException("NetAnalyzers failed to load (is the host Roslyn older than the one they need?):" + Environment.NewLine + string.Join(Environment.NewLine, failures));
        }

        var defaultSet = all
            .Where(analyzer => analyzer.SupportedDiagnostics.Any(descriptor => descriptor.IsEnabledByDefault || descriptor.Id == Ca2100))
            .OrderBy(Name, StringComparer.Ordinal)
            .ToImmutableArray();
        if (!defaultSet.Any(analyzer => analyzer.SupportedDiagnostics.Any(descriptor => descriptor.Id == Ca2100)))
        {
            throw new InvalidOperationException("No NetAnalyzers analyzer supports CA2100.");
        }

        return new AnalyzerSets(ours, defaultSet, all.Count, metadata["NetAnalyzersVersion"], directory);
    }

    private sealed class DefaultContextLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}
