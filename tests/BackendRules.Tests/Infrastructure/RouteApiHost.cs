using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackendRules.Tests.Infrastructure;

/// <summary>
/// A compiled route sample hosted on loopback Kestrel for the route rules' behaviour tests: its controllers, and the
/// minimal API endpoints its static <c>ShopApi.Map(IEndpointRouteBuilder)</c> maps.
/// </summary>
internal sealed class RouteApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private RouteApiHost(WebApplication app, HttpClient client)
    {
        _app = app;
        _client = client;
    }

    public static async Task<RouteApiHost> StartAsync(Assembly assembly)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddControllers().AddApplicationPart(assembly);
        var app = builder.Build();
        assembly.GetType("ShopApi", throwOnError: true)!.GetMethod("Map")!.Invoke(null, new object[] { (IEndpointRouteBuilder)app });
        app.MapControllers();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RouteApiHost(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    public Task<(HttpStatusCode Status, string Body)> SendAsync(string path) => SendAsync(HttpMethod.Get, path);

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path)
    {
        var (status, body, _) = await ExchangeAsync(method, path);
        return (status, body);
    }

    /// <summary>One request, with a JSON body when given; the answer's status, body and Location header.</summary>
    public async Task<(HttpStatusCode Status, string Body, Uri? Location)> ExchangeAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
