using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Hosting;

/// <summary>BR0009: an ASP.NET Core application that serves endpoints but registers no health checks and maps no health endpoint.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HealthChecksAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.HealthChecks);

    /// <summary>
    /// Methods of another project that set up health checks for the application (the Aspire service defaults). The
    /// same option name as BR0003's, so <c>backendrules.defaults_methods</c> sets both.
    /// </summary>
    internal static readonly ListOption DefaultsMethods = new(RuleIds.HealthChecks, "defaults_methods", ImmutableArray.Create("AddServiceDefaults", "MapDefaultEndpoints"));

    internal const string KindProperty = "Kind";
    internal const string BuildKind = "Build";
    internal const string ConfigureKind = "Configure";

    // The application is judged with every file of the compilation at its end: the health checks are usually
    // registered in another file than the one that builds the app.
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.HealthChecks,
        title: "Give a service health checks",
        messageFormat: "The application built by '{0}' serves endpoints but has no health checks; register AddHealthChecks and map liveness and readiness endpoints",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "An orchestrator or load balancer can only restart a hung instance or stop sending it traffic if the service tells it whether it is alive and ready. Without a health endpoint, a process that is up but cannot serve (a lost database, a deadlock) keeps receiving requests.",
        WellKnownDiagnosticTags.CompilationEnd);

    // Read for every invocation: a hash set, never changed once made, answers faster than an immutable one.
    private static readonly OptionsCache<DefaultsNames> DefaultsCache = new(options => new DefaultsNames(DefaultsMethods.Read(options)));

    /// <summary>
    /// The defaults-method names in effect for a tree. A type of its own: <see cref="OptionsCache{T}"/> remembers its
    /// last answer per thread and per type argument, and this cache is asked on every invocation; sharing the type
    /// with another rule's cache would make the two evict each other's answer.
    /// </summary>
    private sealed class DefaultsNames : System.Collections.Generic.HashSet<string>
    {
        public DefaultsNames(ImmutableArray<string> names)
            : base(names, System.StringComparer.Ordinal)
        {
        }
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is read (it may map endpoints or health checks); the rule reports only outside it.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            // IApplicationBuilder's assembly: every ASP.NET Core application references it, a worker service does not.
            if (!References.Contains(compilation, "Microsoft.AspNetCore.Http.Abstractions")
                || TestProjects.Skip(compilation, start.Options, ReportInTestProjects)
                || TestHost(compilation)
                || HealthChecksPackage(compilation))
            {
                return;
            }

            var state = new Application();
            start.RegisterOperationAction(c => Collect(c, state), OperationKind.Invocation);
            start.RegisterOperationAction(c => CollectUnbound(c, state), OperationKind.Invalid);
            start.RegisterSymbolAction(c => CollectSymbol(c, state), SymbolKind.Method, SymbolKind.NamedType);
            start.RegisterCompilationEndAction(c => Judge(c, state));
        });
    }

    /// <summary>
    /// A project that hosts the application in tests (WebApplicationFactory, TestServer) is a test host, even when the
    /// build does not mark it as a test project.
    /// </summary>
    private static bool TestHost(Compilation compilation)
        => References.Contains(compilation, "Microsoft.AspNetCore.Mvc.Testing") || References.Contains(compilation, "Microsoft.AspNetCore.TestHost");

    /// <summary>
    /// A health-check package (the AspNetCore.HealthChecks.* family, EF Core's DbContext check) is only referenced to
    /// register checks: the registration lives somewhere, maybe in another project.
    /// </summary>
    private static bool HealthChecksPackage(Compilation compilation)
    {
        if (References.Contains(compilation, "Microsoft.Extensions.Diagnostics.HealthChecks.EntityFrameworkCore"))
        {
            return true;
        }

        // Read from the reference list's file names: asking the compilation for its referenced assemblies binds them all.
        return References.ContainsPrefix(compilation, "AspNetCore.HealthChecks.") || References.ContainsPrefix(compilation, "HealthChecks.");
    }

    private static void Collect(OperationAnalysisContext context, Application state)
    {
        if (state.Covered)
        {
            return;
        }

        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var name = method.Name;
        switch (name)
        {
            case "AddHealthChecks" or "MapHealthChecks" or "UseHealthChecks":
                state.Covered = true;
                return;
            case "Build":
                if (!context.IsGeneratedCode && IsWebApplicationBuilder(method.ContainingType) && invocation.Syntax is InvocationExpressionSyntax syntax)
                {
                    state.Builds.Enqueue((NameLocation(syntax), syntax.ToString()));
                }

                return;
            case "UseEndpoints" or "UseMvc" or "UseMvcWithDefaultRoute" or "UseSignalR":
                if (!state.Serves && ReceiverIs(method, "IApplicationBuilder"))
                {
                    state.Serves = true;
                }

                return;
        }

        // A route is a constant read first; the receiver's interfaces are looked at only until the app is known to serve.
        if (name.StartsWith("Map", System.StringComparison.Ordinal)
            && (HealthRoute(invocation) || !state.Serves)
            && (ReceiverIs(method, "IEndpointRouteBuilder") || ReceiverIs(method, "IApplicationBuilder")))
        {
            if (HealthRoute(invocation))
            {
                state.Covered = true;
                return;
            }

            state.Serves = true;
        }

        // The tree from the semantic model: the invocation's own SyntaxTree property walks up its parents the first time.
        var tree = invocation.SemanticModel?.SyntaxTree ?? invocation.Syntax.SyntaxTree;
        if (state.DefaultsIn(context.Options, tree).Contains(name) && DeclaredElsewhere(method, context.Compilation))
        {
            state.Covered = true;
        }
    }

    /// <summary>
    /// A call that does not bind (a package or project the build could not resolve) is trusted by its name when it
    /// names a health-check call or a defaults method, as BR0003 trusts an unresolved defaults method.
    /// </summary>
    private static void CollectUnbound(OperationAnalysisContext context, Application state)
    {
        if (state.Covered || context.Operation.Syntax is not InvocationExpressionSyntax syntax)
        {
            return;
        }

        var name = syntax.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => null,
        };
        if (name is "AddHealthChecks" or "MapHealthChecks" or "UseHealthChecks"
            || name is not null && DefaultsCache.Get(context.Options, syntax.SyntaxTree).Contains(name))
        {
            state.Covered = true;
        }
    }

    /// <summary>
    /// A <c>Configure(IApplicationBuilder ...)</c> method (the Startup convention); a controller named for health, or
    /// a controller or action routed to a health endpoint (a hand-written liveness probe such as <c>[HttpGet("~/alive")]</c>).
    /// </summary>
    private static void CollectSymbol(SymbolAnalysisContext context, Application state)
    {
        if (state.Covered)
        {
            return;
        }

        switch (context.Symbol)
        {
            case IMethodSymbol { Name: "Configure", MethodKind: MethodKind.Ordinary } method
                when !method.Parameters.IsEmpty && IsNamed(method.Parameters[0].Type, "IApplicationBuilder", "Microsoft.AspNetCore.Builder")
                    && method.Locations.FirstOrDefault(l => l.IsInSource) is { } location && !context.IsGeneratedCode:
                state.Configures.Enqueue((location, method.ContainingType.Name + ".Configure"));
                break;
            case INamedTypeSymbol { TypeKind: TypeKind.Class } type when type.Name.EndsWith("Controller", System.StringComparison.Ordinal)
                && (type.Name.IndexOf("Health", System.StringComparison.OrdinalIgnoreCase) >= 0 || HealthRouteAttribute(type)):
                state.Covered = true;
                break;
            case IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public } action
                when action.ContainingType.Name.EndsWith("Controller", System.StringComparison.Ordinal) && HealthRouteAttribute(action):
                state.Covered = true;
                break;
        }
    }

    private static void Judge(CompilationAnalysisContext context, Application state)
    {
        if (state.Covered || !state.Serves)
        {
            return;
        }

        // Once per application: at its Build() (the first in source order), or else at the Startup's Configure.
        var (kind, candidates) = state.Builds.IsEmpty ? (ConfigureKind, state.Configures) : (BuildKind, state.Builds);
        if (candidates.IsEmpty)
        {
            return;
        }

        var (location, shown) = candidates
            .OrderBy(c => c.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(c => c.Location.SourceSpan.Start)
            .First();
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind);
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, shown));
    }

    /// <summary>From the method's name to the end of the call: <c>builder.[Build()]</c>.</summary>
    private static Location NameLocation(InvocationExpressionSyntax syntax)
    {
        var start = syntax.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.SpanStart,
            MemberBindingExpressionSyntax binding => binding.Name.SpanStart,
            _ => syntax.SpanStart,
        };
        return Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(start, syntax.Span.End));
    }

    /// <summary>A Map call whose route names a health endpoint: <c>MapGet("/health", ...)</c>, <c>/healthz</c>, <c>/alive</c>, <c>/ping</c>.</summary>
    private static bool HealthRoute(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "pattern" or "path" or "pathMatch" } && argument.Value.ConstantValue is { HasValue: true, Value: string route } && IsHealthRoute(route))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A route attribute (<c>[HttpGet("~/alive")]</c>, <c>[Route("health")]</c>) whose template names a health endpoint.</summary>
    private static bool HealthRouteAttribute(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } type && (type.Name.StartsWith("Http", System.StringComparison.Ordinal) || type.Name == "RouteAttribute")
                && attribute.ConstructorArguments.FirstOrDefault() is { Kind: TypedConstantKind.Primitive, Value: string route } && IsHealthRoute(route))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHealthRoute(string route)
    {
        foreach (var segment in route.Split('/'))
        {
            var word = segment.Trim().TrimStart('~').ToLowerInvariant();
            if (word.Contains("health") || word is "alive" or "ping" or "livez" or "readyz" or "liveness" or "readiness")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A method listed in <c>defaults_methods</c> counts when it lives in another project or package (or does not bind); one declared here is read like any other code.</summary>
    private static bool DeclaredElsewhere(IMethodSymbol method, Compilation compilation)
        => !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly);

    private static bool IsWebApplicationBuilder(INamedTypeSymbol? type)
        => IsNamed(type, "WebApplicationBuilder", "Microsoft.AspNetCore.Builder");

    /// <summary>The receiver of an instance method, or the first parameter of an extension, is (or implements) the named ASP.NET Core interface.</summary>
    private static bool ReceiverIs(IMethodSymbol method, string interfaceName)
    {
        var receiver = method.ReducedFrom is { } extension
            ? extension.Parameters.FirstOrDefault()?.Type
            : method.IsExtensionMethod ? method.Parameters.FirstOrDefault()?.Type : method.ContainingType;
        if (receiver is null)
        {
            return false;
        }

        return IsNamed(receiver, interfaceName, null) || receiver.AllInterfaces.Any(i => IsNamed(i, interfaceName, null));
    }

    private static bool IsNamed(ITypeSymbol? type, string name, string? containingNamespace)
        => type is not null && type.Name == name
            && type.ContainingNamespace?.ToDisplayString() is { } ns
            && (containingNamespace is null ? ns.StartsWith("Microsoft.AspNetCore", System.StringComparison.Ordinal) : ns == containingNamespace);

    /// <summary>What the compilation's callbacks have seen; written from concurrent callbacks, read at the end.</summary>
    private sealed class Application
    {
        private int _covered;
        private int _serves;

        public bool Covered
        {
            get => Volatile.Read(ref _covered) != 0;
            set => Volatile.Write(ref _covered, value ? 1 : 0);
        }

        public bool Serves
        {
            get => Volatile.Read(ref _serves) != 0;
            set => Volatile.Write(ref _serves, value ? 1 : 0);
        }

        /// <summary><c>WebApplicationBuilder.Build()</c> calls: where to report, and the call as written.</summary>
        public ConcurrentQueue<(Location Location, string Shown)> Builds { get; } = new();

        /// <summary>Startup <c>Configure</c> methods: where to report, and <c>Type.Configure</c>.</summary>
        public ConcurrentQueue<(Location Location, string Shown)> Configures { get; } = new();

        // The defaults-method names of the tree asked last: every invocation asks, tree after tree.
        private System.Tuple<SyntaxTree, DefaultsNames>? _lastDefaults;

        /// <summary>The defaults-method names in effect in <paramref name="tree"/>.</summary>
        public DefaultsNames DefaultsIn(AnalyzerOptions options, SyntaxTree tree)
        {
            var last = Volatile.Read(ref _lastDefaults);
            if (last is not null && ReferenceEquals(last.Item1, tree))
            {
                return last.Item2;
            }

            var names = DefaultsCache.Get(options, tree);
            Volatile.Write(ref _lastDefaults, System.Tuple.Create(tree, names));
            return names;
        }
    }
}
