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

    // ---- Declines (the warning stays; this action is not offered) ---------------------------------------------

    [Fact]
    public Task The_counter_is_read_inside_the_try() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        Console.WriteLine(attempt);
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_break_before_the_end_of_the_try() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        var text = await http.GetStringAsync("/a", ct);
                        if (text.Length == 0)
                        {
                            break;
                        }

                        return text;
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_return_before_the_end_of_the_try() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        var text = await http.GetStringAsync("/a", ct);
                        if (text.Length == 0)
                        {
                            return "empty";
                        }

                        return text;
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_filter_that_reads_more_than_the_counter() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException e) when (attempt < 2 && e.StatusCode != null)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_filter_that_stops_retrying_before_the_last_attempt() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 1)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_catch_that_logs() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        Console.WriteLine("retrying");
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_catch_that_reads_its_exception() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException ex) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                        GC.KeepAlive(ex);
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task Two_catches() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (TaskCanceledException)
                    {
                        throw;
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_statement_outside_the_try() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    Console.WriteLine(attempt);
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task Code_after_a_loop_that_lets_the_last_failure_out_is_not_only_a_throw() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                Console.WriteLine("never");
                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task Catching_Exception_with_a_token_where_the_loop_falls_out() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (Exception)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                return "none";
            }
        }
        """);

    [Fact]
    public Task A_while_loop() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                var attempt = 0;
                while (attempt < 3)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        attempt++;
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_value_converted_on_return() => NoFix(
        """
        public sealed class Client
        {
            public async Task<object> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_ref_parameter_used_in_the_try() => NoFix(
        """
        public sealed class Client
        {
            public string Get(HttpClient http, ref int calls)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        calls++;
                        return http.Send(new HttpRequestMessage()).StatusCode.ToString();
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        [|Thread.Sleep(500)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_PredicateBuilder_of_another_library_in_scope() => NoFix(
        """
        public sealed class Client
        {
            private sealed class PredicateBuilder { }

            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_finally() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                    finally
                    {
                        Console.WriteLine("attempted");
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_sync_loop_without_a_wait() => NoFix(
        """
        public sealed class Client
        {
            public string Get(HttpClient http)
            {
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return http.Send(new HttpRequestMessage()).StatusCode.ToString();
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_sync_wait_that_takes_a_token() => NoFix(
        """
        public sealed class Client
        {
            public string Get(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return http.Send(new HttpRequestMessage()).StatusCode.ToString();
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        [|Task.Delay(500, ct)|].Wait();
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """);

    [Fact]
    public Task A_variable_named_underscore_in_sight() => NoFix(
        """
        public sealed class Client
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                var _ = 1;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(500, ct)|];
                    }
                }

                throw new InvalidOperationException(_.ToString());
            }
        }
        """);

    [Fact]
    public async Task Not_offered_where_Polly_is_not_referenced()
    {
        var source = Usings + """
            public sealed class Client
            {
                public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await http.GetStringAsync("/a", ct);
                        }
                        catch (HttpRequestException) when (attempt < 2)
                        {
                            await [|Task.Delay(500, ct)|];
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """;
        var test = new Verify.Test { TestCode = source, FixedCode = source };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(TestReferences.WithoutPolly);
        test.FixedState.AdditionalReferences.Clear();
        test.FixedState.AdditionalReferences.AddRange(TestReferences.WithoutPolly);
        await test.RunAsync(CancellationToken.None);
    }

    // ---- Fix All ------------------------------------------------------------------------------------------------

    private const string FixAllFirst = """
        public sealed class Feeds
        {
            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync("/a", ct);
                    }
                    catch (HttpRequestException) when (attempt < 2)
                    {
                        await [|Task.Delay(100, ct)|];
                    }
                }

                throw new InvalidOperationException();
            }

            public async Task<string> GetAsync(HttpClient http, string path)
            {
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try
                    {
                        return await http.GetStringAsync(path);
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        await [|Task.Delay(200)|];
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """;

    private const string FixAllFirstFixed = """
        public sealed class Feeds
        {
            private static readonly ResiliencePipeline GetRetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(100),
                    MaxDelay = TimeSpan.FromMilliseconds(30000),
                })
                .Build();

            public async Task<string> GetAsync(HttpClient http, CancellationToken ct)
            {
                return await GetRetryPipeline.ExecuteAsync(async _ =>
                {
                    return await http.GetStringAsync("/a", ct);
                }, ct);
            }

            private static readonly ResiliencePipeline GetRetryPipeline2 = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                    MaxDelay = TimeSpan.FromMilliseconds(30000),
                })
                .Build();

            public async Task<string> GetAsync(HttpClient http, string path)
            {
                return await GetRetryPipeline2.ExecuteAsync(async _ =>
                {
                    return await http.GetStringAsync(path);
                });
            }
        }
        """;

    private const string FixAllSecond = """
        public static class Sender
        {
            public static async Task PostAsync(HttpClient http)
            {
                for (var i = 0; i < 2; i++)
                {
                    try
                    {
                        (await http.PostAsync("/b", null)).EnsureSuccessStatusCode();
                        break;
                    }
                    catch (HttpRequestException)
                    {
                        await [|Task.Delay(50)|];
                    }
                }
            }
        }
        """;

    private const string FixAllSecondFixed = """
        public static class Sender
        {
            private static readonly ResiliencePipeline PostRetryPipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(50),
                    MaxDelay = TimeSpan.FromMilliseconds(30000),
                })
                .Build();

            public static async Task PostAsync(HttpClient http)
            {
                try
                {
                    await PostRetryPipeline.ExecuteAsync(async _ =>
                    {
                        (await http.PostAsync("/b", null)).EnsureSuccessStatusCode();
                    });
                }
                catch (HttpRequestException)
                {
                    // Every attempt failed: go on after the loop, as before.
                }
            }
        }
        """;

    [Fact]
    public async Task Fix_all_rewrites_every_loop_in_document_project_and_solution_scope()
    {
        // The verifier applies the fix one diagnostic at a time and as Fix All in each scope, and compares each result.
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/0/Feeds.cs", Usings + FixAllFirst));
        test.TestState.Sources.Add(("/0/Sender.cs", Usings + FixAllSecond));
        test.FixedState.Sources.Add(("/0/Feeds.cs", PollyUsings + FixAllFirstFixed));
        test.FixedState.Sources.Add(("/0/Sender.cs", PollyUsings + FixAllSecondFixed));
        await test.RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Document)]
    [InlineData(Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Project)]
    [InlineData(Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Solution)]
    public async Task Fix_all_started_like_dotnet_format_uses_this_action_only(Microsoft.CodeAnalysis.CodeFixes.FixAllScope scope)
    {
        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(Usings + FixAllFirst.Replace("[|", string.Empty).Replace("|]", string.Empty), new BackendRules.Resilience.RetryBackoffAnalyzer(), new BackendRules.Resilience.RetryPipelineFixer(), scope);
        Assert.Equal((PollyUsings + FixAllFirstFixed).ReplaceLineEndings(), fixedSource.ReplaceLineEndings());
    }
}
