using System.Collections.Concurrent;
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
    internal static readonly ListOption SmallTypes = new(RuleIds.UnpaginatedCollection, "small_types", ImmutableArray<string>.Empty);

    internal const string HandlerProperty = "Handler";
    internal const string ActionHandler = "Action";
    internal const string LambdaHandler = "Lambda";
    internal const string MethodGroupHandler = "MethodGroup";

    private const string Title = "Paginate collection endpoints";
    private const string Message = "'{0}' returns every {1} in one response; add page parameters and return one page";
    private const string Description = "A GET endpoint that returns a whole collection loads, serializes and sends every row; the response grows with the table until it times out or runs the server out of memory. Take page parameters and return one bounded page.";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.UnpaginatedCollection, Title, Message, RuleCategories.Performance, DiagnosticSeverity.Warning, Description);

    /// <summary>
    /// The same finding, judged when the whole compilation has been analyzed: an action whose rows come from a method
    /// the compiler analyzed before the action asked for it (see <see cref="Following"/>).
    /// </summary>
    internal static readonly DiagnosticDescriptor CompilationEndRule = RuleDescriptors.Create(
        RuleIds.UnpaginatedCollection, Title, Message, RuleCategories.Performance, DiagnosticSeverity.Warning, Description, WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, CompilationEndRule);

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

            // Types are looked up by the first callback that needs them (see References); nothing else is computed
            // until a handler is about to be reported.
            var compilation = start.Compilation;
            var lazy = References.Once(() => PaginationSymbols.Create(compilation) is { } symbols ? (Symbols: symbols, Sources: new PaginationSources(compilation, symbols)) : default);
            if (model.HasControllers)
            {
                // When the whole compilation is analyzed (a build), an action whose rows come from a method of another
                // file or further down this one waits for the compiler to analyze that method, rather than binding its
                // body first: the compiler binds every body anyway. A document analyzed alone (the IDE) binds at once.
                var waiting = new ConcurrentQueue<System.Action<CompilationAnalysisContext>>();
                start.RegisterSymbolStartAction(
                    typeStart =>
                    {
                        var type = (INamedTypeSymbol)typeStart.Symbol;
                        if (!model.IsController(type) && !model.IsAbstractController(type))
                        {
                            return;
                        }

                        var mayWait = typeStart.FilterTree is null;
                        typeStart.RegisterOperationAction(
                            c =>
                            {
                                if (ActionOfController(c, model) is { } method && lazy.Value.Symbols is { } symbols)
                                {
                                    AnalyzeAction(c, model, method, symbols, lazy.Value.Sources, waiting, mayWait);
                                }
                            },
                            OperationKind.MethodBody);
                    },
                    SymbolKind.NamedType);

                start.RegisterOperationAction(
                    c =>
                    {
                        if (!waiting.IsEmpty && c.ContainingSymbol is IMethodSymbol method && lazy.Value.Sources is { AnyWaiting: true } sources)
                        {
                            sources.Visit(method, c.Operation, c.CancellationToken);
                        }
                    },
                    OperationKind.MethodBody);

                start.RegisterCompilationEndAction(
                    end =>
                    {
                        while (waiting.TryDequeue(out var judge))
                        {
                            judge(end);
                        }
                    });
            }

            if (model.MapsEndpoints)
            {
                start.RegisterOperationAction(
                    c =>
                    {
                        if (((IInvocationOperation)c.Operation).TargetMethod.Name.StartsWith("Map", System.StringComparison.Ordinal)
                            && lazy.Value.Symbols is { } symbols)
                        {
                            AnalyzeMapCall(c, model, symbols, lazy.Value.Sources);
                        }
                    },
                    OperationKind.Invocation);
            }
        });
    }

    private static readonly OptionsCache<Settings> SettingsCache = new(options => new Settings(options));

    /// <summary>What one handler's analysis needs, parsed once per options instance (see <see cref="OptionsCache{T}"/>).</summary>
    internal sealed class Settings
    {
        private readonly ImmutableHashSet<string> _smallTypes;

        public Settings(AnalyzerConfigOptions options)
        {
            PageNames = PaginationNames.NormalizeAll(PageParameterNames.Read(options));
            MaxPageSize = UnpaginatedCollectionAnalyzer.MaxPageSize.Read(options);
            _smallTypes = SmallTypes.Read(options).Select(t => t.Trim()).ToImmutableHashSet(System.StringComparer.Ordinal);
        }

        public PageNameSet PageNames { get; }
        public int MaxPageSize { get; }

        /// <summary>A type named in <c>small_types</c>: by its name, its full name or its documentation-comment ID (<c>T:Shop.Country</c>).</summary>
        public bool IsSmallType(ITypeSymbol type)
        {
            if (_smallTypes.IsEmpty || type is not INamedTypeSymbol named)
            {
                return false;
            }

            var definition = named.OriginalDefinition;
            return _smallTypes.Contains(definition.Name)
                || _smallTypes.Contains(definition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)))
                || _smallTypes.Contains(definition.GetDocumentationCommentId() ?? string.Empty);
        }
    }

    // ---- Controller actions ---------------------------------------------------------------------------------

    /// <summary>
    /// The public instance method whose body this is, when its type is a controller (or an abstract base controller,
    /// whose actions are reported once, where they are declared). Asked before the rule's types are looked up, so
    /// that a compilation without controllers never looks them up.
    /// </summary>
    private static IMethodSymbol? ActionOfController(OperationAnalysisContext context, EndpointModel model)
        => !context.IsGeneratedCode
            && context.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, DeclaredAccessibility: Accessibility.Public, ContainingType: { } type } method
            && (model.IsController(type) || model.IsAbstractController(type))
                ? method
                : null;

    private static void AnalyzeAction(OperationAnalysisContext context, EndpointModel model, IMethodSymbol method, PaginationSymbols symbols, PaginationSources sources, ConcurrentQueue<System.Action<CompilationAnalysisContext>> deferred, bool mayWait)
    {
        // Whether the action serves GET is read from its attributes (an override without any takes its base's): the
        // rule needs no endpoints built.
        if (!model.IsActionCandidate(method)
            || !model.ServesGet(AttributeSource(method, symbols))
            || HasPagingAttribute(method))
        {
            return;
        }

        var settings = SettingsCache.Get(context.Options, context.Operation.Syntax.SyntaxTree);
        var body = context.Operation;
        var responseType = model.UnwrapResponse(method.ReturnType);
        var following = mayWait ? Following.WithoutBinding() : Following.Bind;
        var element = Unpaginated(responseType, method.Parameters, () => body, symbols, sources, settings, following, context.CancellationToken);
        if (following.Missing.Count > 0)
        {
            // A method on the way has not been analyzed yet: judged again, with every body at hand, at the end.
            sources.Wait(following);
            deferred.Enqueue(end =>
            {
                var late = Unpaginated(responseType, method.Parameters, () => body, symbols, sources, settings, Following.Bind, end.CancellationToken);
                if (ActionDiagnostic(CompilationEndRule, method, late, sources) is { } diagnostic)
                {
                    end.ReportDiagnostic(diagnostic);
                }
            });
            return;
        }

        if (ActionDiagnostic(Rule, method, element, sources) is { } found)
        {
            context.ReportDiagnostic(found);
        }
    }

    private static Diagnostic? ActionDiagnostic(DiagnosticDescriptor rule, IMethodSymbol method, ITypeSymbol? element, PaginationSources sources)
    {
        if (element is null || method.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
        {
            return null;
        }

        // A virtual action that a controller of the compilation overrides is judged there: the override is the action.
        var type = method.ContainingType;
        if ((method.IsVirtual || (method.IsOverride && !method.IsSealed)) && !type.IsSealed && sources.IsOverridden(method))
        {
            return null;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(HandlerProperty, ActionHandler);
        return Diagnostic.Create(rule, location, properties, method.Name, Describe(element));
    }

    /// <summary>
    /// The method whose routing attributes apply: the action itself, or for an override that declares none, the
    /// nearest overridden method that does (MVC reads action attributes with inheritance).
    /// </summary>
    private static IMethodSymbol AttributeSource(IMethodSymbol method, PaginationSymbols symbols)
    {
        if (!method.IsOverride)
        {
            return method;
        }

        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if (current.GetAttributes().Any(a => WellKnownTypes.Implements(a.AttributeClass, symbols.HttpMethodProvider) || WellKnownTypes.Implements(a.AttributeClass, symbols.RouteTemplateProvider)))
            {
                return current;
            }

            if (!current.IsOverride)
            {
                break;
            }
        }

        return method;
    }

    /// <summary>OData's <c>[EnableQuery(PageSize = n)]</c> (or MaxTop) pages the result on the server.</summary>
    private static bool HasPagingAttribute(IMethodSymbol method)
        => method.GetAttributes().Any(a => a.AttributeClass?.Name == "EnableQueryAttribute"
            && a.NamedArguments.Any(n => n.Key is "PageSize" or "MaxTop" && n.Value.Value is int size && size > 0));

    // ---- Minimal APIs -----------------------------------------------------------------------------------------

    private static void AnalyzeMapCall(OperationAnalysisContext context, EndpointModel model, PaginationSymbols symbols, PaginationSources sources)
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

        System.Func<IOperation?> body;
        Location location;
        string? name;
        string handler;
        if (endpoint.HandlerLambda is { } lambda)
        {
            body = () => lambda.Body;
            location = LambdaHead(lambda.Syntax);
            name = null; // the endpoint's name (its group prefixes) is looked up only for a report
            handler = LambdaHandler;
        }
        else if (endpoint.HandlerMethod is { } method && MethodGroupArgument(invocation) is { } reference)
        {
            // A handler declared in another file is bound through its own file's model, and only when it is needed.
            body = () => MethodBody(method, invocation, context.CancellationToken) ?? sources.Body(method, context.CancellationToken);
            location = reference.Syntax.GetLocation();
            name = method.Name;
            handler = MethodGroupHandler;
        }
        else
        {
            return;
        }

        var settings = SettingsCache.Get(context.Options, invocation.Syntax.SyntaxTree);
        var element = Unpaginated(endpoint.ResponseType ?? model.UnwrapResponse(endpoint.DeclaredReturnType), endpoint.Parameters, body, symbols, sources, settings, Following.Bind, context.CancellationToken);
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
        var pattern = Operations.ArgumentValue(mapCall.Arguments, "pattern");
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
        var methods = Operations.ArgumentValue(mapCall.Arguments, "httpMethods");
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

    /// <summary>
    /// The element type of the collection the endpoint returns unpaged from a database read the code shows; null when
    /// it is paged, bounded, no collection, or no unbounded source is visible.
    /// </summary>
    /// <param name="responseType">The handler's response body type (unwrapped from Task, ActionResult&lt;T&gt; ...).</param>
    /// <param name="body">The handler's body, asked for only once the response type says "collection" (or "some result").</param>
    private static ITypeSymbol? Unpaginated(ITypeSymbol? responseType, ImmutableArray<IParameterSymbol> parameters, System.Func<IOperation?> body, PaginationSymbols symbols, PaginationSources sources, Settings settings, Following following, CancellationToken cancellationToken)
    {
        // The response is looked at first: most GET handlers return one item, and the later checks walk the body.
        var declaredElement = symbols.ElementType(responseType);
        IPropertySymbol? wrapped = null;
        if (declaredElement is null)
        {
            if (responseType is null || responseType.SpecialType == SpecialType.System_Object)
            {
                // A result type (IActionResult, IResult, object) says nothing: what its handler returns is looked at. A
                // result other than object carries a body only through Ok or Json (Ok(list), Results.Json(list), new
                // OkObjectResult(list)): a handler whose text names neither (a page's View, a redirect) is not walked.
                return body() is { } resultBody && (responseType is not null || NamesBodyResult(resultBody.Syntax))
                    ? UnpaginatedResult(parameters, resultBody, symbols, sources, settings, following, cancellationToken)
                    : null;
            }

            wrapped = symbols.WrappedCollection(responseType);
            declaredElement = wrapped is null ? null : symbols.ElementType(wrapped.Type);
            if (declaredElement is null)
            {
                return null;
            }
        }
        else if (PaginationSymbols.IsPageEnvelope(responseType!))
        {
            return null;
        }

        if (PaginationQueries.IsBoundedKeyType(declaredElement))
        {
            return null;
        }

        var handlerBody = body();
        if (handlerBody is null || HasPageInput(parameters, handlerBody, symbols, settings.PageNames))
        {
            return null;
        }

        // Returned values that are the collection itself (not NotFound() and the like), or the list inside a wrapper.
        foreach (var returned in PaginationQueries.ReturnedValues(handlerBody, symbols, out _))
        {
            var value = wrapped is null
                ? (returned.Type is null or { TypeKind: TypeKind.Error } || sources.IsCollection(returned.Type) ? returned.Value : null)
                : WrappedValue(returned.Value, wrapped, symbols);
            if (value is not null && !Bounded(value, symbols, settings) && IsUnbounded(sources.Find(value, settings, following, cancellationToken), declaredElement, sources, settings))
            {
                return declaredElement;
            }
        }

        return IsUnbounded(sources.FindYielded(handlerBody, settings, following, cancellationToken), declaredElement, sources, settings) ? declaredElement : null;
    }

    private static bool NamesBodyResult(SyntaxNode handler)
        => TextSearch.ContainsAny(handler.SyntaxTree.GetText(), handler.Span, "Ok", "Json");

    /// <summary>IActionResult, IResult, object: what Ok(...), Json(...) and friends are given.</summary>
    private static ITypeSymbol? UnpaginatedResult(ImmutableArray<IParameterSymbol> parameters, IOperation body, PaginationSymbols symbols, PaginationSources sources, Settings settings, Following following, CancellationToken cancellationToken)
    {
        bool? pageInput = null;
        foreach (var returned in PaginationQueries.ReturnedValues(body, symbols, out _))
        {
            if (returned.Type is not { } type)
            {
                continue;
            }

            var value = returned.Value;
            var element = symbols.ElementType(type);
            if (element is null)
            {
                // Only a wrapper created here can carry the list (see WrappedValue): the type's members are read only
                // then. Reading them for every object a handler returns (Ok(ToModel(x))) was this rule's largest cost.
                if (PaginationQueries.StripAwait(value) is not IObjectCreationOperation
                    || symbols.WrappedCollection(type) is not { } wrapped
                    || WrappedValue(value, wrapped, symbols) is not { } inner)
                {
                    continue;
                }

                element = symbols.ElementType(wrapped.Type);
                value = inner;
            }
            else if (PaginationSymbols.IsPageEnvelope(type))
            {
                continue;
            }

            if (element is null || PaginationQueries.IsBoundedKeyType(element) || Bounded(value, symbols, settings))
            {
                continue;
            }

            pageInput ??= HasPageInput(parameters, body, symbols, settings.PageNames);
            if (pageInput == true)
            {
                return null;
            }

            if (IsUnbounded(sources.Find(value, settings, following, cancellationToken), element, sources, settings))
            {
                return element;
            }
        }

        return null;
    }

    private static bool IsUnbounded(ImmutableArray<RowSource> found, ITypeSymbol element, PaginationSources sources, Settings settings)
        => found.Any(s => sources.IsUnbounded(s, element, settings));

    /// <summary>The list given to a wrapper: <c>new ListResult&lt;T&gt;(rows)</c> or <c>new ListResult&lt;T&gt; { Data = rows }</c>.</summary>
    private static IOperation? WrappedValue(IOperation value, IPropertySymbol property, PaginationSymbols symbols)
    {
        if (PaginationQueries.StripAwait(value) is not IObjectCreationOperation creation)
        {
            return null;
        }

        foreach (var initializer in creation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
        {
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                && SymbolEqualityComparer.Default.Equals(target.Property.OriginalDefinition, property.OriginalDefinition))
            {
                return PaginationQueries.Trace(PaginationQueries.StripAwait(assignment.Value)).Value;
            }
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && symbols.ElementType(argument.Parameter?.Type) is not null)
            {
                return PaginationQueries.Trace(PaginationQueries.StripAwait(argument.Value)).Value;
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
    private static bool HasPageInput(ImmutableArray<IParameterSymbol> parameters, IOperation? body, PaginationSymbols symbols, PageNameSet names)
    {
        foreach (var parameter in parameters.IsDefault ? ImmutableArray<IParameterSymbol>.Empty : parameters)
        {
            if (names.Contains(parameter.Name, parameter.Type) || names.Contains(QueryName(parameter, symbols), parameter.Type) || parameter.Type.Name == "ODataQueryOptions")
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
                            && (names.Contains(property.Name, property.Type) || names.Contains(QueryName(property, symbols), property.Type)))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return body is not null && ReadsPageFromQuery(body, symbols, names);
    }

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
    private static bool ReadsPageFromQuery(IOperation body, PaginationSymbols symbols, PageNameSet names)
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
                && arguments.Any(a => a.Value.ConstantValue is { HasValue: true, Value: string key } && names.Contains(key, null)))
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
