using Microsoft.EntityFrameworkCore;
using ShopApi.Models;

namespace ShopApi.Data;

/// <summary>EF Core on SQLite. Mapped by convention only: tables Products, Customers, Orders.</summary>
public class ShopDbContext(DbContextOptions<ShopDbContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();
}
