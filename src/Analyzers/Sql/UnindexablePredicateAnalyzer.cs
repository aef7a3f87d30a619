using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>
/// BR0015: a comparison whose column side is wrapped in a function or arithmetic (or a LIKE pattern with a leading
/// wildcard), in SQL text reaching ADO.NET, Dapper or EF Core and in EF Core LINQ predicates: no index on the column
/// can be used for it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnindexablePredicateAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.UnindexablePredicate);

    /// <summary>Expressions the team has indexed (<c>LOWER(email)</c>, <c>Email.ToLower</c>): never reported.</summary>
    internal static readonly ListOption IndexedExpressions = new(RuleIds.UnindexablePredicate, "indexed_expressions", ImmutableArray<string>.Empty);

    /// <summary>Diagnostic property: the SQL the comparison becomes (a range); absent where the fix declines.</summary>
    internal const string SqlReplacementProperty = "SqlReplacement";

    /// <summary>Diagnostic property: the LINQ rewrite (<see cref="QueryableFixKind"/> name); absent where the fix declines.</summary>
    internal const string LinqFixProperty = "LinqFix";

    /// <summary>Diagnostic property: the type that builds the bounds of a Year rewrite (DateTime, DateOnly).</summary>
    internal const string TypeProperty = "Type";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.UnindexablePredicate,
        title: "Keep indexed columns bare in predicates",
        messageFormat: "'{0}' cannot use an index on the column: {1}",
        RuleCategories.Performance,
        DiagnosticSeverity.Warning,
        description: "A column wrapped in a function or arithmetic in a WHERE, ON or HAVING comparison (LOWER(email) = @e, YEAR(created_at) = 2024, x.CreatedAt.Year == year), and a LIKE pattern that starts with a wildcard, make the database compute the expression for every row: an index on the column cannot be sought, the query scans. Compare the bare column with a range, or index the expression.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped in the action (IsGeneratedCode), not by the driver: see SelectStarAnalyzer.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!(SqlSinks.Referenced(start.Compilation) || References.Contains(start.Compilation, "Microsoft.EntityFrameworkCore"))
                || TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            var compilation = start.Compilation;
            var lazySinks = References.Once(() => SqlSinks.Create(compilation));
            var lazyQueryable = References.Once(() => QueryablePredicates.Create(compilation));
            var indexed = new OptionsCache<HashSet<string>>(options => IndexedKeys(IndexedExpressions.Read(options)));
            start.RegisterOperationAction(
                operationContext =>
                {
                    var operation = operationContext.Operation;
                    if (operationContext.IsGeneratedCode)
                    {
                        return;
                    }

                    if (SqlSinks.MayBeSink(operation) && lazySinks.Value is { } sinks && sinks.TryGetSink(operation, out var sink))
                    {
                        AnalyzeSql(operationContext, sink, indexed);
                    }

                    if (operation is IInvocationOperation invocation && QueryablePredicates.MayBePredicateCall(invocation) && lazyQueryable.Value is { } queryable)
                    {
                        AnalyzeLinq(operationContext, invocation, queryable, indexed);
                    }
                },
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.SimpleAssignment);
        });
    }

    // A function call, a wildcard pattern, arithmetic or a cast: what a predicate the rule reports is written with.
    private static readonly char[] PredicateMarks = { '(', '%', '+', '-', '*', '/', ':' };

    private static void AnalyzeSql(OperationAnalysisContext context, SqlSink sink, OptionsCache<HashSet<string>> indexed)
    {
        // Most SQL has no predicate to look at: find that out without assembling the text.
        if (!SqlText.MayContainAny(sink.SqlValue, PredicateMarks))
        {
            return;
        }

        var text = SqlText.Build(sink.SqlValue);
        if (ReadsCatalog(text.Text))
        {
            return;
        }

        var findings = SqlPredicateFinder.Find(text.Text, text.Tokens);
        if (findings.IsEmpty)
        {
            return;
        }

        var tree = sink.Operation.Syntax.SyntaxTree;
        var skip = indexed.Get(context.Options, tree);
        foreach (var finding in findings)
        {
            if (skip.Count > 0 && skip.Contains(Normalize(finding.Expression)))
            {
                continue;
            }

            // The squiggle goes on the comparison when it is written inside the call; SQL held in a local is reported on
            // the argument, with the comparison as an additional location that the fix edits.
            var mapped = TryMapRange(text, finding.Start, finding.End, out var span);
            var comparisonLocation = mapped ? Location.Create(tree, span) : null;
            var onComparison = mapped && sink.ReportNode.Span.Contains(span);
            var location = onComparison ? comparisonLocation! : sink.ReportNode.GetLocation();
            var additional = !onComparison && comparisonLocation is not null ? new[] { comparisonLocation } : null;
            var properties = ImmutableDictionary<string, string?>.Empty;
            if (mapped && finding.Replacement is { } replacement)
            {
                properties = properties.Add(SqlReplacementProperty, replacement);
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, location, additional, properties, finding.Expression, Reason(finding.Problem, finding.Replacement is not null)));
        }
    }

    private static void AnalyzeLinq(OperationAnalysisContext context, IInvocationOperation invocation, QueryablePredicates queryable, OptionsCache<HashSet<string>> indexed)
    {
        var findings = new List<QueryableFinding>();
        queryable.Find(invocation, findings);
        if (findings.Count == 0)
        {
            return;
        }

        var skip = indexed.Get(context.Options, invocation.Syntax.SyntaxTree);
        foreach (var finding in findings)
        {
            if (skip.Contains(finding.Key))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            if (finding.Fix != QueryableFixKind.None)
            {
                properties = properties.Add(LinqFixProperty, finding.Fix.ToString());
                if (finding.TypeName is { } type)
                {
                    properties = properties.Add(TypeProperty, type);
                }
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, finding.Comparison.Syntax.GetLocation(), properties, finding.Expression, Reason(finding.Problem, finding.Fix != QueryableFixKind.None)));
        }
    }

    private static string Reason(SqlPredicateProblem problem, bool hasRange) => problem switch
    {
        SqlPredicateProblem.CaseFunction => "the case conversion runs on every row; use a case-insensitive collation for the column or an indexed computed column",
        SqlPredicateProblem.LeadingWildcard => "a pattern that starts with a wildcard is matched row by row; search by prefix or use full-text search",
        SqlPredicateProblem.Arithmetic => "the expression is computed for every row; move the arithmetic to the value side",
        _ when hasRange => "the function runs on every row; compare the bare column with a range",
        _ => "the function runs on every row; compare the bare column, or index the expression",
    };

    /// <summary>
    /// Queries of the database's own catalog (<c>pragma_table_info(...)</c>, <c>sqlite_master</c>,
    /// <c>information_schema</c>, <c>sys.</c>, <c>pg_catalog</c>): schema checks on small system views, not table data.
    /// </summary>
    private static bool ReadsCatalog(string sql)
    {
        foreach (var marker in new[] { "pragma_", "sqlite_master", "sqlite_schema", "information_schema", "sys.", "pg_catalog", "pg_class", "pg_indexes", "pg_tables" })
        {
            if (sql.IndexOf(marker, System.StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The source span of SQL text [start, end) when it sits, unescaped, in one literal.</summary>
    private static bool TryMapRange(SqlText text, int start, int end, out TextSpan span)
    {
        span = default;
        if (end <= start || !text.TryMapToSource(start, out var first) || !text.TryMapToSource(end - 1, out var last)
            || text.PieceAt(start) is not { } a || text.PieceAt(end - 1) is not { } b || a.Start != b.Start
            || last.End - first.Start != end - start)
        {
            return false;
        }

        span = TextSpan.FromBounds(first.Start, last.End);
        return true;
    }

    /// <summary>Option entries as keys: <c>lower(email)</c> for SQL, <c>email.tolower</c> for LINQ.</summary>
    internal static HashSet<string> IndexedKeys(ImmutableArray<string> entries)
    {
        var keys = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var key = Normalize(entry);
            if (key.EndsWith("()", System.StringComparison.Ordinal))
            {
                key = key.Substring(0, key.Length - 2);
            }

            if (key.IndexOf('(') < 0)
            {
                // LINQ: the last two segments (User.Email.ToLower -> email.tolower).
                var parts = key.Split('.');
                key = parts.Length >= 2 ? parts[parts.Length - 2] + "." + parts[parts.Length - 1] : key;
            }

            keys.Add(key);
        }

        return keys;
    }

    /// <summary>SQL as a key: lower case, no whitespace, quotes or brackets, no table qualifiers (<c>LOWER(u.[Email])</c> -> <c>lower(email)</c>).</summary>
    internal static string Normalize(string expression)
    {
        var builder = new StringBuilder(expression.Length);
        foreach (var c in expression)
        {
            if (!char.IsWhiteSpace(c) && c is not ('"' or '[' or ']' or '`'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        var key = builder.ToString();
        var open = key.IndexOf('(');
        if (open < 0)
        {
            return key;
        }

        // Drop qualifiers inside the call: lower(u.email) -> lower(email).
        var result = new StringBuilder(key.Length);
        result.Append(key, 0, open + 1);
        var word = new StringBuilder();
        for (var i = open + 1; i < key.Length; i++)
        {
            var c = key[i];
            if (c == '.')
            {
                word.Clear();
                continue;
            }

            if (char.IsLetterOrDigit(c) || c == '_')
            {
                word.Append(c);
                continue;
            }

            result.Append(word).Append(c);
            word.Clear();
        }

        result.Append(word);
        return result.ToString();
    }
}
