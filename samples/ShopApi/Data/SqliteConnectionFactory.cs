using Microsoft.Data.Sqlite;

namespace ShopApi.Data;

/// <summary>Opens connections for the ADO.NET and Dapper repositories (EF Core opens its own).</summary>
public sealed class SqliteConnectionFactory(string connectionString)
{
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
