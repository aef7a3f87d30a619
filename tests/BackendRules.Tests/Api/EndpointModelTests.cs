using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace BackendRules.Tests.Api;

/// <summary>The endpoint model behind BR0004 and BR0005, called directly on compiled snippets.</summary>
public sealed class EndpointModelTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;

        public sealed class User { public int Id { get; set; } }

        """;

    private static (CSharpCompilation Compilation, EndpointModel Model) Compile(string source, bool aspNetCore = true)
    {
        var references = aspNetCore ? TestReferences.All : TestReferences.All.Where(r => r.Display is { } d && !d.Contains("Microsoft.AspNetCore")).ToImmutableArray();
        var compilation = CSharpCompilation.Create(
            "Subject",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12)) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(aspNetCore == false || errors.Count == 0, string.Join("\n", errors));
        var model = EndpointModel.Create(compilation);
        return (compilation, model!);
    }

    private static ImmutableArray<Endpoint> Controller(string source, string name)
    {
        var (compilation, model) = Compile(Usings + source);
        return model.GetControllerEndpoints(compilation.GetTypeByMetadataName(name)!, CancellationToken.None);
    }

    private static ImmutableArray<Endpoint> Minimal(string body)
    {
        var (compilation, model) = Compile(Usings + "public static class Api { public static void Map(WebApplication app) {\n" + body + "\n} }");
        var tree = compilation.SyntaxTrees.Single();
        var semantic = compilation.GetSemanticModel(tree);
        var result = ImmutableArray.CreateBuilder<Endpoint>();
        foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (semantic.GetOperation(invocation) is IInvocationOperation operation && model.TryGetMinimalEndpoint(operation, out var endpoint))
            {
                result.Add(endpoint!);
            }
        }

        return result.ToImmutable();
    }

    private static string Shape(Endpoint endpoint) => string.Join(",", endpoint.HttpMethods) + " " + endpoint.Template;

    [Fact]
    public void Controller_route_combines_with_action_templates_and_recognises_tokens()
    {
        var endpoints = Controller("""
            [ApiController]
            [Route("api/[controller]")]
            public sealed class UsersController : ControllerBase
            {
                [HttpGet("{id:int}")]
                public async Task<ActionResult<List<User>>> Get(int id) => await Task.FromResult(new List<User>());

                [HttpPost]
                public IActionResult Create(User user) => Ok();
            }
            """, "UsersController");

        Assert.Equal(new[] { "GET api/[controller]/{id:int}", "POST api/[controller]" }, endpoints.Select(Shape));
        var get = endpoints[0];
        Assert.Equal(EndpointKind.ControllerAction, get.Kind);
        Assert.Equal(new[] { RouteSegmentKind.Literal, RouteSegmentKind.Token, RouteSegmentKind.Parameter }, get.Segments.Select(s => s.Kind));
        Assert.Equal(new[] { RouteSegmentOrigin.Prefix, RouteSegmentOrigin.Prefix, RouteSegmentOrigin.Endpoint }, get.Segments.Select(s => s.Origin));
        Assert.Equal("List<User>", get.ResponseType!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
        Assert.Equal("Get", get.HandlerMethod!.Name);
        Assert.Equal("id", Assert.Single(get.Parameters).Name);
        Assert.Null(endpoints[1].ResponseType);
        Assert.Contains("HttpPost", endpoints[1].MethodLocation.SourceTree!.GetText().ToString(endpoints[1].MethodLocation.SourceSpan));
    }

    [Fact]
    public void Segment_locations_are_exact_inside_plain_and_verbatim_literals_and_whole_for_escaped_ones()
    {
        var endpoints = Controller("""
            [Route("api/getStuff")]
            public sealed class StuffController : ControllerBase
            {
                [HttpGet(@"fetchUser/{id}")]
                public User One(int id) => new User();

                [HttpGet("\u0067etAll")]
                public User[] All() => new User[0];
            }
            """, "StuffController");

        string Text(RouteSegment segment) => segment.Location!.SourceTree!.GetText().ToString(segment.Location.SourceSpan);
        var one = endpoints[0];
        Assert.Equal(new[] { "api", "getStuff", "fetchUser", "{id}" }, one.Segments.Select(Text));
        Assert.All(one.Segments, s => Assert.True(s.HasExactLocation));
        var escaped = endpoints[1].Segments.Last();
        Assert.Equal("getAll", escaped.Text);
        Assert.False(escaped.HasExactLocation);
        Assert.Equal("\"\\u0067etAll\"", Text(escaped));
    }

    [Fact]
    public void Tilde_or_slash_overrides_the_controller_route_and_several_controller_routes_multiply()
    {
        var endpoints = Controller("""
            [Route("api/users")]
            [Route("v2/users")]
            public sealed class UsersController : ControllerBase
            {
                [HttpGet("~/health")]
                public string Health() => "ok";

                [HttpDelete("/reset")]
                public void Reset() { }

                [HttpGet("{id}")]
                public User One(int id) => new User();
            }
            """, "UsersController");

        Assert.Equal(new[] { "GET health", "DELETE reset", "GET api/users/{id}", "GET v2/users/{id}" }, endpoints.Select(Shape));
    }

    // ServesGet answers from attributes what the built endpoints say: compare the two on every combination MVC allows.
    [Fact]
    public void Serves_get_agrees_with_the_built_endpoints()
    {
        var attributes = new[]
        {
            "", "[HttpGet]", "[HttpPost]", "[HttpGet(\"g\")]", "[HttpPost(\"p\")]", "[Route(\"r\")]", "[AcceptVerbs(\"GET\", \"HEAD\")]",
            "[AcceptVerbs(\"PUT\")]", "[AcceptVerbs]", "[AcceptVerbs(\"PATCH\", Route = \"a\")]", "[HttpDelete]",
        };
        var actions = new System.Text.StringBuilder();
        var count = 0;
        foreach (var first in attributes)
        {
            foreach (var second in attributes)
            {
                foreach (var third in new[] { "", "[HttpPut]", "[Route(\"x\")]" })
                {
                    actions.AppendLine($"    {first} {second} {third} public int A{count++}() => 0;");
                }
            }
        }

        var (compilation, model) = Compile(Usings + "[ApiController] [Route(\"api/things\")] public sealed class ThingsController : ControllerBase\n{\n" + actions + "}");
        var controller = compilation.GetTypeByMetadataName("ThingsController")!;
        var checkedActions = 0;
        foreach (var action in controller.GetMembers().OfType<IMethodSymbol>().Where(m => m.Name.StartsWith("A", System.StringComparison.Ordinal)))
        {
            var built = model.GetActionEndpoints(action, CancellationToken.None).Any(e => e.HttpMethods.IsEmpty || e.HttpMethods.Contains("GET"));
            Assert.True(built == model.ServesGet(action), action.Name + ": " + string.Join(" ", action.GetAttributes().Select(a => a.AttributeClass?.Name)));
            checkedActions++;
        }

        Assert.Equal(count, checkedActions);
    }

    [Fact]
    public void Accept_verbs_route_attributes_and_silent_method_attributes_form_selectors_like_mvc()
    {
        var endpoints = Controller("""
            [ApiController]
            public sealed class ThingsController : ControllerBase
            {
                [AcceptVerbs("GET", "head", Route = "things")]
                public string[] List() => new string[0];

                [Route("things/{id}")]
                [HttpPut]
                public void Replace(int id) { }

                [HttpGet]
                [HttpPost("things/search")]
                public string[] Search() => new string[0];
            }
            """, "ThingsController");

        Assert.Equal(new[] { "GET,HEAD things", "PUT things/{id}", "POST things/search", "GET " }, endpoints.Select(Shape));
    }

    [Fact]
    public void Area_tokens_and_every_method_attribute_are_understood()
    {
        var endpoints = Controller("""
            [Area("admin")]
            [Route("[area]/[controller]")]
            public sealed class ReportsController : ControllerBase
            {
                [HttpPatch("{id}")] public void A(int id) { }
                [HttpHead] public void B() { }
                [HttpOptions("x")] public void C() { }
                [Route("all"), Route("everything")] public string[] D() => new string[0];
            }
            """, "ReportsController");

        Assert.Equal(
            new[] { "PATCH [area]/[controller]/{id}", "HEAD [area]/[controller]", "OPTIONS [area]/[controller]/x", " [area]/[controller]/all", " [area]/[controller]/everything" },
            endpoints.Select(Shape));
        Assert.All(endpoints, e => Assert.Equal(RouteSegmentKind.Token, e.Segments[0].Kind));
        Assert.True(endpoints[3].HttpMethods.IsEmpty);
    }

    [Fact]
    public void Controllers_with_views_are_told_apart_from_api_controllers()
    {
        var (compilation, model) = Compile(Usings + """
            public sealed class PagesController : Controller { public IActionResult Index() => View(); }
            [ApiController] public sealed class JsonController : Controller { [HttpGet("j")] public string Get() => ""; }
            [ApiController] public sealed class PlainController : ControllerBase { [HttpGet("p")] public string Get() => ""; }
            """);
        Assert.True(model.IsViewController(compilation.GetTypeByMetadataName("PagesController")!));
        Assert.False(model.IsViewController(compilation.GetTypeByMetadataName("JsonController")!));
        Assert.False(model.IsViewController(compilation.GetTypeByMetadataName("PlainController")!));
        Assert.True(model.IsController(compilation.GetTypeByMetadataName("PagesController")!));
    }

    [Fact]
    public void A_view_call_far_into_a_long_controller_is_seen_wherever_the_text_is_cut()
    {
        // The text is read in chunks of 4096 characters: padding of every length around that puts the call across a cut.
        for (var padding = 4070; padding <= 4110; padding++)
        {
            var (compilation, model) = Compile(Usings + "public sealed class PagesController : Controller\n{\n    // "
                + new string('x', padding) + "\n    public IActionResult Index() => RedirectToAction(\"Home\");\n}\n");
            Assert.True(model.IsViewController(compilation.GetTypeByMetadataName("PagesController")!), $"padding {padding}");
        }

        var (plain, plainModel) = Compile(Usings + "public sealed class RowsController : Controller\n{\n    // " + new string('x', 5000)
            + "\n    public string Overview() => \"ViewCount\";\n}\n");
        Assert.False(plainModel.IsViewController(plain.GetTypeByMetadataName("RowsController")!));
    }

    [Fact]
    public void Only_public_instance_actions_of_real_controllers_count()
    {
        var (compilation, model) = Compile(Usings + """
            [Route("a")]
            public class AController : ControllerBase
            {
                [HttpGet("x")] public string X() => "";
                [NonAction] public string Helper() => "";
                [HttpGet("y")] public static string Y() => "";
                [HttpGet("z")] internal string Z() => "";
                [HttpGet("g")] public string G<T>() => "";
            }

            [ApiController, Route("poco")]
            public sealed class Poco { [HttpGet] public string Get() => ""; }

            [NonController]
            public sealed class HiddenController : ControllerBase { [HttpGet("h")] public string H() => ""; }

            public sealed class NotAController { [HttpGet("n")] public string N() => ""; }

            public abstract class BaseController : ControllerBase { [HttpGet("b")] public string B() => ""; }

            [Route("derived")]
            public sealed class DerivedController : BaseController { }
            """);

        ImmutableArray<Endpoint> Of(string name) => model.GetControllerEndpoints(compilation.GetTypeByMetadataName(name)!, CancellationToken.None);
        Assert.Equal(new[] { "GET a/x" }, Of("AController").Select(Shape));
        Assert.Equal(new[] { "GET poco" }, Of("Poco").Select(Shape));
        Assert.Empty(Of("HiddenController"));
        Assert.Empty(Of("NotAController"));
        Assert.Empty(Of("BaseController"));
        Assert.Equal(new[] { "GET derived/b" }, Of("DerivedController").Select(Shape));
        var helper = compilation.GetTypeByMetadataName("AController")!.GetMembers("Helper").OfType<IMethodSymbol>().Single();
        Assert.Empty(model.GetActionEndpoints(helper, CancellationToken.None));
        var x = compilation.GetTypeByMetadataName("AController")!.GetMembers("X").OfType<IMethodSymbol>().Single();
        Assert.Equal("GET a/x", Shape(Assert.Single(model.GetActionEndpoints(x, CancellationToken.None))));
    }

    [Fact]
    public void Controllers_are_told_apart_by_base_and_attribute_names()
    {
        var (compilation, model) = Compile(Usings + """
            [System.AttributeUsage(System.AttributeTargets.Class, Inherited = true)]
            public sealed class ShopControllerAttribute : ControllerAttribute { }

            [ShopController, Route("stock")]
            public sealed class Stock { [HttpGet] public string Get() => ""; }

            [ShopController]
            public abstract class ShopBase { }

            [Route("shelves")]
            public sealed class Shelves : ShopBase { [HttpGet] public string Get() => ""; }

            [System.Serializable, Route("ledger")]
            public sealed class Ledger { [HttpGet] public string Get() => ""; }

            public class Plain { }

            [Route("derived-plain")]
            public sealed class DerivedPlain : Plain { [HttpGet] public string Get() => ""; }
            """);

        bool IsController(string name) => model.IsController(compilation.GetTypeByMetadataName(name)!);
        Assert.True(IsController("Stock"));
        Assert.True(IsController("Shelves"));
        Assert.False(IsController("Ledger"));
        Assert.False(IsController("DerivedPlain"));
    }

    [Fact]
    public void Action_and_controller_names_follow_mvc()
    {
        var (compilation, model) = Compile(Usings + """
            public sealed class OrdersController : ControllerBase
            {
                public Task<string> GetOrderAsync() => Task.FromResult("");
                [ActionName("list-all")] public string Everything() => "";
            }
            """);
        var type = compilation.GetTypeByMetadataName("OrdersController")!;
        Assert.Equal("Orders", EndpointModel.GetControllerName(type));
        Assert.Equal("GetOrder", model.GetActionName(type.GetMembers("GetOrderAsync").OfType<IMethodSymbol>().Single()));
        Assert.Equal("list-all", model.GetActionName(type.GetMembers("Everything").OfType<IMethodSymbol>().Single()));
    }

    [Fact]
    public void Minimal_api_groups_are_followed_through_locals_chains_and_conventions()
    {
        var endpoints = Minimal("""
            var api = app.MapGroup("/api");
            var users = api.MapGroup("users").WithTags("Users").RequireAuthorization();
            users.MapGet("/{id}", (int id) => TypedResults.Ok(new User()));
            app.MapGroup("/v1").MapGroup("orders").MapPost("/", async (User user) => { await Task.Yield(); return Results.Ok(); });
            app.MapDelete("getUser/{id}", (int id) => Results.NoContent());
            app.MapMethods("/things", new[] { "GET", "head" }, () => new List<User>());
            """);

        Assert.Equal(new[] { "GET api/users/{id}", "POST v1/orders", "DELETE getUser/{id}", "GET,HEAD things" }, endpoints.Select(Shape));
        Assert.All(endpoints, e => Assert.Equal(EndpointKind.MinimalApi, e.Kind));
        Assert.Equal("User", endpoints[0].ResponseType!.Name);
        Assert.NotNull(endpoints[0].HandlerLambda);
        Assert.Equal("id", Assert.Single(endpoints[0].Parameters).Name);
        Assert.Equal(new[] { RouteSegmentOrigin.Prefix, RouteSegmentOrigin.Prefix, RouteSegmentOrigin.Endpoint }, endpoints[0].Segments.Select(s => s.Origin));
        Assert.Null(endpoints[1].ResponseType);
        Assert.Equal("List<User>", endpoints[3].ResponseType!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
        Assert.Equal("MapDelete", endpoints[2].MethodLocation.SourceTree!.GetText().ToString(endpoints[2].MethodLocation.SourceSpan));
        var segment = endpoints[2].Segments[0];
        Assert.Equal("getUser", segment.Location!.SourceTree!.GetText().ToString(segment.Location.SourceSpan));
        Assert.IsAssignableFrom<ILiteralOperation>(segment.Literal);
    }

    [Fact]
    public void A_pattern_that_is_not_a_constant_still_declares_an_endpoint()
    {
        var endpoints = Minimal("""
            var route = "/items/" + app.Environment.EnvironmentName;
            app.MapGroup("/api").MapGet(route, () => new List<User>());
            """);

        var endpoint = Assert.Single(endpoints);
        Assert.Equal("GET api", Shape(endpoint));
        Assert.Equal("List`1", endpoint.ResponseType!.MetadataName);
    }

    [Fact]
    public void A_reassigned_group_local_is_not_followed()
    {
        var endpoints = Minimal("""
            var group = app.MapGroup("/a");
            if (app.Environment.EnvironmentName == "x") group = app.MapGroup("/b");
            group.MapGet("/items", () => new User[0]);
            """);

        Assert.Equal("GET items", Shape(Assert.Single(endpoints)));
    }

    [Fact]
    public void Method_group_handlers_give_their_method_parameters_and_response()
    {
        var (compilation, model) = Compile(Usings + """
            public static class Api
            {
                public static void Map(IEndpointRouteBuilder routes)
                {
                    var g = routes.MapGroup("/users");
                    g.MapGet("/", All);
                    g.MapGet("/{id}", One);
                    routes.MapGet("/other", All);
                }

                private static async ValueTask<Results<NotFound, Ok<IEnumerable<User>>>> All(int page) { await Task.Yield(); return TypedResults.Ok<IEnumerable<User>>(new User[0]); }
                private static User One(int id) => new User();
            }
            """);
        var tree = compilation.SyntaxTrees.Single();
        var semantic = compilation.GetSemanticModel(tree);
        var calls = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Select(i => semantic.GetOperation(i)).OfType<IInvocationOperation>().Where(i => i.TargetMethod.Name == "MapGet").ToList();
        Assert.True(model.TryGetMinimalEndpoint(calls[0], out var all));
        Assert.Equal("GET users", Shape(all!));
        Assert.Equal("All", all!.HandlerMethod!.Name);
        Assert.Null(all.HandlerLambda);
        Assert.Equal("page", Assert.Single(all.Parameters).Name);
        Assert.Equal("IEnumerable<User>", all.ResponseType!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));

        Assert.Equal(new[] { "GET users", "GET users/{id}" }, model.GetSiblingMinimalEndpoints(calls[1], CancellationToken.None).Select(Shape));
        Assert.Equal(new[] { "GET other" }, model.GetSiblingMinimalEndpoints(calls[2], CancellationToken.None).Select(Shape));
        Assert.Equal(3, model.GetMinimalEndpointsInBody(calls[0], CancellationToken.None).Length);
        var group = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Select(i => semantic.GetOperation(i)).OfType<IInvocationOperation>().Single(i => i.TargetMethod.Name == "MapGroup");
        Assert.Equal("users", Assert.Single(model.GetGroupSegments(group)).Text);
        Assert.False(model.TryGetMinimalEndpoint(group, out _));
    }

    [Fact]
    public void Response_types_unwrap_tasks_and_result_wrappers_but_not_collections()
    {
        var (compilation, model) = Compile(Usings + """
            public static class Shapes
            {
                public static Task<ActionResult<List<User>>> A() => null!;
                public static ValueTask<IEnumerable<User>> B() => default;
                public static Results<NotFound, Created<User>> C() => null!;
                public static Task<IActionResult> D() => null!;
                public static IResult E() => null!;
                public static Task F() => null!;
                public static void G() { }
                public static Ok<User[]> H() => null!;
            }
            """);
        var type = compilation.GetTypeByMetadataName("Shapes")!;
        string? Unwrapped(string name) => model.UnwrapResponse(type.GetMembers(name).OfType<IMethodSymbol>().Single().ReturnType)?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        Assert.Equal("List<User>", Unwrapped("A"));
        Assert.Equal("IEnumerable<User>", Unwrapped("B"));
        Assert.Equal("User", Unwrapped("C"));
        Assert.Null(Unwrapped("D"));
        Assert.Null(Unwrapped("E"));
        Assert.Null(Unwrapped("F"));
        Assert.Null(Unwrapped("G"));
        Assert.Equal("User[]", Unwrapped("H"));
    }

    [Fact]
    public void No_model_without_aspnetcore()
    {
        var (compilation, _) = Compile("public sealed class UsersController { }", aspNetCore: false);
        Assert.Null(EndpointModel.Create(compilation));
    }
}
