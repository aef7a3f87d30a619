using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
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

        await using (var original = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(Source, "OriginalStatus_" + Guid.NewGuid().ToString("N"))))
        {
            var created = await original.ExchangeAsync(HttpMethod.Post, "/api/orders", "{\"item\":\"book\"}");
            Assert.Equal(HttpStatusCode.OK, created.Status);
            Assert.Null(created.Location);
            var note = await original.ExchangeAsync(HttpMethod.Post, "/notes", "{\"text\":\"hello\"}");
            Assert.Equal(HttpStatusCode.OK, note.Status);
            var deleted = await original.ExchangeAsync(HttpMethod.Delete, "/notes/" + IdOf(note.Body));
            Assert.Equal(HttpStatusCode.OK, deleted.Status);
        }

        await using var @fixed = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(fixedSource, "FixedStatus_" + Guid.NewGuid().ToString("N")));
        foreach (var (collection, body) in new[] { ("/api/orders", "{\"item\":\"book\"}"), ("/notes", "{\"text\":\"hello\"}") })
        {
            var created = await @fixed.ExchangeAsync(HttpMethod.Post, collection, body);
            Assert.Equal(HttpStatusCode.Created, created.Status);
            Assert.NotNull(created.Location);
            var location = created.Location!.IsAbsoluteUri ? created.Location.PathAndQuery : created.Location.OriginalString;
            Assert.Equal(collection + "/" + IdOf(created.Body), location);

            var read = await @fixed.ExchangeAsync(HttpMethod.Get, location);
            Assert.Equal(HttpStatusCode.OK, read.Status);
            Assert.Equal(created.Body, read.Body);

            var deleted = await @fixed.ExchangeAsync(HttpMethod.Delete, location);
            Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
            Assert.Equal(string.Empty, deleted.Body);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.ExchangeAsync(HttpMethod.Get, location)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.ExchangeAsync(HttpMethod.Delete, location)).Status);
        }
    }

    private static int IdOf(string json)
        => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("id").GetInt32();
}
