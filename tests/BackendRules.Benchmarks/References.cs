using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace BackendRules.Benchmarks;

/// <summary>
/// Metadata references for the measured compilations, read from compilation-references.txt, which the build writes
/// from this project's own compile references: the Microsoft.NETCore.App and Microsoft.AspNetCore.App reference
/// packs and the compile assets of its packages (Dapper, Microsoft.Data.Sqlite, EF Core Sqlite). The host's Roslyn
/// packages and the analyzers project are left out. Each <see cref="MetadataReference"/> is created once and shared
/// by every compilation, as a compiler server shares them between builds.
/// </summary>
internal sealed class References
{
    private sealed record Entry(string Framework, string Package, string Source, string Path);

    private References(ImmutableArray<MetadataReference> full, ImmutableArray<MetadataReference> coreOnly, ImmutableArray<string> coreExcluded)
    {
        Full = full;
        CoreOnly = coreOnly;
        CoreExcluded = coreExcluded;
    }

    /// <summary>Both reference packs and the SQL packages: what a backend project references.</summary>
    public ImmutableArray<MetadataReference> Full { get; }

    /// <summary>
    /// The Microsoft.NETCore.App reference pack without the assemblies that define ADO.NET (System.Data*) and
    /// HttpClient (System.Net.Http*); no ASP.NET Core, no packages. A project that uses none of the libraries
    /// BackendRules knows about.
    /// </summary>
    public ImmutableArray<MetadataReference> CoreOnly { get; }

    /// <summary>The file names left out of <see cref="CoreOnly"/>.</summary>
    public ImmutableArray<string> CoreExcluded { get; }

    public static References Load()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "compilation-references.txt");
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{file} is missing: build the benchmark project with 'dotnet build' (its WriteCompilationReferences target writes it).");
        }

        var entries = File.ReadAllLines(file)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('|'))
            .Select(parts => new Entry(parts[0], parts[1], parts[2], parts[3]))
            .Where(entry => entry.Source != "ProjectReference" && !entry.Package.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase))
            .OrderBy(entry => entry.Path, StringComparer.Ordinal)
            .ToList();

        var cache = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
        MetadataReference Get(string path)
        {
            if (!cache.TryGetValue(path, out var reference))
            {
                reference = MetadataReference.CreateFromFile(path);
                cache[path] = reference;
            }

            return reference;
        }

        var full = entries.Select(entry => Get(entry.Path)).ToImmutableArray();
        var excluded = new List<string>();
        var core = new List<MetadataReference>();
        foreach (var entry in entries.Where(entry => entry.Framework == "Microsoft.NETCore.App"))
        {
            var name = Path.GetFileName(entry.Path);
            if (name.StartsWith("System.Data", StringComparison.OrdinalIgnoreCase) || name.StartsWith("System.Net.Http", StringComparison.OrdinalIgnoreCase))
            {
                excluded.Add(name);
                continue;
            }

            core.Add(Get(entry.Path));
        }

        if (full.Length == 0 || core.Count == 0)
        {
            throw new InvalidOperationException($"{file} lists no usable references.");
        }

        return new References(full, core.ToImmutableArray(), excluded.ToImmutableArray());
    }
}
