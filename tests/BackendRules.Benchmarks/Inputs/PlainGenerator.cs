using System;
using System.Collections.Generic;
using System.Linq;

namespace BackendRules.Benchmarks.Inputs;

/// <summary>
/// Writes plain C# of about the requested number of lines that uses none of the libraries BackendRules knows about
/// (no ADO.NET, Dapper, EF Core, ASP.NET Core or HttpClient): per entity a model with DTOs and mapping, an in-memory
/// store, a service with validation and aggregation, a text/CSV report writer (whose strings include SQL-looking
/// text that reaches no SQL API), a pricing calculator and domain events. The cost of BackendRules on such a
/// compilation must be close to nothing.
/// </summary>
internal static class PlainGenerator
{
    public static GeneratedSource Generate(int targetLines, int seed = 20240601)
    {
        var random = new Random(seed);
        var output = new GeneratedSource();
        output.Add("GlobalUsings.cs", GeneratedSource.GlobalUsings(new[] { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks" }));
        var entities = new List<Entity>();
        var index = 0;
        while (output.Lines + 40 < targetLines || index == 0)
        {
            var e = new Entity(index++, random);
            entities.Add(e);
            var folder = $"{e.Area}/{e.Plural}/";
            output.Add(folder + e.Name + ".cs", Model(e));
            output.Add(folder + e.Name + "Store.cs", Store(e));
            output.Add(folder + e.Name + "Service.cs", Service(e));
            output.Add(folder + e.Name + "Report.cs", Report(e));
            output.Add(folder + e.Name + "Pricing.cs", Pricing(e));
            output.Add(folder + e.Name + "Events.cs", Events(e));
        }

        output.Add("Domain.cs", Domain(entities));
        output.Modules = index;
        return output;
    }

    private static string Join(IEnumerable<string> lines) => string.Join("\n", lines);

    private static string Model(Entity e)
    {
        var properties = Join(e.Properties.Select(p => $"    public {p.Type} {p.Name} {{ get; set; }}{p.Initializer}\n"));
        var dto = string.Join(", ", e.Properties.Select(p => $"{p.Type} {p.Name}"));
        var request = string.Join(", ", e.Data.Select(p => $"{p.Type} {p.Name}"));
        var toDto = string.Join(", ", e.Properties.Select(p => $"entity.{p.Name}"));
        var toEntity = Join(e.Data.Select(p => $"        {p.Name} = request.{p.Name},"));
        return $$"""
            namespace {{e.Namespace}};

            public sealed class {{e.Name}}
            {
            {{properties.TrimEnd('\n')}}
            }

            public sealed record {{e.Name}}Dto({{dto}});

            public sealed record Create{{e.Name}}Request({{request}});

            public static class {{e.Name}}Mapping
            {
                public static {{e.Name}}Dto ToDto(this {{e.Name}} entity) => new({{toDto}});

                public static {{e.Name}} ToEntity(this Create{{e.Name}}Request request, int id) => new()
                {
                    Id = id,
            {{toEntity}}
                };
            }

            """;
    }

    private static string Store(Entity e) => $$"""
        using System.Collections.Concurrent;

        namespace {{e.Namespace}};

        /// <summary>{{e.Plural}} kept in memory.</summary>
        public sealed class {{e.Name}}Store
        {
            private readonly ConcurrentDictionary<int, {{e.Name}}> _items = new();
            private int _nextId;

            public int Count => _items.Count;

            public {{e.Name}} Add(Create{{e.Name}}Request request)
            {
                var entity = request.ToEntity(Interlocked.Increment(ref _nextId));
                _items[entity.Id] = entity;
                return entity;
            }

            public {{e.Name}}? Find(int id) => _items.TryGetValue(id, out var entity) ? entity : null;

            public bool Remove(int id) => _items.TryRemove(id, out _);

            public IReadOnlyList<{{e.Name}}> Page(int skip, int take)
                => _items.Values.OrderBy(x => x.Id).Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 100)).ToList();

            public IReadOnlyList<{{e.Name}}> Search(string term, string sort)
            {
                var matches = _items.Values.Where(x => x.Name.Contains(term, StringComparison.OrdinalIgnoreCase));
                matches = sort switch
                {
                    "name" => matches.OrderBy(x => x.Name, StringComparer.OrdinalIgnoreCase),
                    "-name" => matches.OrderByDescending(x => x.Name, StringComparer.OrdinalIgnoreCase),
                    _ => matches.OrderBy(x => x.Id),
                };
                return matches.Take(50).ToList();
            }
        }

        """;

    private static string Service(Entity e)
    {
        var checks = Join(e.Data.Where(p => p.Kind is PropertyKind.Text or PropertyKind.Email).Select(p => $$"""
                    if (string.IsNullOrWhiteSpace(request.{{p.Name}}))
                    {
                        errors.Add("{{p.Camel}}", "{{p.Name}} is required.");
                    }

            """));
        return $$"""
            namespace {{e.Namespace}};

            public sealed class {{e.Name}}Service({{e.Name}}Store store, {{e.Name}}Events events)
            {
                public {{e.Name}}Dto? Get(int id) => store.Find(id)?.ToDto();

                public IReadOnlyList<{{e.Name}}Dto> List(int page, int pageSize)
                    => store.Page((Math.Max(page, 1) - 1) * pageSize, pageSize).Select(x => x.ToDto()).ToList();

                public ({{e.Name}}Dto? Created, IReadOnlyDictionary<string, string> Errors) Create(Create{{e.Name}}Request request)
                {
                    var errors = Validate(request);
                    if (errors.Count > 0)
                    {
                        return (null, errors);
                    }

                    var entity = store.Add(request);
                    events.Raise(new {{e.Name}}Changed(entity.Id, "created", DateTimeOffset.UtcNow));
                    return (entity.ToDto(), errors);
                }

                public bool Delete(int id)
                {
                    if (!store.Remove(id))
                    {
                        return false;
                    }

                    events.Raise(new {{e.Name}}Changed(id, "deleted", DateTimeOffset.UtcNow));
                    return true;
                }

                public static Dictionary<string, string> Validate(Create{{e.Name}}Request request)
                {
                    var errors = new Dictionary<string, string>();
            {{checks}}
                    return errors;
                }

                public IReadOnlyDictionary<char, int> NameHistogram()
                    => store.Page(0, 100)
                        .Where(x => x.Name.Length > 0)
                        .GroupBy(x => char.ToUpperInvariant(x.Name[0]))
                        .OrderBy(g => g.Key)
                        .ToDictionary(g => g.Key, g => g.Count());
            }

            """;
    }

    private static string Report(Entity e)
    {
        var header = string.Join(",", e.Properties.Select(p => p.Name));
        var cells = string.Join(" + \",\" + ", e.Properties.Select(p => p.Kind switch
        {
            PropertyKind.Text or PropertyKind.Email => $"Quote(item.{p.Name})",
            PropertyKind.OptionalText => $"Quote(item.{p.Name} ?? string.Empty)",
            PropertyKind.Timestamp => $"item.{p.Name}.ToString(\"O\", CultureInfo.InvariantCulture)",
            PropertyKind.Identifier => $"item.{p.Name}.ToString(\"D\")",
            PropertyKind.Flag => $"(item.{p.Name} ? \"1\" : \"0\")",
            _ => $"item.{p.Name}.ToString(CultureInfo.InvariantCulture)",
        }));
        return $$"""
            using System.Globalization;
            using System.Text;

            namespace {{e.Namespace}};

            /// <summary>Text and CSV exports of {{e.Plural}}.</summary>
            public static class {{e.Name}}Report
            {
                /// <summary>Shown in the export's help: the query an analyst would run against the warehouse copy.</summary>
                public const string WarehouseHint = "SELECT * FROM {{e.Table}} WHERE Name = '<name>'";

                public static string ToCsv(IEnumerable<{{e.Name}}Dto> items)
                {
                    var csv = new StringBuilder("{{header}}").AppendLine();
                    foreach (var item in items)
                    {
                        csv.AppendLine({{cells}});
                    }

                    return csv.ToString();
                }

                public static string Describe({{e.Name}}Dto item, string requestedBy)
                    => $"{{e.Name}} {item.Id} '{item.Name}' exported by {requestedBy}; to look it up: " + "SELECT * FROM {{e.Table}} WHERE Id = " + item.Id;

                public static string Summary(IReadOnlyCollection<{{e.Name}}Dto> items)
                {
                    var text = new StringBuilder();
                    text.Append("{{e.Plural}}: ").Append(items.Count.ToString(CultureInfo.InvariantCulture)).AppendLine();
                    foreach (var group in items.GroupBy(x => x.Name.Length / 10).OrderBy(g => g.Key))
                    {
                        text.Append("  names of ").Append(group.Key * 10).Append('-').Append(group.Key * 10 + 9).Append(" chars: ").Append(group.Count()).AppendLine();
                    }

                    return text.ToString();
                }

                private static string Quote(string value)
                    => value.IndexOfAny(new[] { ',', '"', '\n' }) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            }

            """;
    }

    private static string Pricing(Entity e) => $$"""
        namespace {{e.Namespace}};

        public enum {{e.Name}}Tier
        {
            Basic,
            Standard,
            Premium,
        }

        public static class {{e.Name}}Pricing
        {
            public static decimal BasePrice({{e.Name}}Tier tier) => tier switch
            {
                {{e.Name}}Tier.Basic => 9.99m,
                {{e.Name}}Tier.Standard => 19.99m,
                {{e.Name}}Tier.Premium => 49.99m,
                _ => throw new ArgumentOutOfRangeException(nameof(tier)),
            };

            public static decimal Discount(int quantity, bool loyal) => (quantity, loyal) switch
            {
                ( >= 100, true) => 0.20m,
                ( >= 100, false) => 0.15m,
                ( >= 10, true) => 0.10m,
                ( >= 10, false) => 0.05m,
                (_, true) => 0.02m,
                _ => 0m,
            };

            public static decimal Total({{e.Name}}Tier tier, int quantity, bool loyal)
            {
                if (quantity <= 0)
                {
                    return 0m;
                }

                var gross = BasePrice(tier) * quantity;
                var net = gross * (1m - Discount(quantity, loyal));
                return Math.Round(net, 2, MidpointRounding.ToEven);
            }
        }

        """;

    private static string Events(Entity e) => $$"""
        namespace {{e.Namespace}};

        public sealed record {{e.Name}}Changed(int Id, string Change, DateTimeOffset At);

        /// <summary>Synchronous in-process notifications of {{e.Camel}} changes.</summary>
        public sealed class {{e.Name}}Events
        {
            private readonly List<Action<{{e.Name}}Changed>> _handlers = new();
            private readonly object _gate = new();

            public event EventHandler<{{e.Name}}Changed>? Changed;

            public IDisposable Subscribe(Action<{{e.Name}}Changed> handler)
            {
                lock (_gate)
                {
                    _handlers.Add(handler);
                }

                return new Subscription(this, handler);
            }

            public void Raise({{e.Name}}Changed change)
            {
                Action<{{e.Name}}Changed>[] handlers;
                lock (_gate)
                {
                    handlers = _handlers.ToArray();
                }

                foreach (var handler in handlers)
                {
                    handler(change);
                }

                Changed?.Invoke(this, change);
            }

            private sealed class Subscription({{e.Name}}Events owner, Action<{{e.Name}}Changed> handler) : IDisposable
            {
                public void Dispose()
                {
                    lock (owner._gate)
                    {
                        owner._handlers.Remove(handler);
                    }
                }
            }
        }

        """;

    private static string Domain(List<Entity> entities)
    {
        var creates = Join(entities.Select(e => $"        var {e.Camel}Events = new {e.Namespace}.{e.Name}Events();\n        services[typeof({e.Namespace}.{e.Name}Service)] = new {e.Namespace}.{e.Name}Service(new {e.Namespace}.{e.Name}Store(), {e.Camel}Events);"));
        return $$"""
            namespace Backend;

            /// <summary>Wires every module by hand (no container).</summary>
            public static class Domain
            {
                public static IReadOnlyDictionary<Type, object> Create()
                {
                    var services = new Dictionary<Type, object>();
            {{creates}}
                    return services;
                }
            }

            """;
    }
}
