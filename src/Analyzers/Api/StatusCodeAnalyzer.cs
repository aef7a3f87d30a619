using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>BR0010: a POST that creates a resource answers 200 with it, or a DELETE answers 200.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StatusCodeAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.StatusCode);

    /// <summary>A DELETE that answers 200 with the deleted representation (<c>Ok(x)</c>) is allowed; <c>Ok()</c> still is not.</summary>
    internal static readonly BoolOption AllowDeletedRepresentation = new(RuleIds.StatusCode, "allow_deleted_representation", defaultValue: false);

    internal const string MethodProperty = "Method";
    internal const string FormProperty = "Form";
    internal const string KeyProperty = "Key";
    internal const string RouteProperty = "Route";
    internal const string GetActionProperty = "GetAction";
    internal const string GetKeyProperty = "GetKey";
    internal const string RouteValuesProperty = "RouteValues";

    internal const string ControllerForm = "Controller";
    internal const string ResultsForm = "Results";
    internal const string TypedResultsForm = "TypedResults";
    internal const string ImplicitForm = "Implicit";

    private const string Title = "Answer with the status code the method implies";
    private const string Description = "A POST that creates a resource answers 201 Created with a Location header that names the new resource; a DELETE answers 204 No Content. A 200 tells clients, caches and generated SDKs nothing about what happened, and hides where the new resource lives.";

    internal static readonly DiagnosticDescriptor CreateRule = RuleDescriptors.Create(
        RuleIds.StatusCode,
        Title,
        messageFormat: "POST '{0}' creates a resource and answers 200 OK; answer 201 Created with its location",
        RuleCategories.Design,
        DiagnosticSeverity.Warning,
        Description);

    internal static readonly DiagnosticDescriptor DeleteRule = RuleDescriptors.Create(
        RuleIds.StatusCode,
        Title,
        messageFormat: "DELETE '{0}' answers 200 OK; answer 204 No Content",
        RuleCategories.Design,
        DiagnosticSeverity.Warning,
        Description);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(CreateRule, DeleteRule);

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
            var symbols = References.Once(() => new Symbols(WellKnownTypes.Of(compilation)));
            if (model.HasControllers)
            {
                // Method bodies are looked at only in controllers: the type is asked once, not each of its members.
                start.RegisterSymbolStartAction(
                    typeStart =>
                    {
                        if (typeStart.Symbol is INamedTypeSymbol type && model.IsController(type))
                        {
                            typeStart.RegisterOperationAction(c => AnalyzeActionBody(c, model, symbols), OperationKind.MethodBody);
                        }
                    },
                    SymbolKind.NamedType);
            }

            if (model.MapsEndpoints)
            {
                // A method-group handler mapped twice (two versions of a group) is reported once.
                var reported = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
                start.RegisterOperationAction(
                    c =>
                    {
                        if (((IInvocationOperation)c.Operation).TargetMethod.Name is "MapPost" or "MapDelete" or "MapMethods")
                        {
                            AnalyzeMapCall(c, model, symbols.Value, reported);
                        }
                    },
                    OperationKind.Invocation);
            }
        });
    }

    // ---- controllers ------------------------------------------------------------------------------------------

    private static void AnalyzeActionBody(OperationAnalysisContext context, EndpointModel model, System.Lazy<Symbols> symbols)
    {
        if (context.IsGeneratedCode
            || context.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, DeclaredAccessibility: Accessibility.Public, ContainingType: { } type } method
            || !model.IsController(type)
            || !model.MayServeAny(method, "POST", "DELETE")
            || !model.IsActionCandidate(method)

            // Controllers with views answer forms with pages and redirects: status codes are the API's concern.
            || model.IsViewController(type)
            || !MayAnswerOk(context.Operation.Syntax))
        {
            return;
        }

        var endpoints = model.GetActionEndpoints(method, context.CancellationToken);
        var httpMethod = SingleMethod(endpoints);
        if (httpMethod is null)
        {
            return;
        }

        var endpoint = endpoints[0];
        var handler = new Handler(method.Name, method, context.Operation, endpoint, type);
        Analyze(context, model, symbols.Value, handler, httpMethod);
    }

    /// <summary>POST or DELETE when every endpoint of the action serves exactly that method; null otherwise.</summary>
    private static string? SingleMethod(ImmutableArray<Endpoint> endpoints)
    {
        string? single = null;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.HttpMethods.Length != 1 || (single is not null && single != endpoint.HttpMethods[0]))
            {
                return null;
            }

            single = endpoint.HttpMethods[0];
        }

        return single is "POST" or "DELETE" ? single : null;
    }

    /// <summary>
    /// A text-only pre-check: a body that never names <c>Ok</c> and returns nothing (no <c>return</c>, no expression
    /// body) can answer 200 only by a returned value. Its text is searched (far cheaper than its nodes); a word inside a
    /// longer one or a comment only lets the full check run.
    /// </summary>
    private static bool MayAnswerOk(SyntaxNode body)
        => TextSearch.ContainsAny(body.SyntaxTree.GetText(), body.Span, AnswerWords);

    // Most bodies say "return": it is looked for first, and the search stops there.
    private static readonly string[] AnswerWords = { "return", "=>", "Ok" };

    // ---- minimal APIs -----------------------------------------------------------------------------------------

    private static void AnalyzeMapCall(OperationAnalysisContext context, EndpointModel model, Symbols symbols, ConcurrentDictionary<IMethodSymbol, bool> reported)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (context.IsGeneratedCode || !model.IsMapMethod(invocation.TargetMethod) || !model.TryGetMinimalEndpoint(invocation, out var endpoint) || endpoint is null)
        {
            return;
        }

        var httpMethod = SingleMethod(ImmutableArray.Create(endpoint));
        if (httpMethod is null)
        {
            return;
        }

        IOperation? body;
        string name;
        if (endpoint.HandlerLambda is { } lambda)
        {
            body = lambda.Body;
            name = "/" + endpoint.Template;
        }
        else if (endpoint.HandlerMethod is { } method
                 && method.DeclaringSyntaxReferences.Length == 1
                 && method.DeclaringSyntaxReferences[0].SyntaxTree == invocation.Syntax.SyntaxTree
                 && reported.TryAdd(method, true))
        {
            // A handler declared in the same file is read through this file's semantic model; others are not followed.
            var declaration = method.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken);
            body = invocation.SemanticModel?.GetOperation(declaration, context.CancellationToken);
            name = method.Name;
        }
        else
        {
            return;
        }

        if (body is null || !MayAnswerOk(body.Syntax))
        {
            return;
        }

        var handler = new Handler(name, endpoint.HandlerMethod, body, endpoint, controller: null)
        {
            KnownRoute = model.HasKnownRoute(invocation),
        };
        Analyze(context, model, symbols, handler, httpMethod);
    }

    // ---- both -------------------------------------------------------------------------------------------------

    private sealed class Handler
    {
        public Handler(string name, IMethodSymbol? method, IOperation body, Endpoint endpoint, INamedTypeSymbol? controller)
        {
            Name = name;
            Method = method;
            Body = body;
            Endpoint = endpoint;
            Controller = controller;
        }

        public string Name { get; }
        public IMethodSymbol? Method { get; }
        public IOperation Body { get; }
        public Endpoint Endpoint { get; }

        /// <summary>The controller of an action; null for a minimal API.</summary>
        public INamedTypeSymbol? Controller { get; }

        /// <summary>Whether the combined template is the whole route (controllers always; minimal APIs when every group prefix is seen).</summary>
        public bool KnownRoute { get; set; } = true;
    }

    private static void Analyze(OperationAnalysisContext context, EndpointModel model, Symbols symbols, Handler handler, string httpMethod)
    {
        HashSet<ISymbol>? created = null;
        bool? allowDeleted = null;
        bool? readable = null;
        foreach (var returned in Returns(handler.Body))
        {
            var value = Operations.Unwrap(returned);
            var ok = OkOf(returned, symbols);
            if (httpMethod == "DELETE")
            {
                if (ok is not { } answer)
                {
                    continue;
                }

                allowDeleted ??= AllowDeletedRepresentation.Read(context.Options.For(answer.Call.Syntax.SyntaxTree));
                if (answer.Value is not null && allowDeleted == true)
                {
                    continue;
                }

                // Ok(false) is a failure dressed as success: it needs an error status, and 204 would hide it.
                if (answer.Value is { } flag && Operations.Unwrap(flag).ConstantValue is { HasValue: true, Value: false })
                {
                    continue;
                }

                var properties = ImmutableDictionary<string, string?>.Empty.Add(MethodProperty, "DELETE").Add(FormProperty, answer.Form);
                context.ReportDiagnostic(Diagnostic.Create(DeleteRule, answer.Call.Syntax.GetLocation(), properties, handler.Name));
                continue;
            }

            // POST: 200 with the entity the handler has just created.
            IOperation? entity;
            IOperation reportAt;
            string form;
            if (ok is { Value: { } okValue } okAnswer)
            {
                entity = okValue;
                reportAt = okAnswer.Call;
                form = okAnswer.Form;
            }
            else if (ok is null && returned is IConversionOperation { IsImplicit: true, OperatorMethod: { } conversion } implicitValue
                     && handler.Controller is not null
                     && symbols.ActionResultOfT is not null
                     && SymbolEqualityComparer.Default.Equals(conversion.ContainingType?.OriginalDefinition, symbols.ActionResultOfT)
                     && !IsResult(implicitValue.Operand.Type, symbols))
            {
                entity = implicitValue.Operand;
                reportAt = implicitValue.Operand;
                form = ImplicitForm;
            }
            else
            {
                continue;
            }

            // A list has no single location (Ok(page) after adding details to each row).
            if (IsCollection(Operations.Unwrap(entity).Type))
            {
                continue;
            }

            created ??= CreatedSymbols(handler.Body, symbols);
            if (!Holds(entity, created) && !CreatesInPlace(entity, symbols))
            {
                continue;
            }

            // A resource of this API can be read back: some GET of the same controller (or the same body of Map
            // calls) serves the POST's route or a route below it. A POST that makes something elsewhere (a payment
            // intent at a provider) or runs a command (/invoices/{id}/refund) has no location to give.
            readable ??= CanBeRead(model, handler, context.CancellationToken);
            if (readable == false)
            {
                return;
            }

            var props = ImmutableDictionary.CreateBuilder<string, string?>();
            props[MethodProperty] = "POST";
            props[FormProperty] = form;
            AddLocationProperties(props, model, handler, Operations.Unwrap(entity).Type, context.CancellationToken);
            context.ReportDiagnostic(Diagnostic.Create(CreateRule, reportAt.Syntax.GetLocation(), props.ToImmutable(), handler.Name));
        }
    }

    private static bool CanBeRead(EndpointModel model, Handler handler, CancellationToken cancellationToken)
    {
        var post = handler.Endpoint.Segments;
        var endpoints = handler.Controller is { } controller
            ? model.GetControllerEndpoints(controller, cancellationToken)
            : handler.Endpoint.MapCall is { } mapCall ? model.GetMinimalEndpointsInBody(mapCall, cancellationToken) : ImmutableArray<Endpoint>.Empty;
        foreach (var candidate in endpoints)
        {
            if (!candidate.HttpMethods.Contains("GET"))
            {
                continue;
            }

            var segments = candidate.Segments;
            if (segments.Length < post.Length)
            {
                continue;
            }

            var same = true;
            for (var i = 0; i < post.Length && same; i++)
            {
                same = SameSegment(post[i], segments[i]);
            }

            if (same)
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameSegment(RouteSegment left, RouteSegment right)
        => left.Kind == right.Kind
           && (left.Kind == RouteSegmentKind.Parameter
               ? string.Equals(ParameterName(left.Text), ParameterName(right.Text), StringComparison.OrdinalIgnoreCase)
               : string.Equals(left.Text, right.Text, StringComparison.OrdinalIgnoreCase));

    /// <summary>The values the handler returns (not those of nested lambdas or local functions).</summary>
    private static IEnumerable<IOperation> Returns(IOperation body)
    {
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current is IReturnOperation { ReturnedValue: { } value } && current.Kind == OperationKind.Return)
            {
                // Each branch of a conditional answer is an answer: id > 0 ? Ok() : NotFound().
                var answers = new Stack<IOperation>();
                answers.Push(value);
                while (answers.Count > 0)
                {
                    var answer = answers.Pop();
                    switch (Operations.Unwrap(answer))
                    {
                        case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                            answers.Push(whenFalse);
                            answers.Push(conditional.WhenTrue);
                            break;
                        case ISwitchExpressionOperation switchExpression:
                            foreach (var arm in switchExpression.Arms)
                            {
                                answers.Push(arm.Value);
                            }

                            break;
                        default:
                            yield return answer;
                            break;
                    }
                }

                continue;
            }

            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    stack.Push(child);
                }
            }
        }
    }

    private readonly struct OkAnswer
    {
        public OkAnswer(IInvocationOperation call, IOperation? value, string form)
        {
            Call = call;
            Value = value;
            Form = form;
        }

        public IInvocationOperation Call { get; }
        public IOperation? Value { get; }
        public string Form { get; }
    }

    /// <summary><c>Ok(...)</c> of a controller, <c>Results.Ok(...)</c>, <c>TypedResults.Ok(...)</c>.</summary>
    private static OkAnswer? OkOf(IOperation returned, Symbols symbols)
    {
        var value = Operations.Unwrap(returned);
        if (value is IAwaitOperation)
        {
            return null;
        }

        if (value is not IInvocationOperation { TargetMethod: { Name: "Ok" } method } call)
        {
            return null;
        }

        var containing = method.ContainingType?.OriginalDefinition;
        string? form = null;
        if (WellKnownTypes.IsOrDerivesFrom(containing, symbols.ControllerBase))
        {
            form = ControllerForm;
        }
        else if (symbols.Results is not null && SymbolEqualityComparer.Default.Equals(containing, symbols.Results))
        {
            form = ResultsForm;
        }
        else if (symbols.TypedResults is not null && SymbolEqualityComparer.Default.Equals(containing, symbols.TypedResults))
        {
            form = TypedResultsForm;
        }

        if (form is null)
        {
            return null;
        }

        var argument = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
        var argumentValue = argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue ? null : argument.Value;
        if (argumentValue is not null && Operations.Unwrap(argumentValue) is { ConstantValue: { HasValue: true, Value: null } })
        {
            argumentValue = null;
        }

        return new OkAnswer(call, argumentValue, form);
    }

    private static bool IsResult(ITypeSymbol? type, Symbols symbols)
        => type is null
           || WellKnownTypes.Implements(type, symbols.ActionResultInterface)
           || WellKnownTypes.Implements(type, symbols.ResultInterface)
           || (symbols.ActionResultInterface is not null && SymbolEqualityComparer.Default.Equals(type, symbols.ActionResultInterface))
           || (symbols.ResultInterface is not null && SymbolEqualityComparer.Default.Equals(type, symbols.ResultInterface));

    // ---- what the handler creates -----------------------------------------------------------------------------

    /// <summary>
    /// The locals and parameters that hold what the handler creates: the entity handed to an add (<c>DbSet.Add</c>,
    /// <c>DbContext.AddAsync</c>, a repository's <c>Add*</c>/<c>Insert*</c>/<c>Create*</c>), the value such a call or a
    /// <c>Create*Command</c> sent through a mediator returns, and locals computed from those (a mapped DTO).
    /// </summary>
    private static HashSet<ISymbol> CreatedSymbols(IOperation body, Symbols symbols)
    {
        var created = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var assignments = new List<(ISymbol Target, IOperation Value)>();
        foreach (var operation in body.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation call:
                    var kind = CreationKind(call, symbols);
                    if (kind == Creation.None)
                    {
                        break;
                    }

                    if (kind == Creation.Entity)
                    {
                        foreach (var argument in call.Arguments)
                        {
                            if (call.TargetMethod.IsExtensionMethod && argument.Parameter?.Ordinal == 0)
                            {
                                continue;
                            }

                            if (Operations.Unwrap(argument.Value) is { } passed && SymbolOf(passed) is { } symbol && IsSingleEntity(passed.Type)
                                && NamesWhatIsAdded(call.TargetMethod.Name, passed.Type!))
                            {
                                created.Add(symbol);
                            }
                        }
                    }

                    if (AssignedTo(call) is { } result && IsEntityResult(result))
                    {
                        created.Add(result);
                    }

                    break;
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                    assignments.Add((declarator.Symbol, initializer.Value));
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                    assignments.Add((target.Local, assignment.Value));
                    break;
            }
        }

        // Locals computed from a created value (a DTO mapped from the entity) hold it too.
        for (var pass = 0; pass < 4 && created.Count > 0; pass++)
        {
            var added = false;
            foreach (var (target, value) in assignments)
            {
                if (!created.Contains(target) && Holds(value, created))
                {
                    added |= created.Add(target);
                }
            }

            if (!added)
            {
                break;
            }
        }

        return created;
    }

    private enum Creation
    {
        None,

        /// <summary>The arguments are the new entity, and so is the result.</summary>
        Entity,

        /// <summary>Only the result is the new entity (or its key): a create command sent through a mediator.</summary>
        Result,
    }

    private static Creation CreationKind(IInvocationOperation call, Symbols symbols)
    {
        var method = call.TargetMethod;
        var name = method.Name;
        var containing = method.ContainingType;
        if (containing is null)
        {
            return Creation.None;
        }

        // EF Core: DbSet<T>.Add / AddAsync, DbContext.Add / AddAsync (AddRange adds many: no single new resource).
        if (name is "Add" or "AddAsync")
        {
            if ((symbols.DbSet is not null && SymbolEqualityComparer.Default.Equals(containing.OriginalDefinition, symbols.DbSet))
                || WellKnownTypes.IsOrDerivesFrom(containing, symbols.DbContext))
            {
                return Creation.Entity;
            }
        }

        // The framework's own Add* (collections, headers, model state, options, services) and Create* (factories,
        // loggers, scopes, clients) make nothing a client can fetch; Identity's CreateAsync stays with the team's call.
        if (IsFrameworkNamespace(containing.ContainingNamespace))
        {
            return Creation.None;
        }

        // A call on another object (a repository, a service, a context): a helper of the handler's own type or a
        // static factory (CreateModel(entity), Order.Create(...)) builds a value, it stores nothing.
        if (StartsWithCreationWord(name) && !IsUpsertOrMany(name) && OnAnotherObject(call))
        {
            return Creation.Entity;
        }

        // A mediator's Send(new CreateOrderCommand(...)): the request names the creation, the result is the new entity.
        foreach (var argument in call.Arguments)
        {
            if (Operations.Unwrap(argument.Value).Type is INamedTypeSymbol { Name: var requestName } requestType
                && !IsFrameworkNamespace(requestType.ContainingNamespace)
                && StartsWithCreationWord(requestName)
                && !IsUpsertOrMany(requestName)
                && (requestName.EndsWith("Command", StringComparison.Ordinal) || requestName.EndsWith("Request", StringComparison.Ordinal)))
            {
                return Creation.Result;
            }
        }

        return Creation.None;
    }

    private static bool IsCollection(ITypeSymbol? type)
        => type is not null && type.SpecialType != SpecialType.System_String
           && (type.SpecialType == SpecialType.System_Collections_IEnumerable || type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable));

    /// <summary>
    /// The argument is what the call adds: the method names nothing after its verb (<c>Add</c>, <c>AddAsync</c>), or
    /// names the argument's type (<c>CreateKey(APIKeyData)</c>, <c>AddFile(IFormFile)</c>). <c>AddSeriesModifiers(userId, series)</c>
    /// adds modifiers to the series: the series is not new.
    /// </summary>
    private static bool NamesWhatIsAdded(string methodName, ITypeSymbol argumentType)
    {
        var noun = methodName.EndsWith("Async", StringComparison.Ordinal) ? methodName.Substring(0, methodName.Length - 5) : methodName;
        foreach (var word in CreationWords)
        {
            if (noun.StartsWith(word, StringComparison.Ordinal))
            {
                noun = noun.Substring(word.Length);
                break;
            }
        }

        if (noun.Length == 0 || noun is "New" or "One" or "Entity" or "Item" or "Record")
        {
            return true;
        }

        if (argumentType.Name.IndexOf(noun, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return true;
        }

        return argumentType is INamedTypeSymbol { IsGenericType: true } generic
               && generic.TypeArguments.Any(t => t.Name.IndexOf(noun, StringComparison.OrdinalIgnoreCase) >= 0);
    }

    private static bool OnAnotherObject(IInvocationOperation call)
        => call.TargetMethod.IsExtensionMethod
            ? call.Arguments.Length > 0 && Operations.Unwrap(call.Arguments[0].Value) is not IInstanceReferenceOperation
            : call.Instance is { } instance && Operations.Unwrap(instance) is not IInstanceReferenceOperation;

    private static bool StartsWithCreationWord(string name)
    {
        foreach (var word in CreationWords)
        {
            if (name.StartsWith(word, StringComparison.Ordinal)
                && (name.Length == word.Length || char.IsUpper(name[word.Length])))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] CreationWords = { "Add", "Insert", "Create" };

    private static bool IsUpsertOrMany(string name)
        => name.IndexOf("Update", StringComparison.Ordinal) >= 0
           || name.IndexOf("Upsert", StringComparison.Ordinal) >= 0
           || name.IndexOf("Range", StringComparison.Ordinal) >= 0
           || name.IndexOf("Many", StringComparison.Ordinal) >= 0
           || name.IndexOf("Bulk", StringComparison.Ordinal) >= 0
           || name.IndexOf("Batch", StringComparison.Ordinal) >= 0;

    private static bool IsFrameworkNamespace(INamespaceSymbol? ns)
    {
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { Name: "System" or "Microsoft" };
    }

    private static ISymbol? SymbolOf(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    /// <summary>The local a call's value (awaited or not) is stored in: <c>var x = await repo.AddAsync(e);</c>.</summary>
    private static ISymbol? AssignedTo(IInvocationOperation call)
    {
        IOperation current = call;
        while (current.Parent is IAwaitOperation or IConversionOperation or IParenthesizedOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };
    }

    /// <summary>
    /// One resource: not a list of them (a batch has no single location), not a success flag, not something the handler
    /// disposes (a context, a scope, a connection a factory's Create* opens).
    /// </summary>
    private static bool IsSingleEntity(ITypeSymbol? type)
        => type is not null
           && type.TypeKind != TypeKind.Error
           && type.SpecialType is not (SpecialType.System_Boolean or SpecialType.System_Void)
           && (type.SpecialType == SpecialType.System_String
               || !type.AllInterfaces.Any(i => i.SpecialType is SpecialType.System_Collections_IEnumerable or SpecialType.System_IDisposable || i.Name == "IAsyncDisposable"));

    /// <summary>What a creating call returns is the new entity (or its key) unless it is an outcome: a <c>*Result</c> or <c>*Response</c>.</summary>
    private static bool IsEntityResult(ITypeSymbol? type)
        => IsSingleEntity(type)
           && !type!.Name.EndsWith("Result", StringComparison.Ordinal)
           && !type.Name.EndsWith("Response", StringComparison.Ordinal);

    private static bool IsEntityResult(ISymbol symbol)
        => symbol is ILocalSymbol { Type: var type } && IsEntityResult(type);

    private static bool Holds(IOperation value, HashSet<ISymbol> symbols)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (SymbolOf(operation) is { } symbol && symbols.Contains(symbol))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value a call gives once awaited: T of Task&lt;T&gt;/ValueTask&lt;T&gt;, null for Task/ValueTask.</summary>
    private static ITypeSymbol? Awaited(ITypeSymbol? type)
        => type is INamedTypeSymbol { Name: "Task" or "ValueTask", ContainingNamespace.Name: "Tasks" } task
            ? (task.IsGenericType && task.TypeArguments.Length == 1 ? task.TypeArguments[0] : null)
            : type;

    /// <summary>The answer is the creating call's own result: <c>Ok(await repository.AddAsync(order))</c>.</summary>
    private static bool CreatesInPlace(IOperation value, Symbols symbols)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation call && Awaited(call.Type) is { } result && IsEntityResult(result)
                && CreationKind(call, symbols) != Creation.None)
            {
                return true;
            }
        }

        return false;
    }

    // ---- where the new resource lives (for the fix) -----------------------------------------------------------

    /// <summary>
    /// What the fix needs to name the new resource: its key (a property or the value itself), the route of the
    /// collection with its parameters as the handler's parameter names, and for a controller the GET action of the
    /// same controller that answers the key (for CreatedAtAction). Left out when not found: the fix declines.
    /// </summary>
    private static void AddLocationProperties(ImmutableDictionary<string, string?>.Builder properties, EndpointModel model, Handler handler, ITypeSymbol? entityType, CancellationToken cancellationToken)
    {
        if (KeyOf(entityType) is not { } key)
        {
            return;
        }

        properties[KeyProperty] = key.Name;
        var parameters = handler.Endpoint.Parameters;
        if (handler.KnownRoute && Route(handler, model, parameters) is { } route)
        {
            properties[RouteProperty] = route;
        }

        if (handler.Controller is { } controller && GetAction(model, handler, controller, key.Type, cancellationToken) is { } get)
        {
            properties[GetActionProperty] = get.Action;
            properties[GetKeyProperty] = get.Key;
            properties[RouteValuesProperty] = get.RouteValues;
        }
    }

    private static readonly ImmutableHashSet<SpecialType> KeyTypes = ImmutableHashSet.Create(
        SpecialType.System_Int16, SpecialType.System_Int32, SpecialType.System_Int64, SpecialType.System_UInt32, SpecialType.System_UInt64, SpecialType.System_String);

    private static bool IsKeyType(ITypeSymbol type)
        => KeyTypes.Contains(type.SpecialType) || type is { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>The key of the new resource: the value itself (an id), its <c>Id</c>, or its <c>{Type}Id</c> (suffixes Dto, Model ... dropped).</summary>
    private static (string Name, ITypeSymbol Type)? KeyOf(ITypeSymbol? type)
    {
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            return null;
        }

        if (IsKeyType(type))
        {
            return (string.Empty, type);
        }

        var stem = type.Name;
        foreach (var suffix in new[] { "ViewModel", "Dto", "DTO", "Model", "Response", "Resource", "Entity" })
        {
            if (stem.EndsWith(suffix, StringComparison.Ordinal) && stem.Length > suffix.Length)
            {
                stem = stem.Substring(0, stem.Length - suffix.Length);
                break;
            }
        }

        foreach (var name in new[] { "Id", stem + "Id", "id" })
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(name))
                {
                    if (member is IPropertySymbol { IsStatic: false, GetMethod: not null, DeclaredAccessibility: Accessibility.Public, IsIndexer: false } property && IsKeyType(property.Type))
                    {
                        return (property.Name, property.Type);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The route of the POST as C# interpolated-string text (<c>/api/orgs/{orgId}/members</c>): literals as written,
    /// [controller] and [action] resolved, each parameter replaced by the handler parameter of its name. Null when a
    /// segment cannot be written (a parameter the handler does not take, a catch-all, an optional, [area]).
    /// </summary>
    private static string? Route(Handler handler, EndpointModel model, ImmutableArray<IParameterSymbol> parameters)
    {
        var segments = handler.Endpoint.Segments;
        if (segments.IsDefaultOrEmpty && handler.Controller is not null)
        {
            return null; // conventional routing: the URL depends on the route table
        }

        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            text.Append('/');
            switch (segment.Kind)
            {
                case RouteSegmentKind.Literal:
                    if (segment.Text.IndexOfAny(new[] { '"', '\\', '{', '}' }) >= 0)
                    {
                        return null;
                    }

                    text.Append(segment.Text);
                    break;
                case RouteSegmentKind.Token:
                    var resolved = segment.Text;
                    if (handler.Controller is { } controller)
                    {
                        resolved = resolved.Replace("[controller]", EndpointModel.GetControllerName(controller));
                        if (handler.Method is { } action)
                        {
                            resolved = resolved.Replace("[action]", model.GetActionName(action));
                        }
                    }

                    if (resolved.IndexOfAny(new[] { '[', ']', '"', '\\', '{', '}' }) >= 0)
                    {
                        return null;
                    }

                    text.Append(resolved);
                    break;
                default:
                    if (ParameterName(segment.Text) is not { } name
                        || parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is not { } parameter)
                    {
                        return null;
                    }

                    text.Append('{').Append(parameter.Name).Append('}');
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary><c>{id:int}</c> → <c>id</c>; null for catch-alls, optionals, defaults and segments mixing text and parameters.</summary>
    internal static string? ParameterName(string segment)
    {
        if (segment.Length < 3 || segment[0] != '{' || segment[segment.Length - 1] != '}' || segment.IndexOf('{', 1) >= 0)
        {
            return null;
        }

        var inner = segment.Substring(1, segment.Length - 2);
        if (inner.StartsWith("*", StringComparison.Ordinal) || inner.IndexOf('?') >= 0 || inner.IndexOf('=') >= 0)
        {
            return null;
        }

        var colon = inner.IndexOf(':');
        var name = colon >= 0 ? inner.Substring(0, colon) : inner;
        return name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c == '_') ? name : null;
    }

    /// <summary>
    /// A GET action of the same controller at the POST's route plus one parameter whose type is the key's
    /// (<c>GET api/orders/{id}</c> for <c>POST api/orders</c>), reachable by its method name (no Async suffix trimmed).
    /// </summary>
    private static (string Action, string Key, string RouteValues)? GetAction(EndpointModel model, Handler handler, INamedTypeSymbol controller, ITypeSymbol keyType, CancellationToken cancellationToken)
    {
        var post = handler.Endpoint.Segments;
        foreach (var candidate in model.GetControllerEndpoints(controller, cancellationToken))
        {
            if (!candidate.HttpMethods.Contains("GET") || candidate.HandlerMethod is not { } action)
            {
                continue;
            }

            var segments = candidate.Segments;
            if (segments.Length != post.Length + 1
                || segments[segments.Length - 1].Kind != RouteSegmentKind.Parameter
                || ParameterName(segments[segments.Length - 1].Text) is not { } keyName
                || model.GetActionName(action) != action.Name)
            {
                continue;
            }

            var same = true;
            for (var i = 0; i < post.Length && same; i++)
            {
                same = SameSegment(post[i], segments[i]);
            }

            var keyParameter = action.Parameters.FirstOrDefault(p => string.Equals(p.Name, keyName, StringComparison.OrdinalIgnoreCase));
            if (!same || keyParameter is null || !SymbolEqualityComparer.Default.Equals(keyParameter.Type.WithNullableAnnotation(NullableAnnotation.None), keyType.WithNullableAnnotation(NullableAnnotation.None)))
            {
                continue;
            }

            // The collection's own parameters travel as route values, from the POST's parameters of the same name.
            var values = new List<string>();
            for (var i = 0; i < post.Length; i++)
            {
                if (post[i].Kind != RouteSegmentKind.Parameter)
                {
                    continue;
                }

                var name = ParameterName(post[i].Text);
                var parameter = name is null ? null : handler.Endpoint.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                var getParameter = name is null ? null : action.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                if (parameter is null || getParameter is null)
                {
                    same = false;
                    break;
                }

                values.Add(getParameter.Name == parameter.Name ? parameter.Name : getParameter.Name + " = " + parameter.Name);
            }

            if (same)
            {
                return (action.Name, keyParameter.Name, string.Join(", ", values));
            }
        }

        return null;
    }

    private sealed class Symbols
    {
        public Symbols(WellKnownTypes types)
        {
            ControllerBase = types.Get("Microsoft.AspNetCore.Mvc.ControllerBase");
            ActionResultOfT = types.Get("Microsoft.AspNetCore.Mvc.ActionResult`1");
            ActionResultInterface = types.Get("Microsoft.AspNetCore.Mvc.IActionResult");
            ResultInterface = types.Get("Microsoft.AspNetCore.Http.IResult");
            Results = types.Get("Microsoft.AspNetCore.Http.Results");
            TypedResults = types.Get("Microsoft.AspNetCore.Http.TypedResults");
            DbSet = types.Get("Microsoft.EntityFrameworkCore.DbSet`1");
            DbContext = types.Get("Microsoft.EntityFrameworkCore.DbContext");
        }

        public INamedTypeSymbol? ControllerBase { get; }
        public INamedTypeSymbol? ActionResultOfT { get; }
        public INamedTypeSymbol? ActionResultInterface { get; }
        public INamedTypeSymbol? ResultInterface { get; }
        public INamedTypeSymbol? Results { get; }
        public INamedTypeSymbol? TypedResults { get; }
        public INamedTypeSymbol? DbSet { get; }
        public INamedTypeSymbol? DbContext { get; }
    }
}
