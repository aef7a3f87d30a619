using System;
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

namespace BackendRules.Http;

/// <summary>BR0003: outgoing HTTP clients that wait 100 seconds (the default) or forever for an answer.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HttpTimeoutAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.HttpTimeout);

    internal static readonly IntOption DefaultTimeoutSeconds = new(RuleIds.HttpTimeout, "default_timeout_seconds", 30, 1, 3600);
    internal static readonly IntOption MaxTimeoutSeconds = new(RuleIds.HttpTimeout, "max_timeout_seconds", 300, 1, 86_400);

    /// <summary>Methods that set up defaults for every client in another project (the Aspire service defaults).</summary>
    internal static readonly ListOption DefaultsMethods = new(RuleIds.HttpTimeout, "defaults_methods", ImmutableArray.Create("AddServiceDefaults"));

    internal const string KindProperty = "Kind";
    internal const string CreationKind = "Creation";
    internal const string ValueKind = "Value";
    internal const string RegistrationKind = "Registration";
    internal const string FactoryClientKind = "FactoryClient";

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

    // Registrations and CreateClient calls are judged with every other file's at the end of the compilation: the IDE shows
    // them with full solution analysis, and every build reports them.
    internal static readonly DiagnosticDescriptor RegistrationRule = RuleDescriptors.Create(
        RuleIds.HttpTimeout,
        Title,
        messageFormat: "'{0}' registers a client that uses the 100-second default timeout; configure a timeout or a resilience handler",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        Description,
        WellKnownDiagnosticTags.CompilationEnd);

    internal static readonly DiagnosticDescriptor FactoryClientRule = RuleDescriptors.Create(
        RuleIds.HttpTimeout,
        Title,
        messageFormat: "'{0}' returns a client no registration gives a timeout, so it waits HttpClient's default 100 seconds; register the name with a timeout or set one on the client",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        Description,
        WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DefaultRule, ExcessiveRule, RegistrationRule, FactoryClientRule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped in the actions (IsGeneratedCode) rather than by the driver: with
        // GeneratedCodeAnalysisFlags.None the driver checks every reported location against the [GeneratedCode]
        // symbols of its whole file, a walk of the file charged to the report (see SelectStarAnalyzer).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // HttpClient lives in System.Net.Http (on every .NET target that has it): without it there is no client.
            if (!References.Contains(start.Compilation, "System.Net.Http") || TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            // Types are looked up by the first callback that needs them (see References).
            var compilation = start.Compilation;
            var lazy = References.Once(() => HttpSymbols.Create(compilation));
            // A client kept in a field or property is judged by its uses across the type: at the end of the type, when
            // the compiler has bound every member already, instead of binding them ahead of it. Each creation is
            // handled in the scope of its innermost type when that type's text says "Client" (HttpClient, a typed
            // client); anywhere else (top-level statements, a type that names no client) on the spot, as it is met.
            start.RegisterSymbolStartAction(
                typeStart =>
                {
                    var type = (INamedTypeSymbol)typeStart.Symbol;
                    if (typeStart.IsGeneratedCode || !MayKeepClients(type, typeStart.CancellationToken))
                    {
                        return;
                    }

                    var kept = new KeptClients();
                    typeStart.RegisterOperationAction(
                        c =>
                        {
                            // Names first: most compilations create no client, and then never look the types up.
                            if (!c.IsGeneratedCode && SymbolEqualityComparer.Default.Equals(c.ContainingSymbol.ContainingType, type)
                                && NamedHttpClient(((IObjectCreationOperation)c.Operation).Type) && lazy.Value is { } symbols)
                            {
                                AnalyzeCreation(c, symbols, kept);
                            }
                        },
                        OperationKind.ObjectCreation);
                    typeStart.RegisterSymbolEndAction(
                        end =>
                        {
                            if (kept.Queue is { IsEmpty: false } queue && lazy.Value is { } symbols)
                            {
                                JudgeKeptClients(end, symbols, queue);
                            }
                        });
                },
                SymbolKind.NamedType);
            start.RegisterOperationAction(
                c =>
                {
                    if (!c.IsGeneratedCode && NamedHttpClient(((IObjectCreationOperation)c.Operation).Type)
                        && !(c.ContainingSymbol.ContainingType is { } type && MayKeepClients(type, c.CancellationToken))
                        && lazy.Value is { } symbols)
                    {
                        AnalyzeCreation(c, symbols, kept: null);
                    }
                },
                OperationKind.ObjectCreation);
            start.RegisterOperationAction(
                c =>
                {
                    if (!c.IsGeneratedCode && ((ISimpleAssignmentOperation)c.Operation).Target is IPropertyReferenceOperation { Property.Name: "Timeout" }
                        && lazy.Value is { } symbols)
                    {
                        AnalyzeTimeoutAssignment(c, symbols);
                    }
                },
                OperationKind.SimpleAssignment);

            // AddHttpClient and IHttpClientFactory live in Microsoft.Extensions.Http. A client name is one client however
            // many registrations, defaults and CreateClient calls it has, across files: they are collected as the compiler
            // hands them over and judged together when the compilation is done (no file is bound twice for it).
            if (References.Contains(compilation, "Microsoft.Extensions.Http"))
            {
                var registry = References.Once(() => new ClientRegistry(lazy.Value!));
                var candidates = new ConcurrentQueue<IInvocationOperation>();
                start.RegisterOperationAction(
                    c =>
                    {
                        if (!c.IsGeneratedCode && ClientRegistry.Concerns((IInvocationOperation)c.Operation, c.Options)
                            && lazy.Value is { } symbols && (symbols.FactoryExtensions is not null || symbols.ClientFactory is not null))
                        {
                            CollectFactoryCall(c, symbols, registry, candidates);
                        }
                    },
                    OperationKind.Invocation);
                start.RegisterCompilationEndAction(
                    end =>
                    {
                        if (lazy.Value is { } symbols && !candidates.IsEmpty)
                        {
                            JudgeFactoryCalls(end, symbols, registry.Value, candidates);
                        }
                    });
            }
        });
    }

    // ---- new HttpClient() ---------------------------------------------------------------------------------

    /// <summary>A type declared in source whose text says "Client": only those get a scope (and its allocations) of their own.</summary>
    private static bool MayKeepClients(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.IsImplicitlyDeclared)
        {
            return false;
        }

        return TextSearch.DeclarationMentions(type, "Client", cancellationToken);
    }

    /// <summary>Whether the type is named HttpClient or derives from a class so named (no type looked up).</summary>
    private static bool NamedHttpClient(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (current.Name == "HttpClient")
            {
                return true;
            }
        }

        return false;
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, HttpSymbols symbols, KeptClients? kept)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!symbols.IsHttpClient(creation.Type)
            || creation.Initializer is { } initializer && initializer.Initializers.Any(i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Timeout" } })
            || UsesInMemoryHandler(creation, symbols))
        {
            return;
        }

        var storage = ClientUses.Storage(ClientUses.Outer(creation));
        if (kept is not null && storage is IFieldSymbol or IPropertySymbol)
        {
            kept.Add(creation, storage);
            return;
        }

        if (CreationFinding(creation, storage, symbols, context.CancellationToken) is { } diagnostic)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// The clients a type keeps in fields and properties. The queue is made by the first one: most types whose text
    /// names a client keep none (a typed client's consumers, DTOs named for clients).
    /// </summary>
    private sealed class KeptClients
    {
        private ConcurrentQueue<(IObjectCreationOperation Creation, ISymbol Storage)>? _queue;

        public ConcurrentQueue<(IObjectCreationOperation Creation, ISymbol Storage)>? Queue => Volatile.Read(ref _queue);

        public void Add(IObjectCreationOperation creation, ISymbol storage)
        {
            var queue = Volatile.Read(ref _queue) ?? Interlocked.CompareExchange(ref _queue, new(), null) ?? _queue!;
            queue.Enqueue((creation, storage));
        }
    }

    private static void JudgeKeptClients(SymbolAnalysisContext context, HttpSymbols symbols, ConcurrentQueue<(IObjectCreationOperation Creation, ISymbol Storage)> kept)
    {
        foreach (var (creation, storage) in kept)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (CreationFinding(creation, storage, symbols, context.CancellationToken) is { } diagnostic)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    private static Diagnostic? CreationFinding(IObjectCreationOperation creation, ISymbol? storage, HttpSymbols symbols, CancellationToken cancellationToken)
    {
        if (!Reported(storage, new ClientUses(symbols, cancellationToken).Judge(creation)))
        {
            return null;
        }

        var name = storage?.Name ?? (creation.Arguments.IsEmpty ? $"new {creation.Type!.Name}()" : $"new {creation.Type!.Name}(...)");
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, CreationKind);
        return Diagnostic.Create(DefaultRule, creation.Syntax.GetLocation(), properties, name);
    }

    /// <summary>
    /// A client kept in a local, field or property is reported unless every HTTP call on it is bounded (a Timeout set
    /// on it counts): whoever keeps it owns it. One used on the spot is reported when a call on it is unbounded;
    /// one handed on (returned from a member others call, passed to a method) is judged by whoever receives it.
    /// </summary>
    private static bool Reported(ISymbol? storage, UseVerdict verdict)
        => storage is not null ? verdict != UseVerdict.Bounded : verdict == UseVerdict.Unbounded;

    /// <summary>
    /// A handler declared in source that derives straight from HttpMessageHandler (not HttpClientHandler,
    /// SocketsHttpHandler or a DelegatingHandler) answers in memory: a test fake, no network involved.
    /// </summary>
    private static bool UsesInMemoryHandler(IObjectCreationOperation creation, HttpSymbols symbols)
    {
        var handler = Operations.ArgumentValue(creation.Arguments, 0);
        var type = handler is null ? null : Operations.Unwrap(handler).Type;
        if (type is null || !type.Locations.Any(l => l.IsInSource) || !WellKnownTypes.IsOrDerivesFrom(type, symbols.Handler))
        {
            return false;
        }

        return !WellKnownTypes.IsOrDerivesFrom(type, symbols.ClientHandler)
            && !WellKnownTypes.IsOrDerivesFrom(type, symbols.SocketsHandler)
            && !WellKnownTypes.IsOrDerivesFrom(type, symbols.DelegatingHandler);
    }

    /// <summary>Any <c>member.Timeout = ...</c> in any declaration of the containing type, matched by name.</summary>
    internal static bool MemberTimeoutSet(ISymbol member, CancellationToken cancellationToken)
    {
        foreach (var reference in member.ContainingType.DeclaringSyntaxReferences)
        {
            // Only a declaration whose text says "Timeout" can assign one.
            if (!TextSearch.ContainsAny(reference.SyntaxTree.GetText(cancellationToken), reference.Span, "Timeout"))
            {
                continue;
            }

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

    private static string? Name(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };

    // ---- client.Timeout = Timeout.InfiniteTimeSpan ------------------------------------------------------

    private static void AnalyzeTimeoutAssignment(OperationAnalysisContext context, HttpSymbols symbols)
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

    // ---- services.AddHttpClient<T>(), factory.CreateClient("name") ----------------------------------------------

    /// <summary>
    /// A call the registry concerns (<see cref="ClientRegistry.Concerns"/>): the registry keeps what it needs of it, and
    /// the registrations and <c>CreateClient</c> calls that nothing in their own body bounds wait for the end of the
    /// compilation.
    /// </summary>
    private static void CollectFactoryCall(OperationAnalysisContext context, HttpSymbols symbols, Lazy<ClientRegistry> registry, ConcurrentQueue<IInvocationOperation> candidates)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var name = invocation.TargetMethod.Name;
        registry.Value.Record(invocation, context.Options, context.CancellationToken);

        switch (name)
        {
            case "AddHttpClient" when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.FactoryExtensions):
                if (Registrations.IsClientRegistration(invocation, symbols)
                    && invocation.Syntax is InvocationExpressionSyntax
                    && !Registrations.LocallyBounded(invocation, context.CancellationToken))
                {
                    candidates.Enqueue(invocation);
                }

                break;
            case "CreateClient" when Registrations.IsCreateClient(invocation, symbols):
                // What the code does with the client is judged at the end, and only for a name no registration
                // covers: by then the uses in this file are bound already (the operation keeps its file's model).
                if (Registrations.RequestedNames(invocation) is not null && invocation.Syntax is InvocationExpressionSyntax)
                {
                    candidates.Enqueue(invocation);
                }

                break;
        }
    }

    private static void JudgeFactoryCalls(CompilationAnalysisContext context, HttpSymbols symbols, ClientRegistry registry, ConcurrentQueue<IInvocationOperation> candidates)
    {
        foreach (var invocation in candidates)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (invocation.TargetMethod.Name == "CreateClient")
            {
                JudgeCreateClient(context, invocation, symbols, registry);
            }
            else
            {
                JudgeRegistration(context, invocation, registry);
            }
        }
    }

    /// <summary>
    /// A client registration, judged with every other registration of its name; <c>AddHttpClient(services)</c>
    /// registers the factory, not a client, and is never reported.
    /// </summary>
    private static void JudgeRegistration(CompilationAnalysisContext context, IInvocationOperation invocation, ClientRegistry registry)
    {
        var syntax = (InvocationExpressionSyntax)invocation.Syntax;
        var name = Registrations.ClientName(invocation);
        if (registry.DefaultsCover(ClientRegistry.Container(invocation)) || name is not null && registry.NameBounded(name, context.CancellationToken))
        {
            return;
        }

        var location = syntax.Expression is MemberAccessExpressionSyntax access ? access.Name.GetLocation() : syntax.GetLocation();
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, RegistrationKind);
        context.ReportDiagnostic(Diagnostic.Create(RegistrationRule, location, properties, RegistrationText(syntax, invocation, name)));
    }

    private static string RegistrationText(InvocationExpressionSyntax syntax, IInvocationOperation invocation, string? name)
    {
        var method = syntax.Expression is MemberAccessExpressionSyntax member ? member.Name.ToString() : "AddHttpClient";
        if (invocation.TargetMethod.IsGenericMethod)
        {
            return method;
        }

        var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter is { Name: "name" })?.Value.Syntax.ToString();
        return name is not null ? $"{method}(\"{name}\")"
            : argument is { Length: <= 60 } ? $"{method}({argument})"
            : method;
    }

    /// <summary>
    /// <c>CreateClient(name)</c> for a name no registration of this compilation serves gets the factory's default
    /// settings: HttpClient's 100 seconds unless defaults say otherwise. Registered names are judged at their
    /// registration; a compilation that registers no client at all gets its factory from elsewhere and is not judged.
    /// </summary>
    private static void JudgeCreateClient(CompilationAnalysisContext context, IInvocationOperation invocation, HttpSymbols symbols, ClientRegistry registry)
    {
        var names = Registrations.RequestedNames(invocation)!.Value;
        var syntax = (InvocationExpressionSyntax)invocation.Syntax;
        if (!registry.HasFactory || registry.AppDefaultsBound || names.All(registry.IsRegistered)
            || !Reported(ClientUses.Storage(ClientUses.Outer(invocation)), new ClientUses(symbols, context.CancellationToken).Judge(invocation)))
        {
            return;
        }

        var start = syntax.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.SpanStart,
            MemberBindingExpressionSyntax binding => binding.Name.SpanStart,
            _ => syntax.SpanStart,
        };
        var location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(start, syntax.Span.End));
        var shown = names.Length == 1 && names[0].Length == 0 ? "CreateClient()" : $"CreateClient(\"{names.First(n => !registry.IsRegistered(n))}\")";
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, FactoryClientKind);
        context.ReportDiagnostic(Diagnostic.Create(FactoryClientRule, location, properties, shown));
    }
}
