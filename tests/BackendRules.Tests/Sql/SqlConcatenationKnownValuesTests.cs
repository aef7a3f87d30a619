using System.Threading.Tasks;
using BackendRules.Sql;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Sql.SqlConcatenationAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace BackendRules.Tests.Sql;

/// <summary>
/// BR0001 on what the code fixes about a value beyond the method: configuration set at construction, stored
/// procedure names, helpers and callers that only deal in constants, EF Core's own SQL, writes that never reach
/// the SQL, and the messages that name the value.
/// </summary>
public sealed class SqlConcatenationKnownValuesTests
{
    private static readonly string Usings = SqlConcatenationAnalyzerTests.Usings;

    private static Task Check(string body, params DiagnosticResult[] expected)
        => Verify.VerifyAnalyzerAsync(Usings + body, expected);

    // ---- Members fixed at construction -------------------------------------------------------------

    [Fact]
    public Task Members_fixed_at_construction_are_configuration_do_not_report() => Check(
        """
        public abstract class Store<TRow>
        {
            private readonly string _prefix;
            private static readonly string Archive = "archive_" + nameof(TRow);

            protected Store(string? schema = null, string? prefix = null)
            {
                if (!string.IsNullOrWhiteSpace(schema))
                {
                    Schema = schema;
                }

                _prefix = prefix ?? "app";
            }

            protected string Schema { get; private set; } = "main";
            protected string Table { get; } = typeof(TRow).Name;
            protected string Qualified => $"[{Schema}].[{Table}]";

            public void Load(IDbConnection connection, int id)
            {
                connection.Query<TRow>($"SELECT * FROM [{Schema}].[{Table}] WHERE Id = @id", new { id });
                connection.Query<TRow>("SELECT * FROM " + Qualified + " WHERE Id = @id", new { id });
                connection.Query<TRow>($"SELECT * FROM {_prefix}_{Table}, {Archive}");
                connection.Query<TRow>($"SELECT * FROM {this.Schema}.{Archive}");
            }
        }

        public sealed class Shelf(string tableName)
        {
            private readonly string _table = tableName;

            public void Clear(IDbConnection connection) => connection.Execute("DELETE FROM " + _table);
        }
        """);

    [Fact]
    public Task Members_written_after_construction_or_read_on_another_object_report() => Check(
        """
        public sealed class Filter
        {
            public Filter(string column) => Column = column;

            public string Column { get; }
            public string Label { get; set; } = "";
        }

        public sealed class Report
        {
            private string _sortColumn = "Id";

            public Report(string table) => Table = table;

            private string Table { get; set; }
            protected string Owner { get; private set; } = "dbo";

            public void Retarget(string table) => Table = table;

            public void Rename(string owner) => Owner = owner;

            public void Sort(string column) => _sortColumn = column;

            public void Run(IDbConnection connection, Filter filter)
            {
                connection.Query<User>({|#0:"SELECT Id FROM " + {|#1:Table|}|});
                connection.Query<User>({|#2:$"SELECT Id FROM {{|#3:Owner|}}.users"|});
                connection.Query<User>({|#4:"SELECT Id FROM users ORDER BY " + {|#5:_sortColumn|}|});
                connection.Query<User>({|#6:$"SELECT Id FROM users ORDER BY {{|#7:filter.Column|}}"|});
                connection.Query<User>({|#8:$"SELECT Id FROM users WHERE Label = '{{|#9:filter.Label|}}'"|});
            }
        }

        public sealed class Listing
        {
            private readonly string _table = "items";

            public string Table { get => _table; init => _table = value; }

            public void Run(IDbConnection connection) => connection.Query<User>({|#10:"SELECT Id FROM " + {|#11:_table|}|});
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(0).WithLocation(1).WithArguments("Table"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(2).WithLocation(3).WithArguments("Owner"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(4).WithLocation(5).WithArguments("_sortColumn"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(6).WithLocation(7).WithArguments("filter.Column"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(8).WithLocation(9).WithArguments("filter.Label"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(10).WithLocation(11).WithArguments("_table"));

    // ---- Stored procedures --------------------------------------------------------------------------

    [Fact]
    public Task Stored_procedure_names_do_not_report() => Check(
        """
        public static class Procedures
        {
            public static void Run(IDbConnection connection, IDbCommand command, string schema, string name)
            {
                connection.Execute($"[{schema}].[Account_Touch]", new { id = 1 }, commandType: CommandType.StoredProcedure);
                connection.Query<User>(new CommandDefinition($"{schema}.{name}", commandType: CommandType.StoredProcedure));

                command.CommandText = "[" + schema + "].[Account_Purge]";
                command.CommandType = CommandType.StoredProcedure;

                using var created = new SqliteCommand(schema + ".Account_Close") { CommandType = CommandType.StoredProcedure };
            }
        }
        """);

    [Fact]
    public Task Text_commands_with_built_names_report() => Check(
        """
        public static class Procedures
        {
            public static void Run(IDbConnection connection, IDbCommand command, string schema)
            {
                connection.Execute({|#0:$"EXEC [{{|#1:schema|}}].[Account_Touch]"|}, commandType: CommandType.Text);

                command.CommandText = {|#2:"SELECT * FROM " + {|#3:schema|} + ".accounts"|};
                command.CommandType = CommandType.Text;
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(0).WithLocation(1).WithArguments("schema"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(2).WithLocation(3).WithArguments("schema"));

    // ---- Helpers and callers ------------------------------------------------------------------------

    [Fact]
    public Task Helpers_that_return_only_written_text_are_allow_lists_do_not_report() => Check(
        """
        public sealed class Ledger
        {
            public bool Detailed { get; set; }

            internal string Columns() => Detailed ? "Id, Amount, Memo" : "Id, Amount";

            private static string Order(string requested)
            {
                switch (requested)
                {
                    case "amount":
                        return "Amount";
                    default:
                        return "Id";
                }
            }

            public void Read(IDbConnection connection, Ledger other, string requested)
            {
                connection.Query<User>($"SELECT {Columns()} FROM ledger ORDER BY {Order(requested)}");
                connection.Query<User>("SELECT " + other.Columns() + " FROM ledger");
            }
        }
        """);

    [Fact]
    public Task Overridable_helpers_and_helpers_returning_input_report() => Check(
        """
        public class Ledger
        {
            protected virtual string Columns() => "Id, Amount";

            private static string Quote(string name) => "[" + name + "]";

            public void Read(IDbConnection connection, string column)
            {
                connection.Query<User>({|#0:$"SELECT {{|#1:Columns()|}} FROM ledger"|});
                connection.Query<User>({|#2:"SELECT " + {|#3:Quote(column)|} + " FROM ledger"|});
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(0).WithLocation(1).WithArguments("Columns()"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(2).WithLocation(3).WithArguments("Quote(column)"));

    [Fact]
    public Task Parameters_every_caller_passes_a_constant_do_not_report() => Check(
        """
        public sealed class Inventory
        {
            private const string AllItems = "SELECT Id FROM items";
            private const string OpenItems = "SELECT Id FROM items WHERE Open = 1";

            public void Check(SqliteConnection connection)
            {
                Count("items", "sku");
                Count("bins", "label");

                void Count(string table, string column)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT COUNT({column}) FROM {table}";
                }

                Purge(connection, "archive");
                Purge(connection, table: "staging");
                Export(connection, OpenItems);
                Export(connection);
            }

            private static void Purge(SqliteConnection connection, string table)
            {
                using var command = new SqliteCommand("DELETE FROM " + table, connection);
            }

            public void Export(IDbConnection connection, string source = AllItems)
                => connection.Execute($"WITH chosen AS ({source}) INSERT INTO export SELECT Id FROM chosen");
        }
        """);

    [Fact]
    public Task Parameters_some_caller_passes_a_value_or_a_public_method_without_default_report() => Check(
        """
        public sealed class Inventory
        {
            public void Check(SqliteConnection connection, string requested)
            {
                Count("items");
                Count(requested);

                void Count(string table)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = {|#0:"SELECT COUNT(*) FROM " + {|#1:table|}|};
                }

                Action<SqliteConnection, string> later = Drop;
                Drop(connection, "archive");
                Purge(connection, "archive");
            }

            private static void Drop(SqliteConnection connection, string table)
            {
                using var command = new SqliteCommand({|#2:"DROP TABLE " + {|#3:table|}|}, connection);
            }

            public static void Purge(SqliteConnection connection, string table)
            {
                using var command = new SqliteCommand({|#4:"DELETE FROM " + {|#5:table|}|}, connection);
            }

            public static void Export(IDbConnection connection, string source = "items")
                => connection.Execute({|#6:"INSERT INTO export SELECT Id FROM " + {|#7:source|}|});

            public static void Backfill(IDbConnection connection, string name) => Export(connection, name);
        }

        public sealed class ItemsController : Microsoft.AspNetCore.Mvc.ControllerBase
        {
            public Microsoft.AspNetCore.Mvc.IActionResult Index(IDbConnection connection) => List(connection);

            public Microsoft.AspNetCore.Mvc.IActionResult List(IDbConnection connection, string sort = "Name")
                => Ok(connection.Query<User>({|#8:"SELECT Id FROM items ORDER BY " + {|#9:sort|}|}));
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(0).WithLocation(1).WithArguments("table"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(2).WithLocation(3).WithArguments("table"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(4).WithLocation(5).WithArguments("table"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(6).WithLocation(7).WithArguments("source"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(8).WithLocation(9).WithArguments("sort"));

    [Fact]
    public Task Throwing_arms_and_branches_produce_no_text_do_not_report() => Check(
        """
        public enum Merge { Keep, Replace }

        public static class Upserts
        {
            public static void Save(IDbConnection connection, Merge merge, string? direction)
            {
                var onConflict = merge switch
                {
                    Merge.Keep => "DO NOTHING",
                    Merge.Replace => "DO UPDATE SET Email = excluded.Email",
                    _ => throw new ArgumentOutOfRangeException(nameof(merge)),
                };
                connection.Execute($"INSERT INTO users (Id, Email) VALUES (@id, @email) ON CONFLICT (Id) {onConflict}", new { id = 1, email = "" });

                var order = direction == "down" ? "DESC" : direction == "up" ? "ASC" : throw new ArgumentException("direction");
                connection.Query<User>("SELECT Id FROM users ORDER BY Id " + order);
            }
        }
        """);

    // ---- EF Core's own SQL --------------------------------------------------------------------------

    [Fact]
    public Task Sql_and_names_written_by_ef_core_do_not_report() => Check(
        """
        public static class Maintenance
        {
            public static void Run(ShopContext db, string requested)
            {
                var history = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>(db);
                var rows = new[] { new Microsoft.EntityFrameworkCore.Migrations.HistoryRow("20260101_Init", "10.0.0") };
                var script = string.Concat(rows.Select(r => history.GetInsertScript(r)).ToArray());
                db.Database.ExecuteSqlRaw(script);

                var users = db.Model.FindEntityType(typeof(User))!;
                var helper = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper>(db);
                db.Database.ExecuteSqlRaw($"DELETE FROM {helper.DelimitIdentifier(users.GetTableName()!)}");
                db.Database.ExecuteSqlRaw("UPDATE " + users.GetTableName() + " SET " + helper.DelimitIdentifier(requested) + " = NULL");
            }
        }
        """);

    // ---- Only the writes that reach the SQL ---------------------------------------------------------

    [Fact]
    public Task Overwritten_values_do_not_report() => Check(
        """
        public static class Accounts
        {
            public static void Run(IDbConnection connection, string email, bool archived)
            {
                var sql = "SELECT Id FROM users WHERE Email = '" + email + "'";
                sql = "SELECT Id FROM users WHERE Email = @email";
                connection.Query<User>(sql, new { email });

                string table;
                if (archived)
                {
                    table = "users_" + email;
                    table = "archived_users";
                }
                else
                {
                    table = "users";
                }

                connection.Query<User>("SELECT Id FROM " + table);
            }
        }
        """);

    [Fact]
    public Task Only_the_reaching_writes_are_reported_and_named() => Check(
        """
        public static class Accounts
        {
            public static void Run(IDbConnection connection, string email, string city, bool byCity)
            {
                var sql = "SELECT Id FROM users WHERE Email = '" + {|#1:email|} + "'";
                connection.Query<User>({|#0:sql|});

                sql = "SELECT Id FROM users WHERE City = '" + {|#3:city|} + "'";
                connection.Query<User>({|#2:sql|});

                var filter = "Email = '" + {|#5:email|} + "'";
                if (byCity)
                {
                    filter = "City = '" + {|#7:city|} + "'";
                }

                connection.Query<User>({|#4:"SELECT Id FROM users WHERE " + filter|});

                var text = "SELECT Id FROM users WHERE Email = '" + email + "'";
                text = "";
                for (var i = 0; i < 2; i++)
                {
                    text += (i > 0 ? " UNION " : "") + "SELECT Id FROM users WHERE City = '" + {|#8:city|} + "'";
                }

                connection.Query<User>({|#6:text|});
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("email"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(2).WithLocation(3).WithArguments("city"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(4).WithLocation(5).WithLocation(7).WithArguments("email"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(6).WithLocation(8).WithArguments("city"));

    // ---- command.CommandText += ----------------------------------------------------------------------

    [Fact]
    public Task Values_appended_to_command_text_report() => Check(
        """
        public static class Search
        {
            public static void Run(IDbCommand command, string name, string column, int limit)
            {
                command.CommandText = "SELECT Id FROM users WHERE 1 = 1";
                command.CommandText += {|#0:" AND Name = '" + {|#1:name|} + "'"|};
                command.CommandText += {|#2:" ORDER BY " + {|#3:column|}|};
                command.CommandText += {|#4:{|#5:name|}|};
                command.CommandText += " LIMIT " + limit;
                command.CommandText += " -- done";
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("name"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(2).WithLocation(3).WithArguments("column"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(4).WithLocation(5).WithArguments("name"));

    // ---- Messages -----------------------------------------------------------------------------------

    [Fact]
    public Task Identifier_message_holds_when_the_text_cannot_be_rebuilt() => Check(
        """
        public static class Reports
        {
            public static void Run(IDbConnection connection, string table, bool wide)
            {
                string sql;
                if (wide)
                {
                    sql = $"SELECT * FROM [{{|#1:table|}}] WHERE Wide = 1";
                }
                else
                {
                    sql = $"SELECT Id FROM [{{|#3:table|}}]";
                }

                connection.Query<User>({|#0:sql|});

                var sorted = "SELECT Id FROM users";
                sorted += " ORDER BY " + {|#4:table|};
                connection.Query<User>({|#2:sorted|});
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(0).WithLocation(1).WithLocation(3)
            .WithMessage("'table' is inserted where SQL expects a name or keyword; check it against an allow-list of known values"),
        Verify.Diagnostic(SqlConcatenationAnalyzer.IdentifierRule).WithLocation(2).WithLocation(4)
            .WithMessage("'table' is inserted where SQL expects a name or keyword; check it against an allow-list of known values"));

    [Fact]
    public Task Message_names_a_multi_line_value_on_one_line() => Check(
        """
        public static class Reports
        {
            private static string Load(string key, int version) => key + version;

            public static void Run(IDbConnection connection, string key)
            {
                connection.Query<User>({|#0:"SELECT Id FROM users WHERE Tag = '" + {|#1:Load(
                    key,
                    2)|} + "'"|});
            }
        }
        """,
        Verify.Diagnostic(SqlConcatenationAnalyzer.Rule).WithLocation(0).WithLocation(1)
            .WithMessage("'Load(key, 2)' is concatenated into SQL text; pass it as a parameter"));

    // ---- Code being typed ---------------------------------------------------------------------------

    [Fact]
    public Task Incomplete_members_helpers_and_callers_do_not_crash() => Check(
        """
        public sealed class Draft
        {
            private readonly string _table = {|CS0103:Missing|};

            public Draft(string schema) => Schema = {|CS0103:schem|};

            protected string Schema { get; private set; } = "dbo";

            private static string Columns() => {|CS0103:undefinedColumns|};

            public void Run(IDbConnection connection, string name)
            {
                connection.Query<User>([|$"SELECT Id FROM [{Schema}].[{_table}]"|]);
                connection.Query<User>([|$"SELECT {Columns()} FROM users"|]);
                Purge("logs");
                Purge({|CS0103:nothing|});

                void Purge(string table) => connection.Execute([|"DELETE FROM " + table|]);

                connection.Execute("DELETE FROM " + name, commandType: {|CS0103:CommandTyp|}.StoredProcedure);
                var sql = "SELECT Id FROM users WHERE Email = '" + name + "'";
                sql = {|CS0103:later|};
                connection.Query<User>([|sql|]);
            }
        }
        """);
}
