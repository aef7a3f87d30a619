using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;

namespace BackendRules.Api;

/// <summary>Versions in route templates: finding them (<c>v1</c>, <c>v2.0</c>, <c>{version:apiVersion}</c>) and inserting one after the API prefix.</summary>
internal static class RouteVersion
{
    /// <summary>
    /// Whether a segment names a version: a literal <c>v</c> + number (<c>v1</c>, <c>V2</c>, <c>v2.0</c>, <c>v1_1</c>,
    /// <c>v1-beta</c>, <c>v2alpha1</c>, <c>api-v1</c>, <c>vNext</c>), a date (<c>2024-05-01</c>, Azure style), or a parameter that
    /// carries one (<c>{version:apiVersion}</c>, <c>{apiVersion}</c>, <c>{api-version}</c>, <c>v{version}</c>).
    /// </summary>
    public static bool IsVersionSegment(string segment, RouteSegmentKind kind) => kind switch
    {
        RouteSegmentKind.Parameter => segment.IndexOf("version", StringComparison.OrdinalIgnoreCase) >= 0,
        RouteSegmentKind.Literal => IsVersionLiteral(segment),
        _ => false,
    };

    /// <summary>Whether any segment of the template is a version (see <see cref="IsVersionSegment"/>).</summary>
    public static bool HasVersion(string template)
    {
        if (template.Length == 0)
        {
            return false;
        }

        foreach (var (text, _, kind) in RouteTemplate.Split(template, mvcTokens: true))
        {
            if (IsVersionSegment(text, kind))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The literal text of a version segment: <c>v1</c>, <c>v2.0</c>, <c>v1-beta</c>, <c>api-v2</c>, <c>2024-05-01</c>.</summary>
    public static bool IsVersionLiteral(string segment)
    {
        if (segment.Length < 2)
        {
            return false;
        }

        if (segment.Equals("vnext", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // api-v1, api_v2, apiv3: a version after an API word.
        var start = 0;
        if (segment.StartsWith("api", StringComparison.OrdinalIgnoreCase) && segment.Length > 4)
        {
            start = segment[3] is '-' or '_' or '.' ? 4 : 3;
        }

        if (segment[start] is 'v' or 'V')
        {
            var i = start + 1;
            if (i >= segment.Length || !char.IsDigit(segment[i]))
            {
                return false;
            }

            while (i < segment.Length && (char.IsDigit(segment[i]) || (segment[i] is '.' or '_' or '-' && i + 1 < segment.Length && char.IsDigit(segment[i + 1]))))
            {
                i++;
            }

            // A pre-release label: v1beta, v1-preview, v2alpha1, v3.0-rc1.
            if (i < segment.Length && segment[i] is '-' or '.' or '_')
            {
                i++;
            }

            var label = i;
            while (i < segment.Length && char.IsLetter(segment[i]))
            {
                i++;
            }

            if (i > label && !PreReleaseLabels.Contains(segment.Substring(label, i - label)))
            {
                return false;
            }

            while (i < segment.Length && char.IsDigit(segment[i]))
            {
                i++;
            }

            return i == segment.Length;
        }

        // A date: 2024-05-01, optionally with a pre-release label (2024-05-01-preview).
        return start == 0 && segment.Length >= 10 && IsDigits(segment, 0, 4) && segment[4] == '-' && IsDigits(segment, 5, 2) && segment[7] == '-' && IsDigits(segment, 8, 2)
            && (segment.Length == 10 || (segment[10] == '-' && PreReleaseLabels.Contains(segment.Substring(11))));
    }

    private static readonly ImmutableHashSet<string> PreReleaseLabels = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase, "alpha", "beta", "preview", "rc", "pre", "dev", "exp", "experimental", "internal", "private");

    private static bool IsDigits(string text, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            if (i >= text.Length || !char.IsDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a literal segment is an API prefix the version goes after: <c>api</c>, <c>rest</c>, <c>webapi</c>, <c>public-api</c>.</summary>
    public static bool IsApiPrefix(string segment)
        => segment.Equals("api", StringComparison.OrdinalIgnoreCase)
           || segment.Equals("rest", StringComparison.OrdinalIgnoreCase)
           || segment.Equals("webapi", StringComparison.OrdinalIgnoreCase)
           || segment.Equals("restapi", StringComparison.OrdinalIgnoreCase)
           || segment.EndsWith("-api", StringComparison.OrdinalIgnoreCase)
           || segment.EndsWith("_api", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Where the version goes in a template and what is inserted there: after an API prefix among the first segments
    /// (<c>api/orders</c> → <c>api/v1/orders</c>, <c>/api</c> → <c>/api/v1</c>), else before the first segment
    /// (<c>orders</c> → <c>v1/orders</c>, <c>~/orders</c> → <c>~/v1/orders</c>); an empty template becomes the version.
    /// </summary>
    public static (int Offset, string Text) Insertion(string template, string version)
    {
        var segments = RouteTemplate.Split(template, mvcTokens: true);
        for (var i = 0; i < segments.Length && i < 3; i++)
        {
            var (text, offset, kind) = segments[i];
            if (kind == RouteSegmentKind.Literal && IsApiPrefix(text))
            {
                return (offset + text.Length, "/" + version);
            }
        }

        if (segments.Length > 0)
        {
            return (segments[0].Offset, version + "/");
        }

        var start = template.StartsWith("~/", StringComparison.Ordinal) ? 2 : 0;
        while (start < template.Length && template[start] == '/')
        {
            start++;
        }

        return (start, version);
    }

    /// <summary>
    /// The API prefix a version follows when it versions the whole API: every segment before the first version is an
    /// API prefix word or a parameter (<c>api/v1/orders</c> → <c>api</c>, <c>v2/orders</c> → empty, <c>{tenant}/api/v1</c>
    /// → <c>{}/api</c>); null when the template has no such version (<c>files/v2</c> versions one operation).
    /// </summary>
    public static string? VersionedPrefixKey(string template)
    {
        var parts = new List<string>();
        foreach (var (text, _, kind) in RouteTemplate.Split(template, mvcTokens: true))
        {
            if (IsVersionSegment(text, kind))
            {
                return string.Join("/", parts);
            }

            if (kind == RouteSegmentKind.Parameter)
            {
                parts.Add("{}");
            }
            else if (kind == RouteSegmentKind.Literal && IsApiPrefix(text))
            {
                parts.Add(text.ToLowerInvariant());
            }
            else
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// The API prefix of a template, in the form of <see cref="VersionedPrefixKey"/>: its segments up to the first API
    /// prefix word among the first three (<c>api/orders</c> → <c>api</c>), else empty (<c>orders</c>).
    /// </summary>
    public static string PrefixKey(string template)
    {
        var segments = RouteTemplate.Split(template, mvcTokens: true);
        for (var i = 0; i < segments.Length && i < 3; i++)
        {
            if (segments[i].Kind == RouteSegmentKind.Literal && IsApiPrefix(segments[i].Text))
            {
                var parts = new List<string>();
                for (var j = 0; j <= i; j++)
                {
                    parts.Add(segments[j].Kind == RouteSegmentKind.Parameter ? "{}" : segments[j].Text.ToLowerInvariant());
                }

                return string.Join("/", parts);
            }
        }

        return string.Empty;
    }

    /// <summary>The template with the version inserted (see <see cref="Insertion"/>).</summary>
    public static string Insert(string template, string version)
    {
        var (offset, text) = Insertion(template, version);
        return template.Substring(0, offset) + text + template.Substring(offset);
    }

    /// <summary>The template as the router compares it, without its version segments: literals lower-cased, parameters alike.</summary>
    public static string Unversioned(string template)
    {
        var builder = new StringBuilder();
        foreach (var (text, _, kind) in RouteTemplate.Split(template, mvcTokens: true))
        {
            if (IsVersionSegment(text, kind))
            {
                continue;
            }

            builder.Append('/').Append(kind == RouteSegmentKind.Parameter ? "{}" : text.ToLowerInvariant());
        }

        return builder.ToString();
    }

    /// <summary>The literal segments of a template, in order (tokens included as written).</summary>
    public static List<string> Literals(string template)
    {
        var literals = new List<string>();
        foreach (var (text, _, kind) in RouteTemplate.Split(template, mvcTokens: true))
        {
            if (kind != RouteSegmentKind.Parameter)
            {
                literals.Add(text);
            }
        }

        return literals;
    }
}
