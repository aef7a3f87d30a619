using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using BackendRules.Internal;

namespace BackendRules.Hosting;

/// <summary>
/// BR0009 fix (minimal hosting): <c>builder.Services.AddHealthChecks();</c> before <c>Build()</c>, and a liveness
/// (<c>/health/live</c>, no checks) and a readiness endpoint (<c>/health/ready</c>, checks tagged <c>ready</c>) before <c>Run()</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HealthChecksFixer)), Shared]
public sealed class HealthChecksFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0009.HealthChecks";
    private const string Title = "Add health checks with liveness and readiness endpoints";

    private const string HealthChecksNamespace = "Microsoft.AspNetCore.Diagnostics.HealthChecks";
    private const string BuilderNamespace = "Microsoft.AspNetCore.Builder";
    private const string ServicesNamespace = "Microsoft.Extensions.DependencyInjection";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.HealthChecks);

    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Add health checks to the applications", ApplyAsync);

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
            if (Plan.Create(root, model, diagnostic, context.CancellationToken) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var namespaces = new SortedSet<string>(System.StringComparer.Ordinal);
        var changed = false;
        foreach (var diagnostic in diagnostics)
        {
            if (Plan.Create(root, model, diagnostic, cancellationToken) is not { } plan)
            {
                continue;
            }

            var newLine = NewLine(root);
            editor.InsertBefore(plan.BuildStatement, Statement(plan.BuildStatement, $"{plan.Builder}.Services.AddHealthChecks();", newLine));
            editor.InsertBefore(plan.RunStatement, new[]
            {
                Statement(plan.RunStatement, $"{plan.App}.MapHealthChecks(\"/health/live\", new HealthCheckOptions {{ Predicate = _ => false }});", newLine),
                Statement(plan.RunStatement, $"{plan.App}.MapHealthChecks(\"/health/ready\", new HealthCheckOptions {{ Predicate = check => check.Tags.Contains(\"ready\") }});", newLine),
            });
            namespaces.UnionWith(plan.MissingNamespaces);
            changed = true;
        }

        if (!changed)
        {
            return Task.FromResult(document);
        }

        var newRoot = editor.GetChangedRoot();
        if (newRoot is CompilationUnitSyntax unit && namespaces.Count > 0)
        {
            newRoot = AddUsings(unit, namespaces);
        }

        return Task.FromResult(document.WithSyntaxRoot(newRoot));
    }

    /// <summary>A statement shaped like its neighbour: a global statement at the top level, a plain one in a block.</summary>
    private static SyntaxNode Statement(SyntaxNode neighbour, string text, string newLine)
    {
        var statement = SyntaxFactory.ParseStatement(text)
            .WithLeadingTrivia(Indentation(neighbour))
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine));
        return neighbour is GlobalStatementSyntax ? SyntaxFactory.GlobalStatement(statement) : statement;
    }

    private static SyntaxTriviaList Indentation(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
            : SyntaxFactory.TriviaList();
    }

    private static string NewLine(SyntaxNode root)
        => root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } found ? found : "\n";

    private static CompilationUnitSyntax AddUsings(CompilationUnitSyntax unit, IEnumerable<string> namespaces)
    {
        var newLine = NewLine(unit);
        var usings = unit.Usings;
        foreach (var name in namespaces)
        {
            if (usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == name))
            {
                continue;
            }

            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name).WithLeadingTrivia(SyntaxFactory.Space))
                .WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine));

            // Sorted among the plain usings (System first, as the IDE does), or after the last one.
            var index = usings.Count;
            for (var i = 0; i < usings.Count; i++)
            {
                if (usings[i].Alias is null && usings[i].StaticKeyword.IsKind(SyntaxKind.None) && usings[i].GlobalKeyword.IsKind(SyntaxKind.None)
                    && usings[i].Name is { } existing && Compare(existing.ToString(), name) > 0)
                {
                    index = i;
                    break;
                }
            }

            if (index == 0 && usings.Count > 0)
            {
                // The first using carries the file's leading trivia (a header comment): keep it first.
                var first = usings[0];
                directive = directive.WithLeadingTrivia(first.GetLeadingTrivia());
                usings = usings.Replace(first, first.WithLeadingTrivia(SyntaxFactory.TriviaList()));
            }
            else if (usings.Count == 0)
            {
                // No usings: the directive goes first, and the code after it keeps a blank line.
                directive = directive.WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine), SyntaxFactory.EndOfLine(newLine));
            }

            usings = usings.Insert(index, directive);
        }

        return unit.WithUsings(usings);
    }

    private static int Compare(string a, string b)
    {
        var aSystem = a == "System" || a.StartsWith("System.", System.StringComparison.Ordinal);
        var bSystem = b == "System" || b.StartsWith("System.", System.StringComparison.Ordinal);
        return aSystem != bSystem ? (aSystem ? -1 : 1) : string.CompareOrdinal(a, b);
    }

    /// <summary>
    /// Where the fix writes: <c>var app = builder.Build();</c> as a statement of its own on a builder kept in a local
    /// or parameter, and a later <c>app.Run()</c>, <c>RunAsync()</c>, <c>Start()</c> or <c>StartAsync()</c> in the
    /// same statement list. Anything else (a Startup class, a chained <c>CreateBuilder(args).Build()</c>, an app that is
    /// never run here) is declined.
    /// </summary>
    private sealed class Plan
    {
        private Plan(SyntaxNode buildStatement, SyntaxNode runStatement, string builder, string app, ImmutableArray<string> missingNamespaces)
        {
            BuildStatement = buildStatement;
            RunStatement = runStatement;
            Builder = builder;
            App = app;
            MissingNamespaces = missingNamespaces;
        }

        public SyntaxNode BuildStatement { get; }
        public SyntaxNode RunStatement { get; }
        public string Builder { get; }
        public string App { get; }
        public ImmutableArray<string> MissingNamespaces { get; }

        public static Plan? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(HealthChecksAnalyzer.KindProperty, out var kind) || kind != HealthChecksAnalyzer.BuildKind
                || diagnostic.Location.SourceTree != root.SyntaxTree
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not
                {
                    Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax builder, Name.Identifier.ValueText: "Build" },
                    ArgumentList.Arguments.Count: 0,
                    Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax declaration } } declarator },
                } build
                || !declaration.UsingKeyword.IsKind(SyntaxKind.None)
                || model.GetSymbolInfo(builder, cancellationToken).Symbol is not (ILocalSymbol or IParameterSymbol)
                || model.GetTypeInfo(build, cancellationToken).Type is not INamedTypeSymbol { Name: "WebApplication" } appType)
            {
                return null;
            }

            var app = declarator.Identifier.ValueText;
            SyntaxNode buildStatement = declaration.Parent is GlobalStatementSyntax global ? global : declaration;
            var siblings = buildStatement.Parent switch
            {
                BlockSyntax block => block.Statements.Cast<SyntaxNode>().ToList(),
                CompilationUnitSyntax unit => unit.Members.Cast<SyntaxNode>().ToList(),
                _ => null,
            };
            if (siblings is null)
            {
                return null;
            }

            var run = siblings.Skip(siblings.IndexOf(buildStatement) + 1).FirstOrDefault(s => RunsApp(s, app));
            if (run is null)
            {
                return null;
            }

            // What the inserted code needs that the file does not see yet.
            var position = build.SpanStart;
            var missing = ImmutableArray.CreateBuilder<string>();
            if (model.LookupNamespacesAndTypes(position, name: "HealthCheckOptions").IsEmpty)
            {
                missing.Add(HealthChecksNamespace);
            }

            var services = model.Compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IServiceCollection");
            if (services is not null && model.LookupSymbols(position, services, "AddHealthChecks", includeReducedExtensionMethods: true).IsEmpty)
            {
                missing.Add(ServicesNamespace);
            }

            if (model.LookupSymbols(position, appType, "MapHealthChecks", includeReducedExtensionMethods: true).IsEmpty)
            {
                missing.Add(BuilderNamespace);
            }

            return new Plan(buildStatement, run, builder.Identifier.ValueText, app, missing.ToImmutable());
        }

        /// <summary><c>app.Run();</c>, <c>await app.RunAsync();</c>, <c>return app.RunAsync();</c> and the Start forms.</summary>
        private static bool RunsApp(SyntaxNode node, string app)
        {
            var statement = node is GlobalStatementSyntax global ? global.Statement : node;
            var expression = statement switch
            {
                ExpressionStatementSyntax e => e.Expression,
                ReturnStatementSyntax r => r.Expression,
                _ => null,
            };
            if (expression is AwaitExpressionSyntax awaited)
            {
                expression = awaited.Expression;
            }

            if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: var inner } })
            {
                expression = inner;
            }

            return expression is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.ValueText: "Run" or "RunAsync" or "Start" or "StartAsync" },
            } && target.Identifier.ValueText == app;
        }
    }
}
