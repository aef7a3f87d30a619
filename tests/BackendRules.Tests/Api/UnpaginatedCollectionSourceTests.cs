using System.Threading.Tasks;
using BackendRules.Tests.Infrastructure;
using BackendRules.Tests.Robustness;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Api.UnpaginatedCollectionAnalyzer, BackendRules.Api.UnpaginatedCollectionFixer>;

namespace BackendRules.Tests.Api;

/// <summary>
/// BR0005: where the rows come from. A collection endpoint is reported when the code shows an unbounded database read
/// (in the handler or up to two calls away in this compilation) of rows that grow; lists from code, DI, configuration
/// and memory, lookup tables, and a parent's configuration rows are not.
/// </summary>
public sealed class UnpaginatedCollectionSourceTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.EntityFrameworkCore;

        // Rows that record when they happened pile up: shipments.
        public sealed class Shipment
        {
            public int Id { get; set; }
            public string Reference { get; set; } = "";
            public int DepotId { get; set; }
            public DateTime ShippedAt { get; set; }
        }

        // Rows without a time: a depot's configuration, the stock.
        public sealed class DockDoor
        {
            public int Id { get; set; }
            public string Label { get; set; } = "";
            public int DepotId { get; set; }
            public int Width { get; set; }
        }

        public sealed class Depot
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
            public string City { get; set; } = "";
        }

        // A lookup table: a key and one label.
        public sealed class Carrier
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
        }

        public sealed class DepotDb : DbContext
        {
            public DepotDb(DbContextOptions<DepotDb> options) : base(options) { }
            public DbSet<Shipment> Shipments => Set<Shipment>();
            public DbSet<DockDoor> DockDoors => Set<DockDoor>();
            public DbSet<Depot> Depots => Set<Depot>();
            public DbSet<Carrier> Carriers => Set<Carrier>();
        }

        """;

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static string Api(string members) => """
        [ApiController]
        [Route("api/depots")]
        public sealed class DepotsController : ControllerBase
        {
            private readonly DepotDb _db;
            public DepotsController(DepotDb db) => _db = db;

        """ + members + "\n}\n";

    // ---- Where the rows come from ----------------------------------------------------------------------------

    [Fact]
    public Task Lists_from_code_di_configuration_and_memory_are_not_reported() => None(
        """
        public interface ILabelPrinter { string Name { get; } }

        public sealed class DepotOptions
        {
            public List<string> Regions { get; set; } = new();
        }

        public sealed class DepotCache
        {
            private readonly List<Depot> _depots = new();
            public IReadOnlyList<Depot> Known => _depots;
            public List<Depot> Snapshot() => _depots.ToList();
            public List<Depot> Defaults() => new() { new Depot { Id = 1 } };
        }

        public static class Codes
        {
            public static List<string> Build() { var codes = new List<string>(); for (var i = 0; i < 3; i++) codes.Add("c" + i); return codes; }
        }

        """ + Api("""
                [HttpGet("printers")] public IEnumerable<string> Printers([FromServices] IEnumerable<ILabelPrinter> printers) => printers.Select(p => p.Name);
                [HttpGet("regions")] public List<string> Regions([FromServices] Microsoft.Extensions.Options.IOptions<DepotOptions> options) => options.Value.Regions;
                [HttpGet("known")] public IReadOnlyList<Depot> Known([FromServices] DepotCache cache) => cache.Known;
                [HttpGet("snapshot")] public List<Depot> Snapshot([FromServices] DepotCache cache) => cache.Snapshot();
                [HttpGet("defaults")] public IActionResult Defaults([FromServices] DepotCache cache) => Ok(cache.Defaults());
                [HttpGet("codes")] public List<string> AllCodes() => Codes.Build();
                [HttpGet("cultures")] public string[] Cultures() => System.Globalization.CultureInfo.GetCultures(System.Globalization.CultureTypes.NeutralCultures).Select(c => c.Name).ToArray();
            """));

    [Fact]
    public Task Reads_one_and_two_calls_away_are_reported_three_are_not() => None(
        """
        public sealed class ShipmentStore
        {
            private readonly DepotDb _db;
            public ShipmentStore(DepotDb db) => _db = db;
            public Task<List<Shipment>> AllAsync() => _db.Shipments.ToListAsync();
            public List<Shipment> Through() => Again();
            private List<Shipment> Again() => Deep();
            private List<Shipment> Deep() => _db.Shipments.ToList();
        }

        public sealed class ShipmentService
        {
            private readonly ShipmentStore _store;
            public ShipmentService(ShipmentStore store) => _store = store;
            public async Task<List<Shipment>> ListAsync() => await _store.AllAsync();
        }

        """ + Api("""
                [HttpGet("a")] public Task<List<Shipment>> [|OneCall|]([FromServices] ShipmentStore store) => store.AllAsync();
                [HttpGet("b")] public async Task<IActionResult> [|TwoCalls|]([FromServices] ShipmentService service) => Ok(await service.ListAsync());
                [HttpGet("c")] public List<Shipment> ThreeCalls([FromServices] ShipmentStore store) => store.Through();
            """));

    [Fact]
    public Task Methods_whose_type_holds_a_reader_or_whose_text_opens_one_are_followed() => None(
        """
        // A repository that takes its context as a primary constructor parameter, behind an interface.
        public interface IShipmentLedger { Task<List<Shipment>> EverythingAsync(); }
        public sealed class ShipmentLedger(DepotDb db) : IShipmentLedger
        {
            public Task<List<Shipment>> EverythingAsync() => db.Shipments.ToListAsync();
        }

        // A service that reaches the rows only through that interface.
        public sealed class ShipmentDesk
        {
            private readonly IShipmentLedger _ledger;
            public ShipmentDesk(IShipmentLedger ledger) => _ledger = ledger;
            public async Task<List<Shipment>> ListAsync() => await _ledger.EverythingAsync();
        }

        // A service that opens a context from a factory in each method.
        public sealed class ShipmentArchive
        {
            private readonly IDbContextFactory<DepotDb> _contexts;
            public ShipmentArchive(IDbContextFactory<DepotDb> contexts) => _contexts = contexts;
            public List<Shipment> All()
            {
                using var db = _contexts.CreateDbContext();
                return db.Shipments.ToList();
            }
        }

        // A static helper that holds nothing: its text creates the context.
        public static class DepotSetup { public static DbContextOptions<DepotDb> Options { get; set; } = null!; }
        public static class ShipmentExport
        {
            public static List<Shipment> Everything()
            {
                using var db = new DepotDb(DepotSetup.Options);
                return db.Shipments.ToList();
            }
        }

        """ + Api("""
                [HttpGet("desk")] public async Task<IActionResult> [|Desk|]([FromServices] ShipmentDesk desk) => Ok(await desk.ListAsync());
                [HttpGet("archive")] public List<Shipment> [|Archive|]([FromServices] ShipmentArchive archive) => archive.All();
                [HttpGet("export")] public IActionResult [|Export|]() => Ok(ShipmentExport.Everything());
            """));

    [Fact]
    public Task Returns_inside_statements_are_read_and_returns_of_nested_functions_are_not() => None(
        """
        public sealed class ShipmentFeed
        {
            private readonly DepotDb _db;
            public ShipmentFeed(DepotDb db) => _db = db;

            public List<Shipment> Guarded()
            {
                try
                {
                    using (var scope = new System.IO.MemoryStream())
                    {
                        lock (_db)
                        {
                            return _db.Shipments.ToList();
                        }
                    }
                }
                catch (InvalidOperationException)
                {
                    return new List<Shipment>();
                }
            }

            public List<Shipment> ByMode(int mode)
            {
                switch (mode)
                {
                    case 1:
                        return _db.Shipments.OrderBy(s => s.ShippedAt).ToList();
                    default:
                        foreach (var depot in _db.Depots.ToList())
                        {
                            if (depot.Id == mode)
                            {
                                return _db.Shipments.ToList();
                            }
                        }

                        return new List<Shipment>();
                }
            }

            public List<Shipment> Nested()
            {
                Func<List<Shipment>> later = () => { return _db.Shipments.ToList(); };
                List<Shipment> Local() { return _db.Shipments.ToList(); }
                return new List<Shipment>();
            }
        }

        """ + Api("""
                [HttpGet("guarded")] public List<Shipment> [|Guarded|]([FromServices] ShipmentFeed feed) => feed.Guarded();
                [HttpGet("by-mode")] public List<Shipment> [|ByMode|]([FromServices] ShipmentFeed feed, int mode) => feed.ByMode(mode);
                [HttpGet("nested")] public List<Shipment> Nested([FromServices] ShipmentFeed feed) => feed.Nested();
            """));

    [Fact]
    public Task Interface_with_one_implementation_is_followed_and_with_two_is_not() => None(
        """
        public interface IShipmentReader { Task<List<Shipment>> AllAsync(); }
        public sealed class ShipmentReader : IShipmentReader
        {
            private readonly DepotDb _db;
            public ShipmentReader(DepotDb db) => _db = db;
            public Task<List<Shipment>> AllAsync() => _db.Shipments.AsNoTracking().ToListAsync();
        }

        public interface IDepotReader { List<Depot> All(); }
        public sealed class SqlDepotReader : IDepotReader
        {
            private readonly DepotDb _db;
            public SqlDepotReader(DepotDb db) => _db = db;
            public List<Depot> All() => _db.Depots.ToList();
        }
        public sealed class FakeDepotReader : IDepotReader
        {
            public List<Depot> All() => new();
        }

        public interface IRepository<T> where T : class { List<T> All(); }
        public sealed class Repository<T> : IRepository<T> where T : class
        {
            private readonly DepotDb _db;
            public Repository(DepotDb db) => _db = db;
            public List<T> All() => _db.Set<T>().ToList();
        }

        """ + Api("""
                [HttpGet("shipments")] public async Task<List<Shipment>> [|Shipments|]([FromServices] IShipmentReader reader) => await reader.AllAsync();
                [HttpGet("depots")] public List<Depot> Depots([FromServices] IDepotReader reader) => reader.All();
                [HttpGet("generic")] public List<Depot> [|Generic|]([FromServices] IRepository<Depot> repository) => repository.All();
            """));

    [Fact]
    public Task Rows_added_in_a_loop_over_a_query_or_a_data_reader_are_reported() => None(
        """
        public sealed class ShipmentDto
        {
            public int Id { get; set; }
            public string Reference { get; set; } = "";
            public DateTime ShippedAt { get; set; }
        }

        public static class Feeds
        {
            public static IEnumerable<ShipmentDto> Yielded(DepotDb db)
            {
                foreach (var shipment in db.Shipments)
                {
                    yield return new ShipmentDto { Id = shipment.Id, Reference = shipment.Reference };
                }
            }
        }

        """ + Api("""
                [HttpGet("looped")]
                public List<ShipmentDto> [|Looped|]()
                {
                    var list = new List<ShipmentDto>();
                    foreach (var shipment in _db.Shipments.Where(s => s.Reference != ""))
                    {
                        list.Add(new ShipmentDto { Id = shipment.Id, Reference = shipment.Reference });
                    }

                    return list;
                }

                [HttpGet("reader")]
                public List<ShipmentDto> [|Reader|]([FromServices] IDbConnection connection)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT id, reference, shipped_at FROM shipments";
                    using var reader = command.ExecuteReader();
                    var rows = new List<ShipmentDto>();
                    while (reader.Read())
                    {
                        rows.Add(new ShipmentDto { Id = reader.GetInt32(0), Reference = reader.GetString(1) });
                    }

                    return rows;
                }

                [HttpGet("yielded")] public IEnumerable<ShipmentDto> [|FromIterator|]() => Feeds.Yielded(_db);
                [HttpGet("mapped")] public List<ShipmentDto> [|Mapped|]() => ToDtos(_db.Shipments.ToList());
                [HttpGet("dapper")] public IEnumerable<ShipmentDto> [|Dapper|]([FromServices] IDbConnection connection) => global::Dapper.SqlMapper.Query<ShipmentDto>(connection, "SELECT id, reference, shipped_at FROM shipments");

                private static List<ShipmentDto> ToDtos(List<Shipment> shipments) => shipments.Select(s => new ShipmentDto { Id = s.Id }).ToList();
            """));

    [Fact]
    public async Task Handler_in_another_file_is_read_there()
    {
        const string Map = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Routing;

            public static class Routes
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    app.MapGet("/shipments", [|Handlers.Shipments|]);
                    app.MapGet("/depots", Handlers.Depots);
                }
            }
            """;
        const string Handlers = """
            using System.Collections.Generic;
            using System.Linq;

            public static class Handlers
            {
                public static List<Shipment> Shipments(DepotDb db) => db.Shipments.ToList();
                public static List<Depot> Depots() => new() { new Depot { Name = "North" } };
            }
            """;
        var test = new Verify.Test
        {
            TestState = { Sources = { Usings, Map, Handlers } },
            FixedState = { Sources = { Usings, Map, Handlers }, MarkupHandling = MarkupMode.Allow },
        };
        await test.RunAsync();
    }

    // ---- Small by nature -------------------------------------------------------------------------------------

    [Fact]
    public Task Lookup_tables_are_not_reported_and_wider_rows_are() => None(
        Api("""
                [HttpGet("carriers")] public List<Carrier> Carriers() => _db.Carriers.OrderBy(c => c.Name).ToList();
                [HttpGet("carrier-names")] public List<string> CarrierNames() => _db.Carriers.Select(c => c.Name).ToList();
                [HttpGet("all")] public List<Depot> [|All|]() => _db.Depots.ToList();
                [HttpGet("names")] public List<string> [|Names|]() => _db.Depots.Select(d => d.Name).ToList();
            """));

    [Fact]
    public Task A_parents_rows_are_reported_when_they_pile_up_over_time() => None(
        Api("""
                [HttpGet("{depotId}/doors")] public List<DockDoor> Doors(int depotId) => _db.DockDoors.Where(d => d.DepotId == depotId).ToList();
                [HttpGet("doors-of")] public List<DockDoor> DoorsOf([FromQuery] int[] depotIds) => _db.DockDoors.Where(d => depotIds.Contains(d.DepotId)).ToList();
                [HttpGet("{depotId}/shipments")] public List<Shipment> [|Shipments|](int depotId) => _db.Shipments.Where(s => s.DepotId == depotId).ToList();
                [HttpGet("wide-doors")] public List<DockDoor> [|WideDoors|](int width) => _db.DockDoors.Where(d => d.Width >= width).ToList();
                [HttpGet("first-depot-doors")] public List<DockDoor> [|FirstDepotDoors|]() => _db.DockDoors.Where(d => d.DepotId == 1).ToList();
                [HttpGet("{depotId}/built")]
                public async Task<List<DockDoor>> Built(int depotId, int? minWidth)
                {
                    var query = _db.DockDoors.AsQueryable();
                    query = query.Where(d => d.DepotId == depotId);
                    if (minWidth is not null)
                    {
                        query = query.Where(d => d.Width >= minWidth);
                    }

                    return await query.ToListAsync();
                }
            """));

    [Fact]
    public Task Rows_grouped_by_a_key_with_few_values_are_not_reported_and_by_other_keys_are() => None(
        """
        public enum Lane { Express, Standard, Freight }
        public sealed record LaneCount(Lane Lane, int Count);
        public sealed record DayCount(DateTime Day, int Count);
        public sealed record DepotCount(int DepotId, int Count);

        """ + Api("""
                [HttpGet("lanes")] public List<Lane> Lanes() => _db.Shipments.Select(s => s.DepotId % 2 == 0 ? Lane.Express : Lane.Standard).Distinct().ToList();
                [HttpGet("years")] public List<int> Years() => _db.Shipments.Select(s => s.ShippedAt.Year).Distinct().ToList();
                [HttpGet("per-month")] public List<DepotCount> PerMonth() => _db.Shipments.GroupBy(s => new { s.ShippedAt.Year, s.ShippedAt.Month }).Select(g => new DepotCount(g.Key.Month, g.Count())).ToList();
                [HttpGet("late")] public List<bool> Late() => _db.Shipments.Select(s => s.ShippedAt < DateTime.UtcNow).ToList();
                [HttpGet("per-day")] public List<DayCount> [|PerDay|]() => _db.Shipments.GroupBy(s => s.ShippedAt.Date).Select(g => new DayCount(g.Key, g.Count())).ToList();
                [HttpGet("per-depot")] public List<DepotCount> [|PerDepot|]() => _db.Shipments.GroupBy(s => s.DepotId).Select(g => new DepotCount(g.Key, g.Count())).ToList();
                [HttpGet("references")] public List<string> [|References|]() => _db.Shipments.Select(s => s.Reference).Distinct().ToList();
            """));

    [Fact]
    public Task A_filtering_helper_of_the_team_keeps_the_filters_before_it() => None(
        """
        public static class QueryHelpers
        {
            public static IQueryable<T> When<T>(this IQueryable<T> query, bool condition, System.Linq.Expressions.Expression<Func<T, bool>> predicate)
                => condition ? query.Where(predicate) : query;

            // Takes a number: it may page, so it is no filter to read through.
            public static IQueryable<T> Window<T>(this IQueryable<T> query, int limit) => query.Take(limit);
        }

        """ + Api("""
                [HttpGet("{depotId}/doors")] public List<DockDoor> Doors(int depotId, bool wideOnly) => _db.DockDoors.Where(d => d.DepotId == depotId).When(wideOnly, d => d.Width > 3).ToList();
                [HttpGet("wide-doors")] public List<DockDoor> [|WideDoors|](bool wideOnly) => _db.DockDoors.When(wideOnly, d => d.Width > 3).ToList();
                [HttpGet("recent")] public List<Shipment> Recent() => _db.Shipments.OrderBy(s => s.Id).Window(20).ToList();
            """));

    [Fact]
    public Task Identity_roles_are_few_and_not_reported() => None(
        """
        public sealed class AppRole : Microsoft.AspNetCore.Identity.IdentityRole { }

        [ApiController]
        [Route("api/roles")]
        public sealed class RolesController : ControllerBase
        {
            private readonly Microsoft.AspNetCore.Identity.RoleManager<AppRole> _roles;
            public RolesController(Microsoft.AspNetCore.Identity.RoleManager<AppRole> roles) => _roles = roles;

            [HttpGet] public List<AppRole> All() => _roles.Roles.ToList();
        }
        """);

    [Fact]
    public Task A_key_predicate_handed_to_the_reading_method_filters_it() => None(
        """
        public sealed class DoorStore
        {
            private readonly DepotDb _db;
            public DoorStore(DepotDb db) => _db = db;
            public List<DockDoor> Matching(System.Linq.Expressions.Expression<Func<DockDoor, bool>> predicate) => _db.DockDoors.Where(predicate).ToList();
        }

        """ + Api("""
                [HttpGet("{depotId}/doors")] public List<DockDoor> Doors([FromServices] DoorStore store, int depotId) => store.Matching(d => d.DepotId == depotId);
                [HttpGet("wide-doors")] public List<DockDoor> [|WideDoors|]([FromServices] DoorStore store, int width) => store.Matching(d => d.Width >= width);
            """));

    [Fact]
    public Task A_time_inherited_from_a_base_entity_does_not_make_rows_pile_up() => None(
        """
        public abstract class AuditedEntity
        {
            public DateTimeOffset CreatedAt { get; set; }
        }

        public sealed class Gate : AuditedEntity
        {
            public int Id { get; set; }
            public string Label { get; set; } = "";
            public int DepotId { get; set; }
        }

        public sealed class Delivery : AuditedEntity
        {
            public int Id { get; set; }
            public int DepotId { get; set; }
            public DateTime DeliveredAt { get; set; }
        }

        public sealed class GateDb : DbContext
        {
            public DbSet<Gate> Gates => Set<Gate>();
            public DbSet<Delivery> Deliveries => Set<Delivery>();
        }

        """ + Api("""
                [HttpGet("{depotId}/gates")] public List<Gate> Gates([FromServices] GateDb db, int depotId) => db.Gates.Where(g => g.DepotId == depotId).ToList();
                [HttpGet("{depotId}/deliveries")] public List<Delivery> [|Deliveries|]([FromServices] GateDb db, int depotId) => db.Deliveries.Where(d => d.DepotId == depotId).ToList();
            """));

    [Fact]
    public Task A_time_that_implements_an_audit_interface_does_not_make_rows_pile_up() => None(
        """
        public interface IStamped
        {
            DateTime Created { get; set; }
            DateTime LastModified { get; set; }
        }

        // Configuration rows that carry the audit stamps every table has.
        public sealed class Bay : IStamped
        {
            public int Id { get; set; }
            public string Label { get; set; } = "";
            public int DepotId { get; set; }
            public DateTime Created { get; set; }
            public DateTime LastModified { get; set; }
        }

        // Event rows: the stamps, and a time of their own.
        public sealed class Arrival : IStamped
        {
            public int Id { get; set; }
            public int DepotId { get; set; }
            public DateTime ArrivedAt { get; set; }
            public DateTime Created { get; set; }
            public DateTime LastModified { get; set; }
        }

        public sealed class BayDb : DbContext
        {
            public DbSet<Bay> Bays => Set<Bay>();
            public DbSet<Arrival> Arrivals => Set<Arrival>();
        }

        // A contract that mirrors the entity is no audit stamp: its time still says the rows pile up.
        public interface IScanRecord
        {
            string Code { get; set; }
            DateTime ScannedAt { get; set; }
        }

        public sealed class Scan : IScanRecord
        {
            public int Id { get; set; }
            public int DepotId { get; set; }
            public string Code { get; set; } = "";
            public DateTime ScannedAt { get; set; }
        }

        public sealed class ScanDb : DbContext
        {
            public DbSet<Scan> Scans => Set<Scan>();
        }

        """ + Api("""
                [HttpGet("{depotId}/scans")] public List<Scan> [|Scans|]([FromServices] ScanDb db, int depotId) => db.Scans.Where(s => s.DepotId == depotId).ToList();
                [HttpGet("{depotId}/bays")] public List<Bay> Bays([FromServices] BayDb db, int depotId) => db.Bays.Where(b => b.DepotId == depotId).ToList();
                [HttpGet("{depotId}/arrivals")] public List<Arrival> [|Arrivals|]([FromServices] BayDb db, int depotId) => db.Arrivals.Where(a => a.DepotId == depotId).ToList();
            """));

    [Fact]
    public Task Split_queries_and_mapper_projections_keep_the_filters_before_them() => None(
        """
        namespace AutoMapper.QueryableExtensions
        {
            public static class Extensions
            {
                public static IQueryable<TDestination> ProjectTo<TDestination>(this IQueryable source, object configuration) => throw new NotSupportedException();
            }
        }

        public sealed class DoorDto
        {
            public int Id { get; set; }
            public string Label { get; set; } = "";
        }

        public sealed class ShipmentDto
        {
            public int Id { get; set; }
            public string Reference { get; set; } = "";
        }

        public sealed class DoorQueries
        {
            private readonly DepotDb _db;
            private readonly object _mapping = new();
            public DoorQueries(DepotDb db) => _db = db;

            public Task<List<DoorDto>> ForDepot(int depotId)
                => AutoMapper.QueryableExtensions.Extensions.ProjectTo<DoorDto>(_db.DockDoors.Where(d => d.DepotId == depotId).AsSplitQuery(), _mapping).ToListAsync();

            public List<DoorDto> Wide()
                => _db.DockDoors.Where(d => d.DepotId > 0).AsSingleQuery().Select(d => new DoorDto { Id = d.Id, Label = d.Label }).ToList();

            public Task<List<ShipmentDto>> Shipped()
                => AutoMapper.QueryableExtensions.Extensions.ProjectTo<ShipmentDto>(_db.Shipments.AsSplitQuery(), _mapping).ToListAsync();
        }

        """ + Api("""
                [HttpGet("{depotId}/doors")] public Task<List<DoorDto>> Doors([FromServices] DoorQueries queries, int depotId) => queries.ForDepot(depotId);
                [HttpGet("doors")] public List<DoorDto> [|AllDoors|]([FromServices] DoorQueries queries) => queries.Wide();
                [HttpGet("shipped")] public Task<List<ShipmentDto>> [|Shipped|]([FromServices] DoorQueries queries) => queries.Shipped();
            """));

    [Fact]
    public Task A_time_overwritten_on_each_change_does_not_make_rows_pile_up() => None(
        """
        // One row per printer, touched in place: the times say when it was last used or changed.
        public sealed class Printer
        {
            public int Id { get; set; }
            public int DepotId { get; set; }
            public string Model { get; set; } = "";
            public DateTime LastUsed { get; set; }
            public DateTime? ModifiedAt { get; set; }
        }

        // One row per print: the time says when it happened.
        public sealed class PrintJob
        {
            public int Id { get; set; }
            public int DepotId { get; set; }
            public DateTime PrintedAt { get; set; }
            public DateTime LastRetried { get; set; }
        }

        public sealed class PrintDb : DbContext
        {
            public PrintDb(DbContextOptions<PrintDb> options) : base(options) { }
            public DbSet<Printer> Printers => Set<Printer>();
            public DbSet<PrintJob> PrintJobs => Set<PrintJob>();
        }

        """ + Api("""
                [HttpGet("{depotId}/printers")] public List<Printer> Printers([FromServices] PrintDb db, int depotId) => db.Printers.Where(p => p.DepotId == depotId).ToList();
                [HttpGet("{depotId}/jobs")] public List<PrintJob> [|Jobs|]([FromServices] PrintDb db, int depotId) => db.PrintJobs.Where(j => j.DepotId == depotId).ToList();
                [HttpGet("printers")] public List<Printer> [|AllPrinters|]([FromServices] PrintDb db) => db.Printers.ToList();
            """));

    [Fact]
    public Task A_key_of_the_rows_children_filters_like_a_key_of_the_row() => None(
        """
        public sealed class Route
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
            public List<Stop> Stops { get; set; } = new();
        }

        public sealed class Stop
        {
            public int Id { get; set; }
            public int DepotId { get; set; }
            public int Order { get; set; }
        }

        public sealed class RouteDb : DbContext
        {
            public RouteDb(DbContextOptions<RouteDb> options) : base(options) { }
            public DbSet<Route> Routes => Set<Route>();
        }

        """ + Api("""
                [HttpGet("{depotId}/routes")] public List<Route> Routes([FromServices] RouteDb db, int depotId) => db.Routes.Where(r => r.Stops.Any(s => s.DepotId == depotId)).ToList();
                [HttpGet("routes/looping")] public List<Route> [|Looping|]([FromServices] RouteDb db) => db.Routes.Where(r => r.Stops.Any(s => s.DepotId == s.Order)).ToList();
            """));

    [Fact]
    public Task A_call_that_does_not_bind_is_read_through_to_the_query_it_was_given() => None(
        """
        public sealed class Doorway
        {
            public int Id { get; set; }
            public int DepotId { get; set; }
            public string Label { get; set; } = "";
        }

        public sealed class DoorwayQueries
        {
            private readonly DepotDb _db;
            public DoorwayQueries(DepotDb db) => _db = db;

            // The projection's package is missing: the calls after it bind to open generic guesses; the filter before it still counts.
            public Task<List<Doorway>> ForDepot(int depotId)
                => _db.Set<Doorway>().Where(d => d.DepotId == depotId).{|CS1061:MapOnto<Doorway>|}().AsSplitQuery().ToListAsync();

            // The same unbound call over the whole table: the rows are still the table's.
            public Task<List<Shipment>> Everything() => _db.Shipments.{|CS1061:MapOnto<Shipment>|}().AsSplitQuery().ToListAsync();
        }

        """ + Api("""
                [HttpGet("{depotId}/doorways")] public Task<List<Doorway>> Doorways([FromServices] DoorwayQueries queries, int depotId) => queries.ForDepot(depotId);
                [HttpGet("shipments")] public Task<List<Shipment>> [|Shipments|]([FromServices] DoorwayQueries queries) => queries.Everything();
                [HttpGet("shipments/raw")] public List<Shipment> [|RawShipments|]() => _db.Shipments.{|CS1061:MapOnto<Shipment>|}().ToList();
            """));

    [Fact]
    public Task A_shaping_helper_told_only_flags_keeps_the_filters_before_it() => None(
        """
        [Flags]
        public enum DoorParts { None = 0, Depot = 1 }

        public static class DoorShapes
        {
            public static IQueryable<DockDoor> Shaped(this IQueryable<DockDoor> doors, DoorParts parts, bool tracked)
                => tracked ? doors : doors.AsNoTracking();
        }

        """ + Api("""
                [HttpGet("{depotId}/doors")] public List<DockDoor> Doors(int depotId) => _db.DockDoors.Where(d => d.DepotId == depotId).Shaped(DoorParts.Depot, false).ToList();
                [HttpGet("doors")] public List<DockDoor> [|AllDoors|]() => _db.DockDoors.Shaped(DoorParts.None, true).ToList();
                [HttpGet("shipments/{depotId}")] public List<Shipment> [|Shipments|](int depotId) => _db.Shipments.Where(s => s.DepotId == depotId).AsNoTracking().ToList();
            """));

    [Fact]
    public Task Reader_loop_over_sql_that_compares_a_key_with_a_parameter_is_a_parents_rows() => None(
        """
        public sealed class DoorRecord
        {
            public int Id { get; set; }
            public string Label { get; set; } = "";
            public int Width { get; set; }
        }

        public sealed class DoorReader
        {
            private readonly IDbConnection _connection;
            public DoorReader(IDbConnection connection) => _connection = connection;

            public List<DoorRecord> ForDepot(int depotId, bool wideOnly)
            {
                using var command = _connection.CreateCommand();
                var widthFilter = wideOnly ? " AND width > 3" : "";
                command.CommandText = $"SELECT id, label, width FROM dock_doors WHERE depot_id = @depotId{widthFilter}";
                using var reader = command.ExecuteReader();
                var doors = new List<DoorRecord>();
                while (reader.Read())
                {
                    doors.Add(new DoorRecord { Id = reader.GetInt32(0), Label = reader.GetString(1), Width = reader.GetInt32(2) });
                }

                return doors;
            }

            public List<DoorRecord> Everything()
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT id, label, width FROM dock_doors";
                using var reader = command.ExecuteReader();
                var doors = new List<DoorRecord>();
                while (reader.Read())
                {
                    doors.Add(new DoorRecord { Id = reader.GetInt32(0) });
                }

                return doors;
            }
        }

        """ + Api("""
                [HttpGet("{depotId}/door-records")] public List<DoorRecord> ForDepot([FromServices] DoorReader reader, int depotId) => reader.ForDepot(depotId, false);
                [HttpGet("door-records")] public List<DoorRecord> [|Everything|]([FromServices] DoorReader reader) => reader.Everything();
            """));

    [Fact]
    public Task Dapper_rows_of_a_parent_without_time_are_not_reported() => None(
        """
        public sealed class DoorRow
        {
            public int Id { get; set; }
            public string Label { get; set; } = "";
            public int Width { get; set; }
        }

        """ + Api("""
                [HttpGet("{depotId}/door-rows")]
                public IEnumerable<DoorRow> DoorRows([FromServices] IDbConnection connection, int depotId)
                    => global::Dapper.SqlMapper.Query<DoorRow>(connection, "SELECT id, label, width FROM dock_doors WHERE depot_id = @depotId", new { depotId });

                [HttpGet("door-rows")]
                public IEnumerable<DoorRow> [|AllDoorRows|]([FromServices] IDbConnection connection)
                    => global::Dapper.SqlMapper.Query<DoorRow>(connection, "SELECT id, label, width FROM dock_doors");
            """));

    [Fact]
    public async Task Small_types_option_names_rows_known_to_be_small()
    {
        var source = Usings + """
            namespace Catalog
            {
                public sealed class Region
                {
                    public int Id { get; set; }
                    public string Name { get; set; } = "";
                    public string Code { get; set; } = "";
                }
            }

            public sealed class RegionDb : DbContext
            {
                public DbSet<Catalog.Region> Regions => Set<Catalog.Region>();
            }

            """ + Api("""
                    [HttpGet("depots")] public List<Depot> Depots() => _db.Depots.ToList();
                    [HttpGet("regions")] public List<Catalog.Region> Regions([FromServices] RegionDb regions) => regions.Regions.ToList();
                    [HttpGet("doors")] public List<DockDoor> Doors() => _db.DockDoors.ToList();
                    [HttpGet("shipments")] public List<Shipment> [|Shipments|]() => _db.Shipments.ToList();
                """);
        var test = new Verify.Test { TestCode = source }
            .WithEditorConfig("backendrules.BR0005.small_types = Depot, Catalog.Region, T:DockDoor");
        await test.RunAsync();
    }

    // ---- Page input and bounds ---------------------------------------------------------------------------

    [Fact]
    public Task Cursor_count_and_limit_names_are_page_input() => None(
        Api("""
                [HttpGet("a")] public List<Shipment> A(string? startAfter) => _db.Shipments.ToList();
                [HttpGet("b")] public List<Shipment> B(string? starting_after, string? ending_before) => _db.Shipments.ToList();
                [HttpGet("c")] public List<Shipment> C(DateTime? since) => _db.Shipments.ToList();
                [HttpGet("d")] public List<Shipment> D(long? sinceId) => _db.Shipments.ToList();
                [HttpGet("e")] public List<Shipment> E(int count = 20) => _db.Shipments.ToList();
                [HttpGet("f")] public List<Shipment> F(int maxResults = 20) => _db.Shipments.ToList();
                [HttpGet("g")] public List<Shipment> G(int? resultLimit) => _db.Shipments.ToList();
                [HttpGet("h")] public List<Shipment> H(int rowsMax = 20) => _db.Shipments.ToList();
                [HttpGet("i")] public List<Shipment> [|I|](string? rateLimit) => _db.Shipments.ToList();
                [HttpGet("j")] public List<Shipment> [|J|](decimal maxWeight) => _db.Shipments.ToList();
            """));

    [Fact]
    public Task A_bound_given_to_the_call_that_reads_the_rows_counts() => None(
        """
        // Two implementations: the rule cannot tell which runs, only what it is given.
        public interface IShipmentQueries { IQueryable<Shipment> Recent(int depotId, int? maxRows = null); }
        public sealed class SqlShipmentQueries : IShipmentQueries
        {
            private readonly DepotDb _db;
            public SqlShipmentQueries(DepotDb db) => _db = db;
            public IQueryable<Shipment> Recent(int depotId, int? maxRows = null) => _db.Shipments;
        }
        public sealed class ArchivedShipmentQueries : IShipmentQueries
        {
            private readonly DepotDb _db;
            public ArchivedShipmentQueries(DepotDb db) => _db = db;
            public IQueryable<Shipment> Recent(int depotId, int? maxRows = null) => _db.Shipments;
        }

        """ + Api("""
                [HttpGet("a")] public List<Shipment> A([FromServices] IShipmentQueries queries) => queries.Recent(3, maxRows: 20).ToList();
                [HttpGet("b")] public List<Shipment> B([FromServices] IShipmentQueries queries) => queries.Recent(3, 25).ToList();
                [HttpGet("c")] public List<Shipment> [|C|]([FromServices] IShipmentQueries queries) => queries.Recent(3, null).ToList();
                [HttpGet("d")] public List<Shipment> [|D|]([FromServices] IShipmentQueries queries) => queries.Recent(3, 5000).ToList();
                [HttpGet("e")] public List<Shipment> [|E|]([FromServices] IShipmentQueries queries) => queries.Recent(3).ToList();
            """));

    // ---- Shapes -------------------------------------------------------------------------------------------

    [Fact]
    public Task Json_values_are_not_collections_and_json_arrays_are_report_no_fix() => NoFix(
        """
        namespace Newtonsoft.Json.Linq
        {
            public class JToken : IEnumerable<JToken>
            {
                public IEnumerator<JToken> GetEnumerator() => Enumerable.Empty<JToken>().GetEnumerator();
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
            }
            public class JContainer : JToken { }
            public class JValue : JToken { public JValue(object value) { } }
            public class JProperty : JContainer { }
            public class JArray : JContainer, IList<JToken>
            {
                public JArray(object content) { }
                public JToken this[int index] { get => this; set { } }
                public int Count => 0;
                public bool IsReadOnly => false;
                public void Add(JToken item) { }
                public void Clear() { }
                public bool Contains(JToken item) => false;
                public void CopyTo(JToken[] array, int arrayIndex) { }
                public int IndexOf(JToken item) => -1;
                public void Insert(int index, JToken item) { }
                public bool Remove(JToken item) => false;
                public void RemoveAt(int index) { }
            }
        }

        """ + Api("""
                [HttpGet("value")] public IActionResult Value() => Ok(new Newtonsoft.Json.Linq.JValue(_db.Shipments.Count()));
                [HttpGet("token")] public Newtonsoft.Json.Linq.JToken Token() => new Newtonsoft.Json.Linq.JValue(_db.Shipments.ToList());
                [HttpGet("array")] public IActionResult [|Array|]() => Ok(new Newtonsoft.Json.Linq.JArray(_db.Shipments.Select(s => s.Reference).ToList()));
                [HttpGet("node")] public System.Text.Json.Nodes.JsonNode? Node() => System.Text.Json.Nodes.JsonNode.Parse("[]");
                [HttpGet("element")] public System.Text.Json.JsonElement Element() => System.Text.Json.JsonSerializer.SerializeToElement(_db.Shipments.ToList());
                [HttpGet("nodes")] public System.Text.Json.Nodes.JsonArray [|Nodes|]() => new System.Text.Json.Nodes.JsonArray(_db.Shipments.Select(s => (System.Text.Json.Nodes.JsonNode?)s.Reference).ToArray());
            """));

    [Fact]
    public Task List_wrappers_are_collections_report_no_fix() => NoFix(
        """
        public sealed class ListResult<T>
        {
            public ListResult(IEnumerable<T> data) => Data = data;
            public string Object => "list";
            public IEnumerable<T> Data { get; }
        }

        public sealed class ShipmentList
        {
            public List<Shipment> Items { get; set; } = new();
        }

        public sealed class PagedShipments
        {
            public List<Shipment> Items { get; set; } = new();
            public string? ContinuationToken { get; set; }
        }

        // A result that writes itself is not a list wrapper, whatever its properties.
        public sealed class ShipmentFeedResult : IActionResult
        {
            public ShipmentFeedResult(List<Shipment> shipments) => Shipments = shipments;
            public List<Shipment> Shipments { get; }
            public Task ExecuteResultAsync(ActionContext context) => Task.CompletedTask;
        }

        public sealed class DepotWithDoors
        {
            public int Id { get; set; }
            public List<DockDoor> Doors { get; set; } = new();
        }

        """ + Api("""
                [HttpGet("a")] public ListResult<Shipment> [|A|]() => new ListResult<Shipment>(_db.Shipments.ToList());
                [HttpGet("b")] public async Task<IActionResult> [|B|]() => Ok(new ShipmentList { Items = await _db.Shipments.ToListAsync() });
                [HttpGet("c")] public PagedShipments C() => new PagedShipments { Items = _db.Shipments.ToList() };
                [HttpGet("d")] public DepotWithDoors D(int id) => new DepotWithDoors { Id = id, Doors = _db.DockDoors.ToList() };
                [HttpGet("e")] public ListResult<string> E() => new ListResult<string>(new[] { "north", "south" });
                [HttpGet("f")] public IActionResult F() => new ShipmentFeedResult(_db.Shipments.ToList());
            """));

    [Fact]
    public Task Virtual_actions_take_their_method_from_the_override_chain() => None(
        """
        [ApiController]
        public abstract class ShipmentsControllerBase : ControllerBase
        {
            protected ShipmentsControllerBase(DepotDb db) => Db = db;
            protected DepotDb Db { get; }

            [HttpGet("shipments")]
            public virtual List<Shipment> Listed() => Db.Shipments.ToList();

            [HttpPost("shipments/import")]
            public virtual List<Shipment> Imported() => Db.Shipments.ToList();

            public virtual List<Shipment> Exported() => Db.Shipments.ToList();

            [HttpGet("shipments/all")]
            public virtual List<Shipment> [|NotOverridden|]() => Db.Shipments.ToList();
        }

        [Route("north")]
        public sealed class NorthShipmentsController : ShipmentsControllerBase
        {
            public NorthShipmentsController(DepotDb db) : base(db) { }

            public override List<Shipment> [|Listed|]() => Db.Shipments.Where(s => s.Reference != "").ToList();

            public override List<Shipment> Imported() => Db.Shipments.ToList();

            [HttpPost("shipments/export")]
            public override List<Shipment> Exported() => Db.Shipments.ToList();
        }
        """);

    // ---- Code being typed -------------------------------------------------------------------------------------

    [Fact]
    public async Task Recursive_unfinished_and_unknown_code_is_followed_without_exceptions()
    {
        var source = Usings + """
            public interface INoImplementation { List<Shipment> All(); }
            public partial class Loops
            {
                private readonly DepotDb _db;
                public Loops(DepotDb db) => _db = db;
                public List<Shipment> Self(int n) => n > 0 ? Self(n - 1) : Other(n);
                public List<Shipment> Other(int n) => Self(n + 1);
                public partial List<Shipment> Declared();
                public List<Shipment> Broken() => _db.Missing.Where(x => x.DepotId == ).ToList();
                public extern List<Shipment> External();
                public IEnumerable<Shipment> Yields() { foreach (var s in Unknown()) yield return s; }
                public List<Shipment> Swapped() { var a = new List<Shipment>(); a = a; a.AddRange(a); return a; }
            }

            public abstract class Reader { public abstract List<Shipment> All(); public virtual List<Shipment> Some() => new(); }

            """ + Api("""
                    [HttpGet("a")] public List<Shipment> A([FromServices] Loops loops) => loops.Self(3);
                    [HttpGet("b")] public List<Shipment> B([FromServices] Loops loops) => loops.Declared();
                    [HttpGet("c")] public List<Shipment> C([FromServices] Loops loops) => loops.Broken();
                    [HttpGet("d")] public List<Shipment> D([FromServices] Loops loops) => loops.External();
                    [HttpGet("e")] public IEnumerable<Shipment> E([FromServices] Loops loops) => loops.Yields();
                    [HttpGet("f")] public List<Shipment> F([FromServices] INoImplementation none) => none.All();
                    [HttpGet("g")] public List<Shipment> G([FromServices] Reader reader) => reader.All().Concat(reader.Some()).ToList();
                    [HttpGet("h")] public List<Shipment> H([FromServices] Loops loops) => loops.Swapped();
                    [HttpGet("i")] public List<Shipment> I(IQueryable<Shipment> given) => given.ToList();
                    [HttpGet("j")] public List<Shipment> J() => _db.Shipments.Where(s => s.DepotId == s.DepotId).ToList();
                    [HttpGet("k")] public List<Shipment> K() => Missing.Call(take: "x");
                """);
        var (diagnostics, exceptions) = await AnalyzerHarness.RunAsync(AnalyzerHarness.Compile(new[] { source }));
        Assert.Empty(exceptions);
        Assert.Contains(diagnostics, d => d.Id == "BR0005" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).StartsWith("'J'", System.StringComparison.Ordinal));
    }
}
