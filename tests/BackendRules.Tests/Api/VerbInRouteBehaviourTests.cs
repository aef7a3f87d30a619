using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>
/// The BR0004 fix against a real server: a small app (minimal API and a controller) is hosted on loopback Kestrel
/// before and after the fix. Each endpoint answers at its new route with its new method, and the old route is gone.
/// </summary>
public sealed class VerbInRouteBehaviourTests
{
    private const string Source = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;

        public static class ShopApi
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/getUser/{id:int}", (int id) => Results.Ok(new { id, name = "user" + id }));
                app.MapGet("/postOrder", (string item) => Results.Ok(new { item, status = "created" }));
            }
        }

        [ApiController]
        [Route("api")]
        public sealed class AccountsController : ControllerBase
        {
            [HttpPost("deleteAccount/{id:int}")]
            public IActionResult Remove(int id) => Ok(new { deleted = id });
        }
        """;

    [Fact]
    public async Task Fixed_endpoints_answer_at_their_new_routes_and_methods_and_the_old_routes_are_gone()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new VerbInRouteAnalyzer(), new VerbInRouteFixer());
        Assert.Contains("app.MapGet(\"/users/{id:int}\"", fixedSource);
        Assert.Contains("app.MapPost(\"/orders\"", fixedSource);
        Assert.Contains("[HttpDelete(\"accounts/{id:int}\")]", fixedSource);

        await using (var original = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(Source, "OriginalRoutes_" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal((HttpStatusCode.OK, "{\"id\":5,\"name\":\"user5\"}"), await original.SendAsync(HttpMethod.Get, "/getUser/5"));
            Assert.Equal((HttpStatusCode.OK, "{\"item\":\"book\",\"status\":\"created\"}"), await original.SendAsync(HttpMethod.Get, "/postOrder?item=book"));
            Assert.Equal((HttpStatusCode.OK, "{\"deleted\":3}"), await original.SendAsync(HttpMethod.Post, "/api/deleteAccount/3"));
            Assert.Equal(HttpStatusCode.NotFound, (await original.SendAsync(HttpMethod.Get, "/users/5")).Status);
        }

        await using (var @fixed = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(fixedSource, "FixedRoutes_" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal((HttpStatusCode.OK, "{\"id\":5,\"name\":\"user5\"}"), await @fixed.SendAsync(HttpMethod.Get, "/users/5"));
            Assert.Equal((HttpStatusCode.OK, "{\"item\":\"book\",\"status\":\"created\"}"), await @fixed.SendAsync(HttpMethod.Post, "/orders?item=book"));
            Assert.Equal((HttpStatusCode.OK, "{\"deleted\":3}"), await @fixed.SendAsync(HttpMethod.Delete, "/api/accounts/3"));

            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync(HttpMethod.Get, "/getUser/5")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync(HttpMethod.Get, "/postOrder?item=book")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync(HttpMethod.Post, "/api/deleteAccount/3")).Status);

            // The method moved with the route: the old method no longer reaches the endpoint.
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await @fixed.SendAsync(HttpMethod.Get, "/orders?item=book")).Status);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await @fixed.SendAsync(HttpMethod.Post, "/api/accounts/3")).Status);
        }
    }
}
