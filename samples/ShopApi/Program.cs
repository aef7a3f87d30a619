using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShopApi.Data;
using ShopApi.Endpoints;
using ShopApi.Models;
using ShopApi.Services;

var builder = WebApplication.CreateBuilder(args);

var connectionString = builder.Configuration.GetConnectionString("Shop")
    ?? throw new InvalidOperationException("Connection string 'Shop' is missing.");

builder.Services.AddControllersWithViews();
builder.Services.AddProblemDetails();
builder.Services.AddDbContext<ShopDbContext>(options => options.UseSqlite(connectionString));
builder.Services.AddSingleton(new SqliteConnectionFactory(connectionString));
builder.Services.AddScoped<ProductRepository>();
builder.Services.AddScoped<CustomerRepository>();
builder.Services.AddScoped<OrderRepository>();
builder.Services.AddSingleton<OrderWebhookNotifier>();

builder.Services.AddHttpClient<ShippingRatesClient>(client =>
{
    client.BaseAddress = new Uri(builder.Configuration["Shipping:BaseUrl"] ?? "https://shipping.example.com/");
    // BR0003: compliant (the timeout is set)
    client.Timeout = TimeSpan.FromSeconds(10);
});

// BR0003: violation (fixable: the fix appends .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30)))
builder.Services.AddHttpClient("carrier-status");

// Shipping quotes and the carrier list are cached (ShippingRatesClient).
builder.Services.AddMemoryCache();

// BR0009: violation (fixable: AddHealthChecks() before Build(), /health/live and /health/ready before Run(); the compliant form is in samples/README.md)
var app = builder.Build();

// An in-memory SQLite database (the default connection string) lives as long as one connection to it is open.
using var keepAlive = new SqliteConnection(connectionString);
keepAlive.Open();
using (var scope = app.Services.CreateScope())
{
    DatabaseSeeder.Seed(scope.ServiceProvider.GetRequiredService<ShopDbContext>());
}

app.UseExceptionHandler();
app.UseStatusCodePages();

// MVC: ProductsController (JSON) and StorefrontController (Razor view at /).
app.MapControllers();

// Minimal API: customers here, orders in Endpoints/OrderEndpoints.cs.
var customers = app.MapGroup("/api/customers");

// GET /api/customers?page=1&pageSize=20
// BR0005: compliant (paginated)
customers.MapGet("/", async (int? page, int? pageSize, CustomerRepository repository, CancellationToken cancellationToken) =>
    TypedResults.Ok(await repository.ListAsync(PageRequest.From(page, pageSize), cancellationToken)));

// GET /api/customers/1
customers.MapGet("/{id:int}", async Task<Results<Ok<Customer>, NotFound>> (int id, CustomerRepository repository, CancellationToken cancellationToken) =>
    await repository.FindAsync(id, cancellationToken) is { } customer ? TypedResults.Ok(customer) : TypedResults.NotFound());

// POST /api/customers {"name":"Alan Turing","email":"alan@example.com"}
customers.MapPost("/", async Task<Results<Created<Customer>, ValidationProblem>> (NewCustomer request, CustomerRepository repository, CancellationToken cancellationToken) =>
{
    if (string.IsNullOrWhiteSpace(request.Name) || !request.Email.Contains('@'))
    {
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["customer"] = ["A name and an email address are required."] });
    }

    var created = await repository.CreateAsync(request, cancellationToken);
    return TypedResults.Created($"/api/customers/{created.Id}", created);
});

app.MapOrderEndpoints();

app.Run();
