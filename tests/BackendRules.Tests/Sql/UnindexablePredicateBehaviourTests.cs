using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using BackendRules.Sql;
using BackendRules.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BackendRules.Tests.Sql;

/// <summary>
/// The BR0015 fix on a real SQLite database with an index on the date column: the original and the fixed code are
/// compiled and run against the same seeded rows. SQLite's EXPLAIN QUERY PLAN shows a full SCAN for the original
/// (the column is wrapped in strftime) and a SEARCH using the index for the fixed range; both return the same rows.
/// The same holds for the SQL EF Core generates from the LINQ predicates.
/// </summary>
public sealed class UnindexablePredicateBehaviourTests : IDisposable
{
    private const string Source = """
        using System;
        using System.Linq;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;

        public sealed class Invoice
        {
            public long Id { get; set; }
            public DateTime IssuedAt { get; set; }
        }

        public sealed class Books : DbContext
        {
            private readonly SqliteConnection _connection;
            public Books(SqliteConnection connection) => _connection = connection;
            public DbSet<Invoice> Invoices => Set<Invoice>();
            protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite(_connection);
            protected override void OnModelCreating(ModelBuilder model) => model.Entity<Invoice>().HasIndex(x => x.IssuedAt);
        }

        public static class Repository
        {
            public static SqliteCommand IssuedIn2024(SqliteConnection connection)
            {
                var command = connection.CreateCommand();
                command.CommandText = "SELECT Id FROM Invoices WHERE strftime('%Y', IssuedAt) = '2024'";
                return command;
            }

            public static IQueryable<long> IssuedIn(Books db, int year)
                => db.Invoices.Where(x => x.IssuedAt.Year == year).Select(x => x.Id);

            public static IQueryable<long> IssuedOn(Books db, DateTime day)
                => db.Invoices.Where(x => x.IssuedAt.Date == day).Select(x => x.Id);
        }
        """;

    private static readonly Lazy<Task<(Type Original, Type Fixed, string FixedSource)>> Compiled = new(CompileBothAsync);

    private readonly SqliteConnection _connection;

    public UnindexablePredicateBehaviourTests()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        using var db = new PlainBooks(_connection);
        db.Database.EnsureCreated();

        // Two years either side of 2024, and the edges of the day and the year.
        var times = new[]
        {
            "2023-12-31 23:59:59", "2024-01-01 00:00:00", "2024-03-15 08:30:00", "2024-03-15 23:59:59.5", "2024-03-16 00:00:00",
            "2024-12-31 23:59:59.999", "2025-01-01 00:00:00", "2022-06-01 12:00:00",
        };
        using var insert = _connection.CreateCommand();
        insert.CommandText = string.Join(";", times.Select((t, i) => $"INSERT INTO Invoices (Id, IssuedAt) VALUES ({i + 1}, '{t}')"));
        insert.ExecuteNonQuery();
        for (var i = 0; i < 200; i++)
        {
            using var filler = _connection.CreateCommand();
            filler.CommandText = $"INSERT INTO Invoices (IssuedAt) VALUES ('{2000 + (i % 20):D4}-0{1 + (i % 9)}-1{i % 10} 10:00:00')";
            filler.ExecuteNonQuery();
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The same model, for creating the schema (with its index) from the test itself.</summary>
    private sealed class PlainBooks : DbContext
    {
        private readonly SqliteConnection _connection;

        public PlainBooks(SqliteConnection connection) => _connection = connection;

        public DbSet<PlainInvoice> Invoices => Set<PlainInvoice>();

        protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite(_connection);

        protected override void OnModelCreating(ModelBuilder model) => model.Entity<PlainInvoice>().ToTable("Invoices").HasIndex(x => x.IssuedAt);
    }

    private sealed class PlainInvoice
    {
        public long Id { get; set; }

        public DateTime IssuedAt { get; set; }
    }

    private static async Task<(Type, Type, string)> CompileBothAsync()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new UnindexablePredicateAnalyzer(), new UnindexablePredicateFixer());
        var original = FixRunner.CompileAndLoad(Source, "Original_" + Guid.NewGuid().ToString("N"));
        var fixedAssembly = FixRunner.CompileAndLoad(fixedSource, "Fixed_" + Guid.NewGuid().ToString("N"));
        return (original.GetType("Repository", throwOnError: true)!, fixedAssembly.GetType("Repository", throwOnError: true)!, fixedSource);
    }

    private object Invoke(Type repository, string method, params object[] arguments)
        => repository.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments)!;

    private DbContext Books(Type repository)
        => (DbContext)Activator.CreateInstance(repository.Assembly.GetType("Books", throwOnError: true)!, _connection)!;

    /// <summary>The SQL and parameters EF Core would run for the query (ToQueryString's parameter lines become parameters).</summary>
    private SqliteCommand CommandOf(IQueryable query)
    {
        var command = _connection.CreateCommand();
        var sql = new List<string>();
        foreach (var line in query.ToQueryString().Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.StartsWith(".param set ", StringComparison.Ordinal))
            {
                var rest = trimmed.Substring(".param set ".Length);
                var space = rest.IndexOf(' ');
                command.Parameters.AddWithValue(rest.Substring(0, space), rest.Substring(space + 1).Trim('\''));
            }
            else
            {
                sql.Add(trimmed);
            }
        }

        command.CommandText = string.Join("\n", sql);
        return command;
    }

    private string Plan(SqliteCommand command)
    {
        using var explain = _connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        foreach (SqliteParameter parameter in command.Parameters)
        {
            explain.Parameters.AddWithValue(parameter.ParameterName, parameter.Value);
        }

        using var reader = explain.ExecuteReader();
        var details = new List<string>();
        while (reader.Read())
        {
            details.Add(reader.GetString(3));
        }

        return string.Join(" | ", details);
    }

    private static List<long> Rows(SqliteCommand command)
    {
        var ids = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        ids.Sort();
        return ids;
    }

    [Fact]
    public async Task The_fix_writes_ranges_and_leaves_nothing_to_report()
    {
        var (_, _, fixedSource) = await Compiled.Value;
        Assert.Contains("IssuedAt >= '2024-01-01' AND IssuedAt < '2025-01-01'", fixedSource);
        Assert.Contains("x.IssuedAt >= new DateTime(year, 1, 1) && x.IssuedAt < new DateTime(year + 1, 1, 1)", fixedSource);
        Assert.Contains("day == day.Date && x.IssuedAt >= day && x.IssuedAt < day.AddDays(1)", fixedSource);
        Assert.Empty(await FixRunner.AnalyzeAsync(await DocumentOf(fixedSource), new UnindexablePredicateAnalyzer()));
    }

    [Fact]
    public async Task Sql_text_scans_before_and_searches_the_index_after_with_the_same_rows()
    {
        var (original, @fixed, _) = await Compiled.Value;
        using var before = (SqliteCommand)Invoke(original, "IssuedIn2024", _connection);
        using var after = (SqliteCommand)Invoke(@fixed, "IssuedIn2024", _connection);

        Assert.StartsWith("SCAN Invoices", Plan(before));
        Assert.Matches("SEARCH Invoices USING (COVERING )?INDEX IX_Invoices_IssuedAt", Plan(after));
        Assert.Equal(new long[] { 2, 3, 4, 5, 6 }, Rows(before));
        Assert.Equal(Rows(before), Rows(after));
    }

    [Theory]
    [InlineData(2024)]
    [InlineData(2023)]
    [InlineData(2010)]
    public async Task Ef_year_query_scans_before_and_searches_the_index_after_with_the_same_rows(int year)
    {
        var (original, @fixed, _) = await Compiled.Value;
        using var dbBefore = Books(original);
        using var dbAfter = Books(@fixed);
        var before = (IQueryable<long>)Invoke(original, "IssuedIn", dbBefore, year);
        var after = (IQueryable<long>)Invoke(@fixed, "IssuedIn", dbAfter, year);

        using var beforeCommand = CommandOf(before);
        using var afterCommand = CommandOf(after);
        Assert.StartsWith("SCAN", Plan(beforeCommand));
        Assert.Matches("SEARCH i USING (COVERING )?INDEX IX_Invoices_IssuedAt", Plan(afterCommand));

        var expected = before.ToList();
        expected.Sort();
        var actual = after.ToList();
        actual.Sort();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("2024-03-15")]
    [InlineData("2023-12-31")]
    public async Task Ef_day_query_scans_before_and_searches_the_index_after_with_the_same_rows(string day)
    {
        var (original, @fixed, _) = await Compiled.Value;
        using var dbBefore = Books(original);
        using var dbAfter = Books(@fixed);
        var value = DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var before = (IQueryable<long>)Invoke(original, "IssuedOn", dbBefore, value);
        var after = (IQueryable<long>)Invoke(@fixed, "IssuedOn", dbAfter, value);

        using var beforeCommand = CommandOf(before);
        using var afterCommand = CommandOf(after);
        Assert.StartsWith("SCAN", Plan(beforeCommand));
        Assert.Matches("SEARCH i USING (COVERING )?INDEX IX_Invoices_IssuedAt", Plan(afterCommand));

        var expected = before.ToList();
        expected.Sort();
        var actual = after.ToList();
        actual.Sort();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_day_with_a_time_of_day_matches_nothing_before_and_after()
    {
        // x.IssuedAt.Date == d is never true when d has a time; the guard keeps it that way (a bare range would not).
        var (original, @fixed, _) = await Compiled.Value;
        using var dbBefore = Books(original);
        using var dbAfter = Books(@fixed);
        var value = new DateTime(2024, 3, 15, 17, 45, 0);
        Assert.Empty(((IQueryable<long>)Invoke(original, "IssuedOn", dbBefore, value)).ToList());
        Assert.Empty(((IQueryable<long>)Invoke(@fixed, "IssuedOn", dbAfter, value)).ToList());
    }

    private static Task<Microsoft.CodeAnalysis.Document> DocumentOf(string source)
    {
        var workspace = new Microsoft.CodeAnalysis.AdhocWorkspace();
        var projectId = Microsoft.CodeAnalysis.ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(Microsoft.CodeAnalysis.ProjectInfo.Create(
            projectId,
            Microsoft.CodeAnalysis.VersionStamp.Default,
            "Subject",
            "Subject",
            Microsoft.CodeAnalysis.LanguageNames.CSharp,
            compilationOptions: new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary),
            metadataReferences: TestReferences.All));
        var documentId = Microsoft.CodeAnalysis.DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Subject.cs", Microsoft.CodeAnalysis.Text.SourceText.From(source), filePath: "/src/Subject.cs");
        return Task.FromResult(solution.GetDocument(documentId)!);
    }
}
