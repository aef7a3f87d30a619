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
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>BR0004 fix: renames the segment to its resource (<c>getUser/{id}</c> → <c>users/{id}</c>) and moves the verb into the HTTP method.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VerbInRouteFixer)), Shared]
public sealed class VerbInRouteFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0004.NameResource";

    private static readonly ImmutableDictionary<string, string> MethodOfVerb = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["delete"] = "DELETE", ["remove"] = "DELETE", ["destroy"] = "DELETE", ["erase"] = "DELETE",
        ["create"] = "POST", ["add"] = "POST", ["insert"] = "POST", ["new"] = "POST", ["make"] = "POST", ["post"] = "POST",
        ["update"] = "PUT", ["edit"] = "PUT", ["modify"] = "PUT", ["change"] = "PUT", ["set"] = "PUT", ["save"] = "PUT", ["put"] = "PUT",
        ["patch"] = "PATCH",
        ["get"] = "GET", ["fetch"] = "GET", ["retrieve"] = "GET", ["read"] = "GET", ["list"] = "GET", ["query"] = "GET", ["find"] = "GET",
    }.ToImmutableDictionary();

    private static readonly ImmutableHashSet<string> BodylessMethods = ImmutableHashSet.Create(StringComparer.Ordinal, "GET", "DELETE", "HEAD");

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.VerbInRoute);

    // Two segments of one literal, or a rename and a method change, may touch the same nodes: one editor applies all.
    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Name resources in routes", ApplyAsync);

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

            var title = plan.NewMethod is { } method && plan.MethodRename is not null
                ? $"Rename the route to '{plan.NewTemplate}' and use {method}"
                : $"Rename the route to '{plan.NewTemplate}'";
            context.RegisterCodeFix(
                CodeAction.Create(title, c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var endpoints = EndpointModel.Create(model.Compilation);
        if (endpoints is null)
        {
            return Task.FromResult(document);
        }

        var literalEdits = new Dictionary<LiteralExpressionSyntax, List<(TextSpan Span, string Text)>>();
        var renames = new Dictionary<SimpleNameSyntax, string>();
        var claimedEndpoints = new HashSet<Endpoint>();
        var claimedRoutes = new List<(ISymbol? Scope, ImmutableArray<string> Methods, string Route)>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var plan = Plan(root, model, endpoints, diagnostic, cancellationToken);
            if (plan is null
                || plan.Affected.Any(claimedEndpoints.Contains)
                || plan.MethodRename is { } rename && renames.TryGetValue(rename.Name, out var planned) && planned != rename.NewName
                || plan.NewRoutes.Any(n => claimedRoutes.Any(c => SymbolEqualityComparer.Default.Equals(c.Scope, n.Scope) && c.Route == n.Route && Overlap(c.Methods, n.Methods))))
            {
                continue;
            }

            claimedEndpoints.UnionWith(plan.Affected);
            claimedRoutes.AddRange(plan.NewRoutes);
            if (!literalEdits.TryGetValue(plan.Literal, out var edits))
            {
                edits = new List<(TextSpan, string)>();
                literalEdits[plan.Literal] = edits;
            }

            edits.Add((plan.Edit, plan.Replacement));
            if (plan.MethodRename is { } methodRename)
            {
                renames[methodRename.Name] = methodRename.NewName;
            }
        }

        if (literalEdits.Count == 0)
        {
            return Task.FromResult(document);
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        foreach (var pair in literalEdits)
        {
            var token = pair.Key.Token;
            var text = token.Text;
            var value = token.ValueText;
            var contentStart = RouteTemplate.ExactStart(token, value)!.Value;
            foreach (var (span, replacement) in pair.Value.OrderByDescending(e => e.Span.Start))
            {
                var start = span.Start - token.SpanStart;
                text = text.Substring(0, start) + replacement + text.Substring(start + span.Length);
                value = value.Substring(0, start - contentStart) + replacement + value.Substring(start - contentStart + span.Length);
            }

            var newToken = SyntaxFactory.Token(token.LeadingTrivia, token.Kind(), text, value, token.TrailingTrivia);
            editor.ReplaceNode(pair.Key, pair.Key.WithToken(newToken));
        }

        foreach (var pair in renames)
        {
            editor.ReplaceNode(pair.Key, pair.Key.WithIdentifier(SyntaxFactory.Identifier(pair.Value).WithTriviaFrom(pair.Key.Identifier)));
        }

        return Task.FromResult(document.WithSyntaxRoot(editor.GetChangedRoot()));
    }

    private sealed class FixPlan
    {
        public FixPlan(LiteralExpressionSyntax literal, TextSpan edit, string replacement, string newTemplate, string? newMethod, (SimpleNameSyntax Name, string NewName)? methodRename, ImmutableArray<Endpoint> affected, List<(ISymbol? Scope, ImmutableArray<string> Methods, string Route)> newRoutes)
        {
            Literal = literal;
            Edit = edit;
            Replacement = replacement;
            NewTemplate = newTemplate;
            NewMethod = newMethod;
            MethodRename = methodRename;
            Affected = affected;
            NewRoutes = newRoutes;
        }

        public LiteralExpressionSyntax Literal { get; }
        public TextSpan Edit { get; }
        public string Replacement { get; }
        public string NewTemplate { get; }
        public string? NewMethod { get; }
        public (SimpleNameSyntax Name, string NewName)? MethodRename { get; }
        public ImmutableArray<Endpoint> Affected { get; }
        public List<(ISymbol? Scope, ImmutableArray<string> Methods, string Route)> NewRoutes { get; }
    }

    private static FixPlan? Plan(SyntaxNode root, SemanticModel model, EndpointModel endpoints, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.Location.SourceTree != root.SyntaxTree
            || !diagnostic.Properties.TryGetValue(VerbInRouteAnalyzer.KindProperty, out var kind)
            || !diagnostic.Properties.TryGetValue(VerbInRouteAnalyzer.VerbProperty, out var verb)
            || verb is null)
        {
            return null;
        }

        // Prefixes (controller [Route], MapGroup) are shared by endpoints whose methods differ: renaming them is a
        // design decision, not a mechanical fix. [action] tokens need a route per action. Neither is fixed.
        if (kind != VerbInRouteAnalyzer.SegmentKind)
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        var token = root.FindToken(span.Start);
        if (token.Parent is not LiteralExpressionSyntax literal || !token.Span.Contains(span) || RouteTemplate.ExactStart(token, token.ValueText) is not int contentStart
            || span.Start < token.SpanStart + contentStart)
        {
            // Escapes or a whole-literal location: the segment cannot be edited exactly.
            return null;
        }

        var (affected, others, scope) = FindEndpoints(literal, model, endpoints, diagnostic.Location, cancellationToken);
        if (affected.IsDefaultOrEmpty)
        {
            return null;
        }

        // The segment's words after the verb; a custom-method suffix (":batch") stays.
        var segment = root.SyntaxTree.GetText(cancellationToken).ToString(span);
        var name = RouteWords.Name(segment);
        var suffix = segment.Substring(name.Length);
        var words = RouteWords.Words(name);
        if (words.Length == 0 || !string.Equals(words[0], verb, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = words.Skip(1).Select(w => w.ToLowerInvariant()).ToList();
        MethodOfVerb.TryGetValue(verb, out var newMethod);
        var first = affected[0];
        var index = first.Segments.IndexOf(first.Segments.First(s => Same(s.Location, diagnostic.Location)));
        var next = index + 1 < first.Segments.Length ? first.Segments[index + 1] : null;

        TextSpan edit;
        string replacement;
        var previous = index > 0 ? first.Segments[index - 1] : null;
        var remove = rest.Count == 0;
        if (!remove)
        {
            // A noun followed by an id, or created with POST, names a collection: users/{id}, POST orders.
            if (next is { Kind: RouteSegmentKind.Parameter } || newMethod == "POST")
            {
                rest[rest.Count - 1] = Inflector.Pluralize(rest[rest.Count - 1]);
            }

            // "api/orders/deleteOrder/{id}" → "api/orders/{id}": the resource is already named right before it.
            var noun = RouteWords.Kebab(rest);
            var parent = previous switch
            {
                { Kind: RouteSegmentKind.Literal } => RouteWords.Kebab(RouteWords.Words(previous.Text)),
                { Kind: RouteSegmentKind.Token } when string.Equals(previous.Text, "[controller]", StringComparison.OrdinalIgnoreCase) && scope is INamedTypeSymbol controller
                    => RouteWords.Kebab(RouteWords.Words(EndpointModel.GetControllerName(controller))),
                _ => null,
            };
            remove = parent is { Length: > 0 } && suffix.Length == 0 && Plural(parent) == Plural(noun);
        }

        if (remove)
        {
            // Nothing of the segment is left: only when a resource is named before it ("users/delete/{id}").
            if (suffix.Length > 0 || !NamesResource(previous))
            {
                return null;
            }

            edit = Removal(token, contentStart, span);
            replacement = string.Empty;
        }
        else
        {
            edit = span;
            replacement = RouteWords.Kebab(rest) + suffix;
        }

        // The method change: one [HttpX] attribute or MapX name, used by exactly the affected endpoints.
        (SimpleNameSyntax, string)? rename = null;
        var methods = first.HttpMethods;
        if (newMethod is not null && !(methods.Length == 1 && methods[0] == newMethod))
        {
            rename = MethodRename(root, model, first, newMethod, cancellationToken);

            // "blog/post/{id}" read with GET: a bare verb word after a resource is as likely a noun; keep the GET.
            if (rest.Count == 0 && methods.Length == 1 && methods[0] == "GET")
            {
                return null;
            }

            if (rename is null
                || affected.Any(e => e.HttpMethods.Length != 1 || !Same(e.MethodLocation, first.MethodLocation))
                || others.Any(e => e.Kind == EndpointKind.ControllerAction && Same(e.MethodLocation, first.MethodLocation))
                || BodylessMethods.Contains(newMethod) && HasBodyParameter(first))
            {
                return null;
            }

            methods = ImmutableArray.Create(newMethod);
        }

        // The new routes must not collide with another endpoint of an overlapping method in the same controller or body.
        var newRoutes = new List<(ISymbol?, ImmutableArray<string>, string)>();
        string? shown = null;
        foreach (var endpoint in affected)
        {
            var route = Normalize(endpoint.Segments, diagnostic.Location, remove ? null : replacement);
            shown ??= Shown(endpoint.Segments, diagnostic.Location, remove ? null : replacement);
            if (others.Any(o => Normalize(o.Segments, null, null) == route && Overlap(o.HttpMethods, methods)))
            {
                return null;
            }

            newRoutes.Add((scope, methods, route));
        }

        return new FixPlan(literal, edit, replacement, shown ?? replacement, newMethod, rename, affected, newRoutes);
    }

    /// <summary>A segment that can stand for the resource once the verb is gone: not "api", a version or [area].</summary>
    private static bool NamesResource(RouteSegment? segment)
    {
        switch (segment)
        {
            case { Kind: RouteSegmentKind.Token }:
                return string.Equals(segment.Text, "[controller]", StringComparison.OrdinalIgnoreCase);
            case { Kind: RouteSegmentKind.Literal }:
                var text = segment.Text.ToLowerInvariant();
                var version = text.Length > 1 && text[0] == 'v' && text.Skip(1).All(c => char.IsDigit(c) || c == '.');
                return !version && text is not ("api" or "rest" or "public" or "internal");
            default:
                return false;
        }
    }

    /// <summary>The segment with one of its slashes, so the literal keeps its shape ("/deleteOrder/{id}" → "/{id}").</summary>
    private static TextSpan Removal(SyntaxToken token, int contentStart, TextSpan segment)
    {
        var text = token.Text;
        var start = segment.Start - token.SpanStart;
        var end = segment.End - token.SpanStart;
        var contentEnd = contentStart + token.ValueText.Length;
        if (start - 1 == contentStart && text[start - 1] == '/' && end == contentEnd)
        {
            // "/createOrder" → "/": the group or controller route alone.
            return segment;
        }

        if (start - 1 >= contentStart && text[start - 1] == '/' && !(start - 2 >= contentStart && text[start - 2] == '~'))
        {
            return TextSpan.FromBounds(segment.Start - 1, segment.End);
        }

        return end < contentEnd && text[end] == '/' ? TextSpan.FromBounds(segment.Start, segment.End + 1) : segment;
    }

    private static (ImmutableArray<Endpoint> Affected, ImmutableArray<Endpoint> Others, ISymbol? Scope) FindEndpoints(LiteralExpressionSyntax literal, SemanticModel model, EndpointModel endpoints, Location location, CancellationToken cancellationToken)
    {
        if (literal.FirstAncestorOrSelf<AttributeSyntax>() is { } attribute)
        {
            if (attribute.Parent?.Parent is not MethodDeclarationSyntax declaration || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } method)
            {
                return default;
            }

            var all = endpoints.GetDeclaredEndpoints(method.ContainingType, cancellationToken);
            var affected = all.Where(e => SymbolEqualityComparer.Default.Equals(e.HandlerMethod, method) && e.Segments.Any(s => Same(s.Location, location))).ToImmutableArray();
            return (affected, all.Where(e => !affected.Contains(e)).ToImmutableArray(), method.ContainingType);
        }

        if (literal.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation
            && model.GetOperation(invocation, cancellationToken) is IInvocationOperation call
            && endpoints.TryGetMinimalEndpoint(call, out var endpoint) && endpoint is not null
            && endpoint.Segments.Any(s => s.Origin == RouteSegmentOrigin.Endpoint && Same(s.Location, location)))
        {
            var others = endpoints.GetMinimalEndpointsInBody(call, cancellationToken).Where(e => !ReferenceEquals(e.MapCall, call)).ToImmutableArray();
            return (ImmutableArray.Create(endpoint), others, model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken));
        }

        return default;
    }

    /// <summary>The name to give the [HttpX] attribute or the MapX call; null when it is not one we can rename exactly.</summary>
    private static (SimpleNameSyntax, string)? MethodRename(SyntaxNode root, SemanticModel model, Endpoint endpoint, string newMethod, CancellationToken cancellationToken)
    {
        var pascal = newMethod.Substring(0, 1) + newMethod.Substring(1).ToLowerInvariant();
        var location = endpoint.MethodLocation;
        if (location.SourceTree != root.SyntaxTree)
        {
            return null;
        }

        var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        if (endpoint.Kind == EndpointKind.ControllerAction)
        {
            if (node.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
                || model.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType is not { } type
                || type.ContainingNamespace?.ToDisplayString() != "Microsoft.AspNetCore.Mvc"
                || !type.Name.StartsWith("Http", StringComparison.Ordinal) || type.Name == "HttpMethodAttribute")
            {
                return null;
            }

            var name = attribute.Name switch
            {
                QualifiedNameSyntax qualified => qualified.Right,
                AliasQualifiedNameSyntax alias => alias.Name,
                SimpleNameSyntax simple => simple,
                _ => null,
            };
            var text = name?.Identifier.ValueText;
            if (name is null || text is null || !text.StartsWith("Http", StringComparison.Ordinal))
            {
                return null;
            }

            var attributeSuffix = text.EndsWith("Attribute", StringComparison.Ordinal) ? "Attribute" : string.Empty;
            if (type.Name != text && type.Name != text + "Attribute")
            {
                // An alias: the attribute is written under another name.
                return null;
            }

            return (name, "Http" + pascal + attributeSuffix);
        }

        if (node.FirstAncestorOrSelf<SimpleNameSyntax>() is IdentifierNameSyntax { Identifier.ValueText: "MapGet" or "MapPost" or "MapPut" or "MapPatch" or "MapDelete" } map)
        {
            return (map, "Map" + pascal);
        }

        return null;
    }

    /// <summary>
    /// Parameters that may be read from the request body: [FromBody], or a complex type without a binding source.
    /// Moving such an endpoint to GET or DELETE would stop binding them (minimal APIs refuse to start).
    /// </summary>
    private static bool HasBodyParameter(Endpoint endpoint)
    {
        foreach (var parameter in endpoint.Parameters)
        {
            var attributes = parameter.GetAttributes().Select(a => a.AttributeClass?.Name).ToList();
            if (attributes.Contains("FromBodyAttribute") || attributes.Contains("FromFormAttribute"))
            {
                return true;
            }

            if (attributes.Any(a => a is "FromRouteAttribute" or "FromQueryAttribute" or "FromHeaderAttribute" or "FromServicesAttribute" or "FromKeyedServicesAttribute" or "AsParametersAttribute"))
            {
                continue;
            }

            if (!IsSimple(parameter.Type) && !IsService(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Interfaces, abstract classes and DbContexts come from dependency injection, not from the body.</summary>
    private static bool IsService(ITypeSymbol type)
    {
        var name = type.OriginalDefinition.ToDisplayString();
        if (name is "Microsoft.AspNetCore.Http.IFormFile" or "Microsoft.AspNetCore.Http.IFormFileCollection" or "Microsoft.AspNetCore.Http.IFormCollection"
            || name.StartsWith("System.Collections.", StringComparison.Ordinal) || type is IArrayTypeSymbol)
        {
            return false;
        }

        if (type.TypeKind == TypeKind.Interface || (type.IsAbstract && type.TypeKind == TypeKind.Class && name != "System.IO.Stream"))
        {
            return true;
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString() == "Microsoft.EntityFrameworkCore.DbContext")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSimple(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_String || type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        var name = type.ToDisplayString();
        return name is "System.Guid" or "System.DateTime" or "System.DateTimeOffset" or "System.DateOnly" or "System.TimeOnly" or "System.TimeSpan" or "System.Uri"
            or "System.Threading.CancellationToken" or "Microsoft.AspNetCore.Http.HttpContext" or "Microsoft.AspNetCore.Http.HttpRequest"
            or "Microsoft.AspNetCore.Http.HttpResponse" or "System.Security.Claims.ClaimsPrincipal";
    }

    private static bool Overlap(ImmutableArray<string> left, ImmutableArray<string> right)
        => left.IsDefaultOrEmpty || right.IsDefaultOrEmpty || left.Intersect(right, StringComparer.Ordinal).Any();

    private static bool Same(Location? left, Location? right)
        => left is not null && right is not null && left.SourceTree == right.SourceTree && left.SourceSpan == right.SourceSpan;

    /// <summary>The route as the router compares it: literals case-insensitively, every parameter alike.</summary>
    private static string Normalize(ImmutableArray<RouteSegment> segments, Location? replaced, string? replacement)
        => string.Join("/", Texts(segments, replaced, replacement).Select(t => t.Kind == RouteSegmentKind.Parameter ? "{}" : t.Text.ToLowerInvariant()));

    private static string Shown(ImmutableArray<RouteSegment> segments, Location? replaced, string? replacement)
        => string.Join("/", Texts(segments, replaced, replacement).Select(t => t.Text));

    private static IEnumerable<(string Text, RouteSegmentKind Kind)> Texts(ImmutableArray<RouteSegment> segments, Location? replaced, string? replacement)
    {
        foreach (var segment in segments)
        {
            if (replaced is not null && Same(segment.Location, replaced))
            {
                if (replacement is not null)
                {
                    yield return (replacement, RouteSegmentKind.Literal);
                }

                continue;
            }

            yield return (segment.Text, segment.Kind);
        }
    }

    /// <summary>The kebab-case phrase with its last word plural (<c>order-item</c> → <c>order-items</c>); plurals stay as they are.</summary>
    private static string Plural(string phrase) => Inflector.PluralizeSegment(phrase) ?? phrase;
}
