using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using BackendRules.Benchmarks;
using BackendRules.Benchmarks.Inputs;

const string Usage = """
    Usage: dotnet run -c Release --project tests/BackendRules.Benchmarks -- [options]

      --sizes N,N,...      synthetic backends of about N lines each (default 20000,100000,300000; 'none' for none)
      --runs N             measured runs per input after one warm-up run (default 3)
      --no-libraries N     plain C# of about N lines against the core framework only (default: the largest size; 0 for none)
      --sample             samples/ShopApi
      --folder PATH        every .cs file under PATH (repeatable); compile errors are reported, not fatal
      --violation-rate R   share of the SQL methods, endpoints and HTML helpers written with a violation (default 0.2)
      --write-synthetic D  also write the generated sources under directory D
      --show-diagnostics   print every BackendRules diagnostic of each input (to standard error)
      --out FILE           write the report there too (.json: JSON, anything else: markdown)
      --ours-only          skip NetAnalyzers (a quicker loop while profiling a rule; no budget verdict against them)

    Without --sizes, --sample, --folder or --no-libraries it runs the default set: the three synthetic sizes,
    no-libraries at the largest size, and the sample.
    """;

var sizes = new List<int>();
var runs = 3;
int? noLibrariesSize = null;
var sample = false;
var folders = new List<string>();
var violationRate = 0.2;
string? writeSynthetic = null;
string? outFile = null;
var explicitInputs = false;
var showDiagnostics = false;
var oursOnly = false;

try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--sizes":
                explicitInputs = true;
                var value = Next();
                if (value != "none")
                {
                    sizes.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(size => int.Parse(size.Replace("k", "000", StringComparison.OrdinalIgnoreCase), CultureInfo.InvariantCulture)));
                }

                break;
            case "--runs":
                runs = int.Parse(Next(), CultureInfo.InvariantCulture);
                break;
            case "--no-libraries":
                explicitInputs = true;
                noLibrariesSize = int.Parse(Next().Replace("k", "000", StringComparison.OrdinalIgnoreCase), CultureInfo.InvariantCulture);
                break;
            case "--sample":
                explicitInputs = true;
                sample = true;
                break;
            case "--folder":
                explicitInputs = true;
                folders.Add(Next());
                break;
            case "--violation-rate":
                violationRate = double.Parse(Next(), CultureInfo.InvariantCulture);
                break;
            case "--write-synthetic":
                writeSynthetic = Next();
                break;
            case "--show-diagnostics":
                showDiagnostics = true;
                break;
            case "--ours-only":
                oursOnly = true;
                break;
            case "--out":
                outFile = Next();
                break;
            case "-h":
            case "--help":
                Console.WriteLine(Usage);
                return 0;
            default:
                throw new ArgumentException($"Unknown option {args[i]}.");
        }
    }

    if (runs < 1 || sizes.Any(size => size < 1000) || violationRate is < 0 or > 1)
    {
        throw new ArgumentException("--runs must be at least 1, sizes at least 1000 lines, --violation-rate between 0 and 1.");
    }
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(Usage);
    return 64;
}

if (!explicitInputs)
{
    sizes.AddRange(new[] { 20_000, 100_000, 300_000 });
    sample = true;
}

sizes = sizes.Distinct().OrderBy(size => size).ToList();
noLibrariesSize ??= sizes.DefaultIfEmpty(0).Max();

void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

var total = Stopwatch.StartNew();
var references = References.Load();
var analyzers = AnalyzerSets.Load();
Log($"BackendRules analyzers: {analyzers.Ours.Length}; NetAnalyzers {analyzers.NetAnalyzersVersion}: {analyzers.NetAnalyzers.Length} of {analyzers.NetAnalyzersInPackage} C# analyzers in the default set");

var benchmark = new Benchmark(references, analyzers, Log);
var repositoryRoot = typeof(Benchmark).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "RepositoryRoot").Value!;

// JIT warm-up of the host, Roslyn and both analyzer sets on a small input, before anything is measured.
Log("process warm-up on a 3000-line synthetic backend");
benchmark.WarmUpProcess(SourceInput.FromGenerated("warm-up", InputKind.Synthetic, BackendGenerator.Generate(3000, violationRate)));

var results = new List<InputResult>();
void Measure(SourceInput input, bool runNetAnalyzers)
{
    Log($"{input.Name}: {input.Files} files, {input.Lines} lines, {input.Methods} methods, parsed in {input.ParseMs:F0} ms");
    var result = benchmark.Measure(input, runs, runNetAnalyzers);
    results.Add(result);
    if (showDiagnostics)
    {
        foreach (var line in result.OurDiagnosticLines)
        {
            Console.Error.WriteLine("    " + line);
        }
    }
}

void Write(string name, GeneratedSource generated)
{
    if (writeSynthetic is null)
    {
        return;
    }

    foreach (var (path, text) in generated.Files)
    {
        var target = Path.Combine(writeSynthetic, name, path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text);
    }
}

foreach (var size in sizes)
{
    var name = $"synthetic-{size / 1000}k";
    var generated = BackendGenerator.Generate(size, violationRate);
    Write(name, generated);
    Measure(SourceInput.FromGenerated(name, InputKind.Synthetic, generated), runNetAnalyzers: !oursOnly);
}

if (noLibrariesSize > 0)
{
    var name = $"no-libraries-{noLibrariesSize / 1000}k";
    var generated = PlainGenerator.Generate(noLibrariesSize.Value);
    Write(name, generated);
    Measure(SourceInput.FromGenerated(name, InputKind.NoLibraries, generated), runNetAnalyzers: false);
}

if (sample)
{
    Measure(SourceInput.FromFolder("sample ShopApi", InputKind.Sample, Path.Combine(repositoryRoot, "samples", "ShopApi")), runNetAnalyzers: !oursOnly);
}

foreach (var folder in folders)
{
    Measure(SourceInput.FromFolder(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), InputKind.Folder, folder), runNetAnalyzers: !oursOnly);
}

var report = new Report(analyzers, references, results, runs, total.Elapsed);
var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
if (outFile is not null)
{
    var directory = Path.GetDirectoryName(Path.GetFullPath(outFile));
    Directory.CreateDirectory(directory!);
    if (outFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        File.WriteAllText(outFile, JsonSerializer.Serialize(report.ToJson(), options));
    }
    else
    {
        File.WriteAllText(outFile, markdown);
    }

    Log($"report written to {outFile}");
}

Log($"done in {total.Elapsed.TotalSeconds:F0} s");
return results.Any(result => result.Refused) ? 2 : 0;
