using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using BackendRules.Sql;
using BackendRules.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace BackendRules.Tests.Sql;

/// <summary>
/// The BR0001 fix on a real SQLite database: the original and the fixed code are compiled and run against the
/// same data with benign and malicious input. The original misbehaves; the fixed code returns the right rows and
/// the table survives.
/// </summary>
public sealed class SqlConcatenationBehaviourTests : IDisposable
{
    private const string Source = """
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations.Schema;
        using System.Data;
        using System.Linq;
        using Dapper;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;

        [Table("users")]
        public sealed class User
        {
            public long Id { get; set; }
            public string Email { get; set; } = "";
            public string Name { get; set; } = "";
        }

        public sealed class ShopContext : DbContext
        {
            private readonly SqliteConnection _connection;
            public ShopContext(SqliteConnection connection) => _connection = connection;
            public DbSet<User> Users => Set<User>();
            protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite(_connection);
        }

        public static class Repository
        {
            public static List<long> FindAdo(SqliteConnection connection, string email)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT Id FROM users WHERE Email = '" + email + "' ORDER BY Id";
                var ids = new List<long>();
                using var reader = command.ExecuteReader();
                do
                {
                    while (reader.Read())
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }
                while (reader.NextResult());

                return ids;
            }

            public static List<long> SearchDapper(IDbConnection connection, string term)
                => connection.Query<long>($"SELECT Id FROM users WHERE Name LIKE '%{term}%' ORDER BY Id").ToList();

            public static List<long> FindEf(SqliteConnection connection, string email)
            {
                using var db = new ShopContext(connection);
                return db.Users.FromSqlRaw("SELECT * FROM users WHERE Email = '" + email + "'").AsEnumerable().Select(u => u.Id).OrderBy(id => id).ToList();
            }

            public static int RenameEf(SqliteConnection connection, string email, string name)
            {
                using var db = new ShopContext(connection);
                return db.Database.ExecuteSqlRaw($"UPDATE users SET Name = '{name}' WHERE Email = '{email}'");
            }
        }
        """;

    private static readonly Lazy<Task<(Type Original, Type Fixed, string FixedSource)>> Compiled = new(CompileBothAsync);

    private readonly SqliteConnection _connection;

    public SqlConcatenationBehaviourTests()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        Execute("CREATE TABLE users (Id INTEGER PRIMARY KEY, Email TEXT NOT NULL, Name TEXT NOT NULL)");
        Execute("INSERT INTO users (Id, Email, Name) VALUES (1, 'alice@example.com', 'Alice'), (2, 'bob@example.com', 'Bob'), (3, 'carol@example.com', 'Carol')");
    }

    public void Dispose() => _connection.Dispose();

    private static async Task<(Type, Type, string)> CompileBothAsync()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new SqlConcatenationAnalyzer(), new SqlConcatenationFixer());
        var original = FixRunner.CompileAndLoad(Source, "Original_" + Guid.NewGuid().ToString("N"));
        var fixedAssembly = FixRunner.CompileAndLoad(fixedSource, "Fixed_" + Guid.NewGuid().ToString("N"));
        return (original.GetType("Repository", throwOnError: true)!, fixedAssembly.GetType("Repository", throwOnError: true)!, fixedSource);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private bool UsersTableExists()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'";
        return (long)command.ExecuteScalar()! == 1;
    }

    private long CountUsers()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM users";
        return (long)command.ExecuteScalar()!;
    }

    private object? Invoke(Type repository, string method, params object[] arguments)
    {
        try
        {
            return repository.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, new object[] { _connection }.Concat(arguments).ToArray());
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            return exception.InnerException;
        }
    }

    [Fact]
    public async Task The_fix_removes_every_diagnostic_and_uses_parameters()
    {
        var (_, _, fixedSource) = await Compiled.Value;
        Assert.Contains("Email = @email", fixedSource);
        Assert.Contains("command.Parameters.AddWithValue(\"@email\", email);", fixedSource);
        Assert.Contains("Name LIKE @term", fixedSource);
        Assert.Contains("FromSql($\"SELECT * FROM users WHERE Email = {email}\")", fixedSource);
        Assert.Contains("ExecuteSql($\"UPDATE users SET Name = {name} WHERE Email = {email}\")", fixedSource);

        var remaining = await FixRunner.ApplyAllFixesAsync(fixedSource, new SqlConcatenationAnalyzer(), new SqlConcatenationFixer());
        Assert.Equal(fixedSource, remaining);
    }

    [Theory]
    [InlineData("FindAdo", "alice@example.com", new long[] { 1 })]
    [InlineData("SearchDapper", "o", new long[] { 2, 3 })]
    [InlineData("FindEf", "bob@example.com", new long[] { 2 })]
    public async Task Benign_input_returns_the_same_rows_before_and_after(string method, string input, long[] expected)
    {
        var (original, @fixed, _) = await Compiled.Value;
        Assert.Equal(expected, Assert.IsType<List<long>>(Invoke(original, method, input)));
        Assert.Equal(expected, Assert.IsType<List<long>>(Invoke(@fixed, method, input)));
    }

    [Theory]
    [InlineData("FindAdo", "' OR '1'='1")]
    [InlineData("SearchDapper", "%' OR 1=1 --")]
    [InlineData("FindEf", "' OR '1'='1")]
    public async Task Malicious_input_leaks_every_row_before_and_none_after(string method, string input)
    {
        var (original, @fixed, _) = await Compiled.Value;
        Assert.Equal(new long[] { 1, 2, 3 }, Assert.IsType<List<long>>(Invoke(original, method, input)));
        Assert.Empty(Assert.IsType<List<long>>(Invoke(@fixed, method, input)));
    }

    [Fact]
    public async Task Drop_table_injection_runs_before_and_is_inert_after()
    {
        var (original, @fixed, _) = await Compiled.Value;
        const string Attack = "'; DROP TABLE users; --";

        Assert.Empty(Assert.IsType<List<long>>(Invoke(@fixed, "FindAdo", Attack)));
        Assert.True(UsersTableExists());
        Assert.Equal(3, CountUsers());

        Invoke(original, "FindAdo", Attack);
        Assert.False(UsersTableExists());
    }

    [Fact]
    public async Task Quote_in_a_name_breaks_the_original_update_and_is_stored_verbatim_after()
    {
        var (original, @fixed, _) = await Compiled.Value;
        const string Name = "O'Brien";
        Assert.IsAssignableFrom<Exception>(Invoke(original, "RenameEf", "alice@example.com", Name));
        Assert.Equal(1, Invoke(@fixed, "RenameEf", "alice@example.com", Name));

        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT Name FROM users WHERE Id = 1";
        Assert.Equal(Name, command.ExecuteScalar());

        // "x' WHERE 1=1 --" renames everyone through the original; through the fixed code it is just a name.
        Assert.Equal(0, Invoke(@fixed, "RenameEf", "nobody@example.com", "x' WHERE 1=1 --"));
        Assert.Equal(0, CountRenamed("x"));
        Assert.Equal(3, Invoke(original, "RenameEf", "nobody@example.com", "x' WHERE 1=1 --"));
        Assert.Equal(3, CountRenamed("x"));
    }

    private long CountRenamed(string name)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM users WHERE Name = @name";
        command.Parameters.AddWithValue("@name", name);
        return (long)command.ExecuteScalar()!;
    }
}
