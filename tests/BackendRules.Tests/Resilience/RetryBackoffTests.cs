using System.Threading.Tasks;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Resilience.RetryBackoffAnalyzer, BackendRules.Resilience.RetryBackoffFixer>;

namespace BackendRules.Tests.Resilience;

public sealed class RetryBackoffTests
{
    private const string Usings = """
        using System;
        using System.Data.Common;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Dapper;

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    // ---- Reports and fixes --------------------------------------------------------------------------------------

    [Fact]
    public Task Constant_delay_in_a_for_loop_around_an_http_call_grows_with_the_attempt() => Fix(
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
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 500 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken);
                    }
                }

                throw new InvalidOperationException("unreachable");
            }
        }
        """);

    [Fact]
    public Task Thread_sleep_with_a_constant_timespan_in_a_while_loop_over_ado_net() => Fix(
        """
        public static class Migrations
        {
            public static void Run(DbConnection connection)
            {
                var attempt = 1;
                while (attempt <= 10)
                {
                    try
                    {
                        connection.Open();
                        break;
                    }
                    catch (DbException)
                    {
                        attempt++;
                        [|Thread.Sleep(TimeSpan.FromSeconds(2))|];
                    }
                }
            }
        }
        """,
        """
        public static class Migrations
        {
            public static void Run(DbConnection connection)
            {
                var attempt = 1;
                while (attempt <= 10)
                {
                    try
                    {
                        connection.Open();
                        break;
                    }
                    catch (DbException)
                    {
                        attempt++;
                        Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(30000, 2000 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)));
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Caught_io_failure_of_an_own_method_and_a_constant_field_with_a_cap_option()
    {
        var source = Usings + """
            public sealed class Importer
            {
                private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

                public async Task ImportAsync()
                {
                    var tries = 0;
                    do
                    {
                        try
                        {
                            await PushAsync();
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            if (++tries >= 3)
                            {
                                throw;
                            }
                        }

                        await [|Task.Delay(Pause)|].ConfigureAwait(false);
                    }
                    while (true);
                }

                private Task PushAsync() => Task.CompletedTask;
            }
            """;
        var fixedSource = source
            .Replace("[|Task.Delay(Pause)|].ConfigureAwait(false)", "Task.Delay(TimeSpan.FromMilliseconds(Math.Min(8000, Pause.TotalMilliseconds * Math.Pow(2, tries)) * (0.5 + Random.Shared.NextDouble() / 2))).ConfigureAwait(false)");
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource }.WithEditorConfig("backendrules.BR0008.max_delay_ms = 8000");
        return test.RunAsync();
    }

    [Fact]
    public Task Async_retry_without_a_wait_gets_one_before_its_continue() => Fix(
        """
        public static class Orders
        {
            public static async Task<int> CountAsync(DbConnection connection)
            {
                [|for|] (var attempt = 1; attempt <= 3; attempt++)
                {
                    try
                    {
                        return await connection.ExecuteScalarAsync<int>("select count(*) from orders");
                    }
                    catch (DbException) when (attempt < 3)
                    {
                        continue;
                    }
                }

                return 0;
            }
        }
        """,
        """
        public static class Orders
        {
            public static async Task<int> CountAsync(DbConnection connection)
            {
                for (var attempt = 1; attempt <= 3; attempt++)
                {
                    try
                    {
                        return await connection.ExecuteScalarAsync<int>("select count(*) from orders");
                    }
                    catch (DbException) when (attempt < 3)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 200 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)));
                        continue;
                    }
                }

                return 0;
            }
        }
        """);

    [Fact]
    public Task Status_retry_with_a_constant_wait_is_reported() => Fix(
        """
        public static class Hooks
        {
            public static async Task<bool> SendAsync(HttpClient http)
            {
                for (var i = 0; i < 3; i++)
                {
                    using var response = await http.PostAsync("/hook", new StringContent("{}"));
                    if (response.IsSuccessStatusCode)
                    {
                        return true;
                    }

                    await [|Task.Delay(1000)|];
                }

                return false;
            }
        }
        """,
        """
        public static class Hooks
        {
            public static async Task<bool> SendAsync(HttpClient http)
            {
                for (var i = 0; i < 3; i++)
                {
                    using var response = await http.PostAsync("/hook", new StringContent("{}"));
                    if (response.IsSuccessStatusCode)
                    {
                        return true;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 1000 * Math.Pow(2, i)) * (0.5 + Random.Shared.NextDouble() / 2)));
                }

                return false;
            }
        }
        """);

    // ---- Reported, no fix -------------------------------------------------------------------------------------

    [Fact]
    public Task Retry_flag_loop_is_reported_but_not_fixed_without_an_attempt_counter() => NoFix(
        """
        public static class Pinger
        {
            public static async Task PingAsync(HttpClient http)
            {
                var again = true;
                while (again)
                {
                    again = false;
                    try
                    {
                        await http.GetAsync("/ping");
                    }
                    catch (HttpRequestException)
                    {
                        again = true;
                        await [|Task.Delay(250)|];
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Counter_counting_down_is_reported_but_not_fixed() => NoFix(
        """
        public static class Lookup
        {
            public static async Task<string> GetAsync(HttpClient http)
            {
                var left = 3;
                while (left-- > 0)
                {
                    try
                    {
                        return await http.GetStringAsync("/lookup");
                    }
                    catch (HttpRequestException)
                    {
                        await [|Task.Delay(100)|];
                    }
                }

                return "";
            }
        }
        """);

    [Fact]
    public Task Sync_retry_without_a_wait_is_reported_but_not_fixed() => NoFix(
        """
        public static class Sync
        {
            public static void Open(DbConnection connection)
            {
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        connection.Open();
                        return;
                    }
                    catch (DbException)
                    {
                    }
                }
            }
        }
        """);

    [Fact]
    public Task A_catch_that_may_leave_early_still_retries_when_its_end_is_reachable_and_not_when_it_never_ends() => Verify.VerifyAnalyzerAsync(Usings +
        """
        public static class Pings
        {
            public static async Task ThrowOnLastAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { await http.GetAsync("/a"); return; }
                    catch (HttpRequestException)
                    {
                        if (attempt == 2) { throw; }
                        await [|Task.Delay(200)|];
                    }
                }
            }

            public static async Task ParkForeverAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { await http.GetAsync("/b"); return; }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(200);
                        while (true) { await Task.Delay(1000); }
                    }
                }
            }
        }
        """);

    // ---- Never reported ---------------------------------------------------------------------------------------

    [Fact]
    public Task Waits_that_grow_with_the_attempt_are_not_reported() => None(
        """
        public static class Growing
        {
            public static async Task<string> MultiplyAsync(HttpClient http)
            {
                for (var attempt = 1; attempt <= 4; attempt++)
                {
                    try { return await http.GetStringAsync("/a"); }
                    catch (HttpRequestException) { await Task.Delay(attempt * 200); }
                }
                return "";
            }

            public static async Task<string> PowerAsync(HttpClient http)
            {
                for (var attempt = 1; attempt <= 4; attempt++)
                {
                    try { return await http.GetStringAsync("/b"); }
                    catch (HttpRequestException) { await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt))); }
                }
                return "";
            }

            public static async Task<string> ShiftAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try { return await http.GetStringAsync("/c"); }
                    catch (HttpRequestException) { await Task.Delay(100 << attempt); }
                }
                return "";
            }

            public static async Task<string> DoublingAsync(HttpClient http)
            {
                var delay = 100;
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try { return await http.GetStringAsync("/d"); }
                    catch (HttpRequestException) { await Task.Delay(delay); delay *= 2; }
                }
                return "";
            }

            private static readonly int[] Table = { 100, 500, 2000 };

            public static async Task<string> TableAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < Table.Length; attempt++)
                {
                    try { return await http.GetStringAsync("/e"); }
                    catch (HttpRequestException) { await Task.Delay(Table[attempt]); }
                }
                return "";
            }
        }
        """);

    [Fact]
    public Task Polling_worker_that_waits_every_round_is_not_reported() => None(
        """
        public sealed class Poller
        {
            private readonly HttpClient _http;
            public Poller(HttpClient http) => _http = http;

            public async Task RunAsync(CancellationToken stoppingToken)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    try
                    {
                        await _http.GetStringAsync("/queue", stoppingToken);
                    }
                    catch (HttpRequestException)
                    {
                    }

                    await Task.Delay(5000, stoppingToken);
                }
            }

            public async Task CountedAsync(CancellationToken stoppingToken)
            {
                for (var round = 0; round < 100; round++)
                {
                    try
                    {
                        await _http.GetStringAsync("/tick", stoppingToken);
                    }
                    catch (HttpRequestException)
                    {
                    }

                    await Task.Delay(1000, stoppingToken);
                }
            }
        }
        """);

    [Fact]
    public Task Failover_over_endpoints_and_loops_without_io_are_not_reported() => None(
        """
        public static class Elsewhere
        {
            public static async Task<string> FirstAnsweringAsync(HttpClient http, string[] mirrors)
            {
                for (var i = 0; i < mirrors.Length; i++)
                {
                    try { return await http.GetStringAsync(mirrors[i]); }
                    catch (HttpRequestException) { await Task.Delay(100); }
                }
                return "";
            }

            public static int Parse(string text)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { return int.Parse(text); }
                    catch (FormatException) { Thread.Sleep(10); }
                }
                return 0;
            }
        }
        """);

    [Fact]
    public Task Unbounded_retries_concurrency_conflicts_and_injected_delays_are_not_reported() => None(
        """
        public interface IDelay { Task Wait(TimeSpan time); Task DelayAsync(int attempt); }

        public static class Others
        {
            public static async Task ForeverAsync(HttpClient http)
            {
                while (true)
                {
                    try { await http.GetAsync("/x"); return; }
                    catch (HttpRequestException) { await Task.Delay(1000); }
                }
            }

            public static async Task InjectedAsync(HttpClient http, IDelay delay)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { await http.GetAsync("/y"); return; }
                    catch (HttpRequestException) { await delay.DelayAsync(attempt); }
                }
            }

            public static async Task FromParameterAsync(HttpClient http, int pauseMs)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { await http.GetAsync("/z"); return; }
                    catch (HttpRequestException) { await Task.Delay(pauseMs); }
                }
            }

            public static async Task RethrowAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { await http.GetAsync("/w"); return; }
                    catch (HttpRequestException) { throw; }
                }
            }
        }
        """);

    [Fact]
    public Task Awaited_calls_count_as_io_only_when_configured()
    {
        var source = Usings + """
            public sealed class Queue
            {
                public async Task SendAsync(Func<Task> send)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try { await send(); return; }
                        catch (Exception) { await {|#0:Task.Delay(300)|}; }
                    }
                }
            }
            """;
        var silent = Verify.VerifyAnalyzerAsync(source.Replace("{|#0:", "").Replace(")|}", ")"));
        var test = new Verify.Test { TestCode = source, FixedCode = source.Replace("{|#0:Task.Delay(300)|}", "Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 300 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)))") }
            .WithEditorConfig("backendrules.BR0008.any_awaited_call = true");
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("waits the same 'Task.Delay(300)'"));
        return Task.WhenAll(silent, test.RunAsync());
    }

    [Fact]
    public Task Fix_all_fixes_every_loop_of_the_document() => Fix(
        """
        public static class Both
        {
            public static async Task AAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { await http.GetAsync("/a"); return; }
                    catch (HttpRequestException) { await [|Task.Delay(100)|]; }
                }
            }

            public static async Task BAsync(HttpClient http)
            {
                for (var n = 0; n < 3; n++)
                {
                    try { await http.GetAsync("/b"); return; }
                    catch (HttpRequestException) { await [|Task.Delay(TimeSpan.FromMilliseconds(50))|]; }
                }
            }
        }
        """,
        """
        public static class Both
        {
            public static async Task AAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { await http.GetAsync("/a"); return; }
                    catch (HttpRequestException) { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 100 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2))); }
                }
            }

            public static async Task BAsync(HttpClient http)
            {
                for (var n = 0; n < 3; n++)
                {
                    try { await http.GetAsync("/b"); return; }
                    catch (HttpRequestException) { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 50 * Math.Pow(2, n)) * (0.5 + Random.Shared.NextDouble() / 2))); }
                }
            }
        }
        """);

    [Fact]
    public Task Status_loop_that_gives_up_on_a_failure_is_not_a_retry() => None(
        """
        public static class Pages
        {
            public static async Task<int> CountAsync(HttpClient http)
            {
                var total = 0;
                for (var page = 0; page < 20; page++)
                {
                    using var response = await http.GetAsync("/items");
                    if (!response.IsSuccessStatusCode)
                    {
                        return total;
                    }

                    total++;
                    await Task.Delay(200);
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task Status_in_a_do_while_condition_is_a_retry() => NoFix(
        """
        public static class Sender
        {
            public static async Task SendAsync(HttpClient http)
            {
                var left = 3;
                HttpResponseMessage response;
                do
                {
                    response = await http.PostAsync("/send", new StringContent("x"));
                    await [|Task.Delay(300)|];
                }
                while (!response.IsSuccessStatusCode && --left > 0);
            }
        }
        """);

    [Fact]
    public Task Goto_retries_file_copies_and_waiting_for_a_value_to_appear_are_not_reported() => None(
        """
        public sealed class Misc
        {
            public static async Task SaveAsync(DbConnection connection)
            {
                var tries = 0;
            again:
                try
                {
                    await connection.ExecuteAsync("update stock set n = n - 1");
                }
                catch (DbException) when (tries++ < 5)
                {
                    await Task.Delay(100);
                    goto again;
                }
            }

            public static void Copy(string from, string to)
            {
                for (var attempt = 1; attempt <= 3; attempt++)
                {
                    try { System.IO.File.Copy(from, to, true); return; }
                    catch (System.IO.IOException) when (attempt < 3) { Thread.Sleep(1000); }
                }
            }

            public static async Task<string?> WaitForAsync(Func<Task<string?>> lookup)
            {
                var found = await lookup();
                var rounds = 0;
                while (found is null && rounds < 5)
                {
                    rounds++;
                    found = await lookup();
                    await Task.Delay(500);
                }

                return found;
            }
        }
        """);

    [Fact]
    public Task Named_duration_argument_is_reported_but_not_fixed() => NoFix(
        """
        public static class Named
        {
            public static async Task PingAsync(HttpClient http)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try { await http.GetAsync("/ping"); return; }
                    catch (HttpRequestException) { await [|Task.Delay(millisecondsDelay: 300)|]; }
                }
            }
        }
        """);
}
