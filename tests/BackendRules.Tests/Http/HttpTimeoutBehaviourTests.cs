using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using BackendRules.Http;
using BackendRules.Tests.Infrastructure;
using Xunit;

namespace BackendRules.Tests.Http;

/// <summary>
/// The BR0003 fixes (a new client, a factory client) against a loopback server that accepts connections and never answers: the original code is
/// still waiting when the fixed code has already given up with a timeout. Loopback only, bounded in time.
/// </summary>
public sealed class HttpTimeoutBehaviourTests : IDisposable
{
    private const string Source = """
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        public static class Weather
        {
            public static async Task<string> Fetch(string url, CancellationToken cancellationToken)
            {
                using var client = new HttpClient();
                return await client.GetStringAsync(url, cancellationToken);
            }
        }
        """;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> _held = new();
    private readonly CancellationTokenSource _stop = new();

    public HttpTimeoutBehaviourTests()
    {
        _listener.Start();
        _ = AcceptForeverAsync();
    }

    private string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/today";

    // Accepts every connection and keeps it open without ever writing a byte.
    private async Task AcceptForeverAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _held.Add(await _listener.AcceptTcpClientAsync(_stop.Token));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _held)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task Fixed_client_gives_up_at_its_timeout_while_the_original_still_waits()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new HttpTimeoutAnalyzer(), new HttpTimeoutFixer(), "backendrules.BR0003.default_timeout_seconds = 1");
        Assert.Contains("new HttpClient { Timeout = TimeSpan.FromSeconds(1) }", fixedSource);
        var original = Fetch(FixRunner.CompileAndLoad(Source, "OriginalHttp_" + Guid.NewGuid().ToString("N")));
        var @fixed = Fetch(FixRunner.CompileAndLoad(fixedSource, "FixedHttp_" + Guid.NewGuid().ToString("N")));

        using var stopOriginal = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var originalCall = original(Url, stopOriginal.Token);

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => @fixed(Url, CancellationToken.None));
        clock.Stop();
        Assert.IsType<TimeoutException>(failure.InnerException);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10));

        // The original has no bound of its own below 100 seconds: it is still waiting.
        Assert.False(originalCall.IsCompleted);
        stopOriginal.Cancel();
        var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => originalCall);
        Assert.IsNotType<TimeoutException>(stopped.InnerException);
    }

    private const string FactorySource = """
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;

        public static class Reports
        {
            public static void Register(IServiceCollection services) => services.AddHttpClient();

            public static async Task<string> Fetch(IHttpClientFactory factory, string url, CancellationToken cancellationToken)
            {
                var client = factory.CreateClient("reports");
                return await client.GetStringAsync(url, cancellationToken);
            }
        }
        """;

    [Fact]
    public async Task Fixed_factory_client_gives_up_at_its_timeout_while_the_original_still_waits()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(FactorySource, new HttpTimeoutAnalyzer(), new HttpTimeoutFixer(), "backendrules.BR0003.default_timeout_seconds = 1");
        Assert.Contains("client.Timeout = TimeSpan.FromSeconds(1);", fixedSource);
        var original = FetchReport(FixRunner.CompileAndLoad(FactorySource, "OriginalFactory_" + Guid.NewGuid().ToString("N")));
        var @fixed = FetchReport(FixRunner.CompileAndLoad(fixedSource, "FixedFactory_" + Guid.NewGuid().ToString("N")));

        using var stopOriginal = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var originalCall = original(Url, stopOriginal.Token);

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => @fixed(Url, CancellationToken.None));
        clock.Stop();
        Assert.IsType<TimeoutException>(failure.InnerException);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10));

        Assert.False(originalCall.IsCompleted);
        stopOriginal.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => originalCall);
    }

    /// <summary>Registers the factory the way the source does, then calls Fetch with the factory's client.</summary>
    private static Func<string, CancellationToken, Task<string>> FetchReport(Assembly assembly)
    {
        var type = assembly.GetType("Reports", throwOnError: true)!;
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        type.GetMethod("Register")!.Invoke(null, new object[] { services });
        var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var factory = (System.Net.Http.IHttpClientFactory)provider.GetService(typeof(System.Net.Http.IHttpClientFactory))!;
        var method = type.GetMethod("Fetch")!;
        return (url, token) => (Task<string>)method.Invoke(null, new object[] { factory, url, token })!;
    }

    private static Func<string, CancellationToken, Task<string>> Fetch(Assembly assembly)
    {
        var method = assembly.GetType("Weather", throwOnError: true)!.GetMethod("Fetch")!;
        return (url, token) => (Task<string>)method.Invoke(null, new object[] { url, token })!;
    }
}
