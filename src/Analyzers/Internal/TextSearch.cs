using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace BackendRules.Internal;

/// <summary>
/// Ordinal word search in source text, read in chunks through one small buffer: far cheaper than walking the
/// syntax, and used to skip walks whose answer would be "not there".
/// </summary>
internal static class TextSearch
{
    private const int Chunk = 4096;

    /// <summary>Whether any of the words occurs in the span of the text.</summary>
    public static bool ContainsAny(SourceText text, TextSpan span, params string[] words)
    {
        var longest = 0;
        foreach (var word in words)
        {
            longest = Math.Max(longest, word.Length);
        }

        if (longest == 0)
        {
            return false;
        }

        // What a chunk keeps of the one before it: a word cut by a chunk boundary is still seen whole.
        var overlap = longest - 1;
        var buffer = new char[Chunk + overlap];
        var kept = 0;
        for (var position = span.Start; position < span.End;)
        {
            var count = Math.Min(Chunk, span.End - position);
            text.CopyTo(position, buffer, kept, count);
            var length = kept + count;
            foreach (var word in words)
            {
                if (word.Length > 0 && IndexOf(buffer, length, word) >= 0)
                {
                    return true;
                }
            }

            kept = Math.Min(overlap, length);
            Array.Copy(buffer, length - kept, buffer, 0, kept);
            position += count;
        }

        return false;
    }

    /// <summary>Where the word starts, every time it occurs in the span of the text (in order).</summary>
    public static List<int> Positions(SourceText text, TextSpan span, string word)
    {
        var found = new List<int>();
        if (word.Length == 0)
        {
            return found;
        }

        var overlap = word.Length - 1;
        var buffer = new char[Chunk + overlap];
        var kept = 0;
        for (var position = span.Start; position < span.End;)
        {
            // buffer[0] holds the character at (position - kept).
            var count = Math.Min(Chunk, span.End - position);
            text.CopyTo(position, buffer, kept, count);
            var length = kept + count;
            var offset = position - kept;
            for (var start = 0; ; start++)
            {
                var at = IndexOf(buffer, length, word, start);
                if (at < 0)
                {
                    break;
                }

                found.Add(offset + at);
                start = at;
            }

            kept = Math.Min(overlap, length);
            Array.Copy(buffer, length - kept, buffer, 0, kept);
            position += count;
        }

        return found;
    }

    private static int IndexOf(char[] buffer, int length, string word) => IndexOf(buffer, length, word, 0);

    private static int IndexOf(char[] buffer, int length, string word, int from)
    {
        var first = word[0];
        for (var i = from; i + word.Length <= length; i++)
        {
            if (buffer[i] != first)
            {
                continue;
            }

            var j = 1;
            while (j < word.Length && buffer[i + j] == word[j])
            {
                j++;
            }

            if (j == word.Length)
            {
                return i;
            }
        }

        return -1;
    }
}
