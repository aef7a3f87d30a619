using System.Threading.Tasks;
using BackendRules.Sql;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Sql.SqlConcatenationAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace BackendRules.Tests.Sql;

/// <summary>What BR0001 reports and, above all, what it must never report.</summary>
public sealed class SqlConcatenationAnalyzerTests
{
    internal const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Data.Common;
        using System.Linq;
        using System.Text;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;

        public sealed class User
        {
            public int Id { get; set; }
            public string Email { get; set; } = "";
        }

        public sealed class ShopContext : DbContext
        {
            public DbSet<User> Users => Set<User>();
        }

        public enum SortColumn { Name, Email }

        """;

    private static Task Check(string body, params DiagnosticResult[] expected)
        => Verify.VerifyAnalyzerAsync(Usings + body, expected);

    // ---- Reported ----------------------------------------------------------------------------------

    [Fact]
    public Task Concatenation_into_command_text_report() => Check(
        """
        public static class Repository
        {
            public static void Find(SqliteConnection connection, string email)
            {
                using var command = connection.CreateCommand();
                command.CommandText = {|#0:"SELECT Id FROM users WHERE Email = '" + {|#1:email|} + "'"|};
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("email"));

    [Fact]
    public Task Every_api_family_and_every_building_form_report() => Check(
        """"
        public static class Repository
        {
            public static async Task Run(SqliteConnection sqlite, IDbConnection connection, IDbCommand command, ShopContext db, string name, decimal price)
            {
                using var a = new SqliteCommand([|"SELECT Id FROM users WHERE Email = '" + name + "'"|], sqlite);
                command.CommandText = [|$"DELETE FROM users WHERE Email = '{name}'"|];
                connection.Query<User>([|string.Format("SELECT Id FROM users WHERE Email = '{0}'", name)|]);
                await connection.ExecuteAsync([|string.Concat("UPDATE users SET Email = '", name, "'")|]);
                connection.Query<User>(new CommandDefinition([|@$"SELECT Id FROM users
                                                                  WHERE Price > {price}"|]));
                db.Users.FromSqlRaw([|"SELECT * FROM Users WHERE Email = '" + name + "'"|]).ToList();
                db.Database.ExecuteSqlRaw([|$"DELETE FROM Users WHERE Email = '{name}'"|]);
                db.Database.SqlQueryRaw<int>([|"SELECT Id FROM Users WHERE Email = '" + name + "'"|]).ToList();
                connection.Query<User>([|$"""SELECT Id FROM users WHERE Email = '{name}'"""|]);
            }
        }
        """");

    [Fact]
    public Task Sql_built_in_a_local_plus_equals_and_string_builder_report() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, string name, string city)
            {
                var sql = "SELECT Id FROM users WHERE Email = '" + name + "'";
                connection.Query<User>([|sql|]);

                var filtered = "SELECT Id FROM users WHERE 1 = 1";
                if (city.Length > 0)
                {
                    filtered += " AND City = '" + city + "'";
                }

                connection.Query<User>([|filtered|]);

                var builder = new StringBuilder("SELECT Id FROM users WHERE City = '");
                builder.Append(city).Append('\'');
                connection.Query<User>([|builder.ToString()|]);
            }
        }
        """);

    [Fact]
    public Task Value_in_identifier_position_asks_for_an_allow_list() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, string table, string direction)
            {
                connection.Query<User>({|#0:"SELECT Id FROM " + {|#1:table|}|});
                connection.Query<User>({|#2:"SELECT Id FROM users ORDER BY Email " + {|#3:direction|}|});
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(0).WithLocation(1).WithMessage("'table' is inserted where SQL expects a name or keyword; check it against an allow-list of known values"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(2).WithLocation(3).WithMessage("'direction' is inserted where SQL expects a name or keyword; check it against an allow-list of known values"));

    [Fact]
    public Task Floating_point_and_dates_are_reported_their_text_depends_on_culture() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, decimal price, DateTime since)
            {
                connection.Query<User>([|"SELECT Id FROM users WHERE Price > " + price|]);
                connection.Query<User>([|$"SELECT Id FROM users WHERE Created > '{since}'"|]);
            }
        }
        """);

    [Fact]
    public Task Additional_sinks_from_options_report()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                public static class SqlRunner
                {
                    public static void Run(string sql, object? args = null) { }
                    public static void Log(string label, string text) { }
                }

                public static class Repository
                {
                    public static void Find(string email)
                    {
                        SqlRunner.Run([|"SELECT Id FROM users WHERE Email = '" + email + "'"|]);
                        SqlRunner.Log("SELECT Id FROM users WHERE Email = '" + email + "'", [|"DELETE FROM users WHERE Email = '" + email + "'"|]);
                    }
                }
                """,
        }.WithEditorConfig("backendrules.BR0001.additional_sinks = M:SqlRunner.Run(System.String,System.Object), M:SqlRunner.Log(System.String,System.String)|text");
        return test.RunAsync();
    }

    // ---- Never reported ----------------------------------------------------------------------------

    [Fact]
    public Task Constant_only_sql_is_never_reported() => Check(
        """
        public static class Repository
        {
            private const string Table = "users";
            private static readonly string Columns = "Id, Email";

            public static void Run(IDbConnection connection, bool descending, SortColumn column, string requested, bool active)
            {
                connection.Query<User>("SELECT Id FROM " + Table + " WHERE Id = @id", new { id = 1 });
                connection.Query<User>($"SELECT {nameof(User.Id)} FROM {Table}");
                connection.Query<User>("SELECT " + Columns + " FROM users");
                connection.Query<User>("SELECT Id FROM users ORDER BY Email " + (descending ? "DESC" : "ASC"));

                var order = "ASC";
                if (descending)
                {
                    order = "DESC";
                }

                var sql = "SELECT Id FROM users";
                sql += " ORDER BY Email " + order;
                if (active)
                {
                    sql += " WHERE Active = 1";
                }

                connection.Query<User>(sql);

                var sort = requested switch
                {
                    "email" => "Email",
                    "created" => "Created",
                    _ => "Id",
                };
                connection.Query<User>($"SELECT Id FROM users ORDER BY {sort}");
                connection.Query<User>($"SELECT Id FROM users ORDER BY {column}");

                var builder = new StringBuilder("SELECT Id FROM users");
                builder.Append(" WHERE Active = ").Append(1);
                connection.Query<User>(builder.ToString());
            }
        }
        """);

    [Fact]
    public Task Conditions_collected_in_a_list_are_judged_by_what_is_added() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, string? email, string? city, bool active)
            {
                var conditions = new List<string> { "1 = 1" };
                if (email is not null)
                {
                    conditions.Add("Email = @email");
                }

                if (active)
                {
                    conditions.Add("Active = 1");
                }

                if (conditions.Contains(city ?? ""))
                {
                    return;
                }

                connection.Query<User>("SELECT Id FROM users WHERE " + string.Join(" AND ", conditions), new { email });

                var unsafeConditions = new List<string>();
                unsafeConditions.Add("City = '" + {|#1:city|} + "'");
                connection.Query<User>({|#0:"SELECT Id FROM users WHERE " + string.Join(" AND ", unsafeConditions)|});
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("city"));

    [Fact]
    public Task Fluent_string_builder_chains_and_format_providers_are_judged_by_their_text() => Check(
        """
        public static class Repository
        {
            private const string Columns = "Id, Email";

            public static void Run(IDbConnection connection, string name, int id)
            {
                var sql = new StringBuilder("SELECT ").Append(Columns).Append(" FROM users WHERE 1 = 1");
                sql.Append(" AND Id = @id").Append(' ');
                connection.Query<User>(sql.ToString(), new { id });
                connection.Query<User>(string.Format(System.Globalization.CultureInfo.InvariantCulture, "SELECT Id FROM users WHERE Id = {0}", id));

                var unsafeSql = new StringBuilder("SELECT ").Append(Columns).Append(" FROM users");
                unsafeSql.Append(" WHERE Email = '").Append({|#1:name|}).Append('\'');
                connection.Query<User>({|#0:unsafeSql.ToString()|});
                connection.Query<User>({|#2:string.Format(System.Globalization.CultureInfo.InvariantCulture, "SELECT Id FROM users WHERE Email = '{0}'", {|#3:name|})|});
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("name"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(2).WithLocation(3).WithArguments("name"));

    [Fact]
    public Task Values_that_cannot_carry_sql_are_not_reported() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, int id, long? tenant, Guid key, bool flag, List<int> ids)
            {
                connection.Query<User>("SELECT Id FROM users WHERE Id = " + id);
                connection.Query<User>($"SELECT Id FROM users WHERE Tenant = {tenant} AND Key = '{key}' AND Flag = {flag}");
                connection.Query<User>("SELECT Id FROM users WHERE Id IN (" + string.Join(",", ids) + ")");
                connection.Query<User>($"SELECT Id FROM users LIMIT {id.ToString()}");
            }
        }
        """);

    [Fact]
    public Task Text_that_only_adds_parameter_placeholders_is_not_reported() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, string[] emails)
            {
                var placeholders = string.Join(", ", emails.Select((_, i) => "@e" + i));
                connection.Query<User>("SELECT Id FROM users WHERE Email IN (" + placeholders + ")");
            }
        }
        """);

    [Fact]
    public Task Formattable_string_apis_parameterize_and_are_not_reported() => Check(
        """
        public static class Repository
        {
            public static void Run(ShopContext db, string email)
            {
                db.Users.FromSql($"SELECT * FROM Users WHERE Email = {email}").ToList();
                db.Users.FromSqlInterpolated($"SELECT * FROM Users WHERE Email = {email}").ToList();
                db.Database.ExecuteSql($"DELETE FROM Users WHERE Email = {email}");
                db.Database.SqlQuery<int>($"SELECT Id FROM Users WHERE Email = {email}").ToList();
            }
        }
        """);

    [Fact]
    public Task Sql_that_is_not_built_here_is_not_reported() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, string sql, Func<string> load)
            {
                connection.Query<User>(sql);
                connection.Query<User>(load());
                Console.WriteLine("SELECT Id FROM users WHERE Email = '" + sql + "'");
            }
        }
        """);

    [Fact]
    public Task String_builder_handed_to_another_method_is_not_guessed() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection)
            {
                var builder = new StringBuilder("SELECT Id FROM users");
                AddFilters(builder);
                connection.Query<User>(builder.ToString());
            }

            private static void AddFilters(StringBuilder builder) => builder.Append(" WHERE Active = 1");
        }
        """);

    [Fact]
    public Task Incomplete_code_does_not_crash() => Check(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, string name)
            {
                connection.Query<{|CS0246:Missing|}>([|"SELECT Id FROM users WHERE Email = '" + name + "'"|]);
                connection.Query<User>("SELECT Id FROM users WHERE Email = '" + {|CS0103:undefined|} + "'");
                var sql = "SELECT " + {|CS0103:cols|};
                connection.Execute([|$"DELETE FROM users WHERE Email = '{name}"|]{|CS1026:|}{|CS1002:|}
            }
        }
        """);
}
