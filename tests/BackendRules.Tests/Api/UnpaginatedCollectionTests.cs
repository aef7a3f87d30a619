using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Api.UnpaginatedCollectionAnalyzer, BackendRules.Api.UnpaginatedCollectionFixer>;

namespace BackendRules.Tests.Api;

/// <summary>BR0005: collection endpoints without pagination, over controllers and minimal APIs.</summary>
public sealed class UnpaginatedCollectionTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.EntityFrameworkCore;

        public sealed class Product
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
            public decimal Price { get; set; }
        }

        public sealed class LogLine
        {
            public string Text { get; set; } = "";
        }

        public sealed class ShopDb : DbContext
        {
            public ShopDb(DbContextOptions<ShopDb> options) : base(options) { }
            public DbSet<Product> Products => Set<Product>();
            public DbSet<LogLine> Log => Set<LogLine>();
        }

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    private static string Controller(string members) => """
        [ApiController]
        [Route("api/products")]
        public sealed class ProductsController : ControllerBase
        {
            private readonly ShopDb _db;
            public ProductsController(ShopDb db) => _db = db;

        """ + members + "\n}\n";

    private static string Minimal(string statements) => """
        public static class Endpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {

        """ + statements + """

            }
        }

        """;

    // ---- Controllers ------------------------------------------------------------------------------------

    [Fact]
    public Task BR0005_action_returning_every_row_report_and_fix() => Fix(
        Controller("""
                [HttpGet]
                public List<Product> [|GetProducts|]() => _db.Products.ToList();
            """),
        Controller("""
                [HttpGet]
                public List<Product> GetProducts(int page = 1, int pageSize = 50)
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    return _db.Products.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToList();
                }
            """));

    private const string Projection = """
        namespace AutoMapper.QueryableExtensions
        {
            public static class Extensions
            {
                public static IQueryable<TDestination> ProjectTo<TDestination>(this IQueryable source, object configuration) => throw new NotSupportedException();
            }
        }

        public sealed class ProductDto
        {
            public string Name { get; set; } = "";
        }

        """;

    [Fact]
    public Task A_mapper_projection_is_paged_below_it_on_the_entity_query() => Fix(
        Projection + """
        public sealed class CatalogController : ControllerBase
        {
            private readonly ShopDb _db;
            private readonly object _mapping = new();
            public CatalogController(ShopDb db) => _db = db;

            [HttpGet("api/catalog")]
            public List<ProductDto> [|Catalog|]() => AutoMapper.QueryableExtensions.Extensions.ProjectTo<ProductDto>(_db.Products.Where(p => p.Price > 0), _mapping).ToList();
        }
        """,
        Projection + """
        public sealed class CatalogController : ControllerBase
        {
            private readonly ShopDb _db;
            private readonly object _mapping = new();
            public CatalogController(ShopDb db) => _db = db;

            [HttpGet("api/catalog")]
            public List<ProductDto> Catalog(int page = 1, int pageSize = 50)
            {
                pageSize = Math.Clamp(pageSize, 1, 100);
                page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                return AutoMapper.QueryableExtensions.Extensions.ProjectTo<ProductDto>(_db.Products.Where(p => p.Price > 0).OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize), _mapping).ToList();
            }
        }
        """);

    [Fact]
    public Task Message_names_the_action_and_the_row_type() => Verify.VerifyAnalyzerAsync(
        Usings + Controller("""
                [HttpGet]
                public IEnumerable<Product> {|#0:GetProducts|}() => _db.Products;
            """),
        Verify.Diagnostic(BackendRules.Api.UnpaginatedCollectionAnalyzer.Rule).WithLocation(0).WithMessage("'GetProducts' returns every 'Product' in one response; add page parameters and return one page"));

    [Fact]
    public Task Async_action_keeps_its_order_and_breaks_ties_by_key() => Fix(
        Controller("""
                [HttpGet("cheap")]
                public async Task<ActionResult<IEnumerable<Product>>> [|Cheap|](CancellationToken cancellationToken)
                {
                    return await _db.Products
                        .Where(p => p.Price < 10)
                        .OrderBy(p => p.Name)
                        .ToListAsync(cancellationToken);
                }
            """),
        Controller("""
                [HttpGet("cheap")]
                public async Task<ActionResult<IEnumerable<Product>>> Cheap(CancellationToken cancellationToken, int page = 1, int pageSize = 50)
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    return await _db.Products
                        .Where(p => p.Price < 10)
                        .OrderBy(p => p.Name)
                        .ThenBy(p => p.Id)
                        .Skip((page - 1) * pageSize)
                        .Take(pageSize)
                        .ToListAsync(cancellationToken);
                }
            """));

    [Fact]
    public Task Parameters_one_per_line_stay_one_per_line() => Fix(
        Controller("""
                [HttpGet("by-price")]
                public async Task<List<Product>> [|ByPrice|](
                    decimal min,
                    CancellationToken cancellationToken)
                    => await _db.Products.Where(p => p.Price >= min).ToListAsync(cancellationToken);
            """),
        Controller("""
                [HttpGet("by-price")]
                public async Task<List<Product>> ByPrice(
                    decimal min,
                    CancellationToken cancellationToken,
                    int page = 1,
                    int pageSize = 50)
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    return await _db.Products.Where(p => p.Price >= min).OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
                }
            """));

    [Fact]
    public Task Ok_of_a_local_in_an_action_result_action_report_and_fix() => Fix(
        Controller("""
                [HttpGet("search")]
                public async Task<IActionResult> [|Search|](string name)
                {
                    if (name.Length == 0)
                    {
                        return BadRequest();
                    }

                    var found = await _db.Products.Where(p => p.Name.Contains(name)).OrderByDescending(p => p.Id).Select(p => new { p.Id, p.Name }).ToListAsync();
                    return Ok(found);
                }
            """),
        Controller("""
                [HttpGet("search")]
                public async Task<IActionResult> Search(string name, int page = 1, int pageSize = 50)
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    if (name.Length == 0)
                    {
                        return BadRequest();
                    }

                    var found = await _db.Products.Where(p => p.Name.Contains(name)).OrderByDescending(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).Select(p => new { p.Id, p.Name }).ToListAsync();
                    return Ok(found);
                }
            """));

    [Fact]
    public Task Every_collection_shape_is_reported() => None(
        Controller("""
                [HttpGet("a")] public Product[] [|AsArray|]() => _db.Products.ToArray();
                [HttpGet("b")] public IQueryable<Product> [|AsQueryable|]() => _db.Products.Where(p => p.Price > 0);
                [HttpGet("c")] public IAsyncEnumerable<Product> [|AsStream|]() => _db.Products.AsAsyncEnumerable();
                [HttpGet("d")] public ICollection<Product> [|AsCollection|]() => _db.Products.ToList();
                [HttpGet("e")] public IReadOnlyList<Product> [|AsReadOnlyList|]() => _db.Products.ToList();
                [HttpGet("f")] public ValueTask<List<Product>> [|AsValueTask|]() => new ValueTask<List<Product>>(_db.Products.ToListAsync());
                [HttpGet("g")] public ActionResult<List<string>> [|Names|]() => _db.Products.Select(p => p.Name).ToList();
                [HttpGet("h")] public async Task<IActionResult> [|Json|]() => new JsonResult(await _db.Products.ToListAsync());
                [HttpGet("i")] public IActionResult [|Top500|]() => Ok(_db.Products.OrderBy(p => p.Id).Take(500).ToList());
                [HttpGet("j")] public IActionResult [|Conditional|](bool cheap) => cheap ? Ok(_db.Products.Where(p => p.Price < 1).ToList()) : NotFound();
                public List<Product> [|AnyMethod|]() => _db.Products.ToList();
                [HttpGet("k")] public IResult [|AsResult|]() => Results.Json(_db.Products.ToList());
                [HttpGet("l")] public object [|AsObject|]() => new OkObjectResult(_db.Products.Select(p => new { p.Id }).ToList());
            """));

    [Fact]
    public Task Action_of_an_abstract_base_controller_is_reported_once_where_declared() => None(
        """
        [ApiController]
        [Route("api/[controller]")]
        public abstract class CatalogControllerBase : ControllerBase
        {
            protected CatalogControllerBase(ShopDb db) => Db = db;
            protected ShopDb Db { get; }

            [HttpGet]
            public List<Product> [|All|]() => Db.Products.ToList();
        }

        public sealed class ProductsController : CatalogControllerBase
        {
            public ProductsController(ShopDb db) : base(db) { }
        }

        public sealed class OffersController : CatalogControllerBase
        {
            public OffersController(ShopDb db) : base(db) { }
        }
        """);

    [Fact]
    public Task Mvc_controller_json_result_is_reported() => None(
        """
        public sealed class HomeController : Controller
        {
            private readonly ShopDb _db;
            public HomeController(ShopDb db) => _db = db;

            [HttpGet]
            public IActionResult [|Products|]() => Json(_db.Products.ToList());
        }
        """);

    // ---- Minimal APIs -----------------------------------------------------------------------------------

    [Fact]
    public Task BR0005_minimal_api_lambda_report_and_fix() => Fix(
        Minimal("""
                    app.MapGet("/products", [|(ShopDb db) =>|] db.Products.ToList());
            """),
        Minimal("""
                    app.MapGet("/products", (ShopDb db, int page = 1, int pageSize = 50) =>
                    {
                        pageSize = Math.Clamp(pageSize, 1, 100);
                        page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                        return db.Products.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToList();
                    });
            """));

    [Fact]
    public Task Group_prefix_is_in_the_message() => Verify.VerifyAnalyzerAsync(
        Usings + Minimal("""
                    var api = app.MapGroup("/api");
                    var products = api.MapGroup("products");
                    products.MapGet("/", {|#0:async (ShopDb db, CancellationToken ct) =>|} await db.Products.ToListAsync(ct));
                    products.MapGet(Routes.Names, {|#1:(ShopDb db) =>|} db.Products.Select(p => p.Name).ToList());
            """) + """
        public static class Routes
        {
            public static readonly string Names = "names";
        }
        """,
        Verify.Diagnostic(BackendRules.Api.UnpaginatedCollectionAnalyzer.Rule).WithLocation(0).WithMessage("'GET /api/products' returns every 'Product' in one response; add page parameters and return one page"),
        Verify.Diagnostic(BackendRules.Api.UnpaginatedCollectionAnalyzer.Rule).WithLocation(1).WithMessage("'GET Routes.Names' returns every 'string' in one response; add page parameters and return one page"));

    [Fact]
    public Task Results_ok_in_a_block_lambda_report_and_fix() => Fix(
        Minimal("""
                    app.MapGroup("/api").MapGet("/products", [|async (ShopDb db, string? name) =>|]
                    {
                        if (name is null)
                        {
                            return Results.Ok(await db.Products.ToListAsync());
                        }

                        return Results.NotFound();
                    });
            """),
        Minimal("""
                    app.MapGroup("/api").MapGet("/products", async (ShopDb db, string? name, int page = 1, int pageSize = 50) =>
                    {
                        pageSize = Math.Clamp(pageSize, 1, 100);
                        page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                        if (name is null)
                        {
                            return Results.Ok(await db.Products.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync());
                        }

                        return Results.NotFound();
                    });
            """));

    [Fact]
    public Task Typed_results_and_returned_queryables_report_and_fix() => Fix(
        Minimal("""
                    app.MapGet("/a", [|(ShopDb db) =>|] TypedResults.Ok(db.Products.Where(p => p.Price > 0).ToArray()));
                    app.MapGet("/b", [|(ShopDb db) =>|] db.Products.OrderBy(p => p.Price).Select(p => p.Name));
            """),
        Minimal("""
                    app.MapGet("/a", (ShopDb db, int page = 1, int pageSize = 50) =>
                    {
                        pageSize = Math.Clamp(pageSize, 1, 100);
                        page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                        return TypedResults.Ok(db.Products.Where(p => p.Price > 0).OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToArray());
                    });
                    app.MapGet("/b", (ShopDb db, int page = 1, int pageSize = 50) =>
                    {
                        pageSize = Math.Clamp(pageSize, 1, 100);
                        page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                        return db.Products.OrderBy(p => p.Price).ThenBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).Select(p => p.Name);
                    });
            """));

    [Fact]
    public Task Method_group_handler_report_and_fix() => Fix(
        """
        public static class Endpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/products", [|All|]);
                app.MapMethods("/names", new[] { "GET", "HEAD" }, [|Names|]);
            }

            private static async Task<List<Product>> All(ShopDb db) => await db.Products.ToListAsync();

            private static List<string> Names(ShopDb db)
            {
                return db.Products.OrderBy(p => p.Name).Select(p => p.Name).ToList();
            }
        }
        """,
        """
        public static class Endpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/products", All);
                app.MapMethods("/names", new[] { "GET", "HEAD" }, Names);
            }

            private static async Task<List<Product>> All(ShopDb db, int page = 1, int pageSize = 50)
            {
                pageSize = Math.Clamp(pageSize, 1, 100);
                page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                return await db.Products.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();
            }

            private static List<string> Names(ShopDb db, int page = 1, int pageSize = 50)
            {
                pageSize = Math.Clamp(pageSize, 1, 100);
                page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                return db.Products.OrderBy(p => p.Name).ThenBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).Select(p => p.Name).ToList();
            }
        }
        """);

    [Fact]
    public Task Awaited_service_result_in_ok_is_paged_in_parentheses() => Fix(
        """
        public sealed class Catalog
        {
            private readonly ShopDb _db;
            public Catalog(ShopDb db) => _db = db;
            public Task<List<Product>> AllAsync() => _db.Products.ToListAsync();
        }

        public sealed class CatalogController : ControllerBase
        {
            private readonly Catalog _catalog;
            public CatalogController(Catalog catalog) => _catalog = catalog;

            [HttpGet("catalog")]
            public async Task<IActionResult> [|All|]() => Ok(await _catalog.AllAsync());
        }
        """,
        """
        public sealed class Catalog
        {
            private readonly ShopDb _db;
            public Catalog(ShopDb db) => _db = db;
            public Task<List<Product>> AllAsync() => _db.Products.ToListAsync();
        }

        public sealed class CatalogController : ControllerBase
        {
            private readonly Catalog _catalog;
            public CatalogController(Catalog catalog) => _catalog = catalog;

            [HttpGet("catalog")]
            public async Task<IActionResult> All(int page = 1, int pageSize = 50)
            {
                pageSize = Math.Clamp(pageSize, 1, 100);
                page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                return Ok((await _catalog.AllAsync()).Skip((page - 1) * pageSize).Take(pageSize));
            }
        }
        """);

    [Fact]
    public Task Local_function_handler_report_and_fix() => Fix(
        Minimal("""
                    app.MapGet("/products", [|All|]);

                    static IEnumerable<Product> All(ShopDb db) => db.Products.AsNoTracking();
            """),
        Minimal("""
                    app.MapGet("/products", All);

                    static IEnumerable<Product> All(ShopDb db, int page = 1, int pageSize = 50)
                    {
                        pageSize = Math.Clamp(pageSize, 1, 100);
                        page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                        return db.Products.AsNoTracking().OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize);
                    }
            """));

    [Fact]
    public Task In_memory_sequence_from_a_service_keeps_its_order_and_is_materialized_again() => Fix(
        """
        public sealed class Catalog
        {
            private readonly ShopDb _db;
            public Catalog(ShopDb db) => _db = db;
            public List<Product> All() => _db.Products.ToList();
        }

        public static class Endpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/products", [|(Catalog catalog) =>|]
                {
                    List<Product> all = catalog.All();
                    return all;
                });
            }
        }
        """,
        """
        public sealed class Catalog
        {
            private readonly ShopDb _db;
            public Catalog(ShopDb db) => _db = db;
            public List<Product> All() => _db.Products.ToList();
        }

        public static class Endpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/products", (Catalog catalog, int page = 1, int pageSize = 50) =>
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    List<Product> all = catalog.All().Skip((page - 1) * pageSize).Take(pageSize).ToList();
                    return all;
                });
            }
        }
        """);

    [Fact]
    public Task Rows_read_from_a_query_without_order_get_one_and_ordered_sql_keeps_its_own() => Fix(
        """
        public static class SqlEndpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/a", [|(System.Data.IDbConnection c) =>|] Dapper.SqlMapper.Query<Product>(c, "SELECT Id, Name, Price FROM products"));
                app.MapGet("/b", [|(System.Data.IDbConnection c) =>|] Dapper.SqlMapper.Query<Product>(c, "SELECT Id, Name, Price FROM products ORDER BY Name, Id"));
                app.MapGet("/c", [|(ShopDb db) =>|] db.Products.ToList().Where(p => p.Name.Length > 3));
            }
        }
        """,
        """
        public static class SqlEndpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/a", (System.Data.IDbConnection c, int page = 1, int pageSize = 50) =>
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    return Dapper.SqlMapper.Query<Product>(c, "SELECT Id, Name, Price FROM products").OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize);
                });
                app.MapGet("/b", (System.Data.IDbConnection c, int page = 1, int pageSize = 50) =>
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    return Dapper.SqlMapper.Query<Product>(c, "SELECT Id, Name, Price FROM products ORDER BY Name, Id").Skip((page - 1) * pageSize).Take(pageSize);
                });
                app.MapGet("/c", (ShopDb db, int page = 1, int pageSize = 50) =>
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    return db.Products.ToList().Where(p => p.Name.Length > 3).OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize);
                });
            }
        }
        """);

    [Fact]
    public async Task Missing_usings_are_added_once()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using Microsoft.AspNetCore.Builder;
                using Microsoft.AspNetCore.Routing;
                using Microsoft.EntityFrameworkCore;

                public sealed record Item(int Id, string Name, decimal Price);

                public sealed class ItemDb : DbContext
                {
                    public DbSet<Item> Items => Set<Item>();
                }

                public static class Endpoints
                {
                    public static void Map(IEndpointRouteBuilder app)
                    {
                        app.MapGet("/items", [|async (ItemDb db) =>|] await db.Items.ToListAsync());
                        app.MapGet("/more", [|async (ItemDb db) =>|] await db.Items.ToListAsync());
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Linq;
                using Microsoft.AspNetCore.Builder;
                using Microsoft.AspNetCore.Routing;
                using Microsoft.EntityFrameworkCore;

                public sealed record Item(int Id, string Name, decimal Price);

                public sealed class ItemDb : DbContext
                {
                    public DbSet<Item> Items => Set<Item>();
                }

                public static class Endpoints
                {
                    public static void Map(IEndpointRouteBuilder app)
                    {
                        app.MapGet("/items", async (ItemDb db, int page = 1, int pageSize = 50) =>
                        {
                            pageSize = Math.Clamp(pageSize, 1, 100);
                            page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                            return await db.Items.OrderBy(i => i.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();
                        });
                        app.MapGet("/more", async (ItemDb db, int page = 1, int pageSize = 50) =>
                        {
                            pageSize = Math.Clamp(pageSize, 1, 100);
                            page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                            return await db.Items.OrderBy(i => i.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();
                        });
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    // ---- Not reported -----------------------------------------------------------------------------------

    [Fact]
    public Task Page_parameters_in_any_spelling_are_pagination_input() => None(
        """
        public sealed class ProductQuery
        {
            public int PageNumber { get; set; }
            public string? Name { get; set; }
        }

        public sealed record Paging(int Skip, int Take);

        public sealed class ListRequest
        {
            [FromQuery(Name = "page_token")]
            public string? Token { get; set; }
        }

        """ + Minimal("""
                    app.MapGet("/a", (ShopDb db, int page, int pageSize) => db.Products.ToList());
                    app.MapGet("/b", (ShopDb db, [FromQuery(Name = "per_page")] int size) => db.Products.ToList());
                    app.MapGet("/c", (ShopDb db, int? limit) => db.Products.ToList());
                    app.MapGet("/d", (ShopDb db, string? cursor) => db.Products.ToList());
                    app.MapGet("/e", (ShopDb db, string? continuation_token) => db.Products.ToList());
                    app.MapGet("/f", (ShopDb db, [AsParameters] ProductQuery query) => db.Products.ToList());
                    app.MapGet("/g", (ShopDb db, int PAGE_SIZE) => db.Products.ToList());
                    app.MapGet("/j", (ShopDb db, [FromQuery(Name = "page[size]")] int size) => db.Products.ToList());
                    app.MapGet("/h", (ShopDb db, HttpRequest request) => request.Query["top"].Count > 0 ? db.Products.ToList() : new List<Product>());
                    app.MapGet("/i", (ShopDb db, HttpContext context) => context.Request.Query.ContainsKey("after") ? db.Products.ToList() : new List<Product>());
            """) + Controller("""
                [HttpGet("a")] public List<Product> A([FromQuery] Paging paging) => _db.Products.ToList();
                [HttpGet("b")] public List<Product> B([FromQuery] ListRequest request) => _db.Products.ToList();
                [HttpGet("c")] public List<Product> C(int offset, int first) => _db.Products.ToList();
            """));

    [Fact]
    public Task OData_server_paging_and_query_options_are_pagination() => None(
        """
        namespace Microsoft.AspNetCore.OData.Query
        {
            public sealed class EnableQueryAttribute : System.Attribute { public int PageSize { get; set; } public int MaxTop { get; set; } }
            public sealed class ODataQueryOptions<T> { }
        }

        """ + Controller("""
                [HttpGet("a"), Microsoft.AspNetCore.OData.Query.EnableQuery(PageSize = 50)] public IQueryable<Product> A() => _db.Products;
                [HttpGet("b")] public List<Product> B(Microsoft.AspNetCore.OData.Query.ODataQueryOptions<Product> options) => _db.Products.ToList();
                [HttpGet("c"), Microsoft.AspNetCore.OData.Query.EnableQuery] public IQueryable<Product> [|C|]() => _db.Products;
            """));

    [Fact]
    public Task Bounded_and_fixed_collections_are_not_reported() => None(
        """
        public enum Status { Active, Retired }

        public static class Lookups
        {
            public static readonly string[] Regions = { "eu", "us" };
            public static IReadOnlyList<string> Currencies { get; } = new[] { "EUR", "USD" };
        }

        """ + Minimal("""
                    const int Top = 20;
                    app.MapGet("/top", (ShopDb db) => db.Products.OrderBy(p => p.Price).Take(20).ToList());
                    app.MapGet("/top-const", (ShopDb db) => db.Products.OrderBy(p => p.Price).Take(Top).Select(p => p.Name).ToList());
                    app.MapGet("/top-100", async (ShopDb db) => await db.Products.Take(100).ToListAsync());
                    app.MapGet("/configured", (ShopDb db, Microsoft.Extensions.Configuration.IConfiguration config) => db.Products.Take(int.Parse(config["Max"]!)).ToList());
                    app.MapGet("/take-first", (ShopDb db) => { var query = db.Products.Take(10); return query.ToList(); });
                    app.MapGet("/statuses", () => Enum.GetValues<Status>());
                    app.MapGet("/status-names", () => Enum.GetNames(typeof(Status)).Select(n => n.ToLowerInvariant()).ToList());
                    app.MapGet("/colors", () => new[] { "red", "green" });
                    app.MapGet("/sizes", () => new List<string> { "S", "M", "L" });
                    app.MapGet("/literal", () => { string[] shapes = ["circle", "square"]; return shapes; });
                    app.MapGet("/regions", () => Lookups.Regions);
                    app.MapGet("/currencies", () => Lookups.Currencies);
                    app.MapGet("/empty", () => Array.Empty<Product>());
                    app.MapGet("/ok-literal", () => Results.Ok(new[] { 1, 2, 3 }));
            """));

    [Fact]
    public Task Page_envelopes_single_items_and_non_collections_are_not_reported() => None(
        """
        public sealed class PagedResult<T>
        {
            public List<T> Items { get; set; } = new();
            public int TotalCount { get; set; }
        }

        public sealed class PagedList<T> : List<T>
        {
            public bool HasNextPage { get; set; }
        }

        """ + Minimal("""
                    app.MapGet("/paged", (ShopDb db) => new PagedResult<Product> { Items = db.Products.ToList() });
                    app.MapGet("/paged-list", (ShopDb db) => new PagedList<Product>());
                    app.MapGet("/one", (ShopDb db) => db.Products.First());
                    app.MapGet("/name", () => "products");
                    app.MapGet("/counts", (ShopDb db) => db.Products.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Count()));
                    app.MapGet("/file", () => new byte[] { 1, 2 });
                    app.MapGet("/wrapped", (ShopDb db) => Results.Ok(new { items = db.Products.ToList(), next = "x" }));
                    app.MapGet("/nothing", () => Results.Ok());
            """));

    [Fact]
    public Task Other_methods_and_non_endpoints_are_not_reported() => None(
        Minimal("""
                    app.MapPost("/products", (ShopDb db) => db.Products.ToList());
                    app.MapPut("/products", (ShopDb db) => db.Products.ToList());
                    app.MapDelete("/products", (ShopDb db) => db.Products.ToList());
                    app.MapMethods("/products", new[] { "PATCH" }, (ShopDb db) => db.Products.ToList());
            """) + Controller("""
                [HttpPost] public List<Product> Create() => _db.Products.ToList();
                [NonAction] public List<Product> Helper() => _db.Products.ToList();
                private List<Product> Private() => _db.Products.ToList();
            """) + """
        public sealed class ProductService
        {
            public List<Product> All(ShopDb db) => db.Products.ToList();
        }
        """);

    [Fact]
    public Task Sql_with_a_limit_is_bounded() => None(
        """
        public static class SqlEndpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                app.MapGet("/latest", (System.Data.IDbConnection c) => Dapper.SqlMapper.Query<Product>(c, "SELECT Id, Name, Price FROM products ORDER BY Id DESC LIMIT 20"));
                app.MapGet("/top", (ShopDb db) => db.Products.FromSqlRaw("SELECT TOP (25) * FROM products").ToList());
            }
        }
        """);

    [Fact]
    public Task Methods_read_from_http_methods_fields_and_accept_verbs_decide() => None(
        Minimal("""
                    var methods = new[] { "GET" };
                    app.MapMethods("/a", new[] { HttpMethods.Get, HttpMethods.Head }, [|(ShopDb db) =>|] db.Products.ToList());
                    app.MapMethods("/b", new[] { HttpMethods.Post }, (ShopDb db) => db.Products.ToList());
                    app.MapMethods("/c", new[] { "get" }, [|(ShopDb db) =>|] db.Products.ToList());
                    // Methods the rule cannot read are not guessed to include GET.
                    app.MapMethods("/d", methods, (ShopDb db) => db.Products.ToList());
            """) + Controller("""
                [AcceptVerbs("GET", "HEAD")] public List<Product> [|Listing|]() => _db.Products.ToList();
                [AcceptVerbs("POST")] public List<Product> Import() => _db.Products.ToList();
                [Route("all")] [HttpGet] public Product[] [|All|]() => _db.Products.ToArray();
            """));

    // Combinations where the HTTP method comes from several attributes: a plain [Route] takes its siblings'
    // methods, or accepts any method when they have none; a template-less [HttpX] does not restrict another's route.
    [Fact]
    public Task Route_and_method_attributes_combine_as_in_mvc() => None(
        Controller("""
                [Route("plain")] public List<Product> [|Plain|]() => _db.Products.ToList();
                [Route("posted")] [HttpPost] public List<Product> Posted() => _db.Products.ToList();
                [HttpPost("created")] [HttpGet("listed")] public List<Product> [|Both|]() => _db.Products.ToList();
                [HttpPut] [HttpDelete] public List<Product> Replaced() => _db.Products.ToList();
                [AcceptVerbs] public List<Product> [|AnyMethod|]() => _db.Products.ToList();
            """));

    [Fact]
    public Task Batch_get_by_requested_ids_is_bounded_by_the_request() => None(
        Minimal("""
                    app.MapGet("/batch", (ShopDb db, [FromQuery] int[] ids) => db.Products.Where(p => ids.Contains(p.Id)).ToList());
                    app.MapGet("/by-name", [|(ShopDb db, [FromQuery] string[] names) =>|] db.Products.Where(p => names.Contains(p.Name)).ToList());
            """));

    [Fact]
    public async Task Method_group_handler_in_another_file_is_judged_by_its_type_and_not_fixed()
    {
        const string Map = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            public static class Routes
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    app.MapGet("/all", [|Handlers.All|]);
                    app.MapGet("/top", Handlers.Top);
                }
            }
            """;
        const string Handlers = """
            using System.Collections.Generic;
            using System.Linq;

            public static class Handlers
            {
                public static List<Product> All(ShopDb db) => db.Products.ToList();
                public static List<Product> Top(ShopDb db) => db.Products.OrderBy(p => p.Price).Take(10).ToList();
            }
            """;
        var test = new Verify.Test
        {
            TestState = { Sources = { Usings, Map, Handlers } },
            FixedState = { Sources = { Usings, Map, Handlers }, MarkupHandling = MarkupMode.Allow },
        };
        await test.RunAsync();
    }

    [Fact]
    public Task Async_stream_from_the_query_is_paged_before_as_async_enumerable() => Fix(
        Controller("""
                [HttpGet("stream")]
                public IAsyncEnumerable<Product> [|Stream|]() => _db.Products.AsNoTracking().AsAsyncEnumerable();
            """),
        Controller("""
                [HttpGet("stream")]
                public IAsyncEnumerable<Product> Stream(int page = 1, int pageSize = 50)
                {
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                    return _db.Products.AsNoTracking().OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).AsAsyncEnumerable();
                }
            """));

    // ---- Options ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Page_parameter_names_option_replaces_the_list()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + Minimal("""
                        app.MapGet("/a", (ShopDb db, int pg, int size) => db.Products.ToList());
                        app.MapGet("/b", [|(ShopDb db, int page) =>|] db.Products.Take(200).ToList());
                """),
        }.WithEditorConfig("backendrules.BR0005.page_parameter_names = pg, Size");
        test.FixedState.Sources.Add(Usings + Minimal("""
                        app.MapGet("/a", (ShopDb db, int pg, int size) => db.Products.ToList());
                        app.MapGet("/b", [|(ShopDb db, int page) =>|] db.Products.Take(200).ToList());
                """));
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Page_size_options_set_the_default_the_ceiling_and_the_bound()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + Minimal("""
                        app.MapGet("/a", (ShopDb db) => db.Products.Take(150).ToList());
                        app.MapGet("/b", [|(ShopDb db) =>|] db.Products.Take(250).ToList());
                """),
            FixedCode = Usings + Minimal("""
                        app.MapGet("/a", (ShopDb db) => db.Products.Take(150).ToList());
                        app.MapGet("/b", (ShopDb db, int page = 1, int pageSize = 25) =>
                        {
                            pageSize = Math.Clamp(pageSize, 1, 200);
                            page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                            return db.Products.Take(250).OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToList();
                        });
                """),
        }.WithEditorConfig("backendrules.BR0005.default_page_size = 25\nbackendrules.BR0005.max_page_size = 200");
        await test.RunAsync();
    }

    [Fact]
    public async Task Package_wide_keys_apply_and_a_default_above_the_ceiling_is_capped()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + Minimal("""
                        app.MapGet("/b", [|(ShopDb db) =>|] db.Products.ToList());
                """),
            FixedCode = Usings + Minimal("""
                        app.MapGet("/b", (ShopDb db, int page = 1, int pageSize = 10) =>
                        {
                            pageSize = Math.Clamp(pageSize, 1, 10);
                            page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                            return db.Products.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToList();
                        });
                """),
        }.WithEditorConfig("backendrules.default_page_size = 500\nbackendrules.max_page_size = 10");
        await test.RunAsync();
    }

    [Theory]
    [InlineData("abc", "-5")]
    [InlineData("", "0")]
    [InlineData("1e3", "100000000000")]
    public async Task Malformed_options_fall_back_to_the_defaults(string size, string max)
    {
        // Default names (page_number), default ceiling (Take(100) is bounded), default page size and ceiling in the fix.
        var test = new Verify.Test
        {
            TestCode = Usings + Minimal("""
                        app.MapGet("/a", (ShopDb db) => db.Products.Take(100).ToList());
                        app.MapGet("/b", (ShopDb db, int page_number) => db.Products.ToList());
                        app.MapGet("/c", [|(ShopDb db) =>|] db.Products.ToList());
                """),
            FixedCode = Usings + Minimal("""
                        app.MapGet("/a", (ShopDb db) => db.Products.Take(100).ToList());
                        app.MapGet("/b", (ShopDb db, int page_number) => db.Products.ToList());
                        app.MapGet("/c", (ShopDb db, int page = 1, int pageSize = 50) =>
                        {
                            pageSize = Math.Clamp(pageSize, 1, 100);
                            page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                            return db.Products.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToList();
                        });
                """),
        }.WithEditorConfig($"backendrules.BR0005.default_page_size = {size}\nbackendrules.BR0005.max_page_size = {max}\nbackendrules.BR0005.page_parameter_names = ,, ,");
        await test.RunAsync();
    }

    // ---- Reported, no fix offered ----------------------------------------------------------------------

    [Fact]
    public Task No_key_and_no_order_report_no_fix() => NoFix(
        Minimal("""
                    app.MapGet("/log", [|(ShopDb db) =>|] db.Log.ToList());
            """));

    [Fact]
    public Task Collections_built_step_by_step_or_returned_twice_report_no_fix() => NoFix(
        Minimal("""
                    app.MapGet("/built", [|(ShopDb db) =>|]
                    {
                        var list = new List<Product>();
                        foreach (var product in db.Products)
                        {
                            list.Add(product);
                        }

                        return list;
                    });
                    app.MapGet("/twice", [|(ShopDb db, bool cheap) =>|]
                    {
                        if (cheap)
                        {
                            return db.Products.Where(p => p.Price < 1).ToList();
                        }

                        return db.Products.ToList();
                    });
                    app.MapGet("/used", [|(ShopDb db) =>|]
                    {
                        var all = db.Products.ToList();
                        Console.WriteLine(all.Count);
                        return all;
                    });
            """));

    [Fact]
    public Task Name_clash_iterator_async_stream_and_unknown_order_report_no_fix() => NoFix(
        """
        public static class Streams
        {
            public static async IAsyncEnumerable<Product> Live(ShopDb db)
            {
                await foreach (var product in db.Products.AsAsyncEnumerable())
                {
                    yield return product;
                }
            }
        }

        """ + Controller("""
                private readonly int pageSize = 10;

                [HttpGet("a")] public List<Product> [|A|]() { var total = pageSize; return _db.Products.ToList(); }
                [HttpGet("b")] public IEnumerable<Product> [|B|]() { foreach (var p in _db.Products) yield return p; }
                [HttpGet("c")] public IAsyncEnumerable<Product> [|C|]() => Streams.Live(_db);
                [HttpGet("d")] public List<Product> [|D|]() => _db.Products.OrderBy(p => p.Name).Distinct().ToList();
            """));

    [Fact]
    public Task Anonymous_method_handler_report_no_fix() => NoFix(
        Minimal("""
                    app.MapGet("/products", [|delegate (ShopDb db) { return db.Products.ToList(); }|]);
            """));

    [Fact]
    public async Task Lambda_before_csharp_12_report_no_fix()
    {
        var source = Usings + Minimal("""
                    app.MapGet("/products", [|(ShopDb db) =>|] db.Products.ToList());
            """);
        var test = new Verify.Test { TestCode = source, FixedCode = source, LanguageVersion = LanguageVersion.CSharp11 };
        await test.RunAsync();
    }

    // ---- Fix All ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Fix_all_in_document_project_and_solution_fixes_every_handler_and_leaves_the_declining_one()
    {
        var first = Usings + Controller("""
                [HttpGet] public List<Product> [|All|]() => _db.Products.ToList();
                [HttpGet("log")] public List<LogLine> [|Log|]() => _db.Log.ToList();
            """);
        var second = """
            using System.Linq;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            public static class More
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    app.MapGet("/cheap", [|(ShopDb db) =>|] db.Products.Where(p => p.Price < 5).ToList());
                }
            }
            """;
        var test = new Verify.Test
        {
            TestState = { Sources = { first, second } },
            FixedState =
            {
                MarkupHandling = MarkupMode.Allow,
                Sources =
                {
                    Usings + Controller("""
                            [HttpGet] public List<Product> All(int page = 1, int pageSize = 50)
                            {
                                pageSize = Math.Clamp(pageSize, 1, 100);
                                page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                                return _db.Products.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToList();
                            }
                            [HttpGet("log")] public List<LogLine> {|BR0005:Log|}() => _db.Log.ToList();
                        """),
                    """
                    using System;
                    using System.Linq;
                    using Microsoft.AspNetCore.Builder;
                    using Microsoft.AspNetCore.Routing;

                    public static class More
                    {
                        public static void Map(IEndpointRouteBuilder app)
                        {
                            app.MapGet("/cheap", (ShopDb db, int page = 1, int pageSize = 50) =>
                            {
                                pageSize = Math.Clamp(pageSize, 1, 100);
                                page = Math.Clamp(page, 1, int.MaxValue / pageSize);
                                return db.Products.Where(p => p.Price < 5).OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToList();
                            });
                        }
                    }
                    """,
                },
            },
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 2,
            NumberOfFixAllInProjectIterations = 1,
        };
        await test.RunAsync();
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Fix_all_started_from_a_declining_diagnostic_fixes_the_others(FixAllScope scope)
    {
        // The first diagnostic (LogLine has no key) declines: dotnet format starts Fix All there with no equivalence key.
        var source = Usings + Minimal("""
                    app.MapGet("/log", (ShopDb db) => db.Log.ToList());
                    app.MapGet("/products", (ShopDb db) => db.Products.ToList());
                    app.MapGet("/cheap", async (ShopDb db) => await db.Products.Where(p => p.Price < 5).ToListAsync());
            """);

        var fixedSource = await FixRunner.FixAllFromFirstDiagnosticAsync(source, new UnpaginatedCollectionAnalyzer(), new UnpaginatedCollectionFixer(), scope);

        Assert.Contains("app.MapGet(\"/log\", (ShopDb db) => db.Log.ToList());", fixedSource);
        Assert.Contains("return db.Products.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToList();", fixedSource);
        Assert.Contains("return await db.Products.Where(p => p.Price < 5).OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();", fixedSource);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(fixedSource, "int page = 1, int pageSize = 50").Count);
        FixRunner.CompileAndLoad(fixedSource, "FixAllStart_" + scope);
    }
}
