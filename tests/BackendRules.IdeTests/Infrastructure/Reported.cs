using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace BackendRules.IdeTests.Infrastructure;

/// <summary>
/// A diagnostic where a person sees it: rule id, file and 1-based line and column after #line mapping (so a
/// diagnostic in the Razor generator's output is in its .cshtml file), and the severity the build would print.
/// </summary>
public sealed record Reported(string Id, string File, int Line, int Column, string Severity)
{
    // "/path/File.cs(12,34): warning BR0002: message [/path/Project.csproj]"; MSBuild may print each line twice.
    private static readonly Regex BuildLine = new(
        @"^\s*(?<file>[^\s(][^(\r\n]*?)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\)\s*:\s*(?<severity>warning|error)\s+(?<id>BR[A-Z]*\d+)\s*:",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    public static Reported From(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var severity = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "info",
            _ => "hidden",
        };
        var file = span.IsValid && span.Path.Length > 0 ? Path.GetFullPath(span.Path) : "(no file)";
        return new Reported(diagnostic.Id, file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, severity);
    }

    /// <summary>The distinct BackendRules diagnostics a <c>dotnet build</c> printed.</summary>
    public static IReadOnlyList<Reported> FromBuildOutput(string output) =>
        BuildLine.Matches(output)
            .Select(match => new Reported(
                match.Groups["id"].Value,
                Path.GetFullPath(match.Groups["file"].Value.Trim()),
                int.Parse(match.Groups["line"].Value),
                int.Parse(match.Groups["column"].Value),
                match.Groups["severity"].Value))
            .Distinct()
            .ToList();

    public string Where(string relativeTo) => $"{Path.GetRelativePath(relativeTo, File).Replace('\\', '/')}({Line},{Column})";
}
