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

namespace BackendRules.Caching;

/// <summary>
/// BR0013 fix: a time to live of <c>default_ttl_seconds</c> (300) in the call (the <c>TimeSpan</c> overload of
/// <c>IMemoryCache.Set</c>, new <c>DistributedCacheEntryOptions</c>), in the options created in the call, or as the
/// first statement of the <c>GetOrCreate</c> factory. Declines where the options or the entry live elsewhere.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CacheExpirationFixer)), Shared]
public sealed class CacheExpirationFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0013.Expiration";
    private const string DistributedNamespace = "Microsoft.Extensions.Caching.Distributed";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.CacheExpiration);

    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Give cache entries an expiration", ApplyAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var seconds = Seconds(context.Document, root);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, model, diagnostic, seconds, context.CancellationToken) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create($"Expire the entry after {seconds} seconds", c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static int Seconds(Document document, SyntaxNode root)
        => CacheExpirationAnalyzer.DefaultTtlSeconds.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree));

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var seconds = Seconds(document, root);
        var needs = new HashSet<string>(StringComparer.Ordinal);
        var changed = false;
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(root, model, diagnostic, seconds, cancellationToken) is { } plan)
            {
                plan.Apply(editor);
                needs.UnionWith(plan.Namespaces);
                changed = true;
            }
        }

        if (!changed)
        {
            return document;
        }

        if (editor.GetChangedRoot() is CompilationUnitSyntax unit)
        {
            foreach (var name in needs.OrderByDescending(n => n, StringComparer.Ordinal))
            {
                if (!unit.Usings.Any(u => u.Name?.ToString() == name))
                {
                    unit = unit.WithUsings(unit.Usings.Insert(0, SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name)).WithAdditionalAnnotations(Formatter.Annotation)));
                }
            }

            return await Formatter.FormatAsync(document.WithSyntaxRoot(unit), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(editor.GetChangedRoot()), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One call's edit and the namespaces it needs imported; null where the fix declines.</summary>
    private sealed class Edit
    {
        public Edit(Action<SyntaxEditor> apply, ImmutableArray<string> namespaces)
        {
            Apply = apply;
            Namespaces = namespaces;
        }

        public Action<SyntaxEditor> Apply { get; }

        public ImmutableArray<string> Namespaces { get; }
    }

    private static Edit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, int seconds, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(CacheExpirationAnalyzer.FixProperty, out var kind)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            return null;
        }

        var position = invocation.SpanStart;
        var ttl = $"TimeSpan.FromSeconds({seconds.ToString(CultureInfo.InvariantCulture)})";
        var needs = ImmutableArray.CreateBuilder<string>();
        if (!Visible(model, position, "TimeSpan", "System"))
        {
            needs.Add("System");
        }

        var arguments = invocation.ArgumentList.Arguments;
        switch (kind)
        {
            case nameof(CacheFixKind.AddTimeSpan):
            {
                var added = arguments.Add(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(ttl)).WithAdditionalAnnotations(Formatter.Annotation));
                return new Edit(e => e.ReplaceNode(invocation.ArgumentList, invocation.ArgumentList.WithArguments(added)), needs.ToImmutable());
            }

            case nameof(CacheFixKind.AddDistributedOptions):
            {
                if (!Visible(model, position, "DistributedCacheEntryOptions", DistributedNamespace))
                {
                    needs.Add(DistributedNamespace);
                }

                var options = SyntaxFactory.Argument(SyntaxFactory.ParseExpression($"new DistributedCacheEntryOptions {{ AbsoluteExpirationRelativeToNow = {ttl} }}"))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                var last = arguments.LastOrDefault();
                var beforeToken = last is not null && model.GetTypeInfo(last.Expression, cancellationToken).ConvertedType is { Name: "CancellationToken" };
                var changed = beforeToken ? arguments.Insert(arguments.Count - 1, options) : arguments.Add(options);
                return new Edit(e => e.ReplaceNode(invocation.ArgumentList, invocation.ArgumentList.WithArguments(changed)), needs.ToImmutable());
            }

            case nameof(CacheFixKind.OptionsInitializer):
            {
                var creation = arguments
                    .Select(a => Unparenthesize(a.Expression))
                    .OfType<BaseObjectCreationExpressionSyntax>()
                    .FirstOrDefault(c => model.GetTypeInfo(c, cancellationToken).Type is { Name: "MemoryCacheEntryOptions" or "DistributedCacheEntryOptions" });
                if (creation is null || creation.Initializer is { } existing && !existing.IsKind(SyntaxKind.ObjectInitializerExpression))
                {
                    return null;
                }

                var member = SyntaxFactory.ParseExpression($"AbsoluteExpirationRelativeToNow = {ttl}");
                var initializer = creation.Initializer is { } current
                    ? current.WithExpressions(current.Expressions.Add(member))
                    : SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList(member));
                var replaced = creation.WithInitializer(initializer.WithAdditionalAnnotations(Formatter.Annotation));
                if (replaced is ObjectCreationExpressionSyntax { ArgumentList: null } noArguments)
                {
                    replaced = noArguments.WithType(noArguments.Type.WithTrailingTrivia(SyntaxFactory.Space));
                }

                return new Edit(e => e.ReplaceNode(creation, replaced), needs.ToImmutable());
            }

            case nameof(CacheFixKind.Factory):
                return FactoryEdit(model, arguments, ttl, needs);

            default:
                return null;
        }
    }

    private static Edit? FactoryEdit(SemanticModel model, SeparatedSyntaxList<ArgumentSyntax> arguments, string ttl, ImmutableArray<string>.Builder needs)
    {
        var lambda = arguments.Select(a => a.Expression).OfType<LambdaExpressionSyntax>().FirstOrDefault();
        var parameter = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
            _ => null,
        };
        if (lambda is null || parameter is null || lambda.ExpressionBody is ThrowExpressionSyntax)
        {
            return null;
        }

        // `_ => Load()` names the entry `_`: it becomes `entry` when nothing else is called that and `_` is not read.
        var name = parameter.Identifier.ValueText;
        var renamed = parameter;
        if (name == "_")
        {
            if (lambda.Body.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText is "_" or "entry")
                || !model.LookupSymbols(lambda.SpanStart, name: "entry").IsEmpty)
            {
                return null;
            }

            name = "entry";
            renamed = parameter.WithIdentifier(SyntaxFactory.Identifier("entry").WithTriviaFrom(parameter.Identifier));
        }

        // Elastic line ends: the formatter lays the new statements out on lines of their own, in the file's line ending.
        var endOfLine = SyntaxFactory.ElasticEndOfLine(lambda.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n");
        var statement = SyntaxFactory.ParseStatement($"{name}.AbsoluteExpirationRelativeToNow = {ttl};")
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(endOfLine)
            .WithAdditionalAnnotations(Formatter.Annotation);
        BlockSyntax block;
        if (lambda.Block is { } existing)
        {
            block = existing.WithStatements(existing.Statements.Insert(0, statement));
        }
        else if (lambda.ExpressionBody is { } expression)
        {
            var returned = SyntaxFactory.ReturnStatement(expression.WithoutTrivia()).WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(endOfLine);
            block = SyntaxFactory.Block(
                    SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(endOfLine).WithTrailingTrivia(endOfLine),
                    SyntaxFactory.List(new StatementSyntax[] { statement, returned }),
                    SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.ElasticMarker))
                .WithTrailingTrivia(expression.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
        }
        else
        {
            return null;
        }

        LambdaExpressionSyntax changed = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.WithParameter(renamed).WithExpressionBody(null).WithBlock(block),
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized
                .WithParameterList(parenthesized.ParameterList.WithParameters(SyntaxFactory.SingletonSeparatedList(renamed)))
                .WithExpressionBody(null)
                .WithBlock(block),
            _ => lambda,
        };

        return new Edit(e => e.ReplaceNode(lambda, changed.WithAdditionalAnnotations(Formatter.Annotation)), needs.ToImmutable());
    }

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary>Whether the type's simple name binds to the type in that namespace at the position.</summary>
    private static bool Visible(SemanticModel model, int position, string typeName, string @namespace)
        => model.LookupNamespacesAndTypes(position, name: typeName).Any(s => s is INamedTypeSymbol t && t.ContainingNamespace?.ToDisplayString() == @namespace);
}
