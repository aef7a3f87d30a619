using System.Threading.Tasks;
using BackendRules.Html;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Html.UnencodedHtmlAnalyzer, BackendRules.Html.UnencodedHtmlFixer>;

namespace BackendRules.Tests.Html;

/// <summary>The BR0006 fix: encode each hole, or write the value as text where the raw call adds nothing; decline when unsure.</summary>
public sealed class UnencodedHtmlFixerTests
{
    private const string Usings = UnencodedHtmlAnalyzerTests.Usings;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    // ---- Wrappers ---------------------------------------------------------------------------------------

    [Fact]
    public Task Raw_html_string_and_markup_string_encode_the_value() => Fix(
        """
        public static class Markup
        {
            public static void Run(IHtmlHelper html, Profile profile, string bio)
            {
                var a = [|html.Raw(profile.Bio)|];
                var b = [|new HtmlString(bio)|];
                var c = [|(MarkupString)bio|];
                var d = [|new MarkupString(profile.Name.Trim())|];
            }
        }
        """,
        """
        public static class Markup
        {
            public static void Run(IHtmlHelper html, Profile profile, string bio)
            {
                var a = html.Raw(HtmlEncoder.Default.Encode(profile.Bio));
                var b = new HtmlString(HtmlEncoder.Default.Encode(bio));
                var c = (MarkupString)HtmlEncoder.Default.Encode(bio);
                var d = new MarkupString(HtmlEncoder.Default.Encode(profile.Name.Trim()));
            }
        }
        """);

    [Fact]
    public Task Built_markup_encodes_hole_by_hole() => Fix(
        """
        public static class Markup
        {
            public static IHtmlContent Card(Profile profile, string title)
                => [|new HtmlString($"<h2>{title}</h2><p>{profile.Id}</p><p>{profile.Bio}</p>")|];

            public static IHtmlContent Line(IHtmlHelper html, string name, string city)
                => [|html.Raw("<b>" + name + "</b> from " + city)|];
        }
        """,
        """
        public static class Markup
        {
            public static IHtmlContent Card(Profile profile, string title)
                => new HtmlString($"<h2>{HtmlEncoder.Default.Encode(title)}</h2><p>{profile.Id}</p><p>{HtmlEncoder.Default.Encode(profile.Bio)}</p>");

            public static IHtmlContent Line(IHtmlHelper html, string name, string city)
                => html.Raw("<b>" + HtmlEncoder.Default.Encode(name) + "</b> from " + HtmlEncoder.Default.Encode(city));
        }
        """);

    [Fact]
    public Task Argument_of_a_helper_that_wraps_it_in_markup_is_encoded_and_the_markup_kept() => Fix(
        """
        public static class Markup
        {
            public static IHtmlContent Quote(IHtmlHelper html, Profile profile) => [|html.Raw(Cite(profile.Bio, profile.Name))|];

            private static string Cite(string text, string author) => "<blockquote>" + text + "<cite>" + author + "</cite></blockquote>";
        }
        """,
        """
        public static class Markup
        {
            public static IHtmlContent Quote(IHtmlHelper html, Profile profile) => html.Raw(Cite(HtmlEncoder.Default.Encode(profile.Bio), HtmlEncoder.Default.Encode(profile.Name)));

            private static string Cite(string text, string author) => "<blockquote>" + text + "<cite>" + author + "</cite></blockquote>";
        }
        """);

    // ---- Builders: write as text -----------------------------------------------------------------------

    [Fact]
    public Task Append_html_of_plain_text_becomes_its_text_counterpart() => Fix(
        """
        public static class Tags
        {
            public static void Run(TagBuilder tag, HtmlContentBuilder builder, Profile profile, string note)
            {
                [|tag.InnerHtml.AppendHtml(profile.Bio)|];
                [|builder.AppendHtmlLine(note)|];
                [|tag.InnerHtml.SetHtmlContent(note)|];
                [|builder.AppendHtml($"<i>{note}</i>")|];
            }
        }
        """,
        """
        public static class Tags
        {
            public static void Run(TagBuilder tag, HtmlContentBuilder builder, Profile profile, string note)
            {
                tag.InnerHtml.Append(profile.Bio);
                builder.AppendLine(note);
                tag.InnerHtml.SetContent(note);
                builder.AppendHtml($"<i>{HtmlEncoder.Default.Encode(note)}</i>");
            }
        }
        """);

    [Fact]
    public Task Markup_string_passed_to_add_content_is_rendered_as_text() => Fix(
        """
        public sealed class Comment : ComponentBase
        {
            [Parameter] public string Text { get; set; } = "";

            protected override void BuildRenderTree(RenderTreeBuilder builder)
            {
                builder.OpenElement(0, "div");
                builder.AddContent(1, [|(MarkupString)Text|]);
                builder.AddContent(2, [|new MarkupString(Text)|]);
                builder.CloseElement();
            }
        }
        """,
        """
        public sealed class Comment : ComponentBase
        {
            [Parameter] public string Text { get; set; } = "";

            protected override void BuildRenderTree(RenderTreeBuilder builder)
            {
                builder.OpenElement(0, "div");
                builder.AddContent(1, Text);
                builder.AddContent(2, Text);
                builder.CloseElement();
            }
        }
        """);

    // ---- Responses ---------------------------------------------------------------------------------------

    [Fact]
    public Task Hand_built_responses_encode_each_hole() => Fix(
        """
        public sealed class PagesController : Controller
        {
            public IActionResult Hello(string name) => [|Content("<h1>Hello " + name + "</h1>", "text/html")|];

            public IActionResult Bio(Profile profile) => new ContentResult { [|Content = $"<p>{profile.Bio}</p>"|], ContentType = "text/html" };

            public IResult Search(string q) => [|Results.Content(string.Format("<p>You searched for {0}</p>", q), "text/html; charset=utf-8")|];

            public static async Task List(HttpContext context, string csv)
            {
                context.Response.ContentType = "text/html";
                var html = new StringBuilder("<ul>");
                foreach (var item in csv.Split(','))
                {
                    html.Append("<li>").Append(item).Append("</li>");
                }

                await [|context.Response.WriteAsync(html.Append("</ul>").ToString())|];
            }
        }
        """,
        """
        public sealed class PagesController : Controller
        {
            public IActionResult Hello(string name) => Content("<h1>Hello " + HtmlEncoder.Default.Encode(name) + "</h1>", "text/html");

            public IActionResult Bio(Profile profile) => new ContentResult { Content = $"<p>{HtmlEncoder.Default.Encode(profile.Bio)}</p>", ContentType = "text/html" };

            public IResult Search(string q) => Results.Content(string.Format("<p>You searched for {0}</p>", HtmlEncoder.Default.Encode(q)), "text/html; charset=utf-8");

            public static async Task List(HttpContext context, string csv)
            {
                context.Response.ContentType = "text/html";
                var html = new StringBuilder("<ul>");
                foreach (var item in csv.Split(','))
                {
                    html.Append("<li>").Append(HtmlEncoder.Default.Encode(item)).Append("</li>");
                }

                await context.Response.WriteAsync(html.Append("</ul>").ToString());
            }
        }
        """);

    [Fact]
    public Task Html_in_a_local_is_encoded_where_the_value_enters_it() => Fix(
        """
        public static class Pages
        {
            public static IResult Search(string q, string[] tags)
            {
                var heading = "<h1>" + q + "</h1>";
                var list = "<ul>";
                foreach (var tag in tags)
                {
                    list += $"<li>{tag}</li>";
                }

                return [|Results.Content(heading + list + "</ul>", "text/html")|];
            }
        }
        """,
        """
        public static class Pages
        {
            public static IResult Search(string q, string[] tags)
            {
                var heading = "<h1>" + HtmlEncoder.Default.Encode(q) + "</h1>";
                var list = "<ul>";
                foreach (var tag in tags)
                {
                    list += $"<li>{HtmlEncoder.Default.Encode(tag)}</li>";
                }

                return Results.Content(heading + list + "</ul>", "text/html");
            }
        }
        """);

    [Fact]
    public Task Items_mapped_to_html_in_a_lambda_are_encoded_in_the_lambda() => Fix(
        """
        public static class Pages
        {
            public static IHtmlContent List(IHtmlHelper html, string[] names)
                => [|html.Raw("<ul>" + string.Join("", names.Select(name => $"<li>{name}</li>")) + "</ul>")|];
        }
        """,
        """
        public static class Pages
        {
            public static IHtmlContent List(IHtmlHelper html, string[] names)
                => html.Raw("<ul>" + string.Join("", names.Select(name => $"<li>{HtmlEncoder.Default.Encode(name)}</li>")) + "</ul>");
        }
        """);

    // ---- Values that are not strings, and null ---------------------------------------------------------

    [Fact]
    public Task Non_string_and_maybe_null_values_are_converted_so_the_result_compiles() => Fix(
        """
        public readonly struct Money
        {
            public Money(decimal amount) => Amount = amount;
            public decimal Amount { get; }
        }

        public static class Markup
        {
            public static void Run(IHtmlHelper html, object note, object? maybe, string? nick, char initial, Money money, Profile? owner)
            {
                var a = [|html.Raw(note)|];
                var b = [|new HtmlString($"<p>{maybe}</p><p>{nick}</p>")|];
                var c = [|new HtmlString("<b>" + initial + "</b>" + money)|];
                var d = [|html.Raw(owner?.Bio)|];
                var e = [|new HtmlString($"<p>{nick ?? note}</p><p>{nick ?? "anonymous"}</p>")|];
            }
        }
        """,
        """
        public readonly struct Money
        {
            public Money(decimal amount) => Amount = amount;
            public decimal Amount { get; }
        }

        public static class Markup
        {
            public static void Run(IHtmlHelper html, object note, object? maybe, string? nick, char initial, Money money, Profile? owner)
            {
                var a = html.Raw(HtmlEncoder.Default.Encode(note.ToString() ?? string.Empty));
                var b = new HtmlString($"<p>{HtmlEncoder.Default.Encode(maybe?.ToString() ?? string.Empty)}</p><p>{HtmlEncoder.Default.Encode(nick ?? string.Empty)}</p>");
                var c = new HtmlString("<b>" + HtmlEncoder.Default.Encode(initial.ToString()) + "</b>" + HtmlEncoder.Default.Encode(money.ToString() ?? string.Empty));
                var d = html.Raw(HtmlEncoder.Default.Encode(owner?.Bio ?? string.Empty));
                var e = new HtmlString($"<p>{HtmlEncoder.Default.Encode((nick ?? note).ToString() ?? string.Empty)}</p><p>{HtmlEncoder.Default.Encode(nick ?? "anonymous")}</p>");
            }
        }
        """);

    // ---- The using --------------------------------------------------------------------------------------

    [Fact]
    public Task Missing_using_is_added_once_in_order() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using Microsoft.AspNetCore.Html;
        using Microsoft.AspNetCore.Mvc.Rendering;

        public static class Markup
        {
            public static IHtmlContent A(IHtmlHelper html, string bio) => [|html.Raw(bio)|];
            public static IHtmlContent B(string name) => [|new HtmlString($"<b>{name}</b>")|];
        }
        """,
        """
        using System;
        using System.Text.Encodings.Web;
        using Microsoft.AspNetCore.Html;
        using Microsoft.AspNetCore.Mvc.Rendering;

        public static class Markup
        {
            public static IHtmlContent A(IHtmlHelper html, string bio) => html.Raw(HtmlEncoder.Default.Encode(bio));
            public static IHtmlContent B(string name) => new HtmlString($"<b>{HtmlEncoder.Default.Encode(name)}</b>");
        }
        """);

    [Fact]
    public Task Using_goes_after_global_usings() => Verify.VerifyCodeFixAsync(
        """
        global using Microsoft.AspNetCore.Html;
        using Microsoft.AspNetCore.Mvc.Rendering;

        public static class Markup
        {
            public static IHtmlContent A(IHtmlHelper html, string bio) => [|html.Raw(bio)|];
        }
        """,
        """
        global using Microsoft.AspNetCore.Html;
        using System.Text.Encodings.Web;
        using Microsoft.AspNetCore.Mvc.Rendering;

        public static class Markup
        {
            public static IHtmlContent A(IHtmlHelper html, string bio) => html.Raw(HtmlEncoder.Default.Encode(bio));
        }
        """);

    [Fact]
    public Task Another_type_named_html_encoder_in_scope_gets_the_qualified_name() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Html;

        namespace Shop
        {
            public static class HtmlEncoder { }

            public static class Markup
            {
                public static IHtmlContent A(string bio) => [|new HtmlString(bio)|];
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Html;

        namespace Shop
        {
            public static class HtmlEncoder { }

            public static class Markup
            {
                public static IHtmlContent A(string bio) => new HtmlString(global::System.Text.Encodings.Web.HtmlEncoder.Default.Encode(bio));
            }
        }
        """);

    // ---- Reported, no fix offered ------------------------------------------------------------------------

    [Fact]
    public Task Format_or_alignment_in_the_hole_and_unknown_builders_report_no_fix() => NoFix(
        """
        public sealed class Label : IFormattable
        {
            public string ToString(string? format, IFormatProvider? provider) => "";
        }

        public static class Markup
        {
            public static void Run(Label label, string name, StringBuilder shared)
            {
                var a = [|new HtmlString($"<p>{label:G}</p>")|];
                var b = [|new HtmlString($"<p>{name,20}</p>")|];
                var c = [|new HtmlString(string.Format("<p>{0:G}</p>", label))|];
                var d = [|new HtmlString(shared.ToString())|];
                var e = [|new HtmlString($"<p>{label}</p>")|];
            }
        }
        """);

    [Fact]
    public Task Dynamic_value_report_no_fix() => NoFix(
        """
        public sealed class HomeController : Controller
        {
            public IHtmlContent Message(IHtmlHelper html) => [|html.Raw(ViewBag.Message)|];
        }
        """);

    [Fact]
    public Task Values_of_a_type_parameter_or_array_report_no_fix() => NoFix(
        """
        public static class Markup
        {
            public static HtmlString Run<T>(T value, char[] letters)
                => [|new HtmlString("<p>" + value + "</p>")|];

            public static HtmlString Letters(char[] letters, StringBuilder builder)
            {
                builder.Append("<p>").Append(letters).Append("</p>");
                return [|new HtmlString(builder.ToString())|];
            }
        }
        """);

    // ---- Fix All ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Fix_all_in_two_documents_adds_each_using_once_and_shared_holes_once()
    {
        const string First = """
            using Microsoft.AspNetCore.Html;
            using Microsoft.AspNetCore.Http;

            public static class A
            {
                public static IResult Page(string name)
                {
                    var html = $"<p>{name}</p>";
                    var card = [|new HtmlString(html)|];
                    return [|Results.Content(html, "text/html")|];
                }
            }
            """;
        const string Second = """
            using Microsoft.AspNetCore.Mvc.Rendering;

            public static class B
            {
                public static object One(IHtmlHelper html, string bio) => [|html.Raw(bio)|];
                public static object Two(IHtmlHelper html, string bio) => [|html.Raw(bio + "!")|];
            }
            """;
        var test = new Verify.Test
        {
            TestState = { Sources = { First, Second } },
            FixedState =
            {
                Sources =
                {
                    """
                    using System.Text.Encodings.Web;
                    using Microsoft.AspNetCore.Html;
                    using Microsoft.AspNetCore.Http;

                    public static class A
                    {
                        public static IResult Page(string name)
                        {
                            var html = $"<p>{HtmlEncoder.Default.Encode(name)}</p>";
                            var card = new HtmlString(html);
                            return Results.Content(html, "text/html");
                        }
                    }
                    """,
                    """
                    using System.Text.Encodings.Web;
                    using Microsoft.AspNetCore.Mvc.Rendering;

                    public static class B
                    {
                        public static object One(IHtmlHelper html, string bio) => html.Raw(HtmlEncoder.Default.Encode(bio));
                        public static object Two(IHtmlHelper html, string bio) => html.Raw(HtmlEncoder.Default.Encode(bio) + "!");
                    }
                    """,
                },
            },
        };
        await test.RunAsync();
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        var source = Usings + """
            public static class Markup
            {
                public static HtmlString Aligned(string name) => new HtmlString($"<p>{name,20}</p>");
                public static HtmlString Plain(string name) => new HtmlString($"<p>{name}</p>");
                public static IResult Page(string q) => Results.Content("<h1>" + q + "</h1>", "text/html");
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new UnencodedHtmlAnalyzer(), new UnencodedHtmlFixer(), scope);

        Assert.Contains("new HtmlString($\"<p>{name,20}</p>\")", fixedSource);
        Assert.Contains("new HtmlString($\"<p>{HtmlEncoder.Default.Encode(name)}</p>\")", fixedSource);
        Assert.Contains("Results.Content(\"<h1>\" + HtmlEncoder.Default.Encode(q) + \"</h1>\", \"text/html\")", fixedSource);
    }
}
