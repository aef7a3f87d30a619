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
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace BackendRules.Api;

/// <summary>
/// BR0012 fix: renames the segment to its plural (<c>user/{id}</c> → <c>users/{id}</c>, <c>[controller]</c> → <c>Users</c>);
/// a second action keeps the old route as a deprecated alias on controllers so existing clients do not break.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SingularCollectionNameFixer)), Shared]
public sealed class SingularCollectionNameFixer : CodeFixProvider
{
    internal const string RenameKey = "BR0012.Pluralize";
    internal const string AliasKey = "BR0012.PluralizeKeepAlias";

    internal const string AliasComment = "// Deprecated: the singular route, kept so existing clients do not break; remove it once they use the plural one.";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.SingularCollectionName);

    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var endpoints = EndpointModel.Create(model.Compilation);
        if (endpoints is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var plan = Plan(root, model, endpoints, diagnostic, context.CancellationToken);
            if (plan is null)
            {
                continue;
            }

            var diagnostics = ImmutableArray.Create(diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create($"Rename the route to '{plan.NewRoute}'", c => ApplyAsync(context.Document, root, model, diagnostics, alias: false, c), RenameKey),
                diagnostic);
            if (plan.Attribute is not null && plan.CanAlias)
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Rename the route to '{plan.NewRoute}' and keep '{plan.OldRoute}' as a deprecated alias", c => ApplyAsync(context.Document, root, model, diagnostics, alias: true, c), AliasKey),
                    diagnostic);
            }
        }
    }

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        public static readonly FixAll Instance = new();

        protected override string GetFixAllTitle(FixAllContext fixAllContext)
            => fixAllContext.CodeActionEquivalenceKey == AliasKey ? "Name collections with plural nouns and keep the old routes as aliases" : "Name collections with plural nouns";

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            var root = await document.GetSyntaxRootAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
            return root is null || model is null
                ? document
                : await ApplyAsync(document, root, model, diagnostics, fixAllContext.CodeActionEquivalenceKey == AliasKey, fixAllContext.CancellationToken).ConfigureAwait(false);
        }
    }

    private static Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, bool alias, CancellationToken cancellationToken)
    {
        var endpoints = EndpointModel.Create(model.Compilation);
        if (endpoints is null)
        {
            return Task.FromResult(document);
        }

        var literalEdits = new Dictionary<LiteralExpressionSyntax, List<(TextSpan Span, string Text)>>();
        var aliases = new HashSet<AttributeSyntax>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var plan = Plan(root, model, endpoints, diagnostic, cancellationToken);
            if (plan is null || !RouteEdits.TryAdd(literalEdits, plan.Literal, plan.Span, plan.Plural))
            {
                continue;
            }

            if (alias && plan.Attribute is { } attribute && plan.CanAlias)
            {
                aliases.Add(attribute);
            }
        }

        if (literalEdits.Count == 0)
        {
            return Task.FromResult(document);
        }

        // The old attribute, as written, in its own list after the renamed one.
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        RouteEdits.InsertAliases(editor, aliases, AliasComment);
        RouteEdits.ApplyLiteralEdits(editor, literalEdits);
        return Task.FromResult(document.WithSyntaxRoot(editor.GetChangedRoot()));
    }

    private sealed class FixPlan
    {
        public FixPlan(LiteralExpressionSyntax literal, TextSpan span, string plural, string oldRoute, string newRoute, AttributeSyntax? attribute, bool canAlias)
        {
            Literal = literal;
            Span = span;
            Plural = plural;
            OldRoute = oldRoute;
            NewRoute = newRoute;
            Attribute = attribute;
            CanAlias = canAlias;
        }

        public LiteralExpressionSyntax Literal { get; }
        public TextSpan Span { get; }
        public string Plural { get; }
        public string OldRoute { get; }
        public string NewRoute { get; }
        public AttributeSyntax? Attribute { get; }
        public bool CanAlias { get; }
    }

    private static FixPlan? Plan(SyntaxNode root, SemanticModel model, EndpointModel endpoints, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.Location.SourceTree != root.SyntaxTree
            || !diagnostic.Properties.TryGetValue(SingularCollectionNameAnalyzer.PluralProperty, out var plural)
            || plural is not { Length: > 0 })
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        var token = root.FindToken(span.Start);
        if (token.Parent is not LiteralExpressionSyntax literal || !token.Span.Contains(span) || RouteTemplate.ExactStart(token, token.ValueText) is not int contentStart
            || span.Start < token.SpanStart + contentStart)
        {
            return null;
        }

        // [controller] in a class that other controllers derive from stands for their names too: renaming it would rename them.
        if (diagnostic.Properties.TryGetValue(SingularCollectionNameAnalyzer.KindProperty, out var kind) && kind == SingularCollectionNameAnalyzer.ControllerTokenKind
            && (literal.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration
                || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } declared
                || HasDerivedControllers(declared, model.Compilation, endpoints, cancellationToken)))
        {
            return null;
        }

        var (affected, others) = FindEndpoints(literal, model, endpoints, diagnostic.Location, cancellationToken);
        if (affected.IsDefaultOrEmpty)
        {
            return null;
        }

        // The new routes must not collide with another endpoint of an overlapping method.
        var taken = new HashSet<(string Route, string Method)>();
        foreach (var other in others)
        {
            var route = Normalize(other, null, null);
            foreach (var method in RouteEdits.MethodsOf(other))
            {
                taken.Add((route, method));
            }
        }

        string? oldRoute = null;
        string? newRoute = null;
        foreach (var endpoint in affected)
        {
            var route = Normalize(endpoint, diagnostic.Location, plural);
            if (RouteEdits.MethodsOf(endpoint).Any(m => taken.Contains((route, m)) || m == "*" && taken.Any(t => t.Route == route) || taken.Contains((route, "*"))))
            {
                return null;
            }

            oldRoute ??= Shown(endpoint, null, null);
            newRoute ??= Shown(endpoint, diagnostic.Location, plural);
        }

        var attribute = literal.FirstAncestorOrSelf<AttributeSyntax>();
        return new FixPlan(literal, span, plural!, oldRoute!, newRoute!, attribute, RouteEdits.CanAlias(attribute));
    }

        private static (ImmutableArray<Endpoint> Affected, ImmutableArray<Endpoint> Others) FindEndpoints(LiteralExpressionSyntax literal, SemanticModel model, EndpointModel endpoints, Location location, CancellationToken cancellationToken)
    {
        ImmutableArray<Endpoint> all;
        if (literal.FirstAncestorOrSelf<AttributeSyntax>() is not null)
        {
            all = RouteEdits.ControllerEndpoints(model.Compilation, endpoints, cancellationToken);
        }
        else if (literal.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation
            && model.GetOperation(invocation, cancellationToken) is IInvocationOperation call)
        {
            all = endpoints.GetMinimalEndpointsInBody(call, cancellationToken);
        }
        else
        {
            return default;
        }

        var affected = all.Where(e => e.Segments.Any(s => Same(s.Location, location))).ToImmutableArray();
        return (affected, all.Where(e => !affected.Contains(e)).ToImmutableArray());
    }

    private static bool HasDerivedControllers(INamedTypeSymbol type, Compilation compilation, EndpointModel endpoints, CancellationToken cancellationToken)
    {
        if (type.IsSealed)
        {
            return false;
        }

        foreach (var candidate in RouteEdits.SourceTypes(compilation, cancellationToken))
        {
            for (var current = candidate.BaseType; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Same(Location? left, Location? right)
        => left is not null && right is not null && left.SourceTree == right.SourceTree && left.SourceSpan == right.SourceSpan;

    /// <summary>The route as the router compares it: literals case-insensitively, every parameter alike.</summary>
    private static string Normalize(Endpoint endpoint, Location? replaced, string? replacement)
        => string.Join("/", Texts(endpoint, replaced, replacement).Select(t => t.Kind == RouteSegmentKind.Parameter ? "{}" : t.Text.ToLowerInvariant()));

    private static string Shown(Endpoint endpoint, Location? replaced, string? replacement)
        => string.Join("/", Texts(endpoint, replaced, replacement).Select(t => t.Text));

    private static IEnumerable<(string Text, RouteSegmentKind Kind)> Texts(Endpoint endpoint, Location? replaced, string? replacement)
    {
        var controller = endpoint.Kind == EndpointKind.ControllerAction && endpoint.HandlerMethod?.ContainingType is { } type ? EndpointModel.GetControllerName(type) : null;
        foreach (var segment in endpoint.Segments)
        {
            if (replaced is not null && replacement is not null && Same(segment.Location, replaced))
            {
                yield return (replacement, RouteSegmentKind.Literal);
                continue;
            }

            var text = segment.Kind == RouteSegmentKind.Token && controller is not null
                ? ReplaceIgnoreCase(segment.Text, "[controller]", controller)
                : segment.Text;
            yield return (text, segment.Kind);
        }
    }

    private static string ReplaceIgnoreCase(string text, string token, string value)
    {
        var index = text.IndexOf(token, StringComparison.OrdinalIgnoreCase);
        return index < 0 ? text : text.Substring(0, index) + value + text.Substring(index + token.Length);
    }
}
