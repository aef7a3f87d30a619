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

namespace BackendRules.Files;

/// <summary>
/// BR0014 fix: where the client's name enters the path, a generated name <c>$"{Guid.NewGuid():N}{extension}"</c> (the
/// extension only when the method checks it against an allow-list); the client's name stays where it was, for metadata.
/// Declines where the analyzer found the name used for more than the path.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClientFileNameFixer)), Shared]
public sealed class ClientFileNameFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0014.GeneratedName";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ClientFileName);

    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Store uploads under generated names", ApplyAsync);

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
            if (Plan(root, model, diagnostic) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Store the file under a generated name", c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var needsSystem = false;
        var changed = false;
        var done = new System.Collections.Generic.HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(root, model, diagnostic) is { } plan && done.Add(plan.Target))
            {
                editor.ReplaceNode(plan.Target, plan.Replacement);
                needsSystem |= !Visible(model, plan.Target.SpanStart, "Guid", "System");
                changed = true;
            }
        }

        if (!changed)
        {
            return document;
        }

        var newRoot = editor.GetChangedRoot();
        if (needsSystem && newRoot is CompilationUnitSyntax unit && !unit.Usings.Any(u => u.Name?.ToString() == "System"))
        {
            newRoot = unit.WithUsings(unit.Usings.Insert(0, SyntaxFactory.UsingDirective(SyntaxFactory.ParseName("System")).WithAdditionalAnnotations(Formatter.Annotation)));
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private sealed class Edit
    {
        public Edit(SyntaxNode target, SyntaxNode replacement)
        {
            Target = target;
            Replacement = replacement;
        }

        public SyntaxNode Target { get; }

        public SyntaxNode Replacement { get; }
    }

    private static Edit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(ClientFileNameAnalyzer.FixProperty) || diagnostic.AdditionalLocations.Count < 2)
        {
            return null;
        }

        var span = diagnostic.AdditionalLocations[1].SourceSpan;
        var entry = root.FindNode(span, getInnermostNodeForTie: true)?.AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e => e.Span == span);
        if (entry is null)
        {
            return null;
        }

        // The extension is kept only when its local is in scope where the name enters the path.
        string? extension = null;
        if (diagnostic.Properties.TryGetValue(ClientFileNameAnalyzer.ExtensionProperty, out var name) && name is { Length: > 0 }
            && model.LookupSymbols(entry.SpanStart, name: name).Any(s => s is ILocalSymbol))
        {
            extension = name;
        }

        var generated = "{Guid.NewGuid():N}" + (extension is null ? string.Empty : "{" + extension + "}");

        // Inside a hole of $"..." (no alignment or format): two holes in its place, not a nested interpolated string.
        if (entry.Parent is InterpolationSyntax { AlignmentClause: null, FormatClause: null, Parent: InterpolatedStringExpressionSyntax host } interpolation
            && host.StringStartToken.Kind() is SyntaxKind.InterpolatedStringStartToken or SyntaxKind.InterpolatedVerbatimStringStartToken)
        {
            var parsed = (InterpolatedStringExpressionSyntax)SyntaxFactory.ParseExpression("$\"" + generated + "\"");
            return new Edit(host, host.WithContents(host.Contents.ReplaceRange(interpolation, parsed.Contents)));
        }

        var replacement = SyntaxFactory.ParseExpression("$\"" + generated + "\"").WithTriviaFrom(entry);
        return new Edit(entry, replacement);
    }

    /// <summary>Whether the type's simple name binds to the type in that namespace at the position.</summary>
    private static bool Visible(SemanticModel model, int position, string typeName, string @namespace)
        => model.LookupNamespacesAndTypes(position, name: typeName).Any(s => s is INamedTypeSymbol t && t.ContainingNamespace?.ToDisplayString() == @namespace);
}
