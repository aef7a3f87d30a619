using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace BackendRules.Tests.Infrastructure;

/// <summary>
/// Metadata references for test inputs, taken from this test process's own assemblies: the .NET and ASP.NET Core
/// shared frameworks plus the packages this project references (Dapper, Microsoft.Data.Sqlite, EF Core, Serilog, Polly.Core). Nothing
/// is downloaded at test time.
/// </summary>
public static class TestReferences
{
    private static readonly string[] Prefixes =
    {
        "System.", "Microsoft.AspNetCore.", "Microsoft.Extensions.", "Microsoft.EntityFrameworkCore", "Microsoft.Data.Sqlite",
        "Microsoft.Net.Http.Headers", "Microsoft.JSInterop", "Dapper", "SQLitePCLRaw.core", "Microsoft.Win32.Primitives", "Microsoft.CSharp", "Serilog", "Polly.Core",
    };

    private static readonly string[] Names = { "mscorlib.dll", "netstandard.dll", "System.dll" };

    public static ImmutableArray<MetadataReference> All { get; } = Load();

    /// <summary><see cref="All"/> without Polly.Core: a project that does not reference Polly.</summary>
    public static ImmutableArray<MetadataReference> WithoutPolly { get; } = All
        .Where(r => !Path.GetFileName(r.Display ?? string.Empty).StartsWith("Polly.", StringComparison.OrdinalIgnoreCase))
        .ToImmutableArray();

    private static ImmutableArray<MetadataReference> Load()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return paths
            .Where(path =>
            {
                var name = Path.GetFileName(path);
                return Names.Contains(name, StringComparer.OrdinalIgnoreCase) || Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
            })
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
