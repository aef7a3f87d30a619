using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BackendRules.Internal;
using BackendRules.Sql;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace BackendRules.Tests;

/// <summary>Every exported rule is documented, tracked, configurable by preset, and fixable or reasoned unfixable.</summary>
public sealed class CatalogMetaTests
{
    /// <summary>Rules that deliberately ship without a code fix, with the reason.</summary>
    private static readonly Dictionary<string, string> NoFix = new();

    public static TheoryData<string> RuleIdsUnderTest()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    private static IEnumerable<DiagnosticAnalyzer> Analyzers()
        => typeof(SelectStarAnalyzer).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!);

    private static IEnumerable<DiagnosticDescriptor> Descriptors()
        => Analyzers().SelectMany(a => a.SupportedDiagnostics).GroupBy(d => d.Id).Select(g => g.First());

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors().Single(d => d.Id == id);

    private static IEnumerable<CodeFixProvider> Fixers()
        => typeof(SelectStarFixer).Assembly.GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);

    private static string Read(params string[] parts) => File.ReadAllText(RepositoryPaths.File(parts));

    [Fact]
    public void There_are_rules_and_every_analyzer_is_sealed_and_exported_for_csharp()
    {
        Assert.NotEmpty(Descriptors());
        foreach (var type in typeof(SelectStarAnalyzer).Assembly.GetTypes().Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract))
        {
            Assert.True(type.IsSealed, type.Name + " must be sealed");
            Assert.Contains(LanguageNames.CSharp, type.GetCustomAttribute<DiagnosticAnalyzerAttribute>()!.Languages);
        }
    }

    [Theory]
    [MemberData(nameof(RuleIdsUnderTest))]
    public void Id_is_a_named_constant_and_descriptor_is_well_formed(string id)
    {
        var descriptor = Descriptor(id);
        Assert.Matches("^BR[0-9]{4}$", id);
        var constants = typeof(RuleIds).GetFields().Select(f => (string)f.GetRawConstantValue()!);
        Assert.Contains(id, constants);
        var categories = typeof(RuleCategories).GetFields().Select(f => (string)f.GetRawConstantValue()!);
        Assert.Contains(descriptor.Category, categories);
        Assert.True(descriptor.IsEnabledByDefault);
        var title = descriptor.Title.ToString();
        Assert.False(string.IsNullOrWhiteSpace(title));
        Assert.False(title.EndsWith('.'), "titles are short imperatives without a period");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
    }

    [Theory]
    [MemberData(nameof(RuleIdsUnderTest))]
    public void Help_link_points_at_the_rules_md_anchor_under_the_repository_url(string id)
    {
        var props = XDocument.Load(RepositoryPaths.File("Directory.Build.props"));
        var repositoryUrl = props.Descendants("RepositoryUrl").Single().Value;
        Assert.StartsWith("https://", repositoryUrl);
        Assert.Equal($"{repositoryUrl}/blob/main/rules.md#{id.ToLowerInvariant()}", Descriptor(id).HelpLinkUri);
        Assert.Equal(Descriptor(id).HelpLinkUri, RuleDescriptors.HelpLink(id));
    }

    [Theory]
    [MemberData(nameof(RuleIdsUnderTest))]
    public void Rules_md_has_a_section_and_a_table_row(string id)
    {
        var rules = Read("rules.md");
        var anchor = id.ToLowerInvariant();
        Assert.Matches(new Regex($"<a id=\"{anchor}\"></a>\\s*\\n## {id}: ", RegexOptions.Multiline), rules);
        Assert.Contains($"| [{id}](#{anchor}) | {Descriptor(id).Title} | {Descriptor(id).Category} | {Descriptor(id).DefaultSeverity} |", rules);
        var section = Section(rules, id);
        foreach (var heading in new[] { "### Why", "### Bad", "### Good", "### When to suppress" })
        {
            Assert.Contains(heading, section);
        }

        Assert.True(section.Contains("### The fix") || NoFix.ContainsKey(id), "the section explains the fix");
    }

    [Theory]
    [MemberData(nameof(RuleIdsUnderTest))]
    public void Readme_rule_table_links_the_rule(string id)
        => Assert.Contains($"| [{id}](rules.md#{id.ToLowerInvariant()}) | {Descriptor(id).Title} |", Read("README.md"));

    [Theory]
    [MemberData(nameof(RuleIdsUnderTest))]
    public void Release_tracking_lists_the_rule_with_its_category_and_severity(string id)
    {
        var tracked = Read("src", "Analyzers", "AnalyzerReleases.Shipped.md") + Read("src", "Analyzers", "AnalyzerReleases.Unshipped.md");
        var descriptor = Descriptor(id);
        Assert.Matches(new Regex($"^{id} \\| {Regex.Escape(descriptor.Category)} \\| {descriptor.DefaultSeverity} \\|", RegexOptions.Multiline), tracked);
    }

    [Theory]
    [MemberData(nameof(RuleIdsUnderTest))]
    public void Rule_has_a_fixer_that_supports_fix_all_in_every_scope_or_a_reason(string id)
    {
        var fixers = Fixers().Where(f => f.FixableDiagnosticIds.Contains(id)).ToList();
        if (NoFix.TryGetValue(id, out var reason))
        {
            Assert.Empty(fixers);
            Assert.False(string.IsNullOrWhiteSpace(reason));
            return;
        }

        // Usually one fixer; a rule may offer a second action from its own provider (BR0008: the Polly pipeline).
        Assert.NotEmpty(fixers);
        foreach (var fixer in fixers)
        {
            Assert.True(fixer.GetType().IsSealed);
            var fixAll = fixer.GetFixAllProvider();
            Assert.NotNull(fixAll);
            var scopes = fixAll.GetSupportedFixAllScopes().ToList();
            Assert.Contains(FixAllScope.Document, scopes);
            Assert.Contains(FixAllScope.Project, scopes);
            Assert.Contains(FixAllScope.Solution, scopes);
        }
    }

    [Theory]
    [MemberData(nameof(RuleIdsUnderTest))]
    public void Package_description_names_the_rule_and_its_tags_carry_the_id(string id)
    {
        var package = XDocument.Load(RepositoryPaths.File("src", "Package", "BackendRules.Package.csproj"));
        var description = package.Descendants("Description").Single().Value;
        var tags = package.Descendants("PackageTags").Single().Value.Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains($"{id} {Descriptor(id).Title}", description);
        Assert.Contains(id, tags);
    }

    [Theory]
    [InlineData("None", "none")]
    [InlineData("AllWarnings", "warning")]
    [InlineData("AllErrors", "error")]
    public void Every_preset_sets_every_rule_and_yields_to_user_config(string mode, string severity)
    {
        var preset = Read("src", "Package", "config", $"BackendRules.{mode}.globalconfig");
        Assert.Matches(new Regex("^is_global = true$", RegexOptions.Multiline), preset);
        var level = int.Parse(Regex.Match(preset, "^global_level = (-?[0-9]+)$", RegexOptions.Multiline).Groups[1].Value);
        Assert.True(level < 0, "presets must have a negative global_level so the team's own config wins");
        var configured = Regex.Matches(preset, "^dotnet_diagnostic\\.(BR[0-9]{4})\\.severity = (\\w+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(Descriptors().Select(d => d.Id).OrderBy(x => x), configured.Keys.OrderBy(x => x));
        Assert.All(configured.Values, value => Assert.Equal(severity, value));
    }

    [Fact]
    public void Every_declared_option_is_documented_in_its_rule_section()
    {
        var rules = Read("rules.md");
        var options = Analyzers()
            .SelectMany(a => a.GetType().GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
            .Where(f => typeof(RuleOption).IsAssignableFrom(f.FieldType))
            .Select(f => (RuleOption)f.GetValue(null)!)
            .ToList();
        Assert.NotEmpty(options);
        foreach (var option in options)
        {
            Assert.Contains(option.Key, Section(rules, option.RuleId));
        }
    }

    private static string Section(string rules, string id)
    {
        var start = rules.IndexOf($"## {id}: ", StringComparison.Ordinal);
        Assert.True(start >= 0, $"rules.md has no section for {id}");
        var next = rules.IndexOf("\n## BR", start + 1, StringComparison.Ordinal);
        return next < 0 ? rules[start..] : rules[start..next];
    }
}
