using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
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

namespace BackendRules.Api;

/// <summary>
/// BR0005 fix: adds <c>int page = 1, int pageSize = N</c>, clamps them, and pages the query with
/// <c>.Skip((page - 1) * pageSize).Take(pageSize)</c> in a stable order, before it is materialized.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnpaginatedCollectionFixer)), Shared]
public sealed class UnpaginatedCollectionFixer : CodeFixProvider
{
    internal const string EquivalenceKey = "BR0005.Paginate";

    private const string PageName = "page";
    private const string PageSizeName = "pageSize";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.UnpaginatedCollection);

    // Handlers in one file may each need `using System;` / `using System.Linq;`: one editor adds them once.
    public override FixAllProvider GetFixAllProvider() => new EditorFixAllProvider("Paginate collection endpoints", ApplyAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var settings = PageSettings.Read(context.Document, root);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, model, diagnostic, settings, context.CancellationToken) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Return one page ('{PageName}', '{PageSizeName}' up to {settings.Max.ToString(CultureInfo.InvariantCulture)})",
                    c => ApplyAsync(context.Document, root, model, ImmutableArray.Create(diagnostic), c),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private readonly struct PageSettings
    {
        public PageSettings(int @default, int max)
        {
            Default = Math.Min(@default, max);
            Max = max;
        }

        public int Default { get; }
        public int Max { get; }

        public static PageSettings Read(Document document, SyntaxNode root)
        {
            var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(root.SyntaxTree);
            return new PageSettings(UnpaginatedCollectionAnalyzer.DefaultPageSize.Read(options), UnpaginatedCollectionAnalyzer.MaxPageSize.Read(options));
        }
    }

    /// <summary>One handler's rewrite, planned on the original tree.</summary>
    private sealed class Edit
    {
        public Edit(SyntaxNode handler, SyntaxNode replacement, bool needsLinq, bool needsSystem)
        {
            Handler = handler;
            Replacement = replacement;
            NeedsLinq = needsLinq;
            NeedsSystem = needsSystem;
        }

        public SyntaxNode Handler { get; }
        public SyntaxNode Replacement { get; }
        public bool NeedsLinq { get; }
        public bool NeedsSystem { get; }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var settings = PageSettings.Read(document, root);
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var edits = new List<Edit>();
        var handled = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            var edit = Plan(root, model, diagnostic, settings, cancellationToken);
            if (edit is not null && handled.Add(edit.Handler))
            {
                edits.Add(edit);
            }
        }

        // Nested handlers (a MapGet inside another handler's lambda) would overlap: keep the outer ones only.
        edits.RemoveAll(e => edits.Any(o => o != e && o.Handler.Span.Contains(e.Handler.Span)));
        if (edits.Count == 0)
        {
            return document;
        }

        foreach (var edit in edits)
        {
            editor.ReplaceNode(edit.Handler, edit.Replacement);
        }

        if (root is CompilationUnitSyntax unit)
        {
            var required = new List<string>();
            if (edits.Any(e => e.NeedsSystem))
            {
                required.Add("System");
            }

            if (edits.Any(e => e.NeedsLinq))
            {
                required.Add("System.Linq");
            }

            if (required.Count > 0)
            {
                editor.ReplaceNode(unit, (current, _) => AddUsings((CompilationUnitSyntax)current, required));
            }
        }

        var result = document.WithSyntaxRoot(editor.GetChangedRoot());
        return await Formatter.FormatAsync(result, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static CompilationUnitSyntax AddUsings(CompilationUnitSyntax unit, IEnumerable<string> namespaces)
    {
        foreach (var name in namespaces.Reverse())
        {
            if (unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == name))
            {
                continue;
            }

            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name)).WithAdditionalAnnotations(Formatter.Annotation);
            var index = 0;
            while (index < unit.Usings.Count && string.CompareOrdinal(unit.Usings[index].Name?.ToString(), name) < 0 && unit.Usings[index].Name?.ToString().StartsWith("System", StringComparison.Ordinal) == true)
            {
                index++;
            }

            unit = unit.WithUsings(unit.Usings.Insert(index, directive));
        }

        return unit;
    }

    // ---- Planning -------------------------------------------------------------------------------------------

    private static Edit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, PageSettings settings, CancellationToken cancellationToken)
    {
        if (diagnostic.Location.SourceTree != root.SyntaxTree
            || !diagnostic.Properties.TryGetValue(UnpaginatedCollectionAnalyzer.HandlerProperty, out var kind)
            || PaginationSymbols.Create(model.Compilation) is not { } symbols)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var handler = kind switch
        {
            UnpaginatedCollectionAnalyzer.ActionHandler => node.FirstAncestorOrSelf<MethodDeclarationSyntax>(),
            UnpaginatedCollectionAnalyzer.LambdaHandler => node.FirstAncestorOrSelf<LambdaExpressionSyntax>(),
            UnpaginatedCollectionAnalyzer.MethodGroupHandler => MethodGroupDeclaration(node, model, cancellationToken),
            _ => null,
        };

        // The handler must start where the diagnostic does (not an enclosing lambda or method around an anonymous method).
        var start = diagnostic.Location.SourceSpan.Start;
        if (handler is null
            || (handler is LambdaExpressionSyntax && handler.SpanStart != start)
            || (handler is MethodDeclarationSyntax method && kind == UnpaginatedCollectionAnalyzer.ActionHandler && method.Identifier.SpanStart != start))
        {
            return null;
        }

        // Default values on lambda parameters need C# 12.
        if (handler is LambdaExpressionSyntax && ((CSharpParseOptions)root.SyntaxTree.Options).LanguageVersion < LanguageVersion.CSharp12)
        {
            return null;
        }

        var parameterList = ParameterList(handler);
        if (parameterList is null
            || parameterList.Parameters.Any(p => p.Type is null || p.Modifiers.Any(SyntaxKind.ParamsKeyword))
            || NamesClash(handler, model, cancellationToken))
        {
            return null;
        }

        var body = model.GetOperation(handler, cancellationToken) switch
        {
            IAnonymousFunctionOperation lambda => lambda.Body,
            ILocalFunctionOperation local => (IOperation?)local.Body ?? local.IgnoredBody,
            { } other => other,
            null => null,
        };
        if (body is null)
        {
            return null;
        }

        var values = PaginationQueries.ReturnedValues(body, symbols, out var iterator)
            .Where(v => v.Type is null || symbols.ElementType(v.Type) is not null)
            .ToList();
        if (iterator || values.Count != 1)
        {
            return null;
        }

        // A local read elsewhere too, or built step by step (list.Add in a loop): not one traceable expression.
        var value = values[0];
        if ((value.Local is not null && CountReads(body, value.Local) != 1) || value.Value is ILocalReferenceOperation or IParameterReferenceOperation)
        {
            return null;
        }

        var page = PageExpression(value.Value, model, symbols, cancellationToken);
        if (page is null)
        {
            return null;
        }

        var (target, replacement) = page.Value;
        if (!handler.Span.Contains(target.Span))
        {
            return null;
        }

        var needsLinq = !model.LookupSymbols(target.SpanStart, container: model.GetTypeInfo(target, cancellationToken).Type, name: "Skip", includeReducedExtensionMethods: true).Any();
        var needsSystem = !model.LookupNamespacesAndTypes(target.SpanStart, name: "Math").Any(s => s is INamedTypeSymbol { ContainingNamespace.Name: "System" });

        var rewritten = handler.ReplaceNode(target, replacement);
        rewritten = AddParameters(rewritten, settings);
        rewritten = AddClamps(rewritten, settings, SyntaxText.NewLine(root.SyntaxTree, cancellationToken));
        return rewritten is null ? null : new Edit(handler, rewritten, needsLinq, needsSystem);
    }

    private static SyntaxNode? MethodGroupDeclaration(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var expression = node as ExpressionSyntax ?? node.FirstAncestorOrSelf<ExpressionSyntax>();
        if (expression is null)
        {
            return null;
        }

        var info = model.GetSymbolInfo(expression, cancellationToken);
        var method = info.Symbol as IMethodSymbol ?? info.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
        if (method is null || method.DeclaringSyntaxReferences.Length != 1 || method.DeclaringSyntaxReferences[0].SyntaxTree != node.SyntaxTree)
        {
            return null;
        }

        return method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is var declaration
            && declaration is MethodDeclarationSyntax or LocalFunctionStatementSyntax
            ? declaration
            : null;
    }

    private static ParameterListSyntax? ParameterList(SyntaxNode handler) => handler switch
    {
        MethodDeclarationSyntax method => method.ParameterList,
        LocalFunctionStatementSyntax local => local.ParameterList,
        ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList,
        _ => null,
    };

    /// <summary>'page' or 'pageSize' already means something in or around the handler.</summary>
    private static bool NamesClash(SyntaxNode handler, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var token in handler.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText is PageName or PageSizeName)
            {
                return true;
            }
        }

        var position = handler.SpanStart;
        return model.LookupSymbols(position, name: PageName).Concat(model.LookupSymbols(position, name: PageSizeName))
            .Any(s => s is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol);
    }

    private static int CountReads(IOperation body, ILocalSymbol local)
        => body.Descendants().OfType<ILocalReferenceOperation>().Count(r => SymbolEqualityComparer.Default.Equals(r.Local, local));

    /// <summary>
    /// Where the page goes and what replaces that expression: right before the first materializer (ToList, ToListAsync,
    /// ToArray(Async), AsAsyncEnumerable, AsEnumerable) or projection (Select, Cast) when everything after it only
    /// projects; otherwise on the returned sequence itself. Null when the order cannot be made stable or the types would not fit.
    /// </summary>
    private static (ExpressionSyntax Target, ExpressionSyntax Replacement)? PageExpression(IOperation value, SemanticModel model, PaginationSymbols symbols, CancellationToken cancellationToken)
    {
        var chain = PaginationQueries.Chain(value, symbols, out var source);
        // Below every materializer and projection that ends the chain: EF Core pages the entity query itself (a
        // projection such as Select(p => ToDto(p)) cannot always be ordered in SQL), and rows are ordered by the
        // entity's key. Query options (AsNoTracking, Include ...) stay where they are.
        var materializer = -1;
        for (var i = 0; i < chain.Length; i++)
        {
            var linkKind = PaginationQueries.Classify(chain[i]);
            if (linkKind == QueryLinkKind.Materializer || (linkKind == QueryLinkKind.Commuting && (chain[i].TargetMethod.Name is "Select" or "Cast" || PaginationSymbols.IsProjection(chain[i].TargetMethod))))
            {
                materializer = i;
            }
            else if (linkKind != QueryLinkKind.Commuting)
            {
                break;
            }
        }

        ExpressionSyntax? target;
        IEnumerable<IInvocationOperation> below;
        if (materializer >= 0)
        {
            target = PaginationQueries.Receiver(chain[materializer])?.Syntax as ExpressionSyntax;
            below = chain.Skip(materializer + 1);
        }
        else
        {
            target = SequenceSyntax(value.Syntax as ExpressionSyntax, model, symbols, cancellationToken);
            below = chain;
        }

        if (target is null)
        {
            return null;
        }

        var targetType = model.GetTypeInfo(target, cancellationToken).Type;
        if (targetType is null || symbols.IsJsonArray(targetType))
        {
            // A JSON array paged with Skip/Take would become a sequence of tokens, serialized differently.
            return null;
        }

        var queryable = PaginationSymbols.GenericArgument(targetType, symbols.QueryableOfT);
        var element = queryable ?? PaginationSymbols.GenericArgument(targetType, symbols.EnumerableOfT);
        if (element is null)
        {
            // IAsyncEnumerable<T> alone: no Skip/Take without an extra library.
            return null;
        }

        // A stable order: an existing OrderBy (followed only by operators that keep order), or the element's key.
        var orderedBy = new List<IInvocationOperation>();
        var ordered = false;
        var directlyOrdered = true;
        foreach (var link in below)
        {
            var linkKind = PaginationQueries.Classify(link);
            if (linkKind is QueryLinkKind.Ordering or QueryLinkKind.ThenOrdering)
            {
                orderedBy.Add(link);
                if (linkKind == QueryLinkKind.Ordering)
                {
                    ordered = true;
                    break;
                }

                continue;
            }

            if (orderedBy.Count > 0 || linkKind is not (QueryLinkKind.OrderPreserving or QueryLinkKind.Commuting or QueryLinkKind.Materializer or QueryLinkKind.Bounding))
            {
                // ThenBy without its OrderBy in view, or an operator whose effect on order is unknown.
                if (below.Any(l => PaginationQueries.Classify(l) == QueryLinkKind.Ordering))
                {
                    return null;
                }

                break;
            }

            directlyOrdered = false;
        }

        string? orderCall = null;
        var text = target;
        if (!ordered && !NeedsOrder(queryable is not null, source, symbols))
        {
            // An in-memory sequence the handler did not query itself (a service's list, a static list) keeps the
            // order it was produced in: sorting it here would change what the first page shows.
        }
        else if (!ordered)
        {
            var key = Key(element, symbols);
            if (key is null)
            {
                return null;
            }

            var parameter = LambdaParameterName(element, model, target.SpanStart);
            orderCall = $".OrderBy({parameter} => {parameter}.{Identifier(key.Name)})";
        }
        else if (orderedBy[0].Syntax is ExpressionSyntax lastOrdering
            && orderedBy[0].Type is { } orderedType
            && (PaginationSymbols.GenericArgument(orderedType, symbols.QueryableOfT) ?? PaginationSymbols.GenericArgument(orderedType, symbols.EnumerableOfT)) is { } orderedElement
            && Key(orderedElement, symbols) is { } key
            && !orderedBy.Any(l => ReferencesProperty(l, key)))
        {
            // OrderBy(p => p.Name) alone repeats or skips rows across pages when names repeat: the key breaks ties,
            // right after the existing ordering (before any projection).
            var parameter = LambdaParameterName(orderedElement, model, target.SpanStart);
            var thenBy = $".ThenBy({parameter} => {parameter}.{Identifier(key.Name)})";
            if (directlyOrdered)
            {
                orderCall = thenBy;
            }
            else if (target.Contains(lastOrdering))
            {
                text = target.ReplaceNode(lastOrdering, Append(lastOrdering, lastOrdering, new List<string> { thenBy }));
            }
        }

        // Without a materializer the paged sequence must still fit where the original went (a List<T> return).
        string? convert = null;
        if (materializer < 0)
        {
            var destination = model.GetTypeInfo(target, cancellationToken).ConvertedType ?? targetType;
            var paged = queryable is not null ? symbols.QueryableOfT!.Construct(element) : symbols.EnumerableOfT!.Construct(element);
            if (!model.Compilation.ClassifyCommonConversion(paged, destination).IsImplicit)
            {
                var list = model.Compilation.GetTypeByMetadataName("System.Collections.Generic.List`1")?.Construct(element);
                if (list is not null && model.Compilation.ClassifyCommonConversion(list, destination).IsImplicit)
                {
                    convert = ".ToList()";
                }
                else if (model.Compilation.ClassifyCommonConversion(model.Compilation.CreateArrayTypeSymbol(element), destination).IsImplicit)
                {
                    convert = ".ToArray()";
                }
                else
                {
                    return null;
                }
            }
        }

        var calls = new List<string>();
        if (orderCall is not null)
        {
            calls.Add(orderCall);
        }

        calls.Add($".Skip(({PageName} - 1) * {PageSizeName})");
        calls.Add($".Take({PageSizeName})");
        if (convert is not null)
        {
            calls.Add(convert);
        }

        return (target, Append(target, text, calls));
    }

    /// <summary>
    /// Rows need an explicit order when they come from a query: the page is cut in the database (IQueryable), the
    /// sequence was read from a query without an order (<c>db.Products.ToList().Where(...)</c>), or from SQL text
    /// without ORDER BY (Dapper). A database returns unordered rows in any order it likes, so pages would overlap.
    /// </summary>
    private static bool NeedsOrder(bool pagedInQuery, IOperation source, PaginationSymbols symbols)
    {
        if (pagedInQuery || (source.Type is { } type && PaginationSymbols.GenericArgument(type, symbols.QueryableOfT) is not null))
        {
            return true;
        }

        return source is IInvocationOperation invocation
            && invocation.Arguments.Any(a => a.Value.ConstantValue is { HasValue: true, Value: string sql }
                && Regex.IsMatch(sql, @"\bSELECT\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
                && !Regex.IsMatch(sql, @"\bORDER\s+BY\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));
    }

    /// <summary>The smallest expression around <paramref name="syntax"/> (through await and parentheses) whose type is a sequence.</summary>
    private static ExpressionSyntax? SequenceSyntax(ExpressionSyntax? syntax, SemanticModel model, PaginationSymbols symbols, CancellationToken cancellationToken)
    {
        for (var current = syntax; current is not null; current = current.Parent as ExpressionSyntax)
        {
            var type = model.GetTypeInfo(current, cancellationToken).Type;
            if (type is not null && symbols.ElementType(type) is not null)
            {
                return current;
            }

            if (current.Parent is not (AwaitExpressionSyntax or ParenthesizedExpressionSyntax or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } or InvocationExpressionSyntax))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="text"/> (the target, possibly already edited inside) followed by the calls; one call per line when
    /// the chain around <paramref name="target"/> already runs over lines.
    /// </summary>
    private static ExpressionSyntax Append(ExpressionSyntax target, ExpressionSyntax text, List<string> calls)
    {
        var needsParentheses = target is not (InvocationExpressionSyntax or MemberAccessExpressionSyntax or SimpleNameSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or ThisExpressionSyntax);
        var code = text.WithoutTrivia().ToFullString();
        if (needsParentheses)
        {
            code = "(" + code + ")";
        }

        string separator = string.Empty;
        if (target.Parent is MemberAccessExpressionSyntax parent && parent.Expression == target
            && target.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            separator = string.Concat(target.GetTrailingTrivia().Select(t => t.ToFullString())) + string.Concat(parent.OperatorToken.LeadingTrivia.Select(t => t.ToFullString()));
        }

        var expression = SyntaxFactory.ParseExpression(code + string.Concat(calls.Select(c => separator + c)));
        return expression.WithLeadingTrivia(target.GetLeadingTrivia()).WithTrailingTrivia(target.GetTrailingTrivia());
    }

    /// <summary>The entity key: a single [Key] or [PrimaryKey] property, else <c>Id</c>, else <c>&lt;Type&gt;Id</c>; it must be orderable.</summary>
    private static IPropertySymbol? Key(ITypeSymbol element, PaginationSymbols symbols)
    {
        var properties = new List<IPropertySymbol>();
        for (var type = element; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            properties.AddRange(type.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer && p.GetMethod is not null && p.DeclaredAccessibility == Accessibility.Public));
        }

        var keyed = properties.Where(p => p.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.KeyAttribute))).ToList();
        if (keyed.Count > 1)
        {
            return null;
        }

        var primaryKey = element.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.PrimaryKeyAttribute));
        IPropertySymbol? key;
        if (keyed.Count == 1)
        {
            key = keyed[0];
        }
        else if (primaryKey is not null)
        {
            // [PrimaryKey(nameof(A))] with one property; a composite key has no single obvious order.
            var names = primaryKey.ConstructorArguments.SelectMany(a => a.Kind == TypedConstantKind.Array ? a.Values : ImmutableArray.Create(a)).Select(a => a.Value as string).ToList();
            key = names.Count == 1 ? properties.FirstOrDefault(p => p.Name == names[0]) : null;
        }
        else
        {
            key = properties.FirstOrDefault(p => string.Equals(p.Name, "Id", StringComparison.OrdinalIgnoreCase))
                ?? properties.FirstOrDefault(p => string.Equals(p.Name, element.Name + "Id", StringComparison.OrdinalIgnoreCase));
        }

        return key is not null && IsOrderable(key.Type) ? key : null;
    }

    private static bool IsOrderable(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type.SpecialType is >= SpecialType.System_Char and <= SpecialType.System_String or SpecialType.System_DateTime
            || type.TypeKind == TypeKind.Enum
            || type.AllInterfaces.Any(i => i.Name == "IComparable" && i.ContainingNamespace?.Name == "System");
    }

    private static bool ReferencesProperty(IInvocationOperation link, IPropertySymbol key)
        => link.Descendants().OfType<IPropertyReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Property.OriginalDefinition, key.OriginalDefinition));

    private static string LambdaParameterName(ITypeSymbol element, SemanticModel model, int position)
    {
        var first = element.Name.Length > 0 && char.IsLetter(element.Name[0]) && !element.IsAnonymousType ? char.ToLowerInvariant(element.Name[0]).ToString() : "x";
        foreach (var candidate in new[] { first, "x", "row", "item" })
        {
            if (SyntaxFacts.GetKeywordKind(candidate) == SyntaxKind.None && !model.LookupSymbols(position, name: candidate).Any())
            {
                return candidate;
            }
        }

        for (var i = 2; ; i++)
        {
            var candidate = "row" + i.ToString(CultureInfo.InvariantCulture);
            if (!model.LookupSymbols(position, name: candidate).Any())
            {
                return candidate;
            }
        }
    }

    private static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    // ---- Parameters and clamps ----------------------------------------------------------------------------

    private static SyntaxNode AddParameters(SyntaxNode handler, PageSettings settings)
    {
        var added = new[]
        {
            SyntaxFactory.ParseParameterList($"(int {PageName} = 1, int {PageSizeName} = {settings.Default.ToString(CultureInfo.InvariantCulture)})").Parameters[0],
            SyntaxFactory.ParseParameterList($"(int {PageName} = 1, int {PageSizeName} = {settings.Default.ToString(CultureInfo.InvariantCulture)})").Parameters[1],
        };

        ParameterListSyntax With(ParameterListSyntax list)
        {
            // Parameters one per line stay one per line: the new ones copy the last separator and indentation.
            var existing = list.Parameters;
            var lastSeparator = existing.SeparatorCount > 0 ? existing.GetSeparator(existing.SeparatorCount - 1) : default;
            var perLine = lastSeparator.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var newSeparator = perLine ? lastSeparator : SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
            var indentation = perLine ? existing[existing.Count - 1].GetLeadingTrivia() : default;

            var parameters = existing.Count == 0 ? new List<ParameterSyntax>() : existing.Take(existing.Count - 1).ToList();
            if (existing.Count > 0)
            {
                parameters.Add(existing[existing.Count - 1].WithoutTrailingTrivia());
            }

            parameters.AddRange(added.Select(p => perLine ? p.WithLeadingTrivia(indentation) : p));
            var trailing = existing.Count > 0 ? existing[existing.Count - 1].GetTrailingTrivia() : default;
            parameters[parameters.Count - 1] = parameters[parameters.Count - 1].WithTrailingTrivia(trailing);

            var separators = Enumerable.Range(0, parameters.Count - 1)
                .Select(i => i < existing.SeparatorCount ? existing.GetSeparator(i) : newSeparator);
            return list.WithParameters(SyntaxFactory.SeparatedList(parameters, separators));
        }

        return handler switch
        {
            MethodDeclarationSyntax method => method.WithParameterList(With(method.ParameterList)),
            LocalFunctionStatementSyntax local => local.WithParameterList(With(local.ParameterList)),
            ParenthesizedLambdaExpressionSyntax lambda => lambda.WithParameterList(With(lambda.ParameterList)),
            _ => handler,
        };
    }

    /// <summary>Clamps at the start of the body; an expression body becomes a block that returns the expression.</summary>
    private static SyntaxNode? AddClamps(SyntaxNode handler, PageSettings settings, string newLine)
    {
        var max = settings.Max.ToString(CultureInfo.InvariantCulture);
        StatementSyntax[] Clamps() => new[]
        {
            SyntaxFactory.ParseStatement($"{PageSizeName} = Math.Clamp({PageSizeName}, 1, {max});").WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine)).WithAdditionalAnnotations(Formatter.Annotation),
            SyntaxFactory.ParseStatement($"{PageName} = Math.Clamp({PageName}, 1, int.MaxValue / {PageSizeName});").WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine)).WithAdditionalAnnotations(Formatter.Annotation),
        };

        BlockSyntax Prepend(BlockSyntax block) => block.WithStatements(block.Statements.InsertRange(0, Clamps()));

        BlockSyntax FromExpression(ExpressionSyntax expression)
        {
            var statements = Clamps().ToList();
            statements.Add(SyntaxFactory.ReturnStatement(expression.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
            return SyntaxFactory.Block(statements).WithAdditionalAnnotations(Formatter.Annotation);
        }

        switch (handler)
        {
            case MethodDeclarationSyntax { Body: { } body } method:
                return method.WithBody(Prepend(body));
            case MethodDeclarationSyntax { ExpressionBody: { } arrow } method:
                return method.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithParameterList(method.ParameterList.WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine)))
                    .WithBody(FromExpression(arrow.Expression).WithTrailingTrivia(method.SemicolonToken.TrailingTrivia));
            case LocalFunctionStatementSyntax { Body: { } body } local:
                return local.WithBody(Prepend(body));
            case LocalFunctionStatementSyntax { ExpressionBody: { } arrow } local:
                return local.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithParameterList(local.ParameterList.WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine)))
                    .WithBody(FromExpression(arrow.Expression).WithTrailingTrivia(local.SemicolonToken.TrailingTrivia));
            case ParenthesizedLambdaExpressionSyntax { Block: { } block } lambda:
                return lambda.WithBlock(Prepend(block));
            case ParenthesizedLambdaExpressionSyntax { ExpressionBody: { } expression } lambda:
                return lambda.WithExpressionBody(null)
                    .WithArrowToken(lambda.ArrowToken.WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine)))
                    .WithBlock(FromExpression(expression).WithTrailingTrivia(expression.GetTrailingTrivia()));
            default:
                return null;
        }
    }
}
