using System;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using BackendRules.Internal;

namespace BackendRules.Resilience;

/// <summary>
/// BR0008 fix: the constant wait becomes <c>min(cap, base * 2^attempt)</c> scaled by a random factor in [0.5, 1)
/// ("equal jitter": every wait is at least half the previous ceiling, so the waits still grow); where an async loop
/// does not wait, an awaited wait of that shape is added at the end of the retrying catch.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryBackoffFixer)), Shared]
public sealed class RetryBackoffFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0008.Backoff";
    private const string Title = "Back off exponentially with jitter and a cap";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.RetryBackoff);

    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Back off exponentially in retry loops", ApplyAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan.Create(context.Document, root, model, diagnostic, context.CancellationToken) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var changed = false;
        foreach (var diagnostic in diagnostics)
        {
            if (Plan.Create(document, root, model, diagnostic, cancellationToken) is { } plan)
            {
                plan.Apply(editor);
                changed = true;
            }
        }

        if (!changed)
        {
            return document;
        }

        var fixedDocument = document.WithSyntaxRoot(editor.GetChangedRoot());
        return await Formatter.FormatAsync(fixedDocument, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One diagnostic's rewrite: a wait's duration replaced, or a wait added to the retrying catch.</summary>
    private sealed class Plan
    {
        private readonly SyntaxNode _target;
        private readonly SyntaxNode _replacement;
        private readonly bool _insertBefore;
        private readonly bool _append;

        private Plan(SyntaxNode target, SyntaxNode replacement, bool insertBefore, bool append)
        {
            _target = target;
            _replacement = replacement;
            _insertBefore = insertBefore;
            _append = append;
        }

        public void Apply(SyntaxEditor editor)
        {
            if (_insertBefore)
            {
                editor.InsertBefore(_target, _replacement);
            }
            else if (_append)
            {
                editor.ReplaceNode(_target, (current, _) => ((BlockSyntax)current).AddStatements((StatementSyntax)_replacement));
            }
            else
            {
                editor.ReplaceNode(_target, _replacement);
            }
        }

        public static Plan? Create(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
                || node.AncestorsAndSelf().FirstOrDefault(n => n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax) is not StatementSyntax loop)
            {
                return null;
            }

            var config = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree);
            var io = new IoCalls(RetryBackoffAnalyzer.IoNamespaces.Read(config), RetryBackoffAnalyzer.AnyAwaitedCall.Read(config));

            // The reported wait may sit in a loop nested in the retry loop's body only if it is that loop's own; walk out until it is found.
            RetryLoop? retry = null;
            for (var candidate = loop; candidate is not null; candidate = candidate.Parent?.AncestorsAndSelf().FirstOrDefault(n => n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax) as StatementSyntax)
            {
                if (RetryLoop.Find(candidate, model, io, cancellationToken) is { } found
                    && (found.Waits.Any(w => w.Span == diagnostic.Location.SourceSpan) || found.Waits.IsEmpty && found.Keyword.Span == diagnostic.Location.SourceSpan))
                {
                    retry = found;
                    break;
                }
            }

            // Declines where the attempt is unknown (a retry flag) or counted down (attempts left), and where
            // Random.Shared (.NET 6+) is missing: a shared Random field would need locking on older targets.
            if (retry is not { Counter: { } counter, CountsUp: true }
                || model.Compilation.GetTypeByMetadataName("System.Random") is not { } random
                || random.GetMembers("Shared").IsEmpty)
            {
                return null;
            }

            var cap = RetryBackoffAnalyzer.MaxDelayMs.Read(config);
            var attempt = counter is IFieldSymbol { IsStatic: false } ? "this." + counter.Name : counter.Name;
            if (retry.Waits.IsEmpty)
            {
                if (!retry.IsAsync || retry.RetryCatch is not { } retryCatch)
                {
                    return null;
                }

                var baseMs = RetryBackoffAnalyzer.BaseDelayMs.Read(config);
                var wait = SyntaxFactory.ParseStatement("await " + Name(model, retryCatch.Block.SpanStart, "System.Threading.Tasks.Task") + ".Delay("
                        + Backoff(model, retryCatch.Block.SpanStart, Number(baseMs), Math.Max(cap, baseMs), attempt) + ");")
                    .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)
                    .WithAdditionalAnnotations(Formatter.Annotation);
                var statements = retryCatch.Block.Statements;
                if (statements.Count > 0 && statements[statements.Count - 1] is ContinueStatementSyntax last)
                {
                    return new Plan(last, wait, insertBefore: true, append: false);
                }

                var flow = statements.Count == 0 ? null : model.AnalyzeControlFlow(statements[0], statements[statements.Count - 1]);
                return statements.Count == 0 || flow is { Succeeded: true, EndPointIsReachable: true }
                    ? new Plan(retryCatch.Block, wait, insertBefore: false, append: true)
                    : null;
            }

            var waitCall = retry.Waits.First(w => w.Span == diagnostic.Location.SourceSpan);
            // A named duration (millisecondsDelay: 500) would name the int parameter for a TimeSpan value.
            if (waitCall.ArgumentList.Arguments.Any(a => a.NameColon is not null))
            {
                return null;
            }

            var duration = waitCall.ArgumentList.Arguments[0].Expression;
            var (baseText, known) = BaseMilliseconds(duration, model, cancellationToken);
            if (baseText is null)
            {
                return null;
            }

            var effectiveCap = known is { } ms ? Math.Max(cap, ms) : cap;
            var expression = SyntaxFactory.ParseExpression(Backoff(model, duration.SpanStart, baseText, effectiveCap, attempt))
                .WithTriviaFrom(duration)
                .WithAdditionalAnnotations(Formatter.Annotation);
            return new Plan(duration, expression, insertBefore: false, append: false);
        }

        /// <summary><c>TimeSpan.FromMilliseconds(Math.Min(cap, base * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2))</c>.</summary>
        private static string Backoff(SemanticModel model, int position, string baseMs, double cap, string attempt)
        {
            var math = Name(model, position, "System.Math");
            return Name(model, position, "System.TimeSpan") + ".FromMilliseconds(" + math + ".Min(" + Number(cap) + ", " + baseMs + " * " + math + ".Pow(2, " + attempt + "))"
                + " * (0.5 + " + Name(model, position, "System.Random") + ".Shared.NextDouble() / 2))";
        }

        /// <summary>The type's simple name where it means that type at the position, else its global:: qualified name.</summary>
        private static string Name(SemanticModel model, int position, string metadataName)
        {
            var simple = metadataName.Substring(metadataName.LastIndexOf('.') + 1);
            var type = model.Compilation.GetTypeByMetadataName(metadataName);
            var found = model.LookupNamespacesAndTypes(position, name: simple).Where(s => s is not INamedTypeSymbol { Arity: > 0 }).ToList();
            return type is not null && found.Count == 1 && SymbolEqualityComparer.Default.Equals(found[0], type) ? simple : "global::" + metadataName;
        }

        private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

        /// <summary>The wait's duration in milliseconds, as text, and its value where it is known.</summary>
        private static (string? Text, double? Value) BaseMilliseconds(ExpressionSyntax duration, SemanticModel model, CancellationToken cancellationToken)
        {
            var type = model.GetTypeInfo(duration, cancellationToken).ConvertedType;
            if (type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double)
            {
                var constant = model.GetConstantValue(duration, cancellationToken);
                if (constant is { HasValue: true, Value: { } value })
                {
                    var ms = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    return (Number(ms), ms);
                }

                return (duration is IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax ? duration.WithoutTrivia().ToString() : "(" + duration.WithoutTrivia() + ")", null);
            }

            if (type is not { Name: "TimeSpan" })
            {
                return (null, null);
            }

            if (duration is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var unit }, ArgumentList.Arguments: { Count: 1 } arguments }
                && model.GetConstantValue(arguments[0].Expression, cancellationToken) is { HasValue: true, Value: { } amount }
                && Factor(unit) is { } factor)
            {
                var ms = Convert.ToDouble(amount, CultureInfo.InvariantCulture) * factor;
                return (Number(ms), ms);
            }

            var text = duration is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax ? duration.WithoutTrivia().ToString() : "(" + duration.WithoutTrivia() + ")";
            return (text + ".TotalMilliseconds", null);
        }

        private static double? Factor(string unit) => unit switch
        {
            "FromMilliseconds" => 1,
            "FromSeconds" => 1000,
            "FromMinutes" => 60_000,
            "FromHours" => 3_600_000,
            _ => null,
        };
    }
}
