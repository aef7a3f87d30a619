using Microsoft.AspNetCore.Http.HttpResults;
using ShopApi.Data;
using ShopApi.Models;
using ShopApi.Services;

namespace ShopApi.Endpoints;

/// <summary>Minimal-API endpoints for orders, mapped from Program.cs.</summary>
public static class OrderEndpoints
{
    public static RouteGroupBuilder MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders");

        // GET /api/orders?customerId=1&page=1&pageSize=20
        // BR0005: compliant (paginated)
        orders.MapGet("/", async (int customerId, int? page, int? pageSize, OrderRepository repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.ListForCustomerAsync(customerId, PageRequest.From(page, pageSize), cancellationToken)));

        // GET /api/orders/1
        orders.MapGet("/{id:int}", async Task<Results<Ok<OrderSummary>, NotFound>> (int id, OrderRepository repository, CancellationToken cancellationToken) =>
            await repository.FindSummaryAsync(id, cancellationToken) is { } summary ? TypedResults.Ok(summary) : TypedResults.NotFound());

        // POST /api/orders {"customerId":1,"productId":2,"quantity":1}
        orders.MapPost("/", PlaceAsync);

        // GET /api/orders/1/shipping-quote
        orders.MapGet("/{id:int}/shipping-quote", QuoteShippingAsync);

        return orders;
    }

    private static async Task<Results<Created<OrderSummary>, ValidationProblem, Conflict<string>>> PlaceAsync(
        NewOrder request,
        CustomerRepository customers,
        ProductRepository products,
        OrderRepository orders,
        OrderWebhookNotifier webhook,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Quantity is < 1 or > 100)
        {
            errors["quantity"] = ["Order between 1 and 100 items."];
        }

        if (!await customers.ExistsAsync(request.CustomerId, cancellationToken))
        {
            errors["customerId"] = [$"There is no customer {request.CustomerId}."];
        }

        var product = await products.FindAsync(request.ProductId, cancellationToken);
        if (product is null)
        {
            errors["productId"] = [$"There is no product {request.ProductId}."];
        }

        if (errors.Count > 0 || product is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!products.TryReserveStock(product.Id, request.Quantity))
        {
            return TypedResults.Conflict($"Only {product.Stock} of '{product.Name}' left.");
        }

        var order = await orders.AddAsync(
            new Order
            {
                CustomerId = request.CustomerId,
                ProductId = product.Id,
                Quantity = request.Quantity,
                TotalCents = product.PriceCents * request.Quantity,
                CreatedAt = DateTime.UtcNow,
            },
            cancellationToken);
        await webhook.NotifyAsync(order, cancellationToken);

        var summary = await orders.FindSummaryAsync(order.Id, cancellationToken);
        return TypedResults.Created($"/api/orders/{order.Id}", summary);
    }

    private static async Task<Results<Ok<ShippingQuote>, NotFound, ProblemHttpResult>> QuoteShippingAsync(
        int id,
        ShopDbContext db,
        ShippingRatesClient shipping,
        CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync([id], cancellationToken);
        if (order is null)
        {
            return TypedResults.NotFound();
        }

        try
        {
            var quote = await shipping.QuoteAsync(order.ProductId, order.Quantity, cancellationToken);
            return quote is null ? TypedResults.NotFound() : TypedResults.Ok(quote);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Problem("The shipping rates service is unavailable.", statusCode: StatusCodes.Status502BadGateway);
        }
    }
}
