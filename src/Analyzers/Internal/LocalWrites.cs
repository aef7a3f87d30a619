using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Internal;

/// <summary>
/// What happens to each local of a body, gathered in one walk the first time any rule asks (the SQL rules trace SQL
/// text through locals, BR0005 traces the rows a handler returns): its initializer, the values assigned to it, the
/// calls made on it, and whether something else writes it. Each rule reads the facts it counts as a write.
/// </summary>
internal sealed class LocalWrites
{
    private static readonly ConditionalWeakTable<IOperation, LocalWrites> Bodies = new();

    private static readonly Local Untouched = new();

    private readonly Dictionary<ILocalSymbol, Local> _locals = new(SymbolEqualityComparer.Default);

    private LocalWrites(IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    Of(declarator.Symbol).Initializer = declarator.Initializer?.Value;
                    break;
                case IAssignmentOperation assignment:
                    if (assignment is ISimpleAssignmentOperation { Target: ILocalReferenceOperation simple })
                    {
                        Of(simple.Local).Assigned.Add(assignment.Value);
                    }

                    Written(assignment.Target, deconstructed: assignment is IDeconstructionAssignmentOperation);
                    break;
                case IIncrementOrDecrementOperation increment:
                    Written(increment.Target, deconstructed: false);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    Written(argument.Value, deconstructed: false);
                    break;
                case IInvocationOperation { Instance: ILocalReferenceOperation receiver } call:
                    Of(receiver.Local).Calls.Add(call);
                    break;
            }
        }
    }

    /// <summary>The facts of one local of the body <paramref name="anyOperationInBody"/> belongs to.</summary>
    public static Local For(ILocalSymbol local, IOperation anyOperationInBody)
        => Bodies.GetValue(Operations.Root(anyOperationInBody), root => new LocalWrites(root))._locals.TryGetValue(local, out var facts) ? facts : Untouched;

    private Local Of(ILocalSymbol local)
    {
        if (!_locals.TryGetValue(local, out var facts))
        {
            _locals[local] = facts = new Local();
        }

        return facts;
    }

    /// <summary>A write to <paramref name="target"/>: the local itself, or every local read inside a wider target (<c>items[i]</c>, a tuple).</summary>
    private void Written(IOperation target, bool deconstructed)
    {
        if (target is ILocalReferenceOperation reference)
        {
            Of(reference.Local).WrittenDirectly = true;
            return;
        }

        foreach (var descendant in target.Descendants())
        {
            if (descendant is ILocalReferenceOperation nested)
            {
                var facts = Of(nested.Local);
                facts.WrittenWithin = true;
                facts.Deconstructed |= deconstructed;
            }
        }
    }

    /// <summary>The facts of one local, in source order.</summary>
    public sealed class Local
    {
        /// <summary>The value its declaration gives it; null without one (or when it is not declared in the body).</summary>
        public IOperation? Initializer { get; internal set; }

        /// <summary>The values of the plain assignments to it (<c>query = query.Where(...)</c>).</summary>
        public List<IOperation> Assigned { get; } = new();

        /// <summary>The calls made on it (<c>list.Add(row)</c>).</summary>
        public List<IInvocationOperation> Calls { get; } = new();

        /// <summary>It is the target of an assignment (any kind), an increment or a ref/out argument.</summary>
        public bool WrittenDirectly { get; internal set; }

        /// <summary>It is read inside a wider target of one of those (<c>items[i] = x</c>, <c>(a, b) = pair</c>).</summary>
        public bool WrittenWithin { get; internal set; }

        /// <summary>It is one of the targets of a deconstruction.</summary>
        public bool Deconstructed { get; internal set; }
    }
}
