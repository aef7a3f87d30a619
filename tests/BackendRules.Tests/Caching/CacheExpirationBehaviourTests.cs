using System;
using System.Reflection;
using System.Threading.Tasks;
using BackendRules.Caching;
using BackendRules.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Options;
using Xunit;

namespace BackendRules.Tests.Caching;

/// <summary>
/// The BR0013 fix with real caches: a <see cref="MemoryCache"/> and a <see cref="MemoryDistributedCache"/> whose clock
/// the test moves. Before the fix every entry is still there a year later; after it each entry is there just before the
/// time to live and gone just after it.
/// </summary>
public sealed class CacheExpirationBehaviourTests
{
    private const string Source = """
        using System;
        using Microsoft.Extensions.Caching.Distributed;
        using Microsoft.Extensions.Caching.Memory;

        public static class Prices
        {
            public static void Remember(IMemoryCache cache, string sku, decimal price) => cache.Set("price:" + sku, price);

            public static decimal Quote(IMemoryCache cache, string sku) => cache.GetOrCreate("quote:" + sku, entry => 9.5m);

            public static void Describe(IMemoryCache cache, string sku)
                => cache.Set("text:" + sku, sku.ToUpperInvariant(), new MemoryCacheEntryOptions { Size = 1 });

            public static void Publish(IDistributedCache cache, string sku, string json) => cache.SetString("json:" + sku, json);
        }
        """;

    [Fact]
    public async Task Entries_leave_after_the_ttl_once_fixed_and_never_before()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new CacheExpirationAnalyzer(), new CacheExpirationFixer(), "backendrules.BR0013.default_ttl_seconds = 120");
        Assert.Contains("cache.Set(\"price:\" + sku, price, TimeSpan.FromSeconds(120))", fixedSource);
        Assert.Contains("entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(120);", fixedSource);
        Assert.Contains("new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(120) }", fixedSource);
        Assert.Contains("new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(120) }", fixedSource);

        var before = FixRunner.CompileAndLoad(Source, "CacheBefore_" + Guid.NewGuid().ToString("N"));
        var after = FixRunner.CompileAndLoad(fixedSource, "CacheAfter_" + Guid.NewGuid().ToString("N"));

        // Before: a year on, every entry is still served.
        using (var run = new Run(before))
        {
            run.Clock.Advance(TimeSpan.FromDays(365));
            Assert.Equal(new[] { true, true, true, true }, run.Present());
        }

        // After: there one second before the TTL, gone one second after it.
        using (var run = new Run(after))
        {
            Assert.Equal(new[] { true, true, true, true }, run.Present());
            run.Clock.Advance(TimeSpan.FromSeconds(119));
            Assert.Equal(new[] { true, true, true, true }, run.Present());
            run.Clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(new[] { false, false, false, false }, run.Present());
        }
    }

    /// <summary>One real cache of each kind on a moved clock, filled through the compiled <c>Prices</c> methods.</summary>
    private sealed class Run : IDisposable
    {
        private readonly MemoryCache _memory;
        private readonly MemoryDistributedCache _distributed;

        public Run(Assembly assembly)
        {
            _memory = new MemoryCache(new MemoryCacheOptions { Clock = Clock });
            _distributed = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { Clock = Clock }));
            var prices = assembly.GetType("Prices")!;
            prices.GetMethod("Remember")!.Invoke(null, new object[] { _memory, "A1", 12.5m });
            Assert.Equal(9.5m, prices.GetMethod("Quote")!.Invoke(null, new object[] { _memory, "A1" }));
            prices.GetMethod("Describe")!.Invoke(null, new object[] { _memory, "a1" });
            prices.GetMethod("Publish")!.Invoke(null, new object[] { _distributed, "A1", "{\"price\":12.5}" });
        }

        public MovableClock Clock { get; } = new();

        public bool[] Present() => new[]
        {
            _memory.TryGetValue("price:A1", out _),
            _memory.TryGetValue("quote:A1", out _),
            _memory.TryGetValue("text:a1", out _),
            _distributed.GetString("json:A1") is not null,
        };

        public void Dispose() => _memory.Dispose();
    }

    private sealed class MovableClock : ISystemClock
    {
        public DateTimeOffset UtcNow { get; private set; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => UtcNow += by;
    }
}
