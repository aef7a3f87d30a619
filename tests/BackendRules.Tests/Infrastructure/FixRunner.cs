using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace BackendRules.Tests.Infrastructure;

/// <summary>Runs an analyzer and applies its fixer in a real workspace, then compiles and loads the result.</summary>
public static class FixRunner
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document, DiagnosticAnalyzer analyzer)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer), document.Project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath).ToImmutableArray();
    }

    /// <summary>
    /// Applies the first offered fix (or the one with <paramref name="equivalenceKey"/> when offered) to each diagnostic,
    /// one at a time, until none is offered.
    /// </summary>
    public static async Task<string> ApplyAllFixesAsync(string source, DiagnosticAnalyzer analyzer, CodeFixProvider fixer, string? editorConfig = null, string? equivalenceKey = null)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            "Subject",
            "Subject",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: ParseOptions,
            metadataReferences: TestReferences.All));
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Subject.cs", SourceText.From(source), filePath: "/src/Subject.cs");
        if (editorConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(
                DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From("root = true\n\n[*.cs]\n" + editorConfig + "\n"), filePath: "/src/.editorconfig");
        }

        var document = solution.GetDocument(documentId)!;
        for (var round = 0; round < 50; round++)
        {
            var diagnostics = await AnalyzeAsync(document, analyzer);
            CodeAction? action = null;
            foreach (var diagnostic in diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
                await fixer.RegisterCodeFixesAsync(context);
                action = actions.FirstOrDefault(a => equivalenceKey is not null && a.EquivalenceKey == equivalenceKey) ?? actions.FirstOrDefault();
                if (action is not null)
                {
                    break;
                }
            }

            if (action is null)
            {
                return (await document.GetTextAsync()).ToString();
            }

            var operation = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
            document = operation.ChangedSolution.GetDocument(documentId)!;
        }

        throw new InvalidOperationException("Fixes did not converge.");
    }

    /// <summary>
    /// Fix All the way `dotnet format analyzers` starts it: from the first diagnostic in the document, with the
    /// equivalence key of that diagnostic's first fix, or none when its fix declines. Fails when the provider
    /// returns no action although other diagnostics can be fixed.
    /// </summary>
    public static async Task<string> FixAllFromFirstDiagnosticAsync(string source, DiagnosticAnalyzer analyzer, CodeFixProvider fixer, FixAllScope scope)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            "Subject",
            "Subject",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: ParseOptions,
            metadataReferences: TestReferences.All));
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Subject.cs", SourceText.From(source), filePath: "/src/Subject.cs");
        var document = solution.GetDocument(documentId)!;
        var diagnostics = (await AnalyzeAsync(document, analyzer)).Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        if (diagnostics.IsEmpty)
        {
            throw new InvalidOperationException("No diagnostic to start Fix All from.");
        }

        var first = diagnostics[0];
        CodeAction? firstAction = null;
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (a, _) => firstAction ??= a, CancellationToken.None));
        var context = new FixAllContext(document, fixer, scope, firstAction?.EquivalenceKey, fixer.FixableDiagnosticIds, new FixedDiagnostics(diagnostics), CancellationToken.None);
        var fixAll = await fixer.GetFixAllProvider()!.GetFixAsync(context)
            ?? throw new InvalidOperationException("The Fix All provider returned no action.");
        var operation = (await fixAll.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
        return (await operation.ChangedSolution.GetDocument(documentId)!.GetTextAsync()).ToString();
    }

    private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(Array.Empty<Diagnostic>());
    }

    /// <summary>Compiles <paramref name="source"/> against the test references and loads it; fails on any compiler error.</summary>
    /// <summary>A document holding the source in a project with the test references, to analyze outside the verifier.</summary>
    public static Document DocumentFor(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Aliased",
            "Aliased",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            metadataReferences: TestReferences.All));
        return project.AddDocument("Aliased.cs", source, filePath: "/src/Aliased.cs");
    }

    public static Assembly CompileAndLoad(string source, string assemblyName)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, ParseOptions) },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success || errors.Count > 0)
        {
            throw new InvalidOperationException("Compilation failed:\n" + string.Join("\n", errors) + "\n" + source);
        }

        return Assembly.Load(stream.ToArray());
    }
}
