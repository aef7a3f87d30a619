using Microsoft.CodeAnalysis;

namespace BackendRules.Internal;

/// <summary>The one place descriptors are created, so every rule gets the same help-link shape.</summary>
internal static class RuleDescriptors
{
    public static string HelpLink(string id) => BuildInfo.DocsUrl + "#" + id.ToLowerInvariant();

    public static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity defaultSeverity,
        string description,
        params string[] customTags)
        => new(
            id,
            title,
            messageFormat,
            category,
            defaultSeverity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLink(id),
            customTags: customTags);
}
