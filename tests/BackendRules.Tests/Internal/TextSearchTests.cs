using System.Collections.Generic;
using BackendRules.Internal;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace BackendRules.Tests.Internal;

/// <summary>The chunked text search that lets rules skip syntax walks: every occurrence, wherever the chunks are cut.</summary>
public sealed class TextSearchTests
{
    private static List<int> Expected(string text, int start, int end, string word)
    {
        var found = new List<int>();
        for (var at = text.IndexOf(word, start, System.StringComparison.Ordinal); at >= 0 && at + word.Length <= end; at = text.IndexOf(word, at + 1, System.StringComparison.Ordinal))
        {
            found.Add(at);
        }

        return found;
    }

    [Fact]
    public void Every_occurrence_is_found_across_chunk_boundaries()
    {
        for (var padding = 4080; padding <= 4100; padding++)
        {
            var text = "Load();" + new string('x', padding) + "LoadRows(); Load(); // Load\n" + new string('y', 9000) + "Load";
            var source = SourceText.From(text);
            Assert.Equal(Expected(text, 0, text.Length, "Load"), TextSearch.Positions(source, new TextSpan(0, text.Length), "Load"));
            Assert.True(TextSearch.ContainsAny(source, new TextSpan(padding, 30), "Rows"));
        }
    }

    [Fact]
    public void A_word_longer_than_the_shared_buffer_keeps_is_still_found_across_a_boundary()
    {
        var word = "Long" + new string('w', 300) + "Word";
        for (var padding = 3900; padding <= 4100; padding += 50)
        {
            var text = new string('x', padding) + word + new string('y', 5000) + word;
            var source = SourceText.From(text);
            Assert.Equal(Expected(text, 0, text.Length, word), TextSearch.Positions(source, new TextSpan(0, text.Length), word));
            Assert.True(TextSearch.ContainsAny(source, new TextSpan(0, padding + word.Length), word, "absent"));
        }
    }

    [Fact]
    public void Only_the_span_is_searched()
    {
        var text = "Redirect " + new string('z', 5000) + " View( " + new string('z', 5000) + " Redirect";
        var source = SourceText.From(text);
        var middle = new TextSpan(10, text.Length - 20);
        Assert.True(TextSearch.ContainsAny(source, middle, "View("));
        Assert.False(TextSearch.ContainsAny(source, middle, "Redirect"));
        Assert.Equal(Expected(text, middle.Start, middle.End, "z z"), TextSearch.Positions(source, middle, "z z"));
        Assert.Empty(TextSearch.Positions(source, middle, "Redirect"));
    }

    [Fact]
    public void A_prefixed_word_is_found_wherever_the_chunks_cut_it_and_a_bare_prefix_is_not_enough()
    {
        var suffixes = new[] { "Get", "Group" };

        // A file of ordinary size is searched as one string; a large one (over 40K characters) through the chunks.
        foreach (var filler in new[] { 0, 11 * 4096 })
        {
            for (var padding = 4060; padding <= 4100; padding++)
            {
                // "Map" alone, "Mapper" and "MapGe" do not count; "MapGroup" does, wherever a chunk ends inside it.
                var text = new string('z', filler) + "var m = Mapper.Map(x); MapGe" + new string('x', padding) + "app.MapGroup(\"/a\");";
                var source = SourceText.From(text);
                Assert.True(TextSearch.ContainsPrefixed(source, new TextSpan(0, text.Length), "Map", suffixes));
                Assert.False(TextSearch.ContainsPrefixed(source, new TextSpan(0, text.Length - 12), "Map", suffixes));
                Assert.False(TextSearch.ContainsPrefixed(SourceText.From(text.Substring(0, text.Length - 12)), new TextSpan(0, text.Length - 12), "Map", suffixes));
            }
        }
    }
}
