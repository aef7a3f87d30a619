using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Files;

/// <summary>
/// BR0014: a file name the client chose (<c>IFormFile.FileName</c>, <c>ContentDispositionHeaderValue.FileName</c>,
/// Blazor <c>IBrowserFile.Name</c>) that reaches a storage path, a file opened or written, a blob or object name.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ClientFileNameAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.ClientFileName);

    /// <summary>Diagnostic property: present where the fix can store the file under a generated name.</summary>
    internal const string FixProperty = "Fix";

    /// <summary>Diagnostic property: the local holding the extension checked against an allow-list, kept by the generated name.</summary>
    internal const string ExtensionProperty = "Extension";

    private const string Description = "A file name sent by the client decides where the server writes: '../' climbs out of the upload folder, two uploads with the same name overwrite each other, and the client picks the extension the server later serves. Store the file under a name the server generates and keep the client's name as metadata.";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.ClientFileName,
        title: "Store uploads under a name the server generates",
        messageFormat: "'{0}' is the file name the client sent and it reaches '{1}': a name such as '../x' leaves the folder and a repeated name overwrites; store the file under a generated name",
        RuleCategories.Security,
        DiagnosticSeverity.Warning,
        description: Description);

    internal static readonly DiagnosticDescriptor AfterGetFileName = RuleDescriptors.Create(
        RuleIds.ClientFileName,
        title: "Store uploads under a name the server generates",
        messageFormat: "'{0}' is still the client's choice after Path.GetFileName and it reaches '{1}': uploads with the same name overwrite each other and the client picks the extension; store the file under a generated name",
        RuleCategories.Security,
        DiagnosticSeverity.Warning,
        description: Description);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, AfterGetFileName);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped in the action (IsGeneratedCode), not by the driver: see SelectStarAnalyzer.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            if (!(References.Contains(compilation, "Microsoft.AspNetCore.Http.Features")
                    || References.Contains(compilation, "Microsoft.Net.Http.Headers")
                    || References.Contains(compilation, "Microsoft.AspNetCore.Components.Web")
                    || References.Contains(compilation, "System.Net.Http")
                    || References.Contains(compilation, "Microsoft.AspNetCore.App"))
                || TestProjects.Skip(compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            // One index per body, shared by every source in it (an upload action reads FileName several times).
            var flows = new ConditionalWeakTable<IOperation, ClientNameFlow>();
            start.RegisterOperationAction(
                c =>
                {
                    var reference = (IPropertyReferenceOperation)c.Operation;
                    if (reference.Property.Name is not ("FileName" or "FileNameStar" or "Name") || !UploadNames.IsSource(reference) || c.IsGeneratedCode)
                    {
                        return;
                    }

                    var flow = flows.GetValue(Operations.Root(reference), root => new ClientNameFlow(root));
                    var trace = flow.Follow(reference);
                    if (trace.Hits.Count == 0 || flow.IsAllowListed(reference, trace))
                    {
                        return;
                    }

                    var first = trace.Hits.OrderBy(h => h.Sink.Syntax.SpanStart).First();
                    var entries = trace.Hits.Select(h => h.Entry).Distinct().ToList();
                    var properties = ImmutableDictionary<string, string?>.Empty;
                    var locations = ImmutableArray.Create(first.Sink.Syntax.GetLocation());
                    if (entries.Count == 1 && entries[0].Syntax is ExpressionSyntax entrySyntax
                        && (entries[0] is not ILocalReferenceOperation local || flow.OnlyForThePath(local)))
                    {
                        var extension = trace.Hits.Any(h => h.WithoutExtension) ? null : flow.CheckedExtensionBefore(entrySyntax.SpanStart);

                        // Without an extension local to keep, a name with no extension would fail the method's own
                        // extension check (Path.GetExtension(path) == ".zip"): the fix declines there.
                        if (extension is not null || !flow.ChecksExtensionInline || trace.Hits.Any(h => h.WithoutExtension))
                        {
                            properties = properties.Add(FixProperty, "Generated");
                            if (extension is not null)
                            {
                                properties = properties.Add(ExtensionProperty, extension.Name);
                            }

                            locations = locations.Add(entrySyntax.GetLocation());
                        }
                    }

                    var descriptor = trace.Hits.All(h => h.ThroughGetFileName) ? AfterGetFileName : Rule;
                    c.ReportDiagnostic(Diagnostic.Create(descriptor, reference.Syntax.GetLocation(), locations, properties, Shown(reference), first.SinkName));
                },
                OperationKind.PropertyReference);
        });
    }

    /// <summary>The source as written, on one line; long receivers are cut to the property.</summary>
    private static string Shown(IPropertyReferenceOperation reference)
    {
        var text = string.Join(" ", reference.Syntax.ToString().Split(new[] { '\r', '\n', ' ', '\t' }, System.StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : reference.Property.ContainingType?.Name + "." + reference.Property.Name;
    }
}
