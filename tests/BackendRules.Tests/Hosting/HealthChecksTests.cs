using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Hosting.HealthChecksAnalyzer, BackendRules.Hosting.HealthChecksFixer>;

namespace BackendRules.Tests.Hosting;

public sealed class HealthChecksTests
{
    private const string Usings = """
        using System;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;

        """;

    private static Verify.Test Files(params string[] sources)
    {
        var test = new Verify.Test();
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(Usings + source);
        }

        return test;
    }

    private static Task None(params string[] sources) => Files(sources).RunAsync();

    // ---- Reports and fixes --------------------------------------------------------------------------------------

    [Fact]
    public Task Minimal_api_gets_health_checks_before_Build_and_endpoints_before_Run() => Verify.VerifyCodeFixAsync(
        Usings + """
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddProblemDetails();

                var app = builder.{|#0:Build()|};
                app.MapGet("/parcels", () => "[]");

                app.Run();
            }
        }
        """,
        """
        using System;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Diagnostics.HealthChecks;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddProblemDetails();
                builder.Services.AddHealthChecks();

                var app = builder.Build();
                app.MapGet("/parcels", () => "[]");
                app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
                app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

                app.Run();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("builder.Build()"));

    [Fact]
    public Task Top_level_statements_are_fixed_in_place_and_RunAsync_counts()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using Microsoft.AspNetCore.Builder;
                using Microsoft.Extensions.DependencyInjection;

                var builder = WebApplication.CreateBuilder(args);

                // The app.
                var app = builder.[|Build()|];
                app.MapControllers();
                await app.RunAsync();
                """,
            FixedCode = """
                using Microsoft.AspNetCore.Builder;
                using Microsoft.AspNetCore.Diagnostics.HealthChecks;
                using Microsoft.Extensions.DependencyInjection;

                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks();

                // The app.
                var app = builder.Build();
                app.MapControllers();
                app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
                app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
                await app.RunAsync();
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task Startup_is_reported_at_Configure_and_the_fix_declines() => Verify.VerifyCodeFixAsync(
        Usings + """
        public sealed class Startup
        {
            public void ConfigureServices(IServiceCollection services) => services.AddControllers();

            public void {|#0:Configure|}(IApplicationBuilder app)
            {
                app.UseRouting();
                app.UseEndpoints(endpoints => endpoints.MapControllers());
            }
        }
        """,
        Usings + """
        public sealed class Startup
        {
            public void ConfigureServices(IServiceCollection services) => services.AddControllers();

            public void {|#0:Configure|}(IApplicationBuilder app)
            {
                app.UseRouting();
                app.UseEndpoints(endpoints => endpoints.MapControllers());
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Startup.Configure"));

    [Fact]
    public Task Endpoints_mapped_in_another_file_make_the_app_serve() => Files(
        """
        public static class Program
        {
            public static async Task Main(string[] args)
            {
                var app = WebApplication.CreateBuilder(args).[|Build()|];
                app.MapShipments();
                await app.RunAsync();
            }
        }
        """,
        """
        public static class ShipmentEndpoints
        {
            public static void MapShipments(this WebApplication app) => app.MapGet("/shipments", () => "[]");
        }
        """).RunAsync();

    [Fact]
    public Task A_builder_that_is_never_run_here_is_reported_without_a_fix() => Verify.VerifyCodeFixAsync(
        Usings + """
        public static class Hosting
        {
            public static WebApplication Create(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.[|Build()|];
                app.MapGet("/", () => "up");
                return app;
            }
        }
        """,
        Usings + """
        public static class Hosting
        {
            public static WebApplication Create(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.[|Build()|];
                app.MapGet("/", () => "up");
                return app;
            }
        }
        """);

    [Fact]
    public Task Once_per_application_at_the_first_Build() => Files(
        """
        public static class Program
        {
            public static void Main(string[] args)
            {
                var app = WebApplication.CreateBuilder(args).[|Build()|];
                app.MapGet("/", () => "up");
                var admin = WebApplication.CreateBuilder(args).Build();
                admin.MapGet("/admin", () => "up");
            }
        }
        """).RunAsync();

    [Fact]
    public Task Defaults_method_declared_here_is_read_like_any_code() => Files(
        """
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                builder.AddServiceDefaults();
                var app = builder.[|Build()|];
                app.MapGet("/", () => "up");
                app.Run();
            }
        }
        """,
        """
        public static class ServiceDefaults
        {
            // Named like the convention, but it registers no health checks.
            public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
            {
                builder.Services.AddProblemDetails();
                return builder;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_method_named_Map_on_another_type_does_not_serve_endpoints_but_Map_on_the_app_does() => Files(
        """
        public sealed class Mapper
        {
            public T Map<T>(object source) => default!;
        }

        public static class Program
        {
            public static void Main(string[] args, Mapper mapper)
            {
                var app = WebApplication.CreateBuilder(args).[|Build()|];
                mapper.Map<string>(app);
                app.Map("/legacy", branch => branch.Run(context => context.Response.WriteAsync("old")));
                app.Run();
            }
        }
        """).RunAsync();

    // ---- Never reports ------------------------------------------------------------------------------------------

    [Fact]
    public Task Health_checks_registered_in_an_extension_method_of_another_file_cover_the_app() => None(
        """
        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddInfrastructure();
                var app = builder.Build();
                app.MapGet("/", () => "up");
                app.Run();
            }
        }
        """,
        """
        public static class Infrastructure
        {
            public static IServiceCollection AddInfrastructure(this IServiceCollection services)
            {
                services.AddHealthChecks();
                return services;
            }
        }
        """);

    [Fact]
    public Task Mapped_health_endpoint_alone_covers_the_app() => None(
        """
        public static class Program
        {
            public static void Main(string[] args)
            {
                var app = WebApplication.CreateBuilder(args).Build();
                app.MapGet("/", () => "up");
                app.MapHealthChecks("/healthz");
                app.Run();
            }
        }
        """);

    [Fact]
    public Task Startup_with_UseHealthChecks_is_covered() => None(
        """
        public sealed class Startup
        {
            public void Configure(IApplicationBuilder app)
            {
                app.UseHealthChecks("/health");
                app.UseRouting();
                app.UseEndpoints(endpoints => endpoints.MapControllers());
            }
        }
        """);

    [Fact]
    public Task A_hand_written_health_route_or_controller_covers_the_app() => None(
        """
        public static class Program
        {
            public static void Main(string[] args)
            {
                var app = WebApplication.CreateBuilder(args).Build();
                app.MapGet("/", () => "up");
                app.MapGet("/api/ping", () => "pong");
                app.Run();
            }
        }
        """,
        """
        public sealed class HealthController : Microsoft.AspNetCore.Mvc.ControllerBase
        {
        }
        """);

    [Fact]
    public Task A_controller_action_routed_to_a_liveness_probe_covers_the_app() => None(
        """
        public sealed class Startup
        {
            public void Configure(IApplicationBuilder app) => app.UseEndpoints(endpoints => endpoints.MapControllers());
        }
        """,
        """
        public sealed class StatusController : Microsoft.AspNetCore.Mvc.Controller
        {
            [Microsoft.AspNetCore.Mvc.HttpGet("~/alive")]
            [Microsoft.AspNetCore.Mvc.HttpGet("~/now")]
            public DateTime Alive() => DateTime.UtcNow;
        }
        """);

    [Fact]
    public Task An_ordinary_controller_route_does_not_cover_the_app() => Files(
        """
        public sealed class Startup
        {
            public void [|Configure|](IApplicationBuilder app) => app.UseEndpoints(endpoints => endpoints.MapControllers());
        }
        """,
        """
        [Microsoft.AspNetCore.Mvc.Route("api/parcels")]
        public sealed class ParcelsController : Microsoft.AspNetCore.Mvc.Controller
        {
            [Microsoft.AspNetCore.Mvc.HttpGet("{id}/status")]
            public string Status(int id) => "sent";
        }
        """).RunAsync();

    [Fact]
    public Task Web_app_without_endpoints_and_worker_services_are_not_judged() => None(
        """
        public static class Program
        {
            public static void Main(string[] args)
            {
                var web = WebApplication.CreateBuilder(args).Build();
                web.UseStaticFiles();
                web.Run();

                var worker = Host.CreateApplicationBuilder(args);
                worker.Services.AddHostedService<Pump>();
                worker.Build().Run();
            }
        }

        public sealed class Pump : BackgroundService
        {
            protected override Task ExecuteAsync(System.Threading.CancellationToken stoppingToken) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task Defaults_methods_of_another_project_cover_the_app()
    {
        var test = Files(
            """
            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.AddServiceDefaults();
                    var app = builder.Build();
                    app.MapGet("/", () => "up");
                    app.MapDefaultEndpoints();
                    app.Run();
                }
            }
            """);
        test.TestState.AdditionalProjects["Defaults"].Sources.Add("""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            public static class ServiceDefaults
            {
                public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
                {
                    builder.Services.AddHealthChecks();
                    return builder;
                }

                public static WebApplication MapDefaultEndpoints(this WebApplication app)
                {
                    app.MapHealthChecks("/health");
                    return app;
                }
            }
            """);
        test.TestState.AdditionalProjects["Defaults"].AdditionalReferences.AddRange(Infrastructure.TestReferences.All);
        test.TestState.AdditionalProjectReferences.Add("Defaults");
        return test.RunAsync();
    }

    [Fact]
    public Task Defaults_methods_option_names_your_own_method_and_is_shared_with_BR0003()
    {
        var test = Files(
            """
            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.AddPlatformDefaults();
                    var app = builder.Build();
                    app.MapGet("/", () => "up");
                    app.Run();
                }
            }
            """);
        test.TestState.AdditionalProjects["Platform"].Sources.Add("""
            using Microsoft.AspNetCore.Builder;

            public static class PlatformDefaults
            {
                public static WebApplicationBuilder AddPlatformDefaults(this WebApplicationBuilder builder) => builder;
            }
            """);
        test.TestState.AdditionalProjects["Platform"].AdditionalReferences.AddRange(Infrastructure.TestReferences.All);
        test.TestState.AdditionalProjectReferences.Add("Platform");
        return test.WithEditorConfig("backendrules.defaults_methods = AddPlatformDefaults").RunAsync();
    }

    [Fact]
    public Task A_method_of_another_project_not_listed_in_the_option_does_not_cover_the_app()
    {
        var test = Files(
            """
            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.AddPlatformDefaults();
                    var app = builder.[|Build()|];
                    app.MapGet("/", () => "up");
                    app.Run();
                }
            }
            """);
        test.TestState.AdditionalProjects["Platform"].Sources.Add("""
            using Microsoft.AspNetCore.Builder;

            public static class PlatformDefaults
            {
                public static WebApplicationBuilder AddPlatformDefaults(this WebApplicationBuilder builder) => builder;
            }
            """);
        test.TestState.AdditionalProjects["Platform"].AdditionalReferences.AddRange(Infrastructure.TestReferences.All);
        test.TestState.AdditionalProjectReferences.Add("Platform");
        return test.RunAsync();
    }

    [Fact]
    public Task A_defaults_call_that_does_not_bind_is_trusted_by_its_name()
    {
        var test = Files(
            """
            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    var app = builder.Build();
                    app.MapGet("/", () => "up");
                    app.{|CS1061:MapDefaultEndpoints|}();
                    app.Run();
                }
            }
            """);
        return test.RunAsync();
    }

    [Theory]
    [InlineData("AspNetCore.HealthChecks.NpgSql")]
    [InlineData("Microsoft.AspNetCore.Mvc.Testing")]
    public Task A_health_check_package_or_a_test_host_reference_keeps_the_rule_silent(string assemblyName)
    {
        var test = Files(
            """
            public static class Program
            {
                public static void Main(string[] args)
                {
                    var app = WebApplication.CreateBuilder(args).Build();
                    app.MapGet("/", () => "up");
                    app.Run();
                }
            }
            """);
        test.TestState.AdditionalProjects[assemblyName].Sources.Add("namespace Referenced { public static class Marker { } }");
        test.TestState.AdditionalProjects[assemblyName].AdditionalReferences.AddRange(Infrastructure.TestReferences.All);
        test.TestState.AdditionalProjectReferences.Add(assemblyName);
        return test.RunAsync();
    }

    [Fact]
    public Task Another_referenced_assembly_does_not_keep_the_rule_silent()
    {
        var test = Files(
            """
            public static class Program
            {
                public static void Main(string[] args)
                {
                    var app = WebApplication.CreateBuilder(args).[|Build()|];
                    app.MapGet("/", () => "up");
                    app.Run();
                }
            }
            """);
        test.TestState.AdditionalProjects["Shop.Infrastructure"].Sources.Add("namespace Referenced { public static class Marker { } }");
        test.TestState.AdditionalProjects["Shop.Infrastructure"].AdditionalReferences.AddRange(Infrastructure.TestReferences.All);
        test.TestState.AdditionalProjectReferences.Add("Shop.Infrastructure");
        return test.RunAsync();
    }
}
