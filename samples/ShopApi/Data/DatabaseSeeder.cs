using ShopApi.Models;

namespace ShopApi.Data;

public static class DatabaseSeeder
{
    /// <summary>Creates the schema and a few rows when the database is empty.</summary>
    public static void Seed(ShopDbContext db)
    {
        db.Database.EnsureCreated();
        if (db.Products.Any())
        {
            return;
        }

        db.Products.AddRange(
            new Product { Name = "Espresso beans 1 kg", PriceCents = 2490, Stock = 40 },
            new Product { Name = "Pour-over kettle", PriceCents = 4900, Stock = 12 },
            new Product { Name = "Ceramic mug", PriceCents = 1250, Stock = 100 },
            new Product { Name = "Hand grinder", PriceCents = 8900, Stock = 5 });
        db.Customers.AddRange(
            new Customer { Name = "Ada Lovelace", Email = "ada@example.com" },
            new Customer { Name = "Grace Hopper", Email = "grace@example.com" });
        db.SaveChanges();

        db.Orders.AddRange(
            new Order { CustomerId = 1, ProductId = 1, Quantity = 2, TotalCents = 4980, CreatedAt = DateTime.UtcNow.AddDays(-3), Status = "Shipped" },
            new Order { CustomerId = 1, ProductId = 3, Quantity = 4, TotalCents = 5000, CreatedAt = DateTime.UtcNow.AddDays(-1) },
            new Order { CustomerId = 2, ProductId = 2, Quantity = 1, TotalCents = 4900, CreatedAt = DateTime.UtcNow });
        db.SaveChanges();
    }
}
