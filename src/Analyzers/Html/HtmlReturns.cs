using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Html;

/// <summary>
/// What the methods and property getters of this compilation return, as far as HTML goes: a helper whose every
/// return is encoded, sanitized, constant, framework HTML or built only from such values (or from some of its
/// parameters) is safe to call (with safe arguments for those parameters). Looked at only for a call that would
/// otherwise be reported, and kept per method for the compilation.
/// </summary>
internal sealed class HtmlReturns
{
    /// <summary>How many helpers deep a call may go (the helper, the helpers it calls...).</summary>
    internal const int MaxHeight = 5;

    private readonly Compilation _compilation;
    private readonly HtmlSinks _sinks;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<IMethodSymbol, Summary>> _byEncoders = new(StringComparer.Ordinal);

    public HtmlReturns(Compilation compilation, HtmlSinks sinks)
    {
        _compilation = compilation;
        _sinks = sinks;
    }

    /// <summary>
    /// A helper's verdict: <see cref="Parameters"/> is null when its returns may carry markup, otherwise the ordinals of
    /// the parameters whose arguments decide. <see cref="Height"/> counts the helpers down the longest chain it relies on.
    /// </summary>
    internal readonly struct Summary
    {
        public Summary(ImmutableArray<int>? parameters, int height)
        {
            Parameters = parameters;
            Height = height;
        }

        public ImmutableArray<int>? Parameters { get; }

        public int Height { get; }

        public static Summary Unsafe => new(null, 0);
    }

    /// <summary>The state of one question asked from a sink: the helpers being looked into, for cycles.</summary>
    internal sealed class Query
    {
        public Query(string encodersKey, Func<IInvocationOperation, bool> isCustomEncoder, CancellationToken cancellationToken)
        {
            EncodersKey = encodersKey;
            IsCustomEncoder = isCustomEncoder;
            CancellationToken = cancellationToken;
        }

        public string EncodersKey { get; }

        public Func<IInvocationOperation, bool> IsCustomEncoder { get; }

        public CancellationToken CancellationToken { get; }

        public HashSet<IMethodSymbol> Active { get; } = new(SymbolEqualityComparer.Default);
    }

    /// <summary>
    /// The method or getter whose body may be looked into: declared once in this compilation with a body, and not
    /// overridable (what runs could be another body).
    /// </summary>
    public bool IsFollowable(IMethodSymbol method)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.PropertyGet)
            || method.IsAbstract || method.IsExtern || method.ContainingType is not { TypeKind: TypeKind.Class or TypeKind.Struct } type
            || ((method.IsVirtual || method.IsOverride) && !method.IsSealed && !type.IsSealed)
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly))
        {
            return false;
        }

        return (method.PartialImplementationPart ?? method).DeclaringSyntaxReferences.Length == 1;
    }

    /// <summary>
    /// The summary of <paramref name="method"/> (its original definition), computed on first need. An answer that depended
    /// on a cycle or on the depth limit is not kept, so every call gets the same answer whatever was asked before.
    /// </summary>
    public Summary Get(IMethodSymbol method, Query query, int height, out bool complete)
    {
        method = method.OriginalDefinition;
        var cache = _byEncoders.GetOrAdd(query.EncodersKey, _ => new ConcurrentDictionary<IMethodSymbol, Summary>(SymbolEqualityComparer.Default));
        if (cache.TryGetValue(method, out var known))
        {
            complete = true;
            return known;
        }

        if (height >= MaxHeight || !query.Active.Add(method))
        {
            complete = false;
            return Summary.Unsafe;
        }

        try
        {
            var summary = Compute(method, query, height, out complete);
            if (complete)
            {
                cache.TryAdd(method, summary);
            }

            return summary;
        }
        finally
        {
            query.Active.Remove(method);
        }
    }

    private Summary Compute(IMethodSymbol method, Query query, int height, out bool complete)
    {
        complete = true;
        var declaration = (method.PartialImplementationPart ?? method).DeclaringSyntaxReferences[0].GetSyntax(query.CancellationToken);
        if (method.IsAsync || !HasBody(declaration))
        {
            return Summary.Unsafe;
        }

        // RS1030's concern is a fresh semantic model per call; under the analyzer driver the compilation hands out the
        // one model per tree it keeps for every analyzer (CachingSemanticModelProvider), with the bodies it already
        // bound. This runs once per helper, and only for a call about to be reported.
        var model = _compilation.GetSemanticModel(declaration.SyntaxTree);
        if (model.GetOperation(declaration, query.CancellationToken) is not { } body)
        {
            return Summary.Unsafe;
        }

        // An iterator's values are what it yields, not what it returns.
        foreach (var operation in body.Descendants())
        {
            if (operation.Kind == OperationKind.YieldReturn)
            {
                return Summary.Unsafe;
            }
        }

        var safety = new HtmlValueSafety(body, _sinks, query.IsCustomEncoder, this, query, height + 1);
        var parameters = new SortedSet<int>();
        var passed = new List<IOperation>();
        foreach (var returned in Returns(body))
        {
            passed.AddRange(safety.CollectOffendingRefined(returned));
        }

        passed.AddRange(safety.PassedThrough);
        complete = !safety.Incomplete;
        foreach (var offending in passed)
        {
            // Only the helper's own parameters, never reassigned, can be left to its callers.
            if (offending is not IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter }
                || !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, method)
                || IsWritten(parameter, body))
            {
                return Summary.Unsafe;
            }

            parameters.Add(parameter.Ordinal);
        }

        return new Summary(ImmutableArray.CreateRange(parameters), safety.Height + 1);
    }

    /// <summary>A method or accessor written with a body or an arrow (not an auto-property, a record's or a partial declaration).</summary>
    private static bool HasBody(SyntaxNode declaration) => declaration switch
    {
        Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax method => method.Body is not null || method.ExpressionBody is not null,
        Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax accessor => accessor.Body is not null || accessor.ExpressionBody is not null,
        Microsoft.CodeAnalysis.CSharp.Syntax.ArrowExpressionClauseSyntax => true,
        _ => false,
    };

    /// <summary>The values this body returns, not those of the lambdas and local functions inside it.</summary>
    private static IEnumerable<IOperation> Returns(IOperation body)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            foreach (var child in pending.Pop().ChildOperations)
            {
                if (child is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                if (child is IReturnOperation { ReturnedValue: { } value } && child.Kind == OperationKind.Return)
                {
                    yield return value;
                }
                else
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static bool IsWritten(IParameterSymbol parameter, IOperation body)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                continue;
            }

            var parent = reference.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation or ITupleOperation)
            {
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IAssignmentOperation assignment when assignment.Target.Syntax.Span.Contains(reference.Syntax.Span):
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                case IIncrementOrDecrementOperation:
                    return true;
            }
        }

        return false;
    }
}
