using System.Threading.Tasks;
using BackendRules.Http;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Http.HttpTimeoutAnalyzer, BackendRules.Http.HttpTimeoutFixer>;

namespace BackendRules.Tests.Http;

public sealed class HttpTimeoutTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;

        public sealed class GitHubClient
        {
            private readonly HttpClient _http;
            public GitHubClient(HttpClient http) => _http = http;
            public Task<string> Zen() => _http.GetStringAsync("zen");
        }

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    // ---- new HttpClient() --------------------------------------------------------------------------------

    [Fact]
    public Task Local_client_without_timeout_report_and_fix() => Fix(
        """
        public static class Weather
        {
            public static async Task<string> Today()
            {
                using var client = [|new HttpClient()|];
                return await client.GetStringAsync("http://weather.example/today");
            }
        }
        """,
        """
        public static class Weather
        {
            public static async Task<string> Today()
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                return await client.GetStringAsync("http://weather.example/today");
            }
        }
        """);

    [Fact]
    public Task Message_says_the_default_is_100_seconds_not_that_there_is_none() => Verify.VerifyAnalyzerAsync(
        Usings + """
            public sealed class Weather
            {
                private static readonly HttpClient Shared = {|#0:new HttpClient(new SocketsHttpHandler())|};
            }
            """,
        Verify.Diagnostic(HttpTimeoutAnalyzer.DefaultRule).WithLocation(0).WithMessage("'Shared' uses HttpClient's 100-second default timeout; set a timeout that fits the call"));

    [Fact]
    public Task Field_and_property_clients_report_and_fix() => Fix(
        """
        public sealed class Weather
        {
            private readonly HttpClient _client = [|new HttpClient(new HttpClientHandler(), disposeHandler: true)|];
            public HttpClient Backup { get; } = [|new HttpClient { BaseAddress = new Uri("http://backup.example") }|];
        }
        """,
        """
        public sealed class Weather
        {
            private readonly HttpClient _client = new HttpClient(new HttpClientHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
            public HttpClient Backup { get; } = new HttpClient { BaseAddress = new Uri("http://backup.example"), Timeout = TimeSpan.FromSeconds(30) };
        }
        """);

    [Fact]
    public async Task Default_timeout_option_and_missing_using_report_and_fix()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Net.Http;

                public sealed class Weather
                {
                    private readonly HttpClient _client;
                    public Weather() => _client = [|new HttpClient()|];
                }
                """,
            FixedCode = """
                using System;
                using System.Net.Http;

                public sealed class Weather
                {
                    private readonly HttpClient _client;
                    public Weather() => _client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                }
                """,
        }.WithEditorConfig("backendrules.BR0003.default_timeout_seconds = 10");
        await test.RunAsync();
    }

    [Fact]
    public Task Timeouts_set_anywhere_the_rule_accepts_are_not_reported() => None(
        """
        public sealed class FakeHandler : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                => Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }

        public sealed class Clients
        {
            private readonly HttpClient _configured = new HttpClient();
            private HttpClient Other { get; } = new HttpClient();
            private static readonly HttpClient Fast = new() { Timeout = TimeSpan.FromSeconds(5) };

            public Clients()
            {
                _configured.Timeout = TimeSpan.FromSeconds(20);
                this.Other.Timeout = TimeSpan.FromSeconds(20);
            }

            public async Task Run()
            {
                var later = new HttpClient();
                later.Timeout = TimeSpan.FromSeconds(15);
                using var inMemory = new HttpClient(new FakeHandler());
                await Use(new HttpClient { Timeout = TimeSpan.FromSeconds(1) });
                await later.GetAsync("http://example");
            }

            // Built here and handed out: judged where the caller keeps it, not guessed at here.
            public static HttpClient Create() => new HttpClient();
            private static Task Use(HttpClient client) => client.GetAsync("http://example");
        }
        """);

    // ---- Infinite or excessive timeouts ----------------------------------------------------------------

    [Fact]
    public Task Infinite_and_excessive_timeouts_report_and_fix() => Fix(
        """
        public sealed class Downloads
        {
            private readonly HttpClient _client = new HttpClient { Timeout = [|Timeout.InfiniteTimeSpan|] };

            public void Configure(HttpClient other, HttpClient fine)
            {
                other.Timeout = [|TimeSpan.FromMinutes(10)|];
                other.Timeout = [|TimeSpan.MaxValue|];
                fine.Timeout = TimeSpan.FromSeconds(200);
            }
        }
        """,
        """
        public sealed class Downloads
        {
            private readonly HttpClient _client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

            public void Configure(HttpClient other, HttpClient fine)
            {
                other.Timeout = TimeSpan.FromSeconds(30);
                other.Timeout = TimeSpan.FromSeconds(30);
                fine.Timeout = TimeSpan.FromSeconds(200);
            }
        }
        """);

    [Fact]
    public Task Excessive_message_names_the_value_and_the_ceiling_option()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                public static class Downloads
                {
                    public static void Configure(HttpClient client) => client.Timeout = {|#0:TimeSpan.FromSeconds(200)|};
                }
                """,
            FixedCode = Usings + """
                public static class Downloads
                {
                    public static void Configure(HttpClient client) => client.Timeout = TimeSpan.FromSeconds(30);
                }
                """,
        }.WithEditorConfig("backendrules.BR0003.max_timeout_seconds = 120");
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(HttpTimeoutAnalyzer.ExcessiveRule).WithLocation(0)
            .WithMessage("The HttpClient timeout is 200 seconds; use a bounded timeout of at most 120 seconds"));
        return test.RunAsync();
    }

    // ---- IHttpClientFactory registrations ----------------------------------------------------------------

    [Fact]
    public Task Registrations_without_a_bound_report_and_fix() => Fix(
        """
        public static class Registration
        {
            public static void Add(IServiceCollection services)
            {
                services.[|AddHttpClient<GitHubClient>|]();
                services.[|AddHttpClient|]("weather", http =>
                {
                    http.BaseAddress = new Uri("http://weather.example");
                });
                services.[|AddHttpClient|]("plain").SetHandlerLifetime(TimeSpan.FromMinutes(5));
            }
        }
        """,
        """
        public static class Registration
        {
            public static void Add(IServiceCollection services)
            {
                services.AddHttpClient<GitHubClient>().ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));
                services.AddHttpClient("weather", http =>
                {
                    http.Timeout = TimeSpan.FromSeconds(30);
                    http.BaseAddress = new Uri("http://weather.example");
                });
                services.AddHttpClient("plain").ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30)).SetHandlerLifetime(TimeSpan.FromMinutes(5));
            }
        }
        """);

    [Fact]
    public Task Registrations_bounded_by_delegate_chain_local_or_resilience_are_not_reported() => None(
        """
        public static class ResilienceStubs
        {
            public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder) => builder;
        }

        public static class Registration
        {
            public static void Add(IServiceCollection services)
            {
                services.AddHttpClient<GitHubClient>(http => http.Timeout = TimeSpan.FromSeconds(10));
                services.AddHttpClient("a").ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(10));
                services.AddHttpClient("b").AddStandardResilienceHandler();
                var builder = services.AddHttpClient("c");
                builder.ConfigureHttpClient((provider, http) => http.Timeout = TimeSpan.FromSeconds(10));
            }
        }
        """);

    [Fact]
    public async Task Configure_http_client_defaults_anywhere_in_the_compilation_covers_every_registration()
    {
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    Usings + """
                        public static class Registration
                        {
                            public static void Add(IServiceCollection services) => services.AddHttpClient<GitHubClient>();
                        }
                        """,
                    """
                        using System;
                        using Microsoft.Extensions.DependencyInjection;

                        public static class Defaults
                        {
                            public static void Add(IServiceCollection services)
                                => services.ConfigureHttpClientDefaults(builder => builder.ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(15)));
                        }
                        """,
                },
            },
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_across_documents_adds_using_once()
    {
        const string First = """
            using System.Net.Http;

            public sealed class A
            {
                private readonly HttpClient _one = [|new HttpClient()|];
                private readonly HttpClient _two = [|new HttpClient()|];
            }
            """;
        const string Second = """
            using System.Net.Http;

            public sealed class B
            {
                public void Set(HttpClient client) => client.Timeout = [|System.Threading.Timeout.InfiniteTimeSpan|];
            }
            """;
        var test = new Verify.Test
        {
            TestState = { Sources = { First, Second } },
            FixedState =
            {
                Sources =
                {
                    "using System;\n" + First.Replace("[|new HttpClient()|]", "new HttpClient { Timeout = TimeSpan.FromSeconds(30) }"),
                    "using System;\n" + Second.Replace("[|System.Threading.Timeout.InfiniteTimeSpan|]", "TimeSpan.FromSeconds(30)"),
                },
            },
            NumberOfFixAllInDocumentIterations = 2,
        };
        await test.RunAsync();
    }
}
