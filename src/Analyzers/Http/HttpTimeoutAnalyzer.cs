using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Http;

/// <summary>BR0003: outgoing HTTP clients that wait 100 seconds (the default) or forever for an answer.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HttpTimeoutAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.HttpTimeout);

    internal static readonly IntOption DefaultTimeoutSeconds = new(RuleIds.HttpTimeout, "default_timeout_seconds", 30, 1, 3600);
    internal static readonly IntOption MaxTimeoutSeconds = new(RuleIds.HttpTimeout, "max_timeout_seconds", 300, 1, 86_400);

    internal const string KindProperty = "Kind";
    internal const string CreationKind = "Creation";
    internal const string ValueKind = "Value";
    internal const string RegistrationKind = "Registration";

    private const string Title = "Give outgoing HTTP calls a timeout";
    private const string Description = "An HttpClient without an explicit timeout waits 100 seconds for each call (forever with an infinite timeout), holding request threads and connections while a dependency hangs.";

    internal static readonly DiagnosticDescriptor DefaultRule = RuleDescriptors.Create(
        RuleIds.HttpTimeout,
        Title,
        messageFormat: "'{0}' uses HttpClient's 100-second default timeout; set a timeout that fits the call",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        Description);

    internal static readonly DiagnosticDescriptor ExcessiveRule = RuleDescriptors.Create(
        RuleIds.HttpTimeout,
        Title,
        messageFormat: "The HttpClient timeout is {0}; use a bounded timeout of at most {1} seconds",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        Description);

    internal static readonly DiagnosticDescriptor RegistrationRule = RuleDescriptors.Create(
        RuleIds.HttpTimeout,
        Title,
        messageFormat: "'{0}' registers a client that uses the 100-second default timeout; configure a timeout or a resilience handler",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        Description);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DefaultRule, ExcessiveRule, RegistrationRule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            var types = new WellKnownTypes(start.Compilation);
            var httpClient = types.Get("System.Net.Http.HttpClient");
            if (httpClient is null)
            {
                return;
            }

            var symbols = new Symbols(
                httpClient,
                types.Get("System.Net.Http.HttpMessageHandler"),
                types.Get("System.Net.Http.HttpClientHandler"),
                types.Get("System.Net.Http.SocketsHttpHandler"),
                types.Get("System.Net.Http.DelegatingHandler"),
                types.Get("System.TimeSpan"),
                types.Get("Microsoft.Extensions.DependencyInjection.HttpClientFactoryServiceCollectionExtensions"),
                types.Get("Microsoft.Extensions.DependencyInjection.IHttpClientBuilder"),
                start.Compilation);

            start.RegisterOperationAction(c => AnalyzeCreation(c, symbols), OperationKind.ObjectCreation);
            start.RegisterOperationAction(c => AnalyzeTimeoutAssignment(c, symbols), OperationKind.SimpleAssignment);
            if (symbols.FactoryExtensions is not null)
            {
                start.RegisterOperationAction(c => AnalyzeRegistration(c, symbols), OperationKind.Invocation);
            }
        });
    }

    private sealed class Symbols
    {
        private readonly Lazy<bool> _defaultsSetTimeout;

        public Symbols(INamedTypeSymbol httpClient, INamedTypeSymbol? handler, INamedTypeSymbol? clientHandler, INamedTypeSymbol? socketsHandler, INamedTypeSymbol? delegatingHandler, INamedTypeSymbol? timeSpan, INamedTypeSymbol? factoryExtensions, INamedTypeSymbol? builder, Compilation compilation)
        {
            HttpClient = httpClient;
            Handler = handler;
            ClientHandler = clientHandler;
            SocketsHandler = socketsHandler;
            DelegatingHandler = delegatingHandler;
            TimeSpan = timeSpan;
            FactoryExtensions = factoryExtensions;
            Builder = builder;
            _defaultsSetTimeout = new Lazy<bool>(() => DefaultsSetTimeout(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public INamedTypeSymbol HttpClient { get; }
        public INamedTypeSymbol? Handler { get; }
        public INamedTypeSymbol? ClientHandler { get; }
        public INamedTypeSymbol? SocketsHandler { get; }
        public INamedTypeSymbol? DelegatingHandler { get; }
        public INamedTypeSymbol? TimeSpan { get; }
        public INamedTypeSymbol? FactoryExtensions { get; }
        public INamedTypeSymbol? Builder { get; }

        /// <summary>Whether <c>ConfigureHttpClientDefaults</c> somewhere in the compilation bounds every client's time.</summary>
        public bool DefaultsBoundTime => _defaultsSetTimeout.Value;

        // One syntax pass per compilation, and only when a registration is about to be reported.
        private static bool DefaultsSetTimeout(Compilation compilation)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                var text = tree.GetText();
                if (text.ToString().IndexOf("ConfigureHttpClientDefaults", StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (Name(invocation.Expression) == "ConfigureHttpClientDefaults" && BoundsTime(invocation.ArgumentList))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    private static string? Name(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The syntax assigns a Timeout, or adds a resilience handler or policy that bounds time.</summary>
    internal static bool BoundsTime(SyntaxNode node)
    {
        foreach (var descendant in node.DescendantNodesAndSelf())
        {
            switch (descendant)
            {
                case AssignmentExpressionSyntax { Left: var left } when Name(left) == "Timeout":
                    return true;
                case InvocationExpressionSyntax invocation when Name(invocation.Expression) is "AddStandardResilienceHandler" or "AddStandardHedgingHandler" or "AddTimeout" or "TimeoutAsync" or "Timeout":
                    return true;
            }
        }

        return false;
    }

    // ---- new HttpClient() ---------------------------------------------------------------------------------

    private static void AnalyzeCreation(OperationAnalysisContext context, Symbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is null || !WellKnownTypes.IsOrDerivesFrom(creation.Type, symbols.HttpClient)
            || creation.Initializer is { } initializer && initializer.Initializers.Any(i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Timeout" } })
            || UsesInMemoryHandler(creation, symbols))
        {
            return;
        }

        var (name, timeoutSetElsewhere) = StorageOf(creation, context.CancellationToken);
        if (name is null || timeoutSetElsewhere)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, CreationKind);
        context.ReportDiagnostic(Diagnostic.Create(DefaultRule, creation.Syntax.GetLocation(), properties, name));
    }

    /// <summary>
    /// A handler declared in source that derives straight from HttpMessageHandler (not HttpClientHandler,
    /// SocketsHttpHandler or a DelegatingHandler) answers in memory: a test fake, no network involved.
    /// </summary>
    private static bool UsesInMemoryHandler(IObjectCreationOperation creation, Symbols symbols)
    {
        var handler = creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
        var type = handler is null ? null : Operations.Unwrap(handler).Type;
        if (type is null || !type.Locations.Any(l => l.IsInSource) || !WellKnownTypes.IsOrDerivesFrom(type, symbols.Handler))
        {
            return false;
        }

        return !WellKnownTypes.IsOrDerivesFrom(type, symbols.ClientHandler)
            && !WellKnownTypes.IsOrDerivesFrom(type, symbols.SocketsHandler)
            && !WellKnownTypes.IsOrDerivesFrom(type, symbols.DelegatingHandler);
    }

    /// <summary>
    /// Where the client is kept (a local, field or property name) and whether a Timeout is assigned to it later:
    /// in the same body for a local, anywhere in the containing type for a field or property. A client that is
    /// returned or passed on is judged by whoever receives it: no name, no report.
    /// </summary>
    private static (string? Name, bool TimeoutSet) StorageOf(IObjectCreationOperation creation, CancellationToken cancellationToken)
    {
        IOperation current = creation;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        switch (current.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return (declarator.Symbol.Name, LocalTimeoutSet(declarator, cancellationToken));
            case IFieldInitializerOperation { InitializedFields: { Length: 1 } fields }:
                return (fields[0].Name, MemberTimeoutSet(fields[0], cancellationToken));
            case IPropertyInitializerOperation { InitializedProperties: { Length: 1 } properties }:
                return (properties[0].Name, MemberTimeoutSet(properties[0], cancellationToken));
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } when field.Instance is null or IInstanceReferenceOperation:
                return (field.Field.Name, MemberTimeoutSet(field.Field, cancellationToken));
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } when property.Instance is null or IInstanceReferenceOperation:
                return (property.Property.Name, MemberTimeoutSet(property.Property, cancellationToken));
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local }:
                return (local.Local.Name, LocalTimeoutSet(local.Local, current, cancellationToken));
            default:
                return (null, false);
        }
    }

    private static bool LocalTimeoutSet(IVariableDeclaratorOperation declarator, CancellationToken cancellationToken)
        => LocalTimeoutSet(declarator.Symbol, declarator, cancellationToken);

    private static bool LocalTimeoutSet(ILocalSymbol local, IOperation anywhereInBody, CancellationToken cancellationToken)
    {
        foreach (var operation in Operations.Root(anywhereInBody).Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Timeout", Instance: ILocalReferenceOperation reference } }
                && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Any <c>member.Timeout = ...</c> in any declaration of the containing type, matched by name.</summary>
    private static bool MemberTimeoutSet(ISymbol member, CancellationToken cancellationToken)
    {
        foreach (var reference in member.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var assignment in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (assignment.Left is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Timeout", Expression: var target }
                    && Name(target is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } self ? self : target) == member.Name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    // ---- client.Timeout = Timeout.InfiniteTimeSpan ------------------------------------------------------

    private static void AnalyzeTimeoutAssignment(OperationAnalysisContext context, Symbols symbols)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "Timeout" } property
            || !WellKnownTypes.IsOrDerivesFrom(property.Property.ContainingType, symbols.HttpClient))
        {
            return;
        }

        var seconds = TimeSpanSeconds(assignment.Value);
        if (seconds is null)
        {
            return;
        }

        var max = MaxTimeoutSeconds.Read(context.Options.For(assignment.Syntax.SyntaxTree));
        if (seconds <= max)
        {
            return;
        }

        var shown = double.IsPositiveInfinity(seconds.Value)
            ? "infinite"
            : seconds.Value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " seconds";
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, ValueKind);
        context.ReportDiagnostic(Diagnostic.Create(ExcessiveRule, assignment.Value.Syntax.GetLocation(), properties, shown, max));
    }

    /// <summary>The seconds a constant TimeSpan expression stands for; infinity for InfiniteTimeSpan and MaxValue.</summary>
    internal static double? TimeSpanSeconds(IOperation value)
    {
        value = Operations.Unwrap(value);
        switch (value)
        {
            case IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", ContainingType.Name: "Timeout" } }:
            case IFieldReferenceOperation { Field: { Name: "MaxValue", ContainingType.Name: "TimeSpan" } }:
            case IPropertyReferenceOperation { Property: { Name: "MaxValue", ContainingType.Name: "TimeSpan" } }:
                return double.PositiveInfinity;
            case IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.Name: "TimeSpan" } method } invocation
                when invocation.Arguments.Length >= 1 && invocation.Arguments.All(a => a.ArgumentKind == ArgumentKind.DefaultValue || a.Value.ConstantValue.HasValue):
                var first = Convert.ToDouble(invocation.Arguments[0].Value.ConstantValue.Value, System.Globalization.CultureInfo.InvariantCulture);
                return method.Name switch
                {
                    "FromMilliseconds" => first / 1000,
                    "FromSeconds" => first,
                    "FromMinutes" => first * 60,
                    "FromHours" => first * 3600,
                    "FromDays" => first * 86_400,
                    _ => null,
                };
            case IObjectCreationOperation { Type.Name: "TimeSpan" } creation
                when creation.Arguments.All(a => a.Value.ConstantValue.HasValue) && creation.Arguments.Length == 3:
                var parts = creation.Arguments.Select(a => Convert.ToDouble(a.Value.ConstantValue.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                return parts[0] * 3600 + parts[1] * 60 + parts[2];
            default:
                return null;
        }
    }

    // ---- services.AddHttpClient<T>() ----------------------------------------------------------------------

    private static void AnalyzeRegistration(OperationAnalysisContext context, Symbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name != "AddHttpClient"
            || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.FactoryExtensions)
            || invocation.Syntax is not InvocationExpressionSyntax syntax)
        {
            return;
        }

        // A configure delegate passed to AddHttpClient itself.
        if (BoundsTime(syntax.ArgumentList) || ChainBoundsTime(invocation, context.CancellationToken) || symbols.DefaultsBoundTime)
        {
            return;
        }

        var name = syntax.Expression is MemberAccessExpressionSyntax member ? member.Name.ToString() : syntax.Expression.ToString();
        var location = syntax.Expression is MemberAccessExpressionSyntax access ? access.Name.GetLocation() : syntax.GetLocation();
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, RegistrationKind);
        context.ReportDiagnostic(Diagnostic.Create(RegistrationRule, location, properties, name));
    }

    /// <summary>The builder calls chained on the registration, directly or through a local, in the same body.</summary>
    private static bool ChainBoundsTime(IInvocationOperation registration, CancellationToken cancellationToken)
    {
        // services.AddHttpClient<T>().ConfigureHttpClient(...).AddStandardResilienceHandler()
        SyntaxNode node = registration.Syntax;
        while (node.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax chained })
        {
            if (BoundsTime(chained.ArgumentList) || Name(((MemberAccessExpressionSyntax)node.Parent).Name) is "AddStandardResilienceHandler" or "AddStandardHedgingHandler")
            {
                return true;
            }

            node = chained;
        }

        // var builder = services.AddHttpClient<T>(); builder.ConfigureHttpClient(...);
        IOperation current = registration;
        while (current.Parent is IConversionOperation)
        {
            current = current.Parent;
        }

        if (current.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            foreach (var operation in Operations.Root(declarator).Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (operation is IInvocationOperation call
                    && call.Arguments.Any(a => Operations.Unwrap(a.Value) is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, declarator.Symbol))
                    && (BoundsTime(call.Syntax) || call.TargetMethod.Name is "AddStandardResilienceHandler" or "AddStandardHedgingHandler"))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
