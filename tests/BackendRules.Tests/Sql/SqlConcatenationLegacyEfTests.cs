using System.Threading.Tasks;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Sql.SqlConcatenationAnalyzer, BackendRules.Sql.SqlConcatenationFixer>;

namespace BackendRules.Tests.Sql;

/// <summary>
/// BR0001 on the raw-SQL APIs of EF Core 2 and 3 (<c>RawSqlString</c>) and of Entity Framework 6. The test project
/// references a current EF Core, so these compile against minimal stand-ins with the same names, and without
/// the EF Core references.
/// </summary>
public sealed class SqlConcatenationLegacyEfTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.EntityFrameworkCore.Infrastructure;

        public sealed class Product
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
        }

        """;

    // EF Core 2.x: RawSqlString and FormattableString overloads of the same names; 3.x adds the Interpolated names.
    private const string EfCore2 = """

        namespace Microsoft.EntityFrameworkCore
        {
            public readonly struct RawSqlString
            {
                public RawSqlString(string s) => Format = s;
                public static implicit operator RawSqlString(string s) => new RawSqlString(s);
                public static implicit operator RawSqlString(FormattableString s) => new RawSqlString(s.Format);
                public string Format { get; }
            }

            public static class RelationalQueryableExtensions
            {
                public static IQueryable<TEntity> FromSql<TEntity>(this IQueryable<TEntity> source, RawSqlString sql, params object[] parameters) where TEntity : class => source;
                public static IQueryable<TEntity> FromSql<TEntity>(this IQueryable<TEntity> source, FormattableString sql) where TEntity : class => source;
            }

            public static class RelationalDatabaseFacadeExtensions
            {
                public static int ExecuteSqlCommand(this Infrastructure.DatabaseFacade database, RawSqlString sql, params object[] parameters) => 0;
                public static int ExecuteSqlCommand(this Infrastructure.DatabaseFacade database, FormattableString sql, params object[] parameters) => 0;
                public static Task<int> ExecuteSqlCommandAsync(this Infrastructure.DatabaseFacade database, RawSqlString sql, CancellationToken cancellationToken = default) => Task.FromResult(0);
                public static Task<int> ExecuteSqlCommandAsync(this Infrastructure.DatabaseFacade database, FormattableString sql, CancellationToken cancellationToken = default) => Task.FromResult(0);
            }
        }

        namespace Microsoft.EntityFrameworkCore.Infrastructure
        {
            public sealed class DatabaseFacade
            {
            }
        }
        """;

    private const string Ef6 = """
        using System;
        using System.Collections.Generic;
        using System.Data.Entity;
        using System.Threading.Tasks;

        namespace System.Data.Entity
        {
            public class Database
            {
                public IEnumerable<TElement> SqlQuery<TElement>(string sql, params object[] parameters) => new List<TElement>();
                public int ExecuteSqlCommand(string sql, params object[] parameters) => 0;
                public Task<int> ExecuteSqlCommandAsync(string sql, params object[] parameters) => Task.FromResult(0);
            }

            public class DbSet<TEntity> where TEntity : class
            {
                public IEnumerable<TEntity> SqlQuery(string sql, params object[] parameters) => new List<TEntity>();
            }
        }

        public sealed class Order
        {
            public int Id { get; set; }
        }

        """;

    private static Verify.Test WithoutEfCore(string source, string? fixedSource = null)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource ?? source };
        test.TestState.AdditionalReferences.RemoveAll(r => r.Display?.Contains("EntityFrameworkCore") == true);
        test.FixedState.AdditionalReferences.RemoveAll(r => r.Display?.Contains("EntityFrameworkCore") == true);
        return test;
    }

    // ---- EF Core 2 and 3 -----------------------------------------------------------------------------

    [Fact]
    public Task Raw_sql_string_built_in_a_local_report_and_fix()
    {
        var test = WithoutEfCore(
            Prelude + """
                public static class Catalog
                {
                    public static List<Product> Search(IQueryable<Product> products, string keyword)
                    {
                        var query = $"SELECT * FROM Products WHERE Name LIKE '%{keyword}%'";
                        return products.FromSql([|query|]).ToList();
                    }

                    public static int Rename(DatabaseFacade database, string name)
                        => database.ExecuteSqlCommand([|"UPDATE Products SET Name = '" + name + "'"|]);
                }
                """ + EfCore2,
            Prelude + """
                public static class Catalog
                {
                    public static List<Product> Search(IQueryable<Product> products, string keyword)
                    {
                        return products.FromSql($"SELECT * FROM Products WHERE Name LIKE {"%" + keyword + "%"}").ToList();
                    }

                    public static int Rename(DatabaseFacade database, string name)
                        => database.ExecuteSqlCommand($"UPDATE Products SET Name = {name}");
                }
                """ + EfCore2);
        return test.RunAsync();
    }

    [Fact]
    public Task Ef_core_3_raw_sql_string_moves_to_the_interpolated_names_report_and_fix()
    {
        var efCore3 = EfCore2
            .Replace(
                "public static IQueryable<TEntity> FromSql<TEntity>(this IQueryable<TEntity> source, FormattableString sql) where TEntity : class => source;",
                "public static IQueryable<TEntity> FromSql<TEntity>(this IQueryable<TEntity> source, FormattableString sql) where TEntity : class => source;\n        public static IQueryable<TEntity> FromSqlInterpolated<TEntity>(this IQueryable<TEntity> source, FormattableString sql) where TEntity : class => source;")
            .Replace(
                "public static Task<int> ExecuteSqlCommandAsync(this Infrastructure.DatabaseFacade database, FormattableString sql, CancellationToken cancellationToken = default) => Task.FromResult(0);",
                "public static Task<int> ExecuteSqlCommandAsync(this Infrastructure.DatabaseFacade database, FormattableString sql, CancellationToken cancellationToken = default) => Task.FromResult(0);\n        public static Task<int> ExecuteSqlInterpolatedAsync(this Infrastructure.DatabaseFacade database, FormattableString sql, CancellationToken cancellationToken = default) => Task.FromResult(0);");
        var test = WithoutEfCore(
            Prelude + """
                public static class Catalog
                {
                    public static List<Product> Find(IQueryable<Product> products, string name)
                        => products.FromSql([|"SELECT * FROM Products WHERE Name = '" + name + "'"|]).ToList();

                    public static Task<int> Remove(DatabaseFacade database, string name, CancellationToken cancellationToken)
                        => database.ExecuteSqlCommandAsync([|"DELETE FROM Products WHERE Name = '" + name + "'"|], cancellationToken);
                }
                """ + efCore3,
            Prelude + """
                public static class Catalog
                {
                    public static List<Product> Find(IQueryable<Product> products, string name)
                        => products.FromSqlInterpolated($"SELECT * FROM Products WHERE Name = {name}").ToList();

                    public static Task<int> Remove(DatabaseFacade database, string name, CancellationToken cancellationToken)
                        => database.ExecuteSqlInterpolatedAsync($"DELETE FROM Products WHERE Name = {name}", cancellationToken);
                }
                """ + efCore3);
        return test.RunAsync();
    }

    [Fact]
    public Task Interpolated_string_written_in_the_call_is_parameterized_do_not_report()
    {
        var test = WithoutEfCore(
            Prelude + """
                public static class Catalog
                {
                    public static async Task Run(IQueryable<Product> products, DatabaseFacade database, string keyword)
                    {
                        products.FromSql($"SELECT * FROM Products WHERE Name LIKE {keyword}").ToList();
                        database.ExecuteSqlCommand($"DELETE FROM Products WHERE Name = {keyword}");
                        await database.ExecuteSqlCommandAsync($"DELETE FROM Products WHERE Name = {keyword}");
                        products.FromSql("SELECT * FROM Products WHERE Name = {0}", keyword).ToList();
                    }
                }
                """ + EfCore2);
        return test.RunAsync();
    }

    // ---- Entity Framework 6 ----------------------------------------------------------------------------

    [Fact]
    public Task Entity_framework_6_raw_sql_report_no_fix()
    {
        var test = WithoutEfCore(
            Ef6 + """
                public static class Orders
                {
                    public static async Task Run(Database database, DbSet<Order> orders, string customer, int id)
                    {
                        database.SqlQuery<Order>([|"SELECT * FROM Orders WHERE Customer = '" + customer + "'"|]);
                        database.ExecuteSqlCommand([|$"DELETE FROM Orders WHERE Customer = '{customer}'"|]);
                        await database.ExecuteSqlCommandAsync([|"DELETE FROM Orders WHERE Customer = '" + customer + "'"|]);
                        orders.SqlQuery([|"SELECT * FROM Orders WHERE Customer = '" + customer + "'"|]);

                        database.SqlQuery<Order>("SELECT * FROM Orders WHERE Customer = {0}", customer);
                        database.ExecuteSqlCommand("DELETE FROM Orders WHERE Id = " + id);
                    }
                }
                """);
        return test.RunAsync();
    }
}
