using Microsoft.EntityFrameworkCore;

namespace ShopApi.Data;

/// <summary>Order counts for the yearly report, through EF Core.</summary>
public sealed class OrderReportRepository(ShopDbContext db)
{
    public Task<int> CountPlacedInAsync(int year, CancellationToken cancellationToken)
    {
        // BR0015: violation (fixable: .Year on the column becomes a range the index on CreatedAt can seek)
        return db.Orders.CountAsync(o => o.CreatedAt.Year == year, cancellationToken);
    }

    public Task<int> CountPlacedBetweenAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        // BR0015: compliant (the bare column is compared with a range)
        return db.Orders.CountAsync(o => o.CreatedAt >= from && o.CreatedAt < to, cancellationToken);
    }
}
