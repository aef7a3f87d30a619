using System.Threading.Tasks;
using BackendRules.Tests.Robustness;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>
/// BR0011 reads what the whole application says about versions (the API prefixes its routes carry) from the text of
/// every file; each file's answer is kept with its tree. A compilation that adds a file is judged with that file read
/// too, not with the answer of an earlier compilation.
/// </summary>
public sealed class ApplicationScanTests
{
    private const string Tokens = """
        using Microsoft.AspNetCore.Mvc;

        namespace Billing;

        [ApiController]
        [Route("tokens")]
        public sealed class TokensController : ControllerBase
        {
            [HttpGet("{id}")]
            public string Read(int id) => "token " + id;
        }
        """;

    private const string Invoices = """
        using Microsoft.AspNetCore.Mvc;

        namespace Billing;

        [ApiController]
        [Route("api/v1/invoices")]
        public sealed class InvoicesController : ControllerBase
        {
            [HttpGet("{id}")]
            public string Read(int id) => "invoice " + id;
        }
        """;

    [Fact]
    public async Task A_versioned_prefix_in_a_file_added_later_takes_an_unversioned_route_outside_the_api()
    {
        // Alone, the tokens controller is the API, and it carries no version.
        var alone = AnalyzerHarness.Compile(new[] { Tokens });
        var (before, beforeExceptions) = await AnalyzerHarness.RunAsync(alone);
        Assert.Empty(beforeExceptions);
        Assert.Contains(before, d => d.Id == RuleIds.UnversionedApi);

        // The same tokens tree (already read: no version in it) plus a file that versions the API under api/v1:
        // "tokens" now lies outside the API prefix, another surface of the application.
        var withApi = alone.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Invoices, AnalyzerHarness.ParseOptions, path: "/src/InvoicesController.cs"));
        var (after, afterExceptions) = await AnalyzerHarness.RunAsync(withApi);
        Assert.Empty(afterExceptions);
        Assert.DoesNotContain(after, d => d.Id == RuleIds.UnversionedApi);
    }
}
