using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>BR0012: reports route segments that name a collection with a singular noun (<c>/user/{id}</c> instead of <c>/users/{id}</c>).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SingularCollectionNameAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.SingularCollectionName);

    /// <summary>Words added to the built-in list of words that never name a collection.</summary>
    internal static readonly ListOption AllowedWords = new(RuleIds.SingularCollectionName, "allowed_words", ImmutableArray<string>.Empty);

    /// <summary>
    /// Words that name one thing, a part of the API or a quality rather than a collection, even before an id: singletons
    /// (<c>me</c>, <c>profile</c>, <c>cart</c>), API machinery (<c>api</c>, <c>admin</c>), adjectives that select
    /// (<c>latest</c>, <c>public</c>).
    /// </summary>
    internal static readonly ImmutableHashSet<string> DefaultAllowedWords = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "health", "healthz", "status", "state", "search", "login", "logout", "signin", "signout", "signup", "register", "registration",
        "me", "self", "profile", "cart", "basket", "checkout", "settings", "setting", "configuration", "config", "preferences",
        "home", "index", "dashboard", "overview", "summary", "admin", "administration", "management", "manage", "system", "api",
        "rest", "graphql", "odata", "rpc", "grpc", "swagger", "openapi", "docs", "ws", "hub", "signalr", "public", "internal",
        "private", "external", "common", "shared", "global", "root", "current", "default", "latest", "recent", "all", "any",
        "none", "my", "mine", "own", "new", "old", "next", "previous", "first", "last", "top", "bottom", "popular", "trending",
        "featured", "available", "active", "inactive", "pending", "upcoming", "related", "similar", "nearby", "unread",
        "favorite", "favourite", "random", "id", "uuid", "guid", "lookup", "auth", "oauth", "oauth2", "openid", "authentication",
        "authorization", "identity", "security", "about", "help", "support", "contact", "legal", "terms", "info", "debug",
        "trace", "ping", "echo", "test", "demo", "sample", "web", "mobile", "desktop", "local", "remote", "cloud", "live",
        "livez", "ready", "readyz", "alive", "heartbeat", "uptime", "maintenance", "setup", "paging", "pagination", "count",
        "total", "sum", "locale", "culture", "raw", "body", "text", "html", "json", "xml", "csv", "pdf", "realtime", "redirect",
        "proxy", "gateway", "sandbox", "staging", "production", "dev", "swagger", "metrics", "version", "detail", "details",
        "identifier", "name", "code", "slug", "handle", "number", "email", "username", "phone", "external", "sso", "webauthn",
        "fido", "fido2", "mfa", "totp", "otp", "saml", "oidc", "ldap", "scim", "jwt", "two-factor");

    /// <summary>
    /// Collective nouns: one resource that holds items (<c>GET /feed</c>, <c>GET /users/{id}/library</c>). Not reported at the
    /// end of a GET that lists; before a member key (<c>queue/{queueId}</c>) they name a collection like any noun.
    /// </summary>
    internal static readonly ImmutableHashSet<string> CollectiveNouns = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "feed", "timeline", "inbox", "outbox", "queue", "log", "audit", "catalog", "catalogue", "menu", "library", "collection",
        "list", "batch", "bulk", "bundle", "calendar", "schedule", "agenda", "directory", "tree", "graph", "map", "sitemap",
        "report", "leaderboard", "ranking", "wishlist", "watchlist", "backlog", "archive", "gallery", "registry", "repository",
        "history", "page", "window", "range", "stream", "playlist", "album", "portfolio", "roster", "lineup", "manifest",
        "inventory", "stock", "chart", "table", "grid", "matrix", "sequence", "set", "group", "team", "family", "board", "wall",
        "chat", "thread", "conversation", "cluster", "pool", "cache", "autocomplete", "typeahead", "filter", "export",
        "download", "upload", "content", "tag", "cloud", "overview", "stat", "usage", "activity", "analysis", "result",
        "output", "response", "lookup", "suggest", "autosuggest", "journal", "ledger", "book", "diary", "digest", "trail",
        "changelog", "notification", "breadcrumb", "navigation", "nav", "sidebar", "footer", "header", "layout", "widget");

    /// <summary>Verbs that start action segments (<c>download/{id}</c>): BR0004's list and a few more; those segments are not collections.</summary>
    private static readonly ImmutableHashSet<string> Verbs = VerbInRouteAnalyzer.DefaultVerbs.Concat(new[]
    {
        "download", "upload", "stream", "play", "export", "import", "sync", "scan", "refresh", "reset", "approve", "cancel",
        "confirm", "verify", "validate", "publish", "unpublish", "restore", "render", "resolve", "check", "send", "notify",
        "subscribe", "unsubscribe", "follow", "unfollow", "like", "unlike", "share", "rate", "vote", "invite", "join", "leave",
        "lock", "unlock", "enable", "disable", "start", "stop", "pause", "resume", "restart", "retry", "move", "copy", "clone",
        "merge", "sort", "filter", "convert", "transform", "generate", "calculate", "compute", "evaluate", "analyze", "analyse",
        "install", "uninstall", "mark", "toggle", "assign", "unassign", "attach", "detach", "link", "unlink", "connect",
        "disconnect", "authorize", "authenticate", "revoke", "grant", "deny", "accept", "reject", "decline", "submit", "apply",
        "redeem", "claim", "transfer", "pay", "refund", "charge", "browse", "view", "watch", "listen", "open", "close", "show",
        "display", "load", "reload", "upsert", "search", "lookup", "exists", "is", "has", "can", "count", "test", "try", "send",
        "request", "register", "unregister", "activate", "deactivate", "archive", "unarchive", "block", "unblock", "ban", "unban",
        "mute", "unmute", "pin", "unpin", "star", "unstar", "bookmark", "print", "preview", "edit", "duplicate", "regenerate",
        "rotate", "renew", "extend", "close", "reopen", "resend", "forward", "reply", "report", "flag", "sign", "seal", "mint",
        "burn", "swap", "bump", "ping", "trigger", "dispatch", "enqueue", "dequeue", "schedule", "reschedule", "login", "logout",
    }).ToImmutableHashSet(StringComparer.Ordinal);

    private static readonly ImmutableHashSet<string> Prepositions = ImmutableHashSet.Create(
        StringComparer.Ordinal, "by", "for", "from", "of", "with", "without", "in", "on", "to", "at", "per", "via", "and", "or", "as", "into", "since", "until");

    /// <summary>The last word of a route parameter's name that says it identifies a member of the collection its other words name.</summary>
    private static readonly ImmutableHashSet<string> IdentifierWords = ImmutableHashSet.Create(
        StringComparer.Ordinal, "id", "ids", "guid", "uuid", "uid", "key", "slug", "code", "name", "handle", "number", "no", "identifier");

    /// <summary>Keys of a CMS page (as opposed to a page number of a paged list).</summary>
    private static readonly ImmutableHashSet<string> PageKeys = ImmutableHashSet.Create(StringComparer.Ordinal, "id", "ids", "guid", "uuid", "uid", "slug", "key", "identifier");

    /// <summary>Parameter names that identify a member of whatever collection is named before them.</summary>
    private static readonly ImmutableHashSet<string> BareKeys = ImmutableHashSet.Create(
        StringComparer.Ordinal, "id", "ids", "guid", "uuid", "uid", "key", "slug", "name", "identifier");

    /// <summary>-ing words that name an activity, not a countable thing (<c>booking</c>, <c>listing</c> are countable).</summary>
    private static readonly ImmutableHashSet<string> MassGerunds = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "billing", "shipping", "pricing", "tracking", "streaming", "hosting", "onboarding", "marketing", "accounting",
        "monitoring", "messaging", "networking", "scheduling", "processing", "provisioning", "licensing", "branding",
        "caching", "routing", "testing", "sharing", "banking", "logging", "reporting", "paging", "debugging", "tracing",
        "training", "matchmaking", "housekeeping", "bookkeeping", "staffing", "planning", "budgeting", "funding", "lending",
        "ordering", "pending", "trending", "upcoming", "incoming", "outgoing", "existing", "missing", "remaining", "running");

    internal const string KindProperty = "Kind";
    internal const string PluralProperty = "Plural";
    internal const string SegmentKind = "Segment";
    internal const string PrefixKind = "Prefix";
    internal const string ControllerTokenKind = "ControllerToken";

    private const string Title = "Name collections with plural nouns in routes";
    private const string Description = "A route segment that names a collection (the segment before an id, the path a GET lists or a POST adds to) reads as a plural noun: /users/{id}, /users/{id}/orders. A singular name (/user/{id}) mixes conventions across the API and makes clients guess.";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.SingularCollectionName,
        Title,
        messageFormat: "Route segment '{0}' names a collection with a singular noun; use the plural '{1}'",
        RuleCategories.Design,
        DiagnosticSeverity.Warning,
        Description);

    internal static readonly DiagnosticDescriptor ControllerTokenRule = RuleDescriptors.Create(
        RuleIds.SingularCollectionName,
        Title,
        messageFormat: "Route token '[controller]' names the collection '{0}' with a singular noun; use the plural '{1}'",
        RuleCategories.Design,
        DiagnosticSeverity.Warning,
        Description);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, ControllerTokenRule);

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

            var compilation = start.Compilation;
            var symbols = References.Once(() => PaginationSymbols.Create(compilation));
            if (model.HasControllers)
            {
                model.RegisterControllerAction(start, c => AnalyzeController(c, model, symbols));
            }

            if (model.MapsEndpoints)
            {
                // A MapGroup prefix is shared by the endpoints under it: report it once, from whichever endpoint shows it.
                var reported = new ConcurrentDictionary<(SyntaxTree, TextSpan), byte>();
                start.RegisterOperationAction(c => AnalyzeMapCall(c, model, symbols, reported), OperationKind.Invocation);
            }
        });
    }

    /// <summary>The allowed words in effect for one syntax tree.</summary>
    internal sealed class Settings
    {
        private Settings(ImmutableHashSet<string> allowed) => Allowed = allowed;

        public ImmutableHashSet<string> Allowed { get; }

        // Every template of a controller is read by the pre-check and again for its endpoints: a segment is judged once.
        private readonly ConcurrentDictionary<string, string?> _plurals = new(StringComparer.Ordinal);

        /// <summary><see cref="PluralOf(string, ImmutableHashSet{string})"/> with these allowed words, remembered per segment.</summary>
        public string? Plural(string segment)
            => _plurals.TryGetValue(segment, out var known) ? known : _plurals.GetOrAdd(segment, PluralOf(segment, Allowed));

        private static readonly OptionsCache<Settings> Cache = new(Parse);

        public static Settings Read(AnalyzerOptions options, SyntaxTree tree) => Cache.Get(options, tree);

        private static Settings Parse(AnalyzerConfigOptions config)
        {
            var extra = AllowedWords.Read(config).Select(w => w.Trim().ToLowerInvariant()).Where(w => w.Length > 0).ToList();
            return new Settings(extra.Count == 0 ? DefaultAllowedWords : DefaultAllowedWords.Union(extra));
        }
    }

    /// <summary>
    /// The plural to write for a literal segment that would name a collection, or null when the segment is not a singular
    /// noun: plurals, uncountable and allowed words, verbs, phrases with a preposition, versions, file names, custom methods.
    /// </summary>
    internal static string? PluralOf(string segment, ImmutableHashSet<string> allowed)
    {
        if (segment.Length < 3 || segment.IndexOf(':') >= 0 || allowed.Contains(segment.ToLowerInvariant()))
        {
            return null;
        }

        foreach (var c in segment)
        {
            if (!(char.IsLetter(c) && c < 128) && c != '-' && c != '_')
            {
                return null;
            }
        }

        var words = RouteWords.LowerWords(segment);
        if (words.Length == 0 || Verbs.Contains(words[0]) || words.Any(Prepositions.Contains) || allowed.Contains(string.Join("-", words)))
        {
            return null;
        }

        var last = words[words.Length - 1];
        if (last.Length < 3 || allowed.Contains(last) || Inflector.Uncountable.Contains(last) || Inflector.IsPlural(last)
            || last.EndsWith("ous", StringComparison.Ordinal)
            || (last.EndsWith("ed", StringComparison.Ordinal) && !last.EndsWith("eed", StringComparison.Ordinal))
            || MassGerunds.Contains(last)
            || !last.Any(c => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y'))
        {
            return null;
        }

        return Inflector.PluralizeSegment(segment);
    }

    /// <summary>
    /// Whether a parameter segment identifies one member of the collection <paramref name="collection"/> names: a bare key
    /// (<c>{id}</c>, <c>{key}</c>, <c>{slug}</c>, <c>{name}</c>), the noun's own key (<c>user/{userId}</c>,
    /// <c>order/{orderNumber}</c>), or the noun itself (<c>user/{user}</c>). A key of something else
    /// (<c>lightning/{cryptoCode}</c>, <c>crowdfund/{appId}</c>) says the segment qualifies another resource.
    /// </summary>
    internal static bool IsMemberKey(string parameterSegment, string collection)
    {
        var open = parameterSegment.IndexOf('{');
        if (open < 0)
        {
            return false;
        }

        var start = open + 1;
        while (start < parameterSegment.Length && parameterSegment[start] == '*')
        {
            start++;
        }

        var end = start;
        while (end < parameterSegment.Length && (char.IsLetterOrDigit(parameterSegment[end]) || parameterSegment[end] == '_'))
        {
            end++;
        }

        var name = parameterSegment.Substring(start, end - start);
        var words = RouteWords.LowerWords(name);
        if (words.Length == 0)
        {
            return false;
        }

        if (words.Length == 1 && BareKeys.Contains(words[0]))
        {
            return true;
        }

        var nounWords = RouteWords.LowerWords(collection);

        if (nounWords.Length == 0)
        {
            return false;
        }

        // "page/{pageNumber}", "page/{page}": a page of results by number; "page/{pageId}" and "page/{slug}" name CMS pages.
        if (nounWords[nounWords.Length - 1] == "page")
        {
            return PageKeys.Contains(words[words.Length - 1]);
        }

        var qualifier = IdentifierWords.Contains(words[words.Length - 1]) ? words.RemoveAt(words.Length - 1) : words;
        if (qualifier.Length == 0)
        {
            return false;
        }

        // "orderItem/{orderItemId}", "order-item/{itemId}", "user/{userId}", "user/{orgUserId}", "user/{user}".
        var joined = string.Concat(qualifier);
        return joined == string.Concat(nounWords) || qualifier[qualifier.Length - 1] == nounWords[nounWords.Length - 1];
    }

    private static void AnalyzeController(SymbolAnalysisContext context, EndpointModel model, Lazy<PaginationSymbols?> symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (context.IsGeneratedCode
            || !(model.IsController(type) || model.IsAbstractController(type))
            || !MayDeclareSingular(type, context.Options, context.CancellationToken))
        {
            return;
        }

        // Controllers with views serve pages (/product/details/5): URLs of a site, not the resource names of an API.
        if (model.IsViewController(type))
        {
            return;
        }

        var endpoints = model.GetDeclaredEndpoints(type, context.CancellationToken);
        var controllerName = EndpointModel.GetControllerName(type);
        var seen = new HashSet<(SyntaxTree, TextSpan)>();
        HashSet<string>? collections = null;

        // A route attribute of the team's own ([ApiV1] setting "api/v1/[controller]" in its constructor) hides the
        // controller route; when the controller's name is plural, that hidden route names the collection.
        var hiddenPluralPrefix = HasHiddenRoute(type) && RouteWords.LowerWords(controllerName) is { Length: > 0 } controllerWords
            && Inflector.IsPlural(controllerWords[controllerWords.Length - 1]);
        foreach (var endpoint in endpoints)
        {
            // An [Obsolete] action is an alias kept for old clients next to its successor.
            if (endpoint.HandlerMethod is { } handler && IsObsolete(handler))
            {
                continue;
            }

            var segments = endpoint.Segments;
            for (var i = 0; i < segments.Length; i++)
            {
                var segment = segments[i];
                if (segment.Location is not { IsInSource: true, SourceTree: { } tree } location || !segment.HasExactLocation || !Declares(type, location))
                {
                    continue;
                }

                var name = segment.Kind switch
                {
                    RouteSegmentKind.Literal => segment.Text,
                    RouteSegmentKind.Token when string.Equals(segment.Text, "[controller]", StringComparison.OrdinalIgnoreCase) => controllerName,
                    _ => null,
                };
                // The word test is remembered per segment text; most segments are plural already and need nothing else.
                if (name is null || Settings.Read(context.Options, tree).Plural(name) is not { } plural)
                {
                    continue;
                }

                var hidden = hiddenPluralPrefix && !segments.Any(s => s.Origin == RouteSegmentOrigin.Prefix);
                collections ??= CollectionPaths(endpoints, controllerName);
                if (!IsCollection(endpoint, i, name, collections, controllerName, symbols, hidden)
                    || seen.Contains((tree, location.SourceSpan)) || HasPluralTwin(endpoints, endpoint, i, plural, controllerName))
                {
                    continue;
                }

                seen.Add((tree, location.SourceSpan));

                Report(context.ReportDiagnostic, segment, name, plural);
            }
        }
    }

    /// <summary>
    /// Whether segment <paramref name="index"/> of the endpoint names a collection: it is followed by a parameter that
    /// identifies a member, or it ends a GET that returns a collection, or it ends a path that is a collection elsewhere
    /// (<c>POST order</c> beside <c>GET order/{id}</c>).
    /// </summary>
    private static bool IsCollection(Endpoint endpoint, int index, string name, HashSet<string>? collections, string? controllerName, Lazy<PaginationSymbols?> symbols, bool hiddenPluralPrefix = false)
    {
        var segments = endpoint.Segments;
        if (QualifiesCollection(segments, index, controllerName, hiddenPluralPrefix))
        {
            return false;
        }

        if (index + 1 < segments.Length)
        {
            var next = segments[index + 1];
            return next.Kind == RouteSegmentKind.Parameter && IsMemberKey(next.Text, name);
        }

        var methods = endpoint.HttpMethods;
        if (methods.Length != 1)
        {
            return false;
        }

        if (methods[0] == "GET" && endpoint.ResponseType is { } response && !IsCollective(name)
            && symbols.Value is { } collectionSymbols && collectionSymbols.ElementType(response) is { } element && NamesElement(name, element))
        {
            return true;
        }

        return methods[0] is "GET" or "POST" && collections is not null && collections.Contains(Normalize(segments, segments.Length, controllerName));
    }

    /// <summary>
    /// Whether the same handler also answers at the route with the plural: the singular one is an alias kept for
    /// existing clients (the fix's second action writes that), not a naming mistake.
    /// </summary>
    private static bool HasPluralTwin(ImmutableArray<Endpoint> endpoints, Endpoint endpoint, int index, string plural, string? controllerName)
    {
        var segments = endpoint.Segments;
        var prefix = index == 0 ? string.Empty : Normalize(segments, index, controllerName) + "/";
        var rest = index + 1 < segments.Length ? "/" + Normalize(segments.RemoveRange(0, index + 1), segments.Length - index - 1, controllerName) : string.Empty;
        var twin = prefix + plural.ToLowerInvariant() + rest;
        foreach (var other in endpoints)
        {
            if (!ReferenceEquals(other, endpoint) && SymbolEqualityComparer.Default.Equals(other.HandlerMethod, endpoint.HandlerMethod)
                && Normalize(other.Segments, other.Segments.Length, controllerName) == twin)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] TypeSuffixes = { "ViewModel", "Dto", "DTO", "Model", "Response", "Resource", "Entity", "Record", "Summary", "Info", "Details", "Detail", "Data", "Result" };

    /// <summary>
    /// Whether the segment names the listed element type (<c>customer</c> for <c>List&lt;CustomerDto&gt;</c>,
    /// <c>order-line</c> or <c>line</c> for <c>OrderLine</c>): a GET of a list whose segment names something else
    /// (<c>jump-bar</c>, <c>day-breakdown</c>, <c>myself</c>) is a view over it, not the collection's name.
    /// </summary>
    private static bool NamesElement(string segment, ITypeSymbol element)
    {
        var typeName = element.Name;
        foreach (var suffix in TypeSuffixes)
        {
            if (typeName.Length > suffix.Length && typeName.EndsWith(suffix, StringComparison.Ordinal))
            {
                typeName = typeName.Substring(0, typeName.Length - suffix.Length);
                break;
            }
        }

        var typeWords = RouteWords.LowerWords(typeName);
        var segmentWords = RouteWords.LowerWords(segment);
        if (typeWords.Length == 0 || segmentWords.Length == 0)
        {
            return false;
        }

        return string.Concat(typeWords) == string.Concat(segmentWords)
            || (segmentWords.Length == 1 && typeWords[typeWords.Length - 1] == segmentWords[0]);
    }

    private static bool IsCollective(string name)
    {
        var words = RouteWords.Words(name);
        return words.Length > 0 && CollectiveNouns.Contains(words[words.Length - 1].ToLowerInvariant());
    }

    /// <summary>
    /// Whether the segment sits in a path that filters or qualifies a collection named before it: the nearest plural
    /// literal before it is followed by another literal, not by a member key (<c>items/type/{typeId}/brand/{brandId}</c>,
    /// <c>apps/crowdfund/{appId}</c>, <c>licenses/user/{id}</c>). Such segments are dimensions of that collection.
    /// </summary>
    private static bool QualifiesCollection(ImmutableArray<RouteSegment> segments, int index, string? controllerName, bool hiddenPluralPrefix)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            var text = segments[i].Kind switch
            {
                RouteSegmentKind.Literal => segments[i].Text,
                RouteSegmentKind.Token when controllerName is not null => segments[i].Text.Replace("[controller]", controllerName),
                _ => null,
            };
            if (text is null)
            {
                continue;
            }

            var words = RouteWords.Words(text);
            if (words.Length > 0 && Inflector.IsPlural(words[words.Length - 1].ToLowerInvariant()))
            {
                return segments[i + 1].Kind != RouteSegmentKind.Parameter;
            }
        }

        return hiddenPluralPrefix && segments.Length > 0 && segments[0].Kind != RouteSegmentKind.Parameter;
    }

    /// <summary>A class-level route attribute (own or inherited) that is not [Route] itself: its template is set where the rule cannot read it.</summary>
    private static bool HasHiddenRoute(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is not { } attributeClass || attributeClass.Name == "RouteAttribute")
            {
                continue;
            }

            if (attributeClass.AllInterfaces.Any(i => i.Name == "IRouteTemplateProvider" && i.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Mvc.Routing"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The paths (normalized) of the segments that some endpoint follows with a member key: the collections of these endpoints.</summary>
    private static HashSet<string> CollectionPaths(ImmutableArray<Endpoint> endpoints, string? controllerName)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            var segments = endpoint.Segments;
            for (var i = 0; i + 1 < segments.Length; i++)
            {
                var noun = segments[i].Kind == RouteSegmentKind.Token && controllerName is not null
                    ? segments[i].Text.Replace("[controller]", controllerName)
                    : segments[i].Text;
                if (segments[i].Kind != RouteSegmentKind.Parameter && segments[i + 1].Kind == RouteSegmentKind.Parameter && IsMemberKey(segments[i + 1].Text, noun))
                {
                    paths.Add(Normalize(segments, i + 1, controllerName));
                }
            }
        }

        return paths;
    }

    /// <summary>The first <paramref name="count"/> segments as the router compares them: case-insensitive, parameters alike.</summary>
    internal static string Normalize(ImmutableArray<RouteSegment> segments, int count, string? controllerName)
    {
        var parts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var segment = segments[i];
            parts[i] = segment.Kind switch
            {
                RouteSegmentKind.Parameter => "{}",
                RouteSegmentKind.Token when controllerName is not null => segment.Text.Replace("[controller]", controllerName).ToLowerInvariant(),
                _ => segment.Text.ToLowerInvariant(),
            };
        }

        return string.Join("/", parts);
    }

    private static bool IsObsolete(IMethodSymbol method)
        => method.GetAttributes().Any(a => a.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } });

    /// <summary>
    /// A syntax-only pre-check (see <see cref="RouteAttributeLiterals"/>): a type whose attribute literals hold no
    /// singular noun and no [controller] token has nothing to report.
    /// </summary>
    private static bool MayDeclareSingular(INamedTypeSymbol type, AnalyzerOptions options, CancellationToken cancellationToken)
        => RouteAttributeLiterals.Any(type, tree => MayBeSingularTemplate(Settings.Read(options, tree)), cancellationToken);

    private static System.Func<string, bool> MayBeSingularTemplate(Settings settings) => template =>
    {
        foreach (var (segment, _, kind) in RouteTemplate.Split(template, mvcTokens: true))
        {
            if (kind == RouteSegmentKind.Token ? segment.IndexOf("[controller]", StringComparison.OrdinalIgnoreCase) >= 0
                : kind == RouteSegmentKind.Literal && settings.Plural(segment) is not null)
            {
                return true;
            }
        }

        return false;
    };

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

    private static void AnalyzeMapCall(OperationAnalysisContext context, EndpointModel model, Lazy<PaginationSymbols?> symbols, ConcurrentDictionary<(SyntaxTree, TextSpan), byte> reported)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (context.IsGeneratedCode || !model.IsMapMethod(invocation.TargetMethod)
            || !model.TryGetMinimalEndpoint(invocation, out var endpoint) || endpoint is null)
        {
            return;
        }

        HashSet<string>? collections = null;
        var segments = endpoint.Segments;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Kind != RouteSegmentKind.Literal || segment.Location is not { IsInSource: true, SourceTree: { } tree } location || !segment.HasExactLocation
                || Settings.Read(context.Options, tree).Plural(segment.Text) is not { } plural)
            {
                continue;
            }

            if (i == segments.Length - 1 && collections is null && endpoint.HttpMethods is { Length: 1 } methods && methods[0] is "GET" or "POST")
            {
                collections = CollectionPaths(model.GetMinimalEndpointsInBody(invocation, context.CancellationToken), null);
            }

            if (IsCollection(endpoint, i, segment.Text, collections, null, symbols) && reported.TryAdd((tree, location.SourceSpan), 0))
            {
                Report(context.ReportDiagnostic, segment, segment.Text, plural);
            }
        }
    }

    private static void Report(Action<Diagnostic> report, RouteSegment segment, string name, string plural)
    {
        if (segment.Kind == RouteSegmentKind.Token)
        {
            report(Diagnostic.Create(ControllerTokenRule, segment.Location, Properties(ControllerTokenKind, plural), name, plural));
            return;
        }

        var kind = segment.Origin == RouteSegmentOrigin.Prefix ? PrefixKind : SegmentKind;
        report(Diagnostic.Create(Rule, segment.Location, Properties(kind, plural), segment.Text, plural));
    }

    private static ImmutableDictionary<string, string?> Properties(string kind, string plural)
        => ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind).Add(PluralProperty, plural);
}
