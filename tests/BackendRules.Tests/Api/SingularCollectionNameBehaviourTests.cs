using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>
/// The BR0012 fix against a real server: a small app (a minimal API, a controller route with [controller], an action
/// route) is hosted on loopback Kestrel before and after the fix. Renamed, each endpoint answers at its plural path and
/// the singular one is gone; with the alias action the controllers answer at both.
/// </summary>
public sealed class SingularCollectionNameBehaviourTests
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
                app.MapGet("/product/{id:int}", (int id) => Results.Ok(new { id, name = "product" + id }));
            }
        }

        [ApiController]
        [Route("api/[controller]")]
        public sealed class CustomerController : ControllerBase
        {
            [HttpGet("{id:int}")]
            public IActionResult One(int id) => Ok(new { id, name = "customer" + id });
        }

        [ApiController]
        [Route("api")]
        public sealed class BillingController : ControllerBase
        {
            [HttpGet("invoice/{invoiceId:int}")]
            public IActionResult Invoice(int invoiceId) => Ok(new { invoiceId });
        }
        """;

    [Fact]
    public async Task Renamed_endpoints_answer_at_the_plural_path_and_the_singular_one_is_gone()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new SingularCollectionNameAnalyzer(), new SingularCollectionNameFixer());
        Assert.Contains("app.MapGet(\"/products/{id:int}\"", fixedSource);
        Assert.Contains("[Route(\"api/Customers\")]", fixedSource);
        Assert.Contains("[HttpGet(\"invoices/{invoiceId:int}\")]", fixedSource);

        await using (var original = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(Source, "SingularRoutes_" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal((HttpStatusCode.OK, "{\"id\":5,\"name\":\"product5\"}"), await original.SendAsync("/product/5"));
            Assert.Equal(HttpStatusCode.NotFound, (await original.SendAsync("/products/5")).Status);
        }

        await using (var @fixed = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(fixedSource, "PluralRoutes_" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal((HttpStatusCode.OK, "{\"id\":5,\"name\":\"product5\"}"), await @fixed.SendAsync("/products/5"));
            Assert.Equal((HttpStatusCode.OK, "{\"id\":3,\"name\":\"customer3\"}"), await @fixed.SendAsync("/api/customers/3"));
            Assert.Equal((HttpStatusCode.OK, "{\"invoiceId\":7}"), await @fixed.SendAsync("/api/invoices/7"));

            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/product/5")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/api/customer/3")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/api/invoice/7")).Status);
        }
    }

    [Fact]
    public async Task With_the_alias_action_the_controllers_answer_at_the_plural_and_the_old_path()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new SingularCollectionNameAnalyzer(), new SingularCollectionNameFixer(), equivalenceKey: SingularCollectionNameFixer.AliasKey);
        Assert.Contains("[Route(\"api/Customers\")]", fixedSource);
        Assert.Contains("[Route(\"api/[controller]\")]", fixedSource);
        Assert.Contains("[HttpGet(\"invoices/{invoiceId:int}\")]", fixedSource);
        Assert.Contains("[HttpGet(\"invoice/{invoiceId:int}\")]", fixedSource);
        Assert.Equal(2, fixedSource.Split(SingularCollectionNameFixer.AliasComment).Length - 1);

        // The rule does not report the aliases it wrote.
        Assert.Empty(await FixRunner.AnalyzeAsync(FixRunner.DocumentFor(fixedSource), new SingularCollectionNameAnalyzer()));

        await using var @fixed = await RouteApiHost.StartAsync(FixRunner.CompileAndLoad(fixedSource, "AliasedRoutes_" + Guid.NewGuid().ToString("N")));
        Assert.Equal((HttpStatusCode.OK, "{\"id\":3,\"name\":\"customer3\"}"), await @fixed.SendAsync("/api/customers/3"));
        Assert.Equal((HttpStatusCode.OK, "{\"id\":3,\"name\":\"customer3\"}"), await @fixed.SendAsync("/api/customer/3"));
        Assert.Equal((HttpStatusCode.OK, "{\"invoiceId\":7}"), await @fixed.SendAsync("/api/invoices/7"));
        Assert.Equal((HttpStatusCode.OK, "{\"invoiceId\":7}"), await @fixed.SendAsync("/api/invoice/7"));

        // A minimal API has one pattern per MapX call: it is renamed, with no alias.
        Assert.Equal((HttpStatusCode.OK, "{\"id\":5,\"name\":\"product5\"}"), await @fixed.SendAsync("/products/5"));
        Assert.Equal(HttpStatusCode.NotFound, (await @fixed.SendAsync("/product/5")).Status);
    }
}
