using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BackendRules.Internal;

/// <summary>
/// Ordinal word search in source text, read in chunks through one small buffer: far cheaper than walking the
/// syntax, and used to skip walks whose answer would be "not there".
/// </summary>
internal static class TextSearch
{
    private const int Chunk = 4096;
    private const int MaxPooledOverlap = 128;

    [ThreadStatic]
    private static char[]? PooledBuffer;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, System.Collections.Concurrent.ConcurrentDictionary<string, bool>> TreeAnswers = new();

    /// <summary>
    /// Whether a declaration of the symbol contains the word in its text: the whole file is searched once per word
    /// (whichever rule asks first), and a declaration only in the files that contain it.
    /// </summary>
    public static bool DeclarationMentions(ISymbol symbol, string word, CancellationToken cancellationToken)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            if (FileAnswer(tree, word, word, static (text, w) => ContainsAny(text, new TextSpan(0, text.Length), w), cancellationToken)
                && ContainsAny(tree.GetText(cancellationToken), reference.Span, word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the file contains any of the words, kept under <paramref name="key"/> (a name the caller makes once for
    /// its word list).
    /// </summary>
    public static bool FileMentionsAny(SyntaxTree tree, string key, string[] words)
        => FileAnswer(tree, key, words, static (text, w) => ContainsAny(text, new TextSpan(0, text.Length), w));

    /// <summary>The name a prefixed search's answers are kept under (see <see cref="FileMentionsPrefixed"/>).</summary>
    public static string PrefixedKey(string prefix, string[] suffixes) => prefix + "+" + string.Join("|", suffixes);

    /// <summary>
    /// Whether the file contains <paramref name="prefix"/> followed by one of <paramref name="suffixes"/> (see
    /// <see cref="ContainsPrefixed(SourceText, TextSpan, string, string[])"/>), kept under <paramref name="key"/>
    /// (<see cref="PrefixedKey"/>, made once by the caller: a compilation-wide question asks it of every file, on every
    /// compilation start).
    /// </summary>
    public static bool FileMentionsPrefixed(SyntaxTree tree, string key, string prefix, string[] suffixes)
        => FileAnswer(tree, key, (prefix, suffixes), static (text, s) => ContainsPrefixed(text, new TextSpan(0, text.Length), s.prefix, s.suffixes));

    /// <summary>
    /// A question about a whole file, answered once per file and key, whichever compilation or rule asks first: the
    /// answer is kept with the file's tree, which the IDE's next compilation shares for every file not edited.
    /// </summary>
    private static bool FileAnswer<TState>(SyntaxTree tree, string key, TState state, Func<SourceText, TState, bool> search, CancellationToken cancellationToken = default)
    {
        var answers = TreeAnswers.GetValue(tree, _ => new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
        if (!answers.TryGetValue(key, out var inFile))
        {
            inFile = search(tree.GetText(cancellationToken), state);
            answers.TryAdd(key, inFile);
        }

        return inFile;
    }

    /// <summary>Whether any of the words occurs in the span of the text.</summary>
    public static bool ContainsAny(SourceText text, TextSpan span, params string[] words)
    {
        var longest = 0;
        foreach (var word in words)
        {
            longest = Math.Max(longest, word.Length);
        }

        var found = false;
        if (longest > 0)
        {
            Scan(text, span, longest, (buffer, length, _) =>
            {
                foreach (var word in words)
                {
                    if (word.Length > 0 && IndexOf(buffer, length, word) >= 0)
                    {
                        found = true;
                        return false;
                    }
                }

                return true;
            });
        }

        return found;
    }

    /// <summary>
    /// Whether <paramref name="prefix"/> followed by one of <paramref name="suffixes"/> occurs in the span of the text
    /// (<c>Map</c> + <c>Get</c>, <c>Post</c> ...): one vectorized pass for the prefix, the suffixes read only where it occurs.
    /// </summary>
    public static bool ContainsPrefixed(SourceText text, TextSpan span, string prefix, string[] suffixes)
    {
        // A file's text of ordinary size is searched where it lies: a whole-text string of a SourceText read from a
        // file is the text itself (no copy). Larger texts are kept in chunks and read through the buffer.
        if (span.Start == 0 && span.Length == text.Length && text.Length <= WholeTextLimit)
        {
            return ContainsPrefixed(text.ToString(), prefix, suffixes);
        }

        var longestSuffix = 0;
        foreach (var suffix in suffixes)
        {
            longestSuffix = Math.Max(longestSuffix, suffix.Length);
        }

        var found = false;
        Scan(text, span, prefix.Length + longestSuffix, (buffer, length, _) =>
        {
            for (var at = IndexOf(buffer, length, prefix, 0); at >= 0; at = IndexOf(buffer, length, prefix, at + 1))
            {
                var rest = new ReadOnlySpan<char>(buffer, at + prefix.Length, length - at - prefix.Length);
                foreach (var suffix in suffixes)
                {
                    if (rest.StartsWith(suffix.AsSpan(), StringComparison.Ordinal))
                    {
                        found = true;
                        return false;
                    }
                }
            }

            return true;
        });
        return found;
    }

    // Below the size from which the compiler keeps a file's text in chunks (large-object heap), its text is one string.
    private const int WholeTextLimit = 40 * 1024;

    private static bool ContainsPrefixed(string text, string prefix, string[] suffixes)
    {
        for (var at = text.IndexOf(prefix, StringComparison.Ordinal); at >= 0; at = text.IndexOf(prefix, at + 1, StringComparison.Ordinal))
        {
            foreach (var suffix in suffixes)
            {
                if (string.CompareOrdinal(text, at + prefix.Length, suffix, 0, suffix.Length) == 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Where the word starts, every time it occurs in the span of the text (in order).</summary>
    public static List<int> Positions(SourceText text, TextSpan span, string word)
    {
        var found = new List<int>();
        if (word.Length > 0)
        {
            Scan(text, span, word.Length, (buffer, length, offset) =>
            {
                for (var at = IndexOf(buffer, length, word, 0); at >= 0; at = IndexOf(buffer, length, word, at + 1))
                {
                    found.Add(offset + at);
                }

                return true;
            });
        }

        return found;
    }

    /// <summary>
    /// Where the anchor character occurs and <paramref name="matchesAt"/> (buffer, index of the anchor) accepts it, in
    /// order; the test may read <paramref name="before"/> characters before the anchor and <paramref name="after"/>
    /// after it. The anchor is found with a vectorized search, so a rare anchor costs little more than a copy of the text.
    /// </summary>
    public static List<int> Positions(SourceText text, TextSpan span, char anchor, int before, int after, Func<char[], int, bool> matchesAt)
    {
        var found = new List<int>();
        Scan(text, span, before + after + 1, (buffer, length, offset) =>
        {
            for (var i = Array.IndexOf(buffer, anchor, before, Math.Max(0, length - before)); i >= 0 && i + after < length; i = i + 1 < length ? Array.IndexOf(buffer, anchor, i + 1, length - i - 1) : -1)
            {
                if (matchesAt(buffer, i))
                {
                    found.Add(offset + i);
                }
            }

            return true;
        });
        return found;
    }

    /// <summary>
    /// Hands the span to <paramref name="visit"/> chunk by chunk (buffer, length, text position of buffer[0]) until it
    /// returns false. Each chunk starts with the last <c>longest - 1</c> characters of the one before, so a word of up
    /// to that length cut by a chunk boundary is seen whole, and only once.
    /// </summary>
    private static void Scan(SourceText text, TextSpan span, int longest, Func<char[], int, int, bool> visit)
    {
        // One buffer per thread, reused: a scan runs for many declarations and files, and never inside another scan.
        var overlap = longest - 1;
        var buffer = overlap <= MaxPooledOverlap ? (PooledBuffer ??= new char[Chunk + MaxPooledOverlap]) : new char[Chunk + overlap];
        var kept = 0;
        for (var position = span.Start; position < span.End;)
        {
            var count = Math.Min(Chunk, span.End - position);
            text.CopyTo(position, buffer, kept, count);
            var length = kept + count;
            if (!visit(buffer, length, position - kept))
            {
                return;
            }

            kept = Math.Min(overlap, length);
            Array.Copy(buffer, length - kept, buffer, 0, kept);
            position += count;
        }
    }

    private static int IndexOf(char[] buffer, int length, string word) => IndexOf(buffer, length, word, 0);

    private static int IndexOf(char[] buffer, int length, string word, int from)
    {
        // The span search is vectorized where the host runtime is (.NET); the word is short, the chunk is not.
        if (from + word.Length > length)
        {
            return -1;
        }

        var at = buffer.AsSpan(from, length - from).IndexOf(word.AsSpan());
        return at < 0 ? -1 : from + at;
    }
}
