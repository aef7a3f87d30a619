using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>
/// The BR0005 fix on a minimal API reading orders from a real SQLite database through EF Core, hosted on loopback
/// Kestrel before and after the fix: the original sends all 1,000 rows at once; the fixed endpoint sends pages of at
/// most the max page size that together cover every row exactly once.
/// </summary>
public sealed class UnpaginatedCollectionBehaviourTests : IDisposable
{
    private const int Rows = 1000;

    private const string Source = """
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Logging;

        public sealed class Order
        {
            public int Id { get; set; }
            public string Customer { get; set; } = "";
            public decimal Total { get; set; }
        }

        public sealed class ShopDb : DbContext
        {
            public ShopDb(DbContextOptions<ShopDb> options) : base(options) { }
            public DbSet<Order> Orders => Set<Order>();
        }

        public static class OrdersApi
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                var api = app.MapGroup("/api");
                api.MapGet("/orders", async (ShopDb db) => await db.Orders.Where(o => o.Total >= 0).Select(o => ToDto(o)).ToListAsync());
            }

            // A projection EF Core can only run in memory, as the last step: the page has to be cut before it.
            private static OrderDto ToDto(Order order) => new(order.Id, order.Customer.ToUpperInvariant());
        }

        public sealed record OrderDto(int Id, string Customer);

        public static class Host
        {
            public static async Task<WebApplication> StartAsync(string connectionString, string contentRoot)
            {
                var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "Orders", ContentRootPath = contentRoot });
                builder.Logging.ClearProviders();
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Services.AddDbContext<ShopDb>(options => options.UseSqlite(connectionString));
                var app = builder.Build();
                using (var scope = app.Services.CreateScope())
                {
                    scope.ServiceProvider.GetRequiredService<ShopDb>().Database.EnsureCreated();
                }

                OrdersApi.Map(app);
                await app.StartAsync();
                return app;
            }
        }
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "br0005-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public UnpaginatedCollectionBehaviourTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        _http.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Fixed_endpoint_returns_bounded_pages_that_cover_every_row_once()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new UnpaginatedCollectionAnalyzer(), new UnpaginatedCollectionFixer());
        Assert.Contains("(ShopDb db, int page = 1, int pageSize = 50)", fixedSource);
        Assert.Contains("db.Orders.Where(o => o.Total >= 0).OrderBy(o => o.Id).Skip((page - 1) * pageSize).Take(pageSize).Select(o => ToDto(o)).ToListAsync()", fixedSource);

        // Before: one response with every row.
        await using (var original = await StartAsync(Source, "original"))
        {
            var all = await Ids(original.BaseUrl + "/api/orders");
            Assert.Equal(Rows, all.Count);
            Assert.Equal(Enumerable.Range(1, Rows), all.OrderBy(i => i));
        }

        // After: pages of at most the max page size (100) that together hold every row exactly once.
        await using var @fixed = await StartAsync(fixedSource, "fixed");
        Assert.Equal(50, (await Ids(@fixed.BaseUrl + "/api/orders")).Count);

        var seen = new List<int>();
        for (var page = 1; ; page++)
        {
            var ids = await Ids($"{@fixed.BaseUrl}/api/orders?page={page}&pageSize=100");
            Assert.InRange(ids.Count, 0, 100);
            if (ids.Count == 0)
            {
                break;
            }

            seen.AddRange(ids);
            Assert.True(page <= Rows / 100, "more pages than rows");
        }

        Assert.Equal(Rows, seen.Count);
        Assert.Equal(Enumerable.Range(1, Rows), seen.OrderBy(i => i));

        // Odd page sizes walk the same rows too: 7 rows per page, 143 pages.
        var bySeven = new List<int>();
        for (var page = 1; page <= 200; page++)
        {
            var ids = await Ids($"{@fixed.BaseUrl}/api/orders?page={page}&pageSize=7");
            Assert.InRange(ids.Count, 0, 7);
            bySeven.AddRange(ids);
        }

        Assert.Equal(Enumerable.Range(1, Rows), bySeven.OrderBy(i => i));
        Assert.Equal(bySeven.Count, bySeven.Distinct().Count());

        // Out-of-range input is clamped, never an error and never everything.
        Assert.Equal(100, (await Ids(@fixed.BaseUrl + "/api/orders?pageSize=100000")).Count);
        Assert.Single(await Ids(@fixed.BaseUrl + "/api/orders?pageSize=0"));
        Assert.Equal(await Ids(@fixed.BaseUrl + "/api/orders?page=1"), await Ids(@fixed.BaseUrl + "/api/orders?page=-3"));
        Assert.Empty(await Ids($"{@fixed.BaseUrl}/api/orders?page={int.MaxValue}&pageSize=100"));
    }

    private async Task<List<int>> Ids(string url)
    {
        using var response = await _http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToList();
    }

    private async Task<RunningApp> StartAsync(string source, string name)
    {
        var database = Path.Combine(_directory, name + ".db");
        var connectionString = $"Data Source={database}";
        var assembly = FixRunner.CompileAndLoad(source, "Orders_" + name + "_" + Guid.NewGuid().ToString("N"));
        var start = assembly.GetType("Host", throwOnError: true)!.GetMethod("StartAsync")!;
        var app = await (Task<Microsoft.AspNetCore.Builder.WebApplication>)start.Invoke(null, new object[] { connectionString, _directory })!;
        Seed(connectionString);
        var url = app.Urls.Single(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        return new RunningApp(app, url.TrimEnd('/'));
    }

    private static void Seed(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO Orders (Id, Customer, Total) VALUES ($id, $customer, $total)";
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        var customer = command.Parameters.Add("$customer", SqliteType.Text);
        var total = command.Parameters.Add("$total", SqliteType.Text);

        // Inserted in a scrambled order, so the table's physical order is not the key order.
        foreach (var i in Enumerable.Range(1, Rows).OrderBy(i => (i * 7919) % Rows))
        {
            id.Value = i;
            customer.Value = "customer " + (i % 37).ToString(System.Globalization.CultureInfo.InvariantCulture);
            total.Value = (i % 50).ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private sealed class RunningApp : IAsyncDisposable
    {
        private readonly Microsoft.AspNetCore.Builder.WebApplication _app;

        public RunningApp(Microsoft.AspNetCore.Builder.WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
