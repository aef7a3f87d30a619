namespace BackendRules;

/// <summary>
/// Categories carry the package name so one line such as
/// <c>dotnet_analyzer_diagnostic.category-BackendRules.Security.severity = error</c>
/// configures our rules without touching Microsoft's CA rules of the same area.
/// </summary>
public static class RuleCategories
{
    public const string Security = "BackendRules.Security";
    public const string Reliability = "BackendRules.Reliability";
    public const string Performance = "BackendRules.Performance";
    public const string Design = "BackendRules.Design";
}
