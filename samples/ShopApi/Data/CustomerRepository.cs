using Microsoft.Data.Sqlite;
using ShopApi.Models;

namespace ShopApi.Data;

/// <summary>Customers through plain ADO.NET (Microsoft.Data.Sqlite).</summary>
public sealed class CustomerRepository(SqliteConnectionFactory connections)
{
    public async Task<PagedResult<Customer>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);

        // BR0002: compliant (the columns are listed)
        const string sql = "SELECT Id, Name, Email FROM customers ORDER BY Id LIMIT @take OFFSET @skip";
        await using var command = new SqliteCommand(sql, connection);
        command.Parameters.AddWithValue("@take", page.PageSize);
        command.Parameters.AddWithValue("@skip", page.Skip);

        var items = new List<Customer>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadCustomer(reader));
            }
        }

        // BR0002: compliant (COUNT(*) is not a column list)
        await using var count = new SqliteCommand("SELECT COUNT(*) FROM customers", connection);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken));

        return new PagedResult<Customer>(items, page.Page, page.PageSize, total);
    }

    public async Task<Customer?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // BR0002: violation (ADO.NET has no row type, so no fix is offered)
        command.CommandText = "SELECT * FROM customers WHERE Id = @id";
        command.Parameters.AddWithValue("@id", id);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadCustomer(reader) : null;
    }

    public async Task<Customer?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // BR0001: violation (fixable: the fix writes @email and adds command.Parameters.AddWithValue("@email", email))
        command.CommandText = "SELECT Id, Name, Email FROM customers WHERE Email = '" + email + "'";

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadCustomer(reader) : null;
    }

    public async Task<bool> ExistsAsync(int id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);

        // BR0002: compliant (the star under EXISTS never reaches the caller)
        await using var command = new SqliteCommand("SELECT EXISTS (SELECT * FROM customers WHERE Id = @id)", connection);
        command.Parameters.AddWithValue("@id", id);

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 1;
    }

    public async Task<Customer> CreateAsync(NewCustomer customer, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // BR0001: compliant (values travel as parameters)
        command.CommandText = "INSERT INTO customers (Name, Email) VALUES (@name, @email) RETURNING Id";
        command.Parameters.AddWithValue("@name", customer.Name);
        command.Parameters.AddWithValue("@email", customer.Email);

        var id = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
        return new Customer { Id = id, Name = customer.Name, Email = customer.Email };
    }

    private static Customer ReadCustomer(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt32(reader.GetOrdinal("Id")),
        Name = reader.GetString(reader.GetOrdinal("Name")),
        Email = reader.GetString(reader.GetOrdinal("Email")),
    };
}
