using System.Threading;
using System.Threading.Tasks;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Resilience.RetryBackoffAnalyzer, BackendRules.Resilience.RetryPipelineFixer>;

namespace BackendRules.Tests.Resilience;

/// <summary>
/// BR0008's second fix (where Polly.Core 8 is referenced): a counted retry loop of the common shape becomes a call
/// through a Polly ResiliencePipeline field; every other shape keeps the warning without this action.
/// </summary>
public sealed class RetryPipelineTests
{
    private const string Usings = """
        using System;
        using System.Data.Common;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;


        """;

    private const string PollyUsings = """
        using System;
        using System.Data.Common;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Polly;
        using Polly.Retry;


        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, PollyUsings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    // ---- Rewrites ---------------------------------------------------------------------------------------------

    [Fact]
    public Task Loop_whose_filter_lets_the_last_failure_out_becomes_a_pipeline_call_and_the_dead_throw_goes() => Fix(
        """
        public sealed class Rates
        {
            private readonly HttpClient _http;
            public Rates(HttpClient http) => _http = http;

            public async Task<string> GetAsync(CancellationToken cancellationToken)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    try
                    {
                        return await _http.GetStringAsync("/rates", cancellationToken);
                    }
                    catch (HttpRequestException) when (attempt < 4)
                    {
                        await [|Task.Delay(500, cancellationToken)|];
                    }
                }

                throw new InvalidOperationException("unreachable");
            }
        }
        """,
        """
        public sealed class Rates
        {
            private readonly HttpClient _http;
            public Rates(HttpClient http) => _http = http;

            private static readonly ResiliencePipeline GetRetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 4,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                    MaxDelay = TimeSpan.FromMilliseconds(30000),
                })
                .Build();

            public async Task<string> GetAsync(CancellationToken cancellationToken)
            {
                return await GetRetryPipeline.ExecuteAsync(async _ =>
                {
                    return await _http.GetStringAsync("/rates", cancellationToken);
                }, cancellationToken);
            }
        }
        """);

    [Fact]
    public Task Loop_that_falls_out_after_the_last_failure_still_runs_the_code_after_it() => Fix(
        """
        public sealed class Prices
        {
            public async Task<string?> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 1; attempt <= 3; attempt++)
                {
                    try
                    {
                        // one request per attempt
                        using var response = await http.GetAsync("/prices", ct).ConfigureAwait(false);
                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    }
                    catch (HttpRequestException ex)
                    {
                        await [|Task.Delay(TimeSpan.FromSeconds(2), ct)|].ConfigureAwait(false);
                    }
                }

                return null;
            }
        }
        """,
        """
        public sealed class Prices
        {
            private static readonly ResiliencePipeline GetRetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(2000),
                    MaxDelay = TimeSpan.FromMilliseconds(30000),
                })
                .Build();

            public async Task<string?> GetAsync(HttpClient http, CancellationToken ct)
            {
                try
                {
                    return await GetRetryPipeline.ExecuteAsync(async _ =>
                    {
                        // one request per attempt
                        using var response = await http.GetAsync("/prices", ct).ConfigureAwait(false);
                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    }, ct).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    // Every attempt failed: go on after the loop, as before.
                }

                return null;
            }
        }
        """);

    [Fact]
    public Task Sync_loop_that_breaks_on_success_runs_through_Execute() => Fix(
        """
        public static class Outbox
        {
            public static void Flush(DbConnection connection)
            {
                for (var i = 0; i < 4; i++)
                {
                    try
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = "DELETE FROM outbox";
                        command.ExecuteNonQuery();
                        break;
                    }
                    catch (DbException)
                    {
                        [|Thread.Sleep(250)|];
                        continue;
                    }
                }

                Console.WriteLine("flushed");
            }
        }
        """,
        """
        public static class Outbox
        {
            private static readonly ResiliencePipeline FlushRetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<DbException>(),
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(250),
                    MaxDelay = TimeSpan.FromMilliseconds(30000),
                })
                .Build();

            public static void Flush(DbConnection connection)
            {
                try
                {
                    FlushRetryPipeline.Execute(() =>
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = "DELETE FROM outbox";
                        command.ExecuteNonQuery();
                    });
                }
                catch (DbException)
                {
                    // Every attempt failed: go on after the loop, as before.
                }

                Console.WriteLine("flushed");
            }
        }
        """);

    [Fact]
    public Task Async_loop_without_a_wait_gets_base_delay_ms_and_a_void_return_stays() => Fix(
        """
        public sealed class Notifier
        {
            public async Task SendAsync(HttpClient http, string text)
            {
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        using var content = new StringContent(text);
                        (await http.PostAsync("/notify", content)).EnsureSuccessStatusCode();
                        return;
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                    }
                }
            }
        }
        """,
        """
        public sealed class Notifier
        {
            private static readonly ResiliencePipeline SendRetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                    MaxDelay = TimeSpan.FromMilliseconds(30000),
                })
                .Build();

            public async Task SendAsync(HttpClient http, string text)
            {
                await SendRetryPipeline.ExecuteAsync(async _ =>
                {
                    using var content = new StringContent(text);
                    (await http.PostAsync("/notify", content)).EnsureSuccessStatusCode();
                });
            }
        }
        """);

    [Fact]
    public Task Wait_from_an_unchanged_local_and_a_taken_name_get_a_numbered_field() => Fix(
        """
        public sealed class Stock
        {
            private static readonly object GetRetryPipeline = new();

            public async Task<int> GetAsync(HttpClient http)
            {
                var pause = TimeSpan.FromMilliseconds(300);
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        var text = await http.GetStringAsync("/stock");
                        return int.Parse(text);
                    }
                    catch (HttpRequestException) when (attempt != 2)
                    {
                        await [|Task.Delay(pause)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """,
        """
        public sealed class Stock
        {
            private static readonly object GetRetryPipeline = new();

            private static readonly ResiliencePipeline GetRetryPipeline2 = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(300),
                    MaxDelay = TimeSpan.FromMilliseconds(30000),
                })
                .Build();

            public async Task<int> GetAsync(HttpClient http)
            {
                return await GetRetryPipeline2.ExecuteAsync(async _ =>
                {
                    var text = await http.GetStringAsync("/stock");
                    return int.Parse(text);
                });
            }
        }
        """);
}
