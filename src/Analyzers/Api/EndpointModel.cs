using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>
/// The application's endpoints, built per type or per call as analysis asks for them (no whole-program pass).
/// Create once per compilation (compilation-start action); null when ASP.NET Core is not referenced.
/// Controller results are cached per type and action; minimal API lookups index each body once.
/// </summary>
internal sealed class EndpointModel
{
    /// <summary>The HTTP method of a MapX method name (empty for MapMethods); null for other names. Asked of every invocation.</summary>
    private static string? MapMethodOf(string name) => name switch
    {
        "MapGet" => "GET",
        "MapPost" => "POST",
        "MapPut" => "PUT",
        "MapPatch" => "PATCH",
        "MapDelete" => "DELETE",
        "MapMethods" => string.Empty,
        _ => null,
    };

    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<Endpoint>> _controllers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<Endpoint>> _actions = new(SymbolEqualityComparer.Default);
    private readonly ConditionalWeakTable<IOperation, BodyIndex> _bodies = new();

    // Every method of every type asks "is my type a controller?" (BR0005 looks at method bodies): answer it once per
    // class, abstract or not (IsMarkedController does not depend on it).
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _markedControllers = new(SymbolEqualityComparer.Default);

    // Handlers of a backend return a few dozen distinct types: unwrap each once.
    private readonly ConcurrentDictionary<ITypeSymbol, ITypeSymbol?> _responses = new(SymbolEqualityComparer.IncludeNullability);

    // Every action of a controller combines with the same [Route] prefixes: read them once per controller.
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<RouteInfo>> _prefixes = new(SymbolEqualityComparer.Default);

    // A Map call is read by both rules (and again for its siblings): keyed by its syntax, which both see.
    private readonly ConcurrentDictionary<SyntaxNode, Endpoint?> _minimalEndpoints = new();

    private readonly Lazy<Symbols> _lazySymbols;

    // The model is created at compilation start; its types are looked up on first use (see References).
    private Symbols _symbols => _lazySymbols.Value;

    private readonly Lazy<bool> _mapsEndpoints;

    private EndpointModel(Compilation compilation, bool controllers, bool minimalApis)
    {
        _lazySymbols = References.Once(() => new Symbols(WellKnownTypes.Of(compilation)));
        _mapsEndpoints = References.Once(() => minimalApis && NamesMapMethod(compilation));
        HasControllers = controllers;
        HasMinimalApis = minimalApis;
    }

    private static readonly string[] MapSuffixes = { "Get", "Post", "Put", "Patch", "Delete", "Methods", "Group" };

    private static readonly string MapSearchKey = TextSearch.PrefixedKey("Map", MapSuffixes);

    private static bool NamesMapMethod(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (TextSearch.FileMentionsPrefixed(tree, MapSearchKey, "Map", MapSuffixes))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly ConditionalWeakTable<Compilation, Holder> Shared = new();

    /// <summary>
    /// Runs <paramref name="action"/> for every controller type (and abstract base controller) at the end of the type,
    /// once the compiler has completed its members: their attributes are bound by then, so reading the actions binds
    /// nothing ahead of the compiler. At the type's own declaration they are not, and the first rule to read a
    /// controller's actions paid for binding every one of their attributes.
    /// </summary>
    public void RegisterControllerAction(CompilationStartAnalysisContext start, Action<SymbolAnalysisContext> action)
        => start.RegisterSymbolStartAction(
            typeStart =>
            {
                if (typeStart.Symbol is INamedTypeSymbol type && (IsController(type) || IsAbstractController(type)))
                {
                    typeStart.RegisterSymbolEndAction(action);
                }
            },
            SymbolKind.NamedType);

    /// <summary>
    /// The model of a compilation, shared by every rule that needs endpoints (BR0004 and BR0005 analyze the same
    /// controllers: the actions are read once). Null when neither MVC controllers nor minimal APIs are available.
    /// </summary>
    public static EndpointModel? For(Compilation compilation)
        => Shared.GetValue(compilation, c => new Holder(Create(c))).Model;

    /// <summary>A model of its own (the code fixes, which see a different compilation per document edit).</summary>
    public static EndpointModel? Create(Compilation compilation)
    {
        // Read from the reference list (MVC's controllers, routing's Map methods): nothing is bound at start.
        var controllers = References.Contains(compilation, "Microsoft.AspNetCore.Mvc.Core");
        var minimalApis = References.Contains(compilation, "Microsoft.AspNetCore.Routing");
        return controllers || minimalApis ? new EndpointModel(compilation, controllers, minimalApis) : null;
    }

    /// <summary>Whether controllers (MVC) are available in the compilation.</summary>
    public bool HasControllers { get; }

    /// <summary>Whether minimal APIs (endpoint route builder extensions) are available in the compilation.</summary>
    public bool HasMinimalApis { get; }

    /// <summary>
    /// Whether the compilation may declare minimal API endpoints: the route builder extensions are available and some
    /// file names one of their Map methods (MapGet ... MapMethods, MapGroup). A call always names its method in the
    /// text, so a compilation whose files name none (most MVC applications) has no Map call for the rules to read:
    /// they register no invocation action there, instead of being called for every invocation of the compilation.
    /// Read once per compilation, by whichever rule asks first.
    /// </summary>
    public bool MapsEndpoints => _mapsEndpoints.Value;

    // ---- controllers ------------------------------------------------------------------------------------------

    /// <summary>
    /// Derives from ControllerBase or carries [ApiController]/[Controller] (own or inherited), not [NonController]
    /// (own or inherited); like MVC, only public, top-level, non-abstract, non-generic classes.
    /// </summary>
    public bool IsController(INamedTypeSymbol type)
        => !type.IsAbstract && MayBeControllerType(type) && IsMarked(type);

    /// <summary>An abstract class that would be a controller if it were concrete: its routes and actions reach its derived controllers.</summary>
    public bool IsAbstractController(INamedTypeSymbol type)
        => type.IsAbstract && MayBeControllerType(type) && IsMarked(type);

    private bool IsMarked(INamedTypeSymbol type)
        => _markedControllers.TryGetValue(type, out var known) ? known : _markedControllers.GetOrAdd(type, IsMarkedController);

    /// <summary>
    /// A public, top-level, non-static, non-generic class whose base chain or attributes name a controller. Most types
    /// of a backend (entities, DTOs, services, repositories) are answered here, from the symbol and names alone: no
    /// cache entry, no attribute bound, and a compilation without controllers never looks up the MVC types.
    /// </summary>
    private bool MayBeControllerType(INamedTypeSymbol type)
        => type.TypeKind == TypeKind.Class && !type.IsStatic && type.DeclaredAccessibility == Accessibility.Public
           && type.ContainingType is null && !type.IsGenericType && MayBeController(type);

    /// <summary>
    /// The endpoints of a controller, or of an abstract base controller as if it were one (its own [Route] and
    /// actions); empty for other types. Lets a rule report a route where it is declared, once.
    /// </summary>
    public ImmutableArray<Endpoint> GetDeclaredEndpoints(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (IsController(type))
        {
            return GetControllerEndpoints(type, cancellationToken);
        }

        return IsAbstractController(type)
            ? _controllers.GetOrAdd(type, t => Actions(t).SelectMany(a => Build(t, a)).ToImmutableArray())
            : ImmutableArray<Endpoint>.Empty;
    }

    /// <summary>
    /// A controller that serves HTML pages and forms rather than an HTTP API: it derives from <c>Controller</c>, is
    /// not marked [ApiController] (on it, a base class or the assembly), and its actions (its own or those of its base
    /// classes in source) render views or send the browser on (<c>View</c>, <c>PartialView</c>, <c>ViewComponent</c>,
    /// <c>Redirect</c>, <c>RedirectToAction</c>, <c>RedirectToPage</c>, <c>LocalRedirect</c>, or a view or redirect result type). Many JSON
    /// APIs derive from <c>Controller</c> without [ApiController]: what the actions return decides, not the base class.
    /// </summary>
    public bool IsViewController(INamedTypeSymbol type)
        => _symbols.ViewController is not null && (_viewControllers.TryGetValue(type, out var known) ? known : _viewControllers.GetOrAdd(type, ComputeIsViewController));

    // Asked for every action of a controller: the assembly's and the base chain's attributes are read once per type.
    private bool ComputeIsViewController(INamedTypeSymbol type) => MayServeViews(type) && RendersOrRedirects(type);

    /// <summary>
    /// Whether the type derives from <c>Controller</c> (views, redirects) and is not marked [ApiController] on it, a base
    /// class or the assembly: what its actions (or those of its derived classes) return decides whether it serves pages.
    /// </summary>
    public bool MayServeViews(INamedTypeSymbol type)
    {
        if (_symbols.ViewController is null || !IsOrDerives(type, _symbols.ViewController))
        {
            return false;
        }

        if (type.ContainingAssembly.GetAttributes().Any(a => IsOrDerives(a.AttributeClass, _symbols.ApiController)))
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (HasAttribute(current, _symbols.ApiController))
            {
                return false;
            }
        }

        return true;
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _viewControllers = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Whether the type (or a base class in source) renders a view or sends the browser on, whatever its base class and
    /// attributes say: a page flow even under [ApiController] (a cookie set and a redirect back to the site).
    /// </summary>
    public bool RendersOrRedirects(INamedTypeSymbol type) => _rendersOrRedirects.TryGetValue(type, out var known) ? known : _rendersOrRedirects.GetOrAdd(type, ServesViews);

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _rendersOrRedirects = new(SymbolEqualityComparer.Default);

    /// <summary>Whether the type or a base class declared in source renders a view or redirects the browser (syntax only).</summary>
    private bool ServesViews(INamedTypeSymbol type)
    {
        for (var current = type; current is not null && !Same(current.OriginalDefinition, _symbols.ViewController); current = current.BaseType)
        {
            foreach (var reference in current.DeclaringSyntaxReferences)
            {
                // Most API controllers never mention a view or a redirect: the text says so without a walk. Where it
                // does, only the names at those places are looked at (a RedirectUrl property is no redirect).
                var text = reference.SyntaxTree.GetText();
                if (!TextSearch.ContainsAny(text, reference.Span, ViewWords))
                {
                    continue;
                }

                var root = reference.SyntaxTree.GetRoot();
                foreach (var word in ViewNames)
                {
                    foreach (var position in TextSearch.Positions(text, reference.Span, word))
                    {
                        if (root.FindToken(position).Parent is { } name && IsViewOrRedirect(name))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private static readonly string[] ViewWords = { "View(", "ViewResult", "ViewComponent", "Redirect" };

    // Where a view call or result type can start: every name below begins with one of these.
    private static readonly string[] ViewNames = { "View", "PartialView", "Redirect", "LocalRedirect" };

    /// <summary>A name that calls a view or redirect helper, or names a view or redirect result type.</summary>
    private static bool IsViewOrRedirect(SyntaxNode name)
    {
        if (name is IdentifierNameSyntax { Identifier.ValueText: "ViewResult" or "PartialViewResult" or "ViewComponentResult" or "RedirectResult" or "RedirectToActionResult" or "RedirectToRouteResult" or "RedirectToPageResult" or "LocalRedirectResult" })
        {
            return true;
        }

        if (name is not SimpleNameSyntax)
        {
            return false;
        }

        // View(...), this.View(...), base.Redirect(...): the name is the invoked expression or its member name.
        var invoked = name.Parent is MemberAccessExpressionSyntax member && member.Name == name ? member : (SyntaxNode)name;
        return invoked.Parent is InvocationExpressionSyntax invocation && invocation.Expression == invoked && ViewCall(invocation.Expression);
    }

    private static bool ViewCall(ExpressionSyntax expression)
    {
        var name = expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            GenericNameSyntax generic => generic.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax } member => member.Name.Identifier.ValueText,
            _ => null,
        };
        return name is "View" or "PartialView" or "ViewComponent" or "Redirect" or "RedirectPermanent" or "RedirectToAction" or "RedirectToPage" or "LocalRedirect";
    }

    /// <summary>Derives from ControllerBase or carries [ApiController]/[Controller], and not [NonController] (own or inherited).</summary>
    private bool IsMarkedController(INamedTypeSymbol type)
    {
        var marked = false;
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Same(current.OriginalDefinition, _symbols.ControllerBase))
            {
                marked = true;
            }

            foreach (var attribute in current.GetAttributes())
            {
                var attributeType = attribute.AttributeClass;
                if (IsOrDerives(attributeType, _symbols.NonController))
                {
                    return false;
                }

                if (IsOrDerives(attributeType, _symbols.ApiController) || IsOrDerives(attributeType, _symbols.Controller))
                {
                    marked = true;
                }
            }
        }

        return marked;
    }

    /// <summary>
    /// Whether the type could be a controller, read from names only: a class in its base chain is named
    /// <c>ControllerBase</c>, or carries an attribute whose name mentions <c>Controller</c> (<c>[ApiController]</c>,
    /// <c>[Controller]</c>, <c>[NonController]</c>, a team's own attribute deriving from them).
    /// </summary>
    private bool MayBeController(INamedTypeSymbol type)
    {
        // Every class of a compilation asks, and most share their base classes (a package's base entity, Exception):
        // each base chain is read once.
        if (type.SpecialType == SpecialType.System_Object)
        {
            return false;
        }

        type = type.OriginalDefinition;
        if (_mayBeControllers.TryGetValue(type, out var known))
        {
            return known;
        }

        var may = type.Name == "ControllerBase" || NamesControllerAttribute(type) || (type.BaseType is { } baseType && MayBeController(baseType));
        _mayBeControllers.TryAdd(type, may);
        return may;
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _mayBeControllers = new(SymbolEqualityComparer.Default);

    private static bool NamesControllerAttribute(INamedTypeSymbol type)
    {
        if (type.DeclaringSyntaxReferences.IsEmpty)
        {
            return type.GetAttributes().Any(a => a.AttributeClass?.Name.IndexOf("Controller", StringComparison.Ordinal) >= 0);
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax declaration)
            {
                return true;
            }

            foreach (var list in declaration.AttributeLists)
            {
                foreach (var attribute in list.Attributes)
                {
                    var name = attribute.Name switch
                    {
                        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
                        SimpleNameSyntax simple => simple.Identifier.ValueText,
                        _ => "Controller",
                    };
                    if (name.IndexOf("Controller", StringComparison.Ordinal) >= 0)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Every endpoint of a controller's actions (one per route template and action), in declaration order.</summary>
    public ImmutableArray<Endpoint> GetControllerEndpoints(INamedTypeSymbol controller, CancellationToken cancellationToken)
    {
        if (!IsController(controller))
        {
            return ImmutableArray<Endpoint>.Empty;
        }

        return _controllers.GetOrAdd(controller, type =>
        {
            var builder = ImmutableArray.CreateBuilder<Endpoint>();
            foreach (var action in Actions(type))
            {
                cancellationToken.ThrowIfCancellationRequested();

                // An action declared on the controller itself is the one GetActionEndpoints builds: build it once.
                builder.AddRange(SymbolEqualityComparer.Default.Equals(action.ContainingType, type)
                    ? _actions.GetOrAdd(action, m => Build(type, m))
                    : Build(type, action));
            }

            return builder.ToImmutable();
        });
    }

    /// <summary>The public actions of a controller: its own and those inherited from base classes in source, most derived first.</summary>
    public IEnumerable<IMethodSymbol> Actions(INamedTypeSymbol controller)
    {
        var overridden = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        for (var current = controller; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            // MVC's own base classes carry only [NonAction] members; bases from other assemblies are not followed.
            if (!SymbolEqualityComparer.Default.Equals(current, controller) && !current.Locations.Any(l => l.IsInSource))
            {
                yield break;
            }

            foreach (var member in current.GetMembers())
            {
                if (member is IMethodSymbol method && !overridden.Contains(method.OriginalDefinition) && IsActionCandidate(method))
                {
                    if (method.OverriddenMethod is { } baseMethod)
                    {
                        overridden.Add(baseMethod.OriginalDefinition);
                    }

                    yield return method;
                }
            }
        }
    }

    /// <summary>Public, ordinary, instance, not abstract or generic, not Dispose(), not [NonAction]: an action when its type is a controller.</summary>
    public bool IsActionCandidate(IMethodSymbol method)
        => method.MethodKind == MethodKind.Ordinary
           && method.DeclaredAccessibility == Accessibility.Public
           && !method.IsStatic
           && !method.IsAbstract
           && !method.IsGenericMethod
           && !(method.Name == "Dispose" && method.Parameters.Length == 0)
           && !HasAttribute(method, _symbols.NonAction);

    /// <summary>Whether the method is an action of a controller (public, not [NonAction], on a controller type).</summary>
    public bool IsAction(IMethodSymbol method)
        => method.ContainingType is { } type && IsActionCandidate(method) && IsController(type);

    /// <summary>The endpoints of one action (several when it has several route attributes); empty when it is not an action.</summary>
    public ImmutableArray<Endpoint> GetActionEndpoints(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (!IsAction(method))
        {
            return ImmutableArray<Endpoint>.Empty;
        }

        return _actions.GetOrAdd(method, m => Build(m.ContainingType, m));
    }

    /// <summary>
    /// Whether an action declares one of the two HTTP methods in its own attributes (an override may take its base's,
    /// so it may serve anything): a cheap pre-check before building endpoints for rules about one method.
    /// </summary>
    public bool MayServeAny(IMethodSymbol action, string first, string second)
    {
        if (action.IsOverride)
        {
            return true;
        }

        foreach (var attribute in action.GetAttributes())
        {
            if (HttpMethodsOf(attribute) is { } methods && (methods.Contains(first) || methods.Contains(second)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether an action serves GET: some endpoint it declares accepts GET or any method. The answer
    /// <see cref="GetActionEndpoints"/> would give (MVC's selector rules, see <see cref="Selectors"/>), read from the
    /// bound attributes without building endpoints (BR0005 asks it of every action).
    /// </summary>
    public bool ServesGet(IMethodSymbol action)
    {
        var routes = 0;
        var routeWithoutMethods = false;
        var silent = false;
        var silentAny = true; // the silent methods combined: none, or only empty lists, accept any method
        var silentGet = false;
        foreach (var attribute in action.GetAttributes())
        {
            var methods = HttpMethodsOf(attribute);
            if (methods is null && !IsOrDerives(attribute.AttributeClass, _symbols.Route))
            {
                continue;
            }

            if (HasTemplate(attribute))
            {
                routes++;
                if (methods is not { } own)
                {
                    routeWithoutMethods = true;
                }
                else if (own.IsEmpty || own.Contains("GET"))
                {
                    return true;
                }
            }
            else if (methods is { } silentMethods)
            {
                silent = true;
                silentAny &= silentMethods.IsEmpty;
                silentGet |= silentMethods.Contains("GET");
            }
        }

        var combinedServesGet = silentAny || silentGet;
        var combinedSelector = routes == 0 || (silent && !routeWithoutMethods);
        return (routeWithoutMethods || combinedSelector) && combinedServesGet;
    }

    /// <summary>The action name MVC uses for [action]: [ActionName] or the method name without an "Async" suffix.</summary>
    public string GetActionName(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (IsOrDerives(attribute.AttributeClass, _symbols.ActionName) && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
            {
                return name;
            }
        }

        return method.Name.EndsWith("Async", StringComparison.Ordinal) && method.Name.Length > 5 ? method.Name.Substring(0, method.Name.Length - 5) : method.Name;
    }

    /// <summary>The controller name MVC uses for [controller]: the class name without a "Controller" suffix.</summary>
    public static string GetControllerName(INamedTypeSymbol controller)
        => controller.Name.EndsWith("Controller", StringComparison.Ordinal) && controller.Name.Length > 10 ? controller.Name.Substring(0, controller.Name.Length - 10) : controller.Name;

    private ImmutableArray<Endpoint> Build(INamedTypeSymbol controller, IMethodSymbol action)
    {
        var prefixes = _prefixes.GetOrAdd(controller, ControllerRoutes);

        var selectors = Selectors(action);
        var response = UnwrapResponse(action.ReturnType);
        var builder = ImmutableArray.CreateBuilder<Endpoint>();
        foreach (var selector in selectors)
        {
            var methods = selector.Methods;
            var methodAttribute = selector.MethodAttribute;
            Func<Location> methodLocation = () => methodAttribute?.ApplicationSyntaxReference?.GetSyntax().GetLocation()
                ?? action.Locations.FirstOrDefault() ?? Location.None;
            var own = selector.Route;
            if (own is { } ownRoute && (RouteTemplate.IsOverride(ownRoute.Template) || prefixes.IsEmpty))
            {
                builder.Add(Create(null, ownRoute));
            }
            else if (!prefixes.IsEmpty)
            {
                foreach (var prefix in prefixes)
                {
                    builder.Add(Create(prefix, own));
                }
            }
            else
            {
                // Conventionally routed (no attribute route anywhere): the template is not known from the code.
                builder.Add(Create(null, null));
            }

            Endpoint Create(RouteInfo? prefix, RouteInfo? route)
                => new(
                    EndpointKind.ControllerAction,
                    methods,
                    prefix is null ? NoPieces : () => ImmutableArray.Create(prefix.Piece(RouteSegmentOrigin.Prefix)),
                    route is null ? NoPieces : () => ImmutableArray.Create(route.Piece(RouteSegmentOrigin.Endpoint)),
                    mvcTokens: true,
                    action,
                    handlerLambda: null,
                    action.Parameters,
                    action.ReturnType,
                    response,
                    methodLocation,
                    mapCall: null);
        }

        return builder.ToImmutable();
    }

    /// <summary>Controller routes: [Route] on the class or a base class (Route is inherited and may repeat).</summary>
    private ImmutableArray<RouteInfo> ControllerRoutes(INamedTypeSymbol controller)
    {
        var prefixes = ImmutableArray.CreateBuilder<RouteInfo>();
        for (var current = controller; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var attribute in current.GetAttributes())
            {
                if (IsOrDerives(attribute.AttributeClass, _symbols.Route) && ReadRoute(attribute) is { } route)
                {
                    prefixes.Add(route);
                }
            }
        }

        return prefixes.ToImmutable();
    }

    private static readonly Func<ImmutableArray<TemplatePiece>> NoPieces = () => ImmutableArray<TemplatePiece>.Empty;

    /// <summary>A route template read from an attribute; the argument it was written in is found when segments are asked for.</summary>
    private sealed class RouteInfo
    {
        private readonly AttributeData _attribute;
        private readonly int _ordinal;
        private readonly string _name;

        /// <param name="ordinal">The constructor parameter's position, or -1 for the named argument <paramref name="name"/>.</param>
        public RouteInfo(string template, AttributeData attribute, int ordinal, string name)
        {
            Template = template;
            _attribute = attribute;
            _ordinal = ordinal;
            _name = name;
        }

        public string Template { get; }

        public TemplatePiece Piece(RouteSegmentOrigin origin) => new(Template, Syntax(), null, origin);

        private SyntaxNode? Syntax()
        {
            var syntax = _attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
            return _ordinal >= 0
                ? ArgumentSyntax(syntax, _ordinal, _name)
                : syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == _name)?.Expression;
        }
    }

    private sealed class Selector
    {
        public Selector(RouteInfo? route, ImmutableArray<string> methods, AttributeData? methodAttribute)
        {
            Route = route;
            Methods = methods;
            MethodAttribute = methodAttribute;
        }

        public RouteInfo? Route { get; }
        public ImmutableArray<string> Methods { get; }
        public AttributeData? MethodAttribute { get; }
    }

    /// <summary>
    /// MVC's selector rules: each attribute with a template is its own route; [HttpX] and [AcceptVerbs] without a
    /// template lend their methods to plain [Route]s (or form a template-less selector when there is no [Route]).
    /// </summary>
    private List<Selector> Selectors(IMethodSymbol action)
    {
        var routes = new List<(AttributeData Attribute, RouteInfo Route, ImmutableArray<string>? Methods)>();
        var silentMethods = new List<(AttributeData Attribute, ImmutableArray<string> Methods)>();
        foreach (var attribute in action.GetAttributes())
        {
            var type = attribute.AttributeClass;
            var methods = HttpMethodsOf(attribute);
            var isRoute = IsOrDerives(type, _symbols.Route);
            if (!isRoute && methods is null)
            {
                continue;
            }

            var route = ReadRoute(attribute);
            if (route is not null)
            {
                routes.Add((attribute, route, methods));
            }
            else if (methods is { } silent)
            {
                silentMethods.Add((attribute, silent));
            }
        }

        var result = new List<Selector>();
        var combined = silentMethods.Count switch
        {
            0 => ImmutableArray<string>.Empty,
            1 => silentMethods[0].Methods,
            _ => silentMethods.SelectMany(s => s.Methods).Distinct(StringComparer.Ordinal).ToImmutableArray(),
        };
        var firstSilent = silentMethods.Count > 0 ? silentMethods[0].Attribute : null;
        foreach (var (attribute, route, methods) in routes)
        {
            result.Add(methods is { } own ? new Selector(route, own, attribute) : new Selector(route, combined, firstSilent));
        }

        if (routes.Count == 0 || (silentMethods.Count > 0 && routes.All(r => r.Methods is not null)))
        {
            result.Add(new Selector(null, combined, firstSilent));
        }

        return result;
    }

    /// <summary>The methods of [HttpGet]...[HttpOptions] and [AcceptVerbs]; null for other attributes.</summary>
    private ImmutableArray<string>? HttpMethodsOf(AttributeData attribute)
    {
        var type = attribute.AttributeClass;
        if (type is null)
        {
            return null;
        }

        // Every attribute of every action is asked: what its class says is answered once per class. Only [AcceptVerbs]
        // (and classes deriving from it) read their arguments.
        var byClass = _httpMethodsByClass.TryGetValue(type, out var known) ? known : _httpMethodsByClass.GetOrAdd(type, HttpMethodsOfClass);
        if (!byClass.ReadsArguments)
        {
            return byClass.Methods;
        }

        var methods = ImmutableArray.CreateBuilder<string>();
        foreach (var argument in attribute.ConstructorArguments)
        {
            if (argument.Kind == TypedConstantKind.Array)
            {
                methods.AddRange(argument.Values.Select(v => v.Value).OfType<string>().Select(m => m.ToUpperInvariant()));
            }
            else if (argument.Value is string method)
            {
                methods.Add(method.ToUpperInvariant());
            }
        }

        return methods.Distinct(StringComparer.Ordinal).ToImmutableArray();
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, AttributeMethods> _httpMethodsByClass = new(SymbolEqualityComparer.Default);

    private AttributeMethods HttpMethodsOfClass(INamedTypeSymbol type)
    {
        if (IsOrDerives(type, _symbols.AcceptVerbs))
        {
            return AttributeMethods.FromArguments;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (_symbols.HttpAttributes.TryGetValue(current.OriginalDefinition, out var method))
            {
                return new AttributeMethods(ImmutableArray.Create(method), readsArguments: false);
            }
        }

        return AttributeMethods.None;
    }

    /// <summary>The HTTP methods an attribute class names (<c>[HttpPost]</c>: POST), or that its arguments name.</summary>
    private sealed class AttributeMethods
    {
        public static readonly AttributeMethods None = new(null, readsArguments: false);
        public static readonly AttributeMethods FromArguments = new(null, readsArguments: true);

        public AttributeMethods(ImmutableArray<string>? methods, bool readsArguments)
        {
            Methods = methods;
            ReadsArguments = readsArguments;
        }

        public ImmutableArray<string>? Methods { get; }

        public bool ReadsArguments { get; }
    }

    /// <summary>The template of [Route], [HttpX(template)] or [AcceptVerbs(Route = ...)]; null for a template-less one.</summary>
    private static RouteInfo? ReadRoute(AttributeData attribute)
        => Template(attribute, out var ordinal, out var name) is { } template ? new RouteInfo(template, attribute, ordinal, name) : null;

    private static bool HasTemplate(AttributeData attribute) => Template(attribute, out _, out _) is not null;

    /// <param name="ordinal">The constructor parameter the template was passed to, or -1 for the named argument <paramref name="name"/>.</param>
    private static string? Template(AttributeData attribute, out int ordinal, out string name)
    {
        ordinal = -1;
        name = "Route";
        var constructor = attribute.AttributeConstructor;
        if (constructor is not null)
        {
            for (var i = 0; i < constructor.Parameters.Length && i < attribute.ConstructorArguments.Length; i++)
            {
                if (constructor.Parameters[i].Name == "template" && constructor.Parameters[i].Type.SpecialType == SpecialType.System_String)
                {
                    ordinal = i;
                    name = "template";
                    return attribute.ConstructorArguments[i].Value as string;
                }
            }
        }

        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "Route" && named.Value.Value is string template)
            {
                return template;
            }
        }

        return null;
    }

    private static SyntaxNode? ArgumentSyntax(AttributeSyntax? syntax, int ordinal, string name)
    {
        if (syntax?.ArgumentList is not { } list)
        {
            return null;
        }

        var byName = list.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name);
        if (byName is not null)
        {
            return byName.Expression;
        }

        var positional = list.Arguments.Where(a => a.NameColon is null && a.NameEquals is null).ToList();
        return ordinal < positional.Count ? positional[ordinal].Expression : null;
    }

    // ---- minimal APIs -----------------------------------------------------------------------------------------

    /// <summary>Whether the method is MapGet/MapPost/MapPut/MapPatch/MapDelete/MapMethods of the endpoint route builder extensions.</summary>
    public bool IsMapMethod(IMethodSymbol method)
        => MapMethodOf(method.Name) is not null && Same(method.ContainingType, _symbols.RouteExtensions);

    /// <summary>Whether the method is MapGroup of the endpoint route builder extensions.</summary>
    public bool IsMapGroup(IMethodSymbol method)
        => method.Name == "MapGroup" && IsGroupExtensions(method.ContainingType);

    // A loop, not Any with a lambda: the lambda's closure was allocated on every call, MapGroup or not.
    private bool IsGroupExtensions(INamedTypeSymbol? type)
    {
        foreach (var candidate in _symbols.GroupExtensions)
        {
            if (Same(type, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The endpoint a MapGet/MapPost/MapPut/MapPatch/MapDelete/MapMethods call declares, with its MapGroup prefixes.
    /// Prefixes and patterns that are not constants are left out of the template (a group reached through a
    /// parameter or a field is not followed: no cross-method flow).
    /// </summary>
    public bool TryGetMinimalEndpoint(IInvocationOperation invocation, out Endpoint? endpoint)
    {
        endpoint = null;
        if (!IsMapMethod(invocation.TargetMethod))
        {
            return false;
        }

        // The operation trees of a semantic model are shared by the rules, so the cached endpoint's operations are
        // the ones the caller sees; a different tree of the same syntax (another semantic model) builds its own.
        if (_minimalEndpoints.TryGetValue(invocation.Syntax, out endpoint) && (endpoint is null || ReferenceEquals(endpoint.MapCall, invocation)))
        {
            return endpoint is not null;
        }

        endpoint = BuildMinimalEndpoint(invocation);
        _minimalEndpoints[invocation.Syntax] = endpoint;
        return endpoint is not null;
    }

    private Endpoint? BuildMinimalEndpoint(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;

        IOperation? pattern = null, handler = null, methodsArgument = null, receiver = null;
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "endpoints":
                    receiver = argument.Value;
                    break;
                case "pattern":
                    pattern = argument.Value;
                    break;
                case "handler":
                case "requestDelegate":
                    handler = argument.Value;
                    break;
                case "httpMethods":
                    methodsArgument = argument.Value;
                    break;
            }
        }

        if (pattern is null)
        {
            return null;
        }

        // A pattern that is not a constant still declares an endpoint; its template is then only the known prefixes.
        // Prefixes are followed only when asked for (BR0004 reads them on MapGroup calls, BR0005 only in a message).
        Func<ImmutableArray<TemplatePiece>> prefixes = () =>
        {
            var found = new List<TemplatePiece>();
            CollectGroupPrefixes(receiver, found, 0);
            return found.ToImmutableArray();
        };
        Func<ImmutableArray<TemplatePiece>> own = Operations.Unwrap(pattern).ConstantValue is { HasValue: true, Value: string patternText }
            ? () => ImmutableArray.Create(Piece(pattern, patternText, RouteSegmentOrigin.Endpoint))
            : NoPieces;

        var httpMethods = MapMethodOf(method.Name) is { Length: > 0 } fixedMethod ? ImmutableArray.Create(fixedMethod) : ConstantStrings(methodsArgument);

        IMethodSymbol? handlerMethod = null;
        IAnonymousFunctionOperation? lambda = null;
        var target = handler is null ? null : Operations.Unwrap(handler);
        if (target is IDelegateCreationOperation creation)
        {
            target = Operations.Unwrap(creation.Target);
        }

        switch (target)
        {
            case IAnonymousFunctionOperation anonymous:
                lambda = anonymous;
                handlerMethod = anonymous.Symbol;
                break;
            case IMethodReferenceOperation reference:
                handlerMethod = reference.Method;
                break;
        }

        Func<Location> nameLocation = () => (invocation.Syntax as InvocationExpressionSyntax)?.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.GetLocation(),
            { } expression => expression.GetLocation(),
            _ => invocation.Syntax.GetLocation(),
        };

        return new Endpoint(
            EndpointKind.MinimalApi,
            httpMethods,
            prefixes,
            own,
            mvcTokens: false,
            handlerMethod,
            lambda,
            handlerMethod?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty,
            handlerMethod?.ReturnType,
            UnwrapResponse(handlerMethod?.ReturnType),
            nameLocation,
            invocation);
    }

    /// <summary>The segments of a MapGroup call's own prefix (not the prefixes of the builder it is called on).</summary>
    public ImmutableArray<RouteSegment> GetGroupSegments(IInvocationOperation mapGroup)
    {
        if (!IsMapGroup(mapGroup.TargetMethod))
        {
            return ImmutableArray<RouteSegment>.Empty;
        }

        var prefix = Operations.ArgumentValue(mapGroup.Arguments, "prefix");
        if (prefix is null || Operations.Unwrap(prefix).ConstantValue is not { HasValue: true, Value: string text })
        {
            return ImmutableArray<RouteSegment>.Empty;
        }

        return RouteTemplate.Segments(Piece(prefix, text, RouteSegmentOrigin.Prefix), mvcTokens: false).ToImmutableArray();
    }

    /// <summary>A MapGroup call's own prefix, or a MapX call's pattern, when it is a constant; null otherwise.</summary>
    public TemplatePiece? GetOwnPiece(IInvocationOperation call)
    {
        var isGroup = IsMapGroup(call.TargetMethod);
        if (!isGroup && !IsMapMethod(call.TargetMethod))
        {
            return null;
        }

        var value = Operations.ArgumentValue(call.Arguments, isGroup ? "prefix" : "pattern");
        return value is not null && Operations.Unwrap(value).ConstantValue is { HasValue: true, Value: string text }
            ? Piece(value, text, isGroup ? RouteSegmentOrigin.Prefix : RouteSegmentOrigin.Endpoint)
            : null;
    }

    /// <summary>
    /// The MapGroup calls a MapX or MapGroup call is made under (through fluent convention calls and locals assigned
    /// once in the same body), outermost first. False when the chain is not known in full: a group prefix that is not
    /// a constant, a local assigned twice, or a builder handed in from elsewhere (a <c>RouteGroupBuilder</c> parameter
    /// or field) whose prefix the body cannot see. <paramref name="methodParameterRoot"/> says the chain starts at a
    /// parameter of a named method typed as a route builder: the application when the method is called with it, a
    /// group when a caller passes one.
    /// </summary>
    public bool TryGetGroupChain(IInvocationOperation call, out ImmutableArray<IInvocationOperation> groups, out bool methodParameterRoot)
    {
        groups = ImmutableArray<IInvocationOperation>.Empty;
        methodParameterRoot = false;
        var found = new List<IInvocationOperation>();
        var builder = Receiver(call);
        for (var depth = 0; builder is not null && depth < 32; depth++)
        {
            var value = Operations.Unwrap(builder);
            switch (value)
            {
                case IInvocationOperation group when IsMapGroup(group.TargetMethod):
                    if (GetOwnPiece(group) is null)
                    {
                        return false;
                    }

                    found.Insert(0, group);
                    builder = Receiver(group);
                    continue;
                case IInvocationOperation convention when ReturnsReceiver(convention.TargetMethod):
                    builder = Receiver(convention);
                    continue;
                case ILocalReferenceOperation local:
                    var index = Index(value);
                    if (index.Reassigned.Contains(local.Local) || !index.Initializers.TryGetValue(local.Local, out var initializer))
                    {
                        return false;
                    }

                    builder = initializer;
                    continue;
                default:
                    if (value.Type is not { } type || type.Name == "RouteGroupBuilder"
                        || (type.Name != "WebApplication" && type.AllInterfaces.Any(i => i.Name == "IEndpointConventionBuilder")))
                    {
                        return false;
                    }

                    methodParameterRoot = value is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: not MethodKind.AnonymousFunction } }
                        && type.Name != "WebApplication";
                    groups = found.ToImmutableArray();
                    return true;
            }
        }

        return false;
    }

    /// <summary>Every MapX and MapGroup call in the body (method, top-level statements) this operation belongs to.</summary>
    public (IReadOnlyList<IInvocationOperation> MapCalls, IReadOnlyList<IInvocationOperation> GroupCalls) GetRouteCallsInBody(IOperation anyOperationInBody)
    {
        var index = Index(anyOperationInBody);
        return (index.MapCalls, index.GroupCalls);
    }

    private static TemplatePiece Piece(IOperation value, string text, RouteSegmentOrigin origin)
    {
        var unwrapped = Operations.Unwrap(value);
        return new TemplatePiece(text, unwrapped.Syntax, unwrapped is ILiteralOperation ? unwrapped : null, origin);
    }

    private static ImmutableArray<string> ConstantStrings(IOperation? value)
    {
        if (value is null)
        {
            return ImmutableArray<string>.Empty;
        }

        var unwrapped = Operations.Unwrap(value);
        if (unwrapped is IArrayCreationOperation { Initializer: { } initializer })
        {
            var values = initializer.ElementValues.Select(v => Operations.Unwrap(v).ConstantValue).ToList();
            if (values.All(v => v.HasValue && v.Value is string))
            {
                return values.Select(v => ((string)v.Value!).ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToImmutableArray();
            }
        }

        return ImmutableArray<string>.Empty;
    }

    /// <summary>
    /// Follows the builder a Map call is made on back through MapGroup calls, fluent convention calls
    /// (<c>WithTags</c>, <c>RequireAuthorization</c> ... which return their receiver) and locals assigned once
    /// in the same body. Prefixes are collected outermost first.
    /// </summary>
    private void CollectGroupPrefixes(IOperation? builder, List<TemplatePiece> pieces, int depth)
    {
        if (builder is null || depth > 32)
        {
            return;
        }

        var value = Operations.Unwrap(builder);
        switch (value)
        {
            case IInvocationOperation call when IsMapGroup(call.TargetMethod):
                var prefix = Operations.ArgumentValue(call.Arguments, "prefix");
                if (prefix is not null && Operations.Unwrap(prefix).ConstantValue is { HasValue: true, Value: string text })
                {
                    pieces.Insert(0, Piece(prefix, text, RouteSegmentOrigin.Prefix));
                }

                CollectGroupPrefixes(Receiver(call), pieces, depth + 1);
                break;
            case IInvocationOperation call when ReturnsReceiver(call.TargetMethod):
                CollectGroupPrefixes(Receiver(call), pieces, depth + 1);
                break;
            case ILocalReferenceOperation local:
                var index = Index(value);
                if (!index.Reassigned.Contains(local.Local) && index.Initializers.TryGetValue(local.Local, out var initializer))
                {
                    CollectGroupPrefixes(initializer, pieces, depth + 1);
                }

                break;
        }
    }

    /// <summary>
    /// Whether a Map call's whole route is known: its pattern is a constant and every builder it is made on is followed
    /// back to the application (a MapGroup with a constant prefix, a convention call, a local assigned once), not to a
    /// group handed in from elsewhere (a parameter or field typed <c>RouteGroupBuilder</c>), whose prefix is unknown.
    /// </summary>
    public bool HasKnownRoute(IInvocationOperation mapCall)
    {
        var pattern = Operations.ArgumentValue(mapCall.Arguments, "pattern");
        return pattern is not null && Operations.Unwrap(pattern).ConstantValue is { HasValue: true, Value: string }
            && TryGetGroupChain(mapCall, out _, out _);
    }

    private static IOperation? Receiver(IInvocationOperation call)
        => call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? Operations.ArgumentValue(call.Arguments, 0) : null);

    /// <summary><c>TBuilder WithX&lt;TBuilder&gt;(this TBuilder builder, ...)</c>: returns the builder it is called on.</summary>
    private static bool ReturnsReceiver(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        return definition.IsExtensionMethod
               && definition.Parameters.Length > 0
               && definition.ReturnType is ITypeParameterSymbol
               && SymbolEqualityComparer.Default.Equals(definition.ReturnType, definition.Parameters[0].Type);
    }

    /// <summary>The minimal API endpoints declared on the same group (same builder expression or local) as this call, this one included.</summary>
    public ImmutableArray<Endpoint> GetSiblingMinimalEndpoints(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        if (!IsMapMethod(invocation.TargetMethod))
        {
            return ImmutableArray<Endpoint>.Empty;
        }

        var receiver = Receiver(invocation);
        var builder = ImmutableArray.CreateBuilder<Endpoint>();
        foreach (var call in Index(invocation).MapCalls)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((ReferenceEquals(call, invocation) || SameBuilder(receiver, Receiver(call)))
                && TryGetMinimalEndpoint(call, out var endpoint) && endpoint is not null)
            {
                builder.Add(endpoint);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Every minimal API endpoint declared in the body (method, top-level statements) this operation belongs to.</summary>
    public ImmutableArray<Endpoint> GetMinimalEndpointsInBody(IOperation anyOperationInBody, CancellationToken cancellationToken)
    {
        var builder = ImmutableArray.CreateBuilder<Endpoint>();
        foreach (var call in Index(anyOperationInBody).MapCalls)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryGetMinimalEndpoint(call, out var endpoint) && endpoint is not null)
            {
                builder.Add(endpoint);
            }
        }

        return builder.ToImmutable();
    }

    private static bool SameBuilder(IOperation? left, IOperation? right)
    {
        if (left is null || right is null)
        {
            return false;
        }

        left = Operations.Unwrap(left);
        right = Operations.Unwrap(right);
        return (left, right) switch
        {
            (ILocalReferenceOperation a, ILocalReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Local, b.Local),
            (IParameterReferenceOperation a, IParameterReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Parameter, b.Parameter),
            (IFieldReferenceOperation a, IFieldReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Field, b.Field),
            (IPropertyReferenceOperation a, IPropertyReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Property, b.Property),
            _ => left.Syntax.IsEquivalentTo(right.Syntax, topLevel: false),
        };
    }

    /// <summary>What the model needs from one body, gathered in one pass the first time a call in it is looked at.</summary>
    private sealed class BodyIndex
    {
        public Dictionary<ILocalSymbol, IOperation> Initializers { get; } = new(SymbolEqualityComparer.Default);
        public HashSet<ILocalSymbol> Reassigned { get; } = new(SymbolEqualityComparer.Default);
        public List<IInvocationOperation> MapCalls { get; } = new();
        public List<IInvocationOperation> GroupCalls { get; } = new();
    }

    private BodyIndex Index(IOperation operation)
        => _bodies.GetValue(Operations.Root(operation), root =>
        {
            var index = new BodyIndex();
            var pending = new Stack<IOperation>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var descendant = pending.Pop();

                // A handler passed to a Map call is the endpoint's code, not the app's routing: it declares no routes
                // and its locals are no builders. Most of a minimal API's code is in those lambdas.
                if (descendant is IArgumentOperation { Parameter.Name: "handler" or "requestDelegate", Parent: IInvocationOperation owner }
                    && IsMapMethod(owner.TargetMethod))
                {
                    continue;
                }

                // Pushed last to first, so that calls are listed in source order.
                foreach (var child in descendant.ChildOperations.Reverse())
                {
                    pending.Push(child);
                }

                switch (descendant)
                {
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                        index.Initializers[declarator.Symbol] = initializer.Value;
                        break;
                    case IAssignmentOperation { Target: ILocalReferenceOperation target }:
                        index.Reassigned.Add(target.Local);
                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation passed }:
                        index.Reassigned.Add(passed.Local);
                        break;
                    case IDeconstructionAssignmentOperation deconstruction:
                        foreach (var local in deconstruction.Target.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
                        {
                            index.Reassigned.Add(local.Local);
                        }

                        break;
                    case IInvocationOperation call when IsMapMethod(call.TargetMethod):
                        index.MapCalls.Add(call);
                        break;
                    case IInvocationOperation call when IsMapGroup(call.TargetMethod):
                        index.GroupCalls.Add(call);
                        break;
                }
            }

            return index;
        });

    // ---- responses --------------------------------------------------------------------------------------------

    /// <summary>
    /// Unwraps Task/ValueTask/ActionResult&lt;T&gt;/Ok&lt;T&gt;/Created&lt;T&gt;/Accepted&lt;T&gt;/JsonHttpResult&lt;T&gt; and
    /// Results&lt;...&gt; (its first result that carries a value); null when nothing is known of the body (void,
    /// Task, IActionResult, IResult and other result types). Other types, collections included, are returned as they are.
    /// </summary>
    public ITypeSymbol? UnwrapResponse(ITypeSymbol? type)
        => type is null ? null : _responses.TryGetValue(type, out var known) ? known : _responses.GetOrAdd(type, Unwrap);

    private ITypeSymbol? Unwrap(ITypeSymbol? type)
    {
        for (var depth = 0; type is not null && depth < 16; depth++)
        {
            if (type.SpecialType == SpecialType.System_Void || type.TypeKind == TypeKind.Error)
            {
                return null;
            }

            if (type is INamedTypeSymbol named)
            {
                var definition = named.OriginalDefinition;
                if (named.IsGenericType && named.TypeArguments.Length == 1 && _symbols.ValueWrappers.Contains(definition))
                {
                    type = named.TypeArguments[0];
                    continue;
                }

                if (named.IsGenericType && _symbols.ResultUnions.Contains(definition))
                {
                    type = named.TypeArguments.FirstOrDefault(t => t is INamedTypeSymbol { IsGenericType: true } candidate && _symbols.ValueWrappers.Contains(candidate.OriginalDefinition));
                    continue;
                }

                if (_symbols.EmptyWrappers.Contains(definition)
                    || WellKnownTypes.Implements(named, _symbols.ActionResultInterface)
                    || WellKnownTypes.Implements(named, _symbols.ResultInterface))
                {
                    return null;
                }
            }

            return type;
        }

        return null;
    }

    // ---- symbols ----------------------------------------------------------------------------------------------

    private static bool Same(ISymbol? left, ISymbol? right) => left is not null && right is not null && SymbolEqualityComparer.Default.Equals(left, right);

    private static bool IsOrDerives(INamedTypeSymbol? type, INamedTypeSymbol? baseType) => WellKnownTypes.IsOrDerivesFrom(type, baseType);

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        // A loop: Any with a lambda over the attribute array allocated a closure and a boxed enumerator per call.
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsOrDerives(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Holder
    {
        public Holder(EndpointModel? model) => Model = model;

        public EndpointModel? Model { get; }
    }

    private sealed class Symbols
    {
        public Symbols(WellKnownTypes types)
        {
            ControllerBase = types.Get("Microsoft.AspNetCore.Mvc.ControllerBase");
            ViewController = types.Get("Microsoft.AspNetCore.Mvc.Controller");
            ApiController = types.Get("Microsoft.AspNetCore.Mvc.ApiControllerAttribute");
            Controller = types.Get("Microsoft.AspNetCore.Mvc.ControllerAttribute");
            NonController = types.Get("Microsoft.AspNetCore.Mvc.NonControllerAttribute");
            NonAction = types.Get("Microsoft.AspNetCore.Mvc.NonActionAttribute");
            ActionName = types.Get("Microsoft.AspNetCore.Mvc.ActionNameAttribute");
            Route = types.Get("Microsoft.AspNetCore.Mvc.RouteAttribute");
            AcceptVerbs = types.Get("Microsoft.AspNetCore.Mvc.AcceptVerbsAttribute");
            RouteExtensions = types.Get("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
            GroupExtensions = new[] { RouteExtensions, types.Get("Microsoft.AspNetCore.Routing.RouteGroupBuilderExtensions"), types.Get("Microsoft.AspNetCore.Builder.RouteGroupBuilderExtensions") }
                .Where(t => t is not null).Cast<INamedTypeSymbol>().ToImmutableArray();
            ActionResultInterface = types.Get("Microsoft.AspNetCore.Mvc.IActionResult");
            ResultInterface = types.Get("Microsoft.AspNetCore.Http.IResult");

            var http = ImmutableDictionary.CreateBuilder<INamedTypeSymbol, string>(SymbolEqualityComparer.Default);
            foreach (var method in new[] { "Get", "Post", "Put", "Patch", "Delete", "Head", "Options" })
            {
                if (types.Get("Microsoft.AspNetCore.Mvc.Http" + method + "Attribute") is { } attribute)
                {
                    http[attribute] = method.ToUpperInvariant();
                }
            }

            HttpAttributes = http.ToImmutable();
            ValueWrappers = Set(types, "System.Threading.Tasks.Task`1", "System.Threading.Tasks.ValueTask`1", "Microsoft.AspNetCore.Mvc.ActionResult`1",
                "Microsoft.AspNetCore.Http.HttpResults.Ok`1", "Microsoft.AspNetCore.Http.HttpResults.Created`1", "Microsoft.AspNetCore.Http.HttpResults.CreatedAtRoute`1",
                "Microsoft.AspNetCore.Http.HttpResults.Accepted`1", "Microsoft.AspNetCore.Http.HttpResults.AcceptedAtRoute`1", "Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult`1");
            ResultUnions = Set(types, "Microsoft.AspNetCore.Http.HttpResults.Results`2", "Microsoft.AspNetCore.Http.HttpResults.Results`3", "Microsoft.AspNetCore.Http.HttpResults.Results`4",
                "Microsoft.AspNetCore.Http.HttpResults.Results`5", "Microsoft.AspNetCore.Http.HttpResults.Results`6");
            EmptyWrappers = Set(types, "System.Threading.Tasks.Task", "System.Threading.Tasks.ValueTask");
        }

        private static ImmutableHashSet<INamedTypeSymbol> Set(WellKnownTypes types, params string[] names)
            => names.Select(types.Get).Where(t => t is not null).Cast<INamedTypeSymbol>().ToImmutableHashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);

        public INamedTypeSymbol? ControllerBase { get; }
        public INamedTypeSymbol? ViewController { get; }
        public INamedTypeSymbol? ApiController { get; }
        public INamedTypeSymbol? Controller { get; }
        public INamedTypeSymbol? NonController { get; }
        public INamedTypeSymbol? NonAction { get; }
        public INamedTypeSymbol? ActionName { get; }
        public INamedTypeSymbol? Route { get; }
        public INamedTypeSymbol? AcceptVerbs { get; }
        public INamedTypeSymbol? RouteExtensions { get; }
        public ImmutableArray<INamedTypeSymbol> GroupExtensions { get; }
        public INamedTypeSymbol? ActionResultInterface { get; }
        public INamedTypeSymbol? ResultInterface { get; }
        public ImmutableDictionary<INamedTypeSymbol, string> HttpAttributes { get; }
        public ImmutableHashSet<INamedTypeSymbol> ValueWrappers { get; }
        public ImmutableHashSet<INamedTypeSymbol> ResultUnions { get; }
        public ImmutableHashSet<INamedTypeSymbol> EmptyWrappers { get; }
    }
}
