using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>
/// The BR0010 fix against a real server: a controller and a minimal API, hosted on loopback Kestrel before and after
/// the fix. A creating POST then answers 201 with a Location that a GET answers with 200 and the same entity; a
/// DELETE answers 204 with an empty body; the data the handlers touch is the same either way.
/// </summary>
public sealed class StatusCodeBehaviourTests
{
    private const string Source = """
        using System.Collections.Concurrent;
        using System.Threading;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;

        public sealed class Order { public int Id { get; set; } public string Item { get; set; } = ""; }
        public sealed class Note { public int Id { get; set; } public string Text { get; set; } = ""; }

        public sealed class Store<T>
        {
            private static int _next;
            private readonly ConcurrentDictionary<int, T> _items = new();

            public static Store<T> Shared { get; } = new();

            public int Add(T item) { var id = Interlocked.Increment(ref _next); _items[id] = item; return id; }
            public T? Find(int id) => _items.TryGetValue(id, out var item) ? item : default;
            public bool Remove(int id) => _items.TryRemove(id, out _);
        }

        [ApiController]
        [Route("api/orders")]
        public sealed class OrdersController : ControllerBase
        {
            [HttpGet("{id:int}")]
            public ActionResult<Order> Get(int id) => Store<Order>.Shared.Find(id) is { } order ? order : NotFound();

            [HttpPost]
            public IActionResult Create(Order order)
            {
                order.Id = Store<Order>.Shared.Add(order);
                return Ok(order);
            }

            [HttpDelete("{id:int}")]
            public IActionResult Delete(int id) => Store<Order>.Shared.Remove(id) ? Ok(new { deleted = id }) : NotFound();
        }

        public static class ShopApi
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                var notes = app.MapGroup("/notes");
                notes.MapGet("/{id:int}", (int id) => Store<Note>.Shared.Find(id) is { } note ? Results.Ok(note) : Results.NotFound());
                notes.MapPost("/", (Note note) =>
                {
                    note.Id = Store<Note>.Shared.Add(note);
                    return Results.Ok(note);
                });
                notes.MapDelete("/{id:int}", (int id) =>
                {
                    if (!Store<Note>.Shared.Remove(id))
                    {
                        return Results.NotFound();
                    }

                    return Results.Ok();
                });
            }
        }
        """;

    [Fact]
    public async Task Fixed_posts_answer_201_with_a_location_that_GET_answers_and_deletes_answer_204_with_no_body()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new StatusCodeAnalyzer(), new StatusCodeFixer());
        Assert.Contains("return CreatedAtAction(nameof(Get), new { id = order.Id }, order);", fixedSource);
        Assert.Contains("Store<Order>.Shared.Remove(id) ? NoContent() : NotFound()", fixedSource);
        Assert.Contains("return Results.Created($\"/notes/{note.Id}\", note);", fixedSource);
        Assert.Contains("return Results.NoContent();", fixedSource);

        await using (var original = await HostAsync(FixRunner.CompileAndLoad(Source, "OriginalStatus_" + Guid.NewGuid().ToString("N"))))
        {
            var created = await original.SendAsync(HttpMethod.Post, "/api/orders", "{\"item\":\"book\"}");
            Assert.Equal(HttpStatusCode.OK, created.Status);
            Assert.Null(created.Location);
            var note = await original.SendAsync(HttpMethod.Post, "/notes", "{\"text\":\"hello\"}");
            Assert.Equal(HttpStatusCode.OK, note.Status);
            var deleted = await original.SendAsync(HttpMethod.Delete, "/notes/" + IdOf(note.Body));
            Assert.Equal(HttpStatusCode.OK, deleted.Status);
        }

        await using var @fixed = await HostAsync(FixRunner.CompileAndLoad(fixedSource, "FixedStatus_" + Guid.NewGuid().ToString("N")));
        foreach (var (collection, body) in new[] { ("/api/orders", "{\"item\":\"book\"}"), ("/notes", "{\"text\":\"hello\"}") })
        {
            var created = await @fixed.SendAsync(HttpMethod.Post, collection, body);
            Assert.Equal(HttpStatusCode.Created, created.Status);
            Assert.NotNull(created.Location);
            var location = created.Location!.IsAbsoluteUri ? created.Location.PathAndQuery : created.Location.OriginalString;
            Assert.Equal(collection + "/" + IdOf(created.Body), location);

            var read = await @fixed.SendAsync(HttpMethod.Get, location);
            Assert.Equal(HttpStatusCode.OK, read.Status);
            Assert.Equal(created.Body, read.Body);

            var deleted = await @fixed.SendAsync(HttpMethod.Delete, location);
            Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
            Assert.Equal(string.Empty, deleted.Body);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync(HttpMethod.Get, location)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync(HttpMethod.Delete, location)).Status);
        }
    }

    private static int IdOf(string json)
        => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("id").GetInt32();

    private static async Task<Host> HostAsync(Assembly assembly)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddControllers().AddApplicationPart(assembly);
        var app = builder.Build();
        assembly.GetType("ShopApi", throwOnError: true)!.GetMethod("Map")!.Invoke(null, new object[] { (IEndpointRouteBuilder)app });
        app.MapControllers();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Host(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    private sealed class Host : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        public Host(WebApplication app, HttpClient client)
        {
            _app = app;
            _client = client;
        }

        public async Task<(HttpStatusCode Status, string Body, Uri? Location)> SendAsync(HttpMethod method, string path, string? json = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await _client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
