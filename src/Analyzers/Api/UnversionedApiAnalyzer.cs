using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>
/// BR0011: API routes without a version (<c>api/orders</c> instead of <c>api/v1/orders</c>) in an application that does
/// not version through a library; reported once per controller route, route group and top-level MapX call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnversionedApiAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.UnversionedApi);

    /// <summary>The version segment the fix inserts, and the message suggests.</summary>
    internal static readonly StringOption VersionSegment = new(RuleIds.UnversionedApi, "version_segment", "v1", RouteVersion.IsVersionLiteral);

    /// <summary>
    /// Assemblies of the versioning libraries: an application that references one versions its API through it (URL
    /// segment, query string, header or media type), so the rule has nothing to say.
    /// </summary>
    private static readonly string[] VersioningAssemblies =
    {
        "Asp.Versioning.Abstractions", "Asp.Versioning.Http", "Asp.Versioning.Mvc", "Microsoft.AspNetCore.Mvc.Versioning",
    };

    /// <summary>
    /// The first words of routes that are infrastructure, not the API's resources: probes, metrics, API descriptions,
    /// protocol-defined URLs. Their URLs are fixed by the tools that call them.
    /// </summary>
    internal static readonly ImmutableHashSet<string> InfrastructureWords = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "health", "healthz", "healthcheck", "healthchecks", "health-check", "health-checks", "hc", "alive", "live", "livez", "liveness",
        "ready", "readyz", "readiness", "ping", "heartbeat", "metrics", "prometheus", "openapi", "swagger", "swagger-ui", "scalar", "redoc",
        ".well-known", "signalr", "hangfire");

    /// <summary>Routes that are infrastructure when they are the whole route (after an API prefix): <c>/status</c>, <c>/api/version</c>.</summary>
    internal static readonly ImmutableHashSet<string> InfrastructureEndpoints = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase, "status", "version", "info", "time", "now");

    internal const string KindProperty = "Kind";
    internal const string VersionProperty = "Version";
    internal const string RouteKind = "Route";
    internal const string ActionRoutesKind = "ActionRoutes";

    private const string Title = "Version the API in its routes";
    private const string Description = "An API that clients call from outside its codebase changes over time. A version in the route (api/v1/orders) lets a new contract ship beside the old one; an unversioned route can only change by breaking every client at once.";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.UnversionedApi,
        Title,
        messageFormat: "API route '{0}' has no version; add one ('{1}') so the API can change without breaking existing clients",
        RuleCategories.Design,
        DiagnosticSeverity.Info,
        Description);

    internal static readonly DiagnosticDescriptor ActionRoutesRule = RuleDescriptors.Create(
        RuleIds.UnversionedApi,
        Title,
        messageFormat: "Controller '{0}' serves API routes without a version ('{1}'); add one ('{2}') so the API can change without breaking existing clients",
        RuleCategories.Design,
        DiagnosticSeverity.Info,
        Description);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, ActionRoutesRule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped in the actions (IsGeneratedCode), not by the driver: see SelectStarAnalyzer.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            if (TestProjects.Skip(compilation, start.Options, ReportInTestProjects) || VersionsThroughLibrary(compilation))
            {
                return;
            }

            var model = EndpointModel.For(compilation);
            if (model is null)
            {
                return;
            }

            var application = new Application(compilation);
            if (model.HasControllers)
            {
                model.RegisterControllerAction(start, c => AnalyzeController(c, model, application));
            }

            if (model.MapsEndpoints)
            {
                var groups = new Groups(model);
                start.RegisterOperationAction(c => AnalyzeRouteCall(c, model, groups, application), OperationKind.Invocation);
            }
        });
    }

    /// <summary>Whether the compilation references a versioning library (read from the reference list: nothing is bound).</summary>
    internal static bool VersionsThroughLibrary(Compilation compilation)
    {
        foreach (var name in VersioningAssemblies)
        {
            if (References.Contains(compilation, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The version to suggest for routes in one file.</summary>
    internal static string VersionFor(AnalyzerOptions options, SyntaxTree tree) => VersionSegment.Read(options.For(tree));

    // ---- controllers ------------------------------------------------------------------------------------------

    private static void AnalyzeController(SymbolAnalysisContext context, EndpointModel model, Application application)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (context.IsGeneratedCode
            || !(model.IsController(type) || model.IsAbstractController(type))
            || !RouteAttributeLiterals.Any(type, MayBeUnversioned, MemberRouteMayBeUnversioned, context.CancellationToken)
            || model.IsViewController(type)
            || model.RendersOrRedirects(type)
            || IsObsolete(type)
            || HasCustomClassRoute(type))
        {
            return;
        }

        var plan = ControllerPlan.For(type, model, application, context.CancellationToken);
        foreach (var (literal, route) in plan.Prefixes)
        {
            var version = VersionFor(context.Options, literal.SyntaxTree);
            var value = (string)((LiteralExpressionSyntax)literal).Token.Value!;
            var versioned = RouteVersion.Insert(value, version);
            var shown = route is null ? value : route;
            var shownVersioned = route is null ? versioned : ReplacePrefix(route, value, versioned);
            context.ReportDiagnostic(Diagnostic.Create(Rule, literal.GetLocation(), Properties(RouteKind, version), Shown(shown), shownVersioned));
        }

        // Absolute action routes of a controller with a reported route are versioned by that report's fix.
        if (plan.Prefixes.Count == 0 && plan.ActionRoutes.Count > 0 && type.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
        {
            var version = VersionFor(context.Options, location.SourceTree!);
            var value = (string)((LiteralExpressionSyntax)plan.ActionRoutes[0]).Token.Value!;
            context.ReportDiagnostic(Diagnostic.Create(ActionRoutesRule, location, Properties(ActionRoutesKind, version), type.Name, Shown(value), RouteVersion.Insert(value, version)));
        }
    }

    /// <summary>
    /// The syntax pre-check (see <see cref="RouteAttributeLiterals"/>): every report sits on, or versions, an unversioned
    /// literal of the type's own attributes: a controller route, or an action route that no controller route of the type
    /// extends (absolute, or the type has no [Route] of its own). A controller whose routes all carry a version
    /// (<c>[Route("api/v1/stores")]</c> with <c>[HttpGet("")]</c>) never needs the endpoint model.
    /// </summary>
    private static readonly Func<string, bool> MayBeUnversioned = text => !RouteVersion.HasVersion(text);

    private static readonly Func<string, bool> AbsoluteMayBeUnversioned = text => RouteTemplate.IsOverride(text) && !RouteVersion.HasVersion(text);

    private static readonly Func<bool, Func<string, bool>> MemberRouteMayBeUnversioned = hasClassRoute => hasClassRoute ? AbsoluteMayBeUnversioned : MayBeUnversioned;

    private static string Shown(string template) => template.Length == 0 ? "/" : template;

    /// <summary>The combined route with its controller route part replaced by the versioned one (for the message).</summary>
    private static string ReplacePrefix(string route, string prefix, string versionedPrefix)
        => RouteTemplate.Combine(new[] { versionedPrefix, route.Length >= RouteTemplate.Trim(prefix).Length ? route.Substring(RouteTemplate.Trim(prefix).Length) : string.Empty });

    /// <summary>
    /// What BR0011 reports on one controller, and what its fix edits: the controller route literals that serve only
    /// unversioned routes, and the action route literals of routes that have no controller route.
    /// </summary>
    internal sealed class ControllerPlan
    {
        private ControllerPlan(List<(SyntaxNode Literal, string? Route)> prefixes, List<SyntaxNode> actionRoutes)
        {
            Prefixes = prefixes;
            ActionRoutes = actionRoutes;
        }

        /// <summary>Controller route string literals (on this type) to version, each with one route it serves (for the message).</summary>
        public List<(SyntaxNode Literal, string? Route)> Prefixes { get; }

        /// <summary>Action route string literals (on this type) to version: routes without a controller route (<c>~/api/orders</c>, or no [Route] on the class).</summary>
        public List<SyntaxNode> ActionRoutes { get; }

        public static ControllerPlan For(INamedTypeSymbol type, EndpointModel model, Application? application, CancellationToken cancellationToken)
        {
            var endpoints = model.GetDeclaredEndpoints(type, cancellationToken);
            var controllerName = EndpointModel.GetControllerName(type);
            var servesViews = model.MayServeViews(type);
            var hiddenController = IsHiddenFromApiDescription(type);

            // The routes each action also answers with a version: an unversioned route among them is an alias.
            HashSet<(IMethodSymbol?, string)>? versionedRoutes = null;
            foreach (var endpoint in endpoints)
            {
                if (RouteVersion.HasVersion(endpoint.Template))
                {
                    (versionedRoutes ??= new HashSet<(IMethodSymbol?, string)>(HandlerAndRoute.Instance)).Add((endpoint.HandlerMethod, RouteVersion.Unversioned(endpoint.Template)));
                }
            }

            // Controller route literal → whether it also serves versioned routes (then it is the team's to keep), and its unversioned routes.
            var prefixes = new Dictionary<SyntaxNode, (bool Versioned, List<Endpoint> Unversioned)>();
            var order = new List<SyntaxNode>();
            var actionRoutes = new List<SyntaxNode>();
            foreach (var endpoint in endpoints)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (endpoint.PrefixPieces.IsEmpty && endpoint.OwnPieces.IsEmpty)
                {
                    // Conventionally routed: the URL comes from a route table the rule does not read.
                    continue;
                }

                var prefix = endpoint.PrefixPieces.IsEmpty ? null : endpoint.PrefixPieces[0].Syntax;
                if (prefix is null && !endpoint.PrefixPieces.IsEmpty)
                {
                    // A controller route from a compiled base class: nowhere in source to report or version it.
                    continue;
                }

                if (prefix is not null && !prefixes.ContainsKey(prefix))
                {
                    order.Add(prefix);
                    prefixes[prefix] = (false, new List<Endpoint>());
                }

                var template = endpoint.Template;
                if (RouteVersion.HasVersion(template) || (versionedRoutes is not null && versionedRoutes.Contains((endpoint.HandlerMethod, RouteVersion.Unversioned(template)))))
                {
                    if (prefix is not null)
                    {
                        prefixes[prefix] = (true, prefixes[prefix].Unversioned);
                    }

                    continue;
                }

                // Not the API's contract: infrastructure, provider callbacks, actions on their way out or hidden from the
                // API description, and public methods that neither an HTTP method nor a route marks as endpoints.
                if (IsInfrastructure(template, controllerName) || IsCallback(template) || EndsInFile(template) || hiddenController
                    || (endpoint.HttpMethods.IsEmpty && endpoint.OwnPieces.IsEmpty)
                    || (endpoint.HandlerMethod is { } handler && (IsObsolete(handler) || HasCustomRoute(handler) || IsHiddenFromApiDescription(handler)))
                    || (application is not null && !application.MayBeApi(template, servesViews)))
                {
                    continue;
                }

                if (prefix is not null)
                {
                    prefixes[prefix].Unversioned.Add(endpoint);
                }
                else if (OwnLiteral(endpoint, type) is { } own && !actionRoutes.Contains(own))
                {
                    actionRoutes.Add(own);
                }
            }

            var reported = new List<(SyntaxNode, string?)>();
            foreach (var prefix in order)
            {
                // A controller route inherited from a base class is reported where it is declared.
                var (versioned, unversioned) = prefixes[prefix];
                if (!versioned && unversioned.Count > 0 && IsLiteral(prefix) && Declares(type, prefix))
                {
                    reported.Add((prefix, unversioned[0].Template));
                }
            }

            // A base class with a route and no actions of its own (a "BaseApiController"): its route is the API's when
            // the class cannot serve views (ControllerBase, or [ApiController]).
            if (endpoints.IsEmpty && !type.IsSealed && !servesViews)
            {
                var literals = ClassRouteLiterals(type, cancellationToken).ToList();
                var versionedTwins = new HashSet<string>(literals
                    .Select(l => (string)((LiteralExpressionSyntax)l).Token.Value!)
                    .Where(RouteVersion.HasVersion)
                    .Select(RouteVersion.Unversioned));
                foreach (var literal in literals)
                {
                    var value = (string)((LiteralExpressionSyntax)literal).Token.Value!;
                    if (!RouteVersion.HasVersion(value) && !versionedTwins.Contains(RouteVersion.Unversioned(value)) && !IsInfrastructure(value, controllerName) && !IsCallback(value)
                        && RouteTemplate.Trim(value).Length > 0 && (application is null || application.MayBeApi(value, servesViews: false)))
                    {
                        reported.Add((literal, null));
                    }
                }
            }

            return new ControllerPlan(reported, actionRoutes);
        }

        private static SyntaxNode? OwnLiteral(Endpoint endpoint, INamedTypeSymbol type)
            => endpoint.OwnPieces.Length == 1 && endpoint.OwnPieces[0].Syntax is { } syntax && IsLiteral(syntax) && Declares(type, syntax)
               && RouteTemplate.Trim(endpoint.OwnPieces[0].Value).Length > 0
                ? syntax
                : null;
    }

    /// <summary>An action and a route, compared by symbol and text: the same action answering a route.</summary>
    private sealed class HandlerAndRoute : IEqualityComparer<(IMethodSymbol?, string)>
    {
        public static readonly HandlerAndRoute Instance = new();

        public bool Equals((IMethodSymbol?, string) x, (IMethodSymbol?, string) y)
            => SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1) && string.Equals(x.Item2, y.Item2, StringComparison.Ordinal);

        public int GetHashCode((IMethodSymbol?, string) obj) => SymbolEqualityComparer.Default.GetHashCode(obj.Item1) ^ StringComparer.Ordinal.GetHashCode(obj.Item2);
    }

    /// <summary>The string literals of the type's own class-level route attributes.</summary>
    private static IEnumerable<SyntaxNode> ClassRouteLiterals(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "RouteAttribute" } && attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList.Arguments: { Count: > 0 } arguments }
                && arguments[0].Expression is LiteralExpressionSyntax { Token.Value: string } literal)
            {
                yield return literal;
            }
        }
    }

    private static bool IsLiteral(SyntaxNode node) => node is LiteralExpressionSyntax { Token.Value: string };

    private static bool Declares(INamedTypeSymbol type, SyntaxNode node)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == node.SyntaxTree && reference.Span.Contains(node.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>[ApiExplorerSettings(IgnoreApi = true)]</c>: the team keeps the endpoint out of the API it describes (legacy aliases, internal endpoints).</summary>
    private static bool IsHiddenFromApiDescription(ISymbol symbol)
        => symbol.GetAttributes().Any(a => a.AttributeClass is { Name: "ApiExplorerSettingsAttribute" }
            && a.NamedArguments.Any(n => n.Key == "IgnoreApi" && n.Value.Value is true));

    private static bool IsObsolete(ISymbol symbol)
        => symbol.GetAttributes().Any(a => a.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } });

    /// <summary>
    /// A class-level route attribute of the team's own (own or inherited): a subclass of [Route] or another route template
    /// provider, whose constructor may build the template (<c>[ApiV1]</c> → <c>api/v1/[controller]</c>). The route is not known.
    /// </summary>
    private static bool HasCustomClassRoute(INamedTypeSymbol type)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (HasCustomRoute(current))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasCustomRoute(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && !IsFrameworkType(attributeClass)
                && attributeClass.AllInterfaces.Any(i => i.Name == "IRouteTemplateProvider" && IsFrameworkType(i)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFrameworkType(INamedTypeSymbol type)
        => type.ContainingNamespace?.ToDisplayString().StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) == true;

    /// <summary>
    /// Whether a route is infrastructure rather than the API: its first word after an API prefix is a probe, metrics,
    /// an API description or a protocol path (<c>health</c>, <c>metrics</c>, <c>swagger</c>, <c>.well-known</c>), a
    /// file (<c>robots.txt</c>), or the whole route is <c>status</c>/<c>version</c>. <c>[controller]</c> is read as the
    /// controller's name.
    /// </summary>
    internal static bool IsInfrastructure(string template, string? controllerName)
    {
        var literals = RouteVersion.Literals(template);
        var index = 0;
        while (index < literals.Count && (RouteVersion.IsApiPrefix(literals[index]) || RouteVersion.IsVersionLiteral(literals[index])))
        {
            index++;
        }

        if (index >= literals.Count)
        {
            return false;
        }

        var first = literals[index];
        if (controllerName is not null && first.IndexOf("[controller]", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            first = first.Replace("[controller]", controllerName).Replace("[Controller]", controllerName);
        }

        return InfrastructureWords.Contains(first)
               || first.StartsWith("health", StringComparison.OrdinalIgnoreCase)
               || IsFileName(first)
               || (index == literals.Count - 1 && InfrastructureEndpoints.Contains(first));
    }

    /// <summary>
    /// Whether the route ends in a file name (<c>Videos/{id}/master.m3u8</c>, <c>{index}.jpg</c>, <c>robots.txt</c>): a
    /// file or a stream served at a path that players and crawlers build, not a resource of the API.
    /// </summary>
    internal static bool EndsInFile(string template)
    {
        var segments = RouteTemplate.Split(template, mvcTokens: true);
        return segments.Length > 0 && IsFileName(segments[segments.Length - 1].Text);
    }

    /// <summary><c>robots.txt</c>, <c>app-id.json</c>, <c>stream.mp3</c>, <c>{index}.jpg</c>: a file served at a path.</summary>
    private static bool IsFileName(string segment)
    {
        // An extension starts with a letter (json, mp3, m3u8): v2.0 and 1.5 are not files.
        var dot = segment.LastIndexOf('.');
        if (dot <= 0 || dot == segment.Length - 1 || !char.IsLetter(segment[dot + 1]))
        {
            return false;
        }

        for (var i = dot + 1; i < segment.Length; i++)
        {
            if (!char.IsLetterOrDigit(segment[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Words of routes that a provider calls back (payment notifications, webhooks): their URLs are registered with the provider.</summary>
    internal static readonly ImmutableHashSet<string> CallbackWords = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase, "webhook", "webhooks", "hook", "hooks", "ipn", "callback", "callbacks");

    /// <summary>Whether a literal segment of the route is a callback word (<c>stripe/webhook</c>, <c>paypal/ipn</c>, <c>hooks/github</c>).</summary>
    internal static bool IsCallback(string template)
    {
        foreach (var literal in RouteVersion.Literals(template))
        {
            foreach (var word in RouteWords.Words(literal))
            {
                if (CallbackWords.Contains(word))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // ---- minimal APIs -----------------------------------------------------------------------------------------

    /// <summary>
    /// A MapGroup or MapX call is reported when it is where the version goes: its own prefix or pattern is a literal
    /// with at least one segment, neither it nor a group above it carries a version, no group above it is reported in
    /// its place (the outermost group with a prefix is, unless something under it is versioned), and, for a group,
    /// nothing under it in the same body is versioned.
    /// </summary>
    private static void AnalyzeRouteCall(OperationAnalysisContext context, EndpointModel model, Groups groups, Application application)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!method.Name.StartsWith("Map", StringComparison.Ordinal) || context.IsGeneratedCode)
        {
            return;
        }

        var isGroup = model.IsMapGroup(method);
        if (!isGroup && !model.IsMapMethod(method))
        {
            return;
        }

        if (model.GetOwnPiece(invocation) is not { } own || own.Syntax is not LiteralExpressionSyntax literal || !IsLiteral(literal)
            || RouteTemplate.Trim(own.Value).Length == 0 || RouteVersion.HasVersion(own.Value))
        {
            return;
        }

        if (!model.TryGetGroupChain(invocation, out var chain, out var methodParameterRoot))
        {
            return;
        }

        var parts = new List<string>();
        foreach (var group in chain)
        {
            var prefix = model.GetOwnPiece(group)!.Value.Value;
            if (RouteVersion.HasVersion(prefix))
            {
                return;
            }

            parts.Add(prefix);
        }

        parts.Add(own.Value);
        var route = RouteTemplate.Combine(parts);
        if (IsInfrastructure(route, controllerName: null) || IsCallback(route) || (!isGroup && EndsInFile(route)))
        {
            return;
        }

        // The outermost group with a prefix takes the version for everything under it, unless something under it is
        // versioned already: then the unversioned calls under it take their own.
        foreach (var group in chain)
        {
            if (RouteTemplate.Trim(model.GetOwnPiece(group)!.Value.Value).Length > 0 && !groups.HasVersionedDescendant(group))
            {
                return;
            }
        }

        if (isGroup && groups.HasVersionedDescendant(invocation))
        {
            return;
        }

        // A route builder handed to a method may be a versioned group of its caller's.
        if (!application.MayBeApi(route, servesViews: true) || (methodParameterRoot && application.HasVersionGroup))
        {
            return;
        }

        var version = VersionFor(context.Options, literal.SyntaxTree);
        context.ReportDiagnostic(Diagnostic.Create(Rule, literal.GetLocation(), Properties(RouteKind, version), Shown(own.Value), RouteVersion.Insert(own.Value, version)));
    }

    /// <summary>Per compilation: which groups have a versioned MapX or MapGroup under them, per body.</summary>
    private sealed class Groups
    {
        private readonly EndpointModel _model;
        private readonly ConcurrentDictionary<SyntaxNode, HashSet<SyntaxNode>> _versionedAncestors = new();

        public Groups(EndpointModel model) => _model = model;

        /// <summary>Whether a MapX or MapGroup call under the group, in the same body, carries a version in its own pattern or prefix.</summary>
        public bool HasVersionedDescendant(IInvocationOperation group)
        {
            var root = Operations.Root(group);
            var versioned = _versionedAncestors.GetOrAdd(root.Syntax, key =>
            {
                var set = new HashSet<SyntaxNode>();
                var (mapCalls, groupCalls) = _model.GetRouteCallsInBody(root);
                foreach (var call in mapCalls.Concat(groupCalls))
                {
                    if (_model.GetOwnPiece(call) is { } piece && RouteVersion.HasVersion(piece.Value)
                        && _model.TryGetGroupChain(call, out var chain, out _))
                    {
                        foreach (var ancestor in chain)
                        {
                            set.Add(ancestor.Syntax);
                        }
                    }
                }

                return set;
            });
            return versioned.Contains(group.Syntax);
        }
    }

    /// <summary>
    /// What the rule needs to know of the whole application, read lazily from the source text when a route is about
    /// to be reported (most compilations never ask): the API prefixes its versioned routes use, and whether it renders
    /// pages.
    /// </summary>
    internal sealed class Application
    {
        private readonly Compilation _compilation;
        private readonly Lazy<(ImmutableHashSet<string> Prefixes, bool VersionGroup)> _versions;
        private readonly Lazy<bool> _rendersPages;

        public Application(Compilation compilation)
        {
            _compilation = compilation;
            _versions = References.Once(FindVersions);
            _rendersPages = References.Once(FindPages);
        }

        /// <summary>
        /// The API prefixes (<see cref="RouteVersion.VersionedPrefixKey"/>) of the routes that carry a version for the
        /// whole API (<c>api/v1/...</c> → <c>api</c>); empty in an application that versions nothing.
        /// </summary>
        public ImmutableHashSet<string> VersionedPrefixes => _versions.Value.Prefixes;

        /// <summary>
        /// Whether a route group's prefix ends with a version (<c>MapGroup("/api/v1")</c>): a group made to version
        /// endpoints mapped elsewhere, which a method that takes a route builder may be handed.
        /// </summary>
        public bool HasVersionGroup => _versions.Value.VersionGroup;

        /// <summary>Whether the application renders pages: views, Razor Pages or Razor components.</summary>
        public bool RendersPages => _rendersPages.Value;

        /// <summary>
        /// Whether an unversioned route may be part of the application's API. In an application that versions its
        /// API under a prefix (<c>api/v1/...</c>), a route outside any API prefix (<c>tokens</c>, <c>storage/{id}</c>)
        /// belongs to another surface: pages, callbacks, a protocol emulated for other clients. In an application that
        /// renders pages, a route of a class that may serve views (<c>Controller</c> without [ApiController]) or of a
        /// minimal API, outside an API prefix, is one of the site's own endpoints (a form post, a session helper).
        /// </summary>
        public bool MayBeApi(string route, bool servesViews)
        {
            // The cheaper question first: the page scan stops at the first view; the version scan reads every file.
            var key = RouteVersion.PrefixKey(route);
            return key.Length > 0 || ((!servesViews || !RendersPages) && (VersionedPrefixes.Count == 0 || VersionedPrefixes.Contains(string.Empty)));
        }

        private static readonly string[] PageWords =
        {
            "View(", "PageModel", "MapRazor", "AddRazor", "WithViews",
        };

        private static readonly string PageWordsKey = string.Join("|", PageWords);

        private bool FindPages()
        {
            foreach (var tree in _compilation.SyntaxTrees)
            {
                if (TextSearch.FileMentionsAny(tree, PageWordsKey, PageWords))
                {
                    return true;
                }
            }

            return false;
        }

        private (ImmutableHashSet<string>, bool) FindVersions()
        {
            var keys = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            var versionGroup = false;
            foreach (var tree in _compilation.SyntaxTrees)
            {
                var inFile = VersionsByFile.GetValue(tree, ReadVersions);
                keys.UnionWith(inFile.Keys);
                versionGroup |= inFile.VersionGroup;
            }

            return (keys.ToImmutable(), versionGroup);
        }

        // What a file says about versions depends on its text alone: each file is read once, whichever compilation asks
        // (the IDE's next compilation after an edit shares every other file's tree).
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, FileVersions> VersionsByFile = new();

        private sealed class FileVersions
        {
            public static readonly FileVersions None = new(ImmutableArray<string>.Empty, versionGroup: false);

            public FileVersions(ImmutableArray<string> keys, bool versionGroup)
            {
                Keys = keys;
                VersionGroup = versionGroup;
            }

            public ImmutableArray<string> Keys { get; }

            public bool VersionGroup { get; }
        }

        private static FileVersions ReadVersions(SyntaxTree tree)
        {
            // A version segment starts a literal or follows a slash: "v1, /v2, "api/v1 ...
            var text = tree.GetText();
            var positions = TextSearch.Positions(text, new TextSpan(0, text.Length), 'v', 1, 1, (buffer, i) => buffer[i - 1] is '/' or '"' && char.IsDigit(buffer[i + 1]));
            if (positions.Count == 0)
            {
                return FileVersions.None;
            }

            var keys = ImmutableArray.CreateBuilder<string>();
            var versionGroup = false;
            var root = tree.GetRoot();
            SyntaxToken last = default;
            foreach (var position in positions)
            {
                var token = root.FindToken(position);
                if (token == last || !token.IsKind(SyntaxKind.StringLiteralToken) || token.Value is not string value || !InRouteContext(token))
                {
                    continue;
                }

                last = token;
                if (RouteVersion.VersionedPrefixKey(value) is { } key)
                {
                    keys.Add(key);
                    versionGroup |= IsMapGroupArgument(token) && RouteTemplate.Split(value, mvcTokens: false) is { Length: > 0 } segments
                        && RouteVersion.IsVersionSegment(segments[segments.Length - 1].Text, segments[segments.Length - 1].Kind);
                }
            }

            return keys.Count == 0 && !versionGroup ? FileVersions.None : new FileVersions(keys.ToImmutable(), versionGroup);
        }

        private static bool IsMapGroupArgument(SyntaxToken token)
            => token.Parent is LiteralExpressionSyntax { Parent: ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax invocation } }
               && invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "MapGroup" };

        /// <summary>A literal where routes are written: an attribute argument, an argument of a <c>Map*</c> call, a constant.</summary>
        private static bool InRouteContext(SyntaxToken token)
        {
            for (var node = token.Parent; node is not null; node = node.Parent)
            {
                switch (node)
                {
                    case AttributeArgumentSyntax:
                        return true;
                    case ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax invocation }:
                        var name = invocation.Expression switch
                        {
                            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                            SimpleNameSyntax simple => simple.Identifier.ValueText,
                            _ => string.Empty,
                        };
                        return name.StartsWith("Map", StringComparison.Ordinal);
                    case VariableDeclarationSyntax { Parent: FieldDeclarationSyntax field }:
                        return field.Modifiers.Any(m => m.IsKind(SyntaxKind.ConstKeyword));
                    case StatementSyntax or MemberDeclarationSyntax:
                        return false;
                }
            }

            return false;
        }
    }

    private static ImmutableDictionary<string, string?> Properties(string kind, string version)
        => ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind).Add(VersionProperty, version);
}
