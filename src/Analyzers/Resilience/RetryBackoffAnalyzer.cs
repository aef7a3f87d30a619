using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using BackendRules.Internal;

namespace BackendRules.Resilience;

/// <summary>
/// BR0008: a hand-written retry loop around an I/O call (a catch or a failed status sends it round again, a counter or
/// flag bounds it) that waits a constant time between attempts, or not at all.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetryBackoffAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.RetryBackoff);

    /// <summary>Namespaces whose calls and exceptions count as I/O, on top of <see cref="IoCalls.DefaultNamespaces"/>.</summary>
    internal static readonly ListOption IoNamespaces = new(RuleIds.RetryBackoff, "io_namespaces", ImmutableArray<string>.Empty);

    /// <summary>Whether any awaited call inside the try counts as I/O.</summary>
    internal static readonly BoolOption AnyAwaitedCall = new(RuleIds.RetryBackoff, "any_awaited_call", defaultValue: false);

    /// <summary>The first wait the fix adds where an async retry loop had none, in milliseconds.</summary>
    internal static readonly IntOption BaseDelayMs = new(RuleIds.RetryBackoff, "base_delay_ms", defaultValue: 200, min: 1, max: 600_000);

    /// <summary>The fix's cap on one wait, in milliseconds.</summary>
    internal static readonly IntOption MaxDelayMs = new(RuleIds.RetryBackoff, "max_delay_ms", defaultValue: 30000, min: 1, max: 3_600_000);

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.RetryBackoff,
        title: "Back off between retries",
        messageFormat: "This retry loop {0} between attempts; wait longer after each failure (exponential backoff with jitter and a cap)",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "Clients that retry a failing service after the same fixed pause (or at once) hit it in synchronised waves, just when it needs room to recover. Waits that grow with each attempt, spread by random jitter and capped, thin the load out and still succeed once the service is back.");

    private static readonly OptionsCache<IoCalls> Io = new(options => new IoCalls(IoNamespaces.Read(options), AnyAwaitedCall.Read(options)));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped in the action (IsGeneratedCode), not by the driver: see SelectStarAnalyzer.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Task.Delay and Thread.Sleep live in the core library; a compilation without one has no retry loops to judge.
            if (!(References.Contains(start.Compilation, "System.Runtime") || References.Contains(start.Compilation, "netstandard") || References.Contains(start.Compilation, "mscorlib"))
                || TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            // An operation action, not a syntax node action: the driver has bound the loop's member for its operation
            // tree before this runs, so the symbol questions below are answered from that binding. A syntax node
            // action runs first and would pay for binding every member with a loop.
            start.RegisterOperationAction(
                c =>
                {
                    if (c.IsGeneratedCode
                        || c.Operation.Syntax is not (ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax)
                        || c.Operation.SemanticModel is not { } model)
                    {
                        return;
                    }

                    var loop = (StatementSyntax)c.Operation.Syntax;
                    if (!RetryLoop.MayBeRetryLoop(loop)
                        || RetryLoop.Find(loop, model, Io.Get(c.Options, loop.SyntaxTree), c.CancellationToken) is not { } retry)
                    {
                        return;
                    }

                    if (retry.Waits.IsEmpty)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Rule, retry.Keyword.GetLocation(), "does not wait"));
                        return;
                    }

                    foreach (var wait in retry.Waits)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Rule, wait.GetLocation(), "waits the same '" + Shorten(wait.ToString()) + "'"));
                    }
                },
                OperationKind.Loop);
        });
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
}
