using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>BR0002: <c>SELECT *</c> / <c>SELECT t.*</c> in SQL text that reaches ADO.NET, Dapper or EF Core.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SelectStarAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.SelectStar);

    /// <summary>Diagnostic property: the star can be rewritten by the fixer (shape-wise; the fixer still checks the row type).</summary>
    internal const string FixableProperty = "Fixable";

    /// <summary>Diagnostic property: the qualifier before the star, with its dot (<c>u.</c>), or empty.</summary>
    internal const string QualifierProperty = "Qualifier";

    /// <summary>Diagnostic property: the identifier quoting the SQL already uses: <c>"</c>, <c>[</c>, <c>`</c> or empty.</summary>
    internal const string QuoteProperty = "Quote";

    internal static readonly BoolOption FlagInsertSelect = new(RuleIds.SelectStar, "flag_insert_select", defaultValue: true);

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.SelectStar,
        title: "List the columns instead of SELECT *",
        messageFormat: "'SELECT {0}*' returns every column of the source; list the columns the code reads",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "SELECT * couples the code to the table's current shape: added columns are read and transferred for nothing, renamed or reordered columns break mappings at run time, and covering indexes cannot be used.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped here rather than by the driver: with GeneratedCodeAnalysisFlags.None the driver
        // checks every reported location against the [GeneratedCode] symbols of its whole file (a walk of the file,
        // charged to the first rule reporting there); IsGeneratedCode is already known for the operation's declaration.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!SqlSinks.Referenced(start.Compilation) || TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            // Types are looked up by the first callback that needs them (see References).
            var compilation = start.Compilation;
            var lazySinks = References.Once(() => SqlSinks.Create(compilation));
            start.RegisterOperationAction(
                operationContext =>
                {
                    if (!operationContext.IsGeneratedCode && SqlSinks.MayBeSink(operationContext.Operation) && lazySinks.Value is { } sinks && sinks.TryGetSink(operationContext.Operation, out var sink))
                    {
                        Analyze(operationContext, sink);
                    }
                },
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.SimpleAssignment);
        });
    }

    private static readonly char[] Star = { '*' };

    private static void Analyze(OperationAnalysisContext context, SqlSink sink)
    {
        // Most SQL has no star at all: find that out without assembling the text.
        if (!SqlText.MayContainAny(sink.SqlValue, Star))
        {
            return;
        }

        var text = SqlText.Build(sink.SqlValue);
        if (text.Text.IndexOf('*') < 0)
        {
            return;
        }

        var tokens = text.Tokens;
        var stars = SelectStarFinder.Find(text.Text, tokens);
        if (stars.IsEmpty)
        {
            return;
        }

        var flagInsertSelect = FlagInsertSelect.Read(context.Options.For(sink.Operation.Syntax.SyntaxTree));
        var quote = DetectQuoteStyle(text.Text, tokens);
        foreach (var star in stars)
        {
            if ((star.IsInsertSelect && !flagInsertSelect) || ReadsEntityTable(sink, star))
            {
                continue;
            }

            // The squiggle goes on the star when it is written inside the call; SQL held in a local is reported on
            // the argument (a diagnostic must lie within the code the action analyzes), with the star as an
            // additional location that the fix edits.
            var mapped = text.TryMapToSource(star.StarOffset, out var starSpan);
            var starLocation = mapped ? Location.Create(sink.Operation.Syntax.SyntaxTree, starSpan) : null;
            var onStar = mapped && sink.ReportNode.Span.Contains(starSpan);
            var location = onStar ? starLocation! : sink.ReportNode.GetLocation();
            var additional = !onStar && starLocation is not null ? new[] { starLocation } : null;
            var fixable = mapped && star.IsTopLevel && star.IsSoleItem && star.HasSingleSource && !star.IsInsertSelect && sink.RowType is not null;
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(FixableProperty, fixable ? "true" : "false")
                .Add(QualifierProperty, star.Qualifier)
                .Add(QuoteProperty, quote);
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, additional, properties, star.Qualifier));
        }
    }

    /// <summary>
    /// <c>db.Orders.FromSql("SELECT * FROM Orders")</c>: EF Core materializes the entity from every column it maps
    /// and requires them all in the result, so a star over the entity's own table is the list EF needs. The table is
    /// the one <c>[Table]</c> names, else the DbSet property the query starts from or the entity's type name (EF's
    /// conventions); a table EF maps by fluent configuration is not visible here, so that read stays reported.
    /// </summary>
    private static bool ReadsEntityTable(SqlSink sink, SelectStar star)
    {
        if (star is not { IsTopLevel: true, IsSoleItem: true, HasSingleSource: true, IsInsertSelect: false, SourceName: { } source }
            || sink.RowType is not INamedTypeSymbol entity
            || sink.Operation is not IInvocationOperation { TargetMethod.Name: var name } invocation
            || !name.StartsWith("FromSql", System.StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var attribute in entity.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "TableAttribute" } && attribute.ConstructorArguments.Length > 0)
            {
                return attribute.ConstructorArguments[0].Value is string table && SameName(table, source);
            }
        }

        return SameName(entity.Name, source)
            || (DbSetOf(invocation) is { } property && SameName(property.Name, source));
    }

    /// <summary>The DbSet property a FromSql call starts from: <c>db.Orders</c> in <c>db.Orders.FromSqlRaw(...)</c>.</summary>
    private static IPropertySymbol? DbSetOf(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0 && Operations.Unwrap(argument.Value) is IPropertyReferenceOperation property)
            {
                return property.Property;
            }
        }

        return null;
    }

    private static bool SameName(string a, string b) => string.Equals(a, b, System.StringComparison.OrdinalIgnoreCase);

    private static string DetectQuoteStyle(string sql, ImmutableArray<SqlToken> tokens)
    {
        foreach (var token in tokens)
        {
            if (token.Kind == SqlTokenKind.QuotedIdentifier)
            {
                var open = sql[token.Start];
                return open == '[' ? "[" : open.ToString();
            }
        }

        return string.Empty;
    }
}
