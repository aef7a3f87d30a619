using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace BackendRules.Api;

/// <summary>Names that mean "paging": request inputs (page, pageSize, cursor ...) and envelope members (TotalCount, NextLink ...).</summary>
internal static class PaginationNames
{
    /// <summary>
    /// Exact names match inputs of any type; names with a <c>*</c> (<c>*Limit</c>, <c>max*</c>) are patterns and match
    /// integer inputs only: a number that caps the rows (<c>resultLimit</c>, <c>maxResults</c>), not a filter such as
    /// <c>string? rateLimit</c>.
    /// </summary>
    public static readonly ImmutableArray<string> DefaultPageParameterNames = ImmutableArray.Create(
        "page", "pageNumber", "pageIndex", "pageSize", "per_page", "limit", "count", "offset", "skip", "take", "top", "first",
        "after", "before", "cursor", "continuationToken", "pageToken", "startAfter", "startingAfter", "endingBefore",
        "since", "sinceId", "*Limit", "*Max", "max*");

    // Normalized (lower case, letters and digits only).
    private static readonly HashSet<string> EnvelopeMembers = new()
    {
        "nextpagetoken", "nextlink", "odatanextlink", "nextpage", "nextpageurl", "nextcursor", "continuationtoken",
        "totalcount", "totalitemcount", "totalitems", "totalpages", "totalrecords", "total", "hasmore", "hasnextpage",
        "hasnext", "haspreviouspage", "pagenumber", "pageindex", "pagesize", "pagecount", "page", "cursor",
    };

    /// <summary>Lower case with separators dropped, so <c>pageSize</c>, <c>page_size</c> and <c>PAGE-SIZE</c> are one name.</summary>
    public static string Normalize(string name) => Normalize(name, keepWildcards: false);

    private static string Normalize(string name, bool keepWildcards)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c) || (keepWildcards && c == '*'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    public static PageNameSet NormalizeAll(IEnumerable<string> names)
    {
        var exact = ImmutableHashSet.CreateBuilder<string>();
        var patterns = ImmutableArray.CreateBuilder<string>();
        foreach (var name in names)
        {
            var normalized = Normalize(name, keepWildcards: true);
            if (normalized.Replace("*", string.Empty).Length == 0)
            {
                continue;
            }

            if (normalized.IndexOf('*') >= 0)
            {
                patterns.Add(normalized);
            }
            else
            {
                exact.Add(normalized);
            }
        }

        return new PageNameSet(exact.ToImmutable(), patterns.ToImmutable());
    }

    public static bool IsEnvelopeMember(string name) => EnvelopeMembers.Contains(Normalize(name));

    /// <summary>Glob match of a normalized name against a normalized pattern whose only wildcard is <c>*</c>.</summary>
    internal static bool Matches(string name, string pattern)
    {
        var parts = pattern.Split('*');
        if (!name.StartsWith(parts[0], System.StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = parts[i].Length == 0 ? position : name.IndexOf(parts[i], position, System.StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        var last = parts[parts.Length - 1];
        return name.Length - position >= last.Length && name.EndsWith(last, System.StringComparison.Ordinal)
            && name.Length > pattern.Length - (parts.Length - 1); // a wildcard stands for at least one character
    }
}

/// <summary>The configured page input names: exact names (any type) and <c>*</c> patterns (integer inputs).</summary>
internal sealed class PageNameSet
{
    public PageNameSet(ImmutableHashSet<string> exact, ImmutableArray<string> patterns)
    {
        Exact = exact;
        Patterns = patterns;
    }

    public ImmutableHashSet<string> Exact { get; }
    public ImmutableArray<string> Patterns { get; }

    /// <summary>Whether <paramref name="name"/> names page input; <paramref name="type"/> (when known) must be an integer for a pattern to match.</summary>
    public bool Contains(string? name, ITypeSymbol? type)
    {
        if (name is null)
        {
            return false;
        }

        var normalized = PaginationNames.Normalize(name);
        if (normalized.Length == 0)
        {
            return false;
        }

        if (Exact.Contains(normalized))
        {
            return true;
        }

        return !Patterns.IsEmpty && (type is null || IsInteger(type)) && Patterns.Any(p => PaginationNames.Matches(normalized, p));
    }

    private static bool IsInteger(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type.SpecialType is SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Byte or SpecialType.System_SByte;
    }
}
