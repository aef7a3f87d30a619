using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>One piece of a combined template: a controller or action route, a group prefix or a map pattern.</summary>
internal readonly struct TemplatePiece
{
    public TemplatePiece(string value, SyntaxNode? syntax, IOperation? literal, RouteSegmentOrigin origin)
    {
        Value = value;
        Syntax = syntax;
        Literal = literal;
        Origin = origin;
    }

    /// <summary>The template text as the framework sees it (the constant value).</summary>
    public string Value { get; }

    /// <summary>The expression the value was written as, when in source.</summary>
    public SyntaxNode? Syntax { get; }

    public IOperation? Literal { get; }

    public RouteSegmentOrigin Origin { get; }
}

/// <summary>Splitting route templates into segments and mapping segments back to their place in source.</summary>
internal static class RouteTemplate
{
    /// <summary>Whether the template replaces the controller prefix instead of extending it (<c>~/x</c>, <c>/x</c>).</summary>
    public static bool IsOverride(string template) => template.StartsWith("~/", StringComparison.Ordinal) || template.StartsWith("/", StringComparison.Ordinal);

    /// <summary>The template without its leading <c>~/</c> or <c>/</c> and trailing <c>/</c>.</summary>
    public static string Trim(string template)
    {
        var (start, end) = Bounds(template);
        return template.Substring(start, end - start);
    }

    private static (int Start, int End) Bounds(string template)
    {
        var start = template.StartsWith("~/", StringComparison.Ordinal) ? 2 : 0;
        while (start < template.Length && template[start] == '/')
        {
            start++;
        }

        var end = template.Length;
        while (end > start && template[end - 1] == '/')
        {
            end--;
        }

        return (start, end);
    }

    /// <summary>Joins template parts with single slashes, skipping empty ones.</summary>
    public static string Combine(IEnumerable<string> parts)
    {
        var result = string.Empty;
        foreach (var part in parts)
        {
            var trimmed = Trim(part);
            if (trimmed.Length == 0)
            {
                continue;
            }

            result = result.Length == 0 ? trimmed : result + "/" + trimmed;
        }

        return result;
    }

    /// <summary>
    /// The '/'-separated segments of <paramref name="template"/> with their offsets in it. Slashes inside
    /// <c>{...}</c> (regex constraints) do not split. <paramref name="mvcTokens"/> recognises [controller]/[action]/[area].
    /// </summary>
    public static ImmutableArray<(string Text, int Offset, RouteSegmentKind Kind)> Split(string template, bool mvcTokens)
        => mvcTokens ? SplitWithTokens.Get(template) : SplitPlain.Get(template);

    private static readonly StringMemo<ImmutableArray<(string, int, RouteSegmentKind)>> SplitWithTokens = new(template => SplitCore(template, mvcTokens: true));
    private static readonly StringMemo<ImmutableArray<(string, int, RouteSegmentKind)>> SplitPlain = new(template => SplitCore(template, mvcTokens: false));

    private static ImmutableArray<(string Text, int Offset, RouteSegmentKind Kind)> SplitCore(string template, bool mvcTokens)
    {
        var result = ImmutableArray.CreateBuilder<(string, int, RouteSegmentKind)>();
        var (start, end) = Bounds(template);
        var depth = 0;
        var segmentStart = start;
        for (var i = start; i <= end; i++)
        {
            var c = i < end ? template[i] : '/';
            if (c == '{')
            {
                if (i + 1 < end && template[i + 1] == '{' && depth == 0)
                {
                    i++;
                    continue;
                }

                depth++;
            }
            else if (c == '}')
            {
                if (depth == 0 && i + 1 < end && template[i + 1] == '}')
                {
                    i++;
                    continue;
                }

                depth = Math.Max(0, depth - 1);
            }
            else if (c == '/' && (depth == 0 || i == end))
            {
                if (i > segmentStart)
                {
                    var text = template.Substring(segmentStart, i - segmentStart);
                    result.Add((text, segmentStart, KindOf(text, mvcTokens)));
                }

                segmentStart = i + 1;
                depth = 0;
            }
        }

        return result.ToImmutable();
    }

    private static RouteSegmentKind KindOf(string text, bool mvcTokens)
    {
        if (mvcTokens && (text.IndexOf("[controller]", StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf("[action]", StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf("[area]", StringComparison.OrdinalIgnoreCase) >= 0))
        {
            return RouteSegmentKind.Token;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                if (i + 1 < text.Length && text[i + 1] == '{')
                {
                    i++;
                    continue;
                }

                return RouteSegmentKind.Parameter;
            }
        }

        return RouteSegmentKind.Literal;
    }

    /// <summary>The segments of one piece, located in source where the piece is a string literal.</summary>
    public static IEnumerable<RouteSegment> Segments(TemplatePiece piece, bool mvcTokens)
    {
        var literal = piece.Syntax as LiteralExpressionSyntax;
        var exact = literal is not null && ExactStart(literal.Token, piece.Value) is int;
        var contentStart = literal is not null ? ExactStart(literal.Token, piece.Value) ?? 0 : 0;
        foreach (var (text, offset, kind) in Split(piece.Value, mvcTokens))
        {
            Location? location = null;
            if (literal is not null)
            {
                location = exact
                    ? Location.Create(literal.SyntaxTree, new TextSpan(literal.Token.SpanStart + contentStart + offset, text.Length))
                    : literal.GetLocation();
            }

            yield return new RouteSegment(text, kind, location, piece.Literal, piece.Origin, exact);
        }
    }

    /// <summary>
    /// Where the value starts inside the token's text when the value is written 1:1 (no escapes, no doubled quotes);
    /// null otherwise. Works for regular, verbatim and single-line raw string literals.
    /// </summary>
    public static int? ExactStart(SyntaxToken token, string value)
    {
        if (!token.IsKind(SyntaxKind.StringLiteralToken) && !token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
        {
            return null;
        }

        var text = token.Text;
        var start = 0;
        if (value.Length == 0)
        {
            // "" or @"": the opening quotes are half of the quotes.
            while (start < text.Length && text[start] == '@')
            {
                start++;
            }

            var quotes = text.Length - start;
            return quotes >= 2 && quotes % 2 == 0 && text.Substring(start).Trim('"').Length == 0 ? start + quotes / 2 : null;
        }

        while (start < text.Length && text[start] is '@' or '"')
        {
            start++;
        }

        var closing = text.Length - start - value.Length;
        if (closing < 1 || string.CompareOrdinal(text, start, value, 0, value.Length) != 0)
        {
            return null;
        }

        for (var i = start + value.Length; i < text.Length; i++)
        {
            if (text[i] != '"')
            {
                return null;
            }
        }

        return start;
    }
}
