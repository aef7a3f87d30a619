using System;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading.Tasks;
using BackendRules.Html;
using BackendRules.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BackendRules.Tests.Html;

/// <summary>
/// The BR0006 fix on a real minimal API hosted by Kestrel on loopback (port 0): the original pages send a script
/// typed into the query string back as markup; the fixed pages send it back encoded, as text.
/// </summary>
public sealed class UnencodedHtmlBehaviourTests
{
    private const string Payload = "<script>alert(1)</script>";
    private const string EncodedPayload = "&lt;script&gt;alert(1)&lt;/script&gt;";

    private const string Source = """
        using System.Text;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        public static class Site
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/hello", (string name) => Results.Content($"<h1>Hello {name}</h1>", "text/html"));

                app.MapGet("/tags", async (HttpContext context) =>
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    var html = new StringBuilder("<ul>");
                    foreach (var tag in context.Request.Query["tag"])
                    {
                        html.Append("<li>").Append(tag).Append("</li>");
                    }

                    await context.Response.WriteAsync(html.Append("</ul>").ToString());
                });
            }
        }
        """;

    [Fact]
    public async Task Script_in_the_query_comes_back_as_markup_before_the_fix_and_encoded_after()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new UnencodedHtmlAnalyzer(), new UnencodedHtmlFixer());
        Assert.Contains("$\"<h1>Hello {HtmlEncoder.Default.Encode(name)}</h1>\"", fixedSource);
        Assert.Contains("using System.Text.Encodings.Web;", fixedSource);
        Assert.Contains(".Append(HtmlEncoder.Default.Encode(tag ?? string.Empty))", fixedSource);

        var original = await GetPagesAsync(FixRunner.CompileAndLoad(Source, "OriginalHtml_" + Guid.NewGuid().ToString("N")));
        Assert.Equal("<h1>Hello " + Payload + "</h1>", original.Hello);
        Assert.Equal("<ul><li>" + Payload + "</li><li>b&b</li></ul>", original.Tags);

        var @fixed = await GetPagesAsync(FixRunner.CompileAndLoad(fixedSource, "FixedHtml_" + Guid.NewGuid().ToString("N")));
        Assert.Equal("<h1>Hello " + EncodedPayload + "</h1>", @fixed.Hello);
        Assert.Equal("<ul><li>" + EncodedPayload + "</li><li>b&amp;b</li></ul>", @fixed.Tags);
    }

    private static async Task<(string Hello, string Tags)> GetPagesAsync(Assembly site)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        site.GetType("Site", throwOnError: true)!.GetMethod("Map")!.Invoke(null, new object[] { app });
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
            var hello = await client.GetStringAsync("/hello?name=" + Uri.EscapeDataString(Payload));
            var tags = await client.GetStringAsync("/tags?tag=" + Uri.EscapeDataString(Payload) + "&tag=" + Uri.EscapeDataString("b&b"));
            return (hello, tags);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
