using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace BackendRules.Api;

/// <summary>Names that mean "paging": request inputs (page, pageSize, cursor ...) and envelope members (TotalCount, NextLink ...).</summary>
internal static class PaginationNames
{
    public static readonly ImmutableArray<string> DefaultPageParameterNames = ImmutableArray.Create(
        "page", "pageNumber", "pageIndex", "pageSize", "per_page", "limit", "offset", "skip", "take", "top", "first",
        "after", "before", "cursor", "continuationToken", "pageToken");

    // Normalized (lower case, letters and digits only).
    private static readonly HashSet<string> EnvelopeMembers = new()
    {
        "nextpagetoken", "nextlink", "odatanextlink", "nextpage", "nextpageurl", "nextcursor", "continuationtoken",
        "totalcount", "totalitemcount", "totalitems", "totalpages", "totalrecords", "total", "hasmore", "hasnextpage",
        "hasnext", "haspreviouspage", "pagenumber", "pageindex", "pagesize", "pagecount", "page", "cursor",
    };

    /// <summary>Lower case with separators dropped, so <c>pageSize</c>, <c>page_size</c> and <c>PAGE-SIZE</c> are one name.</summary>
    public static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    public static ImmutableHashSet<string> NormalizeAll(IEnumerable<string> names)
        => names.Select(Normalize).Where(n => n.Length > 0).ToImmutableHashSet();

    public static bool IsEnvelopeMember(string name) => EnvelopeMembers.Contains(Normalize(name));
}
