namespace BackendRules;

/// <summary>
/// Rule IDs are a public contract: never renumber or reuse one.
/// </summary>
public static class RuleIds
{
    public const string SqlConcatenation = "BR0001";
    public const string SelectStar = "BR0002";
    public const string HttpTimeout = "BR0003";
    public const string VerbInRoute = "BR0004";
    public const string UnpaginatedCollection = "BR0005";
    public const string UnencodedHtml = "BR0006";
    public const string LogMessageTemplate = "BR0007";
    public const string RetryBackoff = "BR0008";
    public const string HealthChecks = "BR0009";
    public const string StatusCode = "BR0010";
    public const string UnversionedApi = "BR0011";
    public const string SingularCollectionName = "BR0012";
    public const string CacheExpiration = "BR0013";
    public const string ClientFileName = "BR0014";
    public const string UnindexablePredicate = "BR0015";
}
