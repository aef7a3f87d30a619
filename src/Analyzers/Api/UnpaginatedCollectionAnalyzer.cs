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

/// <summary>BR0005: GET endpoints that return a whole collection in one response, with no page input and no bound.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnpaginatedCollectionAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.UnpaginatedCollection);

    internal static readonly ListOption PageParameterNames = new(RuleIds.UnpaginatedCollection, "page_parameter_names", PaginationNames.DefaultPageParameterNames);
    internal static readonly IntOption DefaultPageSize = new(RuleIds.UnpaginatedCollection, "default_page_size", 50, 1, 100_000);
    internal static readonly IntOption MaxPageSize = new(RuleIds.UnpaginatedCollection, "max_page_size", 100, 1, 100_000);

    internal const string HandlerProperty = "Handler";
    internal const string ActionHandler = "Action";
    internal const string LambdaHandler = "Lambda";
    internal const string MethodGroupHandler = "MethodGroup";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.UnpaginatedCollection,
        "Paginate collection endpoints",
        messageFormat: "'{0}' returns every {1} in one response; add page parameters and return one page",
        RuleCategories.Performance,
        DiagnosticSeverity.Warning,
        "A GET endpoint that returns a whole collection loads, serializes and sends every row; the response grows with the table until it times out or runs the server out of memory. Take page parameters and return one bounded page.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

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
            var symbols = model is null ? null : PaginationSymbols.Create(start.Compilation);
            if (model is null || symbols is null)
            {
                return;
            }

            if (model.HasControllers)
            {
                start.RegisterOperationAction(c => AnalyzeAction(c, model, symbols), OperationKind.MethodBody);
            }

            if (model.HasMinimalApis)
            {
                start.RegisterOperationAction(c => AnalyzeMapCall(c, model, symbols), OperationKind.Invocation);
            }
        });
    }

    private static readonly OptionsCache<Settings> SettingsCache = new(options => new Settings(options));

    /// <summary>What one handler's analysis needs, parsed once per options instance (see <see cref="OptionsCache{T}"/>).</summary>
    private sealed class Settings
    {
        public Settings(AnalyzerConfigOptions options)
        {
            PageNames = PaginationNames.NormalizeAll(PageParameterNames.Read(options));
            MaxPageSize = UnpaginatedCollectionAnalyzer.MaxPageSize.Read(options);
        }

        public ImmutableHashSet<string> PageNames { get; }
        public int MaxPageSize { get; }
    }

    // ---- Controller actions ---------------------------------------------------------------------------------

    private static void AnalyzeAction(OperationAnalysisContext context, EndpointModel model, PaginationSymbols symbols)
    {
        if (context.IsGeneratedCode
            || context.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, DeclaredAccessibility: Accessibility.Public } method
            || method.ContainingType is not { } type)
        {
            return;
        }

        // An action of an abstract base controller is reported once, where it is declared. Whether it serves GET is
        // read from its attributes: the rule needs no endpoints built (routes do not matter to it).
        if (!(model.IsController(type) || model.IsAbstractController(type))
            || !model.IsActionCandidate(method)
            || !model.ServesGet(method)
            || HasPagingAttribute(method))
        {
            return;
        }

        var settings = SettingsCache.Get(context.Options, context.Operation.Syntax.SyntaxTree);
        var element = Unpaginated(model.UnwrapResponse(method.ReturnType), method.Parameters, context.Operation, symbols, settings);
        if (element is null || method.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(HandlerProperty, ActionHandler);
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, method.Name, Describe(element)));
    }

    /// <summary>OData's <c>[EnableQuery(PageSize = n)]</c> (or MaxTop) pages the result on the server.</summary>
    private static bool HasPagingAttribute(IMethodSymbol method)
        => method.GetAttributes().Any(a => a.AttributeClass?.Name == "EnableQueryAttribute"
            && a.NamedArguments.Any(n => n.Key is "PageSize" or "MaxTop" && n.Value.Value is int size && size > 0));

    // ---- Minimal APIs -----------------------------------------------------------------------------------------

    private static void AnalyzeMapCall(OperationAnalysisContext context, EndpointModel model, PaginationSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (context.IsGeneratedCode
            || !invocation.TargetMethod.Name.StartsWith("Map", System.StringComparison.Ordinal)
            || !model.TryGetMinimalEndpoint(invocation, out var endpoint)
            || endpoint is null
            || !IsGet(endpoint))
        {
            return;
        }

        IOperation? body;
        Location location;
        string? name;
        string handler;
        if (endpoint.HandlerLambda is { } lambda)
        {
            body = lambda.Body;
            location = LambdaHead(lambda.Syntax);
            name = null; // the endpoint's name (its group prefixes) is looked up only for a report
            handler = LambdaHandler;
        }
        else if (endpoint.HandlerMethod is { } method && MethodGroupArgument(invocation) is { } reference)
        {
            body = MethodBody(method, invocation, context.CancellationToken);
            if (body is null && !LooksUnbounded(method, context.CancellationToken))
            {
                return;
            }

            location = reference.Syntax.GetLocation();
            name = method.Name;
            handler = MethodGroupHandler;
        }
        else
        {
            return;
        }

        var settings = SettingsCache.Get(context.Options, invocation.Syntax.SyntaxTree);
        var element = Unpaginated(endpoint.ResponseType ?? model.UnwrapResponse(endpoint.DeclaredReturnType), endpoint.Parameters, body, symbols, settings);
        if (element is null)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(HandlerProperty, handler);
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, name ?? EndpointName(invocation, endpoint), Describe(element)));
    }

    /// <summary>
    /// <c>GET /api/products</c>; with a pattern that is not a constant, its expression as written (the template would
    /// hold only the group prefixes).
    /// </summary>
    private static string EndpointName(IInvocationOperation mapCall, Endpoint endpoint)
    {
        var pattern = mapCall.Arguments.FirstOrDefault(a => a.Parameter?.Name == "pattern")?.Value;
        return pattern is null || Operations.Unwrap(pattern).ConstantValue.HasValue
            ? "GET /" + endpoint.Template
            : "GET " + pattern.Syntax;
    }

    /// <summary>From the start of the lambda (modifiers included) to its arrow: where page parameters would go.</summary>
    private static Location LambdaHead(SyntaxNode syntax)
        => syntax is LambdaExpressionSyntax lambda
            ? Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(lambda.SpanStart, lambda.ArrowToken.Span.End))
            : syntax.GetLocation();

    internal static IOperation? MethodGroupArgument(IInvocationOperation mapCall)
    {
        foreach (var argument in mapCall.Arguments)
        {
            var value = Operations.Unwrap(argument.Value);
            if (value is IDelegateCreationOperation { Target: IMethodReferenceOperation reference })
            {
                return reference;
            }
        }

        return null;
    }

    /// <summary>The handler method's body when it is declared in the same file (a semantic model of another file is not ours to build).</summary>
    private static IOperation? MethodBody(IMethodSymbol method, IInvocationOperation mapCall, CancellationToken cancellationToken)
    {
        var semanticModel = mapCall.SemanticModel;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (semanticModel is null || reference.SyntaxTree != mapCall.Syntax.SyntaxTree)
            {
                continue;
            }

            var declaration = reference.GetSyntax(cancellationToken);
            if (declaration is MethodDeclarationSyntax or LocalFunctionStatementSyntax)
            {
                return semanticModel.GetOperation(declaration, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>
    /// A handler in another file is judged by its declared type; its syntax is only checked for what would bound it
    /// (Take, a literal collection, enum values), so such handlers are not reported on a guess.
    /// </summary>
    private static bool LooksUnbounded(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Take" or "TakeLast" or "GetValues" or "GetNames" } }:
                    case InitializerExpressionSyntax:
                    case CollectionExpressionSyntax:
                    case YieldStatementSyntax:
                        return false;
                }
            }
        }

        return true;
    }

    // ---- The rule -------------------------------------------------------------------------------------------

    /// <summary>A minimal API endpoint that serves GET (controller actions ask <see cref="EndpointModel.ServesGet"/>).</summary>
    private static bool IsGet(Endpoint endpoint)
    {
        if (!endpoint.HttpMethods.IsDefaultOrEmpty)
        {
            return endpoint.HttpMethods.Contains("GET");
        }

        // The model reports MapMethods methods it cannot read as constants as "none": read HttpMethods.Get fields here,
        // and treat anything else (a variable) as unknown rather than as "any method".
        return endpoint.MapCall is { } call && MapMethodsIncludeGet(call);
    }

    private static bool MapMethodsIncludeGet(IInvocationOperation mapCall)
    {
        var methods = mapCall.Arguments.FirstOrDefault(a => a.Parameter?.Name == "httpMethods")?.Value;
        if (methods is null || Operations.Unwrap(methods) is not IArrayCreationOperation { Initializer: { } initializer })
        {
            return false;
        }

        return initializer.ElementValues.Any(e => Operations.Unwrap(e) switch
        {
            { ConstantValue: { HasValue: true, Value: string text } } => string.Equals(text, "GET", System.StringComparison.OrdinalIgnoreCase),
            IFieldReferenceOperation { Field: { Name: "Get", ContainingType.Name: "HttpMethods" } } => true,
            _ => false,
        });
    }

    /// <summary>The element type of the collection the endpoint returns unpaged; null when it is paged, bounded or no collection.</summary>
    /// <param name="responseType">The handler's response body type (unwrapped from Task, ActionResult&lt;T&gt; ...).</param>
    private static ITypeSymbol? Unpaginated(ITypeSymbol? responseType, ImmutableArray<IParameterSymbol> parameters, IOperation? body, PaginationSymbols symbols, Settings settings)
    {
        // The response is looked at first: most GET handlers return one item, and the page-input check may walk the body.
        var declaredElement = symbols.ElementType(responseType);
        if (declaredElement is null
            ? body is null || (responseType is not null && responseType.SpecialType != SpecialType.System_Object)
            : PaginationSymbols.IsPageEnvelope(responseType!))
        {
            return null;
        }

        // A result type (IActionResult, IResult, object) says nothing: what its handler returns is looked at before
        // the page input, as most return one item and the page-input check may walk the body too.
        if (declaredElement is null)
        {
            return UnpaginatedResult(parameters, body!, symbols, settings);
        }

        if (HasPageInput(parameters, body, symbols, settings.PageNames))
        {
            return null;
        }

        if (body is null)
        {
            return declaredElement;
        }

        // Returned values that are the collection itself (not NotFound() and the like).
        var values = PaginationQueries.ReturnedValues(body, symbols, out var iterator)
            .Where(v => v.Type is null || symbols.ElementType(v.Type) is not null)
            .ToList();
        return iterator || values.Count == 0 || values.Any(v => !Bounded(v.Value, symbols, settings)) ? declaredElement : null;
    }

    /// <summary>IActionResult, IResult, object: what Ok(...), Json(...) and friends are given.</summary>
    private static ITypeSymbol? UnpaginatedResult(ImmutableArray<IParameterSymbol> parameters, IOperation body, PaginationSymbols symbols, Settings settings)
    {
        foreach (var value in PaginationQueries.ReturnedValues(body, symbols, out _))
        {
            if (value.Type is { } type
                && symbols.ElementType(type) is { } element
                && !PaginationSymbols.IsPageEnvelope(type)
                && !Bounded(value.Value, symbols, settings))
            {
                return HasPageInput(parameters, body, symbols, settings.PageNames) ? null : element;
            }
        }

        return null;
    }

    private static bool Bounded(IOperation value, PaginationSymbols symbols, Settings settings)
        => PaginationQueries.IsBounded(value, symbols, settings.MaxPageSize);

    /// <summary>
    /// Page input: a parameter, or a property of a bound parameter object ([AsParameters], [FromQuery] or any class of the
    /// application that is not a service or body), named like a page name; or a page name read from Request.Query.
    /// </summary>
    private static bool HasPageInput(ImmutableArray<IParameterSymbol> parameters, IOperation? body, PaginationSymbols symbols, ImmutableHashSet<string> names)
    {
        foreach (var parameter in parameters.IsDefault ? ImmutableArray<IParameterSymbol>.Empty : parameters)
        {
            if (IsPageName(parameter.Name, names) || IsPageName(QueryName(parameter, symbols), names) || parameter.Type.Name == "ODataQueryOptions")
            {
                return true;
            }

            if (IsBoundObject(parameter, symbols))
            {
                for (var type = parameter.Type; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
                {
                    foreach (var member in type.GetMembers())
                    {
                        if (member is IPropertySymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public } property
                            && (IsPageName(property.Name, names) || IsPageName(QueryName(property, symbols), names)))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return body is not null && ReadsPageFromQuery(body, symbols, names);
    }

    private static bool IsPageName(string? name, ImmutableHashSet<string> names)
        => name is not null && names.Contains(PaginationNames.Normalize(name));

    /// <summary>The query-string name given by [FromQuery(Name = "...")] (or any IFromQueryMetadata attribute).</summary>
    private static string? QueryName(ISymbol symbol, PaginationSymbols symbols)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (WellKnownTypes.Implements(attribute.AttributeClass, symbols.FromQueryMetadata))
            {
                foreach (var named in attribute.NamedArguments)
                {
                    if (named.Key == "Name" && named.Value.Value is string name)
                    {
                        return name;
                    }
                }
            }
        }

        return null;
    }

    private static bool IsBoundObject(IParameterSymbol parameter, PaginationSymbols symbols)
    {
        if (parameter.Type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, SpecialType: SpecialType.None } type
            || !type.Locations.Any(l => l.IsInSource))
        {
            return false;
        }

        return !parameter.GetAttributes().Any(a => WellKnownTypes.Implements(a.AttributeClass, symbols.FromServiceMetadata)
            || WellKnownTypes.Implements(a.AttributeClass, symbols.FromBodyMetadata));
    }

    /// <summary><c>Request.Query["page"]</c>, <c>query.TryGetValue("pageSize", ...)</c> in the handler.</summary>
    private static bool ReadsPageFromQuery(IOperation body, PaginationSymbols symbols, ImmutableHashSet<string> names)
    {
        if (symbols.QueryCollection is null)
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            var (type, arguments) = operation switch
            {
                IPropertyReferenceOperation { Property.IsIndexer: true } indexer => (indexer.Property.ContainingType, indexer.Arguments),
                IInvocationOperation call when call.Instance is not null => (call.TargetMethod.ContainingType, call.Arguments),
                _ => (null, ImmutableArray<IArgumentOperation>.Empty),
            };

            if (type is not null
                && WellKnownTypes.Implements(type, symbols.QueryCollection)
                && arguments.Any(a => a.Value.ConstantValue is { HasValue: true, Value: string key } && IsPageName(key, names)))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(ITypeSymbol element)
        => element.IsAnonymousType || element.IsTupleType
            ? "row"
            : "'" + DisplayName(element) + "'";

    /// <summary>The minimally qualified name; a plain top-level class or record is its name (the display visitor costs far more).</summary>
    private static string DisplayName(ITypeSymbol type)
        => type is INamedTypeSymbol { SpecialType: SpecialType.None, ContainingType: null, IsGenericType: false, TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Interface or TypeKind.Enum } named
           && SyntaxFacts.GetKeywordKind(named.Name) == SyntaxKind.None && SyntaxFacts.GetContextualKeywordKind(named.Name) == SyntaxKind.None
            ? named.Name
            : type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
}
