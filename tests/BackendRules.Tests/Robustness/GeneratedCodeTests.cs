using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackendRules.Tests.Robustness;

/// <summary>
/// Generated code is never reported, whichever way it is marked: a file name, an auto-generated header or
/// [GeneratedCode] on the type. Some rules skip it themselves instead of leaving it to the driver (cheaper), so this
/// checks every rule against the same code written by hand, where each one must fire.
/// </summary>
public sealed class GeneratedCodeTests
{
    internal const string Usings = """
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using System.Net.Http;
        using Dapper;
        using Microsoft.AspNetCore.Html;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Data.Sqlite;

        """;

    private const string Marker = "[System.CodeDom.Compiler.GeneratedCode(\"tool\", \"1.0\")]\n";

    // One violation of each rule (BR0006 analyzes generated code, but only what Razor produced; BR0009 judges the
    // whole compilation and reports at the Startup's Configure).
    internal static string Code(string attribute) => attribute + """
        public sealed class Product
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
            public decimal Price { get; set; }
        }

        """ + attribute + """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection) => connection.Query<Product>("SELECT * FROM products");

            public static int Delete(SqliteConnection connection, string name)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM products WHERE name = '" + name + "'";
                return command.ExecuteNonQuery();
            }

            public static IEnumerable<int> Named(IDbConnection connection, string name)
                => connection.Query<int>("SELECT Id FROM products WHERE LOWER(name) = @name", new { name });

            public static HttpClient Client()
            {
                var client = new HttpClient();
                return client;
            }

            public static HtmlString Raw(string html) => new HtmlString(html);

            public static void Removed(Microsoft.Extensions.Logging.ILogger log, string name)
                => Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, $"Removed {name}");

            public static void Remember(Microsoft.Extensions.Caching.Memory.IMemoryCache cache, string name)
                => Microsoft.Extensions.Caching.Memory.CacheExtensions.Set(cache, "product:" + name, name);

            public static void Store(Microsoft.AspNetCore.Http.IFormFile file, byte[] data)
                => System.IO.File.WriteAllBytes(System.IO.Path.Combine("/srv/uploads", file.FileName), data);

            public static async System.Threading.Tasks.Task<string> Fetch(HttpClient http)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { return await http.GetStringAsync("/stock"); }
                    catch (HttpRequestException) { await System.Threading.Tasks.Task.Delay(500); }
                }

                return "";
            }
        }

        """ + attribute + """
        [ApiController]
        [Route("api/products")]
        public sealed class ProductsController : ControllerBase
        {
            private readonly IDbConnection _connection;

            public ProductsController(IDbConnection connection) => _connection = connection;

            [HttpGet("getAll")]
            public IEnumerable<Product> All() => _connection.Query<Product>("SELECT Id, Name FROM products").ToList();

            [HttpDelete("{id:int}")]
            public IActionResult Remove(int id) => Ok();
        }

        """ + attribute + """
        public static class ProductEndpoints
        {
            public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/product-names/getFirst", () => "first");
        }

        """ + attribute + """
        public static class CategoryEndpoints
        {
            public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/category/{id}", (int id) => "category " + id);
        }

        """ + attribute + """
        public sealed class Startup
        {
            public void Configure(IApplicationBuilder app) => app.UseRouting();
        }
        """;

    private static async Task<string[]> RuleIdsAsync(string source, string path)
    {
        var compilation = CSharpCompilation.Create(
            "Generated",
            new[] { CSharpSyntaxTree.ParseText(source, AnalyzerHarness.ParseOptions, path) },
            Infrastructure.TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var (diagnostics, exceptions) = await AnalyzerHarness.RunAsync(compilation);
        Assert.Empty(exceptions);
        return diagnostics.Select(d => d.Id).Where(id => id.StartsWith("BR", System.StringComparison.Ordinal)).OrderBy(id => id, System.StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task Hand_written_code_fires_every_rule()
    {
        var ids = await RuleIdsAsync(Usings + Code(string.Empty), "/src/Repository.cs");
        Assert.Equal(new[] { "BR0001", "BR0002", "BR0003", "BR0004", "BR0005", "BR0006", "BR0007", "BR0008", "BR0009", "BR0010", "BR0011", "BR0012", "BR0013", "BR0014", "BR0015" }, ids.Distinct().ToArray());

        // BR0004 once on the controller route and once on the MapGet pattern: both of its paths are covered below.
        Assert.Equal(2, ids.Count(id => id == "BR0004"));
    }

    [Theory]
    [InlineData("/src/Repository.g.cs")]
    [InlineData("/src/Repository.designer.cs")]
    [InlineData("/src/Repository.generated.cs")]
    public async Task Generated_file_names_are_not_reported(string path)
        => Assert.Empty(await RuleIdsAsync(Usings + Code(string.Empty), path));

    [Fact]
    public async Task Auto_generated_header_is_not_reported()
        => Assert.Empty(await RuleIdsAsync("// <auto-generated/>\n" + Usings + Code(string.Empty), "/src/Repository.cs"));

    [Fact]
    public async Task GeneratedCode_attribute_on_the_types_is_not_reported()
        => Assert.Empty(await RuleIdsAsync(Usings + Code(Marker), "/src/Repository.cs"));
}
