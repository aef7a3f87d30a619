using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>BR0001: SQL text built from values (concatenation, interpolation, Format, Join, StringBuilder) instead of parameters.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SqlConcatenationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.SqlConcatenation);

    /// <summary>
    /// Extra sinks: documentation-comment IDs of methods, each optionally followed by <c>|parameter</c> (default: the
    /// method's first string parameter). Not '#': .editorconfig treats it as the start of a comment.
    /// </summary>
    internal static readonly ListOption AdditionalSinks = new(RuleIds.SqlConcatenation, "additional_sinks", ImmutableArray<string>.Empty);

    /// <summary>The placeholder prefix the fix writes (<c>@email</c>, <c>:email</c>, <c>$email</c>).</summary>
    internal static readonly StringOption ParameterPrefix = new(RuleIds.SqlConcatenation, "parameter_prefix", "@", value => value is "@" or ":" or "$");

    private const string Title = "Pass values to SQL as parameters, not as text";
    private const string Description = "SQL text built from values lets a value change the statement (SQL injection) and defeats plan caching. Pass values as parameters; allow-list names that must be part of the text.";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.SqlConcatenation,
        Title,
        messageFormat: "'{0}' is concatenated into SQL text; pass it as a parameter",
        RuleCategories.Security,
        DiagnosticSeverity.Warning,
        Description);

    internal static readonly DiagnosticDescriptor IdentifierRule = RuleDescriptors.Create(
        RuleIds.SqlConcatenation,
        Title,
        messageFormat: "'{0}' is inserted where SQL expects a name or keyword; check it against an allow-list of known values",
        RuleCategories.Security,
        DiagnosticSeverity.Warning,
        Description);

    /// <summary>
    /// Set on the diagnostic when the first offending value sits where SQL expects a name or keyword (the fix then
    /// declines: a name, or a piece of SQL syntax, cannot be a parameter). A property rather than the descriptor,
    /// because it travels with the diagnostic to the fixer wherever that runs.
    /// </summary>
    internal const string NameProperty = "SqlName";

    private static readonly ImmutableDictionary<string, string?> NameProperties = ImmutableDictionary<string, string?>.Empty.Add(NameProperty, "true");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, IdentifierRule);

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

            // Types are looked up by the first callback that needs them (see References).
            var compilation = start.Compilation;
            var lazySinks = References.Once(() => SqlSinks.Create(compilation));

            // Custom sinks are rare: when no file configures one, invocations are not checked against them at all.
            var custom = CustomSinks.AnyConfigured(start.Compilation, start.Options) ? new CustomSinks(start.Compilation) : null;
            if (custom is null && !SqlSinks.Referenced(compilation))
            {
                return;
            }
            var lazyFacts = References.Once(() => new SqlSourceFacts(compilation));

            start.RegisterOperationAction(
                operationContext =>
                {
                    var operation = operationContext.Operation;
                    if (operationContext.IsGeneratedCode)
                    {
                        return;
                    }

                    var sinks = SqlSinks.MayBeSink(operation) ? lazySinks.Value : null;
                    if (sinks is not null && sinks.TryGetSink(operation, out var sink))
                    {
                        if (sink.Kind != SqlSinkKind.EfFormattable)
                        {
                            Analyze(operationContext, sink, sinks, lazyFacts.Value);
                        }
                    }
                    else if (custom is not null && operation is IInvocationOperation invocation && custom.TryGetSink(invocation, operationContext.Options, out var customSink))
                    {
                        Analyze(operationContext, customSink, null, lazyFacts.Value);
                    }
                },
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.SimpleAssignment,
                OperationKind.CompoundAssignment);
        });
    }

    private static void Analyze(OperationAnalysisContext context, SqlSink sink, SqlSinks? sinks, SqlSourceFacts facts)
    {
        var analysisContext = context;
        if (!TryGetOffendingValues(sink, facts, () => analysisContext.GetControlFlowGraph(), out var offending, out var identifier))
        {
            return;
        }

        // A stored procedure's name is an object name, not a batch: the provider runs no text around it.
        if (sinks is not null && sinks.IsStoredProcedure(sink))
        {
            return;
        }

        var tree = sink.Operation.Syntax.SyntaxTree;
        var additional = new List<Location>();
        foreach (var value in offending)
        {
            if (value.Syntax.SyntaxTree == tree)
            {
                additional.Add(value.Syntax.GetLocation());
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(
            identifier ? IdentifierRule : Rule,
            sink.ReportNode.GetLocation(),
            additional,
            identifier ? NameProperties : null,
            Describe(offending[0])));
    }

    /// <summary>
    /// The values that make this sink's SQL unsafe, in source order; <paramref name="identifier"/> tells whether the
    /// first of them sits where SQL expects a name or keyword.
    /// </summary>
    internal static bool TryGetOffendingValues(SqlSink sink, SqlSourceFacts facts, Func<ControlFlowGraph?>? graph, out List<IOperation> offending, out bool identifier)
    {
        identifier = false;
        var safety = new SqlValueSafety(sink.Operation, facts);

        // command.CommandText += value builds onto the statement whatever the value is.
        if (!(sink.Operation is ICompoundAssignmentOperation && !Operations.IsConstant(sink.SqlValue)) && !safety.IsBuilt(sink.SqlValue))
        {
            offending = new List<IOperation>();
            return false;
        }

        offending = safety.CollectOffending(sink.SqlValue);
        if (offending.Count == 0)
        {
            return false;
        }

        // About to report: when a local written several times fed the text, count only the writes that reach it.
        if (safety.FollowedSeveralWrites)
        {
            offending = new SqlValueSafety(sink.Operation, facts, flowSensitive: true, graph).CollectOffending(sink.SqlValue);
            if (offending.Count == 0)
            {
                return false;
            }
        }

        // What command.CommandText += appends to is not in view: a value at its start has no context.
        identifier = IsIdentifier(sink.SqlValue, offending[0], requireContext: sink.Operation is ICompoundAssignmentOperation);
        return true;
    }

    /// <summary>
    /// Whether the value sits where SQL expects a name or keyword: in the text the sink receives when it can be
    /// rebuilt, otherwise in the piece of text the value is concatenated into (a local's later write, a +=).
    /// </summary>
    private static bool IsIdentifier(IOperation sqlValue, IOperation value, bool requireContext)
    {
        if (TryClassify(SqlText.Build(sqlValue), value, requireContext, out var position))
        {
            return position == HolePosition.Identifier;
        }

        var fragment = value;
        while (fragment.Parent is { } parent && IsTextBuilding(parent))
        {
            fragment = parent;
        }

        // A value at the very start of a piece has no visible context: it is not called a name.
        return !ReferenceEquals(fragment, value) && TryClassify(SqlText.Build(fragment, followLocals: false), value, requireContext: true, out position)
            && position == HolePosition.Identifier;
    }

    private static bool IsTextBuilding(IOperation operation) => operation switch
    {
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } => true,
        IInterpolatedStringOperation or IInterpolationOperation or IInterpolatedStringHandlerCreationOperation or IInterpolatedStringAppendOperation => true,
        IInterpolatedStringContentOperation => true,
        IConversionOperation { IsImplicit: true } or IParenthesizedOperation => true,
        IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, IsStatic: true, Name: "Concat" or "Format" } } } => true,
        IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, IsStatic: true, Name: "Concat" or "Format" } } => true,
        _ => false,
    };

    private static bool TryClassify(SqlText text, IOperation value, bool requireContext, out HolePosition position)
    {
        position = HolePosition.Value;
        var first = value.Syntax.Span;
        foreach (var piece in text.Pieces)
        {
            if (piece.Kind == SqlPieceKind.Hole && piece.Operation is { } hole && hole.Syntax.Span.Contains(first))
            {
                if (requireContext && text.Text.Substring(0, piece.Start).Trim().Length == 0)
                {
                    return false;
                }

                position = SqlHoles.Classify(text.Text, text.Tokens, piece.Start, out _);
                return true;
            }
        }

        return false;
    }

    /// <summary>The value as written, on one line: line breaks and their indentation dropped before a '.' or ')', one space elsewhere.</summary>
    internal static string Describe(IOperation value)
    {
        var source = value.Syntax.ToString();
        var text = new System.Text.StringBuilder(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c is not ('\r' or '\n'))
            {
                text.Append(c);
                continue;
            }

            while (text.Length > 0 && char.IsWhiteSpace(text[text.Length - 1]))
            {
                text.Length--;
            }

            while (i + 1 < source.Length && char.IsWhiteSpace(source[i + 1]))
            {
                i++;
            }

            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            var previous = text.Length > 0 ? text[text.Length - 1] : '\0';
            if (next is not ('.' or ')' or '\0') && previous != '(')
            {
                text.Append(' ');
            }
        }

        var result = text.ToString();
        return result.Length > 60 ? result.Substring(0, 59) + "…" : result;
    }

    /// <summary>Sinks a team adds with <c>backendrules.BR0001.additional_sinks</c>, resolved once per distinct option value.</summary>
    private sealed class CustomSinks
    {
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<string, ImmutableArray<(IMethodSymbol Method, string Parameter)>> _resolved = new();

        public CustomSinks(Compilation compilation) => _compilation = compilation;

        private static readonly OptionsCache<ConfiguredSinks> Entries = new(options => new ConfiguredSinks(AdditionalSinks.Read(options)));

        /// <summary>The configured entries of one options instance, and the key their resolved methods are cached under.</summary>
        private sealed class ConfiguredSinks
        {
            public ConfiguredSinks(ImmutableArray<string> list)
            {
                List = list;
                Key = string.Join(",", list);
            }

            public ImmutableArray<string> List { get; }
            public string Key { get; }
        }

        /// <summary>Without ADO.NET, Dapper or EF Core, the rule registers nothing unless some file configures a sink.</summary>
        public static bool AnyConfigured(Compilation compilation, AnalyzerOptions options)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (!Entries.Get(options, tree).List.IsEmpty)
                {
                    return true;
                }
            }

            return false;
        }

        public bool TryGetSink(IInvocationOperation invocation, AnalyzerOptions options, out SqlSink sink)
        {
            sink = default;
            var entries = Entries.Get(options, invocation.Syntax.SyntaxTree);
            if (entries.List.IsEmpty)
            {
                return false;
            }

            var resolved = _resolved.GetOrAdd(entries.Key, _ => Resolve(entries.List));
            var target = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
            foreach (var (method, parameter) in resolved)
            {
                if (!SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method))
                {
                    continue;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is { Type.SpecialType: SpecialType.System_String } candidate
                        && (parameter.Length == 0 ? candidate.Ordinal == FirstStringParameter(target) : candidate.Name == parameter))
                    {
                        sink = new SqlSink(SqlSinkKind.Custom, invocation, argument.Value, argument.Syntax, null);
                        return true;
                    }
                }
            }

            return false;
        }

        private static int FirstStringParameter(IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type.SpecialType == SpecialType.System_String)
                {
                    return parameter.Ordinal;
                }
            }

            return -1;
        }

        private ImmutableArray<(IMethodSymbol, string)> Resolve(ImmutableArray<string> entries)
        {
            var builder = ImmutableArray.CreateBuilder<(IMethodSymbol, string)>();
            foreach (var entry in entries)
            {
                var bar = entry.LastIndexOf('|');
                var id = (bar < 0 ? entry : entry.Substring(0, bar)).Trim();
                var parameter = bar < 0 ? string.Empty : entry.Substring(bar + 1).Trim();
                foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, _compilation))
                {
                    if (symbol is IMethodSymbol method)
                    {
                        builder.Add((method.OriginalDefinition, parameter));
                    }
                }
            }

            return builder.ToImmutable();
        }
    }
}
