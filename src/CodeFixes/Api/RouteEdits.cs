using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Text;

namespace BackendRules.Api;

/// <summary>
/// Edits the route fixes share (BR0011, BR0012): text changes inside route string literals, the old route kept as a
/// deprecated alias beside the new one, and the controller endpoints a changed route may collide with.
/// </summary>
internal static class RouteEdits
{
    /// <summary>
    /// Applies text changes inside string literals: each change is a span of the file inside the literal's token and its
    /// replacement (an empty span inserts). The literals must map 1:1 to their value (<see cref="RouteTemplate.ExactStart"/>).
    /// </summary>
    public static void ApplyLiteralEdits(SyntaxEditor editor, Dictionary<LiteralExpressionSyntax, List<(TextSpan Span, string Text)>> edits)
    {
        foreach (var pair in edits)
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
    }

    /// <summary>Adds a change to the literal's list, unless it overlaps one already there (the first one wins).</summary>
    public static bool TryAdd(Dictionary<LiteralExpressionSyntax, List<(TextSpan Span, string Text)>> edits, LiteralExpressionSyntax literal, TextSpan span, string text)
    {
        if (!edits.TryGetValue(literal, out var list))
        {
            list = new List<(TextSpan, string)>();
            edits[literal] = list;
        }

        if (list.Any(e => e.Span.IntersectsWith(span) || (e.Span.Start == span.Start && (e.Span.IsEmpty || span.IsEmpty))))
        {
            return false;
        }

        list.Add((span, text));
        return true;
    }

    /// <summary>
    /// Writes each attribute again, as it was before the fix, in its own list after the one it sits in, under a comment
    /// that says it is deprecated: the old route keeps answering for the clients that call it.
    /// </summary>
    public static void InsertAliases(SyntaxEditor editor, IEnumerable<AttributeSyntax> attributes, string comment)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Parent is not AttributeListSyntax list)
            {
                continue;
            }

            var indentation = list.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToList();
            var endOfLine = list.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).DefaultIfEmpty(SyntaxFactory.ElasticCarriageReturnLineFeed).Last();
            var leading = new List<SyntaxTrivia>(indentation) { SyntaxFactory.Comment(comment), endOfLine };
            leading.AddRange(indentation);
            var copy = SyntaxFactory.AttributeList(list.Target, SyntaxFactory.SingletonSeparatedList(attribute.WithoutTrivia()))
                .WithLeadingTrivia(leading)
                .WithTrailingTrivia(endOfLine);
            editor.InsertAfter(list, copy);
        }
    }

    /// <summary>
    /// Whether the attribute can be written twice: it sits in an attribute list and names no route (a route
    /// <c>Name</c> may exist once: its alias would stop the application at startup).
    /// </summary>
    public static bool CanAlias(AttributeSyntax? attribute)
        => attribute is { Parent: AttributeListSyntax }
           && attribute.ArgumentList?.Arguments.Any(a => a.NameEquals is not null && a.NameEquals.Name.Identifier.ValueText == "Name") != true;

    /// <summary>Every class declared in source, nested ones included.</summary>
    public static IEnumerable<INamedTypeSymbol> SourceTypes(Compilation compilation, CancellationToken cancellationToken)
    {
        var stack = new Stack<INamespaceOrTypeSymbol>();
        stack.Push(compilation.Assembly.GlobalNamespace);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in stack.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    stack.Push(ns);
                }
                else if (member is INamedTypeSymbol type && type.TypeKind == TypeKind.Class)
                {
                    yield return type;
                    stack.Push(type);
                }
            }
        }
    }

    private static readonly ConditionalWeakTable<Compilation, StrongBox<ImmutableArray<Endpoint>>> AllControllerEndpoints = new();

    /// <summary>The endpoints of every controller declared in source (a changed controller route may meet another controller's route).</summary>
    public static ImmutableArray<Endpoint> ControllerEndpoints(Compilation compilation, EndpointModel endpoints, CancellationToken cancellationToken)
    {
        if (AllControllerEndpoints.TryGetValue(compilation, out var cached))
        {
            return cached.Value;
        }

        var builder = ImmutableArray.CreateBuilder<Endpoint>();
        foreach (var type in SourceTypes(compilation, cancellationToken))
        {
            if (endpoints.IsController(type))
            {
                builder.AddRange(endpoints.GetControllerEndpoints(type, cancellationToken));
            }
        }

        var result = builder.ToImmutable();
        AllControllerEndpoints.GetValue(compilation, _ => new StrongBox<ImmutableArray<Endpoint>>(result));
        return result;
    }

    /// <summary>The HTTP methods of an endpoint, "*" for one that accepts any.</summary>
    public static IEnumerable<string> MethodsOf(Endpoint endpoint) => endpoint.HttpMethods.IsDefaultOrEmpty ? new[] { "*" } : endpoint.HttpMethods;

    /// <summary>
    /// The template as the router compares it: literals lower-cased, every parameter alike, <c>[controller]</c> and
    /// <c>[action]</c> replaced by the endpoint's names.
    /// </summary>
    public static string Normalize(string template, Endpoint endpoint, EndpointModel model)
    {
        var controller = endpoint.Kind == EndpointKind.ControllerAction && endpoint.HandlerMethod?.ContainingType is { } type ? EndpointModel.GetControllerName(type) : null;
        var action = endpoint.Kind == EndpointKind.ControllerAction && endpoint.HandlerMethod is { } method ? model.GetActionName(method) : null;
        var parts = new List<string>();
        foreach (var (text, _, kind) in RouteTemplate.Split(template, mvcTokens: endpoint.Kind == EndpointKind.ControllerAction))
        {
            if (kind == RouteSegmentKind.Parameter)
            {
                parts.Add("{}");
                continue;
            }

            var segment = text;
            if (kind == RouteSegmentKind.Token)
            {
                segment = ReplaceIgnoreCase(ReplaceIgnoreCase(segment, "[controller]", controller), "[action]", action);
            }

            parts.Add(segment.ToLowerInvariant());
        }

        return string.Join("/", parts);
    }

    /// <summary>
    /// Whether any of the changed endpoints (each with its new template) would answer a route and method that another
    /// endpoint already answers.
    /// </summary>
    public static bool Collides(IEnumerable<(Endpoint Endpoint, string NewTemplate)> changed, IEnumerable<Endpoint> others, EndpointModel model)
    {
        var taken = new HashSet<(string Route, string Method)>();
        foreach (var other in others)
        {
            var route = Normalize(other.Template, other, model);
            foreach (var method in MethodsOf(other))
            {
                taken.Add((route, method));
            }
        }

        foreach (var (endpoint, template) in changed)
        {
            var route = Normalize(template, endpoint, model);
            foreach (var method in MethodsOf(endpoint))
            {
                if (taken.Contains((route, method)) || taken.Contains((route, "*")) || (method == "*" && taken.Any(t => t.Route == route)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string ReplaceIgnoreCase(string text, string token, string? value)
    {
        if (value is null)
        {
            return text;
        }

        var index = text.IndexOf(token, StringComparison.OrdinalIgnoreCase);
        return index < 0 ? text : text.Substring(0, index) + value + text.Substring(index + token.Length);
    }
}
