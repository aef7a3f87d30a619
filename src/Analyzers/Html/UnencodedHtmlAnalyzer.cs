using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Html;

/// <summary>BR0006: values written into HTML without encoding, in C# and in the code generated for Razor views and components.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnencodedHtmlAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.UnencodedHtml);

    /// <summary>
    /// Methods whose result is safe HTML (a team's own sanitizer or encoder): documentation-comment IDs
    /// (<c>M:Shop.Html.Clean(System.String)</c>) or <c>Namespace.Type.Method</c> for every overload.
    /// </summary>
    internal static readonly ListOption EncodingMethods = new(RuleIds.UnencodedHtml, "encoding_methods", ImmutableArray<string>.Empty);

    private const string Title = "Encode values written into HTML";
    private const string Description = "A value written into HTML as markup (Html.Raw, HtmlString, MarkupString, AppendHtml, a hand-built text/html response) can carry a script into the page (cross-site scripting). Encode it, or let the framework render it as text.";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.UnencodedHtml,
        Title,
        messageFormat: "'{0}' is written into HTML without encoding; encode it or render it as text",
        RuleCategories.Security,
        DiagnosticSeverity.Warning,
        Description);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is analyzed only to reach Razor output; every other generated tree is skipped below.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            // Every sink is an ASP.NET Core type: without its assemblies nothing is registered. The types themselves are
            // looked up by the first callback that needs them (see References); which operation kinds to register is
            // read from the reference list.
            var compilation = start.Compilation;
            if (!References.Contains(compilation, "Microsoft.AspNetCore.Html.Abstractions")
                && !References.Contains(compilation, "Microsoft.AspNetCore.Components")
                && !References.Contains(compilation, "Microsoft.AspNetCore.Http.Abstractions")
                && !References.Contains(compilation, "Microsoft.AspNetCore.Mvc.Core"))
            {
                return;
            }

            var lazy = References.Once(() => HtmlSinks.Create(compilation) is { } created ? (created, new HtmlReturns(compilation, created)) : default);
            var razor = new RazorTrees();
            var custom = new CustomEncoders(compilation);
            var kinds = ImmutableArray.CreateBuilder<OperationKind>();
            kinds.Add(OperationKind.Invocation);
            kinds.Add(OperationKind.ObjectCreation);
            if (References.Contains(compilation, "Microsoft.AspNetCore.Mvc.ViewFeatures"))
            {
                kinds.Add(OperationKind.DynamicInvocation);
            }

            if (References.Contains(compilation, "Microsoft.AspNetCore.Components"))
            {
                kinds.Add(OperationKind.Conversion);
            }

            if (References.Contains(compilation, "Microsoft.AspNetCore.Mvc.Core"))
            {
                kinds.Add(OperationKind.ObjectOrCollectionInitializer);
            }

            start.RegisterOperationAction(
                operationContext =>
                {
                    // The sink test is cheap; the generated-code checks run only for the few operations that pass it.
                    if (!HtmlSinks.MayBeSink(operationContext.Operation))
                    {
                        return;
                    }

                    var (sinks, returns) = lazy.Value;
                    if (sinks is null || !sinks.TryGetSink(operationContext.Operation, out var sink))
                    {
                        return;
                    }

                    var syntax = sink.ReportNode;
                    if (operationContext.IsGeneratedCode
                        && (!razor.IsRazorGenerated(syntax.SyntaxTree) || !RazorTrees.IsUserCode(syntax.SyntaxTree, syntax.Span)))
                    {
                        return;
                    }

                    Analyze(operationContext, sinks, sink, custom, returns);
                },
                kinds.ToImmutable());
        });
    }

    // Read once per options instance rather than once per sink (see OptionsCache).
    private static readonly OptionsCache<EncoderEntries> EncodingEntries = new(options => new EncoderEntries(EncodingMethods.Read(options)));

    private static void Analyze(OperationAnalysisContext context, HtmlSinks sinks, HtmlSink sink, CustomEncoders custom, HtmlReturns returns)
    {
        var entries = EncodingEntries.Get(context.Options, sink.Operation.Syntax.SyntaxTree);
        var query = new HtmlReturns.Query(entries.Key, invocation => custom.IsEncoder(invocation, entries.Entries), context.CancellationToken);
        if (!TryGetOffendingValues(sink, sinks, returns, query, out var offending))
        {
            return;
        }

        var tree = sink.Operation.Syntax.SyntaxTree;
        var razor = context.IsGeneratedCode;
        var additional = new List<Location>();
        foreach (var value in offending)
        {
            if (value.Syntax.SyntaxTree == tree && (!razor || RazorTrees.IsUserCode(tree, value.Syntax.Span)))
            {
                additional.Add(value.Syntax.GetLocation());
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, sink.ReportNode.GetLocation(), additional, Describe(offending[0])));
    }

    /// <summary>The unencoded values this sink writes as markup, in source order; false when there are none.</summary>
    internal static bool TryGetOffendingValues(HtmlSink sink, HtmlSinks sinks, HtmlReturns returns, HtmlReturns.Query query, out List<IOperation> offending)
    {
        var safety = new HtmlValueSafety(sink.Operation, sinks, query.IsCustomEncoder, returns, query);

        // A response body taken as it is (a rendered template, a file) is not judged; one built here from values is.
        if (sink.Kind == HtmlSinkKind.Response && !safety.IsBuilt(sink.Value))
        {
            offending = new List<IOperation>();
            return false;
        }

        offending = safety.CollectOffendingRefined(sink.Value);
        return offending.Count > 0 && !sinks.WritesScriptElement(sink);
    }

    private static string Describe(IOperation value)
    {
        var text = value.Syntax.ToString();
        var newLine = text.IndexOfAny(new[] { '\r', '\n' });
        if (newLine >= 0)
        {
            text = text.Substring(0, newLine).TrimEnd() + "…";
        }

        return text.Length > 60 ? text.Substring(0, 59) + "…" : text;
    }

    /// <summary>The <c>encoding_methods</c> entries of one options instance, and a key naming them.</summary>
    internal sealed class EncoderEntries
    {
        public EncoderEntries(ImmutableArray<string> entries)
        {
            Entries = entries;
            Key = string.Join(",", entries);
        }

        public ImmutableArray<string> Entries { get; }

        public string Key { get; }
    }

    /// <summary>Encoders a team adds with <c>backendrules.BR0006.encoding_methods</c>, resolved once per distinct option value.</summary>
    internal sealed class CustomEncoders
    {
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<string, (ImmutableHashSet<ISymbol> Methods, ImmutableHashSet<string> Names)> _resolved = new();

        public CustomEncoders(Compilation compilation) => _compilation = compilation;

        public bool IsEncoder(IInvocationOperation invocation, ImmutableArray<string> entries)
        {
            if (entries.IsEmpty)
            {
                return false;
            }

            var (methods, names) = _resolved.GetOrAdd(string.Join(",", entries), _ => Resolve(entries));
            var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
            return methods.Contains(method.OriginalDefinition)
                || names.Contains(method.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + "." + method.Name);
        }

        private (ImmutableHashSet<ISymbol>, ImmutableHashSet<string>) Resolve(ImmutableArray<string> entries)
        {
            var methods = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (entry.StartsWith("M:", StringComparison.Ordinal))
                {
                    foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(entry, _compilation))
                    {
                        methods.Add(symbol.OriginalDefinition);
                    }
                }
                else
                {
                    names.Add(entry);
                }
            }

            return (methods.ToImmutable(), names.ToImmutable());
        }
    }
}
