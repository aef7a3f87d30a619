using System;
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
using Microsoft.CodeAnalysis.Formatting;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>BR0010 fix: a creating POST answers <c>CreatedAtAction</c>/<c>Created</c> with the new resource's location; a DELETE answers <c>NoContent</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StatusCodeFixer)), Shared]
public sealed class StatusCodeFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0010.AnswerStatus";

    private const string HoistedName = "created";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.StatusCode);

    // A hoisted value and the return it feeds, and a return type shared by two answers, touch the same nodes.
    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Answer with the method's status code", ApplyAsync);

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
            var plan = Plan(root, model, diagnostic, new HashSet<string>(StringComparer.Ordinal), context.CancellationToken);
            if (plan is null)
            {
                continue;
            }

            var title = diagnostic.Properties.TryGetValue(StatusCodeAnalyzer.MethodProperty, out var method) && method == "DELETE"
                ? "Answer 204 No Content"
                : "Answer 201 Created with the new resource's location";
            context.RegisterCodeFix(
                CodeAction.Create(title, c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var changedTypes = new HashSet<SyntaxNode>();
        var changed = false;
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Plan(root, model, diagnostic, names, cancellationToken) is not { } plan)
            {
                continue;
            }

            editor.ReplaceNode(plan.Answer, plan.NewAnswer);
            if (plan.Hoisted is { } hoisted && plan.Statement is { } statement)
            {
                // The stored value takes the statement's place (comments, blank line); the return follows it.
                var indentation = statement.GetLeadingTrivia().Reverse().TakeWhile(t => !t.IsKind(SyntaxKind.EndOfLineTrivia)).Reverse();
                editor.ReplaceNode(statement, (node, _) => node.WithLeadingTrivia(indentation));
                editor.InsertBefore(statement, hoisted);
            }
            if (plan.ReturnTypeName is { } typeName && changedTypes.Add(typeName))
            {
                editor.ReplaceNode(typeName, plan.NewReturnTypeName!);
            }

            changed = true;
        }

        if (!changed)
        {
            return document;
        }

        var result = document.WithSyntaxRoot(editor.GetChangedRoot());
        return await Formatter.FormatAsync(result, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private sealed class FixPlan
    {
        public FixPlan(ExpressionSyntax answer, ExpressionSyntax newAnswer)
        {
            Answer = answer;
            NewAnswer = newAnswer;
        }

        public ExpressionSyntax Answer { get; }
        public ExpressionSyntax NewAnswer { get; }
        public StatementSyntax? Statement { get; set; }
        public StatementSyntax? Hoisted { get; set; }
        public SyntaxNode? ReturnTypeName { get; set; }
        public SyntaxNode? NewReturnTypeName { get; set; }
    }

    private static FixPlan? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, HashSet<string> usedNames, CancellationToken cancellationToken)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(StatusCodeAnalyzer.MethodProperty, out var method)
            || !properties.TryGetValue(StatusCodeAnalyzer.FormProperty, out var form)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax answer)
        {
            return null;
        }

        var function = answer.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax);
        if (function is null)
        {
            return null;
        }

        return method == "DELETE"
            ? PlanDelete(model, answer, form!, function, usedNames, cancellationToken)
            : PlanCreate(model, answer, form!, function, properties, usedNames, cancellationToken);
    }

    // ---- DELETE -----------------------------------------------------------------------------------------------

    private static FixPlan? PlanDelete(SemanticModel model, ExpressionSyntax answer, string form, SyntaxNode function, HashSet<string> usedNames, CancellationToken cancellationToken)
    {
        if (answer is not InvocationExpressionSyntax invocation || Renamed(invocation.Expression, "NoContent") is not { } callee)
        {
            return null;
        }

        var plan = new FixPlan(invocation, SyntaxFactory.InvocationExpression(callee, SyntaxFactory.ArgumentList()).WithTriviaFrom(invocation));

        // The value no longer goes out, but whatever computing it does (a delete that returns the row) must still happen.
        if (invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression is { } value && !IsPure(value))
        {
            if (!(answer.Parent is ReturnStatementSyntax { Parent: BlockSyntax } statement))
            {
                return null;
            }

            var kept = value is AwaitExpressionSyntax or InvocationExpressionSyntax or AssignmentExpressionSyntax or ObjectCreationExpressionSyntax
                ? SyntaxFactory.ExpressionStatement(value.WithoutTrivia())
                : SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName("_"), value.WithoutTrivia()));
            plan.Statement = statement;
            plan.Hoisted = kept.WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(statement.GetTrailingTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
        }

        return WithReturnType(model, plan, form, function, "NoContent", keepTypeArguments: false, cancellationToken) ? plan : null;
    }

    /// <summary>Locals, parameters, members of them, constants and anonymous objects of those: dropping them changes nothing.</summary>
    private static bool IsPure(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax or LiteralExpressionSyntax or ThisExpressionSyntax or DefaultExpressionSyntax => true,
        MemberAccessExpressionSyntax member => IsPure(member.Expression),
        ParenthesizedExpressionSyntax parenthesized => IsPure(parenthesized.Expression),
        CastExpressionSyntax cast => IsPure(cast.Expression),
        AnonymousObjectCreationExpressionSyntax anonymous => anonymous.Initializers.All(i => IsPure(i.Expression)),
        _ => false,
    };

    // ---- POST -------------------------------------------------------------------------------------------------

    private static FixPlan? PlanCreate(SemanticModel model, ExpressionSyntax answer, string form, SyntaxNode function, ImmutableDictionary<string, string?> properties, HashSet<string> usedNames, CancellationToken cancellationToken)
    {
        if (!properties.TryGetValue(StatusCodeAnalyzer.KeyProperty, out var key) || key is null)
        {
            return null; // no key: the new resource cannot be named
        }

        properties.TryGetValue(StatusCodeAnalyzer.RouteProperty, out var route);
        properties.TryGetValue(StatusCodeAnalyzer.GetActionProperty, out var getAction);
        properties.TryGetValue(StatusCodeAnalyzer.GetKeyProperty, out var getKey);
        properties.TryGetValue(StatusCodeAnalyzer.RouteValuesProperty, out var routeValues);

        ExpressionSyntax value;
        ExpressionSyntax? receiver = null;
        if (form == StatusCodeAnalyzer.ImplicitForm)
        {
            value = answer;
        }
        else if (answer is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation)
        {
            value = invocation.ArgumentList.Arguments[0].Expression;
            receiver = invocation.Expression is MemberAccessExpressionSyntax member ? member.Expression : null;
        }
        else
        {
            return null;
        }

        // The value is named twice (its key in the location, itself as the body): a computed one is stored first.
        ExpressionSyntax reference;
        StatementSyntax? statement = null;
        StatementSyntax? hoisted = null;
        if (value is IdentifierNameSyntax identifier && model.GetSymbolInfo(identifier, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol)
        {
            reference = identifier.WithoutTrivia();
        }
        else
        {
            var returnStatement = answer.Ancestors().TakeWhile(a => a != function).OfType<ReturnStatementSyntax>().FirstOrDefault();
            if (returnStatement is not { Parent: BlockSyntax } || returnStatement.Expression is null)
            {
                return null;
            }

            var name = FreeName(model, function, returnStatement.SpanStart, usedNames);
            reference = SyntaxFactory.IdentifierName(name);
            statement = returnStatement;
            hoisted = SyntaxFactory.ParseStatement($"var {name} = {value.WithoutTrivia().ToFullString()};")
                .WithLeadingTrivia(returnStatement.GetLeadingTrivia())
                .WithTrailingTrivia(returnStatement.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        var keyText = key.Length == 0 ? reference.ToString() : reference + "." + key;
        string created;
        if (form is StatusCodeAnalyzer.ControllerForm or StatusCodeAnalyzer.ImplicitForm)
        {
            if (getAction is { Length: > 0 } && getKey is { Length: > 0 })
            {
                var values = string.IsNullOrEmpty(routeValues) ? string.Empty : routeValues + ", ";
                created = $"CreatedAtAction(nameof({getAction}), new {{ {values}{getKey} = {keyText} }}, {reference})";
            }
            else if (route is not null)
            {
                created = $"Created($\"{route}/{{{keyText}}}\", {reference})";
            }
            else
            {
                return null;
            }
        }
        else if (route is not null && receiver is not null)
        {
            created = $"{receiver.WithoutTrivia().ToFullString()}.Created($\"{route}/{{{keyText}}}\", {reference})";
        }
        else
        {
            return null;
        }

        var plan = new FixPlan(answer, SyntaxFactory.ParseExpression(created).WithTriviaFrom(answer))
        {
            Statement = statement,
            Hoisted = hoisted,
        };
        return WithReturnType(model, plan, form, function, "Created", keepTypeArguments: true, cancellationToken) ? plan : null;
    }

    /// <summary>A name no symbol in scope has and no identifier of the handler uses (a local of a nested block would clash, CS0136).</summary>
    private static string FreeName(SemanticModel model, SyntaxNode function, int position, HashSet<string> usedNames)
    {
        var inFunction = new HashSet<string>(function.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText), StringComparer.Ordinal);
        for (var i = 0; ; i++)
        {
            var name = i == 0 ? HoistedName : HoistedName + i;
            if (!usedNames.Contains(name) && !inFunction.Contains(name) && model.LookupSymbols(position, name: name).IsEmpty)
            {
                usedNames.Add(name);
                return name;
            }
        }
    }

    // ---- shared -----------------------------------------------------------------------------------------------

    /// <summary><c>Ok</c>, <c>this.Ok</c>, <c>TypedResults.Ok&lt;T&gt;</c> with a new name (type arguments dropped: inference decides).</summary>
    private static ExpressionSyntax? Renamed(ExpressionSyntax callee, string name) => callee switch
    {
        SimpleNameSyntax simple => SyntaxFactory.IdentifierName(name).WithTriviaFrom(simple),
        MemberAccessExpressionSyntax member => member.WithName(SyntaxFactory.IdentifierName(name).WithTriviaFrom(member.Name)),
        _ => null,
    };

    /// <summary>
    /// Where the handler declares its result type with <c>Ok</c> or <c>Ok&lt;T&gt;</c> (a typed result or a
    /// <c>Results&lt;...&gt;</c> union), the type follows the answer; it can only when this is the handler's only Ok
    /// answer. A controller declaring <c>OkObjectResult</c> cannot answer anything else: declined.
    /// </summary>
    private static bool WithReturnType(SemanticModel model, FixPlan plan, string form, SyntaxNode function, string newName, bool keepTypeArguments, CancellationToken cancellationToken)
    {
        var returnType = function switch
        {
            ParenthesizedLambdaExpressionSyntax lambda => lambda.ReturnType,
            LocalFunctionStatementSyntax local => local.ReturnType,
            MethodDeclarationSyntax method => method.ReturnType,
            _ => null,
        };
        if (returnType is null)
        {
            return true;
        }

        SimpleNameSyntax? okName = null;
        foreach (var name in returnType.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
        {
            if (name.Identifier.ValueText is "OkObjectResult" or "OkResult")
            {
                return false;
            }

            if (name.Identifier.ValueText == "Ok"
                && model.GetSymbolInfo(name, cancellationToken).Symbol is INamedTypeSymbol { ContainingNamespace: { Name: "HttpResults" } })
            {
                if (okName is not null)
                {
                    return false;
                }

                okName = name;
            }
        }

        if (okName is null)
        {
            return true;
        }

        if (form != StatusCodeAnalyzer.TypedResultsForm || CountOkAnswers(function) != 1)
        {
            return false;
        }

        plan.ReturnTypeName = okName;
        plan.NewReturnTypeName = keepTypeArguments && okName is GenericNameSyntax generic
            ? generic.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(generic.Identifier))
            : SyntaxFactory.IdentifierName(newName).WithTriviaFrom(okName);
        return true;
    }

    private static int CountOkAnswers(SyntaxNode function)
        => function.DescendantNodes(n => n == function || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<InvocationExpressionSyntax>()
            .Count(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Ok" } or IdentifierNameSyntax { Identifier.ValueText: "Ok" });
}
