using Microsoft.EntityFrameworkCore;
using ShopApi.Models;

namespace ShopApi.Data;

/// <summary>Orders through EF Core, including raw SQL.</summary>
public sealed class OrderRepository(ShopDbContext db)
{
    public async Task<PagedResult<Order>> ListForCustomerAsync(int customerId, PageRequest page, CancellationToken cancellationToken)
    {
        // BR0002: compliant (an EF Core read of the entity's own table: EF needs every column it maps)
        var orders = db.Orders.FromSqlRaw("SELECT * FROM orders WHERE CustomerId = {0}", customerId);

        var total = await orders.CountAsync(cancellationToken);
        var items = await orders
            .OrderByDescending(o => o.Id)
            .Skip(page.Skip)
            .Take(page.PageSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return new PagedResult<Order>(items, page.Page, page.PageSize, total);
    }

    public Task<List<Order>> ListByStatusAsync(string status, CancellationToken cancellationToken)
    {
        // BR0001: violation (fixable: FromSqlRaw with concatenation becomes FromSql($"... {status}"))
        return db.Orders
            .FromSqlRaw("SELECT Id, CustomerId, ProductId, Quantity, TotalCents, CreatedAt, Status FROM orders WHERE Status = '" + status + "'")
            .AsNoTracking()
            .OrderBy(o => o.Id)
            .Take(100)
            .ToListAsync(cancellationToken);
    }

    public Task<OrderSummary?> FindSummaryAsync(int id, CancellationToken cancellationToken)
    {
        // BR0002: compliant (the columns are listed)
        // BR0001: compliant (SqlQuery takes a FormattableString: the interpolated id becomes a parameter)
        return db.Database.SqlQuery<OrderSummary>($"""
            SELECT o.Id, c.Name AS CustomerName, p.Name AS ProductName, o.Quantity, o.TotalCents, o.Status
            FROM orders AS o
            JOIN customers AS c ON c.Id = o.CustomerId
            JOIN products AS p ON p.Id = o.ProductId
            WHERE o.Id = {id}
            """).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<Order> AddAsync(Order order, CancellationToken cancellationToken)
    {
        db.Orders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        return order;
    }
}
