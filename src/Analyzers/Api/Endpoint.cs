using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Api;

/// <summary>How an endpoint is declared.</summary>
internal enum EndpointKind
{
    /// <summary>A public action of an MVC / Web API controller.</summary>
    ControllerAction,

    /// <summary>A MapGet/MapPost/.../MapMethods call on an endpoint route builder (possibly under MapGroup).</summary>
    MinimalApi,
}

/// <summary>What a route segment is.</summary>
internal enum RouteSegmentKind
{
    /// <summary>Literal text such as <c>users</c> or <c>getUser</c>.</summary>
    Literal,

    /// <summary>A route parameter such as <c>{id}</c> or <c>{id:int}</c> (a segment with any parameter counts as one).</summary>
    Parameter,

    /// <summary>An MVC token: <c>[controller]</c>, <c>[action]</c>, <c>[area]</c>.</summary>
    Token,
}

/// <summary>Which part of the combined template a segment comes from.</summary>
internal enum RouteSegmentOrigin
{
    /// <summary>The endpoint's own template: the action's route attribute, or the MapX pattern.</summary>
    Endpoint,

    /// <summary>A prefix shared with other endpoints: the controller's [Route], or a MapGroup prefix.</summary>
    Prefix,
}

/// <summary>One '/'-separated segment of a combined route template.</summary>
internal sealed class RouteSegment
{
    public RouteSegment(string text, RouteSegmentKind kind, Location? location, IOperation? literal)
        : this(text, kind, location, literal, RouteSegmentOrigin.Endpoint, hasExactLocation: false)
    {
    }

    public RouteSegment(string text, RouteSegmentKind kind, Location? location, IOperation? literal, RouteSegmentOrigin origin, bool hasExactLocation)
    {
        HasExactLocation = hasExactLocation && location is not null;
        Text = text;
        Kind = kind;
        Location = location;
        Literal = literal;
        Origin = origin;
    }

    /// <summary>The endpoint's own template, or a shared prefix (controller [Route], MapGroup).</summary>
    public RouteSegmentOrigin Origin { get; }

    /// <summary>Whether <see cref="Location"/> is the segment's own span (not the whole literal).</summary>
    public bool HasExactLocation { get; }

    /// <summary>The segment as written (tokens already expanded are NOT expanded here: <c>[action]</c> stays).</summary>
    public string Text { get; }

    public RouteSegmentKind Kind { get; }

    /// <summary>
    /// The segment's exact span inside its string literal when the literal's text maps 1:1 to source (no escapes);
    /// otherwise the whole literal; null when the template did not come from a literal in source.
    /// </summary>
    public Location? Location { get; }

    /// <summary>
    /// The literal operation the segment was read from: the MapX pattern or MapGroup prefix literal. Null for
    /// attribute templates (analyzers get no operation tree for attribute arguments without a semantic model).
    /// </summary>
    public IOperation? Literal { get; }
}

/// <summary>One endpoint of the application: what a request with some method and path reaches.</summary>
internal sealed class Endpoint
{
    private readonly Func<ImmutableArray<TemplatePiece>> _prefixPieces;
    private readonly Func<ImmutableArray<TemplatePiece>> _ownPieces;
    private readonly bool _mvcTokens;
    private string? _template;
    private ImmutableArray<RouteSegment> _segments;
    private ImmutableArray<RouteSegment> _ownSegments;
    private ImmutableArray<TemplatePiece> _prefixPieceCache;
    private ImmutableArray<TemplatePiece> _ownPieceCache;
    private readonly Func<Location> _methodLocation;
    private Location? _location;

    /// <param name="prefixPieces">The shared prefixes (controller [Route], MapGroup prefixes), outermost first.</param>
    /// <param name="ownPieces">The endpoint's own template (action route, MapX pattern).</param>
    /// <param name="mvcTokens">Whether [controller]/[action]/[area] are tokens (controllers).</param>
    /// <remarks>
    /// The template and its segments are read only by some rules, and finding group prefixes may walk a body: both
    /// are computed on first use (pieces are read with no cancellation, as another caller may be the one to ask).
    /// </remarks>
    public Endpoint(
        EndpointKind kind,
        ImmutableArray<string> httpMethods,
        Func<ImmutableArray<TemplatePiece>> prefixPieces,
        Func<ImmutableArray<TemplatePiece>> ownPieces,
        bool mvcTokens,
        IMethodSymbol? handlerMethod,
        IAnonymousFunctionOperation? handlerLambda,
        ImmutableArray<IParameterSymbol> parameters,
        ITypeSymbol? declaredReturnType,
        ITypeSymbol? responseType,
        Func<Location> methodLocation,
        IInvocationOperation? mapCall)
    {
        Kind = kind;
        HttpMethods = httpMethods;
        _prefixPieces = prefixPieces;
        _ownPieces = ownPieces;
        _mvcTokens = mvcTokens;
        HandlerMethod = handlerMethod;
        HandlerLambda = handlerLambda;
        Parameters = parameters;
        DeclaredReturnType = declaredReturnType;
        ResponseType = responseType;
        _methodLocation = methodLocation;
        MapCall = mapCall;
    }

    public EndpointKind Kind { get; }

    /// <summary>Upper-case HTTP methods ("GET", "POST" ...); empty when the endpoint accepts any method.</summary>
    public ImmutableArray<string> HttpMethods { get; }

    /// <summary>The combined template (controller prefix + action template, group prefixes + map pattern), without a leading '/'.</summary>
    public string Template
    {
        get
        {
            if (_template is null)
            {
                var parts = new List<string>();
                foreach (var piece in PrefixPieces)
                {
                    parts.Add(piece.Value);
                }

                foreach (var piece in OwnPieces)
                {
                    parts.Add(piece.Value);
                }

                Interlocked.CompareExchange(ref _template, RouteTemplate.Combine(parts), null);
            }

            return _template!;
        }
    }

    /// <summary>Every segment of the combined template, prefixes first.</summary>
    public ImmutableArray<RouteSegment> Segments
    {
        get
        {
            if (_segments.IsDefault)
            {
                ImmutableInterlocked.InterlockedInitialize(ref _segments, SegmentsOf(PrefixPieces).AddRange(OwnSegments));
            }

            return _segments;
        }
    }

    /// <summary>The segments of the endpoint's own template (<see cref="RouteSegmentOrigin.Endpoint"/>); no prefix is looked for.</summary>
    public ImmutableArray<RouteSegment> OwnSegments
    {
        get
        {
            if (_ownSegments.IsDefault)
            {
                ImmutableInterlocked.InterlockedInitialize(ref _ownSegments, SegmentsOf(OwnPieces));
            }

            return _ownSegments;
        }
    }

    /// <summary>The shared prefixes the template starts with (controller [Route], MapGroup prefixes), outermost first.</summary>
    public ImmutableArray<TemplatePiece> PrefixPieces
    {
        get
        {
            if (_prefixPieceCache.IsDefault)
            {
                ImmutableInterlocked.InterlockedInitialize(ref _prefixPieceCache, _prefixPieces());
            }

            return _prefixPieceCache;
        }
    }

    /// <summary>The endpoint's own template pieces (the action's route, the MapX pattern); empty when it has none.</summary>
    public ImmutableArray<TemplatePiece> OwnPieces
    {
        get
        {
            if (_ownPieceCache.IsDefault)
            {
                ImmutableInterlocked.InterlockedInitialize(ref _ownPieceCache, _ownPieces());
            }

            return _ownPieceCache;
        }
    }

    private ImmutableArray<RouteSegment> SegmentsOf(ImmutableArray<TemplatePiece> pieces)
    {
        var builder = ImmutableArray.CreateBuilder<RouteSegment>();
        foreach (var piece in pieces)
        {
            builder.AddRange(RouteTemplate.Segments(piece, _mvcTokens));
        }

        return builder.ToImmutable();
    }

    /// <summary>The action method, or the method a minimal API's method group points at; the lambda's symbol for lambdas.</summary>
    public IMethodSymbol? HandlerMethod { get; }

    /// <summary>The minimal API's handler lambda when it is one.</summary>
    public IAnonymousFunctionOperation? HandlerLambda { get; }

    public ImmutableArray<IParameterSymbol> Parameters { get; }

    /// <summary>The handler's return type as declared (or inferred for a lambda).</summary>
    public ITypeSymbol? DeclaredReturnType { get; }

    /// <summary>
    /// The response body type, unwrapped from Task/ValueTask/ActionResult&lt;T&gt;/Ok&lt;T&gt;/Results&lt;...&gt; (first
    /// success result); null for IActionResult/IResult/void and other types the model cannot see through.
    /// </summary>
    public ITypeSymbol? ResponseType { get; }

    /// <summary>Where the HTTP method is declared: the [HttpX] attribute, or the MapX name of the call.</summary>
    public Location MethodLocation
    {
        get
        {
            if (_location is null)
            {
                Interlocked.CompareExchange(ref _location, _methodLocation(), null);
            }

            return _location!;
        }
    }

    /// <summary>The MapX invocation of a minimal API endpoint.</summary>
    public IInvocationOperation? MapCall { get; }
}
