using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Sql.SelectStarAnalyzer, BackendRules.Sql.SelectStarFixer>;

namespace BackendRules.Tests.Sql;

public sealed class SelectStarTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations.Schema;
        using System.Data;
        using System.Linq;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;

        """;

    private const string Product = """

        public sealed class Product
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
            public decimal Price { get; set; }
        }

        """;

    private static Task VerifyFix(string body, string fixedBody, string types = Product)
        => Verify.VerifyCodeFixAsync(Usings + types + body, Usings + types + fixedBody);

    private static Task VerifyNoFix(string body, string types = Product)
        => Verify.VerifyCodeFixAsync(Usings + types + body, Usings + types + body);

    private static Task VerifyNoDiagnostic(string body, string types = Product)
        => Verify.VerifyAnalyzerAsync(Usings + types + body);

    // ---- Dapper -------------------------------------------------------------------------------------------

    [Fact]
    public Task Dapper_query_of_row_type_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("SELECT [|*|] FROM products");
        }
        """,
        """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("SELECT Id, Name, Price FROM products");
        }
        """);

    [Fact]
    public Task Dapper_async_query_with_qualified_star_keeps_qualifier_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            public static Task<Product?> Find(IDbConnection connection, int id)
                => connection.QueryFirstOrDefaultAsync<Product>("SELECT p.[|*|] FROM products p WHERE p.Id = @id", new { id });
        }
        """,
        """
        public static class Repository
        {
            public static Task<Product?> Find(IDbConnection connection, int id)
                => connection.QueryFirstOrDefaultAsync<Product>("SELECT p.Id, p.Name, p.Price FROM products p WHERE p.Id = @id", new { id });
        }
        """);

    [Fact]
    public Task Dapper_double_quoted_identifiers_are_kept_and_escaped_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("SELECT DISTINCT [|*|] FROM \"products\"");
        }
        """,
        """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("SELECT DISTINCT \"Id\", \"Name\", \"Price\" FROM \"products\"");
        }
        """);

    [Fact]
    public Task Dapper_bracket_identifiers_in_verbatim_string_with_top_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            public static IEnumerable<Product> Top(IDbConnection connection)
                => connection.Query<Product>(@"SELECT TOP (10) [|*|]
                                               FROM [dbo].[products]
                                               ORDER BY [Price] DESC");
        }
        """,
        """
        public static class Repository
        {
            public static IEnumerable<Product> Top(IDbConnection connection)
                => connection.Query<Product>(@"SELECT TOP (10) [Id], [Name], [Price]
                                               FROM [dbo].[products]
                                               ORDER BY [Price] DESC");
        }
        """);

    [Fact]
    public Task Sql_in_a_local_is_fixed_where_it_is_written_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            public static IEnumerable<Product> Cheap(IDbConnection connection)
            {
                var sql = "SELECT * FROM products WHERE Price < @max";
                return connection.Query<Product>([|sql|], new { max = 10m });
            }
        }
        """,
        """
        public static class Repository
        {
            public static IEnumerable<Product> Cheap(IDbConnection connection)
            {
                var sql = "SELECT Id, Name, Price FROM products WHERE Price < @max";
                return connection.Query<Product>(sql, new { max = 10m });
            }
        }
        """);

    [Fact]
    public Task Raw_string_literal_report_and_fix() => VerifyFix(
        """"
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("""
                    SELECT [|*|]
                    FROM products -- every product
                    """);
        }
        """",
        """"
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("""
                    SELECT Id, Name, Price
                    FROM products -- every product
                    """);
        }
        """");

    [Fact]
    public Task Column_attribute_is_honoured_and_not_mapped_is_skipped_report_and_fix() => VerifyFix(
        """
        public sealed class Customer
        {
            public int Id { get; set; }
            [Column("full_name")] public string Name { get; set; } = "";
            [NotMapped] public string Display => Name;
            [NotMapped] public string Note { get; set; } = "";
            public string Email { get; private set; } = "";
        }

        public static class Repository
        {
            public static IEnumerable<Customer> All(IDbConnection connection)
                => connection.Query<Customer>("SELECT [|*|] FROM customers");
        }
        """,
        """
        public sealed class Customer
        {
            public int Id { get; set; }
            [Column("full_name")] public string Name { get; set; } = "";
            [NotMapped] public string Display => Name;
            [NotMapped] public string Note { get; set; } = "";
            public string Email { get; private set; } = "";
        }

        public static class Repository
        {
            public static IEnumerable<Customer> All(IDbConnection connection)
                => connection.Query<Customer>("SELECT Id, full_name FROM customers");
        }
        """,
        types: "");

    [Fact]
    public Task Positional_record_uses_constructor_parameters_report_and_fix() => VerifyFix(
        """
        public sealed record ProductRow(int Id, string Name);

        public static class Repository
        {
            public static IEnumerable<ProductRow> All(IDbConnection connection)
                => connection.Query<ProductRow>("SELECT [|*|] FROM products");
        }
        """,
        """
        public sealed record ProductRow(int Id, string Name);

        public static class Repository
        {
            public static IEnumerable<ProductRow> All(IDbConnection connection)
                => connection.Query<ProductRow>("SELECT Id, Name FROM products");
        }
        """,
        types: "");

    [Fact]
    public Task Union_branches_are_each_reported_and_fixed() => VerifyFix(
        """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("SELECT [|*|] FROM products UNION ALL SELECT [|*|] FROM archived_products");
        }
        """,
        """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("SELECT Id, Name, Price FROM products UNION ALL SELECT Id, Name, Price FROM archived_products");
        }
        """);

    [Fact]
    public Task Command_definition_is_a_sink_report_no_fix() => VerifyNoFix(
        """
        public static class Repository
        {
            public static int Count(IDbConnection connection)
                => connection.Query<Product>(new CommandDefinition("SELECT [|*|] FROM products")).Count();
        }
        """);

    [Fact]
    public Task Dynamic_dapper_query_report_no_fix() => VerifyNoFix(
        """
        public static class Repository
        {
            public static IEnumerable<dynamic> All(IDbConnection connection)
                => connection.Query("SELECT [|*|] FROM products");
        }
        """);

    [Fact]
    public Task Scalar_row_type_report_no_fix() => VerifyNoFix(
        """
        public static class Repository
        {
            public static IEnumerable<int> Ids(IDbConnection connection)
                => connection.Query<int>("SELECT [|*|] FROM product_ids");
        }
        """);

    [Fact]
    public Task Star_beside_other_items_or_over_a_join_report_no_fix() => VerifyNoFix(
        """
        public static class Repository
        {
            public static IEnumerable<Product> WithRank(IDbConnection connection)
                => connection.Query<Product>("SELECT [|*|], 1 AS rank FROM products");

            public static IEnumerable<Product> Joined(IDbConnection connection)
                => connection.Query<Product>("SELECT [|*|] FROM products p JOIN stock s ON s.ProductId = p.Id");
        }
        """);

    [Fact]
    public Task Reserved_word_column_without_quoting_report_no_fix() => VerifyNoFix(
        """
        public sealed class Line
        {
            public int Id { get; set; }
            public int Order { get; set; }
        }

        public static class Repository
        {
            public static IEnumerable<Line> All(IDbConnection connection)
                => connection.Query<Line>("SELECT [|*|] FROM lines");
        }
        """,
        types: "");

    [Fact]
    public Task Literal_shared_by_two_sinks_report_no_fix() => VerifyNoFix(
        """
        public sealed class ProductName
        {
            public string Name { get; set; } = "";
        }

        public static class Repository
        {
            public static void Both(IDbConnection connection)
            {
                var sql = "SELECT * FROM products";
                connection.Query<Product>({|BR0002:sql|});
                connection.Query<ProductName>({|BR0002:sql|});
            }
        }
        """);

    [Fact]
    public Task Const_field_is_reported_on_the_argument_no_fix() => VerifyNoFix(
        """
        public static class Repository
        {
            private const string AllProducts = "SELECT * FROM products";

            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>([|AllProducts|]);
        }
        """);

    [Fact]
    public Task Star_next_to_a_non_constant_part_is_still_reported() => VerifyNoFix(
        """
        public static class Repository
        {
            public static IEnumerable<dynamic> All(IDbConnection connection, string table)
                => connection.Query("SELECT [|*|] FROM " + table);
        }
        """);

    // ---- ADO.NET ------------------------------------------------------------------------------------------

    [Fact]
    public Task Ado_net_command_text_constructor_and_interface_report_no_fix() => VerifyNoFix(
        """
        public static class Repository
        {
            public static void Read(SqliteConnection connection, IDbCommand command)
            {
                using var first = connection.CreateCommand();
                first.CommandText = "SELECT [|*|] FROM products";
                using var second = new SqliteCommand("SELECT [|*|] FROM orders", connection);
                using var third = new SqliteCommand { CommandText = "SELECT c.[|*|] FROM customers c", Connection = connection };
                command.CommandText = "SELECT [|*|] FROM stock";
            }
        }
        """);

    // ---- EF Core ------------------------------------------------------------------------------------------

    private const string ShopContext = """

        public sealed class Order
        {
            public int Id { get; set; }
            [Column("total_amount")] public decimal Total { get; set; }
            public DateTime? ShippedAt { get; set; }
            public OrderStatus Status { get; set; }
            [NotMapped] public bool IsLate { get; set; }
        }

        public enum OrderStatus { New, Shipped }

        public sealed class OrderSummary
        {
            public int Id { get; set; }
            public decimal Total { get; set; }
        }

        public sealed class ShopContext : DbContext
        {
            public DbSet<Order> Orders => Set<Order>();
        }

        """;

    [Fact]
    public Task Ef_from_sql_raw_over_another_table_on_a_convention_mapped_entity_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            public static List<Order> Late(ShopContext db)
                => db.Orders.FromSqlRaw("SELECT [|*|] FROM order_history WHERE ShippedAt IS NULL").ToList();
        }
        """,
        """
        public static class Repository
        {
            public static List<Order> Late(ShopContext db)
                => db.Orders.FromSqlRaw("SELECT Id, total_amount, ShippedAt, Status FROM order_history WHERE ShippedAt IS NULL").ToList();
        }
        """,
        types: ShopContext);

    [Fact]
    public Task Ef_from_sql_interpolated_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            public static List<Order> Since(ShopContext db, DateTime since)
                => db.Orders.FromSql($"SELECT [|*|] FROM late_orders WHERE ShippedAt > {since}").ToList();
        }
        """,
        """
        public static class Repository
        {
            public static List<Order> Since(ShopContext db, DateTime since)
                => db.Orders.FromSql($"SELECT Id, total_amount, ShippedAt, Status FROM late_orders WHERE ShippedAt > {since}").ToList();
        }
        """,
        types: ShopContext);

    [Fact]
    public Task Ef_sql_query_of_unmapped_type_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            public static List<OrderSummary> Summaries(ShopContext db)
                => db.Database.SqlQuery<OrderSummary>($"SELECT [|*|] FROM order_summaries").ToList();
        }
        """,
        """
        public static class Repository
        {
            public static List<OrderSummary> Summaries(ShopContext db)
                => db.Database.SqlQuery<OrderSummary>($"SELECT Id, Total FROM order_summaries").ToList();
        }
        """,
        types: ShopContext);

    [Fact]
    public Task Ef_entity_with_fluent_configuration_report_no_fix() => VerifyNoFix(
        """
        public sealed class ConfiguredContext : DbContext
        {
            protected override void OnModelCreating(ModelBuilder modelBuilder)
                => modelBuilder.Entity<Order>().Property(o => o.ShippedAt).HasColumnName("shipped_on");
        }

        public static class Repository
        {
            public static List<Order> All(ShopContext db)
                => db.Orders.FromSqlRaw("SELECT [|*|] FROM order_archive").ToList();
        }
        """,
        types: ShopContext);

    [Fact]
    public Task Ef_entity_with_navigation_or_shadow_key_report_no_fix() => VerifyNoFix(
        """
        public sealed class Customer
        {
            public int Id { get; set; }
            public List<Invoice> Invoices { get; set; } = new();
        }

        public sealed class Invoice
        {
            public int Id { get; set; }
            public decimal Amount { get; set; }
        }

        public sealed class BillingContext : DbContext
        {
            public DbSet<Customer> Customers => Set<Customer>();
            public DbSet<Invoice> Invoices => Set<Invoice>();
        }

        public static class Repository
        {
            public static List<Customer> Customers(BillingContext db)
                => db.Customers.FromSqlRaw("SELECT [|*|] FROM customer_archive").ToList();

            public static List<Invoice> Invoices(BillingContext db)
                => db.Invoices.FromSqlRaw("SELECT [|*|] FROM invoice_archive").ToList();
        }
        """,
        types: "");

    [Fact]
    public Task Ef_reads_of_the_entity_own_table_are_not_reported() => VerifyNoDiagnostic(
        """
        [Table("ledger_lines")]
        public sealed class LedgerLine
        {
            public int Id { get; set; }
            public decimal Amount { get; set; }
        }

        public sealed class LedgerContext : DbContext
        {
            public DbSet<LedgerLine> Lines => Set<LedgerLine>();
            public DbSet<Order> Orders => Set<Order>();
        }

        public static class Repository
        {
            public static void Read(LedgerContext db, ShopContext shop, DbSet<LedgerLine> lines, int id, DateTime since)
            {
                // The DbSet property's name, the [Table] name, the type name: EF needs every mapped column anyway.
                shop.Orders.FromSqlRaw("SELECT * FROM Orders WHERE ShippedAt IS NULL").ToList();
                shop.Orders.FromSql($"SELECT * FROM [dbo].[orders] WHERE ShippedAt > {since}").ToList();
                db.Set<Order>().FromSqlInterpolated($"SELECT * FROM \"Order\" WHERE Id = {id}").ToList();
                lines.FromSqlRaw("SELECT * FROM ledger_lines WHERE Amount > 0").ToList();
                db.Lines.FromSql($"SELECT l.* FROM ledger_lines l WHERE l.Id = {id}").ToList();
            }
        }
        """,
        types: ShopContext);

    [Fact]
    public Task Ef_read_of_another_table_or_a_function_report_and_fix() => VerifyFix(
        """
        public static class Repository
        {
            // [Table] names the table: the DbSet property's name is another table.
            public static List<LedgerLine> Read(LedgerContext db) => db.Lines.FromSqlRaw("SELECT [|*|] FROM Lines").ToList();

            public static List<LedgerLine> Recent(LedgerContext db) => db.Lines.FromSqlRaw("SELECT [|*|] FROM read_lines(5)").ToList();
        }
        """,
        """
        public static class Repository
        {
            // [Table] names the table: the DbSet property's name is another table.
            public static List<LedgerLine> Read(LedgerContext db) => db.Lines.FromSqlRaw("SELECT Id, Amount FROM Lines").ToList();

            public static List<LedgerLine> Recent(LedgerContext db) => db.Lines.FromSqlRaw("SELECT Id, Amount FROM read_lines(5)").ToList();
        }
        """,
        types: Ledger);

    [Fact]
    public Task Ef_read_with_a_join_stays_reported() => VerifyNoFix(
        """
        public static class Repository
        {
            public static void Read(LedgerContext db, int id)
            {
                db.Lines.FromSql($"SELECT [|*|] FROM ledger_lines l JOIN ledger_tags t ON t.LineId = l.Id WHERE t.Id = {id}").ToList();
            }
        }
        """,
        types: Ledger);

    private const string Ledger = """
        [Table("ledger_lines")]
        public sealed class LedgerLine
        {
            public int Id { get; set; }
            public decimal Amount { get; set; }
        }

        public sealed class LedgerContext : DbContext
        {
            public DbSet<LedgerLine> Lines => Set<LedgerLine>();
        }

        """;

    [Fact]
    public Task Ef_execute_and_raw_query_without_row_type_report_no_fix() => VerifyNoFix(
        """
        public static class Repository
        {
            public static int Copy(ShopContext db)
                => db.Database.ExecuteSqlRaw("INSERT INTO order_archive SELECT [|*|] FROM Orders");
        }
        """,
        types: ShopContext);

    // ---- Shapes that are reported but only partly fixable ---------------------------------------------

    [Fact]
    public Task Derived_table_under_a_star_is_reported_and_the_outer_star_is_fixed() => VerifyFix(
        """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("SELECT [|*|] FROM (SELECT [|*|] FROM products) p");
        }
        """,
        """
        public static class Repository
        {
            public static IEnumerable<Product> All(IDbConnection connection)
                => connection.Query<Product>("SELECT Id, Name, Price FROM (SELECT * FROM products) p");
        }
        """);

    // ---- Fix All --------------------------------------------------------------------------------------

    [Fact]
    public async Task Fix_all_in_project_and_solution_fixes_every_document()
    {
        var first = Usings + Product + """
            public static class ProductQueries
            {
                public static IEnumerable<Product> All(IDbConnection c) => c.Query<Product>("SELECT [|*|] FROM products");
                public static Task<Product?> One(IDbConnection c, int id) => c.QuerySingleOrDefaultAsync<Product>("SELECT [|*|] FROM products WHERE Id = @id", new { id });
            }
            """;
        var second = """
            using System.Collections.Generic;
            using System.Data;
            using Dapper;

            public static class MoreQueries
            {
                public static IEnumerable<Product> Cheap(IDbConnection c) => c.Query<Product>("SELECT [|*|] FROM products WHERE Price < 5");
                public static IEnumerable<dynamic> Raw(IDbConnection c) => c.Query("SELECT [|*|] FROM products");
            }
            """;
        var test = new Verify.Test
        {
            TestState = { Sources = { first, second } },
            FixedState =
            {
                MarkupHandling = MarkupMode.Allow,
                Sources =
                {
                    first.Replace("SELECT [|*|]", "SELECT Id, Name, Price"),
                    second.Replace("SELECT [|*|] FROM products WHERE", "SELECT Id, Name, Price FROM products WHERE").Replace("[|*|]", "{|BR0002:*|}"),
                },
            },
            // The dynamic query keeps its diagnostic: it has no row type.
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 2,
            NumberOfFixAllInProjectIterations = 1,
        };
        await test.RunAsync();
    }

    // ---- Options --------------------------------------------------------------------------------------

    [Fact]
    public async Task Insert_select_is_reported_by_default_and_silenced_by_option()
    {
        const string Body = """
            public static class Repository
            {
                public static int Archive(IDbConnection connection)
                    => connection.Execute("INSERT INTO archive SELECT {0} FROM products");
            }
            """;
        await Verify.VerifyAnalyzerAsync(Usings + Product + Body.Replace("{0}", "[|*|]"));

        var silenced = new Verify.Test { TestCode = Usings + Product + Body.Replace("{0}", "*") }
            .WithEditorConfig("backendrules.BR0002.flag_insert_select = false");
        await silenced.RunAsync();

        var packageWide = new Verify.Test { TestCode = Usings + Product + Body.Replace("{0}", "*") }
            .WithEditorConfig("backendrules.flag_insert_select = false");
        await packageWide.RunAsync();

        var malformed = new Verify.Test { TestCode = Usings + Product + Body.Replace("{0}", "[|*|]") }
            .WithEditorConfig("backendrules.BR0002.flag_insert_select = perhaps");
        await malformed.RunAsync();
    }

    [Fact]
    public Task Message_names_the_qualified_star() => Verify.VerifyAnalyzerAsync(
        Usings + Product + """
            public static class Repository
            {
                public static IEnumerable<dynamic> All(IDbConnection connection)
                    => connection.Query("SELECT dbo.products.{|#0:*|} FROM dbo.products");
            }
            """,
        Verify.Diagnostic().WithLocation(0).WithArguments("dbo.products."));

    // ---- Negatives ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData("SELECT COUNT(*) FROM products")]
    [InlineData("SELECT Id FROM products p WHERE EXISTS (SELECT * FROM stock s WHERE s.ProductId = p.Id)")]
    [InlineData("SELECT Id FROM products WHERE NOT EXISTS (SELECT * FROM stock)")]
    [InlineData("SELECT Id FROM products WHERE Id IN (SELECT * FROM featured)")]
    [InlineData("SELECT Id, Price * 2 AS Double FROM products")]
    [InlineData("SELECT Id, Name FROM products WHERE Name = '*' -- SELECT * FROM x")]
    [InlineData("SELECT Id /* SELECT * */ FROM products")]
    [InlineData("SELECT p.Id, p.Name FROM (SELECT * FROM products) p")]
    [InlineData("WITH recent AS (SELECT * FROM products) SELECT Id, Name FROM recent")]
    [InlineData("SELECT Id FROM products WHERE Price > (SELECT AVG(Price) * 1.5 FROM products)")]
    [InlineData("UPDATE products SET Price = Price * 1.1")]
    [InlineData("SELECT TOP 0 * INTO #staging FROM products")]
    [InlineData("INSERT INTO reserved (ProductId) SELECT * FROM unnest(@ids)")]
    public Task Constant_sql_without_a_select_star_is_not_reported(string sql) => VerifyNoDiagnostic(
        $$"""
        public static class Repository
        {
            public static IEnumerable<dynamic> Run(IDbConnection connection) => connection.Query("{{sql}}");
        }
        """);

    [Fact]
    public Task Strings_that_do_not_reach_a_sql_api_are_not_reported() => VerifyNoDiagnostic(
        """
        public sealed class Query
        {
            public static Query Parse(string sql) => new();
        }

        public static class Logger
        {
            public static void Run(IDbConnection connection)
            {
                Console.WriteLine("SELECT * FROM products");
                Query.Parse("SELECT * FROM products");
                var sql = "SELECT * FROM products";
                Console.WriteLine(sql);
            }
        }
        """);

    [Fact]
    public Task Explicit_columns_through_every_api_are_not_reported() => VerifyNoDiagnostic(
        """
        public static class Repository
        {
            public static async Task Run(IDbConnection connection, SqliteConnection sqlite, ShopContext db, int id)
            {
                connection.Query<Product>("SELECT Id, Name, Price FROM products");
                await connection.QueryAsync<Product>("SELECT p.Id, p.Name, p.Price FROM products p WHERE p.Id = @id", new { id });
                using var command = new SqliteCommand("SELECT COUNT(*) FROM products", sqlite);
                db.Orders.FromSql($"SELECT Id, total_amount, ShippedAt, Status FROM Orders WHERE Id = {id}").ToList();
                db.Database.ExecuteSqlRaw("DELETE FROM Orders WHERE Id = {0}", id);
            }
        }
        """,
        types: Product + ShopContext);

    [Fact]
    public Task Incomplete_code_does_not_crash() => Verify.VerifyAnalyzerAsync(
        Usings + Product + """
            public static class Repository
            {
                public static void Run(IDbConnection connection)
                {
                    connection.Query<{|CS0246:Missing|}>("SELECT [|*|] FROM products");
                    connection.Query<Product>({|CS0103:undefined|});
                    connection.Execute("SELECT [|*|] FROM (SELECT [|*|] FROM x"{|CS1026:|}{|CS1002:|}
                }
            }
            """);
}
