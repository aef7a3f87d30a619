using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Runtime;
using System.Threading;
using System.Threading.Tasks;
using BackendRules.Benchmarks.Inputs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendRules.Benchmarks;

/// <summary>Times of one measured run of one input, in milliseconds.</summary>
internal sealed class RunResult
{
    /// <summary>Wall time of <c>GetDiagnostics()</c> on a fresh compilation (binding, flow analysis, all compiler checks; no emit).</summary>
    public double CompileMs { get; set; }

    /// <summary>CPU time of the process during the compile (all threads; the compile itself is single-threaded).</summary>
    public double CompileCpuMs { get; set; }

    /// <summary>Wall time of <c>GetAnalyzerDiagnosticsAsync()</c> with only BackendRules' analyzers, on a fresh compilation (includes the compile when the driver needs it).</summary>
    public double OursWallMs { get; set; }

    /// <summary>CPU time of the process during that step (the driver compiles on another thread while it analyses).</summary>
    public double OursCpuMs { get; set; }

    /// <summary>Execution time attributed to each BackendRules analyzer (its callbacks only).</summary>
    public SortedDictionary<string, double> Ours { get; set; } = new(StringComparer.Ordinal);

    public double? NetWallMs { get; set; }

    public double? NetCpuMs { get; set; }

    public SortedDictionary<string, double>? Net { get; set; }

    public double OursTotalMs => Ours.Values.Sum();

    public double? NetTotalMs => Net?.Values.Sum();
}

/// <summary>Everything measured on one input.</summary>
internal sealed class InputResult
{
    public InputResult(SourceInput input)
    {
        Input = input;
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public SourceInput Input { get; }

    public string Name => Input.Name;

    public string Kind => Input.Kind.ToString();

    public int Files => Input.Files;

    public int Lines => Input.Lines;

    public int Methods => Input.Methods;

    public double ParseMs => Input.ParseMs;

    public string? Note => Input.Note;

    public SortedDictionary<string, int>? Planted => Input.Generated?.Planted;

    public int? ViolatingMethods => Input.Generated?.ViolatingMethods;

    public int CompileErrors { get; set; }

    public int CompileWarnings { get; set; }

    public List<string> FirstErrors { get; } = new();

    /// <summary>The most frequent compiler warnings (ID and count).</summary>
    public SortedDictionary<string, int> TopWarnings { get; } = new(StringComparer.Ordinal);

    /// <summary>Types of the libraries BackendRules knows about that resolve in this compilation.</summary>
    public List<string> LibraryTypesFound { get; } = new();

    public SortedDictionary<string, int> OurDiagnostics { get; } = new(StringComparer.Ordinal);

    /// <summary>BackendRules' diagnostics (first 1000), for --show-diagnostics.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<string> OurDiagnosticLines { get; } = new();

    public SortedDictionary<string, int>? NetDiagnostics { get; set; }

    /// <summary>AD0001 (an analyzer threw), per analyzer set.</summary>
    public int OurAnalyzerExceptions { get; set; }

    public int NetAnalyzerExceptions { get; set; }

    public List<string> AnalyzerExceptionMessages { get; } = new();

    public List<RunResult> Runs { get; } = new();

    public bool Refused { get; set; }
}

/// <summary>Runs the measurements.</summary>
internal sealed class Benchmark
{
    /// <summary>Types whose presence makes a compilation "use" a library BackendRules has (or will have) rules for.</summary>
    public static readonly string[] LibraryMarkerTypes =
    {
        "System.Data.IDbCommand", "Dapper.SqlMapper", "Microsoft.EntityFrameworkCore.DbContext",
        "Microsoft.AspNetCore.Builder.WebApplication", "Microsoft.AspNetCore.Mvc.ControllerBase",
        "Microsoft.AspNetCore.Routing.IEndpointRouteBuilder", "System.Net.Http.HttpClient",
    };

    private readonly References _references;
    private readonly AnalyzerSets _analyzers;
    private readonly Action<string> _log;

    public Benchmark(References references, AnalyzerSets analyzers, Action<string> log)
    {
        _references = references;
        _analyzers = analyzers;
        _log = log;
    }

    private static CompilationWithAnalyzersOptions AnalysisOptions { get; } = new(
        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
        onAnalyzerException: null,
        concurrentAnalysis: false,
        logAnalyzerExecutionTime: true,
        reportSuppressedDiagnostics: false);

    /// <summary>One unrecorded pass over a small input, so the first measured input does not pay for JIT compilation.</summary>
    public void WarmUpProcess(SourceInput input)
    {
        _ = RunOnce(input, runNetAnalyzers: true, collect: null);
    }

    public InputResult Measure(SourceInput input, int runs, bool runNetAnalyzers)
    {
        var result = new InputResult(input);
        var probe = input.CreateCompilation(_references);
        foreach (var name in LibraryMarkerTypes)
        {
            if (probe.GetTypeByMetadataName(name) is not null)
            {
                result.LibraryTypesFound.Add(name);
            }
        }

        // Warm-up (also checks that the input compiles and collects the diagnostics of each set).
        var watch = Stopwatch.StartNew();
        _ = RunOnce(input, runNetAnalyzers, result);
        _log($"  {input.Name}: warm-up {watch.Elapsed.TotalSeconds:F1} s, {result.CompileErrors} compile error(s)");
        if (result.CompileErrors > 0 && !input.ErrorsAllowed)
        {
            result.Refused = true;
            return result;
        }

        for (var run = 1; run <= runs; run++)
        {
            watch.Restart();
            var measured = RunOnce(input, runNetAnalyzers, collect: null);
            result.Runs.Add(measured);
            _log($"  {input.Name}: run {run}/{runs} {watch.Elapsed.TotalSeconds:F1} s (compile {measured.CompileMs:F0} ms, BackendRules {measured.OursTotalMs:F1} ms"
                 + (measured.NetTotalMs is { } net ? $", NetAnalyzers {net:F0} ms)" : ")"));
        }

        return result;
    }

    private RunResult RunOnce(SourceInput input, bool runNetAnalyzers, InputResult? collect)
    {
        var run = new RunResult();

        // 1. The compile alone.
        Settle();
        var compilation = input.CreateCompilation(_references);
        var cpu = CpuMs();
        var watch = Stopwatch.StartNew();
        var compilerDiagnostics = compilation.GetDiagnostics();
        run.CompileMs = watch.Elapsed.TotalMilliseconds;
        run.CompileCpuMs = CpuMs() - cpu;
        if (collect is not null)
        {
            var errors = compilerDiagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToList();
            collect.CompileErrors = errors.Count;
            collect.CompileWarnings = compilerDiagnostics.Count(diagnostic => diagnostic.Severity == DiagnosticSeverity.Warning);
            foreach (var group in compilerDiagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Warning).GroupBy(diagnostic => diagnostic.Id).OrderByDescending(group => group.Count()).Take(5))
            {
                collect.TopWarnings[group.Key] = group.Count();
            }
            collect.FirstErrors.AddRange(errors.Take(20).Select(diagnostic => diagnostic.ToString()));
        }

        compilation = null;

        // 2. BackendRules on a fresh compilation.
        Settle();
        var (oursWall, oursCpu, ours, ourDiagnostics) = Analyze(input, _analyzers.Ours);
        run.OursWallMs = oursWall;
        run.OursCpuMs = oursCpu;
        run.Ours = ours;
        if (collect is not null)
        {
            Count(ourDiagnostics, collect.OurDiagnostics);
            collect.OurDiagnosticLines.AddRange(ourDiagnostics.OrderBy(diagnostic => diagnostic.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(diagnostic => diagnostic.Location.SourceSpan.Start).Take(1000).Select(diagnostic => diagnostic.ToString()));
            collect.OurAnalyzerExceptions = ourDiagnostics.Count(diagnostic => diagnostic.Id == "AD0001");
            collect.AnalyzerExceptionMessages.AddRange(ourDiagnostics.Where(diagnostic => diagnostic.Id == "AD0001").Take(5).Select(diagnostic => diagnostic.GetMessage()));
        }

        // 3. NetAnalyzers (default rule set + CA2100) on a fresh compilation.
        if (runNetAnalyzers)
        {
            Settle();
            var (netWall, netCpu, net, netDiagnostics) = Analyze(input, _analyzers.NetAnalyzers);
            run.NetWallMs = netWall;
            run.NetCpuMs = netCpu;
            run.Net = net;
            if (collect is not null)
            {
                collect.NetDiagnostics = new SortedDictionary<string, int>(StringComparer.Ordinal);
                Count(netDiagnostics, collect.NetDiagnostics);
                collect.NetAnalyzerExceptions = netDiagnostics.Count(diagnostic => diagnostic.Id == "AD0001");
            }
        }

        return run;
    }

    private (double WallMs, double CpuMs, SortedDictionary<string, double> Times, ImmutableArray<Diagnostic> Diagnostics) Analyze(SourceInput input, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var compilation = input.CreateCompilation(_references);

        var withAnalyzers = compilation.WithAnalyzers(analyzers, AnalysisOptions);

        // Bind the references of the compilation the driver uses first (outside the timing): every compile starts
        // with that, and otherwise the first analyzer to look up a type would be charged with it (about a
        // millisecond for ~300 references).
        _ = withAnalyzers.Compilation.GetSpecialType(SpecialType.System_Object);
        var cpu = CpuMs();
        var watch = Stopwatch.StartNew();
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var wall = watch.Elapsed.TotalMilliseconds;
        cpu = CpuMs() - cpu;
        var times = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            var name = AnalyzerSets.Name(analyzer);
            times.TryGetValue(name, out var previous);
            times[name] = previous + telemetry.ExecutionTime.TotalMilliseconds;
        }

        return (wall, cpu, times, diagnostics);
    }

    private static void Count(IEnumerable<Diagnostic> diagnostics, SortedDictionary<string, int> counts)
    {
        foreach (var diagnostic in diagnostics)
        {
            counts.TryGetValue(diagnostic.Id, out var count);
            counts[diagnostic.Id] = count + 1;
        }
    }

    /// <summary>User + kernel CPU time of this process so far, all threads (getrusage: microsecond resolution).</summary>
    private static double CpuMs() => Environment.CpuUsage.TotalTime.TotalMilliseconds;

    /// <summary>A full blocking collection before each timed step, so no step pays for the garbage of the previous one.</summary>
    private static void Settle()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
