using System.Threading.Tasks;
using BackendRules.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Api.StatusCodeAnalyzer, BackendRules.Api.StatusCodeFixer>;

namespace BackendRules.Tests.Api;

/// <summary>BR0010: a creating POST that answers 200, a DELETE that answers 200; controllers and minimal APIs; the fix and its declines.</summary>
public sealed class StatusCodeTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.EntityFrameworkCore;

        public sealed class Order { public int Id { get; set; } public string Item { get; set; } = ""; }
        public sealed class OrderDto { public int OrderId { get; set; } }
        public sealed class Note { public string Text { get; set; } = ""; }
        public sealed class ShopDb : DbContext { public DbSet<Order> Orders => Set<Order>(); }
        public interface IOrderRepository
        {
            Task<Order> AddAsync(Order order);
            Task<Order?> FindAsync(int id);
            Task<bool> DeleteAsync(int id);
            Order Create(string item);
            Task<Order> AddOrUpdateAsync(Order order);
            Task<List<Order>> AddRangeAsync(List<Order> orders);
        }
        public sealed record CreateOrderCommand(string Item);
        public interface IMediator { Task<int> Send(object request); }
        public interface IShopDbFactory { ShopDb CreateDbContext(); }
        public interface IRatings { Task AddRatings(int userId, Order order); }
        public sealed record CreateInvoiceResult(int Id, bool Created);
        public interface IInvoices { Task<CreateInvoiceResult> CreateInvoiceAsync(Order order); }

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    private static Task ReportedNotFixed(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static string Controller(string members, string route = "api/orders") => $$"""
        [ApiController]
        [Route("{{route}}")]
        public sealed class OrdersController : ControllerBase
        {
            private readonly ShopDb _db;
            private readonly IOrderRepository _orders;
            private readonly IMediator _mediator;

            public OrdersController(ShopDb db, IOrderRepository orders, IMediator mediator)
            {
                _db = db;
                _orders = orders;
                _mediator = mediator;
            }

            [HttpGet("{id:int}")]
            public async Task<ActionResult<Order>> Get(int id) => await _orders.FindAsync(id) is { } order ? order : NotFound();

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

    // ---- controllers: POST --------------------------------------------------------------------------------

    [Fact]
    public Task Post_that_adds_to_a_DbSet_and_answers_Ok_with_the_entity_report_and_fix_to_CreatedAtAction()
        => Fix(
            Controller("""
                [HttpPost]
                public async Task<IActionResult> Create(Order order)
                {
                    _db.Orders.Add(order);
                    await _db.SaveChangesAsync();
                    return [|Ok(order)|];
                }
            """),
            Controller("""
                [HttpPost]
                public async Task<IActionResult> Create(Order order)
                {
                    _db.Orders.Add(order);
                    await _db.SaveChangesAsync();
                    return CreatedAtAction(nameof(Get), new { id = order.Id }, order);
                }
            """));

    [Fact]
    public Task Post_returning_the_repository_result_from_ActionResult_of_T_report_and_fix()
        => Fix(
            Controller("""
                [HttpPost]
                public async Task<ActionResult<Order>> Create(Order order)
                {
                    var saved = await _orders.AddAsync(order);
                    return [|saved|];
                }
            """),
            Controller("""
                [HttpPost]
                public async Task<ActionResult<Order>> Create(Order order)
                {
                    var saved = await _orders.AddAsync(order);
                    return CreatedAtAction(nameof(Get), new { id = saved.Id }, saved);
                }
            """));

    [Fact]
    public Task Post_answering_the_creating_call_inline_hoists_the_value()
        => Fix(
            Controller("""
                [HttpPost]
                public async Task<IActionResult> Create(Order order)
                {
                    return [|Ok(await _orders.AddAsync(order))|];
                }
            """),
            Controller("""
                [HttpPost]
                public async Task<IActionResult> Create(Order order)
                {
                    var created = await _orders.AddAsync(order);
                    return CreatedAtAction(nameof(Get), new { id = created.Id }, created);
                }
            """));

    [Fact]
    public Task Post_sending_a_create_command_answers_the_new_id_and_is_fixed_with_the_id_itself()
        => Fix(
            Controller("""
                [HttpPost]
                public async Task<IActionResult> Create(CreateOrderCommand command)
                {
                    var id = await _mediator.Send(command);
                    return [|Ok(id)|];
                }
            """),
            Controller("""
                [HttpPost]
                public async Task<IActionResult> Create(CreateOrderCommand command)
                {
                    var id = await _mediator.Send(command);
                    return CreatedAtAction(nameof(Get), new { id = id }, id);
                }
            """));

    [Fact]
    public Task Post_without_a_matching_get_action_is_fixed_with_Created_and_the_route()
        => Fix(
            """
            [ApiController]
            [Route("api/[controller]")]
            public sealed class NotesController : ControllerBase
            {
                private readonly IOrderRepository _orders;
                public NotesController(IOrderRepository orders) => _orders = orders;

                [HttpGet("{shop}")]
                public IActionResult Read(string shop) => NoContent();

                [HttpPost("{shop}")]
                public IActionResult Post(string shop, string item)
                {
                    var order = _orders.Create(item);
                    return [|Ok(order)|];
                }
            }
            """,
            """
            [ApiController]
            [Route("api/[controller]")]
            public sealed class NotesController : ControllerBase
            {
                private readonly IOrderRepository _orders;
                public NotesController(IOrderRepository orders) => _orders = orders;

                [HttpGet("{shop}")]
                public IActionResult Read(string shop) => NoContent();

                [HttpPost("{shop}")]
                public IActionResult Post(string shop, string item)
                {
                    var order = _orders.Create(item);
                    return Created($"/api/Notes/{shop}/{order.Id}", order);
                }
            }
            """);

    [Fact]
    public Task Post_answering_a_mapped_dto_of_the_created_entity_uses_its_type_named_key()
        => Fix(
            Controller("""
                [HttpPost]
                public async Task<IActionResult> Create(Order order)
                {
                    await _db.AddAsync(order);
                    var dto = new OrderDto { OrderId = order.Id };
                    return [|Ok(dto)|];
                }
            """),
            Controller("""
                [HttpPost]
                public async Task<IActionResult> Create(Order order)
                {
                    await _db.AddAsync(order);
                    var dto = new OrderDto { OrderId = order.Id };
                    return CreatedAtAction(nameof(Get), new { id = dto.OrderId }, dto);
                }
            """));

    [Fact]
    public Task Post_creating_something_without_a_key_is_reported_but_not_fixed()
        => ReportedNotFixed(Controller("""
                [HttpPost]
                public IActionResult Create(Note note)
                {
                    _db.Add(note);
                    return [|Ok(note)|];
                }
            """));

    [Fact]
    public Task Posts_that_do_not_create_or_already_answer_201_are_not_reported()
        => None(Controller("""
                [HttpPost("search")]
                public IActionResult Search(string text) => Ok(new List<Order>());

                [HttpPost("{id:int}/cancel")]
                public async Task<IActionResult> Cancel(int id) => Ok(await _orders.FindAsync(id));

                [HttpPost("created")]
                public async Task<IActionResult> Created(Order order)
                {
                    await _orders.AddAsync(order);
                    return CreatedAtAction(nameof(Get), new { id = order.Id }, order);
                }

                [HttpPost("empty")]
                public async Task<IActionResult> AddEmpty(Order order)
                {
                    await _orders.AddAsync(order);
                    return Ok();
                }

                [HttpPost("upsert")]
                public async Task<IActionResult> Upsert(Order order) => Ok(await _orders.AddOrUpdateAsync(order));

                [HttpPost("batch")]
                public async Task<IActionResult> Batch(List<Order> orders) => Ok(await _orders.AddRangeAsync(orders));

                [HttpPost("other")]
                public IActionResult Unrelated(Order order, Order other)
                {
                    _db.Orders.Add(order);
                    return Ok(other);
                }

                [HttpPost("invalid")]
                public async Task<IActionResult> Invalid(Order order)
                {
                    if (order.Item.Length == 0)
                    {
                        return BadRequest(order);
                    }

                    await _orders.AddAsync(order);
                    return Conflict(order);
                }

                [HttpPost("list")]
                public IActionResult Collection(Order order)
                {
                    var list = new List<Order>();
                    list.Add(order);
                    return Ok(order);
                }
            """));

    [Fact]
    public Task Posts_whose_result_no_GET_of_the_controller_reads_are_not_reported()
        => None("""
            [ApiController]
            [Route("api/payments")]
            public sealed class PaymentsController : ControllerBase
            {
                private readonly IOrderRepository _provider;
                public PaymentsController(IOrderRepository provider) => _provider = provider;

                [HttpPost("intent")]
                public IActionResult Intent(string item) => Ok(_provider.Create(item));

                [HttpPost("{id:int}/refund")]
                public IActionResult Refund(int id, string item)
                {
                    var refund = _provider.Create(item);
                    return Ok(refund);
                }

                [HttpGet("{id:int}")]
                public IActionResult Get(int id) => NoContent();
            }
            """);

    [Fact]
    public Task Create_calls_that_build_rather_than_store_are_not_creations()
        => None("""
            [ApiController]
            [Route("api/orders")]
            public sealed class OrdersController : ControllerBase
            {
                private readonly IShopDbFactory _factory;
                private readonly IInvoices _invoices;
                public OrdersController(IShopDbFactory factory, IInvoices invoices) { _factory = factory; _invoices = invoices; }

                [HttpGet("{id:int}")]
                public IActionResult Get(int id) => NoContent();

                [HttpGet("{id:int}/invoice")]
                public IActionResult GetInvoice(int id) => NoContent();

                [HttpGet("{id:int}/rated")]
                public IActionResult GetRated(int id) => NoContent();

                [HttpPost("{id:int}")]
                public async Task<IActionResult> Approve(int id)
                {
                    await using var db = _factory.CreateDbContext();
                    return Ok(await db.Orders.FindAsync(id));
                }

                [HttpPost]
                public IActionResult Preview(Order order) => Ok(CreateDto(order));

                [HttpPost("{id:int}/invoice")]
                public async Task<IActionResult> Invoice(Order order)
                {
                    var outcome = await _invoices.CreateInvoiceAsync(order);
                    return Ok(outcome);
                }

                [HttpPost("{id:int}/rated")]
                public async Task<IActionResult> Rated(Order order, [FromServices] IRatings ratings)
                {
                    await ratings.AddRatings(1, order);
                    return Ok(order);
                }

                private static OrderDto CreateDto(Order order) => new() { OrderId = order.Id };
            }
            """);

    [Fact]
    public Task View_controllers_are_not_reported()
        => None("""
            public sealed class OrdersController : Controller
            {
                private readonly ShopDb _db;
                public OrdersController(ShopDb db) => _db = db;

                public IActionResult Index() => View();

                [HttpPost]
                public IActionResult Create(Order order)
                {
                    _db.Orders.Add(order);
                    return Ok(order);
                }

                [HttpDelete]
                public IActionResult Delete(int id) => Ok();
            }
            """);

    // ---- controllers: DELETE ------------------------------------------------------------------------------

    [Fact]
    public Task Delete_answering_Ok_is_fixed_to_NoContent_and_a_computed_value_still_runs()
        => Fix(
            Controller("""
                [HttpDelete("{id:int}")]
                public async Task<IActionResult> Delete(int id)
                {
                    if (await _orders.FindAsync(id) is null)
                    {
                        return NotFound();
                    }

                    return {|BR0010:Ok(await _orders.DeleteAsync(id))|};
                }

                [HttpDelete]
                public IActionResult DeleteAll() => {|BR0010:Ok()|};

                [HttpDelete("named/{id:int}")]
                public IActionResult DeleteNamed(int id) => {|BR0010:this.Ok(new { deleted = id })|};
            """),
            Controller("""
                [HttpDelete("{id:int}")]
                public async Task<IActionResult> Delete(int id)
                {
                    if (await _orders.FindAsync(id) is null)
                    {
                        return NotFound();
                    }

                    await _orders.DeleteAsync(id);
                    return NoContent();
                }

                [HttpDelete]
                public IActionResult DeleteAll() => NoContent();

                [HttpDelete("named/{id:int}")]
                public IActionResult DeleteNamed(int id) => this.NoContent();
            """));

    [Fact]
    public Task Delete_answering_a_computed_value_from_an_expression_body_is_reported_but_not_fixed()
        => ReportedNotFixed(Controller("""
                [HttpDelete("{id:int}")]
                public async Task<IActionResult> Delete(int id) => {|BR0010:Ok(await _orders.DeleteAsync(id))|};
            """));

    [Fact]
    public async Task Delete_returning_the_deleted_representation_is_allowed_by_option()
    {
        var source = Usings + Controller("""
                [HttpDelete("{id:int}")]
                public IActionResult Delete(int id) => Ok(new { id });

                [HttpDelete]
                public IActionResult DeleteAll() => {|BR0010:Ok()|};
            """);
        var test = new Verify.Test { TestCode = source }.WithEditorConfig("backendrules.BR0010.allow_deleted_representation = true");
        await test.RunAsync();
    }

    [Fact]
    public Task Deletes_that_answer_204_or_errors_and_other_methods_are_not_reported()
        => None(Controller("""
                [HttpDelete("{id:int}")]
                public IActionResult Delete(int id) => id > 0 ? NoContent() : NotFound();

                [HttpDelete("failed/{id:int}")]
                public IActionResult DeleteFailed(int id) => Ok(false);

                [HttpPut("{id:int}")]
                public IActionResult Put(int id, Order order) => Ok(order);

                [HttpGet]
                [Route("all/{page:int}")]
                public IActionResult Page(int page) => Ok();
            """));

    // ---- minimal APIs -------------------------------------------------------------------------------------

    [Fact]
    public Task Minimal_post_and_delete_are_fixed_with_Results_and_TypedResults()
        => Fix(
            Minimal("""
                    var orders = app.MapGroup("/api/orders");
                    orders.MapGet("/{id:int}", (int id) => Results.Ok(id));
                    orders.MapGet("/{shop}/typed/{id:int}", (string shop, int id) => Results.Ok(id));
                    orders.MapPost("/", async (Order order, ShopDb db) =>
                    {
                        db.Orders.Add(order);
                        await db.SaveChangesAsync();
                        return [|Results.Ok(order)|];
                    });
                    orders.MapPost("/{shop}/typed", async (string shop, Order order, IOrderRepository repository) =>
                    {
                        var saved = await repository.AddAsync(order);
                        return [|TypedResults.Ok(saved)|];
                    });
                    orders.MapDelete("/{id:int}", async (int id, IOrderRepository repository) =>
                    {
                        await repository.DeleteAsync(id);
                        return {|BR0010:Results.Ok()|};
                    });
            """),
            Minimal("""
                    var orders = app.MapGroup("/api/orders");
                    orders.MapGet("/{id:int}", (int id) => Results.Ok(id));
                    orders.MapGet("/{shop}/typed/{id:int}", (string shop, int id) => Results.Ok(id));
                    orders.MapPost("/", async (Order order, ShopDb db) =>
                    {
                        db.Orders.Add(order);
                        await db.SaveChangesAsync();
                        return Results.Created($"/api/orders/{order.Id}", order);
                    });
                    orders.MapPost("/{shop}/typed", async (string shop, Order order, IOrderRepository repository) =>
                    {
                        var saved = await repository.AddAsync(order);
                        return TypedResults.Created($"/api/orders/{shop}/typed/{saved.Id}", saved);
                    });
                    orders.MapDelete("/{id:int}", async (int id, IOrderRepository repository) =>
                    {
                        await repository.DeleteAsync(id);
                        return Results.NoContent();
                    });
            """));

    [Fact]
    public Task Minimal_handlers_declaring_Ok_in_their_result_type_get_the_new_type()
        => Fix(
            """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/orders/{id:int}", (int id) => Results.Ok(id));
                    app.MapPost("/orders", CreateOrder);
                    app.MapDelete("/orders/{id:int}", DeleteOrder);
                }

                private static async Task<Results<Ok<Order>, BadRequest>> CreateOrder(Order order, IOrderRepository repository)
                {
                    if (order.Item.Length == 0)
                    {
                        return TypedResults.BadRequest();
                    }

                    var saved = await repository.AddAsync(order);
                    return [|TypedResults.Ok(saved)|];
                }

                private static async Task<Results<Ok, NotFound>> DeleteOrder(int id, IOrderRepository repository)
                    => await repository.DeleteAsync(id) ? {|BR0010:TypedResults.Ok()|} : TypedResults.NotFound();
            }
            """,
            """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/orders/{id:int}", (int id) => Results.Ok(id));
                    app.MapPost("/orders", CreateOrder);
                    app.MapDelete("/orders/{id:int}", DeleteOrder);
                }

                private static async Task<Results<Created<Order>, BadRequest>> CreateOrder(Order order, IOrderRepository repository)
                {
                    if (order.Item.Length == 0)
                    {
                        return TypedResults.BadRequest();
                    }

                    var saved = await repository.AddAsync(order);
                    return TypedResults.Created($"/orders/{saved.Id}", saved);
                }

                private static async Task<Results<NoContent, NotFound>> DeleteOrder(int id, IOrderRepository repository)
                    => await repository.DeleteAsync(id) ? TypedResults.NoContent() : TypedResults.NotFound();
            }
            """);

    [Fact]
    public Task Minimal_post_on_a_group_from_elsewhere_is_reported_but_not_fixed()
        => ReportedNotFixed("""
            public static class Endpoints
            {
                public static void Map(RouteGroupBuilder group)
                {
                    group.MapGet("/orders/{id:int}", (int id) => Results.Ok(id));
                    group.MapPost("/orders", (Order order, ShopDb db) =>
                    {
                        db.Orders.Add(order);
                        return [|Results.Ok(order)|];
                    });
                }
            }
            """);

    [Fact]
    public Task Minimal_endpoints_that_answer_right_or_do_not_create_are_not_reported()
        => None(Minimal("""
                    app.MapPost("/orders", (Order order, ShopDb db) =>
                    {
                        db.Orders.Add(order);
                        return Results.Created($"/orders/{order.Id}", order);
                    });
                    app.MapPost("/login", (Note note) => Results.Ok(note));
                    app.MapDelete("/orders/{id:int}", (int id) => Results.NoContent());
                    app.MapGet("/orders/{id:int}", (int id) => Results.Ok(id));
                    app.MapMethods("/orders", new[] { "POST", "PUT" }, (Order order, ShopDb db) =>
                    {
                        db.Orders.Add(order);
                        return Results.Ok(order);
                    });
            """));
}
