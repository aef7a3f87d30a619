using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace BackendRules.IdeTests.Infrastructure;

/// <summary>
/// One intentional violation of the sample: the comment <c>// BRxxxx: violation (...)</c> (<c>@* ... *@</c> in Razor)
/// sits just above the reported code and says whether the light bulb offers a fix ("fixable") or not ("no fix").
/// </summary>
public sealed record Marker(string File, int Line, string Rule, bool Fixable)
{
    /// <summary>How far below its comment a marked violation may be reported.</summary>
    public const int Reach = 4;

    private static readonly Regex Comment = new(
        @"^\s*(?://|@\*)\s*(?<rule>BR\d{4})\s*:\s*violation\b(?<why>.*)$",
        RegexOptions.CultureInvariant);

    public override string ToString() => $"{Path.GetFileName(File)}:{Line} ({Rule}, {(Fixable ? "fixable" : "no fix")})";

    /// <summary>The markers of the given files (full path and text).</summary>
    public static IReadOnlyList<Marker> Read(IEnumerable<(string File, string Text)> files)
    {
        var markers = new List<Marker>();
        foreach (var (file, text) in files)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            for (var index = 0; index < lines.Length; index++)
            {
                var match = Comment.Match(lines[index]);
                if (!match.Success)
                {
                    continue;
                }

                var why = match.Groups["why"].Value;
                var saysFixable = why.Contains("fixable", StringComparison.OrdinalIgnoreCase);
                var saysNoFix = why.Contains("no fix", StringComparison.OrdinalIgnoreCase);
                if (saysFixable == saysNoFix)
                {
                    throw new InvalidOperationException($"{file}:{index + 1}: a violation comment says either 'fixable' or 'no fix': {lines[index].Trim()}");
                }

                markers.Add(new Marker(Path.GetFullPath(file), index + 1, match.Groups["rule"].Value, saysFixable));
            }
        }

        return markers;
    }

    /// <summary>
    /// The marker a report of <paramref name="rule"/> at <paramref name="file"/>:<paramref name="line"/> belongs to: the
    /// closest one above it in the same file, of the same rule, within <see cref="Reach"/> lines; null when none is.
    /// </summary>
    public static Marker? Owning(IReadOnlyList<Marker> markers, string rule, string file, int line)
    {
        var above = markers
            .Where(marker => SamePath(marker.File, file) && marker.Line < line)
            .OrderByDescending(marker => marker.Line)
            .FirstOrDefault();
        return above is not null && above.Rule == rule && line - above.Line <= Reach ? above : null;
    }

    public static bool SamePath(string left, string right) =>
        string.Equals(Path.GetFullPath(left), Path.GetFullPath(right), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
