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
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>BR0001 fix: moves values out of the SQL text into parameters (ADO.NET, Dapper) or onto EF Core's FormattableString APIs.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SqlConcatenationFixer)), Shared]
public sealed class SqlConcatenationFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0001.Parameterize";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.SqlConcatenation);

    // Edits of several diagnostics can touch the same statement list or argument list, so Fix All applies every
    // plan to one SyntaxEditor over the original tree instead of merging text changes.
    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Pass values to SQL as parameters", FixAllAsync);

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
                CodeAction.Create(plan.Title, cancellationToken => ApplyAsync(context.Document, root, new[] { plan }, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, IEnumerable<Plan> plans, CancellationToken cancellationToken)
    {
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        foreach (var plan in plans)
        {
            plan.Apply(editor);
        }

        var changed = document.WithSyntaxRoot(editor.GetChangedRoot());
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static Task<Document> FixAllAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var plans = diagnostics
            .Select(d => Plan.Create(document, root, model, d, cancellationToken))
            .Where(p => p is not null)
            .Cast<Plan>()
            .ToList();
        return plans.Count == 0 ? Task.FromResult(document) : ApplyAsync(document, root, plans, cancellationToken);
    }

    /// <summary>Everything one fix changes, computed against the original tree.</summary>
    private sealed class Plan
    {
        private readonly List<Action<SyntaxEditor>> _edits = new();

        private Plan(string title) => Title = title;

        public string Title { get; }

        public void Apply(SyntaxEditor editor)
        {
            foreach (var edit in _edits)
            {
                edit(editor);
            }
        }

        public static Plan? Create(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (diagnostic.Id != RuleIds.SqlConcatenation || diagnostic.Location.SourceTree != root.SyntaxTree)
            {
                return null;
            }

            // The rule found a value where SQL expects a name or keyword (possibly inside text built elsewhere in the
            // method, which the rewrite below does not look into): no parameter can stand there.
            if (diagnostic.Properties.TryGetValue(SqlConcatenationAnalyzer.NameProperty, out var name) && name == "true")
            {
                return null;
            }

            var sinks = SqlSinks.Create(model.Compilation);
            if (sinks is null || !TryFindSink(root, model, sinks, diagnostic, cancellationToken, out var sink))
            {
                return null;
            }

            // Custom sinks: their parameter API is unknown. EF6: its placeholders ({0} with arguments) are not
            // written by this fix. command.CommandText +=: the command may already hold parameters of the same names.
            if (sink.Kind is SqlSinkKind.Custom or SqlSinkKind.EfFormattable or SqlSinkKind.Ef6Raw || sink.Operation is ICompoundAssignmentOperation)
            {
                return null;
            }

            // The SQL expression to rewrite: written in the call, or in the initializer of a local used only here.
            var value = Operations.Unwrap(sink.SqlValue);
            IOperation site = value;
            LocalDeclarationStatementSyntax? localStatement = null;
            if (value is ILocalReferenceOperation local)
            {
                if (!SqlText.TryGetSingleInitializer(local, out var initializer) || CountReferences(local) != 1
                    || local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
                    || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax statement
                    || statement.Declaration.Variables.Count != 1 || statement.UsingKeyword != default || statement.IsConst)
                {
                    return null;
                }

                site = Operations.Unwrap(initializer);
                localStatement = statement;
            }

            if (site.Syntax is not ExpressionSyntax siteSyntax)
            {
                return null;
            }

            var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree);
            var prefix = SqlConcatenationAnalyzer.ParameterPrefix.Read(options);
            var reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var ef = sink.Kind == SqlSinkKind.EfRaw;
            AnonymousObjectCreationExpressionSyntax? existingObject = null;
            IArgumentOperation? parameterArgument = null;
            if (sink.Kind == SqlSinkKind.Dapper)
            {
                if (!TryGetDapperParameterArgument(sink, out parameterArgument, out existingObject))
                {
                    return null;
                }

                foreach (var member in existingObject?.Initializers ?? default)
                {
                    reserved.Add(member.NameEquals?.Name.Identifier.ValueText ?? (member.Expression as IdentifierNameSyntax)?.Identifier.ValueText
                        ?? (member.Expression as MemberAccessExpressionSyntax)?.Name.Identifier.ValueText ?? string.Empty);
                }

            }

            if (!SqlRewrite.TryRewrite(site, model, reserved, inlineConstants: ef, out var segments, out var parameters))
            {
                return null;
            }

            var plan = new Plan(ef ? "Use the interpolated (parameterizing) API" : "Pass the values as parameters");
            switch (sink.Kind)
            {
                case SqlSinkKind.CommandText:
                case SqlSinkKind.CommandConstructor:
                    return plan.PlanAdoNet(sink, model, siteSyntax, segments, parameters, prefix) ? plan : null;
                case SqlSinkKind.Dapper:
                    return plan.PlanDapper(sink, siteSyntax, segments, parameters, prefix, parameterArgument!, existingObject) ? plan : null;
                case SqlSinkKind.EfRaw:
                    return plan.PlanEf(sink, model, siteSyntax, localStatement, segments) ? plan : null;
                default:
                    return null;
            }
        }

        private static bool TryFindSink(SyntaxNode root, SemanticModel model, SqlSinks sinks, Diagnostic diagnostic, CancellationToken cancellationToken, out SqlSink sink)
        {
            sink = default;
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            foreach (var candidate in node.AncestorsAndSelf())
            {
                if (candidate is not (InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or AssignmentExpressionSyntax))
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

        private static int CountReferences(ILocalReferenceOperation reference)
        {
            return Operations.Root(reference).Descendants().Count(o => o is ILocalReferenceOperation other && SymbolEqualityComparer.Default.Equals(other.Local, reference.Local));
        }

        private void ReplaceSql(ExpressionSyntax siteSyntax, ExpressionSyntax newSql)
            => _edits.Add(editor => editor.ReplaceNode(siteSyntax, newSql.WithTriviaFrom(siteSyntax)));

        // ---- ADO.NET --------------------------------------------------------------------------------------

        private bool PlanAdoNet(SqlSink sink, SemanticModel model, ExpressionSyntax siteSyntax, ImmutableArray<SqlSegment> segments, ImmutableArray<SqlParameter> parameters, string prefix)
        {
            ExpressionSyntax? command = null;
            StatementSyntax? anchor = null;
            BlockSyntax? usingBody = null;
            var creation = sink.Operation.Syntax as BaseObjectCreationExpressionSyntax;
            if (sink.Operation.Syntax is AssignmentExpressionSyntax assignment)
            {
                if (assignment.Left is MemberAccessExpressionSyntax { Expression: var receiver } && IsStable(receiver)
                    && assignment.Parent is ExpressionStatementSyntax { Parent: BlockSyntax } statement)
                {
                    command = receiver;
                    anchor = statement;
                }
                else if (assignment.Parent is InitializerExpressionSyntax { Parent: BaseObjectCreationExpressionSyntax initialized })
                {
                    creation = initialized;
                }
            }

            if (command is null && creation is not null)
            {
                if (creation.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                    && declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1 } declaration)
                {
                    command = SyntaxFactory.IdentifierName(declarator.Identifier.ValueText);
                    if (declaration.Parent is LocalDeclarationStatementSyntax { Parent: BlockSyntax } local)
                    {
                        anchor = local;
                    }
                    else if (declaration.Parent is UsingStatementSyntax { Statement: BlockSyntax body })
                    {
                        usingBody = body;
                    }
                }
            }

            if (command is null || (anchor is null && usingBody is null))
            {
                return false;
            }

            var commandType = model.GetTypeInfo(creation ?? command).Type;
            var parametersProperty = FindMember<IPropertySymbol>(commandType, "Parameters");
            var addWithValue = parametersProperty?.Type.GetMembers("AddWithValue").OfType<IMethodSymbol>()
                .Any(m => m.Parameters.Length == 2 && m.Parameters[0].Type.SpecialType == SpecialType.System_String && m.Parameters[1].Type.SpecialType == SpecialType.System_Object) == true;
            var position = (anchor ?? (SyntaxNode)usingBody!).SpanStart;
            var nullableEnabled = (model.GetNullableContext(position) & NullableContext.AnnotationsEnabled) != 0;
            var dbNull = model.LookupNamespacesAndTypes(position, name: "DBNull").Any() ? "DBNull.Value" : "System.DBNull.Value";
            var taken = new HashSet<string>(model.LookupSymbols(position).Select(s => s.Name));
            var commandText = command.WithoutTrivia().ToString();
            var newLine = SyntaxText.NewLine(model.SyntaxTree, default);
            // Written with the anchor's own indentation and a plain line end, so blank lines around it stay as they are.
            var indentation = Indentation(anchor ?? usingBody!.Statements.FirstOrDefault(), usingBody);
            StatementSyntax Statement(string text) => SyntaxFactory.ParseStatement(text)
                .WithLeadingTrivia(SyntaxFactory.Whitespace(indentation))
                .WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine));
            var statements = new List<StatementSyntax>();
            foreach (var parameter in parameters)
            {
                var value = parameter.Value.ToString();
                if (parameter.MayBeNull)
                {
                    value = $"({(nullableEnabled ? "object?" : "object")}){value} ?? {dbNull}";
                }

                if (addWithValue)
                {
                    statements.Add(Statement($"{commandText}.Parameters.AddWithValue(\"{prefix}{parameter.Name}\", {value});"));
                    continue;
                }

                var variable = parameter.Name + "Parameter";
                for (var i = 2; !taken.Add(variable); i++)
                {
                    variable = parameter.Name + "Parameter" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                statements.Add(Statement($"var {variable} = {commandText}.CreateParameter();"));
                statements.Add(Statement($"{variable}.ParameterName = \"{prefix}{parameter.Name}\";"));
                statements.Add(Statement($"{variable}.Value = {value};"));
                statements.Add(Statement($"{commandText}.Parameters.Add({variable});"));
            }

            ReplaceSql(siteSyntax, SqlRewrite.ToStringExpression(segments, prefix, interpolateParameters: false));
            if (anchor is not null)
            {
                _edits.Add(editor => editor.InsertAfter(anchor, statements));
            }
            else
            {
                _edits.Add(editor => editor.ReplaceNode(usingBody!, (current, _) => ((BlockSyntax)current).WithStatements(((BlockSyntax)current).Statements.InsertRange(0, statements))));
            }

            return true;
        }

        private static string Indentation(StatementSyntax? statement, BlockSyntax? block)
        {
            if (statement is not null)
            {
                var leading = statement.GetLeadingTrivia();
                return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1].ToString() : string.Empty;
            }

            var braceLeading = block?.OpenBraceToken.LeadingTrivia ?? default;
            var braceIndentation = braceLeading.Count > 0 && braceLeading[braceLeading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? braceLeading[braceLeading.Count - 1].ToString() : string.Empty;
            return braceIndentation + "    ";
        }

        private static bool IsStable(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax => true,
            ThisExpressionSyntax => true,
            MemberAccessExpressionSyntax member => IsStable(member.Expression),
            _ => false,
        };

        private static T? FindMember<T>(ITypeSymbol? type, string name)
            where T : class, ISymbol
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.GetMembers(name).OfType<T>().FirstOrDefault() is { } found)
                {
                    return found;
                }
            }

            return type?.AllInterfaces.SelectMany(i => i.GetMembers(name)).OfType<T>().FirstOrDefault();
        }

        // ---- Dapper ---------------------------------------------------------------------------------------

        private static bool TryGetDapperParameterArgument(SqlSink sink, out IArgumentOperation? argument, out AnonymousObjectCreationExpressionSyntax? existing)
        {
            argument = null;
            existing = null;
            var arguments = sink.Operation switch
            {
                IInvocationOperation invocation => invocation.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => ImmutableArray<IArgumentOperation>.Empty,
            };
            argument = arguments.FirstOrDefault(a => a.Parameter?.Name is "param" or "parameters");
            if (argument is null)
            {
                return false;
            }

            if (argument.ArgumentKind == ArgumentKind.DefaultValue || Operations.Unwrap(argument.Value) is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } })
            {
                return true;
            }

            existing = argument.Value.Syntax as AnonymousObjectCreationExpressionSyntax
                ?? (Operations.Unwrap(argument.Value).Syntax as AnonymousObjectCreationExpressionSyntax);
            return existing is not null;
        }

        private bool PlanDapper(SqlSink sink, ExpressionSyntax siteSyntax, ImmutableArray<SqlSegment> segments, ImmutableArray<SqlParameter> parameters, string prefix, IArgumentOperation argument, AnonymousObjectCreationExpressionSyntax? existing)
        {
            var members = parameters.Select(p =>
                p.Value is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == p.Name
                    ? SyntaxFactory.AnonymousObjectMemberDeclarator(identifier.WithoutTrivia())
                    : SyntaxFactory.AnonymousObjectMemberDeclarator(SyntaxFactory.NameEquals(p.Name), p.Value.WithoutTrivia())).ToList();

            ReplaceSql(siteSyntax, SqlRewrite.ToStringExpression(segments, prefix, interpolateParameters: false));
            if (existing is not null)
            {
                _edits.Add(editor => editor.ReplaceNode(existing, (current, _) =>
                    ((AnonymousObjectCreationExpressionSyntax)current).AddInitializers(members.ToArray()).WithAdditionalAnnotations(Formatter.Annotation)));
                return true;
            }

            var newObject = SyntaxFactory.AnonymousObjectCreationExpression(SyntaxFactory.SeparatedList(members)).WithAdditionalAnnotations(Formatter.Annotation);
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Syntax is ArgumentSyntax nullArgument)
            {
                _edits.Add(editor => editor.ReplaceNode(nullArgument.Expression, newObject.WithTriviaFrom(nullArgument.Expression)));
                return true;
            }

            if (sink.ReportNode is not ArgumentSyntax { Parent: ArgumentListSyntax list } sqlArgument)
            {
                return false;
            }

            var index = list.Arguments.IndexOf(sqlArgument);
            var positional = sqlArgument.NameColon is null
                && list.Arguments.Skip(index + 1).All(a => a.NameColon is not null)
                && argument.Parameter!.Ordinal == ParameterOrdinal(sink, sqlArgument) + 1;
            var newArgument = positional
                ? SyntaxFactory.Argument(newObject)
                : SyntaxFactory.Argument(SyntaxFactory.NameColon(argument.Parameter!.Name), default, newObject);
            var insertAt = positional ? index + 1 : list.Arguments.Count;
            _edits.Add(editor => editor.ReplaceNode(list, (current, _) => ((ArgumentListSyntax)current).WithArguments(((ArgumentListSyntax)current).Arguments.Insert(insertAt, newArgument))));
            return true;
        }

        private static int ParameterOrdinal(SqlSink sink, ArgumentSyntax syntax)
        {
            var arguments = sink.Operation switch
            {
                IInvocationOperation invocation => invocation.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => ImmutableArray<IArgumentOperation>.Empty,
            };
            return arguments.FirstOrDefault(a => a.Syntax == syntax)?.Parameter?.Ordinal ?? -10;
        }

        // ---- EF Core --------------------------------------------------------------------------------------

        private bool PlanEf(SqlSink sink, SemanticModel model, ExpressionSyntax siteSyntax, LocalDeclarationStatementSyntax? localStatement, ImmutableArray<SqlSegment> segments)
        {
            if (segments.Any(s => s.Kept is not null) || sink.Operation is not IInvocationOperation invocation
                || invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax memberAccess }
                || memberAccess.Name.Identifier.ValueText != invocation.TargetMethod.Name)
            {
                return false;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is null || argument.Parameter.Name == "sql" || argument.Parameter.Ordinal == 0 && invocation.TargetMethod.IsExtensionMethod)
                {
                    continue;
                }

                var isEmptyParams = argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer.ElementValues.Length: 0 };
                var isToken = argument.Parameter.Type.Name == "CancellationToken";
                if (!isEmptyParams && !isToken)
                {
                    // FromSqlRaw("... {0}", value): positional parameters already; mixing both is left to a person.
                    return false;
                }
            }

            var newName = NewEfMethodName(invocation.TargetMethod, model.Compilation);
            if (newName is null)
            {
                return false;
            }

            var newSql = SqlRewrite.ToStringExpression(segments, string.Empty, interpolateParameters: true);
            var sqlArgument = sink.ReportNode as ArgumentSyntax;
            if (localStatement is not null)
            {
                // A FormattableString must be written in the call: move the interpolated string there.
                if (sqlArgument is null)
                {
                    return false;
                }

                _edits.Add(editor => editor.RemoveNode(localStatement, localStatement.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)) ? SyntaxRemoveOptions.KeepLeadingTrivia : SyntaxRemoveOptions.KeepNoTrivia));
                _edits.Add(editor => editor.ReplaceNode(sqlArgument.Expression, newSql.WithTriviaFrom(sqlArgument.Expression)));
            }
            else
            {
                ReplaceSql(siteSyntax, newSql);
            }

            var nameNode = memberAccess.Name;
            SimpleNameSyntax newNameNode = nameNode is GenericNameSyntax generic
                ? generic.WithIdentifier(SyntaxFactory.Identifier(newName))
                : SyntaxFactory.IdentifierName(newName);
            _edits.Add(editor => editor.ReplaceNode(nameNode, newNameNode.WithTriviaFrom(nameNode)));
            return true;
        }

        /// <summary>
        /// FromSqlRaw → FromSql (EF Core 7+) or FromSqlInterpolated; ExecuteSqlRaw(Async) → ExecuteSql(Async); SqlQueryRaw → SqlQuery.
        /// EF Core 2 and 3 (RawSqlString): FromSql → FromSqlInterpolated (3) or FromSql itself, whose FormattableString
        /// overload wins for an interpolated string written in the call (2); ExecuteSqlCommand(Async) likewise.
        /// </summary>
        private static string? NewEfMethodName(IMethodSymbol method, Compilation compilation)
        {
            var candidates = method.Name switch
            {
                "FromSqlRaw" => new[] { "FromSql", "FromSqlInterpolated" },
                "ExecuteSqlRaw" => new[] { "ExecuteSql", "ExecuteSqlInterpolated" },
                "ExecuteSqlRawAsync" => new[] { "ExecuteSqlAsync", "ExecuteSqlInterpolatedAsync" },
                "SqlQueryRaw" => new[] { "SqlQuery" },
                "FromSql" => new[] { "FromSqlInterpolated", "FromSql" },
                "ExecuteSqlCommand" => new[] { "ExecuteSqlInterpolated", "ExecuteSqlCommand" },
                "ExecuteSqlCommandAsync" => new[] { "ExecuteSqlInterpolatedAsync", "ExecuteSqlCommandAsync" },
                _ => Array.Empty<string>(),
            };
            foreach (var candidate in candidates)
            {
                if (method.ContainingType.GetMembers(candidate).OfType<IMethodSymbol>().Any(m => m.Parameters.Any(p => p.Name == "sql" && p.Type.Name == "FormattableString")))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
