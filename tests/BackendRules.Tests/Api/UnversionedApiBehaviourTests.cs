using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>
/// The BR0011 fix against a real server: a small app (a route group, a top-level minimal API, a controller route, a
/// controller with absolute action routes) is hosted on loopback Kestrel before and after the fix. Versioned, each
/// endpoint answers at its versioned path and the old one is gone; with the alias action the controllers answer at both.
/// </summary>
public sealed class UnversionedApiBehaviourTests
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
                var parcels = app.MapGroup("/api/parcels");
                parcels.MapGet("/{id:int}", (int id) => Results.Ok(new { id, kind = "parcel" }));
                app.MapGet("/api/labels/{id:int}", (int id) => Results.Ok(new { id, kind = "label" }));
            }
        }

        [ApiController]
        [Route("api/[controller]")]
        public sealed class CarriersController : ControllerBase
        {
            [HttpGet("{id:int}")]
            public IActionResult One(int id) => Ok(new { id, kind = "carrier" });
        }

        [ApiController]
        public sealed class TrackingController : ControllerBase
        {
            [HttpGet("~/api/tracking/{code}")]
            public IActionResult Track(string code) => Ok(new { code });
        }
        """;

    [Fact]
    public async Task Versioned_endpoints_answer_at_the_versioned_path_and_the_old_one_is_gone()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new UnversionedApiAnalyzer(), new UnversionedApiFixer());
        Assert.Contains("app.MapGroup(\"/api/v1/parcels\")", fixedSource);
        Assert.Contains("app.MapGet(\"/api/v1/labels/{id:int}\"", fixedSource);
        Assert.Contains("[Route(\"api/v1/[controller]\")]", fixedSource);
        Assert.Contains("[HttpGet(\"~/api/v1/tracking/{code}\")]", fixedSource);

        await using (var original = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(Source, "UnversionedRoutes_" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal((HttpStatusCode.OK, "{\"id\":5,\"kind\":\"parcel\"}"), await original.SendAsync("/api/parcels/5"));
            Assert.Equal(HttpStatusCode.NotFound, (await original.SendAsync("/api/v1/parcels/5")).Status);
        }

        await using (var @fixed = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(fixedSource, "VersionedRoutes_" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal((HttpStatusCode.OK, "{\"id\":5,\"kind\":\"parcel\"}"), await @fixed.SendAsync("/api/v1/parcels/5"));
            Assert.Equal((HttpStatusCode.OK, "{\"id\":6,\"kind\":\"label\"}"), await @fixed.SendAsync("/api/v1/labels/6"));
            Assert.Equal((HttpStatusCode.OK, "{\"id\":3,\"kind\":\"carrier\"}"), await @fixed.SendAsync("/api/v1/carriers/3"));
            Assert.Equal((HttpStatusCode.OK, "{\"code\":\"X1\"}"), await @fixed.SendAsync("/api/v1/tracking/X1"));

            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/api/parcels/5")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/api/labels/6")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/api/carriers/3")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/api/tracking/X1")).Status);
        }
    }

    [Fact]
    public async Task With_the_alias_action_the_controllers_answer_at_the_versioned_and_the_old_path()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new UnversionedApiAnalyzer(), new UnversionedApiFixer(), equivalenceKey: UnversionedApiFixer.AliasKey);
        Assert.Contains("[Route(\"api/v1/[controller]\")]", fixedSource);
        Assert.Contains("[Route(\"api/[controller]\")]", fixedSource);
        Assert.Contains("[HttpGet(\"~/api/v1/tracking/{code}\")]", fixedSource);
        Assert.Contains("[HttpGet(\"~/api/tracking/{code}\")]", fixedSource);
        Assert.Equal(2, fixedSource.Split(UnversionedApiFixer.AliasComment).Length - 1);

        // The rule does not report the aliases it wrote.
        Assert.Empty(await FixRunner.AnalyzeAsync(FixRunner.DocumentFor(fixedSource), new UnversionedApiAnalyzer()));

        await using var @fixed = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(fixedSource, "AliasedVersionRoutes_" + Guid.NewGuid().ToString("N")));
        Assert.Equal((HttpStatusCode.OK, "{\"id\":3,\"kind\":\"carrier\"}"), await @fixed.SendAsync("/api/v1/carriers/3"));
        Assert.Equal((HttpStatusCode.OK, "{\"id\":3,\"kind\":\"carrier\"}"), await @fixed.SendAsync("/api/carriers/3"));
        Assert.Equal((HttpStatusCode.OK, "{\"code\":\"X1\"}"), await @fixed.SendAsync("/api/v1/tracking/X1"));
        Assert.Equal((HttpStatusCode.OK, "{\"code\":\"X1\"}"), await @fixed.SendAsync("/api/tracking/X1"));

        // A group and a MapX call have one prefix or pattern each: they are versioned, with no alias.
        Assert.Equal((HttpStatusCode.OK, "{\"id\":5,\"kind\":\"parcel\"}"), await @fixed.SendAsync("/api/v1/parcels/5"));
        Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/api/parcels/5")).Status);
        Assert.Equal((HttpStatusCode.OK, "{\"id\":6,\"kind\":\"label\"}"), await @fixed.SendAsync("/api/v1/labels/6"));
    }
}
