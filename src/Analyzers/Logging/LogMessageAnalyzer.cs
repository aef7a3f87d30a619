using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Logging;

/// <summary>
/// BR0007: a Microsoft.Extensions.Logging or Serilog call whose message is built from values (interpolation,
/// concatenation, <c>string.Format</c>, a <c>StringBuilder</c>, or a local written once from one of those).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LogMessageAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Test projects are skipped unless this is set (see <see cref="TestProjects"/>).</summary>
    internal static readonly BoolOption ReportInTestProjects = TestProjects.Option(RuleIds.LogMessageTemplate);

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIds.LogMessageTemplate,
        title: "Log with a message template, not a message built from values",
        messageFormat: "'{0}' logs a message built from {1}; use a template with named placeholders and pass the values as arguments",
        RuleCategories.Design,
        DiagnosticSeverity.Warning,
        description: "A message built from values bakes them into the text: there are no properties to search or aggregate by, every value makes a distinct message, and the values are formatted even when the level is off. A template with named placeholders keeps the values as structured properties and renders the same text.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is skipped in the action (IsGeneratedCode), not by the driver: see SelectStarAnalyzer.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!LogCalls.Referenced(start.Compilation) || TestProjects.Skip(start.Compilation, start.Options, ReportInTestProjects))
            {
                return;
            }

            var compilation = start.Compilation;
            var lazyCalls = References.Once(() => LogCalls.Create(compilation));
            start.RegisterOperationAction(
                c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    if (!c.IsGeneratedCode && LogCalls.MayBeLogCall(invocation) && lazyCalls.Value?.TryGet(invocation) is { } call)
                    {
                        Analyze(c, call);
                    }
                },
                OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, LogCall call)
    {
        // A call that already passes values uses its message as a template; whatever else it concatenates is a choice.
        if (call.PassesValues || LogMessage.Parse(call.Message.Value) is not { } message)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, call.Message.Value.Syntax.GetLocation(), call.Invocation.TargetMethod.Name, message.Describe()));
    }
}
