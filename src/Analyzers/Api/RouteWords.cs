using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using BackendRules.Internal;

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

    /// <summary>The words of <paramref name="text"/> as written (remembered: the route rules ask for the same segments again and again).</summary>
    public static ImmutableArray<string> Words(string text) => WrittenWords.Get(text);

    /// <summary>The words of <paramref name="text"/> in lower case (remembered, as <see cref="Words"/>).</summary>
    public static ImmutableArray<string> LowerWords(string text) => LowerCaseWords.Get(text);

    private static readonly StringMemo<ImmutableArray<string>> WrittenWords = new(text => WordsOf(text, lower: false));
    private static readonly StringMemo<ImmutableArray<string>> LowerCaseWords = new(text => WordsOf(text, lower: true));

    private static ImmutableArray<string> WordsOf(string text, bool lower)
    {
        var spans = Split(text);
        var words = ImmutableArray.CreateBuilder<string>(spans.Count);
        foreach (var (start, length) in spans)
        {
            var word = text.Substring(start, length);
            words.Add(lower ? word.ToLowerInvariant() : word);
        }

        return words.MoveToImmutable();
    }

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
}
