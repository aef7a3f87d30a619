using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Api.UnversionedApiAnalyzer, BackendRules.Api.UnversionedApiFixer>;

namespace BackendRules.Tests.Api;

/// <summary>BR0011: API routes without a version, for controllers, route groups and minimal APIs; the fix, its alias action and its declines.</summary>
public sealed class UnversionedApiTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;

        public sealed class Parcel { public int Id { get; set; } }

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task FixWithAlias(string body, string fixedBody)
        => new Verify.Test { TestCode = Usings + body, FixedCode = Usings + fixedBody, CodeActionEquivalenceKey = UnversionedApiFixer.AliasKey, CodeActionIndex = 1 }.RunAsync();

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    private static Task ReportedNotFixed(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static string Controller(string route, string members = DefaultMembers, string name = "ParcelsController") => $$"""
        [ApiController]
        [Route({{route}})]
        public sealed class {{name}} : ControllerBase
        {
        {{members}}
        }
        """;

    private const string DefaultMembers = """
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
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
    public Task Message_shows_the_route_and_the_versioned_one() => Verify.VerifyAnalyzerAsync(
        Usings + Controller("""{|#0:"api/parcels"|}"""),
        Verify.Diagnostic(UnversionedApiAnalyzer.Rule).WithLocation(0).WithSeverity(DiagnosticSeverity.Info)
            .WithMessage("API route 'api/parcels/{id:int}' has no version; add one ('api/v1/parcels/{id:int}') so the API can change without breaking existing clients"));

    [Fact]
    public Task Version_goes_after_the_api_prefix_of_the_controller_route() => Fix(
        Controller("""[|"api/parcels"|]"""),
        Controller("\"api/v1/parcels\""));

    [Fact]
    public Task Controller_token_stays_and_the_version_goes_before_it() => Fix(
        Controller("""[|"api/[controller]"|]"""),
        Controller("\"api/v1/[controller]\""));

    [Fact]
    public Task Without_an_api_prefix_the_version_starts_the_route() => Fix(
        Controller("""[|"/parcels"|]"""),
        Controller("\"/v1/parcels\""));

    [Fact]
    public Task An_empty_controller_route_becomes_the_version() => Fix(
        Controller("""[|""|]""", """
                [HttpGet("Parcels/{id:int}")]
                public Parcel One(int id) => new Parcel { Id = id };
            """),
        Controller("\"v1\"", """
                [HttpGet("Parcels/{id:int}")]
                public Parcel One(int id) => new Parcel { Id = id };
            """));

    [Fact]
    public Task Other_api_prefixes_take_the_version_after_them() => Fix(
        Controller("""[|"shop/public-api/parcels"|]""") + "\n" + Controller("""[|"rest/labels"|]""", name: "LabelsController"),
        Controller("\"shop/public-api/v1/parcels\"") + "\n" + Controller("\"rest/v1/labels\"", name: "LabelsController"));

    [Fact]
    public Task Alias_action_keeps_the_old_controller_route_as_a_deprecated_second_route() => FixWithAlias(
        Controller("""[|"api/parcels"|]"""),
        """
        [ApiController]
        [Route("api/v1/parcels")]
        // Deprecated: the unversioned route, kept so existing clients do not break; remove it once they use the versioned one.
        [Route("api/parcels")]
        public sealed class ParcelsController : ControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }
        """);

    [Fact]
    public Task Controller_with_absolute_action_routes_is_reported_once_on_its_name() => Verify.VerifyCodeFixAsync(
        Usings + """
        [ApiController]
        public sealed class {|#0:TrackingController|} : ControllerBase
        {
            [HttpGet("~/api/parcels/{id:int}/tracking")]
            public Parcel Track(int id) => new Parcel { Id = id };

            [HttpPost("api/parcels/{id:int}/tracking")]
            public IActionResult Start(int id) => NoContent();

            [HttpGet("api/v2/parcels/{id:int}/events")]
            public Parcel Events(int id) => new Parcel { Id = id };
        }
        """,
        Usings + """
        [ApiController]
        public sealed class TrackingController : ControllerBase
        {
            [HttpGet("~/api/v1/parcels/{id:int}/tracking")]
            public Parcel Track(int id) => new Parcel { Id = id };

            [HttpPost("api/v1/parcels/{id:int}/tracking")]
            public IActionResult Start(int id) => NoContent();

            [HttpGet("api/v2/parcels/{id:int}/events")]
            public Parcel Events(int id) => new Parcel { Id = id };
        }
        """,
        Verify.Diagnostic(UnversionedApiAnalyzer.ActionRoutesRule).WithLocation(0)
            .WithMessage("Controller 'TrackingController' serves API routes without a version ('~/api/parcels/{id:int}/tracking'); add one ('~/api/v1/parcels/{id:int}/tracking') so the API can change without breaking existing clients"));

    [Fact]
    public Task Alias_action_on_action_routes_keeps_each_old_route() => new Verify.Test
    {
        TestCode = Usings + """
            [ApiController]
            public sealed class [|TrackingController|] : ControllerBase
            {
                [HttpGet("~/api/parcels/{id:int}/tracking")]
                public Parcel Track(int id) => new Parcel { Id = id };
            }
            """,
        FixedCode = Usings + """
            [ApiController]
            public sealed class TrackingController : ControllerBase
            {
                [HttpGet("~/api/v1/parcels/{id:int}/tracking")]
                // Deprecated: the unversioned route, kept so existing clients do not break; remove it once they use the versioned one.
                [HttpGet("~/api/parcels/{id:int}/tracking")]
                public Parcel Track(int id) => new Parcel { Id = id };
            }
            """,
        CodeActionEquivalenceKey = UnversionedApiFixer.AliasKey,
        CodeActionIndex = 1,
    }.RunAsync();

    [Fact]
    public Task Absolute_action_routes_of_a_reported_controller_are_versioned_with_its_route() => Fix(
        Controller("""[|"api/parcels"|]""", """
                [HttpGet("{id:int}")]
                public Parcel One(int id) => new Parcel { Id = id };

                [HttpGet("~/api/parcel-exports")]
                public List<Parcel> Export() => new List<Parcel>();
            """),
        Controller("\"api/v1/parcels\"", """
                [HttpGet("{id:int}")]
                public Parcel One(int id) => new Parcel { Id = id };

                [HttpGet("~/api/v1/parcel-exports")]
                public List<Parcel> Export() => new List<Parcel>();
            """));

    [Fact]
    public Task Endpoints_hidden_from_the_api_description_and_unmarked_public_methods_are_not_reported() => None(
        "[ApiExplorerSettings(IgnoreApi = true)]\n" + Controller("\"internal/parcels\"")
        + "\n" + Controller("\"api/labels\"", """
                [ApiExplorerSettings(IgnoreApi = true)]
                [HttpGet("{id:int}")]
                public Parcel Legacy(int id) => new Parcel { Id = id };

                public int Helper(Parcel parcel) => parcel.Id;
            """, name: "LabelsController"));

    [Fact]
    public Task A_base_controller_route_is_reported_where_it_is_declared_once() => Fix(
        """
        [ApiController]
        [Route([|"api/[controller]"|])]
        public class ShopControllerBase : ControllerBase
        {
        }

        public sealed class ParcelsController : ShopControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }

        public sealed class LabelsController : ShopControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }
        """,
        """
        [ApiController]
        [Route("api/v1/[controller]")]
        public class ShopControllerBase : ControllerBase
        {
        }

        public sealed class ParcelsController : ShopControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }

        public sealed class LabelsController : ShopControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }
        """);

    [Fact]
    public Task A_single_unversioned_controller_is_still_an_api() => Verify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class {|#0:ParcelsController|} : ControllerBase
        {
            [HttpGet("parcels")]
            public List<Parcel> All() => new List<Parcel>();
        }
        """,
        Verify.Diagnostic(UnversionedApiAnalyzer.ActionRoutesRule).WithLocation(0).WithArguments("ParcelsController", "parcels", "v1/parcels"));

    [Fact]
    public Task Versioned_routes_are_not_reported() => None(
        Controller("\"api/v1/parcels\"") + "\n"
        + Controller("\"api/v2.0/labels\"", name: "LabelsController") + "\n"
        + Controller("\"api/v{version:apiVersion}/boxes\"", name: "BoxesController") + "\n"
        + Controller("\"{apiVersion}/crates\"", name: "CratesController") + "\n"
        + Controller("\"api/v1-beta/pallets\"", name: "PalletsController") + "\n"
        + Controller("\"api/vNext/sacks\"", name: "SacksController") + "\n"
        + Controller("\"2024-05-01/bags\"", name: "BagsController"));

    [Fact]
    public Task A_controller_route_that_also_serves_a_versioned_action_is_the_teams_scheme() => None(Controller("\"api/parcels\"", """
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };

            [HttpPost("v2")]
            public Parcel CreateV2(Parcel parcel) => parcel;
        """));

    [Fact]
    public Task Health_metrics_and_api_descriptions_are_not_reported() => None(
        Controller("\"api/[controller]\"", name: "HealthController") + "\n"
        + Controller("\"metrics\"", name: "StatsController") + "\n"
        + Controller("\"swagger/docs\"", name: "DocsController") + "\n"
        + Controller("\"api/status\"", DefaultMembers.Replace("\"{id:int}\"", "\"\""), name: "StatusController") + "\n"
        + Controller("\".well-known\"", DefaultMembers.Replace("\"{id:int}\"", "\"openid-configuration\""), name: "DiscoveryController") + "\n"
        + Controller("\"\"", DefaultMembers.Replace("\"{id:int}\"", "\"robots.txt\""), name: "RobotsController"));

    [Fact]
    public Task Callbacks_from_providers_are_not_reported() => None(
        Controller("\"payments/stripe\"", DefaultMembers.Replace("HttpGet(\"{id:int}\")", "HttpPost(\"webhook\")"), name: "StripeController") + "\n"
        + Controller("\"paypal\"", DefaultMembers.Replace("HttpGet(\"{id:int}\")", "HttpPost(\"ipn\")"), name: "PayPalController") + "\n"
        + Controller("\"hooks/github\"", name: "GitHubController"));

    [Fact]
    public Task Files_and_streams_served_at_a_path_are_not_reported() => None(Controller("\"Videos\"", """
            [HttpGet("{itemId}/master.m3u8")]
            public IActionResult Playlist(string itemId) => Ok();

            [HttpGet("{itemId}/hls/{segmentId}/stream.mp3")]
            public IActionResult Segment(string itemId, string segmentId) => Ok();

            [HttpGet("{itemId}/tiles/{index}.jpg")]
            public IActionResult Tile(string itemId, int index) => Ok();
        """, name: "StreamsController"));

    [Fact]
    public Task A_controller_that_sends_the_browser_on_is_a_page_flow_even_under_ApiController() => None("""
        [ApiController]
        [Route("manager/login")]
        public sealed class LoginController : ControllerBase
        {
            [HttpGet("{returnUrl?}")]
            public IActionResult SetCookie(string? returnUrl = null) => LocalRedirect(returnUrl ?? "~/manager");
        }
        """);

    [Fact]
    public Task View_controllers_and_conventional_routes_are_not_reported() => None("""
        [Route("parcels")]
        public sealed class ParcelPagesController : Controller
        {
            [HttpGet("{id:int}")]
            public IActionResult Details(int id) => View();
        }

        public sealed class LegacyController : ControllerBase
        {
            public Parcel One(int id) => new Parcel { Id = id };
        }

        [Route("storage")]
        public sealed class StorageController : Controller
        {
            [HttpGet("{fileId}")]
            public IActionResult Get(string fileId) => new RedirectResult("https://files.example.com/" + fileId);
        }
        """);

    [Fact]
    public Task Obsolete_controllers_and_actions_are_not_reported() => None(
        "[System.Obsolete(\"use api/v1/parcels\")]\n" + Controller("\"api/parcels\"")
        + "\n" + Controller("\"api/labels\"", """
                [System.Obsolete]
                [HttpGet("{id:int}")]
                public Parcel One(int id) => new Parcel { Id = id };
            """, name: "LabelsController"));

    [Fact]
    public Task Aliases_kept_beside_their_versioned_route_are_not_reported() => None("""
        [ApiController]
        [Route("api/v1/parcels")]
        [Route("api/parcels")]
        public sealed class ParcelsController : ControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }

        [ApiController]
        public sealed class LabelsController : ControllerBase
        {
            [HttpGet("~/api/v1/labels/{id:int}")]
            [HttpGet("~/api/labels/{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }

        [ApiController]
        [Route("api/v1/[controller]")]
        [Route("api/[controller]")]
        public class BoxesControllerBase : ControllerBase
        {
        }
        """);

    [Fact]
    public Task A_route_attribute_of_the_teams_own_hides_the_route() => None("""
        public sealed class ApiV1Attribute : RouteAttribute
        {
            public ApiV1Attribute() : base("api/v1/[controller]") { }
        }

        public sealed class ApiRouteAttribute : RouteAttribute
        {
            public ApiRouteAttribute(string template) : base("api/v2/" + template) { }
        }

        [ApiController]
        [ApiV1]
        public sealed class ParcelsController : ControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }

        [ApiController]
        [ApiRoute("labels")]
        public sealed class LabelsController : ControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }
        """);

    [Fact]
    public Task In_a_versioned_application_routes_outside_its_versioned_prefix_are_other_surfaces() => Verify.VerifyAnalyzerAsync(
        Usings + Controller("\"api/v1/stores\"", name: "StoresController") + "\n"
        + Controller("{|#0:\"api/parcels\"|}") + "\n"
        + Controller("\"invoices\"", name: "LegacyInvoicesController") + "\n"
        + Controller("\"boltcard\"", name: "CardsController"),
        Verify.Diagnostic(UnversionedApiAnalyzer.Rule).WithLocation(0).WithArguments("api/parcels/{id:int}", "api/v1/parcels/{id:int}"));

    [Fact]
    public Task A_version_at_the_end_of_one_operation_does_not_make_the_application_versioned() => Verify.VerifyAnalyzerAsync(
        Usings + Controller("\"files\"", """
                [HttpPost("v2")]
                public Parcel Upload(Parcel parcel) => parcel;
            """, name: "FilesController") + "\n"
        + Controller("{|#0:\"parcels\"|}"),
        Verify.Diagnostic(UnversionedApiAnalyzer.Rule).WithLocation(0).WithArguments("parcels/{id:int}", "v1/parcels/{id:int}"));

    [Fact]
    public Task In_an_application_with_pages_a_controller_that_may_serve_views_is_api_only_under_an_api_prefix() => Verify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class HomeController : Controller
        {
            public IActionResult Index() => View();
        }

        public sealed class StateController : Controller
        {
            [HttpPost("/state/selected-tab")]
            public IActionResult SelectTab(string tab) => Json(new { tab });
        }

        [Route({|#0:"api/parcels"|})]
        public sealed class ParcelsController : Controller
        {
            [HttpGet("{id:int}")]
            public IActionResult One(int id) => Json(new Parcel { Id = id });
        }
        """,
        Verify.Diagnostic(UnversionedApiAnalyzer.Rule).WithLocation(0).WithArguments("api/parcels/{id:int}", "api/v1/parcels/{id:int}"));

    [Fact]
    public Task Fix_declines_when_the_versioned_route_exists_already() => ReportedNotFixed(
        Controller("""[|"api/parcels"|]""") + "\n" + """
        [ApiController]
        [Route("api/v1/parcels")]
        public sealed class ParcelsV1Controller : ControllerBase
        {
            [HttpGet("{id:int}")]
            public Parcel One(int id) => new Parcel { Id = id };
        }
        """);

    [Fact]
    public Task Fix_declines_when_the_literal_has_escapes() => ReportedNotFixed(Controller("""[|"api\u002Fparcels"|]"""));

    [Fact]
    public Task A_named_controller_route_gets_no_alias_action() => ReportedAndFixedWithoutAlias();

    private static async Task ReportedAndFixedWithoutAlias()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + Controller("""[|"api/parcels"|], Name = "parcels" """.TrimEnd()),
            FixedCode = Usings + Controller("""
                "api/v1/parcels", Name = "parcels"
                """),
            CodeActionEquivalenceKey = UnversionedApiFixer.VersionKey,
            CodeActionIndex = 0,
        };
        test.CodeActionValidationMode = CodeActionValidationMode.None;
        await test.RunAsync();
    }

    [Fact]
    public Task Version_segment_option_sets_the_inserted_version() => new Verify.Test
    {
        TestCode = Usings + Controller("""[|"api/parcels"|]"""),
        FixedCode = Usings + Controller("\"api/v2/parcels\""),
    }.WithEditorConfig("backendrules.BR0011.version_segment = v2").RunAsync();

    [Fact]
    public Task A_version_segment_option_that_is_not_a_version_falls_back_to_v1() => new Verify.Test
    {
        TestCode = Usings + Controller("""[|"api/parcels"|]"""),
        FixedCode = Usings + Controller("\"api/v1/parcels\""),
    }.WithEditorConfig("backendrules.BR0011.version_segment = latest").RunAsync();

    // ---- minimal APIs -------------------------------------------------------------------------------------

    [Fact]
    public Task Top_level_map_call_gets_the_version_after_the_api_prefix() => Fix(
        Minimal("""
                    app.MapGet([|"/api/parcels/{id:int}"|], (int id) => new Parcel { Id = id });
                    app.MapPost([|"/api/labels"|], (Parcel parcel) => Results.Ok(parcel));
            """),
        Minimal("""
                    app.MapGet("/api/v1/parcels/{id:int}", (int id) => new Parcel { Id = id });
                    app.MapPost("/api/v1/labels", (Parcel parcel) => Results.Ok(parcel));
            """));

    [Fact]
    public Task A_group_is_reported_once_and_its_endpoints_are_not() => Fix(
        Minimal("""
                    var parcels = app.MapGroup([|"/api/parcels"|]);
                    parcels.MapGet("/", () => new List<Parcel>());
                    parcels.MapGet("/{id:int}", (int id) => new Parcel { Id = id });
                    parcels.MapDelete("/{id:int}", (int id) => Results.NoContent());
            """),
        Minimal("""
                    var parcels = app.MapGroup("/api/v1/parcels");
                    parcels.MapGet("/", () => new List<Parcel>());
                    parcels.MapGet("/{id:int}", (int id) => new Parcel { Id = id });
                    parcels.MapDelete("/{id:int}", (int id) => Results.NoContent());
            """));

    [Fact]
    public Task Nested_groups_are_versioned_at_the_outermost_prefix() => Fix(
        Minimal("""
                    var api = app.MapGroup([|"api"|]).WithTags("shop");
                    var parcels = api.MapGroup("parcels");
                    parcels.MapGet("{id:int}", (int id) => new Parcel { Id = id });
                    api.MapGroup("labels").MapGet("", () => new List<Parcel>());
            """),
        Minimal("""
                    var api = app.MapGroup("api/v1").WithTags("shop");
                    var parcels = api.MapGroup("parcels");
                    parcels.MapGet("{id:int}", (int id) => new Parcel { Id = id });
                    api.MapGroup("labels").MapGet("", () => new List<Parcel>());
            """));

    [Fact]
    public Task In_a_group_with_a_versioned_child_the_unversioned_calls_take_their_own_version() => Fix(
        Minimal("""
                    var api = app.MapGroup("/api");
                    var v1 = api.MapGroup("v1");
                    v1.MapGet("parcels", () => new List<Parcel>());
                    api.MapGet([|"labels"|], () => new List<Parcel>());
            """),
        Minimal("""
                    var api = app.MapGroup("/api");
                    var v1 = api.MapGroup("v1");
                    v1.MapGet("parcels", () => new List<Parcel>());
                    api.MapGet("v1/labels", () => new List<Parcel>());
            """));

    [Fact]
    public Task Under_an_empty_group_the_calls_take_the_version() => Fix(
        Minimal("""
                    var all = app.MapGroup("").RequireAuthorization();
                    all.MapGet([|"/parcels"|], () => new List<Parcel>());
            """),
        Minimal("""
                    var all = app.MapGroup("").RequireAuthorization();
                    all.MapGet("/v1/parcels", () => new List<Parcel>());
            """));

    [Fact]
    public Task Minimal_versioned_root_health_and_documents_are_not_reported() => None(Minimal("""
                app.MapGet("/", () => "ok");
                app.MapGet("/health", () => "ok");
                app.MapGet("/healthz/ready", () => "ok");
                app.MapGet("/metrics", () => "");
                app.MapGet("/openapi/{documentName}.json", (string documentName) => "");
                app.MapGet("/api/version", () => "1.0");
                app.MapGet("/app-id.json", () => "{}");
                app.MapPost("/payments/webhook", () => Results.Ok());
                var v2 = app.MapGroup("/api/v2");
                v2.MapGet("/parcels", () => new List<Parcel>());
                app.MapGet("/v1/labels", () => new List<Parcel>());
        """));

    [Fact]
    public Task Groups_and_calls_on_a_group_from_elsewhere_are_not_reported() => None("""
        public static class ParcelEndpoints
        {
            public static RouteGroupBuilder MapParcels(this RouteGroupBuilder group)
            {
                group.MapGet("parcels", () => new List<Parcel>());
                group.MapGroup("labels").MapGet("", () => new List<Parcel>());
                return group;
            }
        }
        """);

    [Fact]
    public Task A_method_on_a_route_builder_is_reported_in_an_application_that_versions_nothing() => Fix(
        """
        public static class ParcelEndpoints
        {
            public static void MapParcels(this IEndpointRouteBuilder endpoints)
            {
                endpoints.MapGroup([|"/parcels"|]).MapGet("{id:int}", (int id) => new Parcel { Id = id });
            }
        }
        """,
        """
        public static class ParcelEndpoints
        {
            public static void MapParcels(this IEndpointRouteBuilder endpoints)
            {
                endpoints.MapGroup("/v1/parcels").MapGet("{id:int}", (int id) => new Parcel { Id = id });
            }
        }
        """);

    [Fact]
    public Task A_method_on_a_route_builder_may_be_handed_a_versioned_group() => None("""
        public static class ParcelEndpoints
        {
            public static void MapParcels(this IEndpointRouteBuilder endpoints)
            {
                endpoints.MapGroup("/parcels").MapGet("{id:int}", (int id) => new Parcel { Id = id });
            }

            public static void MapAll(WebApplication app) => app.MapGroup("/v1").MapParcels();
        }
        """);

    [Fact]
    public Task Minimal_fix_offers_no_alias_action() => Fix(
        Minimal("""
                    app.MapGet([|"/parcels"|], () => new List<Parcel>());
            """),
        Minimal("""
                    app.MapGet("/v1/parcels", () => new List<Parcel>());
            """));

    [Fact]
    public Task Minimal_fix_declines_when_the_versioned_route_is_mapped_already() => ReportedNotFixed(Minimal("""
                app.MapGet([|"/parcels"|], () => new List<Parcel>());
                app.MapGet("/v1/parcels", () => new List<Parcel>());
        """));

    // ---- the application --------------------------------------------------------------------------------

    [Fact]
    public Task An_application_that_references_a_versioning_library_is_not_reported()
    {
        var library = CSharpCompilation.Create(
            "Asp.Versioning.Abstractions",
            new[] { CSharpSyntaxTree.ParseText("namespace Asp.Versioning { public sealed class ApiVersionAttribute : System.Attribute { public ApiVersionAttribute(string version) { } } }") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).ToMetadataReference();
        var test = new Verify.Test
        {
            TestCode = Usings + "[Asp.Versioning.ApiVersion(\"1.0\")]\n" + Controller("\"api/parcels\"") + "\n" + Minimal("""
                        app.MapGet("/labels", () => new List<Parcel>());
                """),
        };
        test.TestState.AdditionalReferences.Add(library);
        return test.RunAsync();
    }

    [Fact]
    public Task Test_projects_are_not_reported_unless_asked()
    {
        var xunit = CSharpCompilation.Create(
            "xunit.core",
            new[] { CSharpSyntaxTree.ParseText("namespace Xunit { public sealed class FactAttribute : System.Attribute { } }") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).ToMetadataReference();
        var test = new Verify.Test { TestCode = Usings + Controller("\"api/parcels\"") };
        test.TestState.AdditionalReferences.Add(xunit);
        return test.RunAsync();
    }

    [Fact]
    public Task Test_projects_are_reported_with_the_option()
    {
        var xunit = CSharpCompilation.Create(
            "xunit.core",
            new[] { CSharpSyntaxTree.ParseText("namespace Xunit { public sealed class FactAttribute : System.Attribute { } }") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).ToMetadataReference();
        var test = new Verify.Test { TestCode = Usings + Controller("""[|"api/parcels"|]"""), FixedCode = Usings + Controller("\"api/v1/parcels\"") };
        test.TestState.AdditionalReferences.Add(xunit);
        test.FixedState.AdditionalReferences.Add(xunit);
        return test.WithEditorConfig("backendrules.BR0011.report_in_test_projects = true").RunAsync();
    }
}
