using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BackendRules.Benchmarks.Inputs;

/// <summary>
/// Writes a realistic ASP.NET Core backend of about the requested number of lines: per entity a model with DTOs and
/// mapping, an ADO.NET repository (Microsoft.Data.Sqlite, DbCommand and IDbCommand), a Dapper repository, an EF Core
/// repository, a service, an MVC controller, minimal-API endpoints in a route group, a typed HttpClient with its
/// registration, and HTML helpers; per ten entities an area with a DbContext and the registrations; one host. A
/// fraction of the SQL methods is written with a BR0001 or BR0002 violation (string concatenation, interpolation,
/// string.Format, StringBuilder, SELECT *); the rest use the compliant forms the rules must still look at
/// (parameters, constant concatenation, allow-listed names, COUNT(*), EXISTS (SELECT *), FromSql). The same share of
/// endpoints and HTML helpers is written with a violation of BR0004 (a verb in a controller or MapGet route),
/// BR0005 (a GET action or MapGet returning a list without page input or Take) or BR0006 (unencoded values in
/// Content(..., "text/html"), Results.Content, new HtmlString, AppendHtml); their compliant twins use resource
/// routes, a constant Take or page parameters, and HtmlEncoder. The services log with templates, or at the same rate
/// with a BR0007 violation (an interpolated or concatenated message). The typed client's notification is a retry loop
/// that waits a constant time (BR0008) or one that grows with the attempt. Deterministic for a given size and seed.
/// </summary>
internal sealed class BackendGenerator
{
    private readonly Random _random;
    private readonly double _violationRate;
    private readonly GeneratedSource _output = new();

    private BackendGenerator(int seed, double violationRate)
    {
        _random = new Random(seed);
        _violationRate = violationRate;
    }

    public static GeneratedSource Generate(int targetLines, double violationRate, int seed = 20240601)
    {
        var generator = new BackendGenerator(seed, violationRate);
        generator.Run(targetLines);
        return generator._output;
    }

    private void Run(int targetLines)
    {
        _output.Add("GlobalUsings.cs", GeneratedSource.GlobalUsings(GeneratedSource.WebImplicitUsings));
        var areas = new List<(string Area, List<Entity> Entities)>();
        var index = 0;
        const int HostAndAreaAllowance = 60;
        while (_output.Lines + HostAndAreaAllowance < targetLines || index == 0)
        {
            var entity = new Entity(index++, _random);
            if (areas.Count == 0 || areas[^1].Area != entity.Area)
            {
                if (areas.Count > 0)
                {
                    WriteArea(areas[^1].Area, areas[^1].Entities);
                }

                areas.Add((entity.Area, new List<Entity>()));
            }

            areas[^1].Entities.Add(entity);
            WriteModule(entity);
        }

        WriteArea(areas[^1].Area, areas[^1].Entities);
        WriteHost(areas.Select(area => area.Area).ToList());
        _output.Modules = index;
    }

    /// <summary>Decides whether the next SQL method, endpoint or HTML helper is written with a violation.</summary>
    private bool Violate()
    {
        var violate = _random.NextDouble() < _violationRate;
        if (violate)
        {
            _output.ViolatingMethods++;
        }

        return violate;
    }

    private string Plant(string ruleId, string violating, string compliant, bool violate)
    {
        if (violate)
        {
            _output.Plant(ruleId);
        }

        return violate ? violating : compliant;
    }

    private static string Join(IEnumerable<string> lines) => string.Join("\n", lines);

    private static string Literal(string value) => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private void WriteModule(Entity e)
    {
        var folder = $"{e.Area}/{e.Plural}/";
        _output.Add(folder + e.Name + ".cs", Model(e));
        _output.Add(folder + e.Name + "AdoRepository.cs", AdoRepository(e));
        _output.Add(folder + e.Name + "DapperRepository.cs", DapperRepository(e));
        _output.Add(folder + e.Name + "EfRepository.cs", EfRepository(e));
        _output.Add(folder + e.Name + "Service.cs", Service(e));
        _output.Add(folder + e.Plural + "Controller.cs", Controller(e));
        _output.Add(folder + e.Name + "PricingClient.cs", PricingClient(e));
        _output.Add(folder + e.Name + "Module.cs", Module(e));
        _output.Add(folder + e.Name + "Html.cs", Html(e));
    }

    private static string Model(Entity e)
    {
        var properties = Join(e.Properties.Select(p => $"    public {p.Type} {p.Name} {{ get; set; }}{p.Initializer}\n"));
        var dto = string.Join(", ", e.Properties.Select(p => $"{p.Type} {p.Name}"));
        var request = string.Join(", ", e.Data.Select(p => $"{p.Type} {p.Name}"));
        var toDto = string.Join(", ", e.Properties.Select(p => $"entity.{p.Name}"));
        var toEntity = Join(e.Data.Select(p => $"        {p.Name} = request.{p.Name},"));
        var apply = Join(e.Data.Select(p => $"        entity.{p.Name} = request.{p.Name};"));
        return $$"""
            namespace {{e.Namespace}};

            /// <summary>A {{e.Camel}} as stored in the {{e.Table}} table.</summary>
            public sealed class {{e.Name}}
            {
            {{properties.TrimEnd('\n')}}
            }

            /// <summary>What the API returns for a {{e.Camel}}.</summary>
            public sealed record {{e.Name}}Dto({{dto}});

            /// <summary>What a client sends to create or replace a {{e.Camel}}.</summary>
            public sealed record Create{{e.Name}}Request({{request}});

            /// <summary>Filtering, sorting and paging of {{e.Camel}} lists.</summary>
            public sealed record {{e.Name}}Query(string? Search, int Page = 1, int PageSize = 20, string? Sort = null)
            {
                public int Take => Math.Clamp(PageSize, 1, 100);

                public int Skip => (Math.Max(Page, 1) - 1) * Take;
            }

            public static class {{e.Name}}Mapping
            {
                public static {{e.Name}}Dto ToDto(this {{e.Name}} entity) => new({{toDto}});

                public static {{e.Name}} ToEntity(this Create{{e.Name}}Request request) => new()
                {
            {{toEntity}}
                };

                public static void Apply(this {{e.Name}} entity, Create{{e.Name}}Request request)
                {
            {{apply}}
                }
            }

            """;
    }

    private string AdoRepository(Entity e)
    {
        var reads = Join(e.Properties.Select((p, i) => $"        {p.Name} = {p.Read(i)},"));
        var insertColumns = e.DataColumns;
        var insertValues = string.Join(", ", e.Data.Select(p => "@" + p.Camel));
        var addValues = Join(e.Data.Select(p => p.IsNullable
            ? $"        command.Parameters.AddWithValue(\"@{p.Camel}\", (object?)entity.{p.Name} ?? DBNull.Value);"
            : $"        command.Parameters.AddWithValue(\"@{p.Camel}\", entity.{p.Name});"));

        var find = Plant(
            "BR0002",
            $"        command.CommandText = \"SELECT * FROM {e.Table} WHERE Id = @id\";",
            $"        command.CommandText = \"SELECT \" + Columns + \" FROM {e.Table} WHERE Id = @id\";",
            Violate());

        var byNameViolates = Violate();
        var findByName = Plant(
            "BR0001",
            $"        command.CommandText = \"SELECT \" + Columns + \" FROM {e.Table} WHERE Name = '\" + name + \"'\";",
            $"        command.CommandText = \"SELECT \" + Columns + \" FROM {e.Table} WHERE Name = @name\";\n        command.Parameters.AddWithValue(\"@name\", name);",
            byNameViolates);

        var search = Plant(
            "BR0001",
            $"        command.CommandText = \"SELECT \" + Columns + \" FROM {e.Table} WHERE Name LIKE @term ORDER BY \" + sort + \" \" + direction;",
            $"        command.CommandText = \"SELECT \" + Columns + \" FROM {e.Table} WHERE Name LIKE @term ORDER BY \" + orderBy + \" \" + direction;",
            Violate());

        var count = Plant(
            "BR0001",
            $"        command.CommandText = string.Format(CultureInfo.InvariantCulture, \"SELECT COUNT(*) FROM {e.Table} WHERE Name = '{{0}}'\", name);",
            $"        command.CommandText = \"SELECT COUNT(*) FROM {e.Table} WHERE Name = $name\";\n        var parameter = command.CreateParameter();\n        parameter.ParameterName = \"$name\";\n        parameter.Value = name;\n        command.Parameters.Add(parameter);",
            Violate());

        var filter = Plant(
            "BR0001",
            "            sql.Append(\" AND Name = '\").Append(name).Append('\\'');",
            "            sql.Append(\" AND Name = @name\");\n            command.Parameters.AddWithValue(\"@name\", name);",
            Violate());

        return $$"""
            using System.Data;
            using System.Data.Common;
            using System.Globalization;
            using System.Text;
            using Microsoft.Data.Sqlite;

            namespace {{e.Namespace}};

            /// <summary>{{e.Plural}} through ADO.NET (Microsoft.Data.Sqlite).</summary>
            public sealed class {{e.Name}}AdoRepository
            {
                private const string Columns = "{{e.Columns}}";

                private readonly string _connectionString;

                public {{e.Name}}AdoRepository(string connectionString) => _connectionString = connectionString;

                public {{e.Name}}? Find(int id)
                {
                    using var connection = Open();
                    using var command = connection.CreateCommand();
            {{find}}
                    command.Parameters.AddWithValue("@id", id);
                    using var reader = command.ExecuteReader();
                    return reader.Read() ? Read(reader) : null;
                }

                public {{e.Name}}? FindByName(string name)
                {
                    using var connection = Open();
                    using var command = connection.CreateCommand();
            {{findByName}}
                    using var reader = command.ExecuteReader();
                    return reader.Read() ? Read(reader) : null;
                }

                public List<{{e.Name}}> List(int skip, int take)
                {
                    using var connection = Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT {Columns} FROM {{e.Table}} ORDER BY Id LIMIT {take} OFFSET {skip}";
                    return ReadAll(command);
                }

                public List<{{e.Name}}> Search(string term, string sort, bool descending)
                {
                    var orderBy = sort switch
                    {
                        "name" => "Name",
                        "id" => "Id",
                        _ => "Id",
                    };
                    var direction = descending ? "DESC" : "ASC";
                    using var connection = Open();
                    using var command = connection.CreateCommand();
            {{search}}
                    command.Parameters.AddWithValue("@term", "%" + term + "%");
                    return ReadAll(command);
                }

                public async Task<int> InsertAsync({{e.Name}} entity, CancellationToken cancellationToken)
                {
                    await using var connection = new SqliteConnection(_connectionString);
                    await connection.OpenAsync(cancellationToken);
                    await using var command = new SqliteCommand(
                        "INSERT INTO {{e.Table}} ({{insertColumns}}) VALUES ({{insertValues}}); SELECT last_insert_rowid();",
                        connection);
            {{addValues}}
                    var result = await command.ExecuteScalarAsync(cancellationToken);
                    return Convert.ToInt32(result, CultureInfo.InvariantCulture);
                }

                public int Delete(int id)
                {
                    using var connection = Open();
                    using IDbCommand command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM {{e.Table}} WHERE Id = @id";
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@id";
                    parameter.Value = id;
                    command.Parameters.Add(parameter);
                    return command.ExecuteNonQuery();
                }

                public long CountByName(string name)
                {
                    using var connection = Open();
                    using DbCommand command = connection.CreateCommand();
            {{count}}
                    return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                }

                public bool Exists(int id)
                {
                    using var connection = Open();
                    using var command = new SqliteCommand("SELECT EXISTS (SELECT * FROM {{e.Table}} WHERE Id = @id)", connection);
                    command.Parameters.AddWithValue("@id", id);
                    return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
                }

                public List<{{e.Name}}> Filter(string? name, int? minId)
                {
                    var sql = new StringBuilder("SELECT ").Append(Columns).Append(" FROM {{e.Table}} WHERE 1 = 1");
                    using var connection = Open();
                    using var command = connection.CreateCommand();
                    if (!string.IsNullOrEmpty(name))
                    {
            {{filter}}
                    }

                    if (minId is { } min)
                    {
                        sql.Append(" AND Id >= @minId");
                        command.Parameters.AddWithValue("@minId", min);
                    }

                    sql.Append(" ORDER BY Id");
                    command.CommandText = sql.ToString();
                    return ReadAll(command);
                }

                private SqliteConnection Open()
                {
                    var connection = new SqliteConnection(_connectionString);
                    connection.Open();
                    return connection;
                }

                private static List<{{e.Name}}> ReadAll(SqliteCommand command)
                {
                    using var reader = command.ExecuteReader();
                    var items = new List<{{e.Name}}>();
                    while (reader.Read())
                    {
                        items.Add(Read(reader));
                    }

                    return items;
                }

                private static {{e.Name}} Read(SqliteDataReader reader) => new()
                {
            {{reads}}
                };
            }

            """;
    }

    private string DapperRepository(Entity e)
    {
        var set = string.Join(", ", e.Data.Select(p => $"{p.Name} = @{p.Name}"));
        var list = Plant(
            "BR0002",
            $"            \"SELECT * FROM {e.Table} ORDER BY Id LIMIT @take OFFSET @skip\",",
            $"            \"SELECT {e.Columns} FROM {e.Table} ORDER BY Id LIMIT @take OFFSET @skip\",",
            Violate());
        var search = Plant(
            "BR0001",
            $"        var rows = await connection.QueryAsync<{e.Name}>($\"SELECT {e.Columns} FROM {e.Table} WHERE Name LIKE '%{{term}}%' ORDER BY Name LIMIT 50\");",
            $"        var rows = await connection.QueryAsync<{e.Name}>(SelectColumns + \" WHERE Name LIKE @term ORDER BY Name LIMIT 50\", new {{ term = \"%\" + term + \"%\" }});",
            Violate());
        var rename = Plant(
            "BR0001",
            $"        => connection.ExecuteAsync(new CommandDefinition(\"UPDATE {e.Table} SET Name = '\" + name + \"' WHERE Id = \" + id, cancellationToken: cancellationToken));",
            $"        => connection.ExecuteAsync(new CommandDefinition(\"UPDATE {e.Table} SET Name = @name WHERE Id = @id\", new {{ id, name }}, cancellationToken: cancellationToken));",
            Violate());

        return $$"""
            using System.Data;
            using Dapper;

            namespace {{e.Namespace}};

            /// <summary>{{e.Plural}} through Dapper.</summary>
            public sealed class {{e.Name}}DapperRepository(IDbConnection connection)
            {
                private const string SelectColumns = "SELECT {{e.Columns}} FROM {{e.Table}}";

                public async Task<IReadOnlyList<{{e.Name}}Dto>> ListAsync(int skip, int take)
                {
                    var rows = await connection.QueryAsync<{{e.Name}}Dto>(
            {{list}}
                        new { take, skip });
                    return rows.AsList();
                }

                public {{e.Name}}? Find(int id) => connection.QueryFirstOrDefault<{{e.Name}}>(SelectColumns + " WHERE Id = @id", new { id });

                public int Update({{e.Name}} entity) => connection.Execute("UPDATE {{e.Table}} SET {{set}} WHERE Id = @Id", entity);

                public int Count() => connection.ExecuteScalar<int>("SELECT COUNT(*) FROM {{e.Table}}");

                public async Task<IReadOnlyList<{{e.Name}}>> SearchAsync(string term)
                {
            {{search}}
                    return rows.AsList();
                }

                public async Task<(IReadOnlyList<{{e.Name}}Dto> Items, int Total)> PageAsync(int skip, int take)
                {
                    using var grid = await connection.QueryMultipleAsync(
                        "SELECT {{e.Columns}} FROM {{e.Table}} ORDER BY Id LIMIT @take OFFSET @skip; SELECT COUNT(*) FROM {{e.Table}}",
                        new { take, skip });
                    var items = (await grid.ReadAsync<{{e.Name}}Dto>()).AsList();
                    var total = await grid.ReadSingleAsync<int>();
                    return (items, total);
                }

                public IReadOnlyList<{{e.Name}}> ByIds(IEnumerable<int> ids) => connection.Query<{{e.Name}}>(SelectColumns + " WHERE Id IN @ids", new { ids }).AsList();

                public Task<int> RenameAsync(int id, string name, CancellationToken cancellationToken)
            {{rename}}
            }

            """;
    }

    private string EfRepository(Entity e)
    {
        var select = string.Join(", ", e.Properties.Select(p => $"x.{p.Name}"));
        var byNameViolates = Violate();
        var byName = byNameViolates
            ? $"        => db.{e.Plural}.FromSqlRaw(\"SELECT * FROM {e.Table} WHERE Name = '\" + name + \"'\").AsNoTracking().ToListAsync(cancellationToken);"
            : $"        => db.{e.Plural}.FromSql($\"SELECT {e.Columns} FROM {e.Table} WHERE Name = {{name}}\").AsNoTracking().ToListAsync(cancellationToken);";
        if (byNameViolates)
        {
            _output.Plant("BR0001");
            _output.Plant("BR0002");
        }

        var top = Plant(
            "BR0002",
            $"        => db.{e.Plural}.FromSqlRaw(\"SELECT * FROM {e.Table} ORDER BY Id LIMIT {{0}}\", count).ToListAsync(cancellationToken);",
            $"        => db.{e.Plural}.FromSqlRaw(\"SELECT {e.Columns} FROM {e.Table} ORDER BY Id LIMIT {{0}}\", count).ToListAsync(cancellationToken);",
            Violate());

        return $$"""
            using Microsoft.EntityFrameworkCore;

            namespace {{e.Namespace}};

            /// <summary>{{e.Plural}} through EF Core.</summary>
            public sealed class {{e.Name}}EfRepository(Backend.{{e.Area}}.{{e.Area}}DbContext db)
            {
                public Task<{{e.Name}}?> FindAsync(int id, CancellationToken cancellationToken)
                    => db.{{e.Plural}}.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);

                public Task<List<{{e.Name}}Dto>> ListAsync({{e.Name}}Query query, CancellationToken cancellationToken)
                {
                    IQueryable<{{e.Name}}> source = db.{{e.Plural}}.AsNoTracking();
                    var search = query.Search;
                    if (!string.IsNullOrWhiteSpace(search))
                    {
                        source = source.Where(x => x.Name.Contains(search));
                    }

                    source = query.Sort switch
                    {
                        "name" => source.OrderBy(x => x.Name),
                        "-name" => source.OrderByDescending(x => x.Name),
                        "-id" => source.OrderByDescending(x => x.Id),
                        _ => source.OrderBy(x => x.Id),
                    };
                    return source.Skip(query.Skip).Take(query.Take).Select(x => new {{e.Name}}Dto({{select}})).ToListAsync(cancellationToken);
                }

                public Task<List<{{e.Name}}>> ByNameAsync(string name, CancellationToken cancellationToken)
            {{byName}}

                public Task<List<{{e.Name}}Dto>> RecentAsync(CancellationToken cancellationToken)
                    => db.{{e.Plural}}.AsNoTracking().OrderByDescending(x => x.Id).Select(x => new {{e.Name}}Dto({{select}})).ToListAsync(cancellationToken);

                public Task<int> TouchAsync(int id, CancellationToken cancellationToken)
                    => db.Database.ExecuteSqlAsync($"UPDATE {{e.Table}} SET Name = Name WHERE Id = {id}", cancellationToken);

                public Task<int> CountRawAsync(CancellationToken cancellationToken)
                    => db.Database.SqlQuery<int>($"SELECT COUNT(*) AS Value FROM {{e.Table}}").SingleAsync(cancellationToken);

                public Task<List<{{e.Name}}>> TopAsync(int count, CancellationToken cancellationToken)
            {{top}}

                public async Task<int> AddAsync({{e.Name}} entity, CancellationToken cancellationToken)
                {
                    db.{{e.Plural}}.Add(entity);
                    await db.SaveChangesAsync(cancellationToken);
                    return entity.Id;
                }

                public async Task<bool> ReplaceAsync(int id, Create{{e.Name}}Request request, CancellationToken cancellationToken)
                {
                    var entity = await db.{{e.Plural}}.FindAsync([id], cancellationToken);
                    if (entity is null)
                    {
                        return false;
                    }

                    entity.Apply(request);
                    await db.SaveChangesAsync(cancellationToken);
                    return true;
                }
            }

            """;
    }

    private static IEnumerable<string> Validation(Property p)
    {
        var key = Literal(p.Camel);
        switch (p.Kind)
        {
            case PropertyKind.Text:
                yield return $"        if (string.IsNullOrWhiteSpace(request.{p.Name}))";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} is required.\"];";
                yield return "        }";
                yield return $"        else if (request.{p.Name}.Length > 200)";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} is at most 200 characters.\"];";
                yield return "        }";
                break;
            case PropertyKind.Email:
                yield return $"        if (string.IsNullOrWhiteSpace(request.{p.Name}) || !request.{p.Name}.Contains('@'))";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} must be an email address.\"];";
                yield return "        }";
                break;
            case PropertyKind.OptionalText:
                yield return $"        if (request.{p.Name} is {{ Length: > 2000 }})";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} is at most 2000 characters.\"];";
                yield return "        }";
                break;
            case PropertyKind.Money:
                yield return $"        if (request.{p.Name} < 0m || request.{p.Name} > 1_000_000m)";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} must be between 0 and 1000000.\"];";
                yield return "        }";
                break;
            case PropertyKind.Count:
                yield return $"        if (request.{p.Name} is < 0 or > 10_000)";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} must be between 0 and 10000.\"];";
                yield return "        }";
                break;
            case PropertyKind.Timestamp:
                yield return $"        if (request.{p.Name} > DateTime.UtcNow.AddDays(1))";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} cannot be in the future.\"];";
                yield return "        }";
                break;
            case PropertyKind.Identifier:
                yield return $"        if (request.{p.Name} == Guid.Empty)";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} is required.\"];";
                yield return "        }";
                break;
            case PropertyKind.BigNumber:
                yield return $"        if (request.{p.Name} < 0)";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} cannot be negative.\"];";
                yield return "        }";
                break;
            case PropertyKind.Ratio:
                yield return $"        if (double.IsNaN(request.{p.Name}) || request.{p.Name} is < 0 or > 1)";
                yield return "        {";
                yield return $"            errors[{key}] = [\"{p.Name} must be between 0 and 1.\"];";
                yield return "        }";
                break;
            case PropertyKind.Flag:
                break;
        }
    }

    private string Service(Entity e)
    {
        var validation = Join(e.Data.SelectMany(p => Validation(p).Append(string.Empty)));
        var numeric = e.Data.FirstOrDefault(p => p.Kind is PropertyKind.Money or PropertyKind.Count or PropertyKind.Ratio or PropertyKind.BigNumber);
        var total = numeric is null
            ? "items.Count"
            : numeric.Kind == PropertyKind.Money ? $"items.Sum(x => x.{numeric.Name})" : $"(decimal)items.Sum(x => (double)x.{numeric.Name})";
        var created = Plant(
            "BR0007",
            $"            logger.LogInformation($\"Created {e.Camel} {{entity.Id}}\");",
            $"            logger.LogInformation(\"Created {e.Camel} {{Id}}\", entity.Id);",
            Violate());
        var notDeleted = Plant(
            "BR0007",
            $"                logger.LogWarning(\"Could not delete {e.Camel} \" + id);",
            $"                logger.LogWarning(\"Could not delete {e.Camel} {{Id}}\", id);",
            Violate());
        return $$"""
            namespace {{e.Namespace}};

            /// <summary>Use cases for {{e.Plural}}.</summary>
            public sealed class {{e.Name}}Service(
                {{e.Name}}EfRepository store,
                {{e.Name}}DapperRepository queries,
                {{e.Name}}AdoRepository commands,
                {{e.Name}}PricingClient pricing,
                ILogger<{{e.Name}}Service> logger)
            {
                public async Task<{{e.Name}}Dto?> GetAsync(int id, CancellationToken cancellationToken)
                {
                    var entity = await store.FindAsync(id, cancellationToken);
                    if (entity is null)
                    {
                        logger.LogDebug("{{e.Name}} {Id} was not found", id);
                        return null;
                    }

                    return entity.ToDto();
                }

                public Task<List<{{e.Name}}Dto>> ListAsync({{e.Name}}Query query, CancellationToken cancellationToken) => store.ListAsync(query, cancellationToken);

                public Task<IReadOnlyList<{{e.Name}}>> SearchAsync(string term) => queries.SearchAsync(term);

                public Task<List<{{e.Name}}Dto>> RecentAsync(CancellationToken cancellationToken) => store.RecentAsync(cancellationToken);

                public async Task<{{e.Name}}Dto> CreateAsync(Create{{e.Name}}Request request, CancellationToken cancellationToken)
                {
                    var entity = request.ToEntity();
                    entity.Id = await store.AddAsync(entity, cancellationToken);
            {{created}}
                    return entity.ToDto();
                }

                public bool Delete(int id)
                {
                    var deleted = commands.Delete(id) > 0;
                    if (!deleted)
                    {
            {{notDeleted}}
                    }

                    return deleted;
                }

                public async Task<decimal> QuoteAsync(int id, CancellationToken cancellationToken)
                {
                    if (!commands.Exists(id))
                    {
                        return 0m;
                    }

                    var quote = await pricing.GetQuoteAsync(id, cancellationToken);
                    return Math.Round(quote, 2, MidpointRounding.AwayFromZero);
                }

                public static Dictionary<string, string[]> Validate(Create{{e.Name}}Request request)
                {
                    var errors = new Dictionary<string, string[]>();
            {{validation}}
                    return errors;
                }

                public static {{e.Name}}Statistics Summarize(IReadOnlyCollection<{{e.Name}}> items)
                {
                    if (items.Count == 0)
                    {
                        return new {{e.Name}}Statistics(0, 0, 0, 0m);
                    }

                    var distinctNames = items.Select(x => x.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count();
                    return new {{e.Name}}Statistics(items.Count, items.Max(x => x.Id), distinctNames, {{total}});
                }
            }

            public sealed record {{e.Name}}Statistics(int Count, int MaxId, int DistinctNames, decimal Total);

            """;
    }

    private string Controller(Entity e)
    {
        var deleteRoute = Plant("BR0004", $"[HttpPost(\"delete{e.Name}/{{id:int}}\")]", "[HttpDelete(\"{id:int}\")]", Violate());
        var recent = Plant(
            "BR0005",
            "        => await service.RecentAsync(cancellationToken);",
            "        => (await service.RecentAsync(cancellationToken)).Take(20).ToList();",
            Violate());
        var title = Plant(
            "BR0006",
            "        return Content($\"<h1 class=\\\"title\\\">{item.Name}</h1>\", \"text/html\");",
            "        return Content($\"<h1 class=\\\"title\\\">{HtmlEncoder.Default.Encode(item.Name)}</h1>\", \"text/html\");",
            Violate());
        return $$"""
        using System.Text.Encodings.Web;
        using Microsoft.AspNetCore.Mvc;

        namespace {{e.Namespace}};

        [ApiController]
        [Route("api/{{e.Route}}")]
        public sealed class {{e.Plural}}Controller({{e.Name}}Service service) : ControllerBase
        {
            [HttpGet]
            public async Task<ActionResult<List<{{e.Name}}Dto>>> List(
                [FromQuery] string? search,
                [FromQuery] int page = 1,
                [FromQuery] int pageSize = 20,
                [FromQuery] string? sort = null,
                CancellationToken cancellationToken = default)
                => await service.ListAsync(new {{e.Name}}Query(search, page, pageSize, sort), cancellationToken);

            [HttpGet("{id:int}")]
            public async Task<ActionResult<{{e.Name}}Dto>> Get(int id, CancellationToken cancellationToken)
            {
                var item = await service.GetAsync(id, cancellationToken);
                if (item is null)
                {
                    return NotFound();
                }

                return Ok(item);
            }

            [HttpGet("search")]
            public async Task<ActionResult<IReadOnlyList<{{e.Name}}>>> Search([FromQuery] string term, [FromQuery] int limit = 50)
                => Ok((await service.SearchAsync(term)).Take(Math.Clamp(limit, 1, 50)).ToList());

            [HttpGet("recent")]
            public async Task<ActionResult<List<{{e.Name}}Dto>>> Recent(CancellationToken cancellationToken)
        {{recent}}

            [HttpPost]
            public async Task<ActionResult<{{e.Name}}Dto>> Create([FromBody] Create{{e.Name}}Request request, CancellationToken cancellationToken)
            {
                var errors = {{e.Name}}Service.Validate(request);
                if (errors.Count > 0)
                {
                    foreach (var (key, messages) in errors)
                    {
                        foreach (var message in messages)
                        {
                            ModelState.AddModelError(key, message);
                        }
                    }

                    return ValidationProblem(ModelState);
                }

                var created = await service.CreateAsync(request, cancellationToken);
                return CreatedAtAction(nameof(Get), new { id = created.Id }, created);
            }

            {{deleteRoute}}
            public IActionResult Delete(int id) => service.Delete(id) ? NoContent() : NotFound();

            [HttpGet("{id:int}/card")]
            public async Task<ContentResult> Card(int id, CancellationToken cancellationToken)
            {
                var item = await service.GetAsync(id, cancellationToken);
                return Content(item is null ? {{e.Name}}Html.Empty : {{e.Name}}Html.RenderCard(item), "text/html");
            }

            [HttpGet("{id:int}/title")]
            public async Task<IActionResult> Title(int id, CancellationToken cancellationToken)
            {
                var item = await service.GetAsync(id, cancellationToken);
                if (item is null)
                {
                    return NotFound();
                }

        {{title}}
            }
        }

        """;
    }

    private string PricingClient(Entity e)
    {
        // One module in four also sends webhooks through a client of its own (with or without a timeout).
        var webhook = _random.Next(4) == 0
            ? $$"""

                /// <summary>Posts {{e.Camel}} changes to subscribers.</summary>
                public sealed class {{e.Name}}Webhook : IDisposable
                {
                    private readonly HttpClient _client = new() { BaseAddress = new Uri("https://hooks.example.com/{{e.Route}}/"){{(_random.Next(2) == 0 ? ", Timeout = TimeSpan.FromSeconds(5)" : string.Empty)}} };

                    public async Task<bool> SendAsync({{e.Name}}Dto item, CancellationToken cancellationToken)
                    {
                        using var response = await _client.PostAsJsonAsync("changed", item, cancellationToken);
                        return response.IsSuccessStatusCode;
                    }

                    public void Dispose() => _client.Dispose();
                }

                """
            : string.Empty;

        // The notification is retried three times; a share of the modules waits a constant time between attempts (BR0008).
        var retryWait = Plant(
            "BR0008",
            "await Task.Delay(250, cancellationToken);",
            "await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt)), cancellationToken);",
            Violate());
        return $$"""
            namespace {{e.Namespace}};

            /// <summary>The pricing service's API for {{e.Plural}} (a typed HttpClient, registered in {{e.Name}}Module).</summary>
            public sealed class {{e.Name}}PricingClient(HttpClient http)
            {
                public async Task<decimal> GetQuoteAsync(int id, CancellationToken cancellationToken)
                {
                    using var response = await http.GetAsync($"quotes/{id}", cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        return 0m;
                    }

                    var quote = await response.Content.ReadFromJsonAsync<{{e.Name}}Quote>(cancellationToken);
                    return quote?.Amount ?? 0m;
                }

                public async Task NotifyAsync({{e.Name}}Dto item, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            using var response = await http.PostAsJsonAsync("notifications", item, cancellationToken);
                            response.EnsureSuccessStatusCode();
                            return;
                        }
                        catch (HttpRequestException) when (attempt < 2)
                        {
                            {{retryWait}}
                        }
                    }
                }
            }

            public sealed record {{e.Name}}Quote(int Id, decimal Amount, string Currency);
            {{webhook}}
            """;
    }

    private string Module(Entity e)
    {
        var quoteRoute = Plant("BR0004", "/{id:int}/getQuote", "/{id:int}/quote", Violate());
        var recent = Plant(
            "BR0005",
            "            TypedResults.Ok(await service.RecentAsync(cancellationToken)));",
            "            TypedResults.Ok((await service.RecentAsync(cancellationToken)).Take(20).ToList()));",
            Violate());
        var title = Plant(
            "BR0006",
            "            var html = \"<h1 class=\\\"title\\\">\" + item.Name + \"</h1>\";",
            "            var html = \"<h1 class=\\\"title\\\">\" + HtmlEncoder.Default.Encode(item.Name) + \"</h1>\";",
            Violate());
        return $$"""
        using System.Text.Encodings.Web;
        using Microsoft.AspNetCore.Http.HttpResults;

        namespace {{e.Namespace}};

        /// <summary>Registrations and minimal-API endpoints of the {{e.Plural}} module.</summary>
        public static class {{e.Name}}Module
        {
            public static IServiceCollection Add{{e.Name}}Module(this IServiceCollection services, string connectionString)
            {
                services.AddScoped<{{e.Name}}Service>();
                services.AddScoped<{{e.Name}}EfRepository>();
                services.AddScoped<{{e.Name}}DapperRepository>();
                services.AddSingleton(new {{e.Name}}AdoRepository(connectionString));
                services.AddHttpClient<{{e.Name}}PricingClient>(client =>
                {
                    client.BaseAddress = new Uri("https://pricing.example.com/{{e.Route}}/");
                    client.Timeout = TimeSpan.FromSeconds(10);
                });
                return services;
            }

            public static RouteGroupBuilder Map{{e.Name}}Endpoints(this IEndpointRouteBuilder app)
            {
                var group = app.MapGroup("/api/v2/{{e.Route}}").WithTags("{{e.Plural}}");

                group.MapGet("/", async (string? search, int? page, int? pageSize, {{e.Name}}Service service, CancellationToken cancellationToken) =>
                    TypedResults.Ok(await service.ListAsync(new {{e.Name}}Query(search, page ?? 1, pageSize ?? 20), cancellationToken)));

                group.MapGet("/{id:int}", async Task<Results<Ok<{{e.Name}}Dto>, NotFound>> (int id, {{e.Name}}Service service, CancellationToken cancellationToken) =>
                    await service.GetAsync(id, cancellationToken) is { } item ? TypedResults.Ok(item) : TypedResults.NotFound());

                group.MapPost("/", async Task<Results<Created<{{e.Name}}Dto>, ValidationProblem>> (Create{{e.Name}}Request request, {{e.Name}}Service service, CancellationToken cancellationToken) =>
                {
                    var errors = {{e.Name}}Service.Validate(request);
                    if (errors.Count > 0)
                    {
                        return TypedResults.ValidationProblem(errors);
                    }

                    var created = await service.CreateAsync(request, cancellationToken);
                    return TypedResults.Created($"/api/v2/{{e.Route}}/{created.Id}", created);
                });

                group.MapDelete("/{id:int}", Results<NoContent, NotFound> (int id, {{e.Name}}Service service) =>
                    service.Delete(id) ? TypedResults.NoContent() : TypedResults.NotFound());

                group.MapGet("{{quoteRoute}}", async (int id, {{e.Name}}Service service, CancellationToken cancellationToken) =>
                    TypedResults.Ok(new { id, amount = await service.QuoteAsync(id, cancellationToken) }));

                group.MapGet("/{id:int}/card", async (int id, {{e.Name}}Service service, CancellationToken cancellationToken) =>
                    await service.GetAsync(id, cancellationToken) is { } item
                        ? Results.Content({{e.Name}}Html.RenderCard(item), "text/html")
                        : Results.NotFound());

                group.MapGet("/recent", async ({{e.Name}}Service service, CancellationToken cancellationToken) =>
        {{recent}}

                group.MapGet("/{id:int}/title", async (int id, {{e.Name}}Service service, CancellationToken cancellationToken) =>
                {
                    var item = await service.GetAsync(id, cancellationToken);
                    if (item is null)
                    {
                        return Results.NotFound();
                    }

        {{title}}
                    return Results.Content(html, "text/html");
                });

                return group;
            }
        }

        """;
    }

    private string Html(Entity e)
    {
        var badge = Plant(
            "BR0006",
            "        => new($\"<span class=\\\"badge\\\">{item.Name}</span>\");",
            "        => new($\"<span class=\\\"badge\\\">{HtmlEncoder.Default.Encode(item.Name)}</span>\");",
            Violate());
        var label = Plant(
            "BR0006",
            "        tag.InnerHtml.AppendHtml(item.Name);",
            "        tag.InnerHtml.Append(item.Name);",
            Violate());
        var fields = Join(e.Data.Where(p => p.Name != "Name").Select(p => p.Kind switch
        {
            PropertyKind.Text or PropertyKind.Email => $"        html.Append(\"<dt>{p.Name}</dt><dd>\").Append(HtmlEncoder.Default.Encode(item.{p.Name})).Append(\"</dd>\");",
            PropertyKind.OptionalText => $"        html.Append(\"<dt>{p.Name}</dt><dd>\").Append(HtmlEncoder.Default.Encode(item.{p.Name} ?? string.Empty)).Append(\"</dd>\");",
            PropertyKind.Flag => $"        html.Append(\"<dt>{p.Name}</dt><dd>\").Append(item.{p.Name} ? \"yes\" : \"no\").Append(\"</dd>\");",
            PropertyKind.Identifier => $"        html.Append(\"<dt>{p.Name}</dt><dd>\").Append(item.{p.Name}.ToString(\"D\")).Append(\"</dd>\");",
            PropertyKind.Timestamp => $"        html.Append(\"<dt>{p.Name}</dt><dd>\").Append(item.{p.Name}.ToString(\"yyyy-MM-dd\", CultureInfo.InvariantCulture)).Append(\"</dd>\");",
            _ => $"        html.Append(\"<dt>{p.Name}</dt><dd>\").Append(item.{p.Name}.ToString(CultureInfo.InvariantCulture)).Append(\"</dd>\");",
        }));
        return $$"""
            using System.Globalization;
            using System.Text;
            using System.Text.Encodings.Web;
            using Microsoft.AspNetCore.Html;
            using Microsoft.AspNetCore.Mvc.Rendering;

            namespace {{e.Namespace}};

            /// <summary>HTML fragments for {{e.Plural}}.</summary>
            public static class {{e.Name}}Html
            {
                public const string Empty = "<p class=\"empty\">No {{e.Camel}}.</p>";

                public static string RenderCard({{e.Name}}Dto item)
                {
                    var html = new StringBuilder();
                    html.Append("<article class=\"card\">");
                    html.Append("<h2>").Append(HtmlEncoder.Default.Encode(item.Name)).Append("</h2>");
                    html.Append("<dl>");
            {{fields}}
                    html.Append("</dl></article>");
                    return html.ToString();
                }

                public static HtmlString RenderRow({{e.Name}}Dto item)
                    => new($"<tr><td>{item.Id}</td><td>{HtmlEncoder.Default.Encode(item.Name)}</td></tr>");

                public static IHtmlContent RenderTable(IEnumerable<{{e.Name}}Dto> items)
                {
                    var rows = string.Join(Environment.NewLine, items.Select(item => RenderRow(item).Value));
                    return new HtmlString("<table><thead><tr><th>Id</th><th>Name</th></tr></thead><tbody>" + rows + "</tbody></table>");
                }

                public static HtmlString RenderBadge({{e.Name}}Dto item)
            {{badge}}

                public static IHtmlContent RenderLabel({{e.Name}}Dto item)
                {
                    var tag = new TagBuilder("span");
                    tag.AddCssClass("label");
            {{label}}
                    return tag;
                }
            }

            """;
    }

    private void WriteArea(string area, List<Entity> entities)
    {
        var sets = Join(entities.Select(e => $"    public DbSet<{e.Namespace}.{e.Name}> {e.Plural} => Set<{e.Namespace}.{e.Name}>();\n"));
        var model = Join(entities.Select(e => $$"""
                    modelBuilder.Entity<{{e.Namespace}}.{{e.Name}}>(entity =>
                    {
                        entity.ToTable("{{e.Table}}");
                        entity.HasKey(x => x.Id);
                        entity.Property(x => x.Name).HasMaxLength(200).IsRequired();
                        entity.HasIndex(x => x.Name);
                    });

            """));
        var adds = Join(entities.Select(e => $"        {e.Namespace}.{e.Name}Module.Add{e.Name}Module(services, connectionString);"));
        var maps = Join(entities.Select(e => $"        {e.Namespace}.{e.Name}Module.Map{e.Name}Endpoints(app);"));
        _output.Add($"{area}/{area}DbContext.cs", $$"""
            using Microsoft.EntityFrameworkCore;

            namespace Backend.{{area}};

            public sealed class {{area}}DbContext(DbContextOptions<{{area}}DbContext> options) : DbContext(options)
            {
            {{sets.TrimEnd('\n')}}

                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
            {{model.TrimEnd('\n')}}
                }
            }

            """);
        _output.Add($"{area}/{area}Registration.cs", $$"""
            using Microsoft.EntityFrameworkCore;

            namespace Backend.{{area}};

            public static class {{area}}Registration
            {
                public static IServiceCollection Add{{area}}(this IServiceCollection services, string connectionString)
                {
                    services.AddDbContext<{{area}}DbContext>(options => options.UseSqlite(connectionString));
            {{adds}}
                    return services;
                }

                public static IEndpointRouteBuilder Map{{area}}(this IEndpointRouteBuilder app)
                {
            {{maps}}
                    return app;
                }
            }

            """);
    }

    private void WriteHost(List<string> areas)
    {
        var adds = Join(areas.Select(area => $"        builder.Services.Add{area}(connectionString);"));
        var maps = Join(areas.Select(area => $"        app.Map{area}();"));
        var usings = Join(areas.Select(area => $"using Backend.{area};"));
        _output.Add("BackendApp.cs", $$"""
            using System.Data;
            using Microsoft.Data.Sqlite;
            {{usings}}

            namespace Backend;

            /// <summary>Builds the application: every area's services and endpoints.</summary>
            public static class BackendApp
            {
                public static WebApplication Build(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    var connectionString = builder.Configuration.GetConnectionString("Main") ?? "Data Source=backend.db";
                    builder.Services.AddControllers();
                    builder.Services.AddProblemDetails();
                    builder.Services.AddScoped<IDbConnection>(_ => new SqliteConnection(connectionString));
            {{adds}}

                    var app = builder.Build();
                    app.UseExceptionHandler();
                    app.MapControllers();
            {{maps}}
                    return app;
                }
            }

            """);
    }
}
