using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Caching;

/// <summary>
/// BR0013: an <c>IMemoryCache</c> or <c>IDistributedCache</c> entry written without an absolute or sliding expiration
/// (or an expiration token) anywhere the code shows: the call, its options, the <c>GetOrCreate</c> factory.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CacheExpirationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.CacheExpiration);

    /// <summary>The time to live the fix writes, in seconds.</summary>
    internal static readonly IntOption DefaultTtlSeconds = new(RuleIds.CacheExpiration, "default_ttl_seconds", 300, 1, 31_536_000);

    /// <summary>Diagnostic property: how the fix adds the expiration (a <see cref="CacheFixKind"/> name); absent where it declines.</summary>
    internal const string FixProperty = "Fix";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.CacheExpiration,
        title: "Give cache entries an expiration",
        messageFormat: "'{0}' adds a cache entry that never expires: {1}; set an absolute or sliding expiration",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "An IMemoryCache or IDistributedCache entry without an absolute or sliding expiration stays until it is evicted or removed: it serves stale data forever and the cache grows without bound. Give every entry a time to live, in the call, its options or the GetOrCreate factory.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped in the action (IsGeneratedCode), not by the driver: see SelectStarAnalyzer.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!CacheCalls.Referenced(start.Compilation) || TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            var compilation = start.Compilation;
            var lazyCalls = References.Once(() => CacheCalls.Create(compilation));

            // Findings wait for the end of their type: an entry the same type removes by the same key is invalidated by
            // the code that changes its data (cache-aside with invalidation), not left to live forever.
            start.RegisterSymbolStartAction(
                type =>
                {
                    // A type whose text never says "cache" reaches no cache by name: nothing is registered for it.
                    if (!MentionsCache((INamedTypeSymbol)type.Symbol, type.CancellationToken))
                    {
                        return;
                    }

                    // Most types that say "cache" never write one: the collections are made by the first call that needs them.
                    ConcurrentQueue<(IInvocationOperation Invocation, CacheFinding Finding, string? Key, ISymbol Member)>? findings = null;
                    ConcurrentDictionary<string, ConcurrentDictionary<ISymbol, bool>>? removed = null;
                    type.RegisterOperationAction(
                        c =>
                        {
                            var invocation = (IInvocationOperation)c.Operation;
                            if (c.IsGeneratedCode || lazyCalls.Value is not { } calls)
                            {
                                return;
                            }

                            if (CacheCalls.MayBeCacheWrite(invocation))
                            {
                                if (calls.Inspect(invocation) is { } finding)
                                {
                                    LazyInitializer.EnsureInitialized(ref findings)!.Enqueue((invocation, finding, CacheKeys.Shape(CacheKeys.KeyArgument(invocation)), c.ContainingSymbol));
                                }
                            }
                            else if (calls.IsRemoval(invocation))
                            {
                                LazyInitializer.EnsureInitialized(ref removed, () => new ConcurrentDictionary<string, ConcurrentDictionary<ISymbol, bool>>(StringComparer.Ordinal))!
                                    .GetOrAdd(CacheKeys.Shape(CacheKeys.KeyArgument(invocation)) ?? CacheKeys.Unknown, _ => new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default))[c.ContainingSymbol] = true;
                            }
                        },
                        OperationKind.Invocation);
                    type.RegisterSymbolEndAction(end =>
                    {
                        if (Volatile.Read(ref findings) is not { } found)
                        {
                            return;
                        }

                        var removals = Volatile.Read(ref removed);
                        foreach (var (invocation, finding, key, member) in found)
                        {
                            if (removals is not null && (RemovedElsewhere(removals, CacheKeys.Everything, member) || (key is not null && RemovedElsewhere(removals, key, member))))
                            {
                                continue;
                            }

                            var properties = finding.Fix == CacheFixKind.None
                                ? ImmutableDictionary<string, string?>.Empty
                                : ImmutableDictionary<string, string?>.Empty.Add(FixProperty, finding.Fix.ToString());
                            end.ReportDiagnostic(Diagnostic.Create(Rule, NameLocation(invocation), properties, invocation.TargetMethod.Name, finding.Reason));
                        }
                    });
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// Whether another member of the type removes that key: a <c>Remove</c> just before the <c>Set</c> in the same method
    /// replaces the entry, it does not invalidate it.
    /// </summary>
    private static bool RemovedElsewhere(ConcurrentDictionary<string, ConcurrentDictionary<ISymbol, bool>> removed, string key, ISymbol member)
        => removed.TryGetValue(key, out var members) && members.Keys.Any(m => !SymbolEqualityComparer.Default.Equals(m, member));

    /// <summary>The method name of the call (<c>cache.[|Set|](...)</c>), or the whole call where there is none.</summary>
    private static Location NameLocation(IInvocationOperation invocation)
        => invocation.Syntax is InvocationExpressionSyntax { Expression: var expression }
            ? expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.GetLocation(),
                MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
                SimpleNameSyntax name => name.GetLocation(),
                _ => invocation.Syntax.GetLocation(),
            }
            : invocation.Syntax.GetLocation();

    /// <summary>Whether a declaration of the type (nested types included) contains "cache" or "Cache" in its text.</summary>
    private static bool MentionsCache(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
        => TextSearch.DeclarationMentions(type, "ache", cancellationToken);
}
