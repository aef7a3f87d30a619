using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Caching;
using BackendRules.Files;
using BackendRules.Hosting;
using BackendRules.Logging;
using BackendRules.Resilience;
using BackendRules.Sql;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace BackendRules.Tests.Robustness;

/// <summary>
/// `dotnet format analyzers` starts Fix All from the first diagnostic it meets, with the equivalence key of that
/// diagnostic's fix, or with none when that fix declines. Fix All must still fix every other diagnostic.
/// </summary>
public sealed class FixAllStartTests
{
    private const string Header = """
        using System.Collections.Generic;
        using System.Data;
        using Dapper;

        public sealed class Product
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
        }

        """;

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Select_star_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        var source = Header + """
            public static class Queries
            {
                public static IEnumerable<dynamic> Raw(IDbConnection c) => c.Query("SELECT * FROM products");
                public static IEnumerable<Product> All(IDbConnection c) => c.Query<Product>("SELECT * FROM products");
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new SelectStarAnalyzer(), new SelectStarFixer(), scope);

        Assert.Contains("c.Query(\"SELECT * FROM products\")", fixedSource);
        Assert.Contains("c.Query<Product>(\"SELECT Id, Name FROM products\")", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Solution)]
    public async Task Sql_concatenation_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        var source = Header + """
            public static class Queries
            {
                public static IEnumerable<Product> ByTable(IDbConnection c, string table) => c.Query<Product>("SELECT Id, Name FROM " + table);
                public static IEnumerable<Product> ByName(IDbConnection c, string name) => c.Query<Product>("SELECT Id, Name FROM products WHERE Name = '" + name + "'");
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new SqlConcatenationAnalyzer(), new SqlConcatenationFixer(), scope);

        Assert.Contains("\"SELECT Id, Name FROM \" + table", fixedSource);
        Assert.DoesNotContain("'\" + name + \"'", fixedSource);
        Assert.Contains("@name", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Log_message_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        const string source = """
            using System.Text;
            using Microsoft.Extensions.Logging;

            public static class Orders
            {
                public static void Log(ILogger log, StringBuilder summary, int id, string state)
                {
                    log.LogInformation(summary.ToString());
                    log.LogInformation($"Order {id} is {state}");
                    log.LogWarning("Order " + id + " stalled");
                }
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new LogMessageAnalyzer(), new LogMessageFixer(), scope);

        Assert.Contains("log.LogInformation(summary.ToString());", fixedSource);
        Assert.Contains("log.LogInformation(\"Order {Id} is {State}\", id, state);", fixedSource);
        Assert.Contains("log.LogWarning(\"Order {Id} stalled\", id);", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Health_checks_fix_all_adds_the_registration_and_both_endpoints_once(FixAllScope scope)
    {
        const string source = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    var app = builder.Build();
                    app.MapGet("/", () => "up");
                    app.Run();
                }
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new HealthChecksAnalyzer(), new HealthChecksFixer(), scope);

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(fixedSource, @"AddHealthChecks\(\)"));
        Assert.Contains("app.MapHealthChecks(\"/health/live\"", fixedSource);
        Assert.Contains("app.MapHealthChecks(\"/health/ready\"", fixedSource);
        Assert.Contains("using Microsoft.AspNetCore.Diagnostics.HealthChecks;", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Cache_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        const string source = """
            using System;
            using Microsoft.Extensions.Caching.Distributed;
            using Microsoft.Extensions.Caching.Memory;

            public static class Rates
            {
                public static void Keep(IMemoryCache cache, IDistributedCache shared, string id, decimal rate)
                {
                    var options = new MemoryCacheEntryOptions().SetSize(1);
                    cache.Set(id, rate, options);
                    cache.Set(id + ":last", rate);
                    shared.SetString(id, rate.ToString());
                    cache.GetOrCreate(id + ":next", entry => rate + 1);
                }
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new CacheExpirationAnalyzer(), new CacheExpirationFixer(), scope);

        Assert.Contains("cache.Set(id, rate, options);", fixedSource);
        Assert.Contains("cache.Set(id + \":last\", rate, TimeSpan.FromSeconds(300));", fixedSource);
        Assert.Contains("shared.SetString(id, rate.ToString(), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) });", fixedSource);
        Assert.Contains("entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300);", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Client_file_name_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        const string source = """
            using System.IO;
            using Microsoft.AspNetCore.Http;

            public static class Files
            {
                public static string Keep(IFormFile file, string root, byte[] data)
                {
                    var name = file.FileName;
                    File.WriteAllBytes(Path.Combine(root, name), data);
                    return name;
                }

                public static void Save(IFormFile file, string root, byte[] data)
                    => File.WriteAllBytes(Path.Combine(root, file.FileName), data);

                public static Stream Open(IFormFile file, string root)
                    => new FileStream(Path.Combine(root, Path.GetFileName(file.FileName)), FileMode.Create);
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new ClientFileNameAnalyzer(), new ClientFileNameFixer(), scope);

        Assert.Contains("File.WriteAllBytes(Path.Combine(root, name), data);", fixedSource);
        Assert.Contains("=> File.WriteAllBytes(Path.Combine(root, $\"{Guid.NewGuid():N}\"), data);", fixedSource);
        Assert.Contains("=> new FileStream(Path.Combine(root, $\"{Guid.NewGuid():N}\"), FileMode.Create);", fixedSource);
        Assert.Contains("using System;", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Predicate_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Data;
            using System.Linq;
            using Dapper;
            using Microsoft.EntityFrameworkCore;

            public sealed class Order
            {
                public long Id { get; set; }
                public string Email { get; set; } = "";
                public DateTime PlacedAt { get; set; }
            }

            public sealed class Shop : DbContext
            {
                public DbSet<Order> Orders => Set<Order>();
            }

            public static class Orders
            {
                public static IEnumerable<long> ByEmail(IDbConnection db, string email)
                    => db.Query<long>("SELECT Id FROM orders WHERE LOWER(email) = @email", new { email });

                public static IEnumerable<long> In2024(IDbConnection db)
                    => db.Query<long>("SELECT Id FROM orders WHERE YEAR(placed_at) = 2024");

                public static List<Order> In(Shop db, int year)
                    => db.Orders.Where(o => o.Email.ToLower() == "a@b.c" || o.PlacedAt.Year == year).ToList();
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new UnindexablePredicateAnalyzer(), new UnindexablePredicateFixer(), scope);

        Assert.Contains("LOWER(email) = @email", fixedSource);
        Assert.Contains("WHERE placed_at >= '2024-01-01' AND placed_at < '2025-01-01'", fixedSource);
        Assert.Contains("o.Email.ToLower() == \"a@b.c\" || (o.PlacedAt >= new DateTime(year, 1, 1) && o.PlacedAt < new DateTime(year + 1, 1, 1))", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Retry_backoff_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        const string source = """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            public static class Stock
            {
                public static async Task Flagged(HttpClient http)
                {
                    var again = true;
                    while (again)
                    {
                        again = false;
                        try { await http.GetAsync("/a"); }
                        catch (HttpRequestException) { again = true; await Task.Delay(250); }
                    }
                }

                public static async Task Counted(HttpClient http)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try { await http.GetAsync("/b"); return; }
                        catch (HttpRequestException) { await Task.Delay(400); }
                    }
                }
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new RetryBackoffAnalyzer(), new RetryBackoffFixer(), scope);

        Assert.Contains("again = true; await Task.Delay(250);", fixedSource);
        Assert.Contains("Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 400 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)))", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Singular_collection_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        const string source = """
            using Microsoft.AspNetCore.Builder;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/user/{id}", (int id) => "old " + id);
                    app.MapGet("/users/{userId}", (int userId) => "new " + userId);
                    app.MapGet("/order/{orderId}", (int orderId) => "order " + orderId);
                    app.MapDelete("/invoice/{id}", (int id) => "deleted " + id);
                }
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new SingularCollectionNameAnalyzer(), new SingularCollectionNameFixer(), scope);

        Assert.Contains("app.MapGet(\"/user/{id}\"", fixedSource);
        Assert.Contains("app.MapGet(\"/orders/{orderId}\"", fixedSource);
        Assert.Contains("app.MapDelete(\"/invoices/{id}\"", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Unversioned_api_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        // The first route's versioned twin is mapped already, so its fix declines; the group and the controller are versioned.
        const string source = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Mvc;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/api/quotes", () => "old");
                    app.MapGet("/api/v1/quotes", () => "new");
                    var rates = app.MapGroup("/api/rates");
                    rates.MapGet("/{id}", (int id) => "rate " + id);
                }
            }

            [ApiController]
            [Route("api/carriers")]
            public sealed class CarriersController : ControllerBase
            {
                [HttpGet("{id:int}")]
                public IActionResult One(int id) => Ok(id);
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new UnversionedApiAnalyzer(), new UnversionedApiFixer(), scope);

        Assert.Contains("app.MapGet(\"/api/quotes\"", fixedSource);
        Assert.Contains("app.MapGroup(\"/api/v1/rates\")", fixedSource);
        Assert.Contains("[Route(\"api/v1/carriers\")]", fixedSource);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Status_code_fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Mvc;

            public sealed class Order { public int Id { get; set; } }
            public sealed class Note { public string Text { get; set; } = ""; }
            public interface IStore { Task<Order> AddAsync(Order order); Note AddNote(Note note); Task<Order> InsertCopyAsync(Order order); }

            [ApiController]
            [Route("api/orders")]
            public sealed class OrdersController : ControllerBase
            {
                private readonly IStore _store;
                public OrdersController(IStore store) => _store = store;

                [HttpGet]
                public IActionResult List() => NoContent();

                [HttpPost("notes")]
                public IActionResult Note(Note note) => Ok(_store.AddNote(note));

                [HttpPost]
                public async Task<IActionResult> Create(Order order, bool copy)
                {
                    if (copy)
                    {
                        return Ok(await _store.InsertCopyAsync(order));
                    }

                    return Ok(await _store.AddAsync(order));
                }

                [HttpDelete("{id:int}")]
                public IActionResult Delete(int id) => Ok();
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new StatusCodeAnalyzer(), new StatusCodeFixer(), scope);

        Assert.Contains("public IActionResult Note(Note note) => Ok(_store.AddNote(note));", fixedSource);
        Assert.Contains("var created = await _store.InsertCopyAsync(order);", fixedSource);
        Assert.Contains("return Created($\"/api/orders/{created.Id}\", created);", fixedSource);
        Assert.Contains("var created1 = await _store.AddAsync(order);", fixedSource);
        Assert.Contains("return Created($\"/api/orders/{created1.Id}\", created1);", fixedSource);
        Assert.Contains("public IActionResult Delete(int id) => NoContent();", fixedSource);
    }
}
