using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace BackendRules.Internal;

/// <summary>
/// Fix All that hands every diagnostic of a document to one function, which applies them all to a single
/// SyntaxEditor over the original tree. Used where fixes may touch the same node (an argument list, a statement
/// list, the usings), which a batch merge of text changes would silently drop.
/// </summary>
internal sealed class EditorFixAllProvider : DocumentBasedFixAllProvider
{
    private readonly string _title;
    private readonly Func<Document, SyntaxNode, SemanticModel, ImmutableArray<Diagnostic>, CancellationToken, Task<Document>> _apply;

    public EditorFixAllProvider(string title, Func<Document, SyntaxNode, SemanticModel, ImmutableArray<Diagnostic>, CancellationToken, Task<Document>> apply)
    {
        _title = title;
        _apply = apply;
    }

    protected override string GetFixAllTitle(FixAllContext fixAllContext) => _title;

    protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
        return root is null || model is null ? document : await _apply(document, root, model, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false);
    }
}
