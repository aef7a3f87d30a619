using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace BackendRules.Html;

/// <summary>
/// Recognizes the C# the Razor source generator emits for .cshtml views and pages and .razor components, and the parts
/// of it that come from the user's markup (mapped with #line) rather than the generator's own plumbing.
/// </summary>
internal sealed class RazorTrees
{
    private readonly ConcurrentDictionary<SyntaxTree, bool> _cache = new();

    public bool IsRazorGenerated(SyntaxTree tree) => _cache.TryGetValue(tree, out var known) ? known : _cache.GetOrAdd(tree, IsRazorGeneratedCore);

    /// <summary>
    /// The generator names its output after the source file (<c>Views/Home/Index_cshtml.g.cs</c>,
    /// <c>Components/Comment_razor.g.cs</c>; tooling uses <c>Index.cshtml.g.cs</c>) and starts it with a
    /// <c>#pragma checksum</c> naming the .cshtml/.razor file. Both must hold.
    /// </summary>
    internal static bool IsRazorGeneratedCore(SyntaxTree tree)
    {
        var path = tree.FilePath ?? string.Empty;
        var name = path.Substring(Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\')) + 1);
        if (!EndsWith(name, "_cshtml.g.cs") && !EndsWith(name, "_razor.g.cs") && !EndsWith(name, ".cshtml.g.cs") && !EndsWith(name, ".razor.g.cs"))
        {
            return false;
        }

        if (!tree.TryGetRoot(out var root))
        {
            root = tree.GetRoot();
        }

        foreach (var trivia in root.GetFirstToken(includeZeroWidth: true).LeadingTrivia)
        {
            if (trivia.IsKind(SyntaxKind.PragmaChecksumDirectiveTrivia)
                && trivia.GetStructure() is PragmaChecksumDirectiveTriviaSyntax checksum)
            {
                var file = checksum.File.ValueText;
                return EndsWith(file, ".cshtml") || EndsWith(file, ".razor");
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="span"/> was written by the user in the .cshtml/.razor file: it starts in a region a
    /// #line directive maps to that file, not in a hidden region of generated plumbing.
    /// </summary>
    public static bool IsUserCode(SyntaxTree tree, TextSpan span)
    {
        if (tree.GetLineVisibility(span.Start) != LineVisibility.Visible)
        {
            return false;
        }

        var mapped = tree.GetMappedLineSpan(span);
        return mapped.HasMappedPath && (EndsWith(mapped.Path, ".cshtml") || EndsWith(mapped.Path, ".razor"));
    }

    private static bool EndsWith(string text, string suffix) => text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
}
