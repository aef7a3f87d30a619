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

    public IReadOnlyList<Product> Search(string term, string sort)
    {
        using var connection = connections.Open();

        // BR0001: compliant (an allow-list: only the names written here can reach the SQL)
        var orderBy = sort switch
        {
            "price" => "PriceCents",
            "stock" => "Stock",
            _ => "Name",
        };

        // BR0001: violation (fixable: the fix writes LIKE @term and passes new { term = "%" + term + "%" })
        return connection.Query<Product>(
            $"SELECT Id, Name, PriceCents, Stock FROM products WHERE Name LIKE '%{term}%' ORDER BY {orderBy} LIMIT 50").AsList();
    }

    public IReadOnlyList<Product> ListOrderedBy(string column)
    {
        using var connection = connections.Open();

        // BR0001: violation (a column name cannot be a parameter: the message asks for an allow-list; no fix)
        return connection.Query<Product>("SELECT Id, Name, PriceCents, Stock FROM products ORDER BY " + column + " LIMIT 50").AsList();
    }

    /// <summary>Takes <paramref name="quantity"/> items off the stock, unless fewer are left.</summary>
    public bool TryReserveStock(int productId, int quantity)
    {
        using var connection = connections.Open();

        // BR0001: compliant (values travel as parameters)
        var changed = connection.Execute(
            "UPDATE products SET Stock = Stock - @quantity WHERE Id = @productId AND Stock >= @quantity",
            new { productId, quantity });
        return changed == 1;
    }
}
