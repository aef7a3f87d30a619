using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Html;

/// <summary>
/// Decides which values written into HTML are not encoded: not constants, not the result of an encoder, not
/// framework HTML (<c>IHtmlContent</c>), and of a type that can carry markup (numbers, booleans, enums, Guids and
/// dates cannot). HTML built here (interpolation, +, string.Format/Concat/Join, StringBuilder, locals assigned in
/// this body) is looked into hole by hole. Only the current body is looked at.
/// </summary>
internal sealed class HtmlValueSafety : ValueSafetyWalker
{
    private readonly HtmlSinks _sinks;
    private readonly Func<IInvocationOperation, bool> _isCustomEncoder;
    private readonly HtmlReturns? _returns;
    private readonly HtmlReturns.Query? _query;
    private readonly int _height;
    private readonly IOperation _root;
    private Dictionary<IInvocationOperation, List<IOperation>>? _argumentHoles;

    /// <param name="returns">Helpers of the compilation to look into; null to look into none.</param>
    /// <param name="query">The question this walk belongs to (cycles, cancellation).</param>
    /// <param name="height">0 for a sink; for a helper being summarized, how many helpers deep it is.</param>
    public HtmlValueSafety(IOperation anyOperationInBody, HtmlSinks sinks, Func<IInvocationOperation, bool> isCustomEncoder,
        HtmlReturns? returns = null, HtmlReturns.Query? query = null, int height = 0)
        : base(anyOperationInBody)
    {
        _sinks = sinks;
        _isCustomEncoder = isCustomEncoder;
        _returns = returns;
        _query = query;
        _height = height;
        _root = Operations.Root(anyOperationInBody);
    }

    /// <summary>True when a helper's verdict could not be reached (a cycle, the depth limit); nothing built on it is kept.</summary>
    public bool Incomplete { get; private set; }

    /// <summary>The tallest chain of helpers a value found safe here relies on (0: none).</summary>
    public int Height { get; private set; }

    /// <summary>Parameters of the helper being summarized that a safe call here passes through (see <see cref="HtmlReturns"/>).</summary>
    public List<IParameterReferenceOperation> PassedThrough { get; } = new();

    /// <summary>Numbers, booleans, enums, Guids, dates and times print without markup characters.</summary>
    public static bool CannotCarryMarkup(ITypeSymbol? type)
    {
        type = WithoutNullable(type);
        if (type is null)
        {
            return false;
        }

        if (IsBooleanOrInteger(type.SpecialType)
            || type.SpecialType is SpecialType.System_Decimal or SpecialType.System_Single or SpecialType.System_Double
                or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_DateTime
            || type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        return type is INamedTypeSymbol { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } named
            && named.Name is "Guid" or "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly" or "Int128" or "UInt128" or "Half";
    }

    protected override bool CannotCarry(ITypeSymbol? type) => CannotCarryMarkup(type);

    protected override bool IsSafeType(ITypeSymbol? type) => CannotCarryMarkup(type) || IsHtmlContent(type);

    // htmlString.ToString() is its markup, judged where that HtmlString was created.
    protected override bool IsSafeToStringReceiver(ITypeSymbol? type)
        => CannotCarryMarkup(type) || WellKnownTypes.IsOrDerivesFrom(type, _sinks.HtmlString);

    // A format provider shapes numbers and dates; it is not written into the HTML.
    protected override bool IsAppendedText(IArgumentOperation argument) => argument.Parameter?.Type.Name != "IFormatProvider";

    // cond ? "<b>" + name + "</b>" : fallback is HTML built here.
    protected override bool ConditionalsCanBeBuilt => true;

    // A ref, foreach or using local, or one inside a ref or out argument, is a hole of its own.
    protected override bool AliasesAreOpaque => true;

    private bool IsHtmlContent(ITypeSymbol? type) => WellKnownTypes.Implements(type, _sinks.HtmlContent);

    protected override bool IsKnownSafe(IOperation value)
    {
        switch (value)
        {
            case IInvocationOperation invocation:
                return _sinks.Encoders.IsEncoding(invocation) || _isCustomEncoder(invocation) || IsSafeReplace(invocation)
                    || IsGeneratedUrl(invocation) || IsRenderedHtml(invocation) || IsSafeHelperCall(invocation.TargetMethod, invocation.Arguments);

            // Code the compiler rejects (being typed, or a package missing) gets its error first; a throw gives no value;
            // default(T) is null or zero.
            case IInvalidOperation or IThrowOperation or IDefaultValueOperation:
                return true;

            case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } when HasLiteralInitializer(field) || IsStringEmpty(field):
                return true;

            // Resource text looked up by a constant name (IStringLocalizer["Welcome"]) is written by the team, like a literal.
            case IPropertyReferenceOperation property when IsResourceText(property) || IsNewLine(property.Property):
                return true;

            // htmlString.Value: the markup of an HtmlString, judged where that HtmlString was created.
            case IPropertyReferenceOperation { Property.Name: "Value", Instance: { } owner } when WellKnownTypes.IsOrDerivesFrom(owner.Type, _sinks.HtmlString):
                return true;

            // A getter of this compilation with a body is a helper like any other.
            case IPropertyReferenceOperation { Property.GetMethod: { } getter } property:
                return IsSafeHelperCall(getter, property.Arguments);

            default:
                return false;
        }
    }

    // a ?? b is one hole: encoding a alone would make it never null, and b would stop showing.
    protected override void VisitCoalesce(ICoalesceOperation coalesce, List<IOperation> offending, int depth)
    {
        var parts = new List<IOperation>();
        Visit(coalesce.Value, parts, depth + 1);
        Visit(coalesce.WhenNull, parts, depth + 1);
        if (parts.Count > 0 && !PassesThrough(parts, offending))
        {
            offending.Add(coalesce);
        }
    }

    /// <summary>
    /// In a helper being summarized, a value made only from the helper's parameters (<c>text ?? ""</c>,
    /// <c>text.Trim()</c>) leaves them to the callers' arguments.
    /// </summary>
    private bool PassesThrough(List<IOperation> parts, List<IOperation> offending)
    {
        if (_height == 0)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part is not IParameterReferenceOperation)
            {
                return false;
            }
        }

        offending.AddRange(parts);
        return true;
    }

    protected override void VisitStringCall(IInvocationOperation invocation, List<IOperation> offending, int depth)
    {
        // string instance methods (Trim, ToUpper, Substring...) are as safe as their inputs; when they are not, the
        // whole call is the hole, so encoding happens after it (a Substring of encoded text could cut an entity).
        if (invocation.Instance is not null)
        {
            var inner = new List<IOperation>();
            Visit(invocation.Instance, inner, depth + 1);
            foreach (var argument in invocation.Arguments)
            {
                VisitArgumentValue(argument.Value, inner, depth);
            }

            if (inner.Count > 0 && !PassesThrough(inner, offending))
            {
                offending.Add(invocation);
            }

            return;
        }

        // string.Concat/Format/Join build text from their inputs: each input is a hole of its own.
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.Name != "IFormatProvider" && argument.Parameter?.Type.SpecialType != SpecialType.System_Char)
            {
                VisitArgumentValue(argument.Value, offending, depth);
            }
        }
    }

    protected override bool TryVisitCollection(IOperation value, ITypeSymbol? elementType, List<IOperation> offending, int depth)
    {
        if (value.Type is IArrayTypeSymbol array && IsSafeType(array.ElementType))
        {
            return true;
        }

        // string.Join("", items.Select(i => $"<li>{HtmlEncoder.Default.Encode(i)}</li>")): what the lambda returns decides.
        return TryVisitSelectReturns(value, offending, depth);
    }

    /// <summary>
    /// A local holding HTML built in this body is looked into; a local only ever assigned plain values is itself the
    /// hole (so the fix encodes it where it enters the HTML, not where it is assigned and maybe used otherwise).
    /// </summary>
    protected override void VisitWrites(ILocalReferenceOperation reference, List<IOperation> writes, List<IOperation> offending, int depth)
    {
        var built = false;
        foreach (var write in writes)
        {
            built |= write is ICompoundAssignmentOperation || IsBuilt(write, 1);
        }

        if (built)
        {
            base.VisitWrites(reference, writes, offending, depth);
            return;
        }

        foreach (var write in writes)
        {
            if (!IsSafe(write))
            {
                offending.Add(reference);
                break;
            }
        }
    }

    /// <summary>A StringBuilder local starts with its creation's text; anything else it is assigned is a hole.</summary>
    protected override void VisitBuilderStart(IOperation start, IOperation write, List<IOperation> offending, int depth)
    {
        if (start is IObjectCreationOperation creation)
        {
            foreach (var argument in creation.Arguments)
            {
                if (argument.Value.Type?.SpecialType == SpecialType.System_String)
                {
                    Visit(argument.Value, offending, depth + 1);
                }
            }
        }
        else
        {
            offending.Add(write);
        }
    }

    /// <summary>
    /// The offending values, then a plain local named as a hole is let go when every write that can still reach the
    /// read is safe: a statement before the read, in a block around it, assigns the local on every path (the compiler's
    /// flow analysis says so), so what was written before that statement never gets there. Runs only for holes found.
    /// </summary>
    public List<IOperation> CollectOffendingRefined(IOperation value)
    {
        var offending = CollectOffending(value);
        for (var i = offending.Count - 1; i >= 0; i--)
        {
            if (offending[i] is ILocalReferenceOperation reference && LaterWritesAreSafe(reference))
            {
                offending.RemoveAt(i);
            }
        }

        return offending;
    }

    private bool IsGeneratedUrl(IInvocationOperation invocation)
    {
        if (!_sinks.Encoders.IsUrlGeneration(invocation.TargetMethod, out var hostUnescaped))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if ((argument.Parameter?.Name == "fragment" || (hostUnescaped && argument.Parameter?.Name == "host")) && !AreSafe(argument.Value))
            {
                return false;
            }
        }

        return true;
    }

    // regex.Replace(input, replacement): as safe as the text it starts from and the text it puts in.
    private bool IsSafeReplace(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name != "Replace" || !WellKnownTypes.IsOrDerivesFrom(method.ContainingType, _sinks.Regex))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "input" or "replacement" when !AreSafe(argument.Value):
                case "evaluator":
                case null:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// writer.ToString() on a StringWriter created here that nothing but framework HTML was written to
    /// (<c>content.WriteTo(writer, encoder)</c>): the HTML the framework rendered.
    /// </summary>
    private bool IsRenderedHtml(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod is not { Name: "ToString", Parameters.IsEmpty: true } || _sinks.StringWriter is null
            || invocation.Instance is null || Operations.Unwrap(invocation.Instance) is not ILocalReferenceOperation { Local: var writer }
            || !SymbolEqualityComparer.Default.Equals(writer.Type, _sinks.StringWriter))
        {
            return false;
        }

        var created = false;
        foreach (var operation in _root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, writer):
                    var initializer = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                    if (initializer is null || Operations.Unwrap(initializer) is not IObjectCreationOperation creation)
                    {
                        return false;
                    }

                    // new StringWriter() or new StringWriter(culture); not one around a StringBuilder filled elsewhere.
                    foreach (var argument in creation.Arguments)
                    {
                        if (argument.Parameter?.Type.Name != "IFormatProvider")
                        {
                            return false;
                        }
                    }

                    created = true;
                    break;

                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, writer):
                    if (!IsReadOrRenderedInto(reference))
                    {
                        return false;
                    }

                    break;
            }
        }

        return created;
    }

    private bool IsReadOrRenderedInto(ILocalReferenceOperation reference)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IInvocationOperation call when call.Instance is not null && call.Instance.Syntax.Span.Contains(reference.Syntax.Span):
                return call.TargetMethod.Name is "ToString" or "Flush" or "FlushAsync" or "Dispose" or "DisposeAsync" or "Close";
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "WriteTo" } writeTo }:
                foreach (var argument in writeTo.Arguments)
                {
                    if (argument.Parameter?.Type.Name == "HtmlEncoder" && argument.Value.Type?.Name == "NullHtmlEncoder")
                    {
                        return false;
                    }
                }

                return WellKnownTypes.Implements(writeTo.TargetMethod.ContainingType, _sinks.HtmlContent)
                    || WellKnownTypes.Implements(writeTo.Instance?.Type, _sinks.HtmlContent);
            case IUsingOperation:
                return true;
            default:
                return false;
        }
    }

    /// <summary>A call to a helper (or getter) of this compilation whose returns are safe given safe arguments for the parameters it passes through.</summary>
    private bool IsSafeHelperCall(IMethodSymbol method, System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        if (_returns is null || _query is null || !_returns.IsFollowable(method.OriginalDefinition))
        {
            return false;
        }

        var summary = _returns.Get(method, _query, _height, out var complete);

        // Whether a helper chain fits is judged on the chain itself, so a verdict kept earlier gives the same answer.
        if (complete && summary.Parameters is not null && _height + summary.Height > HtmlReturns.MaxHeight)
        {
            complete = false;
        }

        if (!complete)
        {
            Incomplete = true;
            return false;
        }

        if (summary.Parameters is not { } parameters)
        {
            return false;
        }

        List<IOperation>? unsafeArguments = null;
        foreach (var ordinal in parameters)
        {
            foreach (var argument in arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal && !AreSafe(argument.Value))
                {
                    (unsafeArguments ??= new List<IOperation>()).Add(argument.Value);
                }
            }
        }

        Height = Math.Max(Height, summary.Height);
        if (unsafeArguments is not null)
        {
            if (arguments.Length > 0 && arguments[0].Parent is IInvocationOperation call)
            {
                _argumentHoles ??= new Dictionary<IInvocationOperation, List<IOperation>>();
                _argumentHoles[call] = unsafeArguments;
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// Html.Raw(Card(name)) where the helper Card puts its parameter into its markup: the argument is the hole, so the
    /// fix encodes it and keeps the helper's markup.
    /// </summary>
    protected override void VisitOtherCall(IInvocationOperation invocation, List<IOperation> offending, int depth)
    {
        if (_argumentHoles is not null && _argumentHoles.TryGetValue(invocation, out var arguments))
        {
            foreach (var argument in arguments)
            {
                VisitArgumentValue(argument, offending, depth);
            }

            return;
        }

        offending.Add(invocation);
    }

    /// <summary>
    /// Whether a value a call depends on is safe. In a helper being summarized, its own parameters pass: they are
    /// recorded, and the helper's callers decide.
    /// </summary>
    private bool AreSafe(IOperation value)
    {
        var parts = new List<IOperation>();
        VisitArgumentValue(value, parts, 0);
        foreach (var part in parts)
        {
            if (_height > 0 && part is IParameterReferenceOperation parameter)
            {
                PassedThrough.Add(parameter);
                continue;
            }

            return false;
        }

        return true;
    }

    private bool LaterWritesAreSafe(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        if (reference.SemanticModel is not { } model || FindAssigningStatement(reference, model) is not { } assigning)
        {
            return false;
        }

        var any = false;
        var function = EnclosingFunction(reference);
        foreach (var operation in _root.Descendants())
        {
            if (operation is IBranchOperation { BranchKind: BranchKind.GoTo })
            {
                return false;
            }

            var write = WrittenValue(operation, local, out var opaque);
            if (!opaque && write is null)
            {
                continue;
            }

            // A lambda or local function writing it may run anywhere.
            if (!ReferenceEquals(EnclosingFunction(operation), function))
            {
                return false;
            }

            if (operation.Syntax.SpanStart < assigning.SpanStart)
            {
                continue;
            }

            // A later write the walk does not follow (out, deconstruction, pattern) cannot be judged.
            if (opaque || !IsSafe(write!))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>The value an operation writes to <paramref name="local"/>; opaque when it writes it in a way not followed.</summary>
    private static IOperation? WrittenValue(IOperation operation, ILocalSymbol local, out bool opaque)
    {
        opaque = false;
        switch (operation)
        {
            case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                return declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
            case IAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                opaque = assignment is IDeconstructionAssignmentOperation;
                return assignment switch
                {
                    ISimpleAssignmentOperation simple => simple.Value,
                    ICompoundAssignmentOperation compound => compound.Value,
                    ICoalesceAssignmentOperation coalesce => coalesce.Value,
                    _ => null,
                };
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var nested in deconstruction.Target.DescendantsAndSelf())
                {
                    opaque |= nested is ILocalReferenceOperation written && SymbolEqualityComparer.Default.Equals(written.Local, local);
                }

                return null;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                foreach (var nested in argument.Value.DescendantsAndSelf())
                {
                    opaque |= nested is ILocalReferenceOperation written && SymbolEqualityComparer.Default.Equals(written.Local, local);
                }

                return null;
            case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } when SymbolEqualityComparer.Default.Equals(declared, local):
            case IForEachLoopOperation loop when loop.Locals.IndexOf(local, 0, SymbolEqualityComparer.Default) >= 0:
                opaque = true;
                return null;
            default:
                return null;
        }
    }

    private static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>
    /// The nearest statement before the read, in the read's block or a block around it (within the same function),
    /// that assigns the local on every path through it.
    /// </summary>
    private static Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax? FindAssigningStatement(ILocalReferenceOperation reference, SemanticModel model)
    {
        var name = reference.Local.Name;
        var budget = MaxFlowAnalyses;
        for (var node = reference.Syntax; node.Parent is not null; node = node.Parent)
        {
            if (node is Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax
                or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax
                or Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax)
            {
                return null;
            }

            if (node is not Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax statement)
            {
                continue;
            }

            var siblings = node.Parent switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax block => block.Statements,
                Microsoft.CodeAnalysis.CSharp.Syntax.SwitchSectionSyntax section => section.Statements,
                _ => default,
            };

            for (var i = siblings.IndexOf(statement) - 1; i >= 0; i--)
            {
                var candidate = siblings[i];
                if (!Mentions(candidate, name) || candidate is Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax)
                {
                    continue;
                }

                if (budget-- == 0)
                {
                    return null;
                }

                DataFlowAnalysis? flow;
                try
                {
                    flow = model.AnalyzeDataFlow(candidate);
                }
                catch (ArgumentException)
                {
                    // A statement the compiler cannot analyze on its own (outside a body): the local stays a hole.
                    return null;
                }

                if (flow is { Succeeded: true } && flow.AlwaysAssigned.Contains(reference.Local))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    // Flow analyses tried per local before it stays a hole: the nearest assignment is usually the answer.
    private const int MaxFlowAnalyses = 8;

    private static bool Mentions(SyntaxNode statement, string name)
    {
        foreach (var token in statement.DescendantTokens())
        {
            if (token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken) && token.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStringEmpty(IFieldSymbol field) => field.Name == "Empty" && field.ContainingType.SpecialType == SpecialType.System_String;

    private static bool IsNewLine(IPropertySymbol property)
        => property is { Name: "NewLine", IsStatic: true, ContainingType: { Name: "Environment", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static bool IsResourceText(IPropertyReferenceOperation property)
    {
        if (property.Property.Name == "Value" && property.Instance is IPropertyReferenceOperation inner && property.Property.ContainingType.Name == "LocalizedString")
        {
            property = inner;
        }

        return property.Property.IsIndexer && property.Arguments.Length == 1 && property.Arguments[0].Value.ConstantValue.HasValue
            && property.Type is { Name: "LocalizedString", ContainingNamespace: { Name: "Localization", ContainingNamespace: { Name: "Extensions", ContainingNamespace.Name: "Microsoft" } } };
    }

    private static bool HasLiteralInitializer(IFieldSymbol field)
    {
        if (field.Type.SpecialType != SpecialType.System_String)
        {
            return false;
        }

        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax
                {
                    Initializer.Value: Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax literal,
                } && literal.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StringLiteralExpression))
            {
                return true;
            }
        }

        return false;
    }
}
