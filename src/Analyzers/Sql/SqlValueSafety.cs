using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>
/// Decides whether a value that ends up in SQL text can only be one of the values written in the code:
/// constants, constant ternaries and switch expressions (allow-lists), locals assigned only such values, values
/// whose type cannot carry SQL text (integers, booleans, enums, Guids), and what <see cref="SqlSourceFacts"/> knows
/// of the compilation (members fixed at construction, helpers returning fixed text, parameters always passed a
/// constant, EF Core's own SQL). Everything else is an offending value. The body is read as a whole; when
/// <c>flowSensitive</c>, a local's writes count only where they reach the read.
/// </summary>
internal sealed class SqlValueSafety : ValueSafetyWalker
{
    private readonly IOperation _root;
    private readonly SqlSourceFacts _facts;
    private readonly bool _flowSensitive;
    private readonly Func<ControlFlowGraph?>? _graph;
    private SqlReachingWrites? _flow;
    private bool _flowBuilt;

    /// <param name="anyOperationInBody">Any operation of the body being analyzed.</param>
    /// <param name="facts">The compilation's facts; a fresh instance when null (a fix, a test).</param>
    /// <param name="flowSensitive">Count only the writes of a local that reach the read (builds a control flow graph).</param>
    /// <param name="graph">The body's control flow graph when the caller has one cached.</param>
    public SqlValueSafety(IOperation anyOperationInBody, SqlSourceFacts? facts = null, bool flowSensitive = false, Func<ControlFlowGraph?>? graph = null)
        : base(anyOperationInBody)
    {
        _root = Operations.Root(anyOperationInBody);
        _facts = facts ?? new SqlSourceFacts(anyOperationInBody.SemanticModel?.Compilation);
        _flowSensitive = flowSensitive;
        _graph = graph;
    }

    /// <summary>Whether a local with several writes was followed: only then can a flow-sensitive pass tell more.</summary>
    public bool FollowedSeveralWrites { get; private set; }

    /// <summary>Integers, booleans, enums and Guids format to text that cannot change the SQL around them.</summary>
    public static bool CannotCarrySql(ITypeSymbol? type)
    {
        type = WithoutNullable(type);
        if (type is null)
        {
            return false;
        }

        return type.TypeKind == TypeKind.Enum || IsBooleanOrInteger(type.SpecialType)
            || type is { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }

    protected override bool CannotCarry(ITypeSymbol? type) => CannotCarrySql(type);

    protected override bool IsKnownSafe(IOperation value)
    {
        switch (value)
        {
            // A switch arm or conditional branch that throws produces no text.
            case IThrowOperation:
                return true;

            // Members of this object (or static ones) fixed at construction are configuration. The same member read
            // on another object (request.Table) is that object's data: input.
            case IFieldReferenceOperation { Field: var field, Instance: null or IInstanceReferenceOperation }:
                return _facts.IsFixedMember(field);
            case IPropertyReferenceOperation { Property: var property, Instance: var instance }:
                return ((instance is null or IInstanceReferenceOperation) && _facts.IsFixedMember(property)) || _facts.IsEfCoreGenerated(value);

            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                if (method.ContainingType?.SpecialType == SpecialType.System_String)
                {
                    return false;
                }

                return (!method.DeclaringSyntaxReferences.IsEmpty && _facts.ReturnsFixedText(method)) || _facts.IsEfCoreGenerated(invocation);

            case IParameterReferenceOperation { Parameter: var parameter }:
                return _facts.IsAlwaysPassedConstant(parameter) && !IsWrittenHere(parameter);

            default:
                return false;
        }
    }

    private bool IsWrittenHere(IParameterSymbol parameter)
    {
        foreach (var operation in _root.Descendants())
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };
            if (target is not null && Operations.Unwrap(target) is IParameterReferenceOperation written
                && SymbolEqualityComparer.Default.Equals(written.Parameter, parameter))
            {
                return true;
            }
        }

        return false;
    }

    protected override void VisitWrites(ILocalReferenceOperation reference, List<IOperation> writes, List<IOperation> offending, int depth)
    {
        if (writes.Count > 1)
        {
            FollowedSeveralWrites = true;
            if (_flowSensitive && Flow() is { } flow && flow.TryFilter(reference, writes, out var reaching))
            {
                writes = reaching;
            }
        }

        base.VisitWrites(reference, writes, offending, depth);
    }

    private SqlReachingWrites? Flow()
    {
        if (!_flowBuilt)
        {
            _flowBuilt = true;
            _flow = SqlReachingWrites.Create(_root, _graph);
        }

        return _flow;
    }

    // Only sb.ToString() reads the builder local; sb.Append(x).ToString() is a value taken as it is.
    protected override IOperation BuilderOf(IOperation toStringReceiver) => Operations.Unwrap(toStringReceiver);

    // Lists and arrays are builders too: string.Join(" AND ", conditions) joins what was added to them.
    protected override bool AddsText(string method) => base.AddsText(method) || method is "Add" or "AddRange" or "Push" or "Enqueue";

    /// <summary>string.Concat/Format/Join and string instance methods (Trim, ToUpper, Replace...) are as safe as their inputs.</summary>
    protected override void VisitStringCall(IInvocationOperation invocation, List<IOperation> offending, int depth)
    {
        if (invocation.Instance is not null)
        {
            Visit(invocation.Instance, offending, depth + 1);
        }

        foreach (var argument in invocation.Arguments)
        {
            // A format provider shapes numbers and dates; it is not text that reaches the SQL.
            if (argument.Parameter?.Type.Name != "IFormatProvider")
            {
                VisitArgumentValue(argument.Value, offending, depth);
            }
        }
    }

    protected override bool TryVisitCollection(IOperation value, ITypeSymbol? elementType, List<IOperation> offending, int depth)
    {
        // string.Concat(rows.Select(r => ...).ToArray()): the sequence is what is materialised.
        if (value is IInvocationOperation { TargetMethod: { Name: "ToArray" or "ToList" or "AsEnumerable", IsExtensionMethod: true } materialize } call
            && call.Arguments.Length == 1 && materialize.ContainingType?.Name == "Enumerable")
        {
            return TryVisitSelectReturns(Operations.Unwrap(call.Arguments[0].Value), offending, depth);
        }

        if (elementType is null)
        {
            return value.Type is IArrayTypeSymbol array && IsSafeType(array.ElementType);
        }

        // string.Join(" AND ", conditions) over a local list or array filled in this body.
        if (value is ILocalReferenceOperation collection)
        {
            VisitAccumulator(collection.Local, null, offending, depth);
            return true;
        }

        // string.Join(",", names.Select((_, i) => "@p" + i)).
        return TryVisitSelectReturns(value, offending, depth);
    }

    /// <summary>
    /// A StringBuilder, list or array starts with what its creation or initializer holds. One handed to another
    /// method may get additions we cannot see; those are not guessed at, but the visible ones still count.
    /// </summary>
    protected override void VisitBuilderStart(IOperation start, IOperation write, List<IOperation> offending, int depth)
    {
        switch (start)
        {
            case IObjectCreationOperation creation:
                foreach (var argument in creation.Arguments)
                {
                    VisitArgumentValue(argument.Value, offending, depth);
                }

                foreach (var added in creation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
                {
                    if (added is IInvocationOperation addCall)
                    {
                        VisitCallArguments(addCall, offending, depth);
                    }
                    else
                    {
                        offending.Add(added);
                    }
                }

                break;
            case IArrayCreationOperation array:
                VisitArgumentValue(array, offending, depth);
                break;
            default:
                offending.Add(write);
                break;
        }
    }
}
