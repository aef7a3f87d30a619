using System.Linq;
using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Api.VerbInRouteAnalyzer, BackendRules.Api.VerbInRouteFixer>;

namespace BackendRules.Tests.Api;

/// <summary>BR0004: verbs in route templates, for controllers and minimal APIs; the fix and its declines.</summary>
public sealed class VerbInRouteTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;

        public sealed class User { public int Id { get; set; } public string Name { get; set; } = ""; }

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    /// <summary>A fix where some diagnostics stay (marked up in <paramref name="fixedBody"/>).</summary>
    private static Task FixSome(string body, string fixedBody)
    {
        var test = new Verify.Test { TestCode = Usings + body, FixedCode = Usings + fixedBody };
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync();
    }

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    /// <summary>Reported, but the fix declines: the fixed code is the source, diagnostics and all.</summary>
    private static Task ReportedNotFixed(string body, params DiagnosticResult[] expected) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body, expected);

    private static string Controller(string members, string route = "api") => $$"""
        [ApiController]
        [Route("{{route}}")]
        public sealed class UsersController : ControllerBase
        {
        {{members}}
        }
        """;

    private static string Minimal(string statements) => $$"""
        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
        {{statements}}
            }
        }
        """;

    // ---- controllers --------------------------------------------------------------------------------------

    [Fact]
    public Task BR0004_message_names_the_segment_and_the_verb() => Verify.VerifyAnalyzerAsync(
        Usings + Controller("""
                [HttpGet("{|#0:getUser|}/{id}")]
                public User One(int id) => new User();
            """),
        Verify.Diagnostic(VerbInRouteAnalyzer.Rule).WithLocation(0).WithMessage("Route segment 'getUser' starts with the verb 'get'; name the resource and let the HTTP method say the action"));

    [Fact]
    public Task Get_action_segment_is_renamed_to_the_plural_resource() => Fix(
        Controller("""
                [HttpGet("[|getUser|]/{id}")]
                public User One(int id) => new User();
            """),
        Controller("""
                [HttpGet("users/{id}")]
                public User One(int id) => new User();
            """));

    [Fact]
    public Task Delete_verb_moves_into_the_method_attribute() => Fix(
        Controller("""
                [HttpPost("[|deleteUser|]/{id:int}")]
                public IActionResult Remove(int id) => NoContent();
            """),
        Controller("""
                [HttpDelete("users/{id:int}")]
                public IActionResult Remove(int id) => NoContent();
            """));

    [Fact]
    public Task Silent_method_attribute_beside_a_route_attribute_is_changed() => Fix(
        Controller("""
                [Route("[|createOrder|]")]
                [HttpGet]
                public IActionResult Create([FromBody] User user) => Ok();
            """),
        Controller("""
                [Route("orders")]
                [HttpPost]
                public IActionResult Create([FromBody] User user) => Ok();
            """));

    [Fact]
    public Task Kebab_snake_and_pascal_segments_become_lower_case_kebab_nouns() => Fix(
        Controller("""
                [HttpGet("[|get-user|]/{id}")]
                public User A(int id) => new User();

                [HttpPut("[|update_user_address|]/{id}")]
                public void B(int id) { }

                [HttpGet("[|GetUserProfile|]")]
                public User C() => new User();

                [HttpGet("[|listCategories|]")]
                public string[] D() => new string[0];

                [HttpGet("[|fetchStatus|]/{id}")]
                public string E(int id) => "";
            """),
        Controller("""
                [HttpGet("users/{id}")]
                public User A(int id) => new User();

                [HttpPut("user-addresses/{id}")]
                public void B(int id) { }

                [HttpGet("user-profile")]
                public User C() => new User();

                [HttpGet("categories")]
                public string[] D() => new string[0];

                [HttpGet("statuses/{id}")]
                public string E(int id) => "";
            """));

    [Fact]
    public Task A_bare_verb_segment_after_the_resource_is_dropped() => Fix(
        Controller("""
                [HttpPost("users/[|delete|]/{id}")]
                public void Remove(int id) { }
            """, route: "api/v1"),
        Controller("""
                [HttpDelete("users/{id}")]
                public void Remove(int id) { }
            """, route: "api/v1"));

    [Fact]
    public Task A_noun_that_repeats_the_controller_route_is_dropped() => Fix(
        """
        [ApiController]
        [Route("api/orders")]
        public sealed class OrdersController : ControllerBase
        {
            [HttpPost("[|deleteOrder|]/{id}")] public void Remove(int id) { }
        }

        [ApiController]
        [Route("api/[controller]")]
        public sealed class CustomersController : ControllerBase
        {
            [HttpGet("[|getCustomer|]/{id}")] public string One(int id) => "";
            [HttpPost("[|addCustomer|]")] public void Add([FromBody] User user) { }
        }
        """,
        """
        [ApiController]
        [Route("api/orders")]
        public sealed class OrdersController : ControllerBase
        {
            [HttpDelete("{id}")] public void Remove(int id) { }
        }

        [ApiController]
        [Route("api/[controller]")]
        public sealed class CustomersController : ControllerBase
        {
            [HttpGet("{id}")] public string One(int id) => "";
            [HttpPost("")] public void Add([FromBody] User user) { }
        }
        """);

    [Fact]
    public Task A_noun_that_repeats_the_group_prefix_is_dropped() => Fix(
        Minimal("""
                    var orders = app.MapGroup("/api/orders");
                    orders.MapGet("/[|listOrders|]", () => new string[0]);
                    orders.MapPost("/[|deleteOrder|]/{id:int}", (int id) => Results.NoContent());
            """),
        Minimal("""
                    var orders = app.MapGroup("/api/orders");
                    orders.MapGet("/", () => new string[0]);
                    orders.MapDelete("/{id:int}", (int id) => Results.NoContent());
            """));

    [Fact]
    public Task Qualified_and_suffixed_method_attributes_are_renamed_in_place() => Fix(
        Controller("""
                [Microsoft.AspNetCore.Mvc.HttpPost("[|removeUser|]/{id}", Name = "drop")]
                public void A(int id) { }

                [HttpGetAttribute("[|createUser|]")]
                public void B() { }

                [HttpGet("[action]/[|getUser|]/{id}")]
                public void C(int id) { }
            """),
        Controller("""
                [Microsoft.AspNetCore.Mvc.HttpDelete("users/{id}", Name = "drop")]
                public void A(int id) { }

                [HttpPostAttribute("users")]
                public void B() { }

                [HttpGet("[action]/users/{id}")]
                public void C(int id) { }
            """));

    [Fact]
    public Task An_aliased_method_attribute_is_not_renamed()
    {
        var source = "using Remove = Microsoft.AspNetCore.Mvc.HttpPostAttribute;\n" + Usings + Controller("""
                [Remove("[|deleteUser|]/{id}")]
                public void A(int id) { }
            """);
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task Verbs_without_a_method_rename_only_and_keep_the_method() => Fix(
        Controller("""
                [HttpPost("[|processPayment|]")]
                public void Pay() { }
            """),
        Controller("""
                [HttpPost("payment")]
                public void Pay() { }
            """));

    [Fact]
    public Task Tilde_override_and_verbatim_literals_are_reported_and_fixed_in_place() => Fix(
        Controller("""
                [HttpGet(@"~/[|fetchReport|]")]
                public string Report() => "";
            """),
        Controller("""
                [HttpGet(@"~/report")]
                public string Report() => "";
            """));

    [Fact]
    public Task Controller_prefix_is_reported_once_on_its_attribute_and_not_fixed() => ReportedNotFixed(
        """
        [ApiController]
        [Route("api/{|#0:getStuff|}")]
        public sealed class StuffController : ControllerBase
        {
            [HttpGet] public string[] All() => new string[0];
            [HttpGet("{id}")] public string One(int id) => "";
            [HttpDelete("{id}")] public void Remove(int id) { }
        }
        """,
        Verify.Diagnostic(VerbInRouteAnalyzer.Rule).WithLocation(0).WithArguments("getStuff", "get"));

    [Fact]
    public Task Route_on_an_abstract_base_controller_is_reported_once_where_it_is_declared() => FixSome(
        """
        [Route("api/[|getThings|]")]
        public abstract class ThingsControllerBase : ControllerBase
        {
            [HttpGet("[|fetchItems|]")] public string[] All() => new string[0];
        }

        public sealed class RedThingsController : ThingsControllerBase { }
        public sealed class BlueThingsController : ThingsControllerBase { }
        """,
        """
        [Route("api/[|getThings|]")]
        public abstract class ThingsControllerBase : ControllerBase
        {
            [HttpGet("items")] public string[] All() => new string[0];
        }

        public sealed class RedThingsController : ThingsControllerBase { }
        public sealed class BlueThingsController : ThingsControllerBase { }
        """);

    [Fact]
    public Task Action_token_is_reported_once_when_an_action_name_starts_with_a_verb() => ReportedNotFixed(
        """
        [ApiController]
        [Route("api/[controller]/{|#0:[action]|}")]
        public sealed class OrdersController : ControllerBase
        {
            public string[] Recent() => new string[0];
            public Task<string> GetOrderAsync(int id) => Task.FromResult("");
            public string Create() => "";
        }
        """,
        Verify.Diagnostic(VerbInRouteAnalyzer.ActionTokenRule).WithLocation(0).WithArguments("GetOrder"));

    [Fact]
    public Task Action_token_is_not_reported_when_every_action_is_verb_free() => None(
        """
        [ApiController]
        [Route("api/[controller]/[action]")]
        public sealed class OrdersController : ControllerBase
        {
            public string[] Recent() => new string[0];
            [ActionName("archive")] public string GetArchive() => "";
            [NonAction] public string GetHelper() => "";
        }
        """);

    [Fact]
    public Task Accept_verbs_route_is_reported_but_its_method_is_not_rewritten() => ReportedNotFixed(
        Controller("""
                [AcceptVerbs("POST", Route = "[|removeItem|]/{id}")]
                public void Remove(int id) { }
            """));

    [Fact]
    public Task Escaped_literal_is_reported_on_the_whole_literal_and_not_fixed() => ReportedNotFixed(
        Controller("""
                [HttpGet([|"\u0067etUser/{id}"|])]
                public User One(int id) => new User();
            """));

    [Fact]
    public Task Fix_declines_when_the_new_route_is_taken_in_the_controller() => ReportedNotFixed(
        Controller("""
                [HttpGet("[|getUser|]/{userId}")]
                public User Old(int userId) => new User();

                [HttpGet("users/{id:int}")]
                public User New(int id) => new User();
            """));

    [Fact]
    public Task Fix_declines_when_a_body_would_be_lost_moving_to_delete() => ReportedNotFixed(
        Controller("""
                [HttpPost("[|removeUsers|]")]
                public void Remove(List<int> ids) { }
            """));

    [Fact]
    public Task Fix_declines_when_only_a_verb_would_remain() => ReportedNotFixed(
        Controller("""
                [HttpPost("[|delete|]/{id}")]
                public void Remove(int id) { }
            """));

    [Fact]
    public Task Fix_declines_for_an_action_without_a_method_attribute_when_the_method_would_change() => ReportedNotFixed(
        Controller("""
                [Route("[|deleteUser|]/{id}")]
                public void Remove(int id) { }
            """));

    [Fact]
    public Task Nouns_that_start_like_verbs_parameters_custom_methods_and_allowed_segments_are_not_reported() => None(
        Controller("""
                [HttpGet("settings")] public string A() => "";
                [HttpGet("getaways/{getId}")] public string B(int getId) => "";
                [HttpGet("updates")] public string C() => "";
                [HttpGet("posters/{id}:activate")] public string D(int id) => "";
                [HttpPost("users/{id}:deleteAll")] public void E(int id) { }
                [HttpPost("users:batchGet")] public void F() { }
                [HttpPost("login")] public void G() { }
                [HttpGet("search")] public string H() => "";
                [HttpGet("{*getPath}")] public string I(string getPath) => "";
                [HttpGet("listings/{id}.{format}")] public string J(int id, string format) => "";
            """));

    [Fact]
    public Task Non_controllers_non_actions_and_private_methods_are_not_reported() => None(
        """
        public sealed class RouteTable
        {
            [HttpGet("getUser/{id}")] public User One(int id) => new User();
        }

        [NonController]
        [Route("getHidden")]
        public sealed class HiddenController : ControllerBase
        {
            [HttpGet("getUser/{id}")] public User One(int id) => new User();
        }

        [ApiController]
        public sealed class UsersController : ControllerBase
        {
            [NonAction, HttpGet("getUser/{id}")] public User One(int id) => new User();
            [HttpGet("fetchUser/{id}")] private User Two(int id) => new User();
            [HttpGet("findUser/{id}")] public static User Three(int id) => new User();
        }
        """);

    [Fact]
    public Task Controllers_with_views_serve_forms_and_are_not_reported_unless_they_are_api_controllers() => Fix(
        """
        public sealed class ProductsController : Controller
        {
            [HttpGet("products/edit/{id}")] public IActionResult Edit(int id) => View();
            [HttpPost("products/edit/{id}")] public IActionResult Save(int id) => RedirectToAction("Edit");
        }

        [ApiController]
        public sealed class LegacyApiController : Controller
        {
            [HttpGet("legacy/[|findUser|]/{id}")] public string Find(int id) => "";
        }
        """,
        """
        public sealed class ProductsController : Controller
        {
            [HttpGet("products/edit/{id}")] public IActionResult Edit(int id) => View();
            [HttpPost("products/edit/{id}")] public IActionResult Save(int id) => RedirectToAction("Edit");
        }

        [ApiController]
        public sealed class LegacyApiController : Controller
        {
            [HttpGet("legacy/users/{id}")] public string Find(int id) => "";
        }
        """);

    [Fact]
    public Task A_controller_with_views_that_only_returns_models_is_an_api_and_reported() => Fix(
        """
        public sealed class Voucher { public int Id { get; set; } }

        [Route("vouchers")]
        public sealed class VouchersController : Controller
        {
            [HttpGet("[|listAll|]")] public Voucher[] All() => new Voucher[0];
            [HttpGet("[|getVoucher|]/{id}")] public IActionResult One(int id) => Json(new Voucher { Id = id });
        }
        """,
        """
        public sealed class Voucher { public int Id { get; set; } }

        [Route("vouchers")]
        public sealed class VouchersController : Controller
        {
            [HttpGet("all")] public Voucher[] All() => new Voucher[0];
            [HttpGet("{id}")] public IActionResult One(int id) => Json(new Voucher { Id = id });
        }
        """);

    [Fact]
    public Task A_controller_whose_base_renders_views_is_a_view_controller() => None(
        """
        public abstract class PortalControllerBase : Controller
        {
            protected IActionResult Page(string name) => View(name);
        }

        public sealed class ReceiptsController : PortalControllerBase
        {
            [HttpPost("receipts/delete/{id}")] public IActionResult Delete(int id) => Page("Deleted");
            [HttpGet("receipts/print/{id}")] public PartialViewResult Print(int id) => PartialView();
        }

        public sealed class SessionsController : Controller
        {
            [HttpPost("sessions/remove")] public IActionResult Remove() => LocalRedirect("/");
        }

        public sealed class CheckoutController : Controller
        {
            [HttpGet("checkout/new-cart")] public IActionResult Start() => Redirect("https://pay.example/cart");
        }
        """);

    [Fact]
    public Task Obsolete_alias_actions_are_not_reported_but_their_successors_and_shared_routes_are() => None(
        """
        public sealed class Ticket { public int Id { get; set; } }

        [ApiController]
        [Route("api/[|getTickets|]")]
        public sealed class TicketsController : ControllerBase
        {
            [HttpDelete("{id}")] public void Delete(int id) { }

            [System.Obsolete("Use DELETE instead.")]
            [HttpPost("{id}/delete")] public void PostDelete(int id) => Delete(id);

            [System.Obsolete]
            [HttpPost("removeTicket/{id}")] public void Remove(int id) => Delete(id);
        }
        """);

    [Fact]
    public Task A_route_that_get_serves_too_names_a_resource_but_a_route_only_written_is_reported() => None(
        """
        public sealed class ReleaseInfo { public string Version { get; set; } = ""; }

        [ApiController]
        [Route("api/system")]
        public sealed class SystemController : ControllerBase
        {
            // The pending release: read it, or install it.
            [HttpGet("update")] public ReleaseInfo Pending() => new();
            [HttpPost("update")] public void Install() { }

            // Only written: an action in the route.
            [HttpPost("[|runBackup|]")] public void Backup() { }
        }
        """);

    [Fact]
    public Task Fix_keeps_get_for_a_bare_verb_that_may_be_a_noun() => ReportedNotFixed(
        Controller("""
                [HttpGet("blog/[|post|]/{id}")]
                public string Read(int id) => "";
            """));

    [Fact]
    public Task Code_without_aspnetcore_is_not_analyzed()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System;

                namespace Fake
                {
                    public sealed class HttpGetAttribute : Attribute { public HttpGetAttribute(string template) { } }
                    public class ControllerBase { }
                    public sealed class UsersController : ControllerBase
                    {
                        [HttpGet("getUser/{id}")] public string One(int id) => "";
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(TestReferences.All.Where(r => r.Display is { } d && !d.Contains("Microsoft.AspNetCore")));
        return test.RunAsync();
    }

    // ---- minimal APIs -------------------------------------------------------------------------------------

    [Fact]
    public Task Minimal_get_is_renamed() => Fix(
        Minimal("""
                    app.MapGet("/[|getUser|]/{id}", (int id) => new User { Id = id });
            """),
        Minimal("""
                    app.MapGet("/users/{id}", (int id) => new User { Id = id });
            """));

    [Fact]
    public Task Minimal_post_verb_becomes_map_post_on_the_collection() => Fix(
        Minimal("""
                    app.MapGet("/[|postOrder|]", (string item) => Results.Ok(item));
            """),
        Minimal("""
                    app.MapPost("/orders", (string item) => Results.Ok(item));
            """));

    [Fact]
    public Task Minimal_endpoint_in_a_group_local_and_a_chain_is_fixed_and_the_group_prefix_reported_once() => FixSome(
        Minimal("""
                    var api = app.MapGroup("/api").WithTags("Orders");
                    api.MapPost("/[|removeOrder|]/{id}", (int id) => Results.NoContent());
                    app.MapGroup("/[|getThings|]").MapGet("/items", () => new string[0]);
            """),
        Minimal("""
                    var api = app.MapGroup("/api").WithTags("Orders");
                    api.MapDelete("/orders/{id}", (int id) => Results.NoContent());
                    app.MapGroup("/[|getThings|]").MapGet("/items", () => new string[0]);
            """));

    [Fact]
    public Task Minimal_raw_literal_and_injected_services_do_not_stop_the_fix() => Fix(
        """"
        public interface IUserStore { void Remove(int id); }

        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapPost("""/[|removeUser|]/{id}""", (int id, IUserStore store) => { store.Remove(id); return Results.NoContent(); });
            }
        }
        """",
        """"
        public interface IUserStore { void Remove(int id); }

        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapDelete("""/users/{id}""", (int id, IUserStore store) => { store.Remove(id); return Results.NoContent(); });
            }
        }
        """");

    [Fact]
    public async Task Top_level_statements_with_a_group_local_are_fixed_and_custom_method_suffixes_stay()
    {
        const string Before = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            var app = WebApplication.Create(args);
            var users = app.MapGroup("/users");
            users.MapPost("/{id}:deactivate", (int id) => Results.NoContent());
            users.MapPost("/[|deleteUser|]/{id}", (int id) => Results.NoContent());
            app.Run();
            """;
        const string After = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            var app = WebApplication.Create(args);
            var users = app.MapGroup("/users");
            users.MapPost("/{id}:deactivate", (int id) => Results.NoContent());
            users.MapDelete("/{id}", (int id) => Results.NoContent());
            app.Run();
            """;
        var test = new Verify.Test { TestCode = Before, FixedCode = After };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.WithEditorConfig("backendrules.BR0004.additional_verbs = deactivate").RunAsync();
    }

    [Fact]
    public Task Minimal_fix_declines_when_the_route_exists_in_the_same_body() => ReportedNotFixed(
        Minimal("""
                    var users = app.MapGroup("/users");
                    users.MapGet("/{id}", (int id) => new User());
                    app.MapGet("/[|getUser|]/{id}", (int id) => new User());
            """));

    [Fact]
    public Task Minimal_fix_declines_when_a_body_parameter_would_move_to_delete() => ReportedNotFixed(
        Minimal("""
                    app.MapPost("/[|deleteUser|]", (User user) => Results.NoContent());
            """));

    [Fact]
    public Task Minimal_map_methods_is_reported_but_its_methods_are_not_rewritten() => ReportedNotFixed(
        Minimal("""
                    app.MapMethods("/[|removeUser|]/{id}", new[] { "POST" }, (int id) => Results.NoContent());
            """));

    [Fact]
    public Task Minimal_route_from_a_constant_is_not_reported() => None(
        """
        public static class Endpoints
        {
            private const string Route = "/getUser/{id}";
            public static void Map(WebApplication app) => app.MapGet(Route, (int id) => new User());
        }
        """);

    // ---- options --------------------------------------------------------------------------------------

    private const string OptionSubject = """
        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/{0}/{id}", (int id) => new User());
                app.MapGet("/{1}/{id}", (int id) => new User());
                app.MapGet("/{2}", () => "ok");
            }
        }
        """;

    private static Task Options(string getUser, string obtainUser, string getStatus, string editorConfig)
        => new Verify.Test { TestCode = Usings + OptionSubject.Replace("{0}", getUser).Replace("{1}", obtainUser).Replace("{2}", getStatus) }.WithEditorConfig(editorConfig).RunAsync();

    [Fact]
    public Task Verbs_option_replaces_the_list() => Options("getUser", "[|obtainUser|]", "getStatus", "backendrules.BR0004.verbs = obtain, Acquire");

    [Fact]
    public Task Additional_verbs_option_extends_the_list() => Options("[|getUser|]", "[|obtainUser|]", "[|getStatus|]", "backendrules.BR0004.additional_verbs = obtain");

    [Fact]
    public Task Allowed_segments_option_replaces_the_allow_list() => Options("[|getUser|]", "obtainUser", "getStatus", "backendrules.BR0004.allowed_segments = GetStatus");

    [Fact]
    public Task Malformed_option_values_fall_back_to_the_defaults() => Options("[|getUser|]", "obtainUser", "[|getStatus|]", "backendrules.BR0004.verbs = ,,, \nbackendrules.BR0004.additional_verbs = \nbackendrules.BR0004.allowed_segments = , ,");

    [Fact]
    public async Task Default_allow_list_covers_login_style_segments_only_when_a_team_adds_their_verbs()
    {
        const string Source = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/login", () => "ok");
                    app.MapPost("/[|logEvent|]", () => "ok");
                }
            }
            """;
        await new Verify.Test { TestCode = Source }.WithEditorConfig("backendrules.BR0004.additional_verbs = log").RunAsync();
    }

    // ---- Fix All --------------------------------------------------------------------------------------

    [Fact]
    public async Task Fix_all_fixes_every_document_and_never_gives_two_endpoints_one_route()
    {
        var first = Usings + Controller("""
                [HttpGet("[|getUser|]/{id}")]
                public User A(int id) => new User();

                [HttpGet("[|fetchUser|]/{id}")]
                public User B(int id) => new User();

                [HttpPost("[|createUser|]")]
                public void C([FromBody] User user) { }
            """);
        var second = Usings.Replace("public sealed class User { public int Id { get; set; } public string Name { get; set; } = \"\"; }", string.Empty) + Minimal("""
                    app.MapGet("/[|getOrder|]/{id}", (int id) => id);
                    app.MapPost("/orders/[|remove|]/{id}", (int id) => id);
            """);
        var test = new Verify.Test
        {
            TestState = { Sources = { first, second } },
            FixedState =
            {
                MarkupHandling = MarkupMode.Allow,
                Sources =
                {
                    first.Replace("[|getUser|]", "users").Replace("[|fetchUser|]", "{|BR0004:fetchUser|}").Replace("[HttpPost(\"[|createUser|]\")]", "[HttpPost(\"users\")]"),
                    second.Replace("MapGet(\"/[|getOrder|]", "MapGet(\"/orders").Replace("MapPost(\"/orders/[|remove|]", "MapDelete(\"/orders"),
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
            [ApiController]
            [Route("getStuff")]
            public sealed class StuffController : ControllerBase
            {
                [HttpGet("fetchThing/{id}")] public string One(int id) => "";
                [HttpPost("deleteThing/{id}")] public void Remove(int id) { }
            }
            """;

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new VerbInRouteAnalyzer(), new VerbInRouteFixer(), scope);

        Assert.Contains("[Route(\"getStuff\")]", fixedSource);
        Assert.Contains("[HttpGet(\"things/{id}\")]", fixedSource);
        Assert.Contains("[HttpDelete(\"things/{id}\")]", fixedSource);
    }
}
