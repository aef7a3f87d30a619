using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace BackendRules.Api;

/// <summary>
/// A small English inflector for the nouns that name API resources: whether a word is singular, and its plural.
/// Words are compared lower-case; segments (kebab, snake, camel, Pascal) inflect their last word and keep its case.
/// </summary>
internal static class Inflector
{
    private static readonly ImmutableDictionary<string, string> IrregularPlurals = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["person"] = "people", ["child"] = "children", ["man"] = "men", ["woman"] = "women", ["mouse"] = "mice",
        ["goose"] = "geese", ["foot"] = "feet", ["tooth"] = "teeth", ["ox"] = "oxen", ["louse"] = "lice",
        ["criterion"] = "criteria", ["phenomenon"] = "phenomena", ["datum"] = "data", ["medium"] = "media",
        ["index"] = "indexes", ["matrix"] = "matrices", ["vertex"] = "vertices", ["appendix"] = "appendices",
        ["cactus"] = "cacti", ["alumnus"] = "alumni", ["radius"] = "radii", ["stimulus"] = "stimuli", ["syllabus"] = "syllabi",
        ["curriculum"] = "curricula", ["bacterium"] = "bacteria", ["quiz"] = "quizzes", ["die"] = "dice",
        ["leaf"] = "leaves", ["life"] = "lives", ["knife"] = "knives", ["wife"] = "wives", ["half"] = "halves",
        ["shelf"] = "shelves", ["wolf"] = "wolves", ["calf"] = "calves", ["loaf"] = "loaves", ["thief"] = "thieves",
        ["self"] = "selves", ["elf"] = "elves", ["scarf"] = "scarves", ["wharf"] = "wharves",
        ["hero"] = "heroes", ["potato"] = "potatoes", ["tomato"] = "tomatoes", ["echo"] = "echoes", ["veto"] = "vetoes",
        ["torpedo"] = "torpedoes", ["cargo"] = "cargoes",
    }.ToImmutableDictionary();

    /// <summary>Plurals that do not end in a plural -s (and some that do, but look singular).</summary>
    private static readonly ImmutableHashSet<string> PluralForms = IrregularPlurals.Values
        .Concat(new[] { "indices", "menus", "gurus", "emus", "haikus", "tutus", "apis", "uris", "urls", "kpis", "taxis", "wikis", "skis", "emojis", "alibis", "rabbis", "okapis", "bikinis" })
        .ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>Singular words ending in -s that are not -ss/-us/-is: their plural adds -es.</summary>
    private static readonly ImmutableHashSet<string> SingularInS = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "alias", "canvas", "atlas", "bias", "gas", "lens", "bus", "plus", "minus", "iris", "tennis", "chassis", "trellis",
        "metropolis", "cannabis", "ibis", "mantis", "pancreas", "walrus", "octopus", "corpus", "campus", "census", "bonus",
        "virus", "status", "focus", "genus", "nexus", "prospectus", "apparatus", "abacus", "circus", "fungus", "thesaurus");

    /// <summary>Mass nouns and fields of study: they have no plural to ask for, never reported, never inflected.</summary>
    internal static readonly ImmutableHashSet<string> Uncountable = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "data", "metadata", "information", "info", "equipment", "news", "media", "multimedia", "feedback", "staff", "series", "species",
        "sheep", "fish", "deer", "moose", "software", "hardware", "firmware", "middleware", "malware", "money", "cash", "audio", "traffic",
        "analytics", "statistics", "physics", "economics", "mathematics", "ethics", "politics", "logistics", "diagnostics",
        "advice", "evidence", "furniture", "luggage", "baggage", "mail", "weather", "knowledge", "research", "homework",
        "music", "rice", "water", "content", "storage", "inventory", "stock", "history", "progress", "usage", "access",
        "security", "privacy", "telemetry", "metrics", "stats", "health", "maintenance", "clothing", "merchandise",
        "jewelry", "jewellery", "gear", "garbage", "trash", "spam", "bandwidth", "throughput", "latency", "compliance",
        "documentation", "guidance", "income", "revenue", "insurance", "legislation", "machinery",
        "mail", "people", "children", "men", "women", "mice", "geese", "feet", "teeth");

    /// <summary>Whether the lower-case word is an English plural (or a word that has no singular to report).</summary>
    public static bool IsPlural(string word)
    {
        if (PluralForms.Contains(word))
        {
            return true;
        }

        if (!word.EndsWith("s", StringComparison.Ordinal) || word.Length < 3 || SingularInS.Contains(word))
        {
            return false;
        }

        if (word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal))
        {
            return false;
        }

        // analysis, basis, axis, diagnosis are singular; apis, uris, taxis are plurals of -i words.
        if (word.EndsWith("is", StringComparison.Ordinal))
        {
            return !(word.EndsWith("sis", StringComparison.Ordinal) || word.EndsWith("xis", StringComparison.Ordinal) || word.EndsWith("tis", StringComparison.Ordinal));
        }

        return true;
    }

    /// <summary>Plural of a lower-case singular word; plural, uncountable and non-words come back unchanged.</summary>
    public static string Pluralize(string word)
    {
        if (word.Length < 2 || word.Any(c => !char.IsLetter(c)))
        {
            return word;
        }

        if (IrregularPlurals.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        if (Uncountable.Contains(word) || IsPlural(word))
        {
            return word;
        }

        if (!SingularInS.Contains(word) && (EndsWithAny(word, "sis", "xis") || (word.EndsWith("is", StringComparison.Ordinal) && word.Length > 4)))
        {
            // analysis → analyses, axis → axes.
            return word.Substring(0, word.Length - 2) + "es";
        }

        if (word.EndsWith("y", StringComparison.Ordinal))
        {
            return IsVowel(word[word.Length - 2]) ? word + "s" : word.Substring(0, word.Length - 1) + "ies";
        }

        if (word.EndsWith("fe", StringComparison.Ordinal) && word.Length > 3 && !EndsWithAny(word, "ffe", "safe"))
        {
            // wife/life/knife are irregular above; other -fe nouns (giraffe, cafe, safe) just take -s.
            return word + "s";
        }

        if (EndsWithAny(word, "s", "x", "z", "sh") || (word.EndsWith("ch", StringComparison.Ordinal) && !EndsWithAny(word, "stomach", "epoch", "monarch", "patriarch", "matriarch", "tech", "czech")))
        {
            return word + "es";
        }

        return word + "s";
    }

    /// <summary>
    /// The segment with its last word made plural, keeping the segment's case and separators (<c>order-item</c> →
    /// <c>order-items</c>, <c>OrderItem</c> → <c>OrderItems</c>, <c>USER</c> → <c>USERS</c>); null when the last word has no plural.
    /// </summary>
    public static string? PluralizeSegment(string segment)
    {
        var words = RouteWords.Split(segment);
        if (words.Count == 0)
        {
            return null;
        }

        var (start, length) = words[words.Count - 1];
        var word = segment.Substring(start, length);
        var lower = word.ToLowerInvariant();
        var plural = Pluralize(lower);
        if (plural == lower)
        {
            return null;
        }

        return segment.Substring(0, start) + Recase(plural, word) + segment.Substring(start + length);
    }

    /// <summary>The lower-case <paramref name="plural"/> written in the case of <paramref name="original"/>.</summary>
    private static string Recase(string plural, string original)
    {
        if (original.Length > 1 && original.All(c => !char.IsLetter(c) || char.IsUpper(c)))
        {
            return plural.ToUpperInvariant();
        }

        var builder = new StringBuilder(plural);
        for (var i = 0; i < builder.Length && i < original.Length; i++)
        {
            // Keep the case of each letter the plural shares with the singular (the plural's new letters stay lower case).
            if (char.IsUpper(original[i]) && char.ToLowerInvariant(original[i]) == builder[i])
            {
                builder[i] = original[i];
            }
        }

        return builder.ToString();
    }

    private static bool EndsWithAny(string word, params string[] endings) => endings.Any(e => word.EndsWith(e, StringComparison.Ordinal));

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
