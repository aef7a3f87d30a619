using System.Threading.Tasks;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Sql.SqlConcatenationAnalyzer, BackendRules.Sql.SqlConcatenationFixer>;

namespace BackendRules.Tests.Sql;

/// <summary>BR0001's fix: every fix is compiled by the test framework and checked one by one and as Fix All.</summary>
public sealed class SqlConcatenationFixerTests
{
    private static readonly string Usings = SqlConcatenationAnalyzerTests.Usings;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    // ---- ADO.NET ------------------------------------------------------------------------------------

    [Fact]
    public Task Command_text_gets_add_with_value_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static object? Find(SqliteConnection connection, string email)
            {
                using var command = connection.CreateCommand();
                command.CommandText = [|"SELECT Id FROM users WHERE Email = '" + email + "'"|];

                return command.ExecuteScalar();
            }
        }
        """,
        """
        public static class Repository
        {
            public static object? Find(SqliteConnection connection, string email)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT Id FROM users WHERE Email = @email";
                command.Parameters.AddWithValue("@email", email);

                return command.ExecuteScalar();
            }
        }
        """);

    [Fact]
    public Task Like_pattern_moves_into_the_parameter_value_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static SqliteDataReader Search(SqliteConnection connection, string term, int limit)
            {
                using var command = new SqliteCommand([|"SELECT Id FROM users WHERE Email LIKE '%" + term + "%' LIMIT " + limit|], connection);
                return command.ExecuteReader();
            }
        }
        """,
        """
        public static class Repository
        {
            public static SqliteDataReader Search(SqliteConnection connection, string term, int limit)
            {
                using var command = new SqliteCommand("SELECT Id FROM users WHERE Email LIKE @term LIMIT @limit", connection);
                command.Parameters.AddWithValue("@term", "%" + term + "%");
                command.Parameters.AddWithValue("@limit", limit);
                return command.ExecuteReader();
            }
        }
        """);

    [Fact]
    public Task Using_statement_body_gets_the_parameters_first_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static object? Find(SqliteConnection connection, string email)
            {
                using (var command = new SqliteCommand([|"SELECT Id FROM users WHERE Email = '" + email + "'"|], connection))
                {
                    return command.ExecuteScalar();
                }
            }
        }
        """,
        """
        public static class Repository
        {
            public static object? Find(SqliteConnection connection, string email)
            {
                using (var command = new SqliteCommand("SELECT Id FROM users WHERE Email = @email", connection))
                {
                    command.Parameters.AddWithValue("@email", email);
                    return command.ExecuteScalar();
                }
            }
        }
        """);

    [Fact]
    public Task Interface_command_uses_create_parameter_and_nullable_values_become_db_null_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static void Rename(IDbCommand command, int id, string? name)
            {
                command.CommandText = [|$"UPDATE users SET Name = '{name}' WHERE Id = {id}"|];
                command.ExecuteNonQuery();
            }
        }
        """,
        """
        public static class Repository
        {
            public static void Rename(IDbCommand command, int id, string? name)
            {
                command.CommandText = "UPDATE users SET Name = @name WHERE Id = @id";
                var nameParameter = command.CreateParameter();
                nameParameter.ParameterName = "@name";
                nameParameter.Value = (object?)name ?? DBNull.Value;
                command.Parameters.Add(nameParameter);
                var idParameter = command.CreateParameter();
                idParameter.ParameterName = "@id";
                idParameter.Value = id;
                command.Parameters.Add(idParameter);
                command.ExecuteNonQuery();
            }
        }
        """);

    [Fact]
    public Task Object_initializer_and_parameter_prefix_option_report_and_fix()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                public static class Repository
                {
                    public static object? Find(SqliteConnection connection, string email)
                    {
                        using var command = new SqliteCommand { Connection = connection, CommandText = [|"SELECT Id FROM users WHERE Email = '" + email + "'"|] };
                        return command.ExecuteScalar();
                    }
                }
                """,
            FixedCode = Usings + """
                public static class Repository
                {
                    public static object? Find(SqliteConnection connection, string email)
                    {
                        using var command = new SqliteCommand { Connection = connection, CommandText = "SELECT Id FROM users WHERE Email = $email" };
                        command.Parameters.AddWithValue("$email", email);
                        return command.ExecuteScalar();
                    }
                }
                """,
        }.WithEditorConfig("backendrules.BR0001.parameter_prefix = $");
        return test.RunAsync();
    }

    // ---- Dapper -------------------------------------------------------------------------------------

    [Fact]
    public Task Dapper_gets_a_parameter_object_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static User? Find(IDbConnection connection, string email)
                => connection.QueryFirstOrDefault<User>([|"SELECT Id, Email FROM users WHERE Email = '" + email + "'"|]);
        }
        """,
        """
        public static class Repository
        {
            public static User? Find(IDbConnection connection, string email)
                => connection.QueryFirstOrDefault<User>("SELECT Id, Email FROM users WHERE Email = @email", new { email });
        }
        """);

    [Fact]
    public Task Dapper_merges_into_an_existing_anonymous_object_and_keeps_allow_listed_names_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static IEnumerable<User> List(IDbConnection connection, User filter, string requested)
            {
                var sort = requested switch { "email" => "Email", _ => "Id" };
                return connection.Query<User>([|$"SELECT Id, Email FROM users WHERE Active = @active AND Email = '{filter.Email}' ORDER BY {sort}"|], new { active = true });
            }
        }
        """,
        """
        public static class Repository
        {
            public static IEnumerable<User> List(IDbConnection connection, User filter, string requested)
            {
                var sort = requested switch { "email" => "Email", _ => "Id" };
                return connection.Query<User>($"SELECT Id, Email FROM users WHERE Active = @active AND Email = @email ORDER BY {sort}", new { active = true, email = filter.Email });
            }
        }
        """);

    [Fact]
    public Task Sql_in_a_local_is_rewritten_where_it_is_built_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static Task<int> Delete(IDbConnection connection, string email)
            {
                var sql = string.Format("DELETE FROM users WHERE Email = '{0}'", email);
                return connection.ExecuteAsync([|sql|]);
            }
        }
        """,
        """
        public static class Repository
        {
            public static Task<int> Delete(IDbConnection connection, string email)
            {
                var sql = "DELETE FROM users WHERE Email = @email";
                return connection.ExecuteAsync(sql, new { email });
            }
        }
        """);

    // ---- EF Core ------------------------------------------------------------------------------------

    [Fact]
    public Task Ef_raw_methods_become_their_interpolated_twins_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static async Task Run(ShopContext db, string email, System.Threading.CancellationToken cancellationToken)
            {
                db.Users.FromSqlRaw([|"SELECT * FROM Users WHERE Email = '" + email + "'"|]).ToList();
                await db.Database.ExecuteSqlRawAsync([|$"DELETE FROM Users WHERE Email = '{email}'"|], cancellationToken);
                db.Database.SqlQueryRaw<int>([|"SELECT Id AS Value FROM Users WHERE Email LIKE '" + email + "%'"|]).ToList();
            }
        }
        """,
        """
        public static class Repository
        {
            public static async Task Run(ShopContext db, string email, System.Threading.CancellationToken cancellationToken)
            {
                db.Users.FromSql($"SELECT * FROM Users WHERE Email = {email}").ToList();
                await db.Database.ExecuteSqlAsync($"DELETE FROM Users WHERE Email = {email}", cancellationToken);
                db.Database.SqlQuery<int>($"SELECT Id AS Value FROM Users WHERE Email LIKE {email + "%"}").ToList();
            }
        }
        """);

    [Fact]
    public Task Ef_sql_in_a_local_moves_into_the_call_report_and_fix() => Fix(
        """
        public static class Repository
        {
            public static List<User> Find(ShopContext db, string email)
            {
                var sql = "SELECT * FROM Users WHERE Email = '" + email + "'";
                return db.Users.FromSqlRaw([|sql|]).ToList();
            }
        }
        """,
        """
        public static class Repository
        {
            public static List<User> Find(ShopContext db, string email)
            {
                return db.Users.FromSql($"SELECT * FROM Users WHERE Email = {email}").ToList();
            }
        }
        """);

    // ---- Reported, no fix offered ------------------------------------------------------------------

    [Fact]
    public Task Identifier_in_list_comment_and_format_specifier_report_no_fix() => NoFix(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, string table, string csv, decimal price)
            {
                connection.Query<User>({|BR0001:"SELECT Id FROM " + table|});
                connection.Query<User>([|"SELECT Id FROM users WHERE Email IN (" + csv + ")"|]);
                connection.Query<User>([|$"SELECT Id FROM users WHERE Price > {price:F2}"|]);
            }
        }
        """);

    [Fact]
    public Task Sql_built_with_plus_equals_or_shared_by_two_sinks_report_no_fix() => NoFix(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, string email, string city)
            {
                var sql = "SELECT Id FROM users WHERE Email = '" + email + "'";
                if (city.Length > 0)
                {
                    sql += " AND City = '" + city + "'";
                }

                connection.Query<User>([|sql|]);

                var shared = "SELECT Id FROM users WHERE Email = '" + email + "'";
                connection.Query<User>([|shared|]);
                connection.Execute([|shared|]);
            }
        }
        """);

    [Fact]
    public Task Values_appended_to_command_text_report_no_fix() => NoFix(
        """
        public static class Repository
        {
            public static object? Count(SqliteConnection connection, string city)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM users WHERE Active = 1";
                command.CommandText += [|" AND City = '" + city + "'"|];
                return command.ExecuteScalar();
            }
        }
        """);

    [Fact]
    public Task Parameter_object_that_cannot_be_extended_or_ef_positional_parameters_report_no_fix() => NoFix(
        """
        public static class Repository
        {
            public static void Run(IDbConnection connection, ShopContext db, string email, DynamicParameters parameters)
            {
                connection.Query<User>([|"SELECT Id FROM users WHERE Email = '" + email + "'"|], parameters);
                db.Users.FromSqlRaw([|"SELECT * FROM Users WHERE Email = '" + email + "' AND Id = {0}"|], 5).ToList();
            }
        }
        """);

    // The statements between the two PRAGMAs are text that names tables: the rule says so ("where SQL expects a
    // name or keyword") and the fix must not turn the whole batch fragment into one parameter value.
    [Fact]
    public Task Statements_naming_tables_joined_into_a_batch_report_no_fix() => NoFix(
        """
        public static class Cleanup
        {
            public static async Task WipeAsync(ShopContext db, IDbConnection connection, IEnumerable<string> tables)
            {
                var statements = new List<string>();
                foreach (var table in tables)
                {
                    statements.Add($"DELETE FROM \"{table}\";");
                }

                var batch = $"PRAGMA foreign_keys = OFF;\n{string.Join("\n", statements)}\nPRAGMA foreign_keys = ON;";
                await db.Database.ExecuteSqlRawAsync({|BR0001:batch|});

                connection.Execute({|BR0001:"PRAGMA foreign_keys = OFF; " + string.Join(" ", statements) + " PRAGMA foreign_keys = ON;"|});
            }
        }
        """);

    // ---- Fix All ----------------------------------------------------------------------------------

    [Fact]
    public async Task Fix_all_in_document_project_and_solution_matches_fixing_one_by_one()
    {
        var first = Usings + """
            public static class First
            {
                public static void Run(SqliteConnection connection, IDbConnection dapper, string email, string name)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = [|"UPDATE users SET Name = '" + name + "' WHERE Email = '" + email + "'"|];
                    command.ExecuteNonQuery();
                    dapper.Execute([|$"DELETE FROM users WHERE Email = '{email}'"|]);
                    dapper.Execute([|$"DELETE FROM archive WHERE Email = '{email}'"|], new { });
                }
            }
            """;
        var second = """
            using System.Data;
            using Dapper;

            public static class Second
            {
                public static int Count(IDbConnection connection, string city) => connection.ExecuteScalar<int>([|"SELECT COUNT(*) FROM users WHERE City = '" + city + "'"|]);
            }
            """;
        var test = new Verify.Test
        {
            TestState = { Sources = { first, second } },
            FixedState =
            {
                Sources =
                {
                    Usings + """
                    public static class First
                    {
                        public static void Run(SqliteConnection connection, IDbConnection dapper, string email, string name)
                        {
                            using var command = connection.CreateCommand();
                            command.CommandText = "UPDATE users SET Name = @name WHERE Email = @email";
                            command.Parameters.AddWithValue("@name", name);
                            command.Parameters.AddWithValue("@email", email);
                            command.ExecuteNonQuery();
                            dapper.Execute("DELETE FROM users WHERE Email = @email", new { email });
                            dapper.Execute("DELETE FROM archive WHERE Email = @email", new { email });
                        }
                    }
                    """,
                    """
                    using System.Data;
                    using Dapper;

                    public static class Second
                    {
                        public static int Count(IDbConnection connection, string city) => connection.ExecuteScalar<int>("SELECT COUNT(*) FROM users WHERE City = @city", new { city });
                    }
                    """,
                },
            },
            NumberOfFixAllInDocumentIterations = 2,
        };
        await test.RunAsync();
    }
}
