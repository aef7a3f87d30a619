using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Caching.CacheExpirationAnalyzer, BackendRules.Caching.CacheExpirationFixer>;

namespace BackendRules.Tests.Caching;

public sealed class CacheExpirationTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Caching.Distributed;
        using Microsoft.Extensions.Caching.Memory;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Options;
        using Microsoft.Extensions.Primitives;

        public sealed record Tariff(string Zone, decimal PerKilo);

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    // ---- Reports and fixes --------------------------------------------------------------------------------------

    [Fact]
    public Task Memory_set_without_expiration_gets_the_timespan_overload() => Fix(
        """
        public sealed class Tariffs
        {
            private readonly IMemoryCache _cache;
            public Tariffs(IMemoryCache cache) => _cache = cache;

            public void Remember(string zone, Tariff tariff) => _cache.[|Set|]("tariff:" + zone, tariff);
        }
        """,
        """
        public sealed class Tariffs
        {
            private readonly IMemoryCache _cache;
            public Tariffs(IMemoryCache cache) => _cache = cache;

            public void Remember(string zone, Tariff tariff) => _cache.Set("tariff:" + zone, tariff, TimeSpan.FromSeconds(300));
        }
        """);

    [Fact]
    public Task Expression_bodied_factory_becomes_a_block_that_sets_the_expiration_first() => Fix(
        """
        public static class Zones
        {
            public static Tariff? Find(IMemoryCache cache, string zone)
                => cache.[|GetOrCreate|](zone, entry => new Tariff(zone, 1.5m));
        }
        """,
        """
        public static class Zones
        {
            public static Tariff? Find(IMemoryCache cache, string zone)
                => cache.GetOrCreate(zone, entry =>
                {
                    entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300);
                    return new Tariff(zone, 1.5m);
                });
        }
        """);

    [Fact]
    public Task Block_factory_that_only_sizes_the_entry_gets_a_first_statement() => Fix(
        """
        public static class Zones
        {
            public static Task<Tariff?> FindAsync(IMemoryCache cache, string zone, Func<string, Task<Tariff>> load)
                => cache.[|GetOrCreateAsync|](zone, async entry =>
                {
                    entry.Size = 1;
                    entry.Priority = CacheItemPriority.High;
                    return await load(zone);
                });
        }
        """,
        """
        public static class Zones
        {
            public static Task<Tariff?> FindAsync(IMemoryCache cache, string zone, Func<string, Task<Tariff>> load)
                => cache.GetOrCreateAsync(zone, async entry =>
                {
                    entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300);
                    entry.Size = 1;
                    entry.Priority = CacheItemPriority.High;
                    return await load(zone);
                });
        }
        """);

    [Fact]
    public Task Factory_that_ignores_its_entry_names_it() => Fix(
        """
        public static class Zones
        {
            public static Task<Tariff?> FindAsync(IMemoryCache cache, string zone, Func<string, Task<Tariff>> load)
                => cache.[|GetOrCreateAsync|](zone, _ => load(zone));
        }
        """,
        """
        public static class Zones
        {
            public static Task<Tariff?> FindAsync(IMemoryCache cache, string zone, Func<string, Task<Tariff>> load)
                => cache.GetOrCreateAsync(zone, entry =>
                {
                    entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300);
                    return load(zone);
                });
        }
        """);

    [Fact]
    public Task Distributed_writes_without_options_get_options_before_the_token() => Fix(
        """
        public sealed class Quotes
        {
            private readonly IDistributedCache _cache;
            public Quotes(IDistributedCache cache) => _cache = cache;

            public void Keep(string id, string json) => _cache.[|SetString|](id, json);

            public Task KeepAsync(string id, string json, CancellationToken ct) => _cache.[|SetStringAsync|](id, json, ct);

            public Task KeepBytesAsync(string id, byte[] data) => _cache.[|SetAsync|](id, data);

            public void KeepBytes(string id, byte[] data) => _cache.[|Set|](id, data);
        }
        """,
        """
        public sealed class Quotes
        {
            private readonly IDistributedCache _cache;
            public Quotes(IDistributedCache cache) => _cache = cache;

            public void Keep(string id, string json) => _cache.SetString(id, json, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) });

            public Task KeepAsync(string id, string json, CancellationToken ct) => _cache.SetStringAsync(id, json, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) }, ct);

            public Task KeepBytesAsync(string id, byte[] data) => _cache.SetAsync(id, data, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) });

            public void KeepBytes(string id, byte[] data) => _cache.Set(id, data, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) });
        }
        """);

    [Fact]
    public Task Options_created_in_the_call_with_only_size_or_nothing_get_an_expiration_member() => Fix(
        """
        public static class Stores
        {
            public static void Keep(IMemoryCache memory, IDistributedCache distributed, string id, Tariff tariff, byte[] data)
            {
                memory.[|Set|](id, tariff, new MemoryCacheEntryOptions { Size = 1, Priority = CacheItemPriority.Low });
                memory.[|Set|](id, tariff, new MemoryCacheEntryOptions());
                distributed.[|Set|](id, data, new DistributedCacheEntryOptions());
            }
        }
        """,
        """
        public static class Stores
        {
            public static void Keep(IMemoryCache memory, IDistributedCache distributed, string id, Tariff tariff, byte[] data)
            {
                memory.Set(id, tariff, new MemoryCacheEntryOptions { Size = 1, Priority = CacheItemPriority.Low, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) });
                memory.Set(id, tariff, new MemoryCacheEntryOptions() { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) });
                distributed.Set(id, data, new DistributedCacheEntryOptions() { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) });
            }
        }
        """);

    [Fact]
    public Task Missing_usings_are_added() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.Extensions.Caching.Memory;

        public static class Counters
        {
            public static void Keep(IMemoryCache cache, string key, int count) => cache.[|Set|](key, count);
        }
        """,
        """
        using System;
        using Microsoft.Extensions.Caching.Memory;

        public static class Counters
        {
            public static void Keep(IMemoryCache cache, string key, int count) => cache.Set(key, count, TimeSpan.FromSeconds(300));
        }
        """);

    [Fact]
    public Task Ttl_comes_from_the_option()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                public static class Counters
                {
                    public static void Keep(IMemoryCache cache, string key, int count) => cache.[|Set|](key, count);
                }
                """,
            FixedCode = Usings + """
                public static class Counters
                {
                    public static void Keep(IMemoryCache cache, string key, int count) => cache.Set(key, count, TimeSpan.FromSeconds(60));
                }
                """,
        }.WithEditorConfig("backendrules.BR0013.default_ttl_seconds = 60");
        return test.RunAsync(CancellationToken.None);
    }

    // ---- Reported, no fix offered -------------------------------------------------------------------------------

    [Fact]
    public Task Options_from_a_local_or_a_field_that_set_no_expiration_are_reported_without_a_fix() => NoFix(
        """
        public sealed class Catalog
        {
            private static readonly MemoryCacheEntryOptions Small = new() { Size = 1 };
            private readonly IMemoryCache _cache;
            public Catalog(IMemoryCache cache) => _cache = cache;

            public void Keep(string id, Tariff tariff)
            {
                var options = new MemoryCacheEntryOptions().SetSize(1).SetPriority(CacheItemPriority.Low);
                _cache.[|Set|](id, tariff, options);
                _cache.[|Set|](id + ":small", tariff, Small);
            }
        }
        """);

    [Fact]
    public Task Created_entry_without_expiration_is_reported_without_a_fix() => NoFix(
        """
        public static class Entries
        {
            public static void Keep(IMemoryCache cache, string id, Tariff tariff)
            {
                using var entry = cache.[|CreateEntry|](id);
                entry.Value = tariff;
                entry.Size = 1;
            }
        }
        """);

    [Fact]
    public Task Throwing_factory_is_reported_without_a_fix() => NoFix(
        """
        public static class Zones
        {
            public static Tariff? Find(IMemoryCache cache, string zone)
                => cache.[|GetOrCreate<Tariff>|](zone, entry => throw new InvalidOperationException(zone));
        }
        """);

    [Fact]
    public async Task Fix_all_fixes_every_call_in_the_document()
    {
        var source = Usings + """
            public static class Many
            {
                public static void Keep(IMemoryCache cache, IDistributedCache distributed, string id, Tariff tariff)
                {
                    cache.Set(id, tariff);
                    cache.Set(id + ":2", tariff, new MemoryCacheEntryOptions { Size = 2 });
                    distributed.SetString(id, tariff.Zone);
                    cache.GetOrCreate(id + ":3", e => tariff);
                }
            }
            """;
        var fixedSource = await Infrastructure.FixRunner.FixAllFromFirstDiagnosticAsync(source, new BackendRules.Caching.CacheExpirationAnalyzer(), new BackendRules.Caching.CacheExpirationFixer(), Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Document);
        Assert.Contains("cache.Set(id, tariff, TimeSpan.FromSeconds(300));", fixedSource);
        Assert.Contains("new MemoryCacheEntryOptions { Size = 2, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) }", fixedSource);
        Assert.Contains("distributed.SetString(id, tariff.Zone, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300) });", fixedSource);
        Assert.Contains("e.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(300);", fixedSource);
    }

    // ---- Never reported -----------------------------------------------------------------------------------------

    [Fact]
    public Task Expiration_in_the_call_is_not_reported() => None(
        """
        public static class Good
        {
            public static void Keep(IMemoryCache cache, string id, Tariff tariff, IChangeToken token)
            {
                cache.Set(id, tariff, TimeSpan.FromMinutes(5));
                cache.Set(id, tariff, DateTimeOffset.UtcNow.AddHours(1));
                cache.Set(id, tariff, token);
                cache.Set(id, tariff, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(2) });
                cache.Set(id, tariff, new MemoryCacheEntryOptions().SetSize(1).SetAbsoluteExpiration(TimeSpan.FromMinutes(2)));
                cache.Set(id, tariff, new MemoryCacheEntryOptions { ExpirationTokens = { token } });
            }
        }
        """);

    [Fact]
    public Task Options_that_expire_in_a_local_a_field_or_a_helper_are_not_reported() => None(
        """
        public sealed class Good
        {
            private static readonly MemoryCacheEntryOptions Short = new MemoryCacheEntryOptions().SetSlidingExpiration(TimeSpan.FromMinutes(1));
            private readonly DistributedCacheEntryOptions _distributed;
            private readonly IMemoryCache _cache;
            private readonly IDistributedCache _store;

            public Good(IMemoryCache cache, IDistributedCache store)
            {
                _cache = cache;
                _store = store;
                _distributed = new DistributedCacheEntryOptions();
                _distributed.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
            }

            private static MemoryCacheEntryOptions Options() => new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) };

            public void Keep(string id, Tariff tariff)
            {
                var options = new MemoryCacheEntryOptions { Size = 1 };
                options.SlidingExpiration = TimeSpan.FromMinutes(3);
                _cache.Set(id, tariff, options);
                _cache.Set(id, tariff, Short);
                _cache.Set(id, tariff, Options());
                _store.SetString(id, tariff.Zone, _distributed);
            }
        }
        """);

    [Fact]
    public Task Options_the_code_cannot_see_are_not_reported() => None(
        """
        public sealed class CacheSettings
        {
            public MemoryCacheEntryOptions Entry { get; set; } = new();
        }

        public sealed class Opaque
        {
            private readonly IMemoryCache _cache;
            private readonly CacheSettings _settings;
            private readonly MemoryCacheEntryOptions _bound = new();

            public Opaque(IMemoryCache cache, IOptions<CacheSettings> settings, IConfiguration configuration)
            {
                _cache = cache;
                _settings = settings.Value;
                configuration.GetSection("Cache").Bind(_bound);
            }

            public void Keep(string id, Tariff tariff, MemoryCacheEntryOptions given, DistributedCacheEntryOptions distributed, IDistributedCache store)
            {
                _cache.Set(id, tariff, given);
                _cache.Set(id, tariff, _settings.Entry);
                _cache.Set(id, tariff, _bound);
                store.SetString(id, tariff.Zone, distributed);
            }
        }
        """);

    [Fact]
    public Task Factories_that_expire_the_entry_or_hand_it_on_are_not_reported() => None(
        """
        public static class Good
        {
            private static void Configure(ICacheEntry entry) => entry.SlidingExpiration = TimeSpan.FromMinutes(1);
            private static Tariff Load(ICacheEntry entry) => new Tariff((string)entry.Key, 1m);

            public static void Find(IMemoryCache cache, string zone, MemoryCacheEntryOptions options, Func<ICacheEntry, Tariff> factory)
            {
                cache.GetOrCreate(zone, entry => { entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5); return new Tariff(zone, 1m); });
                cache.GetOrCreate(zone, entry => entry.SetSize(1).SetSlidingExpiration(TimeSpan.FromMinutes(5)).Key.ToString());
                cache.GetOrCreate(zone, entry => { entry.SetOptions(options); return new Tariff(zone, 1m); });
                cache.GetOrCreate(zone, entry => { Configure(entry); return new Tariff(zone, 1m); });
                cache.GetOrCreate(zone, Load);
                cache.GetOrCreate(zone, factory);
                cache.GetOrCreate(zone, entry => new Tariff(zone, 1m), new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
                cache.GetOrCreate(zone, entry => { entry.ExpirationTokens.Add(new CancellationChangeToken(CancellationToken.None)); return 1; });
            }
        }
        """);

    [Fact]
    public Task Created_entries_with_an_expiration_are_not_reported() => None(
        """
        public static class Entries
        {
            public static void Keep(IMemoryCache cache, string id, Tariff tariff)
            {
                using (var entry = cache.CreateEntry(id))
                {
                    entry.Value = tariff;
                    entry.AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(1);
                }

                using var other = cache.CreateEntry(id + ":2").SetValue(tariff).SetSlidingExpiration(TimeSpan.FromMinutes(1));
            }
        }
        """);

    [Fact]
    public Task Entries_the_same_type_removes_by_the_same_key_are_invalidated_not_forgotten() => None(
        """
        public sealed class TariffBook
        {
            private const string AllKey = "tariffs:all";
            private readonly IMemoryCache _cache;
            private readonly IDistributedCache _shared;
            public TariffBook(IMemoryCache cache, IDistributedCache shared) { _cache = cache; _shared = shared; }

            private static string KeyFor(string zone) => $"tariff:{zone}";

            public Tariff? Find(string zone) => _cache.GetOrCreate(KeyFor(zone), entry => new Tariff(zone, 2m));

            public void Warm(IEnumerable<Tariff> all)
            {
                _cache.Set(AllKey, all);
                foreach (var tariff in all)
                {
                    var key = KeyFor(tariff.Zone);
                    _cache.Set(key, tariff);
                    _shared.SetString($"zone-{tariff.Zone}", tariff.PerKilo.ToString());
                }
            }

            public async Task ChangedAsync(Tariff tariff)
            {
                _cache.Remove(KeyFor(tariff.Zone));
                _cache.Remove(AllKey);
                await _shared.RemoveAsync("zone-" + tariff.Zone);
            }
        }
        """);

    [Fact]
    public Task A_wrapper_that_removes_by_its_parameter_still_writes_entries_that_never_expire() => Fix(
        """
        public sealed class AppCache
        {
            private readonly IMemoryCache _cache;
            public AppCache(IMemoryCache cache) => _cache = cache;

            public void Put<T>(string key, T value) => _cache.[|Set|](key, value);

            public void Drop(string key) => _cache.Remove(key);
        }
        """,
        """
        public sealed class AppCache
        {
            private readonly IMemoryCache _cache;
            public AppCache(IMemoryCache cache) => _cache = cache;

            public void Put<T>(string key, T value) => _cache.Set(key, value, TimeSpan.FromSeconds(300));

            public void Drop(string key) => _cache.Remove(key);
        }
        """);

    [Fact]
    public Task Removing_just_before_writing_in_the_same_method_replaces_the_entry_and_is_still_reported() => Fix(
        """
        public sealed class KeyIndex
        {
            private const string IndexKey = "index";
            private readonly IMemoryCache _cache;
            public KeyIndex(IMemoryCache cache) => _cache = cache;

            public void Track(string key)
            {
                var keys = _cache.Get<List<string>>(IndexKey) ?? new List<string>();
                keys.Add(key);
                _cache.Remove(IndexKey);
                _cache.[|Set|](IndexKey, keys);
            }
        }
        """,
        """
        public sealed class KeyIndex
        {
            private const string IndexKey = "index";
            private readonly IMemoryCache _cache;
            public KeyIndex(IMemoryCache cache) => _cache = cache;

            public void Track(string key)
            {
                var keys = _cache.Get<List<string>>(IndexKey) ?? new List<string>();
                keys.Add(key);
                _cache.Remove(IndexKey);
                _cache.Set(IndexKey, keys, TimeSpan.FromSeconds(300));
            }
        }
        """);

    [Fact]
    public Task A_cache_type_of_the_project_is_not_judged() => None(
        """
        public sealed class DefaultingCache : MemoryCache
        {
            public DefaultingCache() : base(Options.Create(new MemoryCacheOptions { SizeLimit = 100 })) { }

            public void Keep(string id, Tariff tariff) => this.Set(id, tariff);
        }

        public static class Users
        {
            public static void Keep(DefaultingCache cache, string id, Tariff tariff) => cache.Set(id, tariff);
        }
        """);
}
