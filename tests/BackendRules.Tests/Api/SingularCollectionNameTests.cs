using System.Threading.Tasks;
using BackendRules.Api;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Api.SingularCollectionNameAnalyzer, BackendRules.Api.SingularCollectionNameFixer>;

namespace BackendRules.Tests.Api;

/// <summary>BR0012: singular nouns naming collections in routes, for controllers and minimal APIs; the fix, its alias action and its declines.</summary>
public sealed class SingularCollectionNameTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;

            public sealed class Item { public int Id { get; set; } public string Name { get; set; } = ""; }
        public sealed class CustomerDto { public int Id { get; set; } }
        public sealed class OrderLine { public int Id { get; set; } }

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task FixWithAlias(string body, string fixedBody)
        => new Verify.Test { TestCode = Usings + body, FixedCode = Usings + fixedBody, CodeActionEquivalenceKey = SingularCollectionNameFixer.AliasKey, CodeActionIndex = 1 }.RunAsync();

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    private static Task ReportedNotFixed(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static string Controller(string members, string route = "api", string name = "ItemsController") => $$"""
        [ApiController]
        [Route("{{route}}")]
        public sealed class {{name}} : ControllerBase
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
    public Task Message_names_the_segment_and_its_plural() => Verify.VerifyAnalyzerAsync(
        Usings + Controller("""
                [HttpGet("{|#0:user|}/{id}")]
                public Item One(int id) => new Item();
            """),
        Verify.Diagnostic(SingularCollectionNameAnalyzer.Rule).WithLocation(0).WithMessage("Route segment 'user' names a collection with a singular noun; use the plural 'users'"));

    [Fact]
    public Task Segment_before_an_id_becomes_plural() => Fix(
        Controller("""
                [HttpGet("[|order|]/{orderId:int}")]
                public Item One(int orderId) => new Item();

                [HttpDelete("[|category|]/{id}")]
                public void Remove(int id) { }

                [HttpPut("[|address|]/{addressId}")]
                public void Put(int addressId) { }
            """),
        Controller("""
                [HttpGet("orders/{orderId:int}")]
                public Item One(int orderId) => new Item();

                [HttpDelete("categories/{id}")]
                public void Remove(int id) { }

                [HttpPut("addresses/{addressId}")]
                public void Put(int addressId) { }
            """));

    [Fact]
    public Task Controller_prefix_before_an_action_id_becomes_plural() => Fix(
        Controller("""
                [HttpGet("{id}")]
                public Item One(int id) => new Item();

                [HttpPost]
                public void Add(Item item) { }
            """, route: "api/[|product|]"),
        Controller("""
                [HttpGet("{id}")]
                public Item One(int id) => new Item();

                [HttpPost]
                public void Add(Item item) { }
            """, route: "api/products"));

    [Fact]
    public Task Controller_token_is_replaced_by_the_plural_literal() => Verify.VerifyCodeFixAsync(
        Usings + """
        [ApiController]
        [Route("api/{|#0:[controller]|}")]
        public sealed class PersonController : ControllerBase
        {
            [HttpGet("{id}")]
            public Item One(int id) => new Item();
        }
        """,
        Usings + """
        [ApiController]
        [Route("api/People")]
        public sealed class PersonController : ControllerBase
        {
            [HttpGet("{id}")]
            public Item One(int id) => new Item();
        }
        """,
        Verify.Diagnostic(SingularCollectionNameAnalyzer.ControllerTokenRule).WithLocation(0).WithMessage("Route token '[controller]' names the collection 'Person' with a singular noun; use the plural 'People'"));

    [Fact]
    public Task Last_segment_of_a_get_that_lists_becomes_plural() => Fix(
        Controller("""
                [HttpGet("[|customer|]")]
                public List<CustomerDto> All() => new List<CustomerDto>();

                [HttpGet("[|order-line|]")]
                public Task<ActionResult<IEnumerable<OrderLine>>> Lines() => Task.FromResult<ActionResult<IEnumerable<OrderLine>>>(new List<OrderLine>());

                [HttpGet("{id}/[|line|]")]
                public OrderLine[] LinesOf(int id) => new OrderLine[0];
            """),
        Controller("""
                [HttpGet("customers")]
                public List<CustomerDto> All() => new List<CustomerDto>();

                [HttpGet("order-lines")]
                public Task<ActionResult<IEnumerable<OrderLine>>> Lines() => Task.FromResult<ActionResult<IEnumerable<OrderLine>>>(new List<OrderLine>());

                [HttpGet("{id}/lines")]
                public OrderLine[] LinesOf(int id) => new OrderLine[0];
            """));

    [Fact]
    public Task Get_of_a_list_named_after_something_else_is_a_view_and_not_reported() => None(Controller("""
                [HttpGet("jump-bar")] public List<Item> A() => new List<Item>();
                [HttpGet("day-breakdown")] public List<OrderLine> B() => new List<OrderLine>();
                [HttpGet("myself")] public List<CustomerDto> C() => new List<CustomerDto>();
                [HttpGet("server/count/year")] public List<Item> D() => new List<Item>();
                [HttpGet("single")] public IEnumerable<CustomerDto> E() => new List<CustomerDto>();
            """));

    [Fact]
    public Task Post_to_a_path_that_is_a_collection_elsewhere_is_fixed_with_it() => Fix(
        Controller("""
                [HttpPost("[|invoice|]")]
                public void Create(Item item) { }

                [HttpGet("[|invoice|]/{invoiceId}")]
                public Item One(string invoiceId) => new Item();
            """),
        Controller("""
                [HttpPost("invoices")]
                public void Create(Item item) { }

                [HttpGet("invoices/{invoiceId}")]
                public Item One(string invoiceId) => new Item();
            """));

    [Fact]
    public Task Nested_collections_are_each_made_plural() => Fix(
        Controller("""
                [HttpGet("[|customer|]/{customerId}/[|order|]/{orderId}")]
                public Item One(int customerId, int orderId) => new Item();
            """),
        Controller("""
                [HttpGet("customers/{customerId}/orders/{orderId}")]
                public Item One(int customerId, int orderId) => new Item();
            """));

    [Fact]
    public Task Alias_action_keeps_the_old_route_as_a_deprecated_second_attribute() => FixWithAlias(
        Controller("""
                [HttpGet("[|user|]/{id}")]
                public Item One(int id) => new Item();
            """),
        Controller("""
                [HttpGet("users/{id}")]
                // Deprecated: the singular route, kept so existing clients do not break; remove it once they use the plural one.
                [HttpGet("user/{id}")]
                public Item One(int id) => new Item();
            """));

    [Fact]
    public Task Alias_action_on_a_controller_route() => FixWithAlias(
        """
        [ApiController]
        [Route("api/[|book|]")]
        public sealed class BooksController : ControllerBase
        {
            [HttpGet("{id}")]
            public Item One(int id) => new Item();
        }
        """,
        """
        [ApiController]
        [Route("api/books")]
        // Deprecated: the singular route, kept so existing clients do not break; remove it once they use the plural one.
        [Route("api/book")]
        public sealed class BooksController : ControllerBase
        {
            [HttpGet("{id}")]
            public Item One(int id) => new Item();
        }
        """);

    [Fact]
    public Task Fix_declines_when_the_plural_route_exists() => ReportedNotFixed(
        Controller("""
                [HttpGet("[|user|]/{id}")]
                public Item Old(int id) => new Item();

                [HttpGet("users/{userId}")]
                public Item New(int userId) => new Item();
            """));

    [Fact]
    public Task Fix_declines_when_another_controller_serves_the_plural_route() => ReportedNotFixed(
        Controller("""
                [HttpGet("{id}")]
                public Item One(int id) => new Item();
            """, route: "api/[|tag|]") + """

        [ApiController]
        [Route("api/tags")]
        public sealed class TagsController : ControllerBase
        {
            [HttpGet("{id}")]
            public Item One(int id) => new Item();
        }
        """);

    [Fact]
    public Task Controller_token_of_a_base_class_other_controllers_derive_from_is_not_fixed() => ReportedNotFixed(
        """
        [ApiController]
        [Route("api/[|[controller]|]")]
        public class ProductController : ControllerBase
        {
            [HttpGet("{id}")]
            public Item One(int id) => new Item();
        }

        public sealed class SpecialProductsController : ProductController
        {
        }
        """);

    [Fact]
    public Task Plurals_singletons_and_other_parameters_are_not_reported() => None(Controller("""
                [HttpGet("users/{id}")] public Item A(int id) => new Item();
                [HttpGet("people/{id}")] public Item B(int id) => new Item();
                [HttpGet("categories/{id}/children/{childId}")] public Item C(int id, int childId) => new Item();
                [HttpGet("statuses/{id}")] public Item D(int id) => new Item();
                [HttpGet("analyses/{id}")] public Item E(int id) => new Item();
                [HttpGet("indices/{id}")] public Item F(int id) => new Item();
                [HttpGet("account")] public Item G() => new Item();
                [HttpGet("users/{id}/avatar")] public Item H(int id) => new Item();
                [HttpGet("stores/{storeId}/settings")] public Item I(string storeId) => new Item();
                [HttpGet("me")] public Item J() => new Item();
                [HttpGet("profile")] public Item K() => new Item();
                [HttpGet("health")] public Item L() => new Item();
                [HttpGet("status")] public Item M() => new Item();
                [HttpGet("metadata")] public Item N() => new Item();
                [HttpGet("search/{term}")] public List<Item> O(string term) => new List<Item>();
                [HttpGet("data/{id}")] public Item P(int id) => new Item();
                [HttpGet("news")] public List<Item> Q() => new List<Item>();
                [HttpGet("cart")] public List<Item> R() => new List<Item>();
                [HttpGet("v1/{id}")] public Item S(int id) => new Item();
                [HttpGet("download/{id}")] public Item T(int id) => new Item();
                [HttpGet("by-name/{name}")] public Item U(string name) => new Item();
                [HttpGet("page/{pageNumber}")] public List<Item> V(int pageNumber) => new List<Item>();
                [HttpGet("posts/page/{page:int}")] public List<Item> V2(int page) => new List<Item>();
                [HttpGet("calendar/{year}/{month}")] public List<Item> W(int year, int month) => new List<Item>();
                [HttpGet("feed")] public List<Item> X() => new List<Item>();
                [HttpGet("users/{id}/avatar/{size}")] public Item Y(int id, int size) => new Item();
                [HttpGet("latest")] public List<Item> Z() => new List<Item>();
                [HttpGet("configuration")] public Item AA() => new Item();
                [HttpGet("login")] public Item AB() => new Item();
                [HttpPost("login")] public Item AC(Item item) => new Item();
                [HttpGet("orders/{id}/summary")] public Item AD(int id) => new Item();
                [HttpGet("file.json")] public Item AE() => new Item();
                [HttpGet("users:search")] public List<Item> AF() => new List<Item>();
                [HttpGet("product/detail/{id}")] public Item AG(int id) => new Item();
            """));

    [Fact]
    public Task Segments_before_the_key_of_another_resource_qualify_it_and_are_not_reported() => None(Controller("""
                [HttpGet("server/lightning/{cryptoCode}/info")] public Item A(string cryptoCode) => new Item();
                [HttpGet("apps/crowdfund/{appId}")] public Item B(string appId) => new Item();
                [HttpGet("payout-processors/LightningAutomatedPayoutSenderFactory")] public Item C() => new Item();
                [HttpGet("payout-processors/LightningAutomatedPayoutSenderFactory/{payoutMethodId}")] public Item D(string payoutMethodId) => new Item();
                [HttpGet("subscriber-portal/{portalSessionId}")] public Item E(string portalSessionId) => new Item();
                [HttpPost("subscriber-portal")] public Item F(Item item) => new Item();
                [HttpGet("wallet/{currency}")] public Item G(string currency) => new Item();
                [HttpGet("products/type/{typeId}/brand/{brandId?}")] public List<Item> H(int typeId, int? brandId) => new List<Item>();
                [HttpGet("products/type/all/brand/{brandId:int?}")] public List<Item> I(int? brandId) => new List<Item>();
                [HttpGet("licenses/user/{id}")] public Item J(string id) => new Item();
                [HttpGet("stores/{storeId}/payment-methods/LNURLPay/{cryptoCode}")] public Item K(string storeId, string cryptoCode) => new Item();
                [HttpGet("poster/tv/tmdb/{tmdbId}")] public Item L(int tmdbId) => new Item();
            """));

    [Fact]
    public Task A_route_attribute_of_our_own_on_a_plural_controller_hides_the_collection_it_qualifies() => None("""
        public sealed class AreaRouteAttribute : System.Attribute, Microsoft.AspNetCore.Mvc.Routing.IRouteTemplateProvider
        {
            public string? Template => "api/v1/[controller]";
            public int? Order => null;
            public string? Name => null;
        }

        [ApiController]
        [AreaRoute]
        public sealed class IssuesController : ControllerBase
        {
            [HttpGet("provider/{id}")]
            public List<Item> ByProvider(string id) => new List<Item>();
        }
        """);

    [Fact]
    public Task Keys_named_after_the_noun_or_bare_keys_identify_a_member() => Fix(
        Controller("""
                [HttpGet("[|tag|]/{slug}")] public Item A(string slug) => new Item();
                [HttpGet("[|role|]/{name}")] public Item B(string name) => new Item();
                [HttpGet("[|order-item|]/{orderItemId}")] public Item C(int orderItemId) => new Item();
                [HttpGet("[|coupon|]/{couponCode}")] public Item D(string couponCode) => new Item();
                [HttpGet("[|ticket|]/{ticket}")] public Item E(string ticket) => new Item();
                [HttpGet("[|page|]/{id:Guid}")] public Item F(System.Guid id) => new Item();
            """),
        Controller("""
                [HttpGet("tags/{slug}")] public Item A(string slug) => new Item();
                [HttpGet("roles/{name}")] public Item B(string name) => new Item();
                [HttpGet("order-items/{orderItemId}")] public Item C(int orderItemId) => new Item();
                [HttpGet("coupons/{couponCode}")] public Item D(string couponCode) => new Item();
                [HttpGet("tickets/{ticket}")] public Item E(string ticket) => new Item();
                [HttpGet("pages/{id:Guid}")] public Item F(System.Guid id) => new Item();
            """));

    [Fact]
    public Task Get_of_one_thing_and_post_that_is_not_a_collection_are_not_reported() => None(Controller("""
                [HttpGet("summary")] public Item A() => new Item();
                [HttpGet("report")] public IActionResult B() => Ok();
                [HttpPost("checkout")] public IActionResult C() => Ok();
                [HttpPost("order")] public IActionResult D(Item item) => Ok();
            """));

    [Fact]
    public Task View_controllers_are_not_reported() => None("""
        [Route("product")]
        public sealed class ProductController : Controller
        {
            [HttpGet("{id}")]
            public IActionResult Details(int id) => View();
        }
        """);

    [Fact]
    public Task Obsolete_actions_are_not_reported() => None(Controller("""
                [System.Obsolete("use users/{id}")]
                [HttpGet("user/{id}")]
                public Item Old(int id) => new Item();
            """));

    [Fact]
    public Task Allowed_words_option_extends_the_list()
        => new Verify.Test
        {
            TestCode = Usings + Controller("""
                    [HttpGet("tenant/{tenantId}")] public Item A(string tenantId) => new Item();
                    [HttpGet("[|user|]/{id}")] public Item B(int id) => new Item();
                """),
        }.WithEditorConfig("backendrules.BR0012.allowed_words = Tenant, ,").RunAsync();

    // ---- minimal APIs -------------------------------------------------------------------------------------

    [Fact]
    public Task Minimal_pattern_segment_before_an_id_becomes_plural() => Fix(
        Minimal("""
                    app.MapGet("/[|user|]/{id:int}", (int id) => new Item());
                    app.MapGet("/[|item|]", () => new List<Item>());
            """),
        Minimal("""
                    app.MapGet("/users/{id:int}", (int id) => new Item());
                    app.MapGet("/items", () => new List<Item>());
            """));

    [Fact]
    public Task Minimal_group_prefix_is_reported_once_and_renamed() => Fix(
        Minimal("""
                    var orders = app.MapGroup("/api/[|order|]");
                    orders.MapGet("/{id}", (int id) => new Item());
                    orders.MapDelete("/{id}", (int id) => Results.NoContent());
                    orders.MapPost("/", (Item item) => Results.Created("/api/orders/1", item));
            """),
        Minimal("""
                    var orders = app.MapGroup("/api/orders");
                    orders.MapGet("/{id}", (int id) => new Item());
                    orders.MapDelete("/{id}", (int id) => Results.NoContent());
                    orders.MapPost("/", (Item item) => Results.Created("/api/orders/1", item));
            """));

    [Fact]
    public Task Minimal_post_beside_its_item_route_is_fixed_with_it() => Fix(
        Minimal("""
                    app.MapPost("/[|todo|]", (Item item) => Results.Ok());
                    app.MapGet("/[|todo|]/{todoId}", (int todoId) => new Item());
            """),
        Minimal("""
                    app.MapPost("/todos", (Item item) => Results.Ok());
                    app.MapGet("/todos/{todoId}", (int todoId) => new Item());
            """));

    [Fact]
    public Task Minimal_fix_declines_when_the_plural_route_exists_in_the_body() => ReportedNotFixed(
        Minimal("""
                    app.MapGet("/[|user|]/{id}", (int id) => new Item());
                    app.MapGet("/users/{userId}", (int userId) => new Item());
            """));

    [Fact]
    public Task Minimal_singletons_and_plurals_are_not_reported() => None(
        Minimal("""
                    app.MapGet("/users/{id}", (int id) => new Item());
                    app.MapGet("/me", () => new Item());
                    app.MapGet("/health", () => "ok");
                    app.MapPost("/search", (Item item) => new List<Item>());
                    app.MapGet("/weatherforecast", () => new Item());
                    app.MapGet("/users/{id}/profile", (int id) => new Item());
            """));
}
