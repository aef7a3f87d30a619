using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading.Tasks;
using BackendRules.Resilience;
using BackendRules.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BackendRules.Tests.Resilience;

/// <summary>
/// The BR0008 fix against a real server: loopback Kestrel answers 503 to the first seven requests and notes when each
/// request arrives. The original loop's attempts come a constant 100 ms apart; the fixed loop's gaps grow (each within
/// [half, whole] of min(cap, 100 ms * 2^attempt)) and stay under the configured cap. Both end with the answer.
/// </summary>
public sealed class RetryBackoffBehaviourTests
{
    private const int Failures = 7;
    private const double BaseMs = 100;
    private const double CapMs = 1000;

    /// <summary>
    /// Scheduling slack on a busy 2-core machine for the typical gap; waits never come early, so lower bounds get only
    /// timer granularity. The last gap tells the cap apart even when stalled: uncapped it would be at least 3,200 ms.
    /// </summary>
    private const double LateMs = 750;
    private const double EarlyMs = 5;

    private const string Source = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        public static class Fetcher
        {
            public static async Task<string> GetAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 10; attempt++)
                {
                    try
                    {
                        using var response = await http.GetAsync("/flaky");
                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException) when (attempt < 9)
                    {
                        await Task.Delay(100);
                    }
                }

                throw new InvalidOperationException("no answer");
            }
        }
        """;

    [Fact]
    public async Task Fixed_loop_waits_longer_after_each_failure_within_the_cap_and_still_succeeds()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new RetryBackoffAnalyzer(), new RetryBackoffFixer(), "backendrules.BR0008.max_delay_ms = 1000");
        Assert.Contains("await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)));", fixedSource);

        var before = await RunAsync(FixRunner.CompileAndLoad(Source, "RetryBefore_" + Guid.NewGuid().ToString("N")));
        var after = await RunAsync(FixRunner.CompileAndLoad(fixedSource, "RetryAfter_" + Guid.NewGuid().ToString("N")));

        Assert.Equal("ok", before.Body);
        Assert.Equal("ok", after.Body);
        Assert.Equal(Failures + 1, before.Gaps.Count + 1);
        Assert.Equal(Failures + 1, after.Gaps.Count + 1);

        // Waits never come early, so every lower bound holds exactly (up to timer granularity). Upper bounds hold for the
        // typical gap only: a stall of the machine may stretch any single one (one of most of a second was seen in CI).
        // The original: the same 100 ms every time.
        Assert.All(before.Gaps, gap => Assert.True(gap >= BaseMs - EarlyMs, $"a constant gap of {gap:0} ms came early"));
        Assert.InRange(Median(before.Gaps), BaseMs - EarlyMs, BaseMs + 150);

        // The fix: gap k lies in [ceiling/2, ceiling] with ceiling = min(cap, base * 2^k), so the gaps grow and none passes the cap.
        var late = new List<string>();
        for (var k = 0; k < after.Gaps.Count; k++)
        {
            var ceiling = Math.Min(CapMs, BaseMs * Math.Pow(2, k));
            Assert.True(after.Gaps[k] >= ceiling / 2 - EarlyMs, $"gap {k} of {after.Gaps[k]:0} ms is shorter than half of {ceiling:0} ms");
            if (after.Gaps[k] > ceiling + LateMs)
            {
                late.Add($"gap {k}: {after.Gaps[k]:0} ms > {ceiling:0} ms");
            }
        }

        Assert.True(late.Count <= 1, "more than one gap passed its ceiling: " + string.Join("; ", late));

        // The cap: the capped gaps (k >= 4) are typically within it, and even a stalled one stays far below the uncapped
        // seventh gap (at least 3,200 ms).
        var capped = after.Gaps.Skip(4).ToList();
        Assert.InRange(Median(capped), CapMs / 2 - EarlyMs, CapMs + LateMs);
        Assert.All(capped, gap => Assert.True(gap < 3 * CapMs, $"a capped gap of {gap:0} ms looks uncapped"));

        // Growth beyond the constant wait, judged on the typical (median) constant gap: a stall may stretch any single one.
        var typical = Median(before.Gaps);
        Assert.True(after.Gaps[3] > typical * 3, $"the fourth gap ({after.Gaps[3]:0} ms) did not grow past the constant ones ({typical:0} ms)");
    }

    private static double Median(IReadOnlyCollection<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);

    private static async Task<(string Body, List<double> Gaps)> RunAsync(Assembly assembly)
    {
        var arrivals = new List<double>();
        var clock = Stopwatch.StartNew();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/flaky", (HttpContext context) =>
        {
            int count;
            lock (arrivals)
            {
                arrivals.Add(clock.Elapsed.TotalMilliseconds);
                count = arrivals.Count;
            }

            return count <= Failures ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Text("ok");
        });
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            var get = assembly.GetType("Fetcher", throwOnError: true)!.GetMethod("GetAsync")!;
            var body = await (Task<string>)get.Invoke(null, new object[] { http })!;
            lock (arrivals)
            {
                return (body, arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).ToList());
            }
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
