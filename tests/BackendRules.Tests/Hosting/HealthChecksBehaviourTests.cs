using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Threading.Tasks;
using BackendRules.Hosting;
using BackendRules.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BackendRules.Tests.Hosting;

/// <summary>
/// The BR0009 fix on a real application: the app is hosted on loopback Kestrel before and after the fix. Before, there
/// is no health endpoint; after, liveness and readiness answer 200 Healthy, a failing check tagged <c>ready</c> turns
/// readiness to 503 while liveness stays 200, and a failing check without the tag leaves readiness alone.
/// </summary>
public sealed class HealthChecksBehaviourTests
{
    private const string Source = """
        using System;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.DependencyInjection;

        public static class ShopHost
        {
            public static async Task<WebApplication> StartAsync(Action<IServiceCollection> configure)
            {
                var builder = WebApplication.CreateSlimBuilder();
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                configure(builder.Services);

                var app = builder.Build();
                app.MapGet("/orders", () => "[]");

                await app.StartAsync();
                return app;
            }
        }
        """;

    [Fact]
    public async Task Fixed_app_answers_liveness_and_readiness_and_a_failing_ready_check_only_fails_readiness()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new HealthChecksAnalyzer(), new HealthChecksFixer());
        Assert.Contains("builder.Services.AddHealthChecks();", fixedSource);
        Assert.Contains("app.MapHealthChecks(\"/health/live\"", fixedSource);
        Assert.Contains("app.MapHealthChecks(\"/health/ready\"", fixedSource);

        var original = FixRunner.CompileAndLoad(Source, "HealthBefore_" + Guid.NewGuid().ToString("N"));
        await using (var host = await HostAsync(original, _ => { }))
        {
            Assert.Equal((HttpStatusCode.OK, "[]"), await host.GetAsync("/orders"));
            Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/health/live")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/health/ready")).Status);
        }

        var @fixed = FixRunner.CompileAndLoad(fixedSource, "HealthAfter_" + Guid.NewGuid().ToString("N"));
        await using (var host = await HostAsync(@fixed, _ => { }))
        {
            Assert.Equal((HttpStatusCode.OK, "[]"), await host.GetAsync("/orders"));
            Assert.Equal((HttpStatusCode.OK, "Healthy"), await host.GetAsync("/health/live"));
            Assert.Equal((HttpStatusCode.OK, "Healthy"), await host.GetAsync("/health/ready"));
        }

        // The database is down: the instance should leave the load balancer, not be restarted.
        await using (var host = await HostAsync(@fixed, services => services.AddHealthChecks()
            .AddCheck("database", () => HealthCheckResult.Unhealthy("no connection"), tags: new[] { "ready" })))
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await host.GetAsync("/health/ready"));
            Assert.Equal((HttpStatusCode.OK, "Healthy"), await host.GetAsync("/health/live"));
        }

        // Only checks tagged "ready" decide readiness.
        await using (var host = await HostAsync(@fixed, services => services.AddHealthChecks()
            .AddCheck("nightly-report", () => HealthCheckResult.Unhealthy("late"), tags: new[] { "reports" })))
        {
            Assert.Equal((HttpStatusCode.OK, "Healthy"), await host.GetAsync("/health/ready"));
            Assert.Equal((HttpStatusCode.OK, "Healthy"), await host.GetAsync("/health/live"));
        }
    }

    private static async Task<Host> HostAsync(Assembly assembly, Action<IServiceCollection> configure)
    {
        Action<IServiceCollection> quiet = services =>
        {
            services.AddLogging(logging => logging.ClearProviders());
            configure(services);
        };
        var start = assembly.GetType("ShopHost", throwOnError: true)!.GetMethod("StartAsync")!;
        var app = await (Task<WebApplication>)start.Invoke(null, new object[] { quiet })!;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Host(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    private sealed class Host : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        public Host(WebApplication app, HttpClient client)
        {
            _app = app;
            _client = client;
        }

        public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
        {
            using var response = await _client.GetAsync(path);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
