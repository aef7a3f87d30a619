using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Sql.UnindexablePredicateAnalyzer, BackendRules.Sql.UnindexablePredicateFixer>;

namespace BackendRules.Tests.Sql;

public sealed class UnindexablePredicateTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;

        public sealed class Invoice
        {
            public long Id { get; set; }
            public string Email { get; set; } = "";
            public string Name { get; set; } = "";
            public DateTime IssuedAt { get; set; }
            public DateTime? PaidAt { get; set; }
            public DateOnly DueOn { get; set; }
            public decimal Total { get; set; }
            public Customer Customer { get; set; } = null!;
        }

        public sealed class Customer
        {
            public long Id { get; set; }
            public string Email { get; set; } = "";
            public List<Invoice> Invoices { get; set; } = new();
        }

        public sealed class Books : DbContext
        {
            public DbSet<Invoice> Invoices => Set<Invoice>();
        }

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    // ---- SQL text: reports and fixes ----------------------------------------------------------------------------

    [Fact]
    public Task Year_of_a_column_becomes_a_date_range() => Fix(
        """
        public static class Reports
        {
            public static IEnumerable<long> Issued(IDbConnection db)
                => db.Query<long>("SELECT Id FROM invoices WHERE [|YEAR(issued_at) = 2024|] ORDER BY Id");
        }
        """,
        """
        public static class Reports
        {
            public static IEnumerable<long> Issued(IDbConnection db)
                => db.Query<long>("SELECT Id FROM invoices WHERE issued_at >= '2024-01-01' AND issued_at < '2025-01-01' ORDER BY Id");
        }
        """);

    [Fact]
    public Task Sqlite_strftime_year_becomes_a_date_range_and_not_keeps_its_meaning() => Fix(
        """
        public static class Reports
        {
            public static int Count(SqliteConnection db)
            {
                using var command = db.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM invoices i WHERE i.total > 0 AND NOT [|strftime('%Y', i.issued_at) = '2023'|]";
                return Convert.ToInt32(command.ExecuteScalar());
            }
        }
        """,
        """
        public static class Reports
        {
            public static int Count(SqliteConnection db)
            {
                using var command = db.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM invoices i WHERE i.total > 0 AND NOT (i.issued_at >= '2023-01-01' AND i.issued_at < '2024-01-01')";
                return Convert.ToInt32(command.ExecuteScalar());
            }
        }
        """);

    [Fact]
    public Task Sql_held_in_a_local_is_reported_on_the_argument_and_fixed_in_the_literal() => Fix(
        """
        public static class Reports
        {
            public static IEnumerable<long> Issued(IDbConnection db)
            {
                const string sql = "SELECT Id FROM invoices WHERE YEAR(issued_at) = 2024";
                return db.Query<long>({|BR0015:sql|});
            }
        }
        """,
        """
        public static class Reports
        {
            public static IEnumerable<long> Issued(IDbConnection db)
            {
                const string sql = "SELECT Id FROM invoices WHERE issued_at >= '2024-01-01' AND issued_at < '2025-01-01'";
                return db.Query<long>(sql);
            }
        }
        """);

    [Fact]
    public Task Lower_of_a_column_is_reported_without_a_fix() => NoFix(
        """
        public static class Accounts
        {
            public static long? Find(IDbConnection db, string email)
                => db.QueryFirstOrDefault<long?>("SELECT Id FROM users WHERE [|LOWER(email) = @email|]", new { email });
        }
        """);

    [Fact]
    public Task Casts_null_replacements_dates_and_arithmetic_on_columns_are_reported() => NoFix(
        """
        public static class Reports
        {
            public static IEnumerable<long> Some(IDbConnection db, DateTime day, int total)
                => db.Query<long>(
                    "SELECT i.Id FROM invoices i JOIN customers c ON c.Id = i.CustomerId AND [|CAST(c.created AS date) = @day|] " +
                    "WHERE [|ISNULL(i.discount, 0) = @total|] AND [|i.total + 1 = @total|] AND [|DATE(i.issued_at) = @day|] AND [|i.paid_at::date = @day|]",
                    new { day, total });
        }
        """);

    [Fact]
    public Task Leading_wildcard_pattern_is_reported_without_a_fix() => NoFix(
        """
        public static class Accounts
        {
            public static IEnumerable<long> Sons(IDbConnection db)
                => db.Query<long>("SELECT Id FROM users WHERE [|name LIKE '%son'|] ORDER BY Id");
        }
        """);

    [Fact]
    public Task Having_and_parenthesized_groups_are_predicates() => NoFix(
        """
        public static class Reports
        {
            public static IEnumerable<long> Some(IDbConnection db)
                => db.Query<long>("SELECT c.Id FROM customers c WHERE (c.active = 1 OR [|UPPER(c.code) = 'VIP'|]) GROUP BY c.Id, c.region HAVING [|LOWER(c.region) = 'north'|]");
        }
        """);

    // ---- SQL text: never reported --------------------------------------------------------------------------------

    [Fact]
    public Task Functions_on_the_value_side_ranges_selects_orders_groups_and_joins_are_fine() => None(
        """
        public static class Reports
        {
            public static IEnumerable<long> Some(IDbConnection db, string email, DateTime from, DateTime to)
                => db.Query<long>(
                    "SELECT LOWER(u.email), YEAR(u.created) FROM users u JOIN accounts a ON LOWER(a.email) = LOWER(u.email) " +
                    "WHERE u.email = LOWER(@email) AND u.created >= @from AND u.created < @to AND u.name LIKE 'Ann%' " +
                    "AND u.created > DATEADD(day, -30, GETDATE()) AND u.score = @from + 1 " +
                    $"AND u.name LIKE '%{email}%' AND u.name LIKE '%' || @email AND u.name NOT LIKE '%x' " +
                    "GROUP BY YEAR(u.created) ORDER BY LOWER(u.email)",
                    new { email, from, to });
        }
        """);

    [Fact]
    public Task A_clause_that_also_compares_a_key_with_a_value_is_driven_by_that_key() => None(
        """
        public static class Accounts
        {
            public static int Touch(IDbConnection db, long id, string email)
                => db.Execute("UPDATE users SET seen = 1 WHERE id = @id AND LOWER(email) = @email", new { id, email });

            public static IEnumerable<long> Mine(IDbConnection db, long userId)
                => db.Query<long>("SELECT Id FROM invoices i WHERE i.user_id = @userId AND YEAR(i.issued_at) = 2024", new { userId });
        }
        """);

    [Fact]
    public Task A_key_in_an_or_or_a_paid_flag_does_not_count() => NoFix(
        """
        public static class Accounts
        {
            public static IEnumerable<long> Some(IDbConnection db, long id, string email)
                => db.Query<long>("SELECT Id FROM users WHERE id = @id OR [|LOWER(email) = @email|]", new { id, email });

            public static IEnumerable<long> Paid(IDbConnection db, string email)
                => db.Query<long>("SELECT Id FROM users WHERE paid = 1 AND [|LOWER(email) = @email|]", new { email });
        }
        """);

    [Fact]
    public Task Catalog_queries_are_not_table_data() => None(
        """
        public static class Schema
        {
            public static long Has(IDbConnection db, string column)
                => db.ExecuteScalar<long>("SELECT COUNT(1) FROM pragma_table_xinfo('users') WHERE lower(name) = @column", new { column });

            public static long Tables(IDbConnection db, string name)
                => db.ExecuteScalar<long>("SELECT COUNT(*) FROM information_schema.tables WHERE UPPER(table_name) = @name", new { name });
        }
        """);

    [Fact]
    public Task Sql_that_reaches_no_sink_is_not_read() => None(
        """
        public static class Reports
        {
            public static string Text() => "SELECT Id FROM invoices WHERE YEAR(issued_at) = 2024";
        }
        """);

    [Fact]
    public Task Indexed_expressions_option_silences_them() => new Verify.Test
    {
        TestCode = Usings + """
            public static class Accounts
            {
                public static long? Find(IDbConnection db, string email)
                    => db.QueryFirstOrDefault<long?>("SELECT Id FROM users u WHERE LOWER(u.[email]) = @email", new { email });

                public static Task<Invoice?> FindEf(Books db, string email)
                    => db.Invoices.FirstOrDefaultAsync(x => x.Email.ToLower() == email);
            }
            """,
    }.WithEditorConfig("backendrules.BR0015.indexed_expressions = LOWER(email), Invoice.Email.ToLower()").RunAsync(CancellationToken.None);

    // ---- EF Core LINQ: reports and fixes --------------------------------------------------------------------------

    [Fact]
    public Task Year_of_a_member_becomes_a_date_range() => Fix(
        """
        public static class Ledger
        {
            public static List<Invoice> Issued(Books db, int year)
                => db.Invoices.Where(x => [|x.IssuedAt.Year == year|]).ToList();

            public static int Due(Books db)
                => db.Invoices.Count(x => x.Total > 0 && [|2024 == x.DueOn.Year|]);
        }
        """,
        """
        public static class Ledger
        {
            public static List<Invoice> Issued(Books db, int year)
                => db.Invoices.Where(x => x.IssuedAt >= new DateTime(year, 1, 1) && x.IssuedAt < new DateTime(year + 1, 1, 1)).ToList();

            public static int Due(Books db)
                => db.Invoices.Count(x => x.Total > 0 && x.DueOn >= new DateOnly(2024, 1, 1) && x.DueOn < new DateOnly(2025, 1, 1));
        }
        """);

    [Fact]
    public Task Date_of_a_member_becomes_a_day_range() => Fix(
        """
        public static class Ledger
        {
            public static Task<bool> PaidOn(Books db, DateTime day)
                => db.Invoices.AnyAsync(x => x.Total > 0 || [|x.PaidAt.Value.Date == day|]);
        }
        """,
        """
        public static class Ledger
        {
            public static Task<bool> PaidOn(Books db, DateTime day)
                => db.Invoices.AnyAsync(x => x.Total > 0 || (day == day.Date && x.PaidAt.Value >= day && x.PaidAt.Value < day.AddDays(1)));
        }
        """);

    [Fact]
    public Task Case_conversions_trims_and_arithmetic_on_members_are_reported_without_a_fix() => NoFix(
        """
        public static class Ledger
        {
            public static Task<Invoice?> ByEmail(Books db, string email)
                => db.Invoices.FirstOrDefaultAsync(x => [|x.Customer.Email.ToLower() == email.ToLower()|]);

            public static Invoice? ByName(Books db, string name)
                => db.Invoices.SingleOrDefault(x => [|x.Name.Trim() == name|] || [|x.Total * 2 > 100|]);

            public static bool Any(Books db, string email, DateTime now)
                => db.Invoices.Any(x => x.Email.ToUpper().Equals(email) || [|x.IssuedAt.AddDays(30) < now|] || [|x.IssuedAt.Year != 2020|]);
        }
        """.Replace("x.Email.ToUpper().Equals(email)", "[|x.Email.ToUpper().Equals(email)|]"));

    [Fact]
    public Task A_year_compared_with_a_call_is_reported_but_not_fixed() => NoFix(
        """
        public static class Ledger
        {
            public static List<Invoice> ThisYear(Books db)
                => db.Invoices.Where(x => [|x.IssuedAt.Year == DateTime.UtcNow.Year|]).ToList();
        }
        """);

    [Fact]
    public Task Fix_all_rewrites_every_range_in_the_document() => Fix(
        """
        public static class Ledger
        {
            public static List<Invoice> A(Books db, int year) => db.Invoices.Where(x => [|x.IssuedAt.Year == year|]).ToList();
            public static List<Invoice> B(Books db, DateTime day) => db.Invoices.Where(x => [|x.IssuedAt.Date == day.Date|]).ToList();
            public static IEnumerable<long> C(IDbConnection db) => db.Query<long>("SELECT Id FROM invoices WHERE [|YEAR(issued_at) = 2022|]");
        }
        """,
        """
        public static class Ledger
        {
            public static List<Invoice> A(Books db, int year) => db.Invoices.Where(x => x.IssuedAt >= new DateTime(year, 1, 1) && x.IssuedAt < new DateTime(year + 1, 1, 1)).ToList();
            public static List<Invoice> B(Books db, DateTime day) => db.Invoices.Where(x => x.IssuedAt >= day.Date && x.IssuedAt < day.Date.AddDays(1)).ToList();
            public static IEnumerable<long> C(IDbConnection db) => db.Query<long>("SELECT Id FROM invoices WHERE issued_at >= '2022-01-01' AND issued_at < '2023-01-01'");
        }
        """);

    // ---- EF Core LINQ: never reported -----------------------------------------------------------------------------

    [Fact]
    public Task A_query_that_also_compares_a_key_or_combines_two_columns_is_not_reported() => None(
        """
        public static class Ledger
        {
            public static object Some(Books db, long id, long customerId, DateTime today, int days, DateTime now)
            {
                var a = db.Invoices.Where(x => x.Id == id && (x.PaidAt == null || x.PaidAt.Value.Date < today)).ToList();
                var b = db.Invoices.Where(x => x.Customer.Id == customerId).Where(x => x.Email.ToLower() == "a@b.c").ToList();
                var c = (from x in db.Invoices where x.Customer.Id == customerId where x.IssuedAt.AddDays(days) > now select x).ToList();
                var d = db.Invoices.Where(x => x.IssuedAt.AddDays(x.Total > 0 ? 30 : 10) < now || x.Total * x.Total > 100).ToList();
                var ids = new List<long> { 1, 2 };
                var e = db.Invoices.Where(x => ids.Contains(x.Id) && x.Total * 2 > 100).ToList();
                var f = db.Set<Customer>().Where(c => c.Invoices.Any(i => i.Email.ToLower() == "x")).ToList();
                var g = db.Invoices.Where(p => !db.Invoices.Any(o => o.Name.ToLower() == p.Name.ToLower() && o.Id < p.Id)).ToList();
                return (a, b, c, d, e, f, g);
            }
        }
        """);

    [Fact]
    public Task Values_ranges_ef_functions_in_memory_linq_and_projections_are_fine() => None(
        """
        public static class Ledger
        {
            public static object Some(Books db, string email, DateTime from, List<Invoice> cached, int year)
            {
                var a = db.Invoices.Where(x => x.Email == email.ToLower() && x.IssuedAt >= from && x.IssuedAt < from.AddDays(1)).ToList();
                var b = db.Invoices.Where(x => EF.Functions.Like(x.Name, "%son")).Select(x => x.Email.ToLower()).ToList();
                var c = cached.Where(x => x.Email.ToLower() == email).ToList();
                var d = cached.AsQueryable().Where(x => x.IssuedAt.Year == year).ToList();
                var e = db.Invoices.OrderBy(x => x.Name.ToLower()).GroupBy(x => x.IssuedAt.Year).Select(g => g.Key).ToList();
                var f = db.Invoices.Where(x => x.Customer.Email.ToLower() == x.Email.ToLower()).ToList();
                return (a, b, c, d, e, f);
            }
        }
        """);
}
