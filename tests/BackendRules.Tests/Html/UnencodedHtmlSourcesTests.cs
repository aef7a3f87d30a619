using System.Threading.Tasks;
using BackendRules.Html;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Html.UnencodedHtmlAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace BackendRules.Tests.Html;

/// <summary>
/// Where BR0006 follows a value to decide whether it can carry markup: helpers of the same compilation, HTML the
/// framework rendered, producers whose text has no markup characters, URLs the routing system generated, and the
/// writes that can still reach a local where it is read.
/// </summary>
public sealed class UnencodedHtmlSourcesTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Text;
        using System.Text.Encodings.Web;
        using System.Text.RegularExpressions;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Html;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Rendering;
        using Microsoft.AspNetCore.Razor.TagHelpers;
        using Microsoft.AspNetCore.Routing;

        public sealed class Recipe
        {
            public string Title { get; set; } = "";
            public string Story { get; set; } = "";
            public int Servings { get; set; }
            public byte[] Photo { get; set; } = Array.Empty<byte>();
            public bool Vegan { get; set; }
            public string Badge => Vegan ? "<b>vegan</b>" : "<i>classic</i>";
            public string Caption => "<em>" + Title + "</em>";
        }

        """;

    private static Task Check(string body, params DiagnosticResult[] expected)
        => Verify.VerifyAnalyzerAsync(Usings + body, expected);

    // ---- Helpers of the same compilation ----------------------------------------------------------------

    [Fact]
    public Task Helpers_returning_encoded_or_constant_built_text_no_report() => Check(
        """
        public static class Cards
        {
            public static IHtmlContent Title(IHtmlHelper html, Recipe recipe) => html.Raw(Heading(recipe.Title));

            public static IHtmlContent Age(IHtmlHelper html, DateTimeOffset baked) => new HtmlString($"<small title=\"{baked:o}\">{Ago(baked)}</small>");

            public static IHtmlContent Badge(IHtmlHelper html, Recipe recipe) => html.Raw(recipe.Badge);

            private static string Heading(string text) => "<h2>" + HtmlEncoder.Default.Encode(text) + "</h2>";

            private static string Ago(DateTimeOffset when) => Span(DateTimeOffset.UtcNow - when);

            private static string Span(TimeSpan span) => span.TotalHours < 1 ? $"{(int)span.TotalMinutes} minute{Plural((int)span.TotalMinutes)} ago" : $"{(int)span.TotalHours} hours ago";

            private static string Plural(int count)
            {
                if (count == 1)
                {
                    return string.Empty;
                }

                return "s";
            }
        }
        """);

    [Fact]
    public Task Helper_wrapping_its_parameter_is_judged_by_the_argument() => Check(
        """
        public static class Cards
        {
            public static void Render(IHtmlHelper html, Recipe recipe, TagBuilder tag)
            {
                html.Raw(Paragraph(HtmlEncoder.Default.Encode(recipe.Story)));
                html.Raw(Paragraph(Paragraph("<hr/>")));
                tag.InnerHtml.AppendHtml(Paragraph(recipe.Servings.ToString()));
                html.Raw(Framed(HtmlEncoder.Default.Encode(recipe.Title)));
                {|#0:html.Raw(Paragraph({|#1:recipe.Story|}))|};
                {|#2:html.Raw(Framed({|#3:recipe.Title|}))|};
            }

            private static string Paragraph(string inner) => "<p>" + inner + "</p>";

            private static string Framed(string? inner) => "<div>" + (inner ?? "").Trim() + "</div>";
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("recipe.Story"),
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(2).WithLocation(3).WithArguments("recipe.Title"));

    [Fact]
    public Task Helpers_returning_user_text_report_the_call() => Check(
        """
        public class Cards
        {
            public static void Render(IHtmlHelper html, Recipe recipe, Cards cards)
            {
                {|#0:html.Raw({|#1:Label(recipe)|})|};
                {|#2:html.Raw({|#3:cards.Banner()|})|};
                {|#4:html.Raw({|#5:recipe.Caption|})|};
                {|#6:html.Raw({|#7:Overwritten("<br/>", recipe)|})|};
            }

            private static string Label(Recipe recipe) => "<i>" + recipe.Title + "</i>";

            // A subclass may return anything.
            protected virtual string Banner() => "<hr/>";

            private static string Overwritten(string markup, Recipe recipe)
            {
                markup = recipe.Story;
                return markup;
            }
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("Label(recipe)"),
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(2).WithLocation(3).WithArguments("cards.Banner()"),
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(4).WithLocation(5).WithArguments("recipe.Caption"),
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(6).WithLocation(7).WithArguments("Overwritten(\"<br/>\", recipe)"));

    [Fact]
    public Task Helpers_that_yield_call_themselves_or_nest_too_deep_report() => Check(
        """
        public static class Cards
        {
            public static void Render(IHtmlHelper html, Recipe recipe)
            {
                [|html.Raw(string.Join("", Items(recipe)))|];
                [|html.Raw(Nested(3))|];
                [|html.Raw(Level1())|];
                html.Raw(Level2());
            }

            private static IEnumerable<string> Items(Recipe recipe)
            {
                yield return "<li>" + recipe.Title + "</li>";
            }

            // Helpers that call each other in a cycle are not looked into.
            private static string Nested(int depth) => depth == 0 ? "" : "<div>" + Nested(depth - 1) + "</div>";

            // Five helpers down is as far as the rule looks.
            private static string Level1() => Level2();
            private static string Level2() => Level3();
            private static string Level3() => Level4();
            private static string Level4() => Level5();
            private static string Level5() => Level6();
            private static string Level6() => "<br/>";
        }
        """);

    [Fact]
    public async Task Helper_declared_in_another_file_no_report()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Cards.cs", Usings + """
            public static class Cards
            {
                public static IHtmlContent Title(IHtmlHelper html, Recipe recipe) => html.Raw(Markup.Strong(recipe.Title));

                public static IHtmlContent Story(IHtmlHelper html, Recipe recipe) => {|#0:html.Raw(Markup.Loud({|#1:recipe.Story|}))|};
            }
            """));
        test.TestState.Sources.Add(("Markup.cs", """
            public static class Markup
            {
                public static string Strong(string text) => "<strong>" + System.Net.WebUtility.HtmlEncode(text) + "</strong>";

                public static string Loud(string text) => "<strong>" + text + "</strong>";
            }
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("recipe.Story"));
        await test.RunAsync();
    }

    [Fact]
    public Task Encoded_note_passed_through_a_helper_that_adds_generated_links_no_report() => Check(
        """
        public sealed class OrdersController : Controller
        {
            private static readonly Regex TicketPattern = new(@"\[ticket:(\w+)\]");
            private readonly LinkGenerator _links;

            public OrdersController(LinkGenerator links) => _links = links;

            public IActionResult Notes(IEnumerable<string> notes)
            {
                var rows = new List<IHtmlContent>();
                foreach (var note in notes)
                {
                    var text = HtmlEncoder.Default.Encode(note);
                    text = LinkTickets(text);
                    rows.Add(new HtmlString(text));
                }

                return View(rows);
            }

            public IActionResult RawNotes(IEnumerable<string> notes)
            {
                var rows = new List<IHtmlContent>();
                foreach (var note in notes)
                {
                    var text = note;
                    text = LinkTickets(text);
                    rows.Add({|#0:new HtmlString({|#1:text|})|});
                }

                return View(rows);
            }

            private string LinkTickets(string text)
            {
                var match = TicketPattern.Match(text);
                if (!match.Success)
                {
                    return text;
                }

                var url = _links.TicketUrl(match.Groups[1].Value);
                return TicketPattern.Replace(text, $"<a href=\"{url}\">$1</a>");
            }
        }

        public static class TicketLinks
        {
            public static string TicketUrl(this LinkGenerator links, string id, Microsoft.AspNetCore.Http.FragmentString fragment = default)
                => links.GetPathByAction("Show", "Tickets", new { id }, fragment: fragment) ?? throw new InvalidOperationException("no route");
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("text"));

    // ---- HTML the framework rendered --------------------------------------------------------------------

    [Fact]
    public Task Tag_helper_content_and_rendered_html_no_report() => Check(
        """
        public sealed class FoldTagHelper : TagHelper
        {
            public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
            {
                var inner = await output.GetChildContentAsync();
                var html = Regex.Replace(inner.GetContent(), "<button.*?</button>", "");
                output.Content.SetHtmlContent($"<details>{html}</details>");
                output.PostContent.SetHtmlContent(output.Content.GetContent(HtmlEncoder.Default));
            }
        }

        public static class Snippets
        {
            public static IHtmlContent Boxed(IHtmlHelper html, IHtmlContent fragment)
            {
                using var writer = new StringWriter();
                fragment.WriteTo(writer, HtmlEncoder.Default);
                return html.Raw("<div class=\"box\">" + writer.ToString() + "</div>");
            }
        }
        """);

    [Fact]
    public Task Writer_or_regex_holding_user_text_report() => Check(
        """
        public static class Snippets
        {
            public static IHtmlContent Boxed(IHtmlHelper html, IHtmlContent fragment, Recipe recipe)
            {
                var writer = new StringWriter();
                fragment.WriteTo(writer, HtmlEncoder.Default);
                writer.Write(recipe.Title);
                return {|#0:html.Raw({|#1:writer.ToString()|})|};
            }

            public static IHtmlContent Shout(IHtmlHelper html, Recipe recipe)
                => {|#2:html.Raw({|#3:Regex.Replace(recipe.Story, "!", "<b>!</b>")|})|};

            public static IHtmlContent Framed(IHtmlHelper html, Recipe recipe)
                => {|#4:html.Raw({|#5:new Regex("x").Replace("<i>x</i>", recipe.Title)|})|};
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("writer.ToString()"),
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(2).WithLocation(3).WithArguments("Regex.Replace(recipe.Story, \"!\", \"<b>!</b>\")"),
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(4).WithLocation(5).WithArguments("new Regex(\"x\").Replace(\"<i>x</i>\", recipe.Title)"));

    [Fact]
    public Task Script_element_written_by_a_tag_helper_is_not_judged_as_html() => Check(
        """
        [HtmlTargetElement("page-data")]
        public sealed class PageDataTagHelper : TagHelper
        {
            public string Name { get; set; } = "pageData";

            public override void Process(TagHelperContext context, TagHelperOutput output)
            {
                output.TagName = "script";
                output.Content.SetHtmlContent($"var {Name} = {{}};");
            }
        }

        [HtmlTargetElement("note-box")]
        public sealed class NoteBoxTagHelper : TagHelper
        {
            public string Text { get; set; } = "";

            public override void Process(TagHelperContext context, TagHelperOutput output)
            {
                output.TagName = "div";
                [|output.Content.SetHtmlContent($"<p>{Text}</p>")|];
                output.PostContent.SetHtmlContent($"<script>var note = '{JavaScriptEncoder.Default.Encode(Text)}';</script>");
                [|output.PostElement.SetHtmlContent($"<script>var note = '{JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(Text)}';</script>")|];
            }
        }
        """);

    // ---- Text that cannot hold markup -------------------------------------------------------------------

    [Fact]
    public Task Base64_hex_and_number_text_no_report() => Check(
        """
        public static class Images
        {
            public static void Render(IHtmlHelper html, Recipe recipe, object boxedCount)
            {
                var data = Convert.ToBase64String(recipe.Photo);
                html.Raw($"<img src=\"data:image/png;base64,{data}\" />");
                html.Raw("<code>" + Convert.ToHexString(recipe.Photo) + BitConverter.ToString(recipe.Photo) + "</code>");
                html.Raw($"<a id=\"r{Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(recipe.Photo)}\">{Convert.ToString(recipe.Servings)}</a>");
                html.Raw($"<b>{recipe.Servings:x}</b>");
                [|html.Raw(Convert.ToString(boxedCount))|];
            }
        }
        """);

    // ---- URLs the routing system generated --------------------------------------------------------------

    [Fact]
    public Task Generated_urls_no_report_but_raw_hosts_and_content_paths_do() => Check(
        """
        public sealed class RecipesController : Controller
        {
            private readonly LinkGenerator _links;

            public RecipesController(LinkGenerator links) => _links = links;

            public IActionResult Card(string slug, string host, string path)
            {
                var link = _links.GetPathByAction("Show", "Recipes", new { slug });
                var html = new HtmlString($"<a href=\"{link}\">{HtmlEncoder.Default.Encode(slug)}</a> <a href=\"{Url.Action("Show", new { slug })}\">again</a>");
                var other = {|#0:new HtmlString($"<a href=\"{{|#1:Url.Action("Show", "Recipes", new { slug }, "https", host)|}}\">there</a>")|};
                var image = {|#2:new HtmlString($"<img src=\"{{|#3:Url.Content(path)|}}\" />")|};
                return Content(html.Value + other.Value + image.Value, "text/plain");
            }
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("Url.Action(\"Show\", \"Recipes\", new { slug }, \"https\", host)"),
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(2).WithLocation(3).WithArguments("Url.Content(path)"));

    // ---- Writes that reach the read ---------------------------------------------------------------------

    [Fact]
    public Task Local_reassigned_with_safe_text_before_the_read_no_report() => Check(
        """
        public static class Cards
        {
            public static void Render(IHtmlHelper html, Recipe recipe, TagBuilder tag, object attribute)
            {
                var story = recipe.Story;
                story = HtmlEncoder.Default.Encode(story);
                html.Raw($"<p>{story}</p>");

                if (attribute is string text)
                {
                    tag.Attributes["title"] = text;
                }
                else
                {
                    if (attribute is HtmlString markup)
                    {
                        text = markup.Value ?? "";
                    }
                    else
                    {
                        text = "<i>none</i>";
                    }

                    tag.InnerHtml.AppendHtml(text);
                }
            }
        }
        """);

    [Fact]
    public Task Local_reassigned_on_one_path_only_or_later_report() => Check(
        """
        public static class Cards
        {
            public static void Render(IHtmlHelper html, Recipe recipe, bool encode)
            {
                var story = recipe.Story;
                if (encode)
                {
                    story = HtmlEncoder.Default.Encode(story);
                }

                {|#0:html.Raw({|#1:story|})|};

                var title = HtmlEncoder.Default.Encode(recipe.Title);
                title = recipe.Title.ToUpperInvariant();
                {|#2:html.Raw({|#3:title|})|};
            }
        }
        """,
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("story"),
        Verify.Diagnostic(UnencodedHtmlAnalyzer.Rule).WithLocation(2).WithLocation(3).WithArguments("title"));

    // ---- Code that does not compile ---------------------------------------------------------------------

    [Fact]
    public Task Calls_the_compiler_rejects_no_report() => Check(
        """
        public static class Cards
        {
            public static IHtmlContent Render(IHtmlHelper html, Recipe recipe)
                => html.Raw({|CS0103:Missing|}.Clean(recipe.Story) ?? throw new InvalidOperationException());
        }
        """);
}
