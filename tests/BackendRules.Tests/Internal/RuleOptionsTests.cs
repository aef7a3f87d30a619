using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using BackendRules.Internal;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace BackendRules.Tests.Internal;

public sealed class RuleOptionsTests
{
    private sealed class Options : AnalyzerConfigOptions
    {
        private readonly Dictionary<string, string> _values;

        public Options(params (string Key, string Value)[] values)
        {
            _values = new Dictionary<string, string>(KeyComparer);
            foreach (var (key, value) in values)
            {
                _values[key] = value;
            }
        }

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }

    [Fact]
    public void Keys_follow_the_documented_shape()
    {
        var option = new BoolOption("BR0009", "some_flag", true);
        Assert.Equal("backendrules.BR0009.some_flag", option.Key);
        Assert.Equal("backendrules.some_flag", option.GlobalKey);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("maybe", true)]
    [InlineData("-1", true)]
    [InlineData("false", false)]
    [InlineData(" FALSE ", false)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    [InlineData("true", true)]
    public void Bool_values_and_fallback(string? raw, bool expected)
        => Assert.Equal(expected, new BoolOption("BR0009", "flag", true).Parse(raw));

    [Theory]
    [InlineData(null, 30)]
    [InlineData("", 30)]
    [InlineData("abc", 30)]
    [InlineData("-5", 30)]
    [InlineData("0", 30)]
    [InlineData("100000", 30)]
    [InlineData("2.5", 30)]
    [InlineData("99999999999999999999", 30)]
    [InlineData(" 45 ", 45)]
    public void Int_values_out_of_range_or_malformed_fall_back(string? raw, int expected)
        => Assert.Equal(expected, new IntOption("BR0009", "seconds", 30, 1, 3600).Parse(raw));

    [Fact]
    public void String_values_fall_back_when_empty_or_invalid()
    {
        var option = new StringOption("BR0009", "prefix", "@", value => value is "@" or ":" or "$");
        Assert.Equal("@", option.Parse(null));
        Assert.Equal("@", option.Parse("  "));
        Assert.Equal("@", option.Parse("#"));
        Assert.Equal(":", option.Parse(" : "));
    }

    [Fact]
    public void List_values_are_trimmed_and_empty_lists_fall_back()
    {
        var option = new ListOption("BR0009", "names", ImmutableArray.Create("page", "limit"));
        Assert.Equal(new[] { "page", "limit" }, option.Parse(null));
        Assert.Equal(new[] { "page", "limit" }, option.Parse(" , ,"));
        Assert.Equal(new[] { "cursor", "take" }, option.Parse(" cursor, ,take "));
        Assert.Equal(new[] { "M:Db.Run(System.String,System.Object)#sql", "M:Db.Go(System.String)#text" }, option.Parse("M:Db.Run(System.String,System.Object)#sql, M:Db.Go(System.String)#text"));
        Assert.Equal(new[] { "M:Db.Run(System.String" }, option.Parse("M:Db.Run(System.String"));
    }

    [Fact]
    public void Rule_key_wins_over_package_wide_key()
    {
        var option = new BoolOption("BR0009", "flag", true);
        Assert.False(option.Read(new Options(("backendrules.flag", "false"))));
        Assert.True(option.Read(new Options(("backendrules.flag", "false"), ("backendrules.BR0009.flag", "true"))));
        Assert.True(option.Read(new Options()));
    }
}
