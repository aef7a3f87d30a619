using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendRules.Internal;

/// <summary>
/// A typed option read from analyzer config as <c>backendrules.&lt;ID&gt;.&lt;name&gt;</c>, falling back to the
/// package-wide <c>backendrules.&lt;name&gt;</c>. Declared next to the rule that uses it.
/// </summary>
internal abstract class RuleOption
{
    protected RuleOption(string ruleId, string name)
    {
        RuleId = ruleId;
        Name = name;
        Key = "backendrules." + ruleId + "." + name;
        GlobalKey = "backendrules." + name;
    }

    public string RuleId { get; }
    public string Name { get; }
    public string Key { get; }
    public string GlobalKey { get; }

    protected string? ReadRaw(AnalyzerConfigOptions options)
    {
        if (options.TryGetValue(Key, out var value) || options.TryGetValue(GlobalKey, out value))
        {
            return value;
        }

        return null;
    }
}

internal sealed class BoolOption : RuleOption
{
    public BoolOption(string ruleId, string name, bool defaultValue) : base(ruleId, name) => Default = defaultValue;

    public bool Default { get; }

    public bool Read(AnalyzerConfigOptions options) => Parse(ReadRaw(options));

    public bool Parse(string? raw)
    {
        switch (raw?.Trim().ToLowerInvariant())
        {
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                return Default;
        }
    }
}

internal sealed class IntOption : RuleOption
{
    public IntOption(string ruleId, string name, int defaultValue, int min, int max) : base(ruleId, name)
    {
        Default = defaultValue;
        Min = min;
        Max = max;
    }

    public int Default { get; }
    public int Min { get; }
    public int Max { get; }

    public int Read(AnalyzerConfigOptions options) => Parse(ReadRaw(options));

    public int Parse(string? raw)
        => int.TryParse(raw?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= Min && value <= Max
            ? value
            : Default;
}

internal sealed class StringOption : RuleOption
{
    private readonly Func<string, bool> _isValid;

    public StringOption(string ruleId, string name, string defaultValue, Func<string, bool>? isValid = null) : base(ruleId, name)
    {
        Default = defaultValue;
        _isValid = isValid ?? (_ => true);
    }

    public string Default { get; }

    public string Read(AnalyzerConfigOptions options) => Parse(ReadRaw(options));

    public string Parse(string? raw)
    {
        var value = raw?.Trim();
        return string.IsNullOrEmpty(value) || !_isValid(value!) ? Default : value!;
    }
}

/// <summary>
/// A comma-separated list; commas inside parentheses or braces belong to the entry (documentation-comment IDs
/// such as <c>M:Db.Run(System.String,System.Object)</c>). Empty entries are dropped; an empty list falls back to the default.
/// </summary>
internal sealed class ListOption : RuleOption
{
    public ListOption(string ruleId, string name, ImmutableArray<string> defaultValue) : base(ruleId, name) => Default = defaultValue;

    public ImmutableArray<string> Default { get; }

    public ImmutableArray<string> Read(AnalyzerConfigOptions options) => Parse(ReadRaw(options));

    public ImmutableArray<string> Parse(string? raw)
    {
        if (raw is null)
        {
            return Default;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        var nesting = 0;
        var start = 0;
        for (var i = 0; i <= raw.Length; i++)
        {
            var c = i < raw.Length ? raw[i] : ',';
            if (c is '(' or '{' or '[')
            {
                nesting++;
            }
            else if (c is ')' or '}' or ']')
            {
                nesting = Math.Max(0, nesting - 1);
            }
            else if (c == ',' && (nesting == 0 || i == raw.Length))
            {
                var item = raw.Substring(start, i - start).Trim();
                if (item.Length > 0)
                {
                    builder.Add(item);
                }

                start = i + 1;
                nesting = 0;
            }
        }

        return builder.Count == 0 ? Default : builder.ToImmutable();
    }
}

internal static class RuleOptionExtensions
{
    /// <summary>Options are per syntax tree, so one folder's .editorconfig can differ from another's.</summary>
    public static AnalyzerConfigOptions For(this AnalyzerOptions options, SyntaxTree tree)
        => options.AnalyzerConfigOptionsProvider.GetOptions(tree);
}

/// <summary>
/// Values parsed from options once per <see cref="AnalyzerConfigOptions"/> instance rather than once per callback:
/// the compiler hands out one instance per tree (or per distinct configuration), so a rule that reads lists or
/// sets per action parses them a handful of times per compilation. Held weakly: it goes with the compilation.
/// </summary>
internal sealed class OptionsCache<T>
    where T : class
{
    private readonly ConditionalWeakTable<AnalyzerConfigOptions, T> _values = new();
    private readonly ConditionalWeakTable<AnalyzerConfigOptions, T>.CreateValueCallback _create;

    public OptionsCache(Func<AnalyzerConfigOptions, T> create) => _create = options => create(options);

    // Callbacks arrive tree by tree on each thread: the last answer is asked again far more often than any other, and
    // remembering it skips the provider's lookup and the table's. Keyed by the cache, the provider and the tree, so an
    // edited .editorconfig (a new provider for the same tree) is read again; held weakly, so an IDE thread keeps no
    // tree alive.
    [ThreadStatic]
    private static Memo? LastAnswer;

    public T Get(AnalyzerOptions options, SyntaxTree tree)
    {
        var provider = options.AnalyzerConfigOptionsProvider;
        if (LastAnswer is { } last && ReferenceEquals(last.Cache, this)
            && last.Tree.TryGetTarget(out var lastTree) && ReferenceEquals(lastTree, tree)
            && last.Provider.TryGetTarget(out var lastProvider) && ReferenceEquals(lastProvider, provider))
        {
            return last.Value;
        }

        var value = _values.GetValue(provider.GetOptions(tree), _create);
        LastAnswer = new Memo(this, new WeakReference<AnalyzerConfigOptionsProvider>(provider), new WeakReference<SyntaxTree>(tree), value);
        return value;
    }

    private sealed class Memo
    {
        public Memo(OptionsCache<T> cache, WeakReference<AnalyzerConfigOptionsProvider> provider, WeakReference<SyntaxTree> tree, T value)
        {
            Cache = cache;
            Provider = provider;
            Tree = tree;
            Value = value;
        }

        public OptionsCache<T> Cache { get; }
        public WeakReference<AnalyzerConfigOptionsProvider> Provider { get; }
        public WeakReference<SyntaxTree> Tree { get; }
        public T Value { get; }
    }
}
