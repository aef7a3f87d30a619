using System;
using System.Collections.Generic;
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

namespace BackendRules.Http;

/// <summary>BR0003 fix: sets <c>Timeout = TimeSpan.FromSeconds(N)</c> on the client, its value, or its registration.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HttpTimeoutFixer)), Shared]
public sealed class HttpTimeoutFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0003.SetTimeout";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.HttpTimeout);

    // Several fixes in one file may each need `using System;`: Fix All applies them to one editor and adds it once.
    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Set HTTP timeouts", (document, root, model, diagnostics, cancellationToken) => ApplyAsync(document, root, model, diagnostics, cancellationToken));

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
            var seconds = Seconds(context.Document, root);
            if (Plan(root, model, diagnostic, seconds, context.CancellationToken) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create($"Set a {seconds}-second timeout", c => ApplyAsync(context.Document, root, model, new[] { diagnostic }, c), EquivalenceKey),
                diagnostic);
        }
    }

    private static int Seconds(Document document, SyntaxNode root)
        => HttpTimeoutAnalyzer.DefaultTimeoutSeconds.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree));

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var seconds = Seconds(document, root);
        var any = false;
        foreach (var diagnostic in diagnostics)
        {
            var edit = Plan(root, model, diagnostic, seconds, cancellationToken);
            if (edit is not null)
            {
                edit(editor);
                any = true;
            }
        }

        if (!any)
        {
            return document;
        }

        // TimeSpan needs `using System;` where the file cannot already see it (no implicit usings).
        if (root is CompilationUnitSyntax unit && !model.LookupNamespacesAndTypes(unit.Members.FirstOrDefault()?.SpanStart ?? 0, name: "TimeSpan").Any())
        {
            editor.ReplaceNode(unit, (current, _) =>
            {
                var changed = (CompilationUnitSyntax)current;
                return changed.Usings.Any(u => u.Name?.ToString() == "System")
                    ? changed
                    : changed.WithUsings(changed.Usings.Insert(0, SyntaxFactory.UsingDirective(SyntaxFactory.IdentifierName("System")).WithAdditionalAnnotations(Formatter.Annotation)));
            });
        }

        var result = document.WithSyntaxRoot(editor.GetChangedRoot());
        return await Formatter.FormatAsync(result, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static ExpressionSyntax Timeout(int seconds)
        => SyntaxFactory.ParseExpression($"TimeSpan.FromSeconds({seconds.ToString(CultureInfo.InvariantCulture)})");

    private static Action<SyntaxEditor>? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, int seconds, CancellationToken cancellationToken)
    {
        if (diagnostic.Location.SourceTree != root.SyntaxTree || !diagnostic.Properties.TryGetValue(HttpTimeoutAnalyzer.KindProperty, out var kind))
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        switch (kind)
        {
            case HttpTimeoutAnalyzer.CreationKind:
                return PlanCreation(node as BaseObjectCreationExpressionSyntax ?? node.FirstAncestorOrSelf<BaseObjectCreationExpressionSyntax>(), seconds);
            case HttpTimeoutAnalyzer.ValueKind when node is ExpressionSyntax value:
                return editor => editor.ReplaceNode(value, Timeout(seconds).WithTriviaFrom(value));
            case HttpTimeoutAnalyzer.RegistrationKind:
                return PlanRegistration(node.FirstAncestorOrSelf<InvocationExpressionSyntax>(), model, seconds, cancellationToken);
            case HttpTimeoutAnalyzer.FactoryClientKind:
                return PlanFactoryClient(node.FirstAncestorOrSelf<InvocationExpressionSyntax>(), seconds);
            default:
                return null;
        }
    }

    private static Action<SyntaxEditor>? PlanCreation(BaseObjectCreationExpressionSyntax? creation, int seconds)
    {
        if (creation is null)
        {
            return null;
        }

        var assignment = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName("Timeout"), Timeout(seconds));
        return editor => editor.ReplaceNode(creation, (current, _) =>
        {
            var changed = (BaseObjectCreationExpressionSyntax)current;
            var initializer = changed.Initializer is { } existing
                ? existing.AddExpressions(assignment)
                : SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(assignment));
            if (changed is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } explicitCreation && changed.Initializer is null)
            {
                // new HttpClient() → new HttpClient { Timeout = ... }
                return explicitCreation
                    .WithType(explicitCreation.Type.WithTrailingTrivia(SyntaxFactory.Space))
                    .WithArgumentList(null)
                    .WithInitializer(initializer.WithTrailingTrivia(explicitCreation.ArgumentList!.GetTrailingTrivia()))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            }

            return changed.WithInitializer(initializer).WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    private static Action<SyntaxEditor>? PlanRegistration(InvocationExpressionSyntax? registration, SemanticModel model, int seconds, CancellationToken cancellationToken)
    {
        // Only registrations that return the client's IHttpClientBuilder: ConfigureHttpClient exists on nothing else.
        if (registration is null
            || model.GetSymbolInfo(registration, cancellationToken).Symbol is not IMethodSymbol { ReturnType: { Name: "IHttpClientBuilder", ContainingNamespace: { } builderNamespace } }
            || builderNamespace.ToDisplayString() != "Microsoft.Extensions.DependencyInjection")
        {
            return null;
        }

        // An existing block-bodied configure delegate gets the assignment as its first statement.
        foreach (var argument in registration.ArgumentList.Arguments)
        {
            if (argument.Expression is LambdaExpressionSyntax { Block: { } block } lambda
                && model.GetSymbolInfo(lambda, cancellationToken).Symbol is IMethodSymbol method
                && method.Parameters.FirstOrDefault(p => p.Type is { Name: "HttpClient", ContainingNamespace.Name: "Http" }) is { } clientParameter)
            {
                var statement = SyntaxFactory.ParseStatement($"{clientParameter.Name}.Timeout = TimeSpan.FromSeconds({seconds.ToString(CultureInfo.InvariantCulture)});");
                if (block.Statements.FirstOrDefault() is { } first)
                {
                    // Same indentation as the statement it goes before, and a plain line end.
                    var newLine = SyntaxText.NewLine(model.SyntaxTree, cancellationToken);
                    statement = statement.WithLeadingTrivia(first.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
                        .WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine));
                }
                else
                {
                    statement = statement.WithAdditionalAnnotations(Formatter.Annotation);
                }

                return editor => editor.ReplaceNode(block, (current, _) => ((BlockSyntax)current).WithStatements(((BlockSyntax)current).Statements.Insert(0, statement)));
            }
        }

        // Otherwise append ConfigureHttpClient right after the registration; it returns the same builder.
        var taken = new HashSet<string>(model.LookupSymbols(registration.SpanStart).Select(s => s.Name));
        var parameter = "client";
        for (var i = 2; taken.Contains(parameter); i++)
        {
            parameter = "client" + i.ToString(CultureInfo.InvariantCulture);
        }

        return editor => editor.ReplaceNode(registration, (current, _) => SyntaxFactory.ParseExpression(
                $"{current.WithoutTrivia()}.ConfigureHttpClient({parameter} => {parameter}.Timeout = TimeSpan.FromSeconds({seconds.ToString(CultureInfo.InvariantCulture)}))")
            .WithTriviaFrom(current));
    }

    /// <summary>
    /// A factory client kept in a local or assigned to a variable, field or property in a statement: the Timeout is
    /// set on it in the next statement, before any request can be sent (HttpClient refuses changes after the first).
    /// Declines for a client used on the spot, a field initializer or anything else it cannot follow with a statement.
    /// </summary>
    private static Action<SyntaxEditor>? PlanFactoryClient(InvocationExpressionSyntax? call, int seconds)
    {
        if (call is null)
        {
            return null;
        }

        ExpressionSyntax value = call;
        while (value.Parent is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            value = (ExpressionSyntax)value.Parent;
        }

        string target;
        StatementSyntax anchor;
        switch (value.Parent)
        {
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1 } declaration:
                target = declarator.Identifier.ValueText;
                if (declaration.Parent is LocalDeclarationStatementSyntax local)
                {
                    anchor = local;
                    break;
                }

                // using (var client = factory.CreateClient()) { ... }: first statement of the body.
                if (declaration.Parent is UsingStatementSyntax { Statement: BlockSyntax body })
                {
                    var first = body.Statements.FirstOrDefault() is { } existing
                        ? Statement(target, seconds, existing)
                        : Statement(target, seconds, null);
                    return editor => editor.ReplaceNode(body, (current, _) => ((BlockSyntax)current).WithStatements(((BlockSyntax)current).Statements.Insert(0, first)));
                }

                return null;
            case AssignmentExpressionSyntax { Left: var left, Parent: ExpressionStatementSyntax statement } assignment
                when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == value && IsSimpleTarget(left):
                target = left.WithoutTrivia().ToString();
                anchor = statement;
                break;
            default:
                return null;
        }

        var added = Statement(target, seconds, anchor);
        switch (anchor.Parent)
        {
            case BlockSyntax or SwitchSectionSyntax:
                return editor => editor.InsertAfter(anchor, added);
            case GlobalStatementSyntax global:
                // Top-level statements: the next statement is a global statement of its own.
                return editor => editor.InsertAfter(global, SyntaxFactory.GlobalStatement(added));
            default:
                return null;
        }
    }

    private static bool IsSimpleTarget(ExpressionSyntax left) => left switch
    {
        IdentifierNameSyntax => true,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or IdentifierNameSyntax, Name: IdentifierNameSyntax } => true,
        _ => false,
    };

    /// <summary>The statement, indented like its neighbour and ended with the file's line break.</summary>
    private static StatementSyntax Statement(string target, int seconds, StatementSyntax? neighbour)
    {
        var statement = SyntaxFactory.ParseStatement($"{target}.Timeout = TimeSpan.FromSeconds({seconds.ToString(CultureInfo.InvariantCulture)});");
        if (neighbour is null)
        {
            return statement.WithAdditionalAnnotations(Formatter.Annotation);
        }

        var newLine = SyntaxText.NewLine(neighbour.SyntaxTree, CancellationToken.None);
        var indentation = neighbour.GetLeadingTrivia().LastOrDefault();
        return statement.WithLeadingTrivia(indentation.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(indentation) : SyntaxFactory.TriviaList())
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine));
    }
}
