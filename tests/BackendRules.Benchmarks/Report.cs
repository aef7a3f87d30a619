using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using BackendRules.Benchmarks.Inputs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendRules.Benchmarks;

/// <summary>Minimum and median of one figure over the measured runs.</summary>
internal readonly record struct Stat(double Min, double Median)
{
    public static Stat Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(value => value).ToArray();
        if (sorted.Length == 0)
        {
            return new Stat(double.NaN, double.NaN);
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Stat(sorted[0], median);
    }

    public override string ToString() => $"{Report.Ms(Min)} / {Report.Ms(Median)}";
}

/// <summary>A budget line: PASS or FAIL with the figures behind it.</summary>
internal sealed record Verdict(string Name, bool Pass, string Detail);

/// <summary>Figures derived from the runs, and the markdown report.</summary>
internal sealed class Report
{
    /// <summary>All BackendRules analyzers together, at most this share of the compile time.</summary>
    public const double CompileBudget = 0.03;

    /// <summary>All BackendRules analyzers together, at most this share of NetAnalyzers' default set.</summary>
    public const double NetAnalyzersBudget = 0.10;

    /// <summary>BackendRules' largest/smallest growth within this factor of the compile's own.</summary>
    public const double GrowthTolerance = 0.20;

    /// <summary>
    /// On a compilation without any of the libraries, "close to nothing": at most this share of the compile time,
    /// a tenth of <see cref="CompileBudget"/>.
    /// </summary>
    public const double NoLibrariesBudget = CompileBudget / 10;

    private readonly AnalyzerSets _analyzers;
    private readonly References _references;
    private readonly IReadOnlyList<InputResult> _results;
    private readonly int _runs;
    private readonly TimeSpan _elapsed;

    public Report(AnalyzerSets analyzers, References references, IReadOnlyList<InputResult> results, int runs, TimeSpan elapsed)
    {
        _analyzers = analyzers;
        _references = references;
        _results = results;
        _runs = runs;
        _elapsed = elapsed;
        Verdicts = ComputeVerdicts();
    }

    public IReadOnlyList<Verdict> Verdicts { get; }

    public static string Ms(double value) => double.IsNaN(value) ? "-" : value >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("F1", CultureInfo.InvariantCulture);

    public static string Percent(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "-" : (value * 100).ToString(value < 0.01 ? "F3" : "F2", CultureInfo.InvariantCulture) + "%";

    public static string Factor(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString("F2", CultureInfo.InvariantCulture) + "x";

    private static Stat Compile(InputResult result) => Stat.Of(result.Runs.Select(run => run.CompileMs));

    private static Stat OursTotal(InputResult result) => Stat.Of(result.Runs.Select(run => run.OursTotalMs));

    private static Stat NetTotal(InputResult result) => result.Runs.All(run => run.NetTotalMs is not null) && result.Runs.Count > 0
        ? Stat.Of(result.Runs.Select(run => run.NetTotalMs!.Value))
        : new Stat(double.NaN, double.NaN);

    private static Stat OursCpuOverCompile(InputResult result) => Stat.Of(result.Runs.Select(run => run.OursCpuMs - run.CompileCpuMs));

    private static Stat NetCpuOverCompile(InputResult result) => result.Runs.All(run => run.NetCpuMs is not null) && result.Runs.Count > 0
        ? Stat.Of(result.Runs.Select(run => run.NetCpuMs!.Value - run.CompileCpuMs))
        : new Stat(double.NaN, double.NaN);

    private static Stat Analyzer(InputResult result, string name, bool ours)
        => result.Runs.Count == 0 || (!ours && result.Runs.Any(run => run.Net is null))
            ? new Stat(double.NaN, double.NaN)
            : Stat.Of(result.Runs.Select(run => (ours ? run.Ours : run.Net!).TryGetValue(name, out var value) ? value : 0));

    /// <summary>The NetAnalyzers analyzers that report CA2100 (their time is CA2100's time).</summary>
    private IEnumerable<DiagnosticAnalyzer> Ca2100Analyzers => _analyzers.NetAnalyzers.Where(analyzer => analyzer.SupportedDiagnostics.Any(descriptor => descriptor.Id == AnalyzerSets.Ca2100));

    private Stat Ca2100(InputResult result)
    {
        var names = Ca2100Analyzers.Select(AnalyzerSets.Name).Distinct().ToList();
        return result.Runs.Count == 0 || result.Runs.Any(run => run.Net is null)
            ? new Stat(double.NaN, double.NaN)
            : Stat.Of(result.Runs.Select(run => names.Sum(name => run.Net!.TryGetValue(name, out var value) ? value : 0)));
    }

    private IEnumerable<InputResult> Measured => _results.Where(result => !result.Refused && result.Runs.Count > 0);

    private List<InputResult> Synthetic => Measured.Where(result => result.Input.Kind == InputKind.Synthetic).OrderBy(result => result.Lines).ToList();

    private List<Verdict> ComputeVerdicts()
    {
        var verdicts = new List<Verdict>();
        var synthetic = Synthetic;
        if (synthetic.Count > 0)
        {
            var largest = synthetic[^1];
            var ours = OursTotal(largest).Median;
            var compile = Compile(largest).Median;
            var net = NetTotal(largest).Median;
            verdicts.Add(new Verdict(
                $"BackendRules / compile on {largest.Name}",
                ours <= CompileBudget * compile,
                $"{Ms(ours)} ms / {Ms(compile)} ms = {Percent(ours / compile)} (budget {Percent(CompileBudget)})"));
            if (!double.IsNaN(net))
            {
                verdicts.Add(new Verdict(
                    $"BackendRules / NetAnalyzers on {largest.Name}",
                    ours <= NetAnalyzersBudget * net,
                    $"{Ms(ours)} ms / {Ms(net)} ms = {Percent(ours / net)} (budget {Percent(NetAnalyzersBudget)})"));
            }

            if (synthetic.Count > 1)
            {
                var smallest = synthetic[0];
                var ourGrowth = ours / OursTotal(smallest).Median;
                var compileGrowth = compile / Compile(smallest).Median;
                var relation = ourGrowth / compileGrowth;
                var pass = Math.Abs(relation - 1) <= GrowthTolerance;
                var note = pass ? string.Empty : relation < 1 ? "; BackendRules grows more slowly than the compile" : "; BackendRules grows faster than the compile";
                verdicts.Add(new Verdict(
                    $"Growth {largest.Name} / {smallest.Name}",
                    pass,
                    $"BackendRules {Factor(ourGrowth)}, compile {Factor(compileGrowth)}: BackendRules' growth is {Factor(relation)} the compile's (budget within ±{Percent(GrowthTolerance)}{note})"));
            }
        }

        foreach (var plain in Measured.Where(result => result.Input.Kind == InputKind.NoLibraries))
        {
            var ours = OursTotal(plain).Median;
            var compile = Compile(plain).Median;
            var libraries = plain.LibraryTypesFound.Count == 0 ? "none of the library types resolve" : "library types resolve: " + string.Join(", ", plain.LibraryTypesFound);
            verdicts.Add(new Verdict(
                $"No libraries: BackendRules / compile on {plain.Name}",
                ours <= NoLibrariesBudget * compile && plain.LibraryTypesFound.Count == 0,
                $"{Ms(ours)} ms / {Ms(compile)} ms = {Percent(ours / compile)} (budget {Percent(NoLibrariesBudget)}; {libraries})"));
        }

        return verdicts;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var roslyn = typeof(Compilation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        var plus = roslyn.IndexOf('+', StringComparison.Ordinal);
        roslyn = plus > 0 ? roslyn.Substring(0, plus) : roslyn;
        var ours = _analyzers.Ours.Select(analyzer => (Name: AnalyzerSets.Name(analyzer), Rules: AnalyzerSets.Rules(analyzer))).ToList();
        var ca2100Names = string.Join(", ", Ca2100Analyzers.Select(analyzer => $"{AnalyzerSets.Name(analyzer)} ({AnalyzerSets.Rules(analyzer)})"));

        text.AppendLine("# BackendRules performance benchmark");
        text.AppendLine();
        text.AppendLine($"- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, host Roslyn {roslyn}");
        text.AppendLine($"- BackendRules: {string.Join(", ", ours.Select(analyzer => $"{analyzer.Name} ({analyzer.Rules})"))}");
        text.AppendLine($"- NetAnalyzers {_analyzers.NetAnalyzersVersion}: {_analyzers.NetAnalyzers.Length} of its {_analyzers.NetAnalyzersInPackage} C# analyzers (every one with a rule enabled by default, at default severity) plus CA2100 switched on; CA2100 = {ca2100Names}");
        text.AppendLine($"- Per input: 1 warm-up run, then {_runs} measured run(s); times in ms as min / median. The compile is single-threaded (concurrentBuild=false); analyzers run one at a time (concurrentAnalysis=false) while the driver compiles on another thread. JIT: TieredCompilation off (optimised code from the first call).");
        text.AppendLine($"- Compile = GetDiagnostics() on a fresh compilation (parse excluded, no emit). Analyzer times = the execution time Roslyn attributes to each analyzer (logAnalyzerExecutionTime), each set run alone through CompilationWithAnalyzers on a fresh compilation.");
        text.AppendLine($"- References: {_references.Full.Length} (Microsoft.NETCore.App and Microsoft.AspNetCore.App reference packs, Dapper, Microsoft.Data.Sqlite, EF Core Sqlite); no-libraries input: {_references.CoreOnly.Length} (Microsoft.NETCore.App without {string.Join(", ", _references.CoreExcluded)})");
        text.AppendLine($"- Total benchmark time: {_elapsed.TotalSeconds:F0} s");
        text.AppendLine();

        text.AppendLine("## Inputs");
        text.AppendLine();
        text.AppendLine("| Input | Files | Lines | Methods | Parse ms | Compile errors / warnings | Planted (methods) | BackendRules reported | CA2100 | NetAnalyzers diagnostics | AD0001 ours / Net |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|---|---:|---:|---|");
        foreach (var result in _results)
        {
            var planted = result.Planted is null
                ? "-"
                : result.Planted.Count == 0 ? "none"
                : string.Join(", ", result.Planted.Select(pair => $"{pair.Key}: {pair.Value}")) + $" ({result.ViolatingMethods} = {Percent((double)result.ViolatingMethods!.Value / result.Methods)} of methods)";
            var reported = result.OurDiagnostics.Count == 0 ? "none" : string.Join(", ", result.OurDiagnostics.Select(pair => $"{pair.Key}: {pair.Value}"));
            var ca2100 = result.NetDiagnostics is null ? "-" : (result.NetDiagnostics.TryGetValue(AnalyzerSets.Ca2100, out var count) ? count : 0).ToString(CultureInfo.InvariantCulture);
            var net = result.NetDiagnostics is null ? "-" : result.NetDiagnostics.Values.Sum().ToString(CultureInfo.InvariantCulture);
            text.AppendLine($"| {result.Name} | {result.Files} | {result.Lines} | {result.Methods} | {Ms(result.ParseMs)} | {result.CompileErrors} / {result.CompileWarnings} | {planted} | {reported} | {ca2100} | {net} | {result.OurAnalyzerExceptions} / {(result.NetDiagnostics is null ? "-" : result.NetAnalyzerExceptions.ToString(CultureInfo.InvariantCulture))} |");
        }

        text.AppendLine();
        foreach (var result in _results.Where(result => result.Note is not null || result.TopWarnings.Count > 0))
        {
            var warnings = result.TopWarnings.Count == 0 ? null : "most frequent compiler warnings: " + string.Join(", ", result.TopWarnings.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} x{pair.Value}"));
            text.AppendLine($"- {result.Name}: {string.Join("; ", new[] { result.Note, warnings }.Where(part => part is not null))}");
        }

        foreach (var result in _results.Where(result => result.Refused))
        {
            text.AppendLine($"- **{result.Name}: not measured: it has {result.CompileErrors} compile error(s)**; first ones:");
            foreach (var error in result.FirstErrors.Take(10))
            {
                text.AppendLine($"  - `{error}`");
            }
        }

        foreach (var result in _results.Where(result => result.Input.ErrorsAllowed && result.CompileErrors > 0))
        {
            text.AppendLine($"- {result.Name}: measured with {result.CompileErrors} compile error(s) (allowed for folders); first: `{result.FirstErrors.FirstOrDefault()}`");
        }

        foreach (var result in _results.Where(result => result.AnalyzerExceptionMessages.Count > 0))
        {
            text.AppendLine($"- **{result.Name}: BackendRules threw (AD0001)**: {result.AnalyzerExceptionMessages[0]}");
        }

        text.AppendLine();
        text.AppendLine("## Times (ms, min / median)");
        text.AppendLine();
        text.AppendLine("| Input | Compile | BackendRules total | " + string.Join(" | ", ours.Select(analyzer => analyzer.Rules)) + " | NetAnalyzers total | CA2100 | BackendRules: added CPU | NetAnalyzers: added CPU |");
        text.AppendLine("|---|---:|---:|" + string.Concat(ours.Select(_ => "---:|")) + "---:|---:|---:|---:|");
        foreach (var result in Measured)
        {
            var perAnalyzer = string.Join(" | ", ours.Select(analyzer => Analyzer(result, analyzer.Name, ours: true).ToString()));
            text.AppendLine($"| {result.Name} | {Compile(result)} | {OursTotal(result)} | {perAnalyzer} | {NetTotal(result)} | {Ca2100(result)} | {OursCpuOverCompile(result)} | {NetCpuOverCompile(result)} |");
        }

        text.AppendLine();
        text.AppendLine("Added CPU: process CPU time of the analyzer step (the driver compiles on one thread and analyses on another) minus that of the compile step: everything running that set alone adds to a compile, attributed or not (operation trees, semantic models, the driver). NetAnalyzers already pays for most of the shared part in a build that runs it (the SDK's default).");
        if (Measured.Any(result => result.Runs.Any(run => run.OursCpuMs < run.CompileCpuMs)))
        {
            text.AppendLine("Negative: the driver skipped the compile, because no analyzer registered anything beyond its compilation-start action.");
        }

        text.AppendLine();
        text.AppendLine("## Ratios (of medians)");
        text.AppendLine();
        text.AppendLine("| Input | BackendRules / compile | BackendRules / NetAnalyzers | " + string.Join(" | ", ours.Select(analyzer => $"{analyzer.Rules} / CA2100")) + " |");
        text.AppendLine("|---|---:|---:|" + string.Concat(ours.Select(_ => "---:|")));
        foreach (var result in Measured)
        {
            var oursTotal = OursTotal(result).Median;
            var ca2100 = Ca2100(result).Median;
            var perRule = string.Join(" | ", ours.Select(analyzer => Factor(Analyzer(result, analyzer.Name, ours: true).Median / ca2100)));
            text.AppendLine($"| {result.Name} | {Percent(oursTotal / Compile(result).Median)} | {Percent(oursTotal / NetTotal(result).Median)} | {perRule} |");
        }

        var largestWithNet = Measured.Where(result => result.Runs.All(run => run.Net is not null)).OrderBy(result => result.Lines).LastOrDefault();
        if (largestWithNet is not null)
        {
            text.AppendLine();
            text.AppendLine($"## Slowest analyzers on {largestWithNet.Name} (median ms)");
            text.AppendLine();
            text.AppendLine("| Analyzer | Rules | Median ms | Share of NetAnalyzers |");
            text.AppendLine("|---|---|---:|---:|");
            var netTotal = NetTotal(largestWithNet).Median;
            var rules = _analyzers.NetAnalyzers.Concat(_analyzers.Ours).GroupBy(AnalyzerSets.Name).ToDictionary(group => group.Key, group => AnalyzerSets.Rules(group.First()));
            var rows = largestWithNet.Runs[0].Net!.Keys.Select(name => (Name: name, Ours: false, Time: Analyzer(largestWithNet, name, ours: false).Median))
                .OrderByDescending(row => row.Time)
                .Take(10)
                .Concat(ours.Select(analyzer => (Name: analyzer.Name, Ours: true, Time: Analyzer(largestWithNet, analyzer.Name, ours: true).Median)))
                .Concat(Ca2100Analyzers.Select(analyzer => (Name: AnalyzerSets.Name(analyzer), Ours: false, Time: Analyzer(largestWithNet, AnalyzerSets.Name(analyzer), ours: false).Median)))
                .DistinctBy(row => row.Name);
            foreach (var row in rows)
            {
                var shown = rules.TryGetValue(row.Name, out var ids) ? (ids.Length > 40 ? ids.Substring(0, 40) + "..." : ids) : "?";
                text.AppendLine($"| {(row.Ours ? "**" + row.Name + "** (BackendRules)" : row.Name)} | {shown} | {Ms(row.Time)} | {Percent(row.Time / netTotal)} |");
            }
        }

        text.AppendLine();
        text.AppendLine("## Budget");
        text.AppendLine();
        if (Verdicts.Count == 0)
        {
            text.AppendLine("No synthetic or no-libraries input was measured: no verdicts.");
        }

        foreach (var verdict in Verdicts)
        {
            text.AppendLine($"- {(verdict.Pass ? "PASS" : "FAIL")} {verdict.Name}: {verdict.Detail}");
        }

        return text.ToString();
    }

    public object ToJson() => new
    {
        DateUtc = DateTime.UtcNow,
        Environment.ProcessorCount,
        Os = RuntimeInformation.OSDescription,
        Runtime = Environment.Version.ToString(),
        HostRoslyn = typeof(Compilation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        _analyzers.NetAnalyzersVersion,
        NetAnalyzersInDefaultSet = _analyzers.NetAnalyzers.Length,
        _analyzers.NetAnalyzersInPackage,
        BackendRulesAnalyzers = _analyzers.Ours.Select(analyzer => new { Name = AnalyzerSets.Name(analyzer), Rules = AnalyzerSets.Rules(analyzer) }),
        Runs = _runs,
        ElapsedSeconds = _elapsed.TotalSeconds,
        Inputs = _results.Select(result => new
        {
            Result = result,
            Summary = result.Runs.Count == 0 ? null : new
            {
                CompileMs = Compile(result),
                BackendRulesMs = OursTotal(result),
                NetAnalyzersMs = NetTotal(result),
                Ca2100Ms = Ca2100(result),
                BackendRulesAddedCpuMs = OursCpuOverCompile(result),
                NetAnalyzersAddedCpuMs = NetCpuOverCompile(result),
                BackendRulesOverCompile = OursTotal(result).Median / Compile(result).Median,
                BackendRulesOverNetAnalyzers = OursTotal(result).Median / NetTotal(result).Median,
            },
        }),
        Verdicts,
    };
}
