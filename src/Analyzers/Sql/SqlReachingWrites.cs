using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace BackendRules.Sql;

/// <summary>
/// Which writes of a local can still be its value where it is read: reaching definitions over the body's control
/// flow graph, for one local at a time. Built only when a diagnostic is about to be reported, so that a value
/// overwritten before the SQL reaches its API is neither reported nor named.
/// </summary>
internal sealed class SqlReachingWrites
{
    // Writes are tracked in a 64-bit set; a local written more often than that is not filtered.
    private const int MaxWrites = 64;

    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<ILocalSymbol, LocalFlow?> _locals = new(SymbolEqualityComparer.Default);

    private SqlReachingWrites(ControlFlowGraph graph) => _graph = graph;

    /// <summary>The analysis of the body <paramref name="root"/> belongs to, or null when no graph can be built for it.</summary>
    public static SqlReachingWrites? Create(IOperation root, Func<ControlFlowGraph?>? provided)
    {
        if (root.Parent is not null || root.SemanticModel is null)
        {
            return null;
        }

        var graph = root switch
        {
            IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation or IFieldInitializerOperation
                or IPropertyInitializerOperation or IParameterInitializerOperation when provided is not null => provided(),
            IMethodBodyOperation body => ControlFlowGraph.Create(body),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor),
            IBlockOperation block => ControlFlowGraph.Create(block),
            IFieldInitializerOperation field => ControlFlowGraph.Create(field),
            IPropertyInitializerOperation property => ControlFlowGraph.Create(property),
            IParameterInitializerOperation parameter => ControlFlowGraph.Create(parameter),
            _ => null,
        };
        return graph is null ? null : new SqlReachingWrites(graph);
    }

    /// <summary>
    /// The writes (values as <see cref="Internal.ValueSafetyWalker"/> gathers them: initializers, assigned values,
    /// compound assignments) that can flow into <paramref name="reference"/>; false when that cannot be told (the
    /// read or a write sits in a lambda or local function, or the graph shapes it differently).
    /// </summary>
    public bool TryFilter(ILocalReferenceOperation reference, List<IOperation> writes, out List<IOperation> reaching)
    {
        reaching = writes;
        if (!_locals.TryGetValue(reference.Local, out var flow))
        {
            flow = LocalFlow.Build(_graph, reference.Local);
            _locals[reference.Local] = flow;
        }

        if (flow is null || !flow.TryGetReaching(new NodeKey(reference.Syntax), out var keys))
        {
            return false;
        }

        var result = new List<IOperation>(writes.Count);
        foreach (var write in writes)
        {
            if (KeyOf(write) is not { } key || !flow.Defines(key))
            {
                return false;
            }

            if (keys.Contains(key))
            {
                result.Add(write);
            }
        }

        reaching = result;
        return true;
    }

    /// <summary>The assignment or declarator that performs a write.</summary>
    private static NodeKey? KeyOf(IOperation write)
    {
        if (write is ICompoundAssignmentOperation)
        {
            return new NodeKey(write.Syntax);
        }

        return write.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => new NodeKey(declarator.Syntax),
            IAssignmentOperation assignment => new NodeKey(assignment.Syntax),
            _ => null,
        };
    }

    /// <summary>A node of the tree by position and kind: the graph's operations point at the same syntax.</summary>
    private readonly struct NodeKey : IEquatable<NodeKey>
    {
        public NodeKey(SyntaxNode node)
        {
            Span = node.Span;
            Kind = node.RawKind;
            IsUpdate = node is AssignmentExpressionSyntax assignment && !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression);
        }

        public TextSpan Span { get; }
        public int Kind { get; }

        /// <summary><c>x += y</c> or <c>x ??= y</c>: the old value stays part of the new one.</summary>
        public bool IsUpdate { get; }

        public bool Equals(NodeKey other) => Span == other.Span && Kind == other.Kind;

        public override bool Equals(object? obj) => obj is NodeKey other && Equals(other);

        public override int GetHashCode() => (Span.GetHashCode() * 397) ^ Kind;
    }

    /// <summary>Reads and writes of one local, block by block, and the writes that reach each block.</summary>
    private sealed class LocalFlow
    {
        private readonly ControlFlowGraph _graph;
        private readonly List<NodeKey> _defs = new();
        private readonly Dictionary<NodeKey, int> _defIndex = new();
        private readonly List<Event>[] _events;
        private readonly ulong[] _in;
        private readonly HashSet<CaptureId> _captures = new();

        private LocalFlow(ControlFlowGraph graph)
        {
            _graph = graph;
            _events = new List<Event>[graph.Blocks.Length];
            _in = new ulong[graph.Blocks.Length];
        }

        public static LocalFlow? Build(ControlFlowGraph graph, ILocalSymbol local)
        {
            var flow = new LocalFlow(graph);

            // The graph keeps evaluation order by capturing an assignment's target when its value branches
            // (x += c ? a : b): an assignment to such a capture writes the local.
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    if (operation is IFlowCaptureOperation { Value: ILocalReferenceOperation captured } capture && Is(captured, local))
                    {
                        flow._captures.Add(capture.Id);
                    }
                }
            }

            foreach (var block in graph.Blocks)
            {
                var events = new List<Event>();
                foreach (var operation in block.Operations)
                {
                    if (!flow.Collect(operation, local, events))
                    {
                        return null;
                    }
                }

                if (block.BranchValue is { } branch && !flow.Collect(branch, local, events))
                {
                    return null;
                }

                flow._events[block.Ordinal] = events;
            }

            flow.Solve();
            return flow;
        }

        public bool Defines(NodeKey key) => _defIndex.ContainsKey(key);

        /// <summary>Events in evaluation order: a write comes after the reads of the value it writes.</summary>
        private bool Collect(IOperation operation, ILocalSymbol local, List<Event> events)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment when Writes(assignment.Target, local):
                    return Collect(assignment.Value, local, events) && AddDef(new NodeKey(assignment.Syntax), events);
                case ICompoundAssignmentOperation compound when Writes(compound.Target, local):
                    // What reaches the old value is kept with the write (see TryGetReaching).
                    return Collect(compound.Value, local, events) && AddDef(new NodeKey(compound.Syntax), events);
                case ILocalReferenceOperation reference when Is(reference, local):
                    events.Add(new Event(new NodeKey(reference.Syntax), -1));
                    return true;
            }

            foreach (var child in operation.ChildOperations)
            {
                if (!Collect(child, local, events))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Is(ILocalReferenceOperation reference, ILocalSymbol local) => SymbolEqualityComparer.Default.Equals(reference.Local, local);

        private bool Writes(IOperation target, ILocalSymbol local) => target switch
        {
            ILocalReferenceOperation reference => Is(reference, local),
            IFlowCaptureReferenceOperation capture => _captures.Contains(capture.Id),
            _ => false,
        };

        private bool AddDef(NodeKey syntax, List<Event> events)
        {
            if (!_defIndex.TryGetValue(syntax, out var index))
            {
                if (_defs.Count == MaxWrites)
                {
                    return false;
                }

                index = _defs.Count;
                _defs.Add(syntax);
                _defIndex[syntax] = index;
            }

            events.Add(new Event(syntax, index));
            return true;
        }

        private ulong All => _defs.Count == MaxWrites ? ulong.MaxValue : (1UL << _defs.Count) - 1;

        private void Solve()
        {
            var blocks = _graph.Blocks;
            var outs = new ulong[blocks.Length];
            for (var i = 0; i < blocks.Length; i++)
            {
                outs[i] = Transfer(i, InFromPredecessors(blocks[i], outs));
            }

            var changed = true;
            while (changed)
            {
                changed = false;
                for (var i = 0; i < blocks.Length; i++)
                {
                    var input = InFromPredecessors(blocks[i], outs);
                    var output = Transfer(i, input);
                    _in[i] = input;
                    if (output != outs[i])
                    {
                        outs[i] = output;
                        changed = true;
                    }
                }
            }
        }

        private ulong InFromPredecessors(BasicBlock block, ulong[] outs)
        {
            if (block.Kind == BasicBlockKind.Entry)
            {
                return 0;
            }

            // Catch and finally handlers are entered by exceptions and unwinding, which the graph does not draw as
            // edges: any write may reach them.
            if (block.Predecessors.IsEmpty)
            {
                return All;
            }

            ulong input = 0;
            foreach (var predecessor in block.Predecessors)
            {
                input |= outs[predecessor.Source.Ordinal];
            }

            return input;
        }

        private ulong Transfer(int block, ulong input)
        {
            foreach (var e in _events[block])
            {
                if (e.Def >= 0)
                {
                    input = 1UL << e.Def;
                }
            }

            return input;
        }

        /// <summary>The writes that can be the local's value at the read <paramref name="read"/>, including what flows into each <c>+=</c> among them.</summary>
        public bool TryGetReaching(NodeKey read, out HashSet<NodeKey> keys)
        {
            keys = new HashSet<NodeKey>();
            ulong? atRead = null;
            var beforeDef = new ulong[_defs.Count];
            for (var i = 0; i < _events.Length; i++)
            {
                var state = _in[i];
                foreach (var e in _events[i])
                {
                    if (e.Def >= 0)
                    {
                        beforeDef[e.Def] |= state;
                        state = 1UL << e.Def;
                    }
                    else if (e.Syntax.Equals(read) && atRead is null)
                    {
                        atRead = state;
                    }
                }
            }

            if (atRead is not { } reaching)
            {
                return false;
            }

            // x += y keeps what reached it.
            var pending = reaching;
            while (pending != 0)
            {
                var next = 0UL;
                for (var d = 0; d < _defs.Count; d++)
                {
                    if ((pending & (1UL << d)) != 0 && _defs[d].IsUpdate)
                    {
                        next |= beforeDef[d] & ~reaching;
                    }
                }

                reaching |= next;
                pending = next;
            }

            for (var d = 0; d < _defs.Count; d++)
            {
                if ((reaching & (1UL << d)) != 0)
                {
                    keys.Add(_defs[d]);
                }
            }

            return true;
        }

        private readonly struct Event
        {
            public Event(NodeKey syntax, int def)
            {
                Syntax = syntax;
                Def = def;
            }

            public NodeKey Syntax { get; }

            /// <summary>The write's index, or -1 for a read.</summary>
            public int Def { get; }
        }
    }
}
