using Dapper;
using ShopApi.Models;

namespace ShopApi.Data;

/// <summary>Products through Dapper.</summary>
public sealed class ProductRepository(SqliteConnectionFactory connections)
{
    public PagedResult<Product> List(PageRequest page)
    {
        using var connection = connections.Open();

        // BR0002: violation (fixable: the fix writes Product's columns in place of the star)
        var items = connection.Query<Product>(
            "SELECT * FROM products ORDER BY Id LIMIT @Take OFFSET @Skip",
            new { Take = page.PageSize, page.Skip }).AsList();

        // BR0002: compliant (COUNT(*) is not a column list)
        var total = connection.ExecuteScalar<int>("SELECT COUNT(*) FROM products");

        return new PagedResult<Product>(items, page.Page, page.PageSize, total);
    }

    public async Task<Product?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);

        // BR0002: compliant (the columns are listed)
        return await connection.QueryFirstOrDefaultAsync<Product>(
            "SELECT Id, Name, PriceCents, Stock FROM products WHERE Id = @id",
            new { id });
    }

    /// <summary>Takes <paramref name="quantity"/> items off the stock, unless fewer are left.</summary>
    public bool TryReserveStock(int productId, int quantity)
    {
        using var connection = connections.Open();

        var changed = connection.Execute(
            "UPDATE products SET Stock = Stock - @quantity WHERE Id = @productId AND Stock >= @quantity",
            new { productId, quantity });
        return changed == 1;
    }
}
