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
/// BR0008's Polly action against a real server (loopback Kestrel answering 503 to the first N requests) and real
/// Polly.Core: the pipeline makes as many attempts as the loop did, its gaps grow within the cap, and after the last
/// failure it does what the loop did (falls out to the code after it, or lets the exception out).
/// </summary>
public sealed class RetryPipelineBehaviourTests
{
    /// <summary>Scheduling slack on a busy 2-core machine; waits never come early.</summary>
    private const double LateMs = 750;

    /// <summary>Eight attempts, 100 ms apart; after the last failure it falls out of the loop to "gave up".</summary>
    private const string FallsOut = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        public static class Fetcher
        {
            public static async Task<string> GetAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 8; attempt++)
                {
                    try
                    {
                        using var response = await http.GetAsync("/flaky");
                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100);
                    }
                }

                return "gave up";
            }
        }
        """;

    /// <summary>Four attempts, 50 ms apart; the filter lets the last failure out.</summary>
    private const string LetsOut = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        public static class Fetcher
        {
            public static async Task<string> GetAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try
                    {
                        using var response = await http.GetAsync("/flaky");
                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        await Task.Delay(50);
                    }
                }

                throw new InvalidOperationException("unreachable");
            }
        }
        """;

    [Fact]
    public async Task Pipeline_makes_the_same_attempts_with_growing_gaps_within_the_cap_and_still_succeeds()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(FallsOut, new RetryBackoffAnalyzer(), new RetryPipelineFixer(), "backendrules.BR0008.max_delay_ms = 1000");
        Assert.Contains("GetRetryPipeline.ExecuteAsync(", fixedSource);
        Assert.DoesNotContain("for (", fixedSource);

        var before = await RunAsync(FixRunner.CompileAndLoad(FallsOut, "PollyBefore_" + Guid.NewGuid().ToString("N")), failures: 7);
        var after = await RunAsync(FixRunner.CompileAndLoad(fixedSource, "PollyAfter_" + Guid.NewGuid().ToString("N")), failures: 7);

        Assert.Equal("ok", before.Outcome);
        Assert.Equal("ok", after.Outcome);
        Assert.Equal(8, before.Gaps.Count + 1);
        Assert.Equal(8, after.Gaps.Count + 1);

        // The original: a constant 100 ms (the median, so that one stall of the machine does not decide).
        Assert.InRange(before.Gaps.OrderBy(g => g).ElementAt(before.Gaps.Count / 2), 95, 250);

        // The pipeline: no gap passes the cap. Polly's exponential jitter draws wait n from about [0.36, 0.71] * 2^n * 100 ms.
        // A stall of the machine may stretch one gap, so one may pass the cap with slack, and the typical one of waits 4 to 6 stays within it.
        var overCap = after.Gaps.Where(gap => gap > 1000 + LateMs).ToList();
        Assert.True(overCap.Count <= 1, $"gaps pass the cap: {string.Join(", ", overCap.Select(g => g.ToString("0")))} ms");
        var cappedMedian = after.Gaps.Skip(4).OrderBy(g => g).ElementAt(1);
        Assert.True(cappedMedian <= 1000 + 150, $"the typical capped gap ({cappedMedian:0} ms) passes the cap; uncapped it would be at least 1,150 ms");
        // Growth, judged on medians so that neither one stall nor one low draw of the jitter decides: Polly's decorrelated
        // jitter spreads each wait widely around its exponential step (a wait 5 of 423 ms was seen, under its step of
        // 1,000 ms), but the typical one of waits 4 to 6 stays far above the typical one of waits 0 to 2.
        var early = after.Gaps.Take(3).OrderBy(g => g).ElementAt(1);
        var late = after.Gaps.Skip(4).Take(3).OrderBy(g => g).ElementAt(1);
        Assert.True(late > 2 * early, $"the gaps did not grow: {string.Join(", ", after.Gaps.Select(g => g.ToString("0")))} ms");
        var typical = before.Gaps.OrderBy(g => g).ElementAt(before.Gaps.Count / 2);
        Assert.True(late > 2 * typical, $"the typical late gap ({late:0} ms) is not longer than the constant one ({typical:0} ms)");
    }

    [Fact]
    public async Task After_every_attempt_fails_the_pipeline_falls_out_to_the_code_after_the_loop_as_the_loop_did()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(FallsOut, new RetryBackoffAnalyzer(), new RetryPipelineFixer(), "backendrules.BR0008.max_delay_ms = 200");
        var before = await RunAsync(FixRunner.CompileAndLoad(FallsOut, "PollyBefore_" + Guid.NewGuid().ToString("N")), failures: int.MaxValue);
        var after = await RunAsync(FixRunner.CompileAndLoad(fixedSource, "PollyAfter_" + Guid.NewGuid().ToString("N")), failures: int.MaxValue);

        Assert.Equal("gave up", before.Outcome);
        Assert.Equal("gave up", after.Outcome);
        Assert.Equal(8, before.Gaps.Count + 1);
        Assert.Equal(8, after.Gaps.Count + 1);
    }

    [Fact]
    public async Task After_every_attempt_fails_the_pipeline_lets_the_exception_out_as_the_loop_did()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(LetsOut, new RetryBackoffAnalyzer(), new RetryPipelineFixer());
        Assert.Contains("MaxRetryAttempts = 3,", fixedSource);
        Assert.DoesNotContain("unreachable", fixedSource);

        var before = await RunAsync(FixRunner.CompileAndLoad(LetsOut, "PollyBefore_" + Guid.NewGuid().ToString("N")), failures: int.MaxValue);
        var after = await RunAsync(FixRunner.CompileAndLoad(fixedSource, "PollyAfter_" + Guid.NewGuid().ToString("N")), failures: int.MaxValue);

        Assert.Equal(nameof(HttpRequestException), before.Outcome);
        Assert.Equal(nameof(HttpRequestException), after.Outcome);
        Assert.Equal(4, before.Gaps.Count + 1);
        Assert.Equal(4, after.Gaps.Count + 1);
    }

    /// <summary>Runs Fetcher.GetAsync against a server failing the first <paramref name="failures"/> requests: its answer (or exception type) and the gaps between requests.</summary>
    private static async Task<(string Outcome, List<double> Gaps)> RunAsync(Assembly assembly, int failures)
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

            return count <= failures ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Text("ok");
        });
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            var get = assembly.GetType("Fetcher", throwOnError: true)!.GetMethod("GetAsync")!;
            string outcome;
            try
            {
                outcome = await (Task<string>)get.Invoke(null, new object[] { http })!;
            }
            catch (Exception e)
            {
                outcome = e.GetType().Name;
            }

            lock (arrivals)
            {
                return (outcome, arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).ToList());
            }
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
