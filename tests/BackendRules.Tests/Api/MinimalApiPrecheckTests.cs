using System.Linq;
using System.Threading.Tasks;
using BackendRules.Tests.Robustness;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>
/// The minimal API rules look at invocations only in a compilation where some file names a Map method; each file's
/// answer is remembered with its tree. A file added later (an edit, a new file in the IDE) is read on its own.
/// </summary>
public sealed class MinimalApiPrecheckTests
{
    private const string Catalog = """
        namespace Shop;

        public sealed class Catalog
        {
            public string[] Names() => new[] { "tea", "coffee" };
        }
        """;

    private const string Endpoints = """
        using Microsoft.AspNetCore.Builder;

        namespace Shop;

        public static class Endpoints
        {
            public static void Add(WebApplication app)
            {
                app.MapGet("/getProducts", () => new Catalog().Names());
            }
        }
        """;

    [Fact]
    public async Task A_map_call_in_a_file_added_to_a_compilation_analyzed_before_is_reported()
    {
        var withoutEndpoints = AnalyzerHarness.Compile(new[] { Catalog });
        var (before, beforeExceptions) = await AnalyzerHarness.RunAsync(withoutEndpoints);
        Assert.Empty(beforeExceptions);
        Assert.DoesNotContain(before, d => d.Id == RuleIds.VerbInRoute);

        // The same Catalog tree (already answered "no Map method") plus a new file that maps an endpoint.
        var withEndpoints = withoutEndpoints.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Endpoints, AnalyzerHarness.ParseOptions, path: "/src/Endpoints.cs"));
        var (after, afterExceptions) = await AnalyzerHarness.RunAsync(withEndpoints);
        Assert.Empty(afterExceptions);
        var verb = Assert.Single(after, d => d.Id == RuleIds.VerbInRoute);
        Assert.Equal("/src/Endpoints.cs", verb.Location.GetLineSpan().Path);
    }
}
