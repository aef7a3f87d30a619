using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using BackendRules.PackageTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BackendRules.PackageTests;

/// <summary>
/// Fix All over the sample, the way samples/README.md tells a user to do it: a copy of samples/ consumes this run's
/// package, builds with the marked violations, goes through <c>dotnet format analyzers --diagnostics BR0001 ... BR0015
/// --severity warn</c> (the README's command), and builds again with only the violations whose fix declines by design left.
/// </summary>
/// <remarks>
/// What to expect is read from the sample itself: every intentional violation carries a comment
/// <c>// BRxxxx: violation (...)</c> a few lines above the reported code, and says either "fixable" or "no fix".
/// The sample's own packages (Dapper, EF Core, Microsoft.Data.Sqlite) come from the machine's configured NuGet
/// sources, as they do for a user; they are extracted into the run's shared packages folder.
/// </remarks>
[Collection(PackageCollection.Name)]
public sealed class SampleFixAllTests
{
    /// <summary>The rules <c>dotnet format</c> is asked to fix: those of samples/README.md's command (checked below).</summary>
    private static readonly string[] FormattedRules = { "BR0001", "BR0002", "BR0003", "BR0004", "BR0005", "BR0006", "BR0007", "BR0008", "BR0009", "BR0010", "BR0011", "BR0012", "BR0013", "BR0014", "BR0015" };

    /// <summary>How many lines below its marker a violation may be reported (the marker sits above the statement).</summary>
    private const int MarkerReach = 4;

    /// <summary>The command samples/README.md gives for applying the fixes.</summary>
    private static readonly Regex ReadmeFormatCommand = new(
        @"dotnet format analyzers samples/ShopApi/ShopApi\.csproj --diagnostics (?<ids>(?:BR\d{4} )+)--severity warn",
        RegexOptions.CultureInvariant);

    /// <summary>A marker comment: <c>// BRxxxx: violation (...)</c> in C#, <c>@* BRxxxx: violation (...) *@</c> in Razor.</summary>
    private static readonly Regex MarkerLine = new(
        @"^\s*(?://|@\*)\s*(?<rule>BR\d{4})\s*:\s*violation\b(?<note>.*?)(?:\*@)?\s*$",
        RegexOptions.CultureInvariant);

    /// <summary>A row of the "Expected warnings" table: | BR0001 | `Data/X.cs(54,31)` | what | yes: ... / no ... |</summary>
    private static readonly Regex ReadmeRow = new(
        @"^\|\s*(?<rule>BR\d{4})\s*\|\s*`(?<path>[^`(]+)\(\d+,\d+\)`\s*\|.*\|\s*(?<fix>yes|no)\b[^|]*\|\s*$",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    private readonly PackageFixture _fixture;
    private readonly ITestOutputHelper _output;

    public SampleFixAllTests(PackageFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task Dotnet_format_fixes_every_fixable_violation_of_the_sample_and_the_rebuild_keeps_only_the_by_design_ones()
    {
        var sample = CopySample("sample-fixall");
        var project = Path.Combine(sample.ProjectDirectory, "ShopApi.csproj");
        var originals = ReadSources(sample.ProjectDirectory);

        // 1. The sample as shipped: every marked violation is reported, and nothing else of BackendRules.
        var before = await BuildAsync(sample, project);
        before.AssertSucceeded();
        ExpectRestoredFromThisRun(sample, before);

        var markersBefore = Markers(sample.ProjectDirectory);
        var diagnosticsBefore = ConsumerProject.Diagnostics(before);
        foreach (var rule in FormattedRules)
        {
            ConsumerProject.Expect(
                markersBefore.Any(marker => marker.Rule == rule && marker.Fixable),
                $"The sample has no '// {rule}: violation (fixable ...)' marker: nothing for dotnet format to fix in that rule.", before);
        }

        ExpectExactlyTheMarked(markersBefore, markersBefore, diagnosticsBefore, before, "before dotnet format");
        ExpectReadmeTableMatchesMarkers(sample, markersBefore, before);
        ExpectReadmeCommandFixesTheseRules(sample, before);

        // 2. Fix All with dotnet format. It cannot take -p:RestorePackagesPath, so it reuses the build's restore
        //    (--no-restore); its own restore would fill the copy's samples/.packages with a second copy of every package.
        var format = await RunAsync(
            sample.Root,
            new[] { "format", "analyzers", project, "--diagnostics" }
                .Concat(FormattedRules) // one argument per id: "BR0001 BR0002" as a single argument would be one unknown id
                .Concat(new[] { "--severity", "warn", "--no-restore", "-v", "normal" })
                .ToArray());
        format.AssertSucceeded();

        var rewritten = ReadSources(sample.ProjectDirectory);
        ExpectOnlyMarkedLinesChanged(originals, rewritten, markersBefore, format);
        ExpectRewrittenCode(rewritten, format);

        // 3. The result still compiles, introduces no warning of its own, and only the fixes that decline by design are left.
        var after = await BuildAsync(sample, project);
        after.AssertSucceeded();
        var everythingAfter = ConsumerProject.Diagnostics(after, idPrefix: string.Empty);
        ConsumerProject.Expect(
            !everythingAfter.Any(diagnostic => diagnostic.Severity == "error"),
            "The fixed sample must compile without errors.", after);

        var newWarnings = everythingAfter
            .Where(diagnostic => !diagnostic.Id.StartsWith("BR", StringComparison.Ordinal))
            .Select(diagnostic => (diagnostic.Id, File: Path.GetFileName(diagnostic.File)))
            .Except(ConsumerProject.Diagnostics(before, idPrefix: string.Empty).Select(diagnostic => (diagnostic.Id, File: Path.GetFileName(diagnostic.File))))
            .ToList();
        ConsumerProject.Expect(
            newWarnings.Count == 0,
            "The fixes introduced warnings the original sample did not have: " + string.Join("; ", newWarnings.Select(w => $"{w.Id} in {w.File}")),
            after);

        var markersAfter = Markers(sample.ProjectDirectory);
        var diagnosticsAfter = ConsumerProject.Diagnostics(after);
        var leftovers = markersAfter.Where(marker => !marker.Fixable || !FormattedRules.Contains(marker.Rule)).ToList();
        var fixedOnes = markersAfter.Where(marker => marker.Fixable && FormattedRules.Contains(marker.Rule)).ToList();

        // Every fixable violation stopped reporting, and every remaining diagnostic sits under a "no fix" marker.
        foreach (var marker in fixedOnes)
        {
            var still = Near(marker, markersAfter, diagnosticsAfter);
            ConsumerProject.Expect(still.Count == 0, $"{marker} is marked fixable but is still reported after dotnet format: {Describe(still)}", after);
        }

        ExpectExactlyTheMarked(leftovers, markersAfter, diagnosticsAfter, after, "after dotnet format");
        ConsumerProject.Expect(
            leftovers.Count(marker => FormattedRules.Contains(marker.Rule)) > 0,
            "Expected at least one by-design leftover (a '... no fix' marker) in the sample.", after);
    }

    // ---- the copy ---------------------------------------------------------------------------------------------

    private sealed record SampleCopy(string Root, string SamplesDirectory, string ProjectDirectory);

    /// <summary>
    /// The repository's layout in the run's folder: Directory.Build.props (its Version set to this run's package
    /// version, which is what samples/Directory.Build.props reads), .editorconfig, samples/ without bin, obj and
    /// .packages, and the run's package in artifacts/packages, where samples/NuGet.config and the sample's targets look.
    /// </summary>
    private SampleCopy CopySample(string name)
    {
        var root = Path.Combine(_fixture.Root, name);
        if (Directory.Exists(root))
        {
            throw new InvalidOperationException("Sample copy folder already used: " + root);
        }

        var samples = Path.Combine(root, "samples");
        CopyDirectory(Path.Combine(_fixture.RepositoryRoot, "samples"), samples);

        var props = File.ReadAllText(Path.Combine(_fixture.RepositoryRoot, "Directory.Build.props"));
        var version = new Regex("(?<=<Version>)[^<]+(?=</Version>)", RegexOptions.CultureInvariant);
        if (version.Matches(props).Count != 1)
        {
            throw new InvalidOperationException("Expected exactly one <Version> in Directory.Build.props:\n" + props);
        }

        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), version.Replace(props, _fixture.PackageVersion, 1));

        var editorConfig = Path.Combine(_fixture.RepositoryRoot, ".editorconfig");
        if (File.Exists(editorConfig))
        {
            File.Copy(editorConfig, Path.Combine(root, ".editorconfig"));
        }

        var feed = Path.Combine(root, "artifacts", "packages");
        Directory.CreateDirectory(feed);
        File.Copy(_fixture.PackagePath, Path.Combine(feed, Path.GetFileName(_fixture.PackagePath)));

        _output.WriteLine($"Sample copied to {root} (BackendRules {_fixture.PackageVersion}).");
        return new SampleCopy(root, samples, Path.Combine(samples, "ShopApi"));
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj" or ".packages")
            {
                continue;
            }

            CopyDirectory(directory, Path.Combine(destination, name));
        }
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    /// <summary>
    /// <c>dotnet build</c> of the copy with its implicit restore; packages go to the run's shared packages folder
    /// (the sample's targets only need the path to end with a separator), not the copy's samples/.packages.
    /// </summary>
    private Task<CommandResult> BuildAsync(SampleCopy sample, string project) =>
        RunAsync(
            sample.Root,
            "build", project,
            "-p:RestorePackagesPath=" + PackagesFolder,
            "-nologo", "-tl:off", "-clp:NoSummary", "--disable-build-servers", "-p:UseSharedCompilation=false");

    private string PackagesFolder => Path.TrimEndingDirectorySeparator(_fixture.ConsumerPackagesDirectory) + Path.DirectorySeparatorChar;

    private async Task<CommandResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        var result = await DotnetCli.RunAsync(workingDirectory, arguments, _fixture.ConsumerEnvironment).ConfigureAwait(false);
        _output.WriteLine(result.Describe());
        return result;
    }

    /// <summary>The restore took this run's package, from the copy's artifacts/packages, into the shared folder.</summary>
    private void ExpectRestoredFromThisRun(SampleCopy sample, CommandResult build)
    {
        var assets = Path.Combine(sample.ProjectDirectory, "obj", "project.assets.json");
        ConsumerProject.Expect(File.Exists(assets), "No obj/project.assets.json after the build.", build);
        var text = File.ReadAllText(assets);
        ConsumerProject.Expect(
            text.Contains($"\"{PackageFixture.PackageId}/{_fixture.PackageVersion}\"", StringComparison.Ordinal),
            $"project.assets.json does not list {PackageFixture.PackageId} {_fixture.PackageVersion}.", build);
        var lower = _fixture.PackageVersion.ToLowerInvariant();
        ConsumerProject.Expect(
            File.Exists(Path.Combine(PackagesFolder, "backendrules", lower, $"backendrules.{lower}.nupkg.sha512")),
            $"{PackageFixture.PackageId} {_fixture.PackageVersion} was not extracted into {PackagesFolder}.", build);
        ConsumerProject.Expect(
            !Directory.Exists(Path.Combine(sample.SamplesDirectory, ".packages")),
            "The restore used the copy's samples/.packages instead of -p:RestorePackagesPath.", build);
    }

    // ---- markers ----------------------------------------------------------------------------------------------

    private sealed record Marker(string File, int Line, string Rule, bool Fixable, string Note)
    {
        public override string ToString() => $"{Path.GetFileName(File)}:{Line} '{Rule}: violation{Note}'";
    }

    /// <summary>Every violation marker in the project's C# and Razor files; each says "fixable" or "no fix".</summary>
    private static IReadOnlyList<Marker> Markers(string projectDirectory)
    {
        var markers = new List<Marker>();
        foreach (var (file, text) in ReadSources(projectDirectory))
        {
            var lines = SplitLines(text);
            for (var i = 0; i < lines.Length; i++)
            {
                var match = MarkerLine.Match(lines[i]);
                if (!match.Success)
                {
                    continue;
                }

                var note = match.Groups["note"].Value.TrimEnd();
                var fixable = note.Contains("fixable", StringComparison.OrdinalIgnoreCase);
                var noFix = note.Contains("no fix", StringComparison.OrdinalIgnoreCase);
                if (fixable == noFix)
                {
                    throw new XunitException($"{file}:{i + 1}: a violation marker must say either 'fixable' or 'no fix': {lines[i].Trim()}");
                }

                markers.Add(new Marker(file, i + 1, match.Groups["rule"].Value, fixable, note));
            }
        }

        return markers;
    }

    /// <summary>
    /// Diagnostics of the marker's rule reported in its file on the few lines below it, and above the next marker
    /// (so one report is never claimed by two markers).
    /// </summary>
    private static IReadOnlyList<BuildDiagnostic> Near(Marker marker, IReadOnlyList<Marker> allMarkers, IReadOnlyList<BuildDiagnostic> diagnostics)
    {
        var nextMarker = allMarkers
            .Where(other => other.File == marker.File && other.Line > marker.Line)
            .Select(other => other.Line)
            .DefaultIfEmpty(int.MaxValue)
            .Min();
        var last = Math.Min(marker.Line + MarkerReach, nextMarker - 1);
        return diagnostics
            .Where(diagnostic => diagnostic.Id == marker.Rule && SameFile(diagnostic.File, marker.File) && diagnostic.Line > marker.Line && diagnostic.Line <= last)
            .ToList();
    }

    /// <summary>Each marker has exactly one report under it, and every BackendRules report is under one of them.</summary>
    private static void ExpectExactlyTheMarked(
        IReadOnlyList<Marker> expected, IReadOnlyList<Marker> allMarkers, IReadOnlyList<BuildDiagnostic> diagnostics, CommandResult build, string when)
    {
        var problems = new List<string>();
        var claimed = new HashSet<BuildDiagnostic>();
        foreach (var marker in expected)
        {
            var near = Near(marker, allMarkers, diagnostics);
            if (near.Count != 1)
            {
                problems.Add($"{marker}: expected one {marker.Rule} within {MarkerReach} lines below it, got {near.Count}: {Describe(near)}");
            }

            claimed.UnionWith(near);
        }

        var unclaimed = diagnostics.Where(diagnostic => !claimed.Contains(diagnostic)).ToList();
        if (unclaimed.Count > 0)
        {
            problems.Add("Reported without a matching violation marker above it: " + Describe(unclaimed));
        }

        ConsumerProject.Expect(
            problems.Count == 0,
            $"BackendRules diagnostics {when} do not match the markers:" + Environment.NewLine + string.Join(Environment.NewLine, problems),
            build);
    }

    /// <summary>samples/README.md's "Expected warnings" table lists the same rule, file and "fix offered" as the markers.</summary>
    private static void ExpectReadmeTableMatchesMarkers(SampleCopy sample, IReadOnlyList<Marker> markers, CommandResult build)
    {
        var readme = File.ReadAllText(Path.Combine(sample.SamplesDirectory, "README.md"));
        var fromReadme = ReadmeRow.Matches(readme)
            .Select(row => $"{row.Groups["rule"].Value} {row.Groups["path"].Value.Trim()} fix={row.Groups["fix"].Value == "yes"}")
            .OrderBy(row => row, StringComparer.Ordinal)
            .ToList();
        var fromMarkers = markers
            .Select(marker => $"{marker.Rule} {Path.GetRelativePath(sample.ProjectDirectory, marker.File).Replace('\\', '/')} fix={marker.Fixable}")
            .OrderBy(row => row, StringComparer.Ordinal)
            .ToList();
        ConsumerProject.Expect(
            fromReadme.Count > 0 && fromReadme.SequenceEqual(fromMarkers),
            "samples/README.md's 'Expected warnings' table and the sample's violation markers disagree." + Environment.NewLine +
            "README:  " + string.Join("; ", fromReadme) + Environment.NewLine +
            "markers: " + string.Join("; ", fromMarkers),
            build);
    }

    /// <summary>This test runs the README's command: the same rule ids, so the README's promise is what is checked.</summary>
    private static void ExpectReadmeCommandFixesTheseRules(SampleCopy sample, CommandResult build)
    {
        var readme = File.ReadAllText(Path.Combine(sample.SamplesDirectory, "README.md"));
        var command = ReadmeFormatCommand.Match(readme);
        var ids = command.Success ? command.Groups["ids"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
        ConsumerProject.Expect(
            ids.OrderBy(id => id, StringComparer.Ordinal).SequenceEqual(FormattedRules.OrderBy(id => id, StringComparer.Ordinal)),
            $"samples/README.md's 'dotnet format analyzers ... --diagnostics ... --severity warn' lists [{string.Join(' ', ids)}]; " +
            $"this test runs [{string.Join(' ', FormattedRules)}]. Update {nameof(FormattedRules)} and the expected rewrites together with the README.",
            build);
    }

    // ---- the rewritten code -----------------------------------------------------------------------------------

    /// <summary>
    /// dotnet format touched only statements under fixable markers: files without one are byte for byte the same,
    /// and every line it removed or rewrote lies within a fixable marker's reach.
    /// </summary>
    private static void ExpectOnlyMarkedLinesChanged(
        IReadOnlyDictionary<string, string> originals, IReadOnlyDictionary<string, string> rewritten, IReadOnlyList<Marker> markers, CommandResult format)
    {
        ConsumerProject.Expect(
            originals.Keys.OrderBy(k => k).SequenceEqual(rewritten.Keys.OrderBy(k => k)),
            "dotnet format added or removed files.", format);

        var problems = new List<string>();
        foreach (var (file, original) in originals)
        {
            var after = rewritten[file];
            if (after == original)
            {
                continue;
            }

            var fixable = markers.Where(marker => marker.File == file && marker.Fixable && FormattedRules.Contains(marker.Rule)).ToList();
            var remaining = SplitLines(after).GroupBy(line => line).ToDictionary(group => group.Key, group => group.Count());
            var lines = SplitLines(original);
            for (var i = 0; i < lines.Length; i++)
            {
                if (remaining.TryGetValue(lines[i], out var count) && count > 0)
                {
                    remaining[lines[i]] = count - 1;
                    continue;
                }

                var lineNumber = i + 1;
                if (!fixable.Any(marker => lineNumber > marker.Line && lineNumber <= marker.Line + MarkerReach))
                {
                    problems.Add($"{Path.GetFileName(file)}:{lineNumber} changed outside any fixable violation: {lines[i].Trim()}");
                }
            }
        }

        ConsumerProject.Expect(problems.Count == 0, string.Join(Environment.NewLine, problems), format);
    }

    /// <summary>The fixes wrote the parameterized SQL, column lists and timeouts that samples/README.md promises.</summary>
    private static void ExpectRewrittenCode(IReadOnlyDictionary<string, string> rewritten, CommandResult format)
    {
        var expectations = new (string File, string Text, bool Present)[]
        {
            // BR0001, ADO.NET: a parameter placeholder and the parameter.
            ("CustomerRepository.cs", "\"SELECT Id, Name, Email FROM customers WHERE Email = @email\";", true),
            ("CustomerRepository.cs", "command.Parameters.AddWithValue(\"@email\", email);", true),
            ("CustomerRepository.cs", "'\" + email + \"'", false),
            // BR0002, ADO.NET: no row type, no fix.
            ("CustomerRepository.cs", "command.CommandText = \"SELECT * FROM customers WHERE Id = @id\";", true),
            // BR0001, Dapper: LIKE @term with the wildcards in the parameter; the allow-listed {orderBy} stays.
            ("ProductRepository.cs", "WHERE Name LIKE @term ORDER BY {orderBy} LIMIT 50\", new { term = \"%\" + term + \"%\" })", true),
            ("ProductRepository.cs", "'%{term}%'", false),
            // BR0001, Dapper: a column name cannot be a parameter, no fix.
            ("ProductRepository.cs", "\"SELECT Id, Name, PriceCents, Stock FROM products ORDER BY \" + column + \" LIMIT 50\"", true),
            // BR0002, Dapper: Product's columns in place of the star.
            ("ProductRepository.cs", "\"SELECT Id, Name, PriceCents, Stock FROM products ORDER BY Id LIMIT @Take OFFSET @Skip\"", true),
            ("ProductRepository.cs", "SELECT * FROM products", false),
            // BR0001, EF Core: FromSqlRaw with concatenation becomes FromSql with an interpolated (parameterized) string.
            ("OrderRepository.cs", ".FromSql($\"SELECT Id, CustomerId, ProductId, Quantity, TotalCents, CreatedAt, Status FROM orders WHERE Status = {status}\")", true),
            ("OrderRepository.cs", "'\" + status + \"'", false),
            // BR0002, EF Core: a read of Order's own table is compliant and stays as it is.
            ("OrderRepository.cs", "db.Orders.FromSqlRaw(\"SELECT * FROM orders WHERE CustomerId = {0}\", customerId)", true),
            // BR0003: a named client registration gets a timeout; a client created per call gets one in its initializer.
            ("Program.cs", "builder.Services.AddHttpClient(\"carrier-status\").ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));", true),
            ("OrderWebhookNotifier.cs", "using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };", true),
            // BR0009: health checks registered before Build(), liveness and readiness mapped before Run().
            ("Program.cs", "builder.Services.AddHealthChecks();", true),
            ("Program.cs", "app.MapHealthChecks(\"/health/live\", new HealthCheckOptions { Predicate = _ => false });", true),
            ("Program.cs", "app.MapHealthChecks(\"/health/ready\", new HealthCheckOptions { Predicate = check => check.Tags.Contains(\"ready\") });", true),
            ("Program.cs", "using Microsoft.AspNetCore.Diagnostics.HealthChecks;", true),
            // BR0007: the message becomes a template, the values follow in order.
            ("OrderWebhookNotifier.cs", "logger.LogInformation(\"Webhook probe of {Url} answered {ResponseStatusCode}\", url, (int)response.StatusCode);", true),
            ("OrderWebhookNotifier.cs", "$\"Webhook probe of {url}", false),
            // BR0010: the new review answers 201 Created with the location of the GET that reads it; the DELETE twin stays.
            ("ReviewsController.cs", "return CreatedAtAction(nameof(Get), new { id = review.Id }, review);", true),
            ("ReviewsController.cs", "return Ok(review);", false),
            ("ReviewsController.cs", "_reviews.Remove(id) ? NoContent() : NotFound();", true),
            // BR0013: the carrier list expires after default_ttl_seconds; the quote's factory already set its expiration.
            ("ShippingRatesClient.cs", "cache.Set(\"shipping-carriers\", carriers, TimeSpan.FromSeconds(300));", true),
            ("ShippingRatesClient.cs", "entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);", true),
            // BR0014: the image is stored under a generated name that keeps the allow-listed extension; the gallery twin stays.
            ("ProductImagesController.cs", "var path = Path.Combine(Folder(productId), $\"{Guid.NewGuid():N}{extension}\");", true),
            ("ProductImagesController.cs", "Path.Combine(Folder(productId), image.FileName)", false),
            ("ProductImagesController.cs", "originalName = image.FileName", true),
            // BR0015: the year of the column becomes a range on the bare column; the compliant range stays.
            ("OrderReportRepository.cs", "db.Orders.CountAsync(o => o.CreatedAt >= new DateTime(year, 1, 1) && o.CreatedAt < new DateTime(year + 1, 1, 1), cancellationToken);", true),
            ("OrderReportRepository.cs", "o.CreatedAt.Year == year", false),
            ("OrderReportRepository.cs", "db.Orders.CountAsync(o => o.CreatedAt >= from && o.CreatedAt < to, cancellationToken);", true),
            // BR0008: the constant retry wait grows with the attempt, with jitter and a cap; the compliant twin stays.
            ("ShippingRatesClient.cs", "await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 500 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken);", true),
            ("ShippingRatesClient.cs", "await Task.Delay(500, cancellationToken);", false),
            ("ShippingRatesClient.cs", "Math.Min(10_000, 250 * Math.Pow(2, attempt))", true),
            // BR0005: page parameters, clamped, and Skip/Take after the existing OrderBy with the key as a tie-break.
            ("CatalogController.cs", "All(CancellationToken cancellationToken, int page = 1, int pageSize = 50)", true),
            ("CatalogController.cs", "pageSize = Math.Clamp(pageSize, 1, 100);", true),
            ("CatalogController.cs", "db.Products.OrderBy(p => p.Name).ThenBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken)", true),
            // BR0004: the verb leaves the route and becomes the HTTP method.
            ("CatalogController.cs", "[HttpDelete(\"products/{id:int}\")]", true),
            ("CatalogController.cs", "[HttpPost(\"deleteProduct/{id:int}\")]", false),
            // BR0011: the shipment API gets its version after the API prefix; the versioned carrier API stays.
            ("ShipmentsController.cs", "[Route(\"api/v1/shipments\")]", true),
            ("ShipmentsController.cs", "[Route(\"api/shipments\")]", false),
            ("ShipmentsController.cs", "[Route(\"api/v1/carriers\")]", true),
            // BR0012: the collection segment becomes plural; the plural twin stays.
            ("WarehousesController.cs", "[HttpGet(\"warehouses/{warehouseId:int}\")]", true),
            ("WarehousesController.cs", "[HttpGet(\"warehouse/{warehouseId:int}\")]", false),
            ("WarehousesController.cs", "[HttpGet(\"suppliers/{supplierId:int}\")]", true),
            // BR0006: the name is encoded where it enters the HTML; the Razor view is not a C# document, so it stays.
            ("StorefrontController.cs", "Content($\"<h1>Hello {HtmlEncoder.Default.Encode(name)}</h1>\", \"text/html\")", true),
            ("Index.cshtml", "@Html.Raw(Model.Items.FirstOrDefault()?.Name)", true),
        };

        var problems = new List<string>();
        foreach (var (fileName, text, present) in expectations)
        {
            var code = rewritten.Single(pair => Path.GetFileName(pair.Key) == fileName).Value;
            if (code.Contains(text, StringComparison.Ordinal) != present)
            {
                problems.Add($"{fileName} should {(present ? string.Empty : "no longer ")}contain: {text}");
            }
        }

        ConsumerProject.Expect(
            problems.Count == 0,
            "The rewritten sample is not what samples/README.md describes:" + Environment.NewLine + string.Join(Environment.NewLine, problems) + Environment.NewLine +
            string.Join(Environment.NewLine, rewritten.Where(pair => problems.Any(problem => problem.StartsWith(Path.GetFileName(pair.Key) + " ", StringComparison.Ordinal))).Select(pair => $"--- {pair.Key} ---{Environment.NewLine}{pair.Value}")),
            format);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /// <summary>C# files, and the Razor files whose generated code BR0006 analyzes.</summary>
    private static readonly string[] SourceExtensions = { ".cs", ".cshtml", ".razor" };

    /// <summary>The project's C# and Razor files (outside bin and obj) by full path.</summary>
    private static IReadOnlyDictionary<string, string> ReadSources(string projectDirectory)
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(projectDirectory, "*", SearchOption.AllDirectories))
        {
            if (!SourceExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var relative = Path.GetRelativePath(projectDirectory, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            sources[Path.GetFullPath(file)] = File.ReadAllText(file);
        }

        return sources;
    }

    private static string[] SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n');

    private static bool SameFile(string reported, string file) =>
        string.Equals(Path.GetFullPath(reported), file, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    private static string Describe(IEnumerable<BuildDiagnostic> diagnostics)
    {
        var list = diagnostics.Select(d => $"{Path.GetFileName(d.File)}({d.Line},{d.Column}) {d.Severity} {d.Id}").ToList();
        return list.Count == 0 ? "(none)" : string.Join("; ", list);
    }
}
