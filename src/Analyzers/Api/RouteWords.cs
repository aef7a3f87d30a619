using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace BackendRules.Api;

/// <summary>Words of a route segment: camelCase, PascalCase, kebab-case and snake_case all split the same way.</summary>
internal static class RouteWords
{
    /// <summary>The start and length of each word; separators are anything but letters and digits.</summary>
    public static List<(int Start, int Length)> Split(string text)
    {
        var words = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '-';
            if (!char.IsLetterOrDigit(c))
            {
                if (start >= 0)
                {
                    words.Add((start, i - start));
                    start = -1;
                }

                continue;
            }

            if (start < 0)
            {
                start = i;
                continue;
            }

            var previous = text[i - 1];
            var boundary = char.IsUpper(c) && (char.IsLower(previous) || char.IsDigit(previous)
                || (char.IsUpper(previous) && i + 1 < text.Length && char.IsLower(text[i + 1])));
            if (boundary)
            {
                words.Add((start, i - start));
                start = i;
            }
        }

        return words;
    }

    public static List<string> Words(string text) => Split(text).Select(w => text.Substring(w.Start, w.Length)).ToList();

    /// <summary>The part of a segment that names something: before a custom-method suffix such as <c>:activate</c>.</summary>
    public static string Name(string segment)
    {
        var colon = segment.IndexOf(':');
        return colon >= 0 ? segment.Substring(0, colon) : segment;
    }

    /// <summary>
    /// The verb a literal segment starts with, or null: only the first whole word counts (<c>settings</c> is not
    /// <c>set</c>), custom-method suffixes (<c>users:activate</c>) and allowed segments are never verbs.
    /// </summary>
    public static string? LeadingVerb(string segment, ImmutableHashSet<string> verbs, ImmutableHashSet<string> allowed)
    {
        var name = Name(segment);
        if (name.Length == 0 || allowed.Contains(segment) || allowed.Contains(name))
        {
            return null;
        }

        var words = Split(name);
        if (words.Count == 0)
        {
            return null;
        }

        var first = name.Substring(words[0].Start, words[0].Length).ToLowerInvariant();
        return verbs.Contains(first) ? first : null;
    }

    /// <summary>Lower-case kebab-case of the words.</summary>
    public static string Kebab(IEnumerable<string> words) => string.Join("-", words.Select(w => w.ToLowerInvariant()));

    private static readonly ImmutableDictionary<string, string> Irregular = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["person"] = "people",
        ["child"] = "children",
        ["man"] = "men",
        ["woman"] = "women",
        ["mouse"] = "mice",
        ["goose"] = "geese",
        ["foot"] = "feet",
        ["tooth"] = "teeth",
    }.ToImmutableDictionary();

    private static readonly ImmutableHashSet<string> Uncountable = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "data", "metadata", "information", "info", "equipment", "news", "media", "feedback", "staff", "series", "species", "sheep", "fish", "software", "hardware", "money", "audio", "video", "traffic", "analytics", "people", "children", "men", "women", "mice", "geese", "feet", "teeth");

    /// <summary>Simple English plural of a lower-case word; words that already look plural are left alone.</summary>
    public static string Pluralize(string word)
    {
        if (word.Length < 2 || Uncountable.Contains(word) || word.Any(char.IsDigit))
        {
            return word;
        }

        if (Irregular.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        if (word.EndsWith("s", StringComparison.Ordinal) && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
        {
            return word;
        }

        if (word.EndsWith("is", StringComparison.Ordinal) && word.Length > 3)
        {
            return word.Substring(0, word.Length - 2) + "es";
        }

        if (word.EndsWith("y", StringComparison.Ordinal) && !IsVowel(word[word.Length - 2]))
        {
            return word.Substring(0, word.Length - 1) + "ies";
        }

        if (word.EndsWith("s", StringComparison.Ordinal) || word.EndsWith("x", StringComparison.Ordinal) || word.EndsWith("z", StringComparison.Ordinal)
            || word.EndsWith("ch", StringComparison.Ordinal) || word.EndsWith("sh", StringComparison.Ordinal))
        {
            return word + "es";
        }

        return word + "s";
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
