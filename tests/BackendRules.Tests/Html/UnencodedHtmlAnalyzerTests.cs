using System.Linq;
using System.Threading.Tasks;
using BackendRules.Html;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Html.UnencodedHtmlAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace BackendRules.Tests.Html;

/// <summary>What BR0006 reports in C# and, above all, what it must never report.</summary>
public sealed class UnencodedHtmlAnalyzerTests
{
    internal const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net;
        using System.Text;
        using System.Text.Encodings.Web;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Components;
        using Microsoft.AspNetCore.Components.Rendering;
        using Microsoft.AspNetCore.Html;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Rendering;

        public sealed class Profile
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
            public string Bio { get; set; } = "";
            public Guid Key { get; set; }
            public DateTime Joined { get; set; }
            public Tier Tier { get; set; }
            public bool Active { get; set; }
            public decimal Balance { get; set; }
        }

        public enum Tier { Free, Gold }

        """;

    private static Task Check(string body, params DiagnosticResult[] expected)
        => Verify.VerifyAnalyzerAsync(Usings + body, expected);

    // ---- Reported --------------------------------------------------------------------------------------

    [Fact]
    public Task BR0006_html_raw_of_a_model_property_report_naming_the_value() => Check(
        """
        public static class View
        {
            public static IHtmlContent Bio(IHtmlHelper html, Profile profile) => {|#0:html.Raw({|#1:profile.Bio|})|};
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1)
            .WithMessage("'profile.Bio' is written into HTML without encoding; encode it or render it as text"));

    [Fact]
    public Task Every_markup_wrapper_and_builder_report() => Check(
        """
        public static class Markup
        {
            public static void Run(IHtmlHelper<Profile> html, string bio, object note, TagBuilder tag, HtmlContentBuilder builder, RenderTreeBuilder tree)
            {
                IHtmlContent a = [|html.Raw(bio)|];
                IHtmlContent b = [|html.Raw(note)|];
                var c = [|new HtmlString(bio)|];
                var d = [|new MarkupString(bio)|];
                var e = [|(MarkupString)bio|];
                [|tag.InnerHtml.AppendHtml(bio)|];
                [|tag.InnerHtml.SetHtmlContent(bio)|];
                [|builder.AppendHtmlLine(bio)|];
                [|tree.AddMarkupContent(0, bio)|];
            }

            public static void Process(Microsoft.AspNetCore.Razor.TagHelpers.TagHelperOutput output, string bio)
            {
                [|output.Content.SetHtmlContent(bio)|];
                [|output.PostContent.AppendHtml(bio)|];
                output.Content.SetContent(bio);
            }

            public static IResult Typed(string q) => [|TypedResults.Text("<p>" + q + "</p>", "text/html")|];

            public static IResult TypedContent(string q) => [|TypedResults.Content($"<p>{q}</p>", "application/xhtml+xml")|];
        }
        """);

    [Fact]
    public Task Built_markup_report_once_with_each_hole() => Check(
        """
        public static class Markup
        {
            public static IHtmlContent Card(Profile profile, string title)
                => {|#0:new HtmlString($"<h2>{{|#1:title|}}</h2><p>{profile.Id}</p><p>{{|#2:profile.Bio|}}</p>")|};
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("title"));

    [Fact]
    public Task Hand_built_html_responses_report() => Check(
        """
        public sealed class PagesController : Controller
        {
            public IActionResult Hello(string name) => [|Content("<h1>Hello " + name + "</h1>", "text/html")|];

            public IActionResult Bio(Profile profile) => new ContentResult { [|Content = $"<p>{profile.Bio}</p>"|], ContentType = "text/html; charset=utf-8" };

            public IResult Minimal(string q) => [|Results.Content(string.Format("<p>You searched for {0}</p>", q), "text/html")|];

            public IResult Text(string q) => [|Results.Text($"<p>{q}</p>", "TEXT/HTML")|];

            public static async Task Write(HttpContext context, string q)
            {
                context.Response.ContentType = "text/html";
                var html = new StringBuilder("<ul>");
                foreach (var item in q.Split(','))
                {
                    html.Append("<li>").Append(item).Append("</li>");
                }

                html.Append("</ul>");
                await [|context.Response.WriteAsync(html.ToString())|];
            }
        }
        """);

    [Fact]
    public Task Html_followed_through_locals_and_plus_equals_report() => Check(
        """
        public static class Pages
        {
            public static IResult Search(string q, string[] tags)
            {
                var heading = "<h1>" + {|#1:q|} + "</h1>";
                var list = "<ul>";
                foreach (var tag in tags)
                {
                    list += $"<li>{{|#2:tag|}}</li>";
                }

                var page = heading + list + "</ul>";
                return {|#0:Results.Content(page, "text/html")|};
            }
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("q"));

    [Fact]
    public Task Items_mapped_to_html_in_a_lambda_and_joined_report_the_lambda_hole() => Check(
        """
        public static class Pages
        {
            public static IHtmlContent List(IHtmlHelper html, string[] names)
                => {|#0:html.Raw("<ul>" + string.Join("", names.Select(name => $"<li>{{|#1:name|}}</li>")) + "</ul>")|};
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("name"));

    [Fact]
    public Task Raw_of_a_dynamic_value_report() => Check(
        """
        public sealed class HomeController : Controller
        {
            public IHtmlContent Message(IHtmlHelper html) => [|html.Raw(ViewBag.Message)|];
            public IHtmlContent Constant(IHtmlHelper html) => html.Raw("<hr/>");
        }
        """);

    [Fact]
    public Task Plain_local_holding_user_text_is_the_hole() => Check(
        """
        public static class Pages
        {
            public static IHtmlContent Bio(IHtmlHelper html, Profile profile)
            {
                var bio = profile.Bio.Trim();
                return {|#0:html.Raw({|#1:bio|})|};
            }
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("bio"));

    [Fact]
    public Task Write_async_in_a_minimal_api_lambda_that_set_text_html_report() => Check(
        """
        public static class Endpoints
        {
            public static void Map(Microsoft.AspNetCore.Builder.WebApplication app)
            {
                Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/hello", async (HttpContext context, string name) =>
                {
                    context.Response.Headers.ContentType = "text/html";
                    await [|context.Response.WriteAsync($"<p>Hello {name}</p>")|];
                });
            }
        }
        """);

    [Fact]
    public Task Json_serialized_with_options_may_be_relaxed_report() => Check(
        """
        public static class Scripts
        {
            public static IHtmlContent Data(IHtmlHelper html, Profile profile, System.Text.Json.JsonSerializerOptions options)
                => [|html.Raw(System.Text.Json.JsonSerializer.Serialize(profile, options))|];
        }
        """);

    // ---- Never reported -------------------------------------------------------------------------------

    [Fact]
    public Task Constants_and_encoded_values_no_report() => Check(
        """
        public static class Markup
        {
            private const string Break = "<br/>";
            private static readonly string Rule = "<hr/>";

            public static void Run(IHtmlHelper html, string bio, TagBuilder tag, HtmlEncoder encoder, Profile profile)
            {
                html.Raw("<b>bold</b>");
                html.Raw(Break + Rule);
                html.Raw(HtmlEncoder.Default.Encode(bio));
                html.Raw(encoder.Encode(bio));
                html.Raw(WebUtility.HtmlEncode(bio));
                html.Raw(System.Web.HttpUtility.HtmlEncode(bio));
                html.Raw(html.Encode(bio));
                html.Raw("<p>" + HtmlEncoder.Default.Encode(bio).Trim() + "</p>");
                html.Raw($"<a href=\"/u/{Uri.EscapeDataString(bio)}\">{WebUtility.HtmlEncode(profile.Name)}</a>");
                new HtmlString(bio.Length > 10 ? "<b>long</b>" : "<i>short</i>");
                new MarkupString(nameof(Profile));
                tag.InnerHtml.AppendHtml(html.Encode(bio));
                tag.InnerHtml.AppendHtml(HtmlEncoder.Default.Encode(bio));
                html.Raw(System.Text.Json.JsonSerializer.Serialize(profile));
                html.Raw(string.Join("", profile.Name.Split(' ').Select(word => $"<span>{HtmlEncoder.Default.Encode(word)}</span>")));
                html.Raw(string.Concat(new[] { 1, 2 }.Select(n => "<i>" + n + "</i>")));
                var encoded = HtmlEncoder.Default.Encode(bio);
                html.Raw($"<p>{encoded}</p>");
                new HtmlString(string.Empty + Environment.NewLine);
                html.Raw("<a href=\"/s?q=" + UrlEncoder.Default.Encode(bio) + "&r=" + WebUtility.UrlEncode(bio) + "&t=" + System.Web.HttpUtility.UrlEncode(bio) + "\" title=\"" + System.Web.HttpUtility.HtmlAttributeEncode(bio) + "\">");
            }
        }
        """);

    [Fact]
    public Task Numbers_booleans_guids_enums_and_dates_no_report() => Check(
        """
        public static class Markup
        {
            public static void Run(IHtmlHelper html, Profile profile, int count, long? total, Tier tier)
            {
                html.Raw(count);
                html.Raw(total);
                html.Raw(profile.Key);
                html.Raw(tier);
                new HtmlString($"<p>{profile.Id} {profile.Active} {profile.Balance:N2} {profile.Joined:yyyy-MM-dd} {profile.Tier} {profile.Key}</p>");
                new HtmlString("<p>" + count.ToString() + "</p>" + profile.Key.ToString("N"));
                new HtmlString(string.Join(", ", new[] { 1, 2, 3 }));
            }
        }
        """);

    [Fact]
    public Task Framework_html_content_no_report() => Check(
        """
        public static class Markup
        {
            public static void Run(IHtmlHelper<Profile> html, TagBuilder tag, IHtmlContent content)
            {
                html.Raw(content);
                html.Raw(html.DisplayFor(p => p.Bio));
                tag.InnerHtml.AppendHtml(content);
                tag.InnerHtml.SetHtmlContent(new TagBuilder("br"));
                var row = new HtmlString("<tr></tr>");
                html.Raw("<table>" + row.Value + row.ToString() + "</table>");
                html.Raw(string.Join("", new[] { row }.Select(r => r.Value)));
            }
        }
        """);

    [Fact]
    public Task Sanitized_html_no_report() => Check(
        """
        namespace Ganss.Xss
        {
            public interface IHtmlSanitizer { string Sanitize(string html, string baseUrl = ""); }
            public class HtmlSanitizer : IHtmlSanitizer { public string Sanitize(string html, string baseUrl = "") => html; }
        }

        public static class Markup
        {
            public static void Run(IHtmlHelper html, Ganss.Xss.HtmlSanitizer sanitizer, Ganss.Xss.IHtmlSanitizer shared, string bio)
            {
                html.Raw(sanitizer.Sanitize(bio));
                html.Raw(shared.Sanitize(bio));
                [|html.Raw(bio)|];
            }
        }
        """);

    [Fact]
    public Task Resource_text_looked_up_by_a_constant_name_no_report() => Check(
        """
        public static class Markup
        {
            public static void Run(IHtmlHelper html, Microsoft.Extensions.Localization.IStringLocalizer localizer, Microsoft.AspNetCore.Mvc.Localization.IHtmlLocalizer htmlLocalizer, string key, string name)
            {
                html.Raw(localizer["Welcome"]);
                html.Raw(localizer["Welcome"].Value);
                html.Raw(htmlLocalizer["Welcome", name]);
                [|html.Raw(localizer[key])|];
                [|html.Raw(localizer["Hello", name])|];
            }
        }
        """);

    [Fact]
    public Task Responses_that_are_not_html_or_not_built_here_no_report() => Check(
        """
        public sealed class PagesController : Controller
        {
            public IActionResult Plain(string name) => Content("Hello " + name, "text/plain");

            public IActionResult Page(string renderedTemplate) => Content(renderedTemplate, "text/html");

            public IActionResult Safe(int id) => Content($"<p>Item {id}</p>", "text/html");

            public IActionResult NoType(string name) => Content("Hello " + name);

            public IResult Encoded(string q) => Results.Content($"<p>{HtmlEncoder.Default.Encode(q)}</p>", "text/html");

            public static async Task Write(HttpContext context, string q)
            {
                await context.Response.WriteAsync($"<p>{q}</p>");
                context.Response.ContentType = "text/html";
            }

            public static async Task Json(HttpContext context, string q)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"q\":\"" + q + "\"}");
            }
        }
        """);

    [Fact]
    public Task Configured_encoding_methods_no_report()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                namespace Shop.Html
                {
                    public static class Sanitizer
                    {
                        public static string Clean(string html) => html;
                        public static string Strip(string html, int max) => html;
                    }
                }

                public static class Markup
                {
                    public static void Run(IHtmlHelper html, string bio)
                    {
                        html.Raw(Shop.Html.Sanitizer.Clean(bio));
                        html.Raw(Shop.Html.Sanitizer.Strip(bio, 10));
                        [|html.Raw(bio)|];
                    }
                }
                """,
        }.WithEditorConfig("backendrules.BR0006.encoding_methods = M:Shop.Html.Sanitizer.Clean(System.String), Shop.Html.Sanitizer.Strip");
        return test.RunAsync();
    }

    [Fact]
    public Task Without_aspnetcore_nothing_is_registered_and_nothing_reported()
    {
        var test = new Verify.Test
        {
            TestCode = """
                public sealed class HtmlString { public HtmlString(string value) { } }
                public static class Markup { public static object Run(string bio) => new HtmlString(bio); }
                """,
        };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Infrastructure.TestReferences.All.Where(r => !System.IO.Path.GetFileName(r.Display ?? "").StartsWith("Microsoft.", System.StringComparison.Ordinal)));
        return test.RunAsync();
    }
}
