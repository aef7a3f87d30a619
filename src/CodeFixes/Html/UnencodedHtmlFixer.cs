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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Html;

/// <summary>
/// BR0006 fix: encodes each unencoded value with <c>HtmlEncoder.Default.Encode(...)</c> where it enters the HTML, or,
/// where the raw call adds nothing but the markup (<c>AppendHtml(text)</c>, <c>AddContent(n, (MarkupString)text)</c>),
/// renders the value as text with the encoding counterpart. C# documents only: Razor output has no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnencodedHtmlFixer)), Shared]
public sealed class UnencodedHtmlFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0006.Encode";

    private const string EncoderMetadataName = "System.Text.Encodings.Web.HtmlEncoder";
    private const string EncoderNamespace = "System.Text.Encodings.Web";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.UnencodedHtml);

    // Several fixes in one file may need the same `using` and may reach the same hole (one HTML local written by two
    // sinks): Fix All applies them to one editor, once each.
    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Encode values written into HTML", ApplyAsync);

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
            var plan = Plan.Create(context.Document, root, model, diagnostic, context.CancellationToken);
            if (plan is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(plan.Title, c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var plans = new List<Plan>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan.Create(document, root, model, diagnostic, cancellationToken) is { } plan)
            {
                plans.Add(plan);
            }
        }

        if (plans.Count == 0)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var done = new HashSet<TextSpan>();
        var needsUsing = false;
        foreach (var plan in plans)
        {
            needsUsing |= plan.Apply(editor, done);
        }

        if (needsUsing && root is CompilationUnitSyntax unit)
        {
            editor.ReplaceNode(unit, (current, _) => AddUsing((CompilationUnitSyntax)current));
        }

        var changed = document.WithSyntaxRoot(editor.GetChangedRoot());
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit)
    {
        if (unit.Usings.Any(u => u.Alias is null && u.StaticKeyword == default && u.Name?.ToString() == EncoderNamespace))
        {
            return unit;
        }

        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(EncoderNamespace)).WithAdditionalAnnotations(Formatter.Annotation);
        // After any global usings (they must come first), in order among the plain ones.
        var index = 0;
        while (index < unit.Usings.Count && unit.Usings[index].GlobalKeyword != default)
        {
            index++;
        }

        while (index < unit.Usings.Count && unit.Usings[index].Alias is null && unit.Usings[index].StaticKeyword == default
               && Compare(unit.Usings[index].Name?.ToString() ?? string.Empty, EncoderNamespace) < 0)
        {
            index++;
        }

        return unit.WithUsings(unit.Usings.Insert(index, directive));
    }

    // System namespaces first, then ordinal: the order `dotnet format` keeps by default.
    private static int Compare(string a, string b)
    {
        var aSystem = a == "System" || a.StartsWith("System.", StringComparison.Ordinal);
        var bSystem = b == "System" || b.StartsWith("System.", StringComparison.Ordinal);
        return aSystem != bSystem ? (aSystem ? -1 : 1) : string.CompareOrdinal(a, b);
    }

    /// <summary>Everything one fix changes, computed against the original tree.</summary>
    private sealed class Plan
    {
        private readonly List<(ExpressionSyntax Node, Func<ExpressionSyntax, ExpressionSyntax> Replace)> _edits = new();
        private bool _needsUsing;

        private Plan(string title) => Title = title;

        public string Title { get; }

        /// <summary>Applies the edits not already made by another plan; true when the file needs the encoder's using.</summary>
        public bool Apply(SyntaxEditor editor, HashSet<TextSpan> done)
        {
            var applied = false;
            foreach (var (node, replace) in _edits)
            {
                if (done.Add(node.Span))
                {
                    editor.ReplaceNode(node, (current, _) => replace((ExpressionSyntax)current));
                    applied = true;
                }
            }

            return applied && _needsUsing;
        }

        public static Plan? Create(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            // Razor views and components: the diagnostic sits in generated C# mapped to the .cshtml/.razor file, which is
            // not a C# document; the change belongs in the markup (rules.md shows it).
            if (diagnostic.Id != RuleIds.UnencodedHtml || diagnostic.Location.SourceTree != root.SyntaxTree
                || document is SourceGeneratedDocument || diagnostic.Location.GetMappedLineSpan().HasMappedPath
                || RazorTrees.IsRazorGeneratedCore(root.SyntaxTree))
            {
                return null;
            }

            var sinks = HtmlSinks.Create(model.Compilation);
            var encoder = model.Compilation.GetTypeByMetadataName(EncoderMetadataName);
            if (sinks is null || encoder is null || !TryFindSink(root, model, sinks, diagnostic, cancellationToken, out var sink))
            {
                return null;
            }

            var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree);
            var entries = new UnencodedHtmlAnalyzer.EncoderEntries(UnencodedHtmlAnalyzer.EncodingMethods.Read(options));
            var custom = new UnencodedHtmlAnalyzer.CustomEncoders(model.Compilation);
            var query = new HtmlReturns.Query(entries.Key, invocation => custom.IsEncoder(invocation, entries.Entries), cancellationToken);
            if (!UnencodedHtmlAnalyzer.TryGetOffendingValues(sink, sinks, new HtmlReturns(model.Compilation, sinks), query, out var offending))
            {
                return null;
            }

            var whole = offending.Count == 1 && ReferenceEquals(offending[0], Operations.Unwrap(sink.Value))
                && offending[0].Type?.SpecialType == SpecialType.System_String;
            if (whole && TryPlanAsText(sink, model) is { } asText)
            {
                return asText;
            }

            var plan = new Plan(offending.Count == 1 ? "Encode the value" : "Encode the values");
            var encoderName = EncoderName(model, encoder, sink.Operation.Syntax.SpanStart, out plan._needsUsing);
            foreach (var value in offending)
            {
                if (value.IsImplicit || value.Syntax is not ExpressionSyntax expression || expression.SyntaxTree != root.SyntaxTree
                    || !TryWrap(expression, model, encoderName, cancellationToken, out var replace))
                {
                    return null;
                }

                plan._edits.Add((expression, replace));
            }

            return plan;
        }

        private static bool TryFindSink(SyntaxNode root, SemanticModel model, HtmlSinks sinks, Diagnostic diagnostic, CancellationToken cancellationToken, out HtmlSink sink)
        {
            sink = default;
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            foreach (var candidate in node.AncestorsAndSelf())
            {
                if (candidate is not (InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or CastExpressionSyntax or InitializerExpressionSyntax))
                {
                    continue;
                }

                if (model.GetOperation(candidate, cancellationToken) is { } operation && sinks.TryGetSink(operation, out var found)
                    && found.ReportNode.Span == diagnostic.Location.SourceSpan)
                {
                    sink = found;
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The raw call adds nothing but the markup when it has a text counterpart taking the same string:
        /// AppendHtml → Append, AppendHtmlLine → AppendLine, SetHtmlContent → SetContent, and
        /// RenderTreeBuilder.AddContent(n, (MarkupString)text) → AddContent(n, text).
        /// </summary>
        private static Plan? TryPlanAsText(HtmlSink sink, SemanticModel model)
        {
            if (sink.Operation is IInvocationOperation { Syntax: InvocationExpressionSyntax invocation } call
                && invocation.Expression is MemberAccessExpressionSyntax member
                && TextCounterpart(call.TargetMethod.Name) is { } counterpart)
            {
                var renamed = invocation.WithExpression(member.WithName(SyntaxFactory.IdentifierName(counterpart).WithTriviaFrom(member.Name)));
                var bound = model.GetSpeculativeSymbolInfo(invocation.SpanStart, renamed, SpeculativeBindingOption.BindAsExpression).Symbol as IMethodSymbol;
                if (bound is null || bound.Name != counterpart || !bound.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String))
                {
                    return null;
                }

                var plan = new Plan("Write the value as text");
                plan._edits.Add((invocation, current => current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax currentMember } currentCall
                    ? currentCall.WithExpression(currentMember.WithName(SyntaxFactory.IdentifierName(counterpart).WithTriviaFrom(currentMember.Name)))
                    : current));
                return plan;
            }

            if (sink.Operation is IConversionOperation or IObjectCreationOperation
                && sink.Operation.Syntax is ExpressionSyntax wrapper
                && sink.Value.Syntax is ExpressionSyntax text
                && WrapperArgument(sink.Operation) is { Parameter: { } parameter } argument
                && argument.Parent is IInvocationOperation { TargetMethod: { Name: "AddContent", ContainingType.Name: "RenderTreeBuilder" } }
                && parameter.Type.Name == "MarkupString"
                && argument.Syntax is ArgumentSyntax { NameColon: null })
            {
                var plan = new Plan("Render the value as text");
                var replacement = text.WithoutTrivia();
                plan._edits.Add((wrapper, current => replacement.WithTriviaFrom(current)));
                return plan;
            }

            return null;
        }

        private static IArgumentOperation? WrapperArgument(IOperation wrapper)
        {
            var parent = wrapper.Parent;
            while (parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            return parent as IArgumentOperation;
        }

        private static string? TextCounterpart(string method) => method switch
        {
            "AppendHtml" => "Append",
            "AppendHtmlLine" => "AppendLine",
            "SetHtmlContent" => "SetContent",
            _ => null,
        };

        /// <summary>`HtmlEncoder` when it names the encoder here or will after adding the using; otherwise fully qualified.</summary>
        private static ExpressionSyntax EncoderName(SemanticModel model, INamedTypeSymbol encoder, int position, out bool needsUsing)
        {
            needsUsing = false;
            var found = model.LookupNamespacesAndTypes(position, name: "HtmlEncoder");
            if (found.Any(symbol => SymbolEqualityComparer.Default.Equals(symbol, encoder)))
            {
                return SyntaxFactory.IdentifierName("HtmlEncoder");
            }

            if (found.IsEmpty)
            {
                needsUsing = true;
                return SyntaxFactory.IdentifierName("HtmlEncoder");
            }

            return SyntaxFactory.ParseExpression("global::" + EncoderMetadataName);
        }

        /// <summary>
        /// The value as a string, encoded. Declines where the encoded string would not take the value's place
        /// unchanged: a format or alignment in the hole, a parameter that is not string or object, a type whose text is
        /// not its ToString().
        /// </summary>
        private static bool TryWrap(ExpressionSyntax expression, SemanticModel model, ExpressionSyntax encoderName, CancellationToken cancellationToken, out Func<ExpressionSyntax, ExpressionSyntax> replace)
        {
            replace = null!;

            // Text a StringBuilder collected elsewhere is most likely markup: encoding all of it would show the tags.
            if (model.GetOperation(expression, cancellationToken) is IInvocationOperation { TargetMethod.Name: "ToString" } toString
                && toString.Instance?.Type is { Name: "StringBuilder" })
            {
                return false;
            }

            // string.Format("{0:N}", value), sb.AppendFormat(...): the format item would apply to the encoded string.
            if (expression.Parent is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax formatCall }
                && model.GetSymbolInfo(formatCall, cancellationToken).Symbol is IMethodSymbol { Name: "Format" or "AppendFormat" }
                && model.GetTypeInfo(expression, cancellationToken).Type?.SpecialType != SpecialType.System_String)
            {
                return false;
            }

            if (expression.Parent is InterpolationSyntax interpolation)
            {
                if (interpolation.AlignmentClause is not null || interpolation.FormatClause is not null)
                {
                    return false;
                }
            }
            else
            {
                if (expression.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 })
                {
                    return false;
                }

                var converted = model.GetTypeInfo(expression, cancellationToken).ConvertedType;
                if (converted is null || converted.SpecialType is not (SpecialType.System_String or SpecialType.System_Object))
                {
                    return false;
                }
            }

            var info = model.GetTypeInfo(expression, cancellationToken);
            var type = info.Type;
            if (type is null || type.TypeKind is TypeKind.Error or TypeKind.Dynamic or TypeKind.TypeParameter or TypeKind.Pointer or TypeKind.Array or TypeKind.Delegate
                || type.IsRefLikeType)
            {
                return false;
            }

            // An interpolation hole formats an IFormattable through IFormattable.ToString(null, culture), which may differ
            // from its ToString().
            if (expression.Parent is InterpolationSyntax && type.SpecialType != SpecialType.System_String
                && type.AllInterfaces.Any(i => i.Name == "IFormattable" && i.ContainingNamespace?.Name == "System"))
            {
                return false;
            }

            var maybeNull = info.Nullability.FlowState != NullableFlowState.NotNull;
            Func<ExpressionSyntax, ExpressionSyntax> asString;
            if (type.SpecialType == SpecialType.System_String)
            {
                asString = current => maybeNull ? OrEmpty(current.WithoutTrivia()) : current.WithoutTrivia();
            }
            else
            {
                var nullable = type.IsReferenceType || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
                var toStringMayBeNull = nullable || ToStringMayReturnNull(type);
                asString = current =>
                {
                    var receiver = Receiver(current.WithoutTrivia());
                    ExpressionSyntax call = nullable && maybeNull
                        ? SyntaxFactory.ConditionalAccessExpression(receiver, SyntaxFactory.InvocationExpression(SyntaxFactory.MemberBindingExpression(SyntaxFactory.IdentifierName("ToString"))))
                        : SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("ToString")));
                    return toStringMayBeNull || (nullable && maybeNull) ? OrEmpty(call) : call;
                };
            }

            replace = current => SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, encoderName, SyntaxFactory.IdentifierName("Default")),
                        SyntaxFactory.IdentifierName("Encode")),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(asString(current)))))
                .WithTriviaFrom(current);
            return true;
        }

        private static ExpressionSyntax OrEmpty(ExpressionSyntax value)
            => SyntaxFactory.BinaryExpression(
                SyntaxKind.CoalesceExpression,
                value is BinaryExpressionSyntax or ConditionalExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax or IsPatternExpressionSyntax or SwitchExpressionSyntax
                    ? SyntaxFactory.ParenthesizedExpression(value)
                    : value,
                SyntaxFactory.ParseExpression("string.Empty"));

        private static ExpressionSyntax Receiver(ExpressionSyntax value)
            => value is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
                or ParenthesizedExpressionSyntax or ThisExpressionSyntax or LiteralExpressionSyntax
                ? value
                : SyntaxFactory.ParenthesizedExpression(value);

        private static bool ToStringMayReturnNull(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers("ToString"))
                {
                    if (member is IMethodSymbol { Parameters.IsEmpty: true } method)
                    {
                        return method.ReturnNullableAnnotation != NullableAnnotation.NotAnnotated;
                    }
                }
            }

            return true;
        }
    }
}
