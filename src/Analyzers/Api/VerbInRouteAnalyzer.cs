using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>BR0004: route segments that start with a verb (<c>/getUser/{id}</c>) instead of naming a resource.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VerbInRouteAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.VerbInRoute);

    internal static readonly ImmutableArray<string> DefaultVerbs = ImmutableArray.Create(
        "get", "fetch", "retrieve", "read", "list", "query", "find",
        "create", "add", "insert", "new", "make",
        "update", "modify", "edit", "change", "set", "save",
        "delete", "remove", "destroy", "erase",
        "do", "execute", "run", "perform", "process", "handle",
        "post", "put", "patch");

    // Segments that are not resources but are conventionally named as actions or states; only those starting with a
    // listed verb matter, the rest are here so a team that adds verbs (e.g. "log", "sign") keeps them working.
    internal static readonly ImmutableArray<string> DefaultAllowedSegments = ImmutableArray.Create(
        "login", "logout", "signin", "signout", "signup", "register", "refresh", "health", "healthz", "ready", "readyz", "live", "livez", "ping", "search", "me");

    internal static readonly ListOption Verbs = new(RuleIds.VerbInRoute, "verbs", DefaultVerbs);
    internal static readonly ListOption AdditionalVerbs = new(RuleIds.VerbInRoute, "additional_verbs", ImmutableArray<string>.Empty);
    internal static readonly ListOption AllowedSegments = new(RuleIds.VerbInRoute, "allowed_segments", DefaultAllowedSegments);

    internal const string KindProperty = "Kind";
    internal const string VerbProperty = "Verb";
    internal const string SegmentKind = "Segment";
    internal const string PrefixKind = "Prefix";
    internal const string ActionTokenKind = "ActionToken";

    private const string Title = "Name resources, not actions, in routes";
    private const string Description = "A URL names a resource; the HTTP method says what happens to it. A verb in the path (/getUser/{id}, /deleteOrder) duplicates the method, breaks caching and REST tooling expectations, and makes the API inconsistent.";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.VerbInRoute,
        Title,
        messageFormat: "Route segment '{0}' starts with the verb '{1}'; name the resource and let the HTTP method say the action",
        RuleCategories.Design,
        DiagnosticSeverity.Warning,
        Description);

    internal static readonly DiagnosticDescriptor ActionTokenRule = RuleDescriptors.Create(
        RuleIds.VerbInRoute,
        Title,
        messageFormat: "Route token '[action]' puts action names such as '{0}' into the URL; name the resource and let the HTTP method say the action",
        RuleCategories.Design,
        DiagnosticSeverity.Warning,
        Description);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, ActionTokenRule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped in the actions (IsGeneratedCode), not by the driver: see SelectStarAnalyzer.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            var model = EndpointModel.For(start.Compilation);
            if (model is null)
            {
                return;
            }

            if (model.HasControllers)
            {
                model.RegisterControllerAction(start, c => AnalyzeController(c, model));
            }

            if (model.MapsEndpoints)
            {
                start.RegisterOperationAction(c => AnalyzeMapCall(c, model), OperationKind.Invocation);
            }
        });
    }

    /// <summary>The verb and allow lists in effect for one syntax tree.</summary>
    internal sealed class Settings
    {
        public Settings(ImmutableHashSet<string> verbs, ImmutableHashSet<string> allowed)
        {
            Verbs = verbs;
            Allowed = allowed;
        }

        public ImmutableHashSet<string> Verbs { get; }
        public ImmutableHashSet<string> Allowed { get; }

        private static readonly OptionsCache<Settings> Cache = new(Parse);

        public static Settings Read(AnalyzerOptions options, SyntaxTree tree) => Cache.Get(options, tree);

        private static Settings Parse(AnalyzerConfigOptions config)
        {
            var verbs = VerbInRouteAnalyzer.Verbs.Read(config).Concat(AdditionalVerbs.Read(config)).Select(v => v.Trim().ToLowerInvariant()).Where(v => v.Length > 0);
            return new Settings(
                verbs.ToImmutableHashSet(StringComparer.Ordinal),
                AllowedSegments.Read(config).ToImmutableHashSet(StringComparer.OrdinalIgnoreCase));
        }
    }

    private static void AnalyzeController(SymbolAnalysisContext context, EndpointModel model)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (context.IsGeneratedCode
            || !(model.IsController(type) || model.IsAbstractController(type))
            || !MayDeclareVerbalRoute(type, context.Options, context.CancellationToken))
        {
            return;
        }

        // Controllers with views serve pages and HTML forms, which can only GET and POST: /products/edit/5 is the
        // idiom there, not an API design flaw.
        if (model.IsViewController(type))
        {
            return;
        }

        var endpoints = model.GetDeclaredEndpoints(type, context.CancellationToken);
        var readAndWritten = ReadAndWrittenTemplates(endpoints);
        var seen = new HashSet<(SyntaxTree, TextSpan)>();
        var actionTokens = new Dictionary<(SyntaxTree, TextSpan), (Location Location, List<IMethodSymbol> Actions)>();
        foreach (var endpoint in endpoints)
        {
            // An [Obsolete] action is an alias kept for old clients next to its successor: renaming it would break
            // them, and it is on its way out. A shared controller route is still reported through the other actions.
            if (endpoint.HandlerMethod is { } handler && IsObsolete(handler))
            {
                continue;
            }

            // A route that GET serves too names something that can be read: "update" is the pending update that GET
            // describes and POST applies, not an action.
            if (readAndWritten.Contains(endpoint.Template))
            {
                continue;
            }

            foreach (var segment in endpoint.Segments)
            {
                // A route inherited from a base controller is reported where it is declared, when the base is analyzed.
                if (segment.Location is not { IsInSource: true, SourceTree: { } tree } location || !Declares(type, location))
                {
                    continue;
                }

                var key = (tree, location.SourceSpan);
                if (segment.Kind == RouteSegmentKind.Literal)
                {
                    if (seen.Add(key))
                    {
                        Report(context.ReportDiagnostic, segment, For(tree));
                    }
                }
                else if (segment.Kind == RouteSegmentKind.Token && segment.Text.IndexOf("[action]", StringComparison.OrdinalIgnoreCase) >= 0 && endpoint.HandlerMethod is { } action)
                {
                    if (!actionTokens.TryGetValue(key, out var entry))
                    {
                        entry = (location, new List<IMethodSymbol>());
                        actionTokens[key] = entry;
                    }

                    entry.Actions.Add(action);
                }
            }
        }

        foreach (var (location, actions) in actionTokens.Values)
        {
            var current = For(location.SourceTree!);
            var verbal = actions.Select(model.GetActionName).FirstOrDefault(name => RouteWords.LeadingVerb(name, current.Verbs, current.Allowed) is not null);
            if (verbal is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(ActionTokenRule, location, Properties(ActionTokenKind, string.Empty), verbal));
            }
        }

        Settings For(SyntaxTree tree) => Settings.Read(context.Options, tree);
    }

    /// <summary>The templates the controller serves both to GET and to a method that writes (POST, PUT, PATCH, DELETE).</summary>
    private static HashSet<string> ReadAndWrittenTemplates(ImmutableArray<Endpoint> endpoints)
    {
        var read = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in endpoints)
        {
            foreach (var method in endpoint.HttpMethods)
            {
                (method is "GET" or "HEAD" ? read : written).Add(endpoint.Template);
            }
        }

        read.IntersectWith(written);
        return read;
    }

    private static bool IsObsolete(IMethodSymbol method)
        => method.GetAttributes().Any(a => a.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } });

    /// <summary>
    /// A syntax-only pre-check (see <see cref="RouteAttributeLiterals"/>): a type whose attribute string literals hold
    /// no verb-led segment and no [action] token has nothing to report.
    /// </summary>
    private static bool MayDeclareVerbalRoute(INamedTypeSymbol type, AnalyzerOptions options, System.Threading.CancellationToken cancellationToken)
        => RouteAttributeLiterals.Any(type, tree =>
        {
            var settings = Settings.Read(options, tree);
            return text => MayBeVerbalTemplate(text, settings);
        }, cancellationToken);

    private static bool MayBeVerbalTemplate(string template, Settings settings)
    {
        foreach (var (text, _, kind) in RouteTemplate.Split(template, mvcTokens: true))
        {
            if (kind == RouteSegmentKind.Literal
                    ? RouteWords.LeadingVerb(text, settings.Verbs, settings.Allowed) is not null
                    : kind == RouteSegmentKind.Token && text.IndexOf("[action]", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Declares(INamedTypeSymbol type, Location location)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == location.SourceTree && reference.Span.Contains(location.SourceSpan))
            {
                return true;
            }
        }

        return false;
    }

    private static void AnalyzeMapCall(OperationAnalysisContext context, EndpointModel model)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (context.IsGeneratedCode)
        {
            return;
        }

        ImmutableArray<RouteSegment> segments;
        if (model.IsMapMethod(method))
        {
            if (!model.TryGetMinimalEndpoint(invocation, out var endpoint) || endpoint is null)
            {
                return;
            }

            // Group prefixes are reported once, on their MapGroup call.
            segments = endpoint.OwnSegments;
        }
        else if (model.IsMapGroup(method))
        {
            segments = model.GetGroupSegments(invocation);
        }
        else
        {
            return;
        }

        Settings? settings = null;
        foreach (var segment in segments)
        {
            if (segment.Kind == RouteSegmentKind.Literal && segment.Location is { IsInSource: true } location)
            {
                settings ??= Settings.Read(context.Options, location.SourceTree!);
                Report(context.ReportDiagnostic, segment, settings);
            }
        }
    }

    private static void Report(Action<Diagnostic> report, RouteSegment segment, Settings settings)
    {
        var verb = RouteWords.LeadingVerb(segment.Text, settings.Verbs, settings.Allowed);
        if (verb is null)
        {
            return;
        }

        var kind = segment.Origin == RouteSegmentOrigin.Prefix ? PrefixKind : SegmentKind;
        report(Diagnostic.Create(Rule, segment.Location, Properties(kind, verb), segment.Text, verb));
    }

    private static ImmutableDictionary<string, string?> Properties(string kind, string verb)
        => ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind).Add(VerbProperty, verb);
}
