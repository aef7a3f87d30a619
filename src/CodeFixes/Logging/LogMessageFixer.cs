using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Logging;

/// <summary>
/// BR0007 fix: the message becomes a template with a named placeholder per value (PascalCase from the expression,
/// alignment and format kept, literal braces doubled), and the values are passed after it, in order.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LogMessageFixer)), Shared]
public sealed class LogMessageFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0007.Template";
    private const string Title = "Use a message template with named placeholders";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.LogMessageTemplate);

    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Use message templates in log calls", ApplyAsync);

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
            if (Plan.Create(root, model, diagnostic, context.CancellationToken) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var changed = false;
        foreach (var diagnostic in diagnostics)
        {
            if (Plan.Create(root, model, diagnostic, cancellationToken) is { } plan)
            {
                plan.Apply(editor);
                changed = true;
            }
        }

        if (!changed)
        {
            return document;
        }

        var fixedDocument = document.WithSyntaxRoot(editor.GetChangedRoot());
        return await Formatter.FormatAsync(fixedDocument, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One call's rewrite: the template literal and the value expressions, or null where the fix declines.</summary>
    private sealed class Plan
    {
        private readonly ExpressionSyntax _message;
        private readonly ArgumentSyntax _lastArgument;
        private readonly string _template;
        private readonly ImmutableArray<ExpressionSyntax> _values;

        private Plan(ExpressionSyntax message, ArgumentSyntax lastArgument, string template, ImmutableArray<ExpressionSyntax> values)
        {
            _message = message;
            _lastArgument = lastArgument;
            _template = template;
            _values = values;
        }

        public static Plan? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
                || node.FirstAncestorOrSelf<ArgumentSyntax>() is not { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocationSyntax } arguments } argument
                || argument.Expression.Span != diagnostic.Location.SourceSpan
                // A named argument anywhere would leave the values after it without a parameter to bind to by position.
                || arguments.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None))
                || arguments.Arguments.Last() != argument
                || model.GetOperation(invocationSyntax, cancellationToken) is not IInvocationOperation invocation
                || LogCalls.Create(model.Compilation)?.TryGet(invocation) is not { } call
                || call.PassesValues
                || LogMessage.Parse(call.Message.Value) is not { Parts.IsDefault: false } message)
            {
                return null;
            }

            var names = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            var template = new StringBuilder();
            var values = ImmutableArray.CreateBuilder<ExpressionSyntax>();
            foreach (var part in message.Parts)
            {
                if (part is string text)
                {
                    template.Append(text.Replace("{", "{{").Replace("}", "}}"));
                    continue;
                }

                var hole = (LogHole)part;
                // A value that cannot be boxed into the values array (a span, a pointer) or has no type (code being typed).
                if (hole.Value.Type is not { } type || type.IsRefLikeType || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Error
                    || hole.Value.Syntax is not ExpressionSyntax expression)
                {
                    return null;
                }

                var name = Unique(PlaceholderNames.For(expression), names);
                template.Append('{').Append(name);
                if (hole.Alignment is { } alignment)
                {
                    template.Append(',').Append(alignment.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (hole.Format is { } format)
                {
                    template.Append(':').Append(format);
                }
                else if (call.Api == LogApi.Serilog && type.SpecialType is SpecialType.System_String or SpecialType.System_Char)
                {
                    // Serilog quotes string and char values when it renders a message; ':l' renders them as the text did.
                    template.Append(":l");
                }

                template.Append('}');
                values.Add(expression);
            }

            return new Plan(argument.Expression, argument, template.ToString(), values.ToImmutable());
        }

        public void Apply(SyntaxEditor editor)
        {
            var literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(_template))
                .WithTriviaFrom(_message);
            var added = _values
                .Select(v => SyntaxFactory.Argument(v.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation))
                .ToList();
            editor.ReplaceNode(_message, literal);
            editor.InsertAfter(_lastArgument, added);
        }

        private static string Unique(string name, HashSet<string> names)
        {
            var candidate = name;
            for (var i = 2; !names.Add(candidate); i++)
            {
                candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }
    }
}

/// <summary>Placeholder names from expressions: <c>order.Id</c> → <c>OrderId</c>, <c>user.GetName()</c> → <c>UserName</c>, <c>m.Title</c> → <c>Title</c>.</summary>
internal static class PlaceholderNames
{
    public static string For(ExpressionSyntax expression)
    {
        var segments = new List<string>();
        Collect(expression, segments);

        // A one-letter receiver (a lambda's or loop's `m`, `x`) says nothing: `m.Title` is `Title`.
        if (segments.Count > 1)
        {
            segments.RemoveAll(segment => segment.Trim('_', '@').Length == 1);
        }

        var name = new StringBuilder();
        foreach (var segment in segments)
        {
            name.Append(Pascal(segment));
        }

        return name.Length == 0 || char.IsDigit(name[0]) ? "Value" : name.ToString();
    }

    private static void Collect(ExpressionSyntax expression, List<string> segments)
    {
        switch (expression)
        {
            case SimpleNameSyntax simple:
                segments.Add(simple.Identifier.ValueText);
                break;
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax } member:
                Collect(member.Name, segments);
                break;
            case MemberAccessExpressionSyntax member:
                Collect(member.Expression, segments);
                Collect(member.Name, segments);
                break;
            case ConditionalAccessExpressionSyntax conditional:
                Collect(conditional.Expression, segments);
                Collect(conditional.WhenNotNull, segments);
                break;
            case MemberBindingExpressionSyntax binding:
                Collect(binding.Name, segments);
                break;
            case InvocationExpressionSyntax invocation:
                var before = segments.Count;
                Collect(invocation.Expression, segments);
                if (segments.Count > before)
                {
                    // x.ToString() names x; GetTotal() names Total.
                    var last = segments[segments.Count - 1];
                    if (last == "ToString" && segments.Count - 1 > before)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }
                    else if (last.Length > 3 && last.StartsWith("Get", System.StringComparison.Ordinal) && char.IsUpper(last[3]))
                    {
                        segments[segments.Count - 1] = last.Substring(3);
                    }
                }

                break;
            case ElementAccessExpressionSyntax element:
                Collect(element.Expression, segments);
                break;
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed:
                Collect(suppressed.Operand, segments);
                break;
            case CastExpressionSyntax cast:
                Collect(cast.Expression, segments);
                break;
            case AwaitExpressionSyntax awaited:
                Collect(awaited.Expression, segments);
                break;
            case ParenthesizedExpressionSyntax parenthesized:
                Collect(parenthesized.Expression, segments);
                break;
        }
    }

    private static string Pascal(string segment)
    {
        var start = segment.StartsWith("m_", System.StringComparison.Ordinal) ? 2 : 0;
        while (start < segment.Length && segment[start] is '_' or '@')
        {
            start++;
        }

        var name = new StringBuilder();
        var upper = true;
        for (var i = start; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '_')
            {
                upper = true;
                continue;
            }

            if (!char.IsLetterOrDigit(c))
            {
                continue;
            }

            name.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return name.ToString();
    }
}
