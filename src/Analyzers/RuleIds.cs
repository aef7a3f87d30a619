namespace BackendRules;

/// <summary>
/// Rule IDs are a public contract: never renumber or reuse one. BR0004 (verbs in routes), BR0005 (unpaginated
/// collections) and BR0006 (unencoded HTML) are reserved in rules.md and get their constants with their rules.
/// </summary>
public static class RuleIds
{
    public const string SqlConcatenation = "BR0001";
    public const string SelectStar = "BR0002";
    public const string HttpTimeout = "BR0003";
}
