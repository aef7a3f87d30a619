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
/// BR0011 fix: inserts the version after the API prefix of the controller route, the route group or the MapX pattern
/// (<c>api/orders</c> → <c>api/v1/orders</c>, <c>orders</c> → <c>v1/orders</c>); a second action keeps the old
/// controller routes as deprecated aliases so existing clients do not break.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnversionedApiFixer)), Shared]
public sealed class UnversionedApiFixer : CodeFixProvider
{
    internal const string VersionKey = "BR0011.Version";
    internal const string AliasKey = "BR0011.VersionKeepAlias";

    internal const string AliasComment = "// Deprecated: the unversioned route, kept so existing clients do not break; remove it once they use the versioned one.";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.UnversionedApi);

    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || EndpointModel.Create(model.Compilation) is not { } endpoints)
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
                CodeAction.Create($"Version the route: '{plan.NewRoute}'", c => ApplyAsync(context.Document, root, model, diagnostics, alias: false, c), VersionKey),
                diagnostic);
            if (plan.CanAlias)
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Version the route: '{plan.NewRoute}', and keep '{plan.OldRoute}' as a deprecated alias", c => ApplyAsync(context.Document, root, model, diagnostics, alias: true, c), AliasKey),
                    diagnostic);
            }
        }
    }

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        public static readonly FixAll Instance = new();

        protected override string GetFixAllTitle(FixAllContext fixAllContext)
            => fixAllContext.CodeActionEquivalenceKey == AliasKey ? "Version the API routes and keep the old routes as aliases" : "Version the API routes";

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
        if (EndpointModel.Create(model.Compilation) is not { } endpoints)
        {
            return Task.FromResult(document);
        }

        var literalEdits = new Dictionary<LiteralExpressionSyntax, List<(TextSpan Span, string Text)>>();
        var aliases = new HashSet<AttributeSyntax>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var plan = Plan(root, model, endpoints, diagnostic, cancellationToken);
            if (plan is null)
            {
                continue;
            }

            foreach (var (literal, span, text) in plan.Edits)
            {
                if (RouteEdits.TryAdd(literalEdits, literal, span, text) && alias && plan.CanAlias && literal.FirstAncestorOrSelf<AttributeSyntax>() is { } attribute)
                {
                    aliases.Add(attribute);
                }
            }
        }

        if (literalEdits.Count == 0)
        {
            return Task.FromResult(document);
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        RouteEdits.InsertAliases(editor, aliases, AliasComment);
        RouteEdits.ApplyLiteralEdits(editor, literalEdits);
        return Task.FromResult(document.WithSyntaxRoot(editor.GetChangedRoot()));
    }

    private sealed class FixPlan
    {
        public FixPlan(List<(LiteralExpressionSyntax Literal, TextSpan Span, string Text)> edits, string oldRoute, string newRoute, bool canAlias)
        {
            Edits = edits;
            OldRoute = oldRoute;
            NewRoute = newRoute;
            CanAlias = canAlias;
        }

        /// <summary>Insertions into route literals: an empty span of the file and the text inserted there.</summary>
        public List<(LiteralExpressionSyntax Literal, TextSpan Span, string Text)> Edits { get; }
        public string OldRoute { get; }
        public string NewRoute { get; }

        /// <summary>Every edited literal is a route attribute's argument that may be written twice.</summary>
        public bool CanAlias { get; }
    }

    private static FixPlan? Plan(SyntaxNode root, SemanticModel model, EndpointModel endpoints, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.Location.SourceTree != root.SyntaxTree
            || !diagnostic.Properties.TryGetValue(UnversionedApiAnalyzer.VersionProperty, out var version) || version is null || !RouteVersion.IsVersionLiteral(version)
            || !diagnostic.Properties.TryGetValue(UnversionedApiAnalyzer.KindProperty, out var kind))
        {
            return null;
        }

        return kind == UnversionedApiAnalyzer.ActionRoutesKind
            ? PlanActionRoutes(root, model, endpoints, diagnostic, version, cancellationToken)
            : PlanRoute(root, model, endpoints, diagnostic, version, cancellationToken);
    }

    /// <summary>A controller route, a MapGroup prefix or a MapX pattern: the version goes into that literal.</summary>
    private static FixPlan? PlanRoute(SyntaxNode root, SemanticModel model, EndpointModel endpoints, Diagnostic diagnostic, string version, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
            || literal.Span != diagnostic.Location.SourceSpan || Insertion(literal, version) is not { } edit)
        {
            return null;
        }

        ImmutableArray<Endpoint> all;
        var attribute = literal.FirstAncestorOrSelf<AttributeSyntax>();
        if (attribute is not null)
        {
            all = RouteEdits.ControllerEndpoints(model.Compilation, endpoints, cancellationToken);
        }
        else if (literal.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation && model.GetOperation(invocation, cancellationToken) is IInvocationOperation call)
        {
            all = endpoints.GetMinimalEndpointsInBody(call, cancellationToken);
        }
        else
        {
            return null;
        }

        var value = (string)literal.Token.Value!;
        var newValue = RouteVersion.Insert(value, version);
        var changed = new List<(Endpoint, string)>();
        var others = new List<Endpoint>();
        foreach (var endpoint in all)
        {
            if (WithReplaced(endpoint, literal, newValue) is { } template)
            {
                changed.Add((endpoint, template));
            }
            else
            {
                others.Add(endpoint);
            }
        }

        // The new routes must not meet routes that other endpoints answer already (api/v1/orders beside api/orders).
        if (RouteEdits.Collides(changed, others, endpoints))
        {
            return null;
        }

        var edits = new List<(LiteralExpressionSyntax, TextSpan, string)> { edit };
        var canAlias = attribute is not null && attribute.Parent?.Parent is ClassDeclarationSyntax && RouteEdits.CanAlias(attribute);

        // The controller's absolute action routes (~/api/orders/export) were reported with its route: version them too.
        if (attribute?.Parent?.Parent is ClassDeclarationSyntax declaration && model.GetDeclaredSymbol(declaration, cancellationToken) is { } type)
        {
            var plan = UnversionedApiAnalyzer.ControllerPlan.For(type, endpoints, new UnversionedApiAnalyzer.Application(model.Compilation), cancellationToken);
            if (plan.Prefixes.Count > 0 && plan.Prefixes[0].Literal.Span == literal.Span && plan.Prefixes[0].Literal.SyntaxTree == literal.SyntaxTree && plan.ActionRoutes.Count > 0)
            {
                if (ActionRouteEdits(root, model, endpoints, plan, version, cancellationToken) is not { } actionEdits)
                {
                    return null;
                }

                edits.AddRange(actionEdits.Edits);
                canAlias &= actionEdits.CanAlias;
            }
        }

        return new FixPlan(edits, Shown(value), Shown(newValue), canAlias);
    }

    /// <summary>A controller whose routes have no controller route: the version goes into each unversioned action route.</summary>
    private static FixPlan? PlanActionRoutes(SyntaxNode root, SemanticModel model, EndpointModel endpoints, Diagnostic diagnostic, string version, CancellationToken cancellationToken)
    {
        if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not ClassDeclarationSyntax declaration
            || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return null;
        }

        var plan = UnversionedApiAnalyzer.ControllerPlan.For(type, endpoints, new UnversionedApiAnalyzer.Application(model.Compilation), cancellationToken);
        if (plan.ActionRoutes.Count == 0 || ActionRouteEdits(root, model, endpoints, plan, version, cancellationToken) is not { } result)
        {
            return null;
        }

        var first = (string)((LiteralExpressionSyntax)plan.ActionRoutes[0]).Token.Value!;
        return new FixPlan(result.Edits, Shown(first), Shown(RouteVersion.Insert(first, version)), result.CanAlias);
    }

    /// <summary>The version inserted into each of the plan's action routes; null when one cannot be edited or a new route is taken.</summary>
    private static (List<(LiteralExpressionSyntax, TextSpan, string)> Edits, bool CanAlias)? ActionRouteEdits(
        SyntaxNode root, SemanticModel model, EndpointModel endpoints, UnversionedApiAnalyzer.ControllerPlan plan, string version, CancellationToken cancellationToken)
    {
        if (plan.ActionRoutes.Any(l => l.SyntaxTree != root.SyntaxTree))
        {
            return null;
        }

        var edits = new List<(LiteralExpressionSyntax, TextSpan, string)>();
        var changed = new List<(Endpoint, string)>();
        var others = new List<Endpoint>();
        var literals = plan.ActionRoutes.Select(l => root.FindNode(l.Span, getInnermostNodeForTie: true) as LiteralExpressionSyntax).ToList();
        foreach (var literal in literals)
        {
            if (literal is null || Insertion(literal, version) is not { } edit)
            {
                return null;
            }

            edits.Add(edit);
        }

        foreach (var endpoint in RouteEdits.ControllerEndpoints(model.Compilation, endpoints, cancellationToken))
        {
            var replaced = literals.Select(l => WithReplaced(endpoint, l!, RouteVersion.Insert((string)l!.Token.Value!, version))).FirstOrDefault(t => t is not null);
            if (replaced is not null)
            {
                changed.Add((endpoint, replaced));
            }
            else
            {
                others.Add(endpoint);
            }
        }

        return RouteEdits.Collides(changed, others, endpoints)
            ? null
            : (edits, literals.All(l => RouteEdits.CanAlias(l!.FirstAncestorOrSelf<AttributeSyntax>())));
    }

    /// <summary>Where the version goes inside the literal's token: an empty span of the file and the text to insert.</summary>
    private static (LiteralExpressionSyntax, TextSpan, string)? Insertion(LiteralExpressionSyntax literal, string version)
    {
        var token = literal.Token;
        if (token.Value is not string value || RouteTemplate.ExactStart(token, value) is not int contentStart)
        {
            return null;
        }

        var (offset, text) = RouteVersion.Insertion(value, version);
        return (literal, new TextSpan(token.SpanStart + contentStart + offset, 0), text);
    }

    /// <summary>The endpoint's template with the piece written in <paramref name="literal"/> replaced; null when the endpoint does not use it.</summary>
    private static string? WithReplaced(Endpoint endpoint, LiteralExpressionSyntax literal, string newValue)
    {
        var found = false;
        var parts = new List<string>();
        foreach (var piece in endpoint.PrefixPieces.Concat(endpoint.OwnPieces))
        {
            if (piece.Syntax is { } syntax && syntax.SyntaxTree == literal.SyntaxTree && syntax.Span == literal.Span)
            {
                found = true;
                parts.Add(newValue);
            }
            else
            {
                parts.Add(piece.Value);
            }
        }

        return found ? RouteTemplate.Combine(parts) : null;
    }

    private static string Shown(string template) => template.Length == 0 ? "/" : template;
}
