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

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    /// <summary>Diagnostics only (the markup), for cases whose fix another test covers.</summary>
    private static Task Report(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    private const string Imports = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;

        """;

    /// <summary>A compilation of several files: the first after <see cref="Usings"/> (which declares GitHubClient), the others after the usings alone.</summary>
    private static Verify.Test Files(params string[] bodies)
    {
        var test = new Verify.Test();
        for (var i = 0; i < bodies.Length; i++)
        {
            test.TestState.Sources.Add((i == 0 ? Usings : Imports) + bodies[i]);
        }

        return test;
    }

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
    public Task Kept_clients_of_nested_types_are_judged_once_each_by_their_own_type() => Report(
        """
        public sealed class Outer
        {
            private readonly HttpClient _feed = [|new HttpClient()|];

            public Task<string> Read() => _feed.GetStringAsync("http://feed.example/latest");

            public sealed class Inner
            {
                private readonly HttpClient _bounded = new HttpClient();
                private readonly HttpClient _open = [|new HttpClient()|];

                public Inner() => _bounded.Timeout = TimeSpan.FromSeconds(5);

                public Task<string> Both() => _bounded.GetStringAsync("http://a.example") ;

                public Task<string> Open() => _open.GetStringAsync("http://b.example");
            }
        }

        public sealed class Courier : HttpClient
        {
        }

        // Text that never says "client": judged as it is met rather than at the end of the type, the same verdict.
        public sealed class Dispatch
        {
            private readonly Courier _van = [|new Courier()|];
            private readonly Courier _bike = new Courier { Timeout = TimeSpan.FromSeconds(3) };

            public Task<string> Run() => _van.GetStringAsync("http://d.example") ;

            public Task<string> Ride() => _bike.GetStringAsync("http://e.example");
        }

        public partial class Split
        {
            private readonly HttpClient _client = new HttpClient();
        }

        public partial class Split
        {
            public Split() => _client.Timeout = TimeSpan.FromSeconds(10);

            public Task<string> Get() => _client.GetStringAsync("http://c.example");
        }
        """);

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
    public Task Generated_files_are_skipped_in_every_path_while_the_hand_written_one_beside_them_reports()
    {
        // The same registration, kept client and timeout-free factory client twice: the generated copy (by its file
        // name, and by [GeneratedCode] on the type) stays silent, the hand-written one reports on each path.
        const string Code = """
            public static class Wiring{0}
            {
                public static void Add(IServiceCollection services) => services.{|#0:AddHttpClient|}("feed{0}");
            }

            public sealed class FeedClient{0}
            {
                private readonly HttpClient _http = {|#1:new HttpClient()|};
                public Task<string> Read() => _http.GetStringAsync("https://feeds.example/{0}");
            }

            public static class OneShot{0}
            {
                public static Task<string> Read()
                {
                    var client = {|#2:new HttpClient()|};
                    return client.GetStringAsync("https://feeds.example/once");
                }
            }
            """;
        string Plain(string suffix) => Code.Replace("{0}", suffix).Replace("{|#0:", string.Empty).Replace("{|#1:", string.Empty).Replace("{|#2:", string.Empty).Replace("|}", string.Empty);
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/src/Feeds.cs", Usings + Code.Replace("{0}", "Hand")));
        test.TestState.Sources.Add(("/src/Feeds.g.cs", Imports + Plain("Tool")));
        test.TestState.Sources.Add(("/src/Feeds.Attributed.cs", Imports + Plain("Marked").Replace("public static class Wiring", "[System.CodeDom.Compiler.GeneratedCode(\"tool\", \"1.0\")]\npublic static class Wiring")
            .Replace("public sealed class FeedClient", "[System.CodeDom.Compiler.GeneratedCode(\"tool\", \"1.0\")]\npublic sealed class FeedClient")
            .Replace("public static class OneShot", "[System.CodeDom.Compiler.GeneratedCode(\"tool\", \"1.0\")]\npublic static class OneShot")));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(HttpTimeoutAnalyzer.RegistrationRule).WithLocation(0).WithArguments("AddHttpClient(\"feedHand\")"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(HttpTimeoutAnalyzer.DefaultRule).WithLocation(1).WithArguments("_http"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(HttpTimeoutAnalyzer.DefaultRule).WithLocation(2).WithArguments("client"));
        return test.RunAsync();
    }

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
    public Task Parameterless_AddHttpClient_registers_the_factory_and_is_never_reported_or_fixed() => None(
        """
        public static class Registration
        {
            public static IServiceCollection Add(IServiceCollection services)
            {
                services.AddHttpClient();
                return services.AddHttpClient().AddSingleton<GitHubClient>();
            }
        }
        """);

    [Fact]
    public Task Registration_fix_keeps_the_builder_for_every_overload() => Fix(
        """
        public interface IRates { }

        public sealed class Rates : IRates
        {
            public Rates(HttpClient http) { }
        }

        public static class Registration
        {
            public static void Add(IServiceCollection services)
            {
                services.[|AddHttpClient<IRates, Rates>|]();
                services.[|AddHttpClient<GitHubClient>|]((provider, http) =>
                {
                    http.BaseAddress = new Uri("http://api.example");
                });
                var builder = services.[|AddHttpClient|]("ledger", http => http.BaseAddress = new Uri("http://ledger.example"));
                builder.SetHandlerLifetime(TimeSpan.FromMinutes(2));
            }
        }
        """,
        """
        public interface IRates { }

        public sealed class Rates : IRates
        {
            public Rates(HttpClient http) { }
        }

        public static class Registration
        {
            public static void Add(IServiceCollection services)
            {
                services.AddHttpClient<IRates, Rates>().ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));
                services.AddHttpClient<GitHubClient>((provider, http) =>
                {
                    http.Timeout = TimeSpan.FromSeconds(30);
                    http.BaseAddress = new Uri("http://api.example");
                });
                var builder = services.AddHttpClient("ledger", http => http.BaseAddress = new Uri("http://ledger.example")).ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));
                builder.SetHandlerLifetime(TimeSpan.FromMinutes(2));
            }
        }
        """);

    [Fact]
    public Task Registration_bounded_by_a_method_of_the_project_is_not_reported() => None(
        """
        public static class ClientSetup
        {
            public static void Configure(HttpClient http, Uri address)
            {
                http.BaseAddress = address;
                http.Timeout = TimeSpan.FromSeconds(8);
            }

            public static IHttpClientBuilder WithDeadline(this IHttpClientBuilder builder)
                => builder.ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(8));
        }

        public static class Registration
        {
            public static void Add(IServiceCollection services, Uri address)
            {
                services.AddHttpClient<GitHubClient>(http => ClientSetup.Configure(http, address));
                services.AddHttpClient("shipping").WithDeadline();
                var builder = services.AddHttpClient("tracking");
                builder.WithDeadline();
            }
        }
        """);

    // ---- Registrations of one name, defaults ------------------------------------------------------------

    [Fact]
    public Task Registrations_that_share_a_name_are_one_client_bounded_by_any_of_them() => Files(
        """
        public static class Names
        {
            public const string Rates = "rates";
        }

        public static class Registration
        {
            public static void Add(IServiceCollection services)
            {
                services.AddHttpClient(Names.Rates);
                services.AddHttpClient<GitHubClient>();
            }
        }
        """,
        """
        public static class MoreRegistration
        {
            public static void Add(IServiceCollection services)
            {
                services.AddHttpClient("rates").ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(10));
                services.AddHttpClient(nameof(GitHubClient), http => http.Timeout = TimeSpan.FromSeconds(10));
            }
        }
        """).RunAsync();

    [Fact]
    public Task Registrations_that_share_a_name_with_no_bound_are_each_reported() => Files(
        """
        public static class Registration
        {
            public static void Add(IServiceCollection services)
            {
                services.[|AddHttpClient|]("rates");
            }
        }
        """,
        """
        public static class MoreRegistration
        {
            public static void Add(IServiceCollection services)
            {
                services.[|AddHttpClient|]("rates").SetHandlerLifetime(TimeSpan.FromMinutes(1));
            }
        }
        """).RunAsync();

    [Fact]
    public Task Registration_message_names_the_client() => Verify.VerifyAnalyzerAsync(
        Usings + """
            public static class Registration
            {
                private const string Ledger = "ledger";

                public static void Add(IServiceCollection services)
                {
                    services.{|#0:AddHttpClient|}(Ledger);
                    services.{|#1:AddHttpClient<GitHubClient>|}();
                }
            }
            """,
        Verify.Diagnostic(HttpTimeoutAnalyzer.RegistrationRule).WithLocation(0).WithMessage("'AddHttpClient(\"ledger\")' registers a client that uses the 100-second default timeout; configure a timeout or a resilience handler"),
        Verify.Diagnostic(HttpTimeoutAnalyzer.RegistrationRule).WithLocation(1).WithMessage("'AddHttpClient<GitHubClient>' registers a client that uses the 100-second default timeout; configure a timeout or a resilience handler"));

    [Fact]
    public Task Defaults_on_a_collection_built_in_a_helper_cover_only_that_collection() => Report(
        """
        public static class Tooling
        {
            public static IServiceProvider Build()
            {
                var services = new ServiceCollection();
                services.ConfigureHttpClientDefaults(builder => builder.ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(5)));
                services.AddHttpClient("probe");
                return services.BuildServiceProvider();
            }
        }

        public static class Registration
        {
            public static void Add(IServiceCollection services)
            {
                services.[|AddHttpClient|]("app");
            }
        }
        """);

    [Fact]
    public Task Defaults_method_from_another_project_covers_every_client()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                public static class Program
                {
                    public static void Main(IServiceCollection services, IHttpClientFactory factory)
                    {
                        services.AddServiceDefaults();
                        services.AddHttpClient<GitHubClient>();
                        using var client = factory.CreateClient("reports");
                    }
                }
                """,
        };
        test.TestState.AdditionalProjects["Defaults"].Sources.Add("""
            using System;
            using Microsoft.Extensions.DependencyInjection;

            public static class ServiceDefaults
            {
                public static IServiceCollection AddServiceDefaults(this IServiceCollection services)
                    => services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(10)));
            }
            """);
        test.TestState.AdditionalProjects["Defaults"].AdditionalReferences.AddRange(Infrastructure.TestReferences.All);
        test.TestState.AdditionalProjectReferences.Add("Defaults");
        return test.RunAsync();
    }

    [Fact]
    public Task Defaults_method_declared_here_counts_only_when_it_bounds_time() => Files(
        """
        public static class Program
        {
            public static void Main(IServiceCollection services)
            {
                services.AddServiceDefaults();
                services.[|AddHttpClient<GitHubClient>|]();
            }
        }
        """,
        """
        public static class ServiceDefaults
        {
            // Named like the convention, but it sets up nothing that bounds time.
            public static IServiceCollection AddServiceDefaults(this IServiceCollection services) => services.AddLogging();
        }
        """).RunAsync();

    [Fact]
    public Task Defaults_methods_option_names_your_own_method()
    {
        var test = Files(
            """
            public static class Program
            {
                public static void Main(IServiceCollection services)
                {
                    services.AddPlatformDefaults();
                    services.AddHttpClient<GitHubClient>();
                }
            }
            """,
            """
            public static class PlatformDefaults
            {
                public static IServiceCollection AddPlatformDefaults(this IServiceCollection services)
                    => services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(10)));
            }
            """).WithEditorConfig("backendrules.BR0003.defaults_methods = AddPlatformDefaults");
        return test.RunAsync();
    }

    // ---- factory.CreateClient(name) ------------------------------------------------------------------------

    private const string FactorySetup = """
        public static class Setup
        {
            public static void Add(IServiceCollection services)
            {
                services.AddHttpClient();
                services.AddHttpClient("ledger", http => http.Timeout = TimeSpan.FromSeconds(10));
            }
        }

        """;

    [Fact]
    public Task CreateClient_for_a_name_no_registration_serves_report_and_fix() => Fix(
        FactorySetup + """
            public sealed class Invoices
            {
                private readonly IHttpClientFactory _factory;
                private readonly HttpClient _archive;

                public Invoices(IHttpClientFactory factory)
                {
                    _factory = factory;
                    _archive = factory.[|CreateClient("archive")|];
                }

                public async Task<string> Fetch(string url)
                {
                    var client = _factory.[|CreateClient("billing")|];
                    return await client.GetStringAsync(url);
                }

                public async Task<string> Plain(string url)
                {
                    using var client = _factory.[|CreateClient()|];
                    return await client.GetStringAsync(url) + await _archive.GetStringAsync(url);
                }
            }
            """,
        FactorySetup + """
            public sealed class Invoices
            {
                private readonly IHttpClientFactory _factory;
                private readonly HttpClient _archive;

                public Invoices(IHttpClientFactory factory)
                {
                    _factory = factory;
                    _archive = factory.CreateClient("archive");
                    _archive.Timeout = TimeSpan.FromSeconds(30);
                }

                public async Task<string> Fetch(string url)
                {
                    var client = _factory.CreateClient("billing");
                    client.Timeout = TimeSpan.FromSeconds(30);
                    return await client.GetStringAsync(url);
                }

                public async Task<string> Plain(string url)
                {
                    using var client = _factory.CreateClient();
                    client.Timeout = TimeSpan.FromSeconds(30);
                    return await client.GetStringAsync(url) + await _archive.GetStringAsync(url);
                }
            }
            """);

    [Fact]
    public Task CreateClient_fix_follows_properties_using_blocks_and_switch_sections() => Fix(
        FactorySetup + """
            public abstract class RelayClient
            {
                protected RelayClient(IHttpClientFactory factory)
                {
                    Relay = factory.[|CreateClient("relay")|];
                    Relay.BaseAddress = new Uri("http://relay.example");
                }

                protected HttpClient Relay { get; private set; }

                public static async Task<string> Read(IHttpClientFactory factory, string url, int mode)
                {
                    switch (mode)
                    {
                        case 1:
                            var first = factory.[|CreateClient("mirror")|];
                            return await first.GetStringAsync(url);
                        default:
                            using (var second = factory.[|CreateClient("mirror")|])
                            {
                                return await second.GetStringAsync(url);
                            }
                    }
                }
            }
            """,
        FactorySetup + """
            public abstract class RelayClient
            {
                protected RelayClient(IHttpClientFactory factory)
                {
                    Relay = factory.CreateClient("relay");
                    Relay.Timeout = TimeSpan.FromSeconds(30);
                    Relay.BaseAddress = new Uri("http://relay.example");
                }

                protected HttpClient Relay { get; private set; }

                public static async Task<string> Read(IHttpClientFactory factory, string url, int mode)
                {
                    switch (mode)
                    {
                        case 1:
                            var first = factory.CreateClient("mirror");
                            first.Timeout = TimeSpan.FromSeconds(30);
                            return await first.GetStringAsync(url);
                        default:
                            using (var second = factory.CreateClient("mirror"))
                            {
                                second.Timeout = TimeSpan.FromSeconds(30);
                                return await second.GetStringAsync(url);
                            }
                    }
                }
            }
            """);

    [Fact]
    public async Task CreateClient_fix_in_top_level_statements()
    {
        var test = new Verify.Test
        {
            TestCode = Imports + """
                var services = new ServiceCollection();
                services.AddHttpClient();
                var factory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
                var client = factory.[|CreateClient("status")|];
                Console.WriteLine(await client.GetStringAsync("http://status.example"));
                """,
            FixedCode = Imports + """
                var services = new ServiceCollection();
                services.AddHttpClient();
                var factory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
                var client = factory.CreateClient("status");
                client.Timeout = TimeSpan.FromSeconds(30);
                Console.WriteLine(await client.GetStringAsync("http://status.example"));
                """,
        };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    [Fact]
    public Task CreateClient_behind_null_conditional_report_no_fix() => NoFix(
        FactorySetup + """
            public sealed class Mirror
            {
                private readonly IHttpClientFactory? _factory;
                public Mirror(IHttpClientFactory? factory) => _factory = factory;

                public async Task<string?> Read(string url)
                {
                    var client = _factory?.[|CreateClient("mirror")|];
                    return client is null ? null : await client.GetStringAsync(url);
                }
            }
            """);

    [Fact]
    public Task Registration_fix_on_real_code_shapes_compiles() => Fix(
        """
        public interface IPrices { }

        public sealed class Prices : IPrices
        {
            public Prices(HttpClient http) { }
        }

        public sealed class ProxyHandler : HttpClientHandler { }

        public static class Registration
        {
            public static void Add(IServiceCollection services, string? address, string[] names)
            {
                services.[|AddHttpClient<IPrices, Prices>|]((provider, http) =>
                {
                    if (string.IsNullOrEmpty(address))
                    {
                        return;
                    }

                    http.BaseAddress = new Uri(address);
                });
                services.AddTransient<ProxyHandler>();
                services.[|AddHttpClient|]("onion").ConfigurePrimaryHttpMessageHandler<ProxyHandler>();
                foreach (var name in names)
                {
                    services.[|AddHttpClient|](name)
                        .ConfigureHttpClient(client => client.DefaultRequestHeaders.Add("X-App", "shop"));
                }
            }
        }
        """,
        """
        public interface IPrices { }

        public sealed class Prices : IPrices
        {
            public Prices(HttpClient http) { }
        }

        public sealed class ProxyHandler : HttpClientHandler { }

        public static class Registration
        {
            public static void Add(IServiceCollection services, string? address, string[] names)
            {
                services.AddHttpClient<IPrices, Prices>((provider, http) =>
                {
                    http.Timeout = TimeSpan.FromSeconds(30);
                    if (string.IsNullOrEmpty(address))
                    {
                        return;
                    }

                    http.BaseAddress = new Uri(address);
                });
                services.AddTransient<ProxyHandler>();
                services.AddHttpClient("onion").ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30)).ConfigurePrimaryHttpMessageHandler<ProxyHandler>();
                foreach (var name in names)
                {
                    services.AddHttpClient(name).ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30))
                        .ConfigureHttpClient(client => client.DefaultRequestHeaders.Add("X-App", "shop"));
                }
            }
        }
        """);

    [Fact]
    public Task CreateClient_message_names_the_call() => Verify.VerifyAnalyzerAsync(
        Usings + FactorySetup + """
            public static class Invoices
            {
                public static Task<string> Fetch(IHttpClientFactory factory, string url)
                    => factory.{|#0:CreateClient("billing")|}.GetStringAsync(url);
            }
            """,
        Verify.Diagnostic(HttpTimeoutAnalyzer.FactoryClientRule).WithLocation(0)
            .WithMessage("'CreateClient(\"billing\")' returns a client no registration gives a timeout, so it waits HttpClient's default 100 seconds; register the name with a timeout or set one on the client"));

    [Fact]
    public Task CreateClient_used_on_the_spot_or_in_a_field_initializer_report_no_fix() => NoFix(
        FactorySetup + """
            public sealed class Invoices(IHttpClientFactory factory)
            {
                private readonly HttpClient _client = factory.[|CreateClient("billing")|];

                public Task<string> Fetch(string url) => _client.GetStringAsync(url);

                public Task<string> Once(string url) => factory.[|CreateClient("billing")|].GetStringAsync(url);
            }
            """);

    [Fact]
    public Task CreateClient_for_a_registered_name_is_judged_at_the_registration() => None(
        FactorySetup + """
            public static class Invoices
            {
                public static Task<string> Ledger(IHttpClientFactory factory, string url)
                    => factory.CreateClient("ledger").GetStringAsync(url);

                // Returned to callers this code cannot see, or handed to another method: whoever receives it decides.
                public static HttpClient Create(IHttpClientFactory factory) => factory.CreateClient("archive");
                public static Task<string> Handed(IHttpClientFactory factory, string url) => Read(factory.CreateClient("archive"), url);
                private static Task<string> Read(HttpClient client, string url) => client.GetStringAsync(url);
            }
            """);

    [Fact]
    public Task CreateClient_is_not_reported_where_the_project_registers_no_client() => None(
        """
        public static class Invoices
        {
            public static Task<string> Fetch(IHttpClientFactory factory, string url)
                => factory.CreateClient("billing").GetStringAsync(url);
        }
        """);

    [Fact]
    public Task CreateClient_is_not_reported_when_defaults_bound_every_client() => None(
        FactorySetup + """
            public static class Defaults
            {
                public static void Add(IServiceCollection services)
                    => services.ConfigureHttpClientDefaults(builder => builder.ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(15)));
            }

            public static class Invoices
            {
                public static Task<string> Fetch(IHttpClientFactory factory, string url)
                    => factory.CreateClient("billing").GetStringAsync(url);
            }
            """);

    [Fact]
    public Task A_named_client_whose_every_use_has_a_deadline_is_not_reported_at_its_registration() => None(
        """
        public static class Registration
        {
            public static void Add(IServiceCollection services) => services.AddHttpClient(Notifier.ClientName);
        }

        public sealed class Notifier
        {
            public const string ClientName = "notifier";
            private readonly HttpClient _client;

            public Notifier(IHttpClientFactory factory) => _client = factory.CreateClient(ClientName);

            public async Task Notify(Uri target, CancellationToken cancellationToken)
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(TimeSpan.FromSeconds(20));
                using var response = await _client.PostAsync(target, new StringContent("ping"), deadline.Token);
            }
        }
        """);

    [Fact]
    public Task A_named_client_used_without_a_deadline_somewhere_is_reported_at_its_registration() => Report(
        """
        public static class Registration
        {
            public static void Add(IServiceCollection services) => services.[|AddHttpClient|](Notifier.ClientName);
        }

        public sealed class Notifier
        {
            public const string ClientName = "notifier";
            private readonly IHttpClientFactory _factory;

            public Notifier(IHttpClientFactory factory) => _factory = factory;

            public async Task Notify(Uri target)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await Client(target).PostAsync(target, new StringContent("ping"), timeout.Token);
            }

            public async Task Probe(Uri target)
            {
                var client = Client(target);
                await client.GetAsync(target);
            }

            // A private helper is followed to its callers in the type; "local" is registered nowhere.
            private HttpClient Client(Uri target) => _factory.[|CreateClient(target.IsLoopback ? "local" : ClientName)|];
        }
        """);

    // ---- Clients used on the spot, deadline tokens ----------------------------------------------------

    [Fact]
    public Task Clients_created_on_the_spot_or_in_a_conditional_report_and_fix() => Fix(
        """
        public sealed class Quotes
        {
            private readonly HttpClient _http;

            public Quotes(HttpClient? injected, bool secure, HttpMessageHandler handler)
            {
                _http = injected ?? [|new HttpClient()|];
                var other = secure ? [|new HttpClient(handler)|] : _http;
                other.DefaultRequestHeaders.Add("X-Caller", "quotes");
            }

            public static Task<string> Once(string url) => [|new HttpClient()|].GetStringAsync(url);
        }
        """,
        """
        public sealed class Quotes
        {
            private readonly HttpClient _http;

            public Quotes(HttpClient? injected, bool secure, HttpMessageHandler handler)
            {
                _http = injected ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var other = secure ? new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) } : _http;
                other.DefaultRequestHeaders.Add("X-Caller", "quotes");
            }

            public static Task<string> Once(string url) => new HttpClient { Timeout = TimeSpan.FromSeconds(30) }.GetStringAsync(url);
        }
        """);

    [Fact]
    public Task Calls_bounded_by_a_deadline_token_are_not_reported() => None(
        """
        public static class Quotes
        {
            public static async Task<string> Fixed(string url)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var client = new HttpClient();
                return await client.GetStringAsync(url, timeout.Token);
            }

            public static async Task<string> Later(string url, CancellationToken cancellationToken)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                linked.CancelAfter(3000);
                var token = linked.Token;
                return await new HttpClient().GetStringAsync(url, token);
            }

            public static async Task<string> Linked(string url, CancellationToken cancellationToken)
            {
                using var timeout = new CancellationTokenSource(2000);
                using var both = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                return await new HttpClient().GetStringAsync(url, both.Token);
            }

            public static Task<string> Inline(string url)
                => new HttpClient().GetStringAsync(url, new CancellationTokenSource(TimeSpan.FromSeconds(1)).Token);

            // Handed on together with a deadline: that call is bounded whatever it does with the client.
            public static async Task<string> Handed(string url)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                return await Read(new HttpClient(), url, timeout.Token);
            }

            private static Task<string> Read(HttpClient client, string url, CancellationToken token) => client.GetStringAsync(url, token);
        }
        """);

    [Fact]
    public Task Caller_tokens_and_no_tokens_do_not_bound_a_call_report() => Report(
        """
        public static class Quotes
        {
            public static async Task<string> Caller(string url, CancellationToken cancellationToken)
            {
                using var client = [|new HttpClient()|];
                return await client.GetStringAsync(url, cancellationToken);
            }

            public static Task<string> Nothing(string url) => [|new HttpClient()|].GetStringAsync(url, CancellationToken.None);

            public static async Task<string> NoDelay(string url)
            {
                using var source = new CancellationTokenSource();
                return await [|new HttpClient()|].GetStringAsync(url, source.Token);
            }

            public static async Task<string> Mixed(string url)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var client = [|new HttpClient()|];
                await client.GetStringAsync(url, timeout.Token);
                return await client.GetStringAsync(url);
            }
        }
        """);

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
