using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
using BackendRules.Internal;

namespace BackendRules.Resilience;

/// <summary>
/// BR0008's second fix, offered where Polly.Core 8 is referenced: a counted retry loop of the common shape becomes a
/// call through a <c>private static readonly ResiliencePipeline</c> field (retry with exponential backoff, jitter and a
/// cap, handling the catch's exception type). What the loop did after the last failure still happens: the exception
/// propagates where the catch filter let it out, and where the loop fell out to the code after it, that exception is
/// caught around the pipeline call and the code after the loop runs. Declines wherever the loop's shape differs.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryPipelineFixer)), Shared]
[ExtensionOrder(After = nameof(RetryBackoffFixer))] // the smaller edit comes first in the light bulb and for dotnet format
public sealed class RetryPipelineFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0008.Polly";
    private const string Title = "Retry through a Polly ResiliencePipeline (exponential backoff with jitter)";

    /// <summary>The Polly type names the fix writes; each must mean the Polly type (or nothing yet) where it is written.</summary>
    private static readonly string[] PollyNames = { "ResiliencePipeline", "ResiliencePipelineBuilder", "PredicateBuilder", "DelayBackoffType" };

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.RetryBackoff);

    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Retry through Polly ResiliencePipelines", ApplyAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || Polly.Find(model.Compilation) is not { } polly)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan.Create(context.Document, root, model, polly, diagnostic, context.CancellationToken) is null)
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
        if (Polly.Find(model.Compilation) is not { } polly)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var done = new List<StatementSyntax>();
        var newLine = SyntaxText.NewLine(root.SyntaxTree, cancellationToken);
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            // A loop reported on several waits, or nested in another fixed loop, is rewritten once.
            if (Plan.Create(document, root, model, polly, diagnostic, cancellationToken) is not { } plan
                || done.Any(loop => loop.Span.IntersectsWith(plan.Loop.Span)))
            {
                continue;
            }

            plan.Apply(editor, taken, model, newLine, cancellationToken);
            done.Add(plan.Loop);
        }

        if (done.Count == 0)
        {
            return document;
        }

        var changed = editor.GetChangedRoot();
        if (changed is CompilationUnitSyntax unit)
        {
            var position = done[0].SpanStart;
            foreach (var (name, probe) in new[] { ("Polly.Retry", polly.Options), ("Polly", polly.Builder) })
            {
                if (!Means(model, position, probe.Name, probe) && !unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == name))
                {
                    unit = AddUsing(unit, name, newLine);
                }
            }

            changed = unit;
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(changed), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts <c>using name;</c> in order: after the System usings, before the first one that sorts after it.</summary>
    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string name, string newLine)
    {
        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name)).WithAdditionalAnnotations(Formatter.Annotation);
        var usings = unit.Usings;
        var index = 0;
        while (index < usings.Count)
        {
            var existing = usings[index];
            if (existing.Alias is not null || existing.StaticKeyword.IsKind(SyntaxKind.StaticKeyword))
            {
                break;
            }

            var text = existing.Name?.ToString() ?? string.Empty;
            if (existing.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) || text == "System" || text.StartsWith("System.", StringComparison.Ordinal)
                || string.CompareOrdinal(text, name) < 0)
            {
                index++;
                continue;
            }

            break;
        }

        if (index == 0 && usings.Count > 0)
        {
            // A file header before the first using stays first.
            directive = directive.WithLeadingTrivia(usings[0].GetLeadingTrivia());
            usings = usings.Replace(usings[0], usings[0].WithLeadingTrivia());
        }

        if (usings.Count == 0 && unit.Members.Count > 0)
        {
            // The first member's leading trivia (a file header) stays in front of the new directive.
            var first = unit.GetFirstToken(includeZeroWidth: true);
            directive = directive.WithLeadingTrivia(first.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine));
            unit = unit.ReplaceToken(first, first.WithLeadingTrivia(SyntaxFactory.EndOfLine(newLine)));
            return unit.WithUsings(unit.Usings.Add(directive));
        }

        return unit.WithUsings(usings.Insert(index, directive));
    }

    /// <summary>The name at the position means that type (through a using or otherwise).</summary>
    private static bool Means(SemanticModel model, int position, string name, INamedTypeSymbol type)
    {
        var found = model.LookupNamespacesAndTypes(position, name: name).Where(s => s is not INamedTypeSymbol { Arity: > 0 }).ToList();
        return found.Count == 1 && SymbolEqualityComparer.Default.Equals(found[0], type);
    }

    /// <summary>The Polly.Core 8 types the fix writes, or null where the compilation does not reference them.</summary>
    private sealed class Polly
    {
        private Polly(INamedTypeSymbol pipeline, INamedTypeSymbol builder, INamedTypeSymbol predicate, INamedTypeSymbol backoff, INamedTypeSymbol options)
        {
            Pipeline = pipeline;
            Builder = builder;
            Predicate = predicate;
            Backoff = backoff;
            Options = options;
        }

        public INamedTypeSymbol Pipeline { get; }

        public INamedTypeSymbol Builder { get; }

        public INamedTypeSymbol Predicate { get; }

        public INamedTypeSymbol Backoff { get; }

        public INamedTypeSymbol Options { get; }

        public INamedTypeSymbol Named(string name) => name switch
        {
            "ResiliencePipeline" => Pipeline,
            "ResiliencePipelineBuilder" => Builder,
            "PredicateBuilder" => Predicate,
            "DelayBackoffType" => Backoff,
            _ => Options,
        };

        public static Polly? Find(Compilation compilation)
        {
            if (compilation.GetTypeByMetadataName("Polly.ResiliencePipeline") is not { } pipeline
                || compilation.GetTypeByMetadataName("Polly.ResiliencePipelineBuilder") is not { } builder
                || compilation.GetTypeByMetadataName("Polly.PredicateBuilder") is not { } predicate
                || compilation.GetTypeByMetadataName("Polly.DelayBackoffType") is not { } backoff
                || backoff.GetMembers("Exponential").IsEmpty
                || compilation.GetTypeByMetadataName("Polly.Retry.RetryStrategyOptions") is not { } options
                || compilation.GetTypeByMetadataName("Polly.RetryResiliencePipelineBuilderExtensions") is null
                || !HasMember(options, "UseJitter") || !HasMember(options, "MaxDelay") || !HasMember(options, "MaxRetryAttempts")
                || !HasMember(options, "BackoffType") || !HasMember(options, "Delay") || !HasMember(options, "ShouldHandle")
                || pipeline.GetMembers("ExecuteAsync").IsEmpty || pipeline.GetMembers("Execute").IsEmpty)
            {
                return null;
            }

            return new Polly(pipeline, builder, predicate, backoff, options);
        }

        private static bool HasMember(INamedTypeSymbol type, string name)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (!current.GetMembers(name).IsEmpty)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>One loop's rewrite, computed from the original tree; null where any part of the shape differs.</summary>
    private sealed class Plan
    {
        private Plan(StatementSyntax loop, MemberDeclarationSyntax member, string baseName, string exceptionType, int retries, string delay, double capMs,
            bool isAsync, string? token, bool configureAwait, bool fallsOut, BlockSyntax work, StatementSyntax exit, ImmutableArray<StatementSyntax> deadAfter)
        {
            Loop = loop;
            Member = member;
            BaseName = baseName;
            ExceptionType = exceptionType;
            Retries = retries;
            Delay = delay;
            CapMs = capMs;
            IsAsync = isAsync;
            Token = token;
            ConfigureAwait = configureAwait;
            FallsOut = fallsOut;
            Work = work;
            Exit = exit;
            DeadAfter = deadAfter;
        }

        public StatementSyntax Loop { get; }

        private MemberDeclarationSyntax Member { get; }

        private string BaseName { get; }

        private string ExceptionType { get; }

        private int Retries { get; }

        private string Delay { get; }

        private double CapMs { get; }

        private bool IsAsync { get; }

        private string? Token { get; }

        private bool ConfigureAwait { get; }

        private bool FallsOut { get; }

        private BlockSyntax Work { get; }

        private StatementSyntax Exit { get; }

        private ImmutableArray<StatementSyntax> DeadAfter { get; }

        public void Apply(SyntaxEditor editor, HashSet<string> taken, SemanticModel model, string newLine, CancellationToken cancellationToken)
        {
            var field = FreeName(model, taken, cancellationToken);
            taken.Add(field);
            var timeSpan = TypeName(model, Member.SpanStart, "System.TimeSpan");

            // The text is written indented (the formatter keeps a lambda argument's and an initializer's lines where they are).
            var indent = Indentation(Loop);
            var unit = indent.Length > 0 && indent[0] == '\t' ? "\t" : "    ";
            var inner = FallsOut ? indent + unit : indent;
            var body = new StringBuilder();
            var shift = Math.Max(0, Indentation(Work.Statements[0]).Length - (inner + unit).Length);
            foreach (var statement in Work.Statements)
            {
                if (statement != Exit || Exit is ReturnStatementSyntax { Expression: not null })
                {
                    body.Append(Dedent(statement.ToFullString(), shift, newLine));
                }
            }

            var returnsValue = Exit is ReturnStatementSyntax { Expression: not null };
            var lambda = (IsAsync ? "async _ =>" : "() =>") + newLine + inner + "{" + newLine + body + inner + "}";
            var call = field + (IsAsync ? ".ExecuteAsync(" : ".Execute(") + lambda + (IsAsync && Token is not null ? ", " + Token : string.Empty) + ")"
                + (IsAsync && ConfigureAwait ? ".ConfigureAwait(false)" : string.Empty);
            var invoke = (returnsValue ? "return " : string.Empty) + (IsAsync ? "await " : string.Empty) + call + ";";
            if (Exit is ReturnStatementSyntax { Expression: null })
            {
                if (FallsOut)
                {
                    invoke += newLine + inner + "return;";
                }
                else if (Loop.Parent?.Parent is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
                {
                    // Success still leaves the method here. (What followed the loop in its block, only throws, goes:
                    // at the end of a body no return is needed.)
                    editor.InsertAfter(Loop, SyntaxFactory.ParseStatement("return;")
                        .WithLeadingTrivia(SyntaxFactory.Whitespace(indent))
                        .WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine)));
                }
            }

            var replacement = FallsOut
                ? "try" + newLine + indent + "{" + newLine + inner + invoke + newLine + indent + "}" + newLine
                    + indent + "catch (" + ExceptionType + ")" + newLine + indent + "{" + newLine
                    + inner + "// Every attempt failed: go on after the loop, as before." + newLine + indent + "}"
                : invoke;
            var rewritten = SyntaxFactory.ParseStatement(replacement)
                .WithLeadingTrivia(Loop.GetLeadingTrivia())
                .WithTrailingTrivia(Loop.GetTrailingTrivia());
            editor.ReplaceNode(Loop, rewritten);
            foreach (var dead in DeadAfter)
            {
                editor.RemoveNode(dead, SyntaxRemoveOptions.KeepNoTrivia);
            }

            var memberIndent = Indentation(Member);
            var line = newLine + memberIndent + unit;
            var text = "private static readonly ResiliencePipeline " + field + " = new ResiliencePipelineBuilder()"
                + line + ".AddRetry(new RetryStrategyOptions"
                + line + "{"
                + line + unit + "ShouldHandle = new PredicateBuilder().Handle<" + ExceptionType + ">(),"
                + line + unit + "MaxRetryAttempts = " + Retries.ToString(CultureInfo.InvariantCulture) + ","
                + line + unit + "BackoffType = DelayBackoffType.Exponential,"
                + line + unit + "UseJitter = true,"
                + line + unit + "Delay = " + Delay + ","
                + line + unit + "MaxDelay = " + timeSpan + ".FromMilliseconds(" + Number(CapMs) + "),"
                + line + "})"
                + line + ".Build();";
            // A blank line between the field and the method: the method's own where it has one, else a new one.
            var blankBefore = Member.GetLeadingTrivia().FirstOrDefault().IsKind(SyntaxKind.EndOfLineTrivia);
            var leading = blankBefore
                ? SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine(newLine), SyntaxFactory.Whitespace(memberIndent))
                : SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(memberIndent));
            var trailing = blankBefore
                ? SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine(newLine))
                : SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine(newLine), SyntaxFactory.EndOfLine(newLine));
            editor.InsertBefore(Member, SyntaxFactory.ParseMemberDeclaration(text)!
                .WithLeadingTrivia(leading)
                .WithTrailingTrivia(trailing));
        }

        /// <summary>The whitespace before the node on its line.</summary>
        private static string Indentation(SyntaxNode node)
        {
            var text = node.SyntaxTree.GetText();
            var line = text.Lines.GetLineFromPosition(node.SpanStart);
            var prefix = text.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(line.Start, node.SpanStart));
            return prefix.Trim().Length == 0 ? prefix : string.Empty;
        }

        /// <summary>Removes up to <paramref name="shift"/> leading blanks from each line.</summary>
        private static string Dedent(string text, int shift, string newLine)
        {
            if (shift == 0)
            {
                return text;
            }

            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var n = 0;
                while (n < shift && n < lines[i].Length && (lines[i][n] == ' ' || lines[i][n] == '\t'))
                {
                    n++;
                }

                lines[i] = lines[i].Substring(n);
            }

            return string.Join("\n", lines);
        }

        /// <summary>The method's name (without Async) + RetryPipeline, numbered where the type or the method already has it.</summary>
        private string FreeName(SemanticModel model, HashSet<string> taken, CancellationToken cancellationToken)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var token in Member.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken))
                {
                    used.Add(token.ValueText);
                }
            }

            for (var n = 1; ; n++)
            {
                var name = BaseName + "RetryPipeline" + (n == 1 ? string.Empty : n.ToString(CultureInfo.InvariantCulture));
                if (!taken.Contains(name) && !used.Contains(name) && model.LookupSymbols(Member.SpanStart, name: name).IsEmpty
                    && model.LookupSymbols(Loop.SpanStart, name: name).IsEmpty)
                {
                    return name;
                }
            }
        }

        public static Plan? Create(Document document, SyntaxNode root, SemanticModel model, Polly polly, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
                || node.AncestorsAndSelf().FirstOrDefault(n => n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax) is not StatementSyntax reported)
            {
                return null;
            }

            var config = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree);
            var io = new IoCalls(RetryBackoffAnalyzer.IoNamespaces.Read(config), RetryBackoffAnalyzer.AnyAwaitedCall.Read(config));
            RetryLoop? retry = null;
            for (var candidate = reported; candidate is not null; candidate = candidate.Parent?.AncestorsAndSelf().FirstOrDefault(n => n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax) as StatementSyntax)
            {
                if (RetryLoop.Find(candidate, model, io, cancellationToken) is { } found
                    && (found.Waits.Any(w => w.Span == diagnostic.Location.SourceSpan) || found.Waits.IsEmpty && found.Keyword.Span == diagnostic.Location.SourceSpan))
                {
                    retry = found;
                    break;
                }
            }

            // The shape: for (var i = s; i < / <= limit; i++) { try { work; return/break; } catch (T) [when (i op k)] { wait; [continue;] } }
            if (retry is not { Counter: ILocalSymbol counter, CountsUp: true, RetryCatch: { } retryCatch, Loop: ForStatementSyntax loop }
                || retry.Waits.Length > 1
                || loop.Parent is not BlockSyntax parentBlock
                || Attempts(loop, counter, model, cancellationToken) is not { } attempts
                || attempts.Last - attempts.First < 1
                || (loop.Statement is BlockSyntax { Statements.Count: 1 } single ? single.Statements[0] : loop.Statement) is not TryStatementSyntax tryStatement
                || tryStatement.Finally is not null
                || tryStatement.Catches.Count != 1
                || tryStatement.Catches[0] != retryCatch
                || retryCatch.Declaration?.Type is not { } caughtSyntax
                || model.GetTypeInfo(caughtSyntax, cancellationToken).Type is not INamedTypeSymbol { TypeKind: TypeKind.Class } caught
                || tryStatement.Block.Statements.Count == 0)
            {
                return null;
            }

            // The counter is read only by the loop itself and the catch filter.
            foreach (var name in loop.Statement.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText == counter.Name && (retryCatch.Filter is null || !retryCatch.Filter.Span.Contains(name.Span))
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, counter))
                {
                    return null;
                }
            }

            // The filter: true on every attempt but the last (it retries); on the last, it decides what happens after the last failure.
            var fallsOut = true;
            if (retryCatch.Filter is { } filter)
            {
                if (FilterTruth(filter.FilterExpression, counter, model, cancellationToken) is not { } truth)
                {
                    return null;
                }

                for (var a = attempts.First; a < attempts.Last; a++)
                {
                    if (!truth(a))
                    {
                        return null;
                    }
                }

                fallsOut = truth(attempts.Last);
            }

            // The catch does nothing but wait (and go round): its exception variable unused, no logging, no other state.
            if (retryCatch.Declaration!.Identifier.ValueText is { Length: > 0 } exceptionName
                && retryCatch.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == exceptionName))
            {
                return null;
            }

            var catchStatements = retryCatch.Block.Statements;
            // (Taken from the original list: SyntaxList.RemoveAt would build new nodes outside the tree.)
            var waitStatements = catchStatements.Count > 0 && catchStatements[catchStatements.Count - 1] is ContinueStatementSyntax
                ? catchStatements.Take(catchStatements.Count - 1).ToList()
                : catchStatements.ToList();
            if (waitStatements.Any(s => s.DescendantNodesAndSelf().Any(n => n is ContinueStatementSyntax or BreakStatementSyntax or ReturnStatementSyntax or ThrowStatementSyntax or GotoStatementSyntax)))
            {
                return null;
            }

            var capMs = (double)RetryBackoffAnalyzer.MaxDelayMs.Read(config);
            LocalDeclarationStatementSyntax? unusedPause = null;
            string delay;
            string? token = null;
            var timeSpan = TypeName(model, loop.SpanStart, "System.TimeSpan");
            if (retry.Waits.IsEmpty)
            {
                // No wait: only async code gets one (as the first fix); the first wait is base_delay_ms.
                if (waitStatements.Count != 0 || !retry.IsAsync)
                {
                    return null;
                }

                var baseMs = RetryBackoffAnalyzer.BaseDelayMs.Read(config);
                delay = timeSpan + ".FromMilliseconds(" + Number(baseMs) + ")";
                capMs = Math.Max(capMs, baseMs);
            }
            else
            {
                var wait = retry.Waits[0];
                if (waitStatements.Count != 1 || waitStatements[0] is not ExpressionStatementSyntax waitStatement || !waitStatement.Span.Contains(wait.Span)
                    || wait.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None))
                    || wait.ArgumentList.Arguments.Count is 0 or > 2
                    || Milliseconds(wait.ArgumentList.Arguments[0].Expression, model, cancellationToken) is not { } waitMs
                    || waitMs <= 0)
                {
                    return null;
                }

                delay = timeSpan + ".FromMilliseconds(" + Number(waitMs) + ")";
                capMs = Math.Max(capMs, waitMs);

                // A local that held the wait and is read nowhere else goes with the loop (else: CS0219 on a constant one).
                if (wait.ArgumentList.Arguments[0].Expression is IdentifierNameSyntax pauseName
                    && model.GetSymbolInfo(pauseName, cancellationToken).Symbol is ILocalSymbol pause
                    && pause.DeclaringSyntaxReferences.Length == 1
                    && pause.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax pauseDeclaration } }
                    && pauseDeclaration.Parent is BlockSyntax
                    && pauseDeclaration.FirstAncestorOrSelf<MemberDeclarationSyntax>() is { } pauseMember
                    && pauseMember.DescendantNodes().OfType<IdentifierNameSyntax>().All(n => n.Identifier.ValueText != pause.Name || loop.Span.Contains(n.Span)))
                {
                    unusedPause = pauseDeclaration;
                }
                if (wait.ArgumentList.Arguments.Count == 2)
                {
                    var tokenExpression = wait.ArgumentList.Arguments[1].Expression;
                    if (tokenExpression is not (IdentifierNameSyntax or MemberAccessExpressionSyntax)
                        || model.GetTypeInfo(tokenExpression, cancellationToken).Type is not { Name: "CancellationToken" })
                    {
                        return null;
                    }

                    token = tokenExpression.WithoutTrivia().ToString();
                }
            }

            // A catch around the pipeline (falls out) that also takes cancellation would swallow a cancelled wait the loop let out.
            if (fallsOut && token is not null && IsBaseOrSelf(caught, model.Compilation.GetTypeByMetadataName("System.OperationCanceledException")))
            {
                return null;
            }

            var work = tryStatement.Block;
            var exit = work.Statements[work.Statements.Count - 1];
            if (exit is not (ReturnStatementSyntax or BreakStatementSyntax) || !WorkIsSelfContained(work, exit, model, cancellationToken))
            {
                return null;
            }

            // Sync or async: the work awaits exactly where the code is async.
            var awaits = work.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .Any(n => n is AwaitExpressionSyntax || n is LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword }
                    || n is UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } || n is ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword });
            // The async lambda's parameter is `_`: no variable of that name may be in sight. A sync Execute gets no
            // token, so a sync wait that took one (Task.Delay(d, token).Wait()) would stop being cancellable.
            if (awaits != retry.IsAsync
                || (retry.IsAsync && (work.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == "_") || !model.LookupSymbols(loop.SpanStart, name: "_").IsEmpty))
                || (!retry.IsAsync && token is not null))
            {
                return null;
            }

            // The value returned keeps its type: the pipeline's result type is inferred from it.
            if (exit is ReturnStatementSyntax { Expression: { } returned }
                && (model.GetTypeInfo(returned, cancellationToken).Type is not { TypeKind: not TypeKind.Error } returnedType
                    || !model.GetConversion(returned, cancellationToken).IsIdentity
                    || returnedType.IsRefLikeType))
            {
                return null;
            }

            // Where the exception now leaves the pipeline call after a return, what followed the loop is dead: only throws may go.
            var deadAfter = ImmutableArray<StatementSyntax>.Empty;
            if (!fallsOut && exit is ReturnStatementSyntax)
            {
                var after = parentBlock.Statements.Skip(parentBlock.Statements.IndexOf(loop) + 1).ToImmutableArray();
                if (after.Any(s => s is not ThrowStatementSyntax))
                {
                    return null;
                }

                deadAfter = after;
            }

            if (unusedPause is not null)
            {
                deadAfter = deadAfter.Add(unusedPause);
            }

            // The pipeline lives in a static field of the containing class (or struct, record) next to the method.
            if (loop.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not MethodDeclarationSyntax method
                || method.Parent is not (ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword })
                || model.GetDeclaredSymbol(method, cancellationToken) is not { } methodSymbol)
            {
                return null;
            }

            // Fix All works one document at a time: a part of a partial type in another file with a method of the same
            // name could get a pipeline field of the same name at the same time.
            foreach (var sibling in methodSymbol.ContainingType.GetMembers(methodSymbol.Name))
            {
                if (sibling.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != root.SyntaxTree))
                {
                    return null;
                }
            }

            // The exception type is written at the field: it must not be one of the method's type parameters.
            if (caught.TypeArguments.Any(t => t is ITypeParameterSymbol) || caught.ContainingType is not null && caught.ContainingType.IsGenericType)
            {
                return null;
            }

            var exceptionType = caught.ToMinimalDisplayString(model, method.SpanStart);

            // The Polly names must mean Polly's types where they are written; a using added for them must not make other names ambiguous.
            foreach (var name in PollyNames.Concat(new[] { "RetryStrategyOptions" }))
            {
                var found = model.LookupNamespacesAndTypes(method.SpanStart, name: name).Where(s => s is not INamedTypeSymbol { Arity: > 0 }).ToList();
                if (found.Count > 1 || found.Count == 1 && !SymbolEqualityComparer.Default.Equals(found[0], polly.Named(name)))
                {
                    return null;
                }
            }

            if (!ImportsAreSafe(root, model, polly, method.SpanStart, cancellationToken))
            {
                return null;
            }

            var configureAwait = loop.DescendantNodes().Any(n => n is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" },
                ArgumentList.Arguments: { Count: 1 } arguments,
            } && arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression));

            var baseName = methodSymbol.Name.EndsWith("Async", StringComparison.Ordinal) && methodSymbol.Name.Length > 5
                ? methodSymbol.Name.Substring(0, methodSymbol.Name.Length - 5)
                : methodSymbol.Name;
            return new Plan(loop, method, baseName, exceptionType, attempts.Last - attempts.First, delay, capMs, retry.IsAsync, token, configureAwait, fallsOut, work, exit, deadAfter);
        }

        /// <summary>
        /// The try block runs as a lambda: it leaves only through its last statement, captures no ref or ref-like
        /// variable, and writes no outer local that is not definitely assigned before.
        /// </summary>
        private static bool WorkIsSelfContained(BlockSyntax work, StatementSyntax exit, SemanticModel model, CancellationToken cancellationToken)
        {
            foreach (var node in work.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                switch (node)
                {
                    case ReturnStatementSyntax when node != exit:
                    case GotoStatementSyntax:
                    case YieldStatementSyntax:
                    case LocalFunctionStatementSyntax:
                        return false;
                    case BreakStatementSyntax when node != exit && !InsideInner(node, work, breaks: true):
                    case ContinueStatementSyntax when !InsideInner(node, work, breaks: false):
                        return false;
                }
            }

            var flow = model.AnalyzeDataFlow(work);
            if (flow is not { Succeeded: true })
            {
                return false;
            }

            foreach (var symbol in flow.ReadInside.Concat(flow.WrittenInside).Concat(flow.Captured))
            {
                if (flow.VariablesDeclared.Contains(symbol))
                {
                    continue;
                }

                switch (symbol)
                {
                    case IParameterSymbol { IsThis: true }:
                        continue;
                    case IParameterSymbol parameter when parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType:
                    case ILocalSymbol local when local.IsRef || local.Type.IsRefLikeType:
                        return false;
                }
            }

            foreach (var symbol in flow.WrittenInside)
            {
                if (symbol is ILocalSymbol local && !flow.VariablesDeclared.Contains(local)
                    && local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer: not null })
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A break or continue that targets a loop (or, for break, a switch) inside the work.</summary>
        private static bool InsideInner(SyntaxNode node, BlockSyntax work, bool breaks)
        {
            for (var current = node.Parent; current is not null && current != work; current = current.Parent)
            {
                if (current is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax || breaks && current is SwitchStatementSyntax)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The attempts' counter values: <c>for (var i = s; i &lt; e; i++)</c> gives s..e-1, <c>&lt;=</c> s..e.</summary>
        private static (int First, int Last)? Attempts(ForStatementSyntax loop, ILocalSymbol counter, SemanticModel model, CancellationToken cancellationToken)
        {
            if (loop.Declaration is not { Variables.Count: 1 } declaration
                || declaration.Variables[0] is not { Initializer.Value: { } start } declarator
                || !SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator, cancellationToken), counter)
                || counter.Type.SpecialType != SpecialType.System_Int32
                || loop.Initializers.Count != 0
                || loop.Incrementors.Count != 1
                || !IsStepByOne(loop.Incrementors[0], counter.Name)
                || Int(start, model, cancellationToken) is not { } first
                || loop.Condition is not BinaryExpressionSyntax condition)
            {
                return null;
            }

            int? last = condition switch
            {
                { RawKind: (int)SyntaxKind.LessThanExpression, Left: IdentifierNameSyntax l } when l.Identifier.ValueText == counter.Name => Int(condition.Right, model, cancellationToken) - 1,
                { RawKind: (int)SyntaxKind.LessThanOrEqualExpression, Left: IdentifierNameSyntax l } when l.Identifier.ValueText == counter.Name => Int(condition.Right, model, cancellationToken),
                { RawKind: (int)SyntaxKind.GreaterThanExpression, Right: IdentifierNameSyntax r } when r.Identifier.ValueText == counter.Name => Int(condition.Left, model, cancellationToken) - 1,
                { RawKind: (int)SyntaxKind.GreaterThanOrEqualExpression, Right: IdentifierNameSyntax r } when r.Identifier.ValueText == counter.Name => Int(condition.Left, model, cancellationToken),
                _ => null,
            };
            return last is { } end && end >= first && end - first < 1000 ? (first, end) : null;
        }

        private static bool IsStepByOne(ExpressionSyntax step, string counter) => step switch
        {
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression, Operand: IdentifierNameSyntax n } => n.Identifier.ValueText == counter,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression, Operand: IdentifierNameSyntax n } => n.Identifier.ValueText == counter,
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression, Left: IdentifierNameSyntax n, Right: LiteralExpressionSyntax { Token.Value: 1 } } => n.Identifier.ValueText == counter,
            _ => false,
        };

        private static int? Int(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
            => model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: int value } ? value : null;

        /// <summary>A filter that compares the counter with a constant, as a function of the counter; null for any other filter.</summary>
        private static Func<int, bool>? FilterTruth(ExpressionSyntax filter, ILocalSymbol counter, SemanticModel model, CancellationToken cancellationToken)
        {
            while (filter is ParenthesizedExpressionSyntax parenthesized)
            {
                filter = parenthesized.Expression;
            }

            if (filter is not BinaryExpressionSyntax binary)
            {
                return null;
            }

            bool IsCounter(ExpressionSyntax e) => e is IdentifierNameSyntax && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(e, cancellationToken).Symbol, counter);
            var kind = binary.Kind();
            int k;
            var counterLeft = IsCounter(binary.Left);
            if (counterLeft && Int(binary.Right, model, cancellationToken) is { } right)
            {
                k = right;
            }
            else if (IsCounter(binary.Right) && Int(binary.Left, model, cancellationToken) is { } left)
            {
                k = left;
            }
            else
            {
                return null;
            }

            return kind switch
            {
                SyntaxKind.LessThanExpression => counterLeft ? a => a < k : a => k < a,
                SyntaxKind.LessThanOrEqualExpression => counterLeft ? a => a <= k : a => k <= a,
                SyntaxKind.GreaterThanExpression => counterLeft ? a => a > k : a => k > a,
                SyntaxKind.GreaterThanOrEqualExpression => counterLeft ? a => a >= k : a => k >= a,
                SyntaxKind.EqualsExpression => a => a == k,
                SyntaxKind.NotEqualsExpression => a => a != k,
                _ => null,
            };
        }

        /// <summary>The wait in milliseconds: a numeric constant, a constant TimeSpan, or a local initialised with one and never written.</summary>
        private static double? Milliseconds(ExpressionSyntax duration, SemanticModel model, CancellationToken cancellationToken, int depth = 0)
        {
            while (duration is ParenthesizedExpressionSyntax parenthesized)
            {
                duration = parenthesized.Expression;
            }

            if (model.GetConstantValue(duration, cancellationToken) is { HasValue: true, Value: { } value } && value is int or long or double or float or short or uint)
            {
                return Convert.ToDouble(value, CultureInfo.InvariantCulture);
            }

            if (duration is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var unit }, ArgumentList.Arguments: { Count: 1 } timeArguments } call
                && model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { ContainingType: { Name: "TimeSpan", ContainingNamespace.Name: "System" } }
                && model.GetConstantValue(timeArguments[0].Expression, cancellationToken) is { HasValue: true, Value: { } amount and (int or long or double) }
                && Factor(unit) is { } factor)
            {
                return Convert.ToDouble(amount, CultureInfo.InvariantCulture) * factor;
            }

            // A local that Durations called constant (initialised with a constant, never written again): its initial value.
            if (depth == 0 && duration is IdentifierNameSyntax
                && model.GetSymbolInfo(duration, cancellationToken).Symbol is ILocalSymbol { IsRef: false, IsConst: false } local
                && local.DeclaringSyntaxReferences.Length == 1
                && local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initial }
                && Durations.IsConstant(duration, model, cancellationToken))
            {
                return Milliseconds(initial, model, cancellationToken, depth + 1);
            }

            return null;
        }

        private static double? Factor(string unit) => unit switch
        {
            "FromMilliseconds" => 1,
            "FromSeconds" => 1000,
            "FromMinutes" => 60_000,
            _ => null,
        };

        private static bool IsBaseOrSelf(ITypeSymbol caught, INamedTypeSymbol? cancellation)
        {
            for (var type = cancellation as ITypeSymbol; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, caught))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether <c>using Polly;</c> and <c>using Polly.Retry;</c> (where not already in effect) would change what no
        /// other name in the file means: every name spelled like a type of those namespaces already means that type or
        /// something that is not a type.
        /// </summary>
        private static bool ImportsAreSafe(SyntaxNode root, SemanticModel model, Polly polly, int position, CancellationToken cancellationToken)
        {
            var names = new Dictionary<string, INamedTypeSymbol>(StringComparer.Ordinal);
            foreach (var probe in new[] { polly.Builder, polly.Options })
            {
                if (Means(model, position, probe.Name, probe))
                {
                    continue;
                }

                foreach (var type in probe.ContainingNamespace.GetTypeMembers())
                {
                    if (type.DeclaredAccessibility == Accessibility.Public)
                    {
                        names[type.Name] = type;
                    }
                }
            }

            if (names.Count == 0)
            {
                return true;
            }

            foreach (var node in root.DescendantNodes())
            {
                if (node is SimpleNameSyntax name && names.TryGetValue(name.Identifier.ValueText, out var pollyType)
                    && !(name.Parent is MemberAccessExpressionSyntax access && access.Name == name)
                    && !(name.Parent is QualifiedNameSyntax qualified && qualified.Right == name))
                {
                    var symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
                    if (symbol is null || symbol is INamedTypeSymbol && !SymbolEqualityComparer.Default.Equals(symbol.ContainingNamespace, pollyType.ContainingNamespace))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }

    /// <summary>The type's simple name where it means that type at the position, else its global:: qualified name.</summary>
    private static string TypeName(SemanticModel model, int position, string metadataName)
    {
        var simple = metadataName.Substring(metadataName.LastIndexOf('.') + 1);
        var type = model.Compilation.GetTypeByMetadataName(metadataName);
        return type is not null && Means(model, position, simple, type) ? simple : "global::" + metadataName;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
