using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Files;

/// <summary>Where a client's file name reached a storage path, and what the fix would replace there.</summary>
internal sealed class NameHit
{
    public NameHit(IOperation sink, string sinkName, bool throughGetFileName, IOperation entry, bool withoutExtension)
    {
        Sink = sink;
        SinkName = sinkName;
        ThroughGetFileName = throughGetFileName;
        Entry = entry;
        WithoutExtension = withoutExtension;
    }

    public IOperation Sink { get; }

    public string SinkName { get; }

    /// <summary>Path.GetFileName (or GetFileNameWithoutExtension) was applied on the way.</summary>
    public bool ThroughGetFileName { get; }

    /// <summary>The name as it enters the path: the top of the calls that keep it a name (a local read or an expression).</summary>
    public IOperation Entry { get; }

    /// <summary>The entry went through GetFileNameWithoutExtension: the code adds an extension of its own.</summary>
    public bool WithoutExtension { get; }
}

/// <summary>
/// One body (method, accessor, lambda's enclosing member) seen from a client's file name: its locals' writes and reads,
/// gathered in one walk on first need, and the values it checks against an allow-list. The name is followed forward
/// through the calls that keep it a name (Path.GetFileName, Trim, Replace, ToLower...), string building
/// (+, interpolation, string.Concat/Format/Join) and the locals it is written to, until it reaches a storage path or
/// goes somewhere else (a property, a method of the project, a return): only the latter are never reported.
/// </summary>
internal sealed class ClientNameFlow
{
    private const int MaxHops = 16;
    private readonly IOperation _root;
    private readonly Dictionary<ILocalSymbol, List<(int Position, IOperation? Value, IOperation Write)>> _writes = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, List<ILocalReferenceOperation>> _reads = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> _checkedLocals = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, HashSet<string>> _checkedSources = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The body checks an extension without a local the fix could keep (<c>Path.GetExtension(path) == ".zip"</c>,
    /// <c>name.EndsWith(".css")</c>): a generated name without an extension would fail that check.
    /// </summary>
    public bool ChecksExtensionInline { get; private set; }

    public ClientNameFlow(IOperation root)
    {
        _root = root;
        Index();
    }

    /// <summary>Locals holding the name unchanged (only calls that keep it a name) on the way from the source.</summary>
    public sealed class Trace
    {
        public List<NameHit> Hits { get; } = new();

        public HashSet<ILocalSymbol> NameLocals { get; } = new(SymbolEqualityComparer.Default);

        public HashSet<IOperation> Visited { get; } = new();
    }

    public Trace Follow(IPropertyReferenceOperation source)
    {
        var trace = new Trace();
        Climb(source, source, getFileName: false, withoutExtension: false, built: false, entry: source, trace, 0);
        return trace;
    }

    /// <summary>The same property of the same receiver, or a local holding the name unchanged, is checked against an allow-list here.</summary>
    public bool IsAllowListed(IPropertyReferenceOperation source, Trace trace)
    {
        if (ReceiverSymbol(source.Instance) is { } receiver && _checkedSources.TryGetValue(receiver, out var names) && names.Contains(source.Property.Name))
        {
            return true;
        }

        foreach (var local in trace.NameLocals)
        {
            if (_checkedLocals.Contains(local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A local holding an extension (<c>Path.GetExtension(...)</c>, written once) that is checked against an allow-list and
    /// written before <paramref name="position"/>: the extension the generated name may keep.
    /// </summary>
    public ILocalSymbol? CheckedExtensionBefore(int position)
    {
        ILocalSymbol? best = null;
        foreach (var local in _checkedLocals)
        {
            if (_writes.TryGetValue(local, out var writes) && writes.Count == 1 && writes[0].Position < position
                && writes[0].Value is { } value && Peel(value) is IInvocationOperation invocation && UploadNames.IsPath(invocation, "GetExtension"))
            {
                if (best is null || writes[0].Position > _writes[best][0].Position)
                {
                    best = local;
                }
            }
        }

        return best;
    }

    /// <summary>
    /// Whether the local behind the entry is used only for the path: written once, and every other read goes to
    /// Path.GetExtension or a null/empty test. A name also kept as metadata would be renamed there too.
    /// </summary>
    public bool OnlyForThePath(ILocalReferenceOperation entry)
    {
        var local = entry.Local;
        if (!_writes.TryGetValue(local, out var writes) || writes.Count != 1 || local.IsRef || !_reads.TryGetValue(local, out var reads))
        {
            return false;
        }

        foreach (var read in reads)
        {
            if (read == entry)
            {
                continue;
            }

            IOperation current = read;
            while (current.Parent is IConversionOperation or IParenthesizedOperation
                || current.Parent is IInvocationOperation { Instance: { } instance } call && instance == current && KeepsName(call))
            {
                current = current.Parent!;
            }

            if (current.Parent is IArgumentOperation { Parent: IInvocationOperation invocation }
                && (UploadNames.IsPath(invocation, "GetExtension")
                    || invocation.TargetMethod is { Name: "IsNullOrEmpty" or "IsNullOrWhiteSpace", ContainingType.SpecialType: SpecialType.System_String }))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    private void Climb(IOperation start, IOperation op, bool getFileName, bool withoutExtension, bool built, IOperation entry, Trace trace, int hops)
    {
        if (hops > MaxHops)
        {
            return;
        }

        while (true)
        {
            var parent = op.Parent;
            switch (parent)
            {
                case IConversionOperation:
                case IParenthesizedOperation:
                    break;
                case ICoalesceOperation:
                case IConditionalOperation conditional when conditional.Condition != op:
                    break;
                case IPropertyReferenceOperation { Property.Name: "Value", Instance: { } instance } segment when instance == op && segment.Property.ContainingType?.Name == "StringSegment":
                    break;
                case IInvocationOperation { Instance: { } instance } call when instance == op:
                    if (!KeepsName(call))
                    {
                        return;
                    }

                    break;
                case IArgumentOperation argument:
                {
                    if (UploadNames.SinkOf(argument) is { } sinkName)
                    {
                        trace.Hits.Add(new NameHit(argument.Parent!, sinkName, getFileName, built ? entry : op, withoutExtension));
                        return;
                    }

                    if (argument.Parent is not IInvocationOperation { Instance: null } invocation)
                    {
                        return;
                    }

                    var method = invocation.TargetMethod;
                    var type = method.ContainingType;
                    if (type is null)
                    {
                        return;
                    }

                    if (UploadNames.IsSystemIO(type, "Path"))
                    {
                        if (method.Name is "GetFileName" or "GetFileNameWithoutExtension")
                        {
                            getFileName = true;
                            withoutExtension |= method.Name == "GetFileNameWithoutExtension";
                        }
                        else if (method.Name is not ("GetFullPath" or "TrimEndingDirectorySeparator"))
                        {
                            return;
                        }
                    }
                    else if (type.SpecialType == SpecialType.System_String && method.Name is "Concat" or "Format" or "Join")
                    {
                        if (!built)
                        {
                            entry = op;
                            built = true;
                        }
                    }
                    else if (!KeepsNameStatic(invocation))
                    {
                        return;
                    }

                    parent = invocation;
                    break;
                }

                case IInterpolationOperation { Parent: IInterpolatedStringOperation interpolated }:
                    if (!built)
                    {
                        entry = op;
                        built = true;
                    }

                    parent = interpolated;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String }:
                    if (!built)
                    {
                        entry = op;
                        built = true;
                    }

                    break;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    FollowLocal(declarator.Symbol, declarator.Syntax.Span.End, start, getFileName, withoutExtension, built, entry, trace, hops);
                    return;
                case ISimpleAssignmentOperation assignment when assignment.Value == op:
                    if (assignment.Target is ILocalReferenceOperation target)
                    {
                        FollowLocal(target.Local, assignment.Syntax.Span.End, start, getFileName, withoutExtension, built, entry, trace, hops);
                    }
                    else if (UploadNames.SinkOf(assignment) is { } keyName)
                    {
                        trace.Hits.Add(new NameHit(assignment, keyName, getFileName, built ? entry : op, withoutExtension));
                    }

                    return;
                case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation appended } compound when compound.Value == op:
                    FollowLocal(appended.Local, compound.Syntax.Span.End, start, getFileName, withoutExtension, built: true, built ? entry : op, trace, hops);
                    return;
                default:
                    return;
            }

            op = parent!;
        }
    }

    private void FollowLocal(ILocalSymbol local, int writePosition, IOperation start, bool getFileName, bool withoutExtension, bool built, IOperation entry, Trace trace, int hops)
    {
        if (!_reads.TryGetValue(local, out var reads) || !_writes.TryGetValue(local, out var writes))
        {
            return;
        }

        if (!built)
        {
            trace.NameLocals.Add(local);
        }

        foreach (var read in reads)
        {
            if (NearestWrite(writes, read.Syntax.SpanStart) != writePosition || !trace.Visited.Add(read))
            {
                continue;
            }

            // A name held unchanged enters the path at this read; a name already built into a longer string keeps its entry.
            Climb(start, read, getFileName, withoutExtension, built, built ? entry : read, trace, hops + 1);
        }
    }

    private static int NearestWrite(List<(int Position, IOperation? Value, IOperation Write)> writes, int position)
    {
        var best = -1;
        foreach (var write in writes)
        {
            if (write.Position < position && write.Position > best)
            {
                best = write.Position;
            }
        }

        return best;
    }

    /// <summary>String instance calls that leave the client's choice in place.</summary>
    private static bool KeepsName(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (method.ContainingType?.SpecialType == SpecialType.System_String)
        {
            return method.Name is "Trim" or "TrimStart" or "TrimEnd" or "ToLower" or "ToLowerInvariant" or "ToUpper" or "ToUpperInvariant"
                or "Replace" or "Normalize" or "Substring" or "Remove" or "Insert" or "PadLeft" or "PadRight" or "ToString";
        }

        return method.ContainingType?.Name == "StringSegment" && method.Name is "ToString" or "Trim" or "TrimStart" or "TrimEnd";
    }

    /// <summary>Static calls that leave the client's choice in place: unquoting and URL or HTML decoding and encoding.</summary>
    private static bool KeepsNameStatic(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        return type?.Name switch
        {
            "HeaderUtilities" => method.Name is "RemoveQuotes" or "UnescapeAsQuotedString",
            "WebUtility" or "HttpUtility" => method.Name is "UrlDecode" or "UrlEncode" or "HtmlEncode" or "HtmlDecode",
            "Uri" => method.Name is "UnescapeDataString" or "EscapeDataString",
            _ => false,
        };
    }

    private void Index()
    {
        foreach (var operation in _root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    Write(declarator.Symbol, declarator.Syntax.Span.End, declarator.Initializer?.Value, declarator);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                    Write(target.Local, assignment.Syntax.Span.End, assignment.Value, assignment);
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } compound:
                    Write(target.Local, compound.Syntax.Span.End, null, compound);
                    break;
                case ILocalReferenceOperation reference:
                    if (reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } byRef)
                    {
                        Write(reference.Local, byRef.Syntax.Span.End, null, byRef);
                    }
                    else if (!(reference.Parent is IAssignmentOperation assigned && assigned.Target == reference) && !reference.IsDeclaration)
                    {
                        Read(reference);
                    }

                    break;
                case IInvocationOperation invocation:
                    IndexCheck(invocation);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                    if (IsNamedConstant(binary.RightOperand))
                    {
                        Checked(binary.LeftOperand);
                    }
                    else if (IsNamedConstant(binary.LeftOperand))
                    {
                        Checked(binary.RightOperand);
                    }

                    break;
                case IIsPatternOperation isPattern when IsConstantPattern(isPattern.Pattern):
                    Checked(isPattern.Value);
                    break;
                case ISwitchOperation switchStatement when HasConstantCase(switchStatement):
                    Checked(switchStatement.Value);
                    break;
                case ISwitchExpressionOperation switchExpression when switchExpression.Arms.Length > 0 && IsConstantPattern(switchExpression.Arms[0].Pattern):
                    Checked(switchExpression.Value);
                    break;
            }
        }
    }

    private void Write(ILocalSymbol local, int position, IOperation? value, IOperation write)
    {
        if (!_writes.TryGetValue(local, out var list))
        {
            _writes[local] = list = new();
        }

        list.Add((position, value, write));
    }

    private void Read(ILocalReferenceOperation reference)
    {
        if (!_reads.TryGetValue(reference.Local, out var list))
        {
            _reads[reference.Local] = list = new();
        }

        list.Add(reference);
    }

    /// <summary>
    /// An allow-list check: a collection's <c>Contains</c>/<c>ContainsKey</c>/<c>TryGetValue</c> (not a string's, which is a
    /// deny-list test such as <c>name.Contains("..")</c>), <c>Enumerable.Contains</c>, and <c>Equals</c> with a constant.
    /// </summary>
    private void IndexCheck(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var arguments = invocation.Arguments;
        switch (method.Name)
        {
            case "Contains":
            case "ContainsKey":
            case "TryGetValue":
            case "IndexOf":
                if (invocation.Instance is { } instance)
                {
                    if (arguments.Length >= 1 && !IsText(instance.Type))
                    {
                        Checked(arguments[0].Value);
                    }
                }
                else if (arguments.Length >= 2 && method.IsStatic && !IsText(arguments[0].Value.Type) && method.Name is "Contains" or "IndexOf")
                {
                    Checked(arguments[1].Value);
                }

                break;
            case "EndsWith":
                if (invocation.Instance?.Type?.SpecialType == SpecialType.System_String && arguments.Length >= 1 && IsNamedConstant(arguments[0].Value))
                {
                    ChecksExtensionInline = true;
                }

                break;
            case "Equals":
                if (invocation.Instance is { } receiver && arguments.Length >= 1 && receiver.Type?.SpecialType == SpecialType.System_String)
                {
                    if (IsNamedConstant(arguments[0].Value))
                    {
                        Checked(receiver);
                    }
                }
                else if (invocation.Instance is null && arguments.Length >= 2 && method.ContainingType?.SpecialType == SpecialType.System_String)
                {
                    if (IsNamedConstant(arguments[1].Value))
                    {
                        Checked(arguments[0].Value);
                    }
                    else if (IsNamedConstant(arguments[0].Value))
                    {
                        Checked(arguments[1].Value);
                    }
                }

                break;
        }
    }

    private static bool IsText(ITypeSymbol? type) => type is null || type.SpecialType == SpecialType.System_String || type.Name == "StringSegment";

    private static bool IsNamedConstant(IOperation operation)
        => Operations.Unwrap(operation).ConstantValue is { HasValue: true, Value: string { Length: > 0 } };

    private static bool IsConstantPattern(IPatternOperation pattern)
        => pattern switch
        {
            IConstantPatternOperation constant => IsNamedConstant(constant.Value),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or => IsConstantPattern(or.LeftPattern) && IsConstantPattern(or.RightPattern),
            INegatedPatternOperation negated => IsConstantPattern(negated.Pattern),
            _ => false,
        };

    private static bool HasConstantCase(ISwitchOperation switchStatement)
    {
        foreach (var section in switchStatement.Cases)
        {
            foreach (var clause in section.Clauses)
            {
                if (clause is ISingleValueCaseClauseOperation single && IsNamedConstant(single.Value)
                    || clause is IPatternCaseClauseOperation patternClause && IsConstantPattern(patternClause.Pattern))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void Checked(IOperation value)
    {
        switch (Peel(value))
        {
            case IInvocationOperation call when UploadNames.IsPath(call, "GetExtension"):
                ChecksExtensionInline = true;
                break;
            case ILocalReferenceOperation local:
                _checkedLocals.Add(local.Local);
                break;
            case IPropertyReferenceOperation property when UploadNames.IsSource(property) && ReceiverSymbol(property.Instance) is { } receiver:
                if (!_checkedSources.TryGetValue(receiver, out var names))
                {
                    _checkedSources[receiver] = names = new HashSet<string>(System.StringComparer.Ordinal);
                }

                names.Add(property.Property.Name);
                break;
        }
    }

    /// <summary>The value under case changes, trimming, GetFileName and StringSegment.Value: what is really compared.</summary>
    private static IOperation Peel(IOperation value)
    {
        while (true)
        {
            value = Operations.Unwrap(value);
            switch (value)
            {
                case IInvocationOperation { Instance: { } instance } call when call.TargetMethod.Name is "ToLower" or "ToLowerInvariant" or "ToUpper" or "ToUpperInvariant" or "Trim" or "ToString":
                    value = instance;
                    continue;
                case IInvocationOperation call when UploadNames.IsPath(call, "GetFileName") && call.Arguments.Length == 1:
                    value = call.Arguments[0].Value;
                    continue;
                case IPropertyReferenceOperation { Property.Name: "Value", Instance: { } instance } segment when segment.Property.ContainingType?.Name == "StringSegment":
                    value = instance;
                    continue;
                default:
                    return value;
            }
        }
    }

    private static ISymbol? ReceiverSymbol(IOperation? instance)
        => instance is null
            ? null
            : Operations.Unwrap(instance) switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                IFieldReferenceOperation field => field.Field,
                IPropertyReferenceOperation property => property.Property,
                _ => null,
            };
}
