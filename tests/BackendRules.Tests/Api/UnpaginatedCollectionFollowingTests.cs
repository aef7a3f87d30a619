using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackendRules.Api;
using BackendRules.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Api.UnpaginatedCollectionAnalyzer, BackendRules.Api.UnpaginatedCollectionFixer>;

namespace BackendRules.Tests.Api;

/// <summary>
/// BR0005 follows an action into the methods it calls. A build analyzes the whole compilation: an action waits for the
/// compiler to hand over a method it has not analyzed yet (later in the file, in a later file) instead of binding it
/// first. The IDE analyzes one document: the action binds what it follows at once. Both find the same rows.
/// </summary>
public sealed class UnpaginatedCollectionFollowingTests
{
    private const string Model = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        public sealed class Parcel
        {
            public int Id { get; set; }
            public int HubId { get; set; }
            public DateTime ScannedAt { get; set; }
        }

        public sealed class HubDb : DbContext
        {
            public HubDb(DbContextOptions<HubDb> options) : base(options) { }
            public DbSet<Parcel> Parcels => Set<Parcel>();
        }
        """;

    private const string Controller = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Mvc;

        [ApiController]
        [Route("api/parcels")]
        public sealed class ParcelsController : ControllerBase
        {
            private readonly HubDb _db;
            public ParcelsController(HubDb db) => _db = db;

            [HttpGet("all")] public async Task<IActionResult> [|All|]([FromServices] ParcelLedger ledger) => Ok(await ledger.EverythingAsync());
            [HttpGet("scanned")] public List<Parcel> [|Scanned|]([FromServices] ParcelLedger ledger) => ledger.Scanned();
            [HttpGet("local")] public List<Parcel> [|Local|]() => Everything();
            [HttpGet("hub")] public List<Parcel> ForHub(int hubId, [FromServices] ParcelLedger ledger) => ledger.ForHub(hubId);

            private List<Parcel> Everything() => _db.Parcels.ToList();
        }
        """;

    // Declared in a file after the controller's: the compiler analyzes it after the actions.
    private const string Ledger = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        public sealed class ParcelLedger
        {
            private readonly HubDb _db;
            public ParcelLedger(HubDb db) => _db = db;
            public Task<List<Parcel>> EverythingAsync() => _db.Parcels.ToListAsync();
            public List<Parcel> Scanned() => Read();
            private List<Parcel> Read() => _db.Parcels.OrderBy(p => p.ScannedAt).ToList();
            public List<Parcel> ForHub(int hubId) => _db.Parcels.Where(p => p.HubId == hubId).Take(50).ToList();
        }
        """;

    [Fact]
    public async Task Methods_analyzed_after_the_action_are_followed_when_the_whole_compilation_is_analyzed()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/src/A_Model.cs", Model));
        test.TestState.Sources.Add(("/src/B_ParcelsController.cs", Controller));
        test.TestState.Sources.Add(("/src/C_ParcelLedger.cs", Ledger));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_document_analyzed_alone_follows_into_the_other_files_at_once()
    {
        // What the IDE asks for an open document: that document's diagnostics, the other files never analyzed; and
        // what a build asks: the whole compilation. (Each parses its own trees, as a build and the IDE do.)
        var (idePlain, ideTree) = Parsed();
        var document = await Analyzed(idePlain).GetAnalyzerSemanticDiagnosticsAsync(idePlain.GetSemanticModel(ideTree), filterSpan: null, CancellationToken.None);
        var (buildPlain, buildTree) = Parsed();
        var build = await Analyzed(buildPlain).GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Assert.Equal(new[] { "All", "Local", "Scanned" }, Reported(document, ideTree));
        Assert.Equal(Reported(document, ideTree), Reported(build, buildTree));

        // The document's own analysis judges them: nothing is left for the end of a compilation the IDE never finishes.
        Assert.All(document, d => Assert.DoesNotContain(WellKnownDiagnosticTags.CompilationEnd, d.Descriptor.CustomTags));

        // The build waited for the ledger's methods and for the controller's own helper further down (judged at the end).
        Assert.All(build, d => Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, d.Descriptor.CustomTags));
    }

    private static (Compilation Compilation, SyntaxTree Controller) Parsed()
    {
        var compilation = AnalyzerHarness.Compile(new[] { Model, Controller.Replace("[|", string.Empty).Replace("|]", string.Empty), Ledger });
        return (compilation, compilation.SyntaxTrees.ElementAt(1));
    }

    private static CompilationWithAnalyzers Analyzed(Compilation compilation)
        => compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new UnpaginatedCollectionAnalyzer()));

    private static string[] Reported(ImmutableArray<Diagnostic> diagnostics, SyntaxTree tree) => diagnostics
        .Where(d => d.Id == UnpaginatedCollectionAnalyzer.Rule.Id)
        .Select(d => tree.GetText().ToString(d.Location.SourceSpan))
        .OrderBy(name => name, System.StringComparer.Ordinal)
        .ToArray();
}
