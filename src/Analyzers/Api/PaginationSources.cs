using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Api;

/// <summary>
/// Where the rows of a returned collection come from: a database query the code shows (an <c>IQueryable</c> such as an
/// EF Core <c>DbSet</c>, Dapper's <c>Query</c>, an ADO.NET reader loop), found in the handler or in a method of the
/// same compilation at most <see cref="MaxCalls"/> calls away. Lists built from code, DI, plugins, configuration or
/// in-memory state are no source. Create once per compilation; the sources of each followed method are cached.
/// </summary>
internal sealed class PaginationSources
{
    /// <summary>How many calls away from the handler a source is looked for (handler → service → repository).</summary>
    public const int MaxCalls = 2;

    // Locals, arguments and branches followed for one value: enough for real handlers, a guard against pathological code.
    private const int MaxSteps = 48;

    private static readonly Regex SqlKeyFilter = new(
        @"\bWHERE\b[^;]*?(?:=|\bIN\b)\s*\(?\s*[@:$?]",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        System.TimeSpan.FromMilliseconds(100));

    private readonly Compilation _compilation;
    private readonly PaginationSymbols _symbols;
    private readonly INamedTypeSymbol? _dataReader;
    private readonly INamedTypeSymbol? _dbDataReader;
    private readonly INamedTypeSymbol? _dapper;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Calls, UnpaginatedCollectionAnalyzer.Settings Settings), ImmutableArray<RowSource>> _methods = new(MethodKeyComparer.Instance);
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _accumulating = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _lookups = new(SymbolEqualityComparer.Default);
    private readonly Lazy<ImmutableArray<INamedTypeSymbol>> _sourceTypes;
    private readonly Lazy<Dictionary<INamedTypeSymbol, List<(INamedTypeSymbol Type, INamedTypeSymbol Interface)>>> _implementations;
    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _bodies = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, ITypeSymbol?> _queryRows = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _readers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _rowTypes = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _holders = new(SymbolEqualityComparer.Default);
    // The methods judgements wait for, with how far each was followed and under which settings.
    private readonly ConcurrentDictionary<IMethodSymbol, ConcurrentDictionary<(int Calls, UnpaginatedCollectionAnalyzer.Settings Settings), byte>> _waiting = new(SymbolEqualityComparer.Default);
    private int _anyWaiting;

    public PaginationSources(Compilation compilation, PaginationSymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
        _dataReader = WellKnownTypes.Of(compilation).Get("System.Data.IDataReader");
        _dbDataReader = WellKnownTypes.Of(compilation).Get("System.Data.Common.DbDataReader");
        _dapper = WellKnownTypes.Of(compilation).Get("Dapper.SqlMapper");
        _sourceTypes = new Lazy<ImmutableArray<INamedTypeSymbol>>(CollectSourceTypes, LazyThreadSafetyMode.ExecutionAndPublication);
        _implementations = new Lazy<Dictionary<INamedTypeSymbol, List<(INamedTypeSymbol, INamedTypeSymbol)>>>(CollectImplementations, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// The unbounded database reads behind <paramref name="value"/> (a collection the handler returns), as the handler
    /// sees them: <see cref="RowSource.Filtered"/> is set when the handler or a followed method keeps only the rows
    /// of given keys. Empty when no database source is visible, or the value is bounded on the way.
    /// </summary>
    public ImmutableArray<RowSource> Find(IOperation value, UnpaginatedCollectionAnalyzer.Settings settings, Following following, CancellationToken cancellationToken)
    {
        var walk = new Walk(settings, following, cancellationToken);
        Find(value, calls: 0, filtered: false, walk);
        return walk.Found.ToImmutable();
    }

    /// <summary>The sources filling the yield returns of an iterator body.</summary>
    public ImmutableArray<RowSource> FindYielded(IOperation body, UnpaginatedCollectionAnalyzer.Settings settings, Following following, CancellationToken cancellationToken)
    {
        var walk = new Walk(settings, following, cancellationToken);
        FindYielded(body, calls: 0, filtered: false, walk);
        return walk.Found.ToImmutable();
    }

    // ---- Bodies the compiler hands out ----------------------------------------------------------------------

    /// <summary>Whether a judgement waits for the body of a method the compiler has not analyzed yet (read on every method body).</summary>
    public bool AnyWaiting => Volatile.Read(ref _anyWaiting) != 0;

    /// <summary>
    /// Remembers the methods a judgement could not read without binding them (see <see cref="Following"/>): their bodies
    /// are taken when the compiler hands them to the analyzer.
    /// </summary>
    public void Wait(Following following)
    {
        foreach (var (method, calls, settings) in following.Missing)
        {
            _waiting.GetOrAdd(method, _ => new()).TryAdd((calls, settings), 0);
            Volatile.Write(ref _anyWaiting, 1);
        }
    }

    /// <summary>
    /// A method body the compiler has just analyzed. When a judgement waits for it, it is kept (the compiler's own,
    /// already bound) and read at once, so that the methods it calls in turn are waited for too.
    /// </summary>
    public void Visit(IMethodSymbol method, IOperation body, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (!_waiting.TryGetValue(method, out var followed) || !_bodies.TryAdd(method, body))
        {
            return;
        }

        foreach (var (calls, settings) in followed.Keys)
        {
            var following = Following.WithoutBinding();
            MethodSources(method, calls, new Walk(settings, following, cancellationToken));
            Wait(following);
        }
    }

    /// <summary>
    /// Whether rows from this source make a response that grows without bound. A lookup table (a key and one label),
    /// a type listed in <c>small_types</c>, or the rows of given keys (a parent's children) of a type that records no
    /// time are small by nature: configuration rows do not accumulate the way events, orders and payments do.
    /// </summary>
    public bool IsUnbounded(RowSource source, ITypeSymbol responseElement, UnpaginatedCollectionAnalyzer.Settings settings)
    {
        if (settings.IsSmallType(responseElement) || (source.Row is { } listed && settings.IsSmallType(listed)))
        {
            return false;
        }

        if (source.Row is not { } row || row.TypeKind == TypeKind.TypeParameter)
        {
            return !source.Filtered;
        }

        if (IsLookupRow(row) || IsRole(row) || IsRole(responseElement))
        {
            return false;
        }

        return !source.Filtered || Accumulates(row);
    }

    /// <summary>
    /// The body of a method declared in this compilation, bound through the compilation's semantic model of its file
    /// (shared with the compiler's own when the driver caches models). Null for methods without source.
    /// </summary>
    public IOperation? Body(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (_bodies.TryGetValue(method, out var cached))
        {
            return cached;
        }

        var body = BindBody(method, cancellationToken);
        return _bodies.GetOrAdd(method, body);
    }

    private IOperation? BindBody(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree))
            {
                continue;
            }

            var declaration = reference.GetSyntax(cancellationToken);
            if (declaration is not (BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null }
                or LocalFunctionStatementSyntax or AccessorDeclarationSyntax { Body: not null } or AccessorDeclarationSyntax { ExpressionBody: not null }
                or ArrowExpressionClauseSyntax))
            {
                continue;
            }

            // One model per file: the methods followed into it share its bound members.
#pragma warning disable RS1030 // Only for the few handlers about to be reported: the body of a method they call, in another file.
            var model = _models.GetOrAdd(reference.SyntaxTree, tree => _compilation.GetSemanticModel(tree));
#pragma warning restore RS1030
            var operation = model.GetOperation(declaration, cancellationToken);
            return operation switch
            {
                ILocalFunctionOperation local => (IOperation?)local.Body ?? local.IgnoredBody,
                _ => operation,
            };
        }

        return null;
    }

    // ---- Following values ------------------------------------------------------------------------------------

    private sealed class Walk
    {
        public Walk(UnpaginatedCollectionAnalyzer.Settings settings, Following following, CancellationToken cancellationToken)
        {
            Settings = settings;
            Following = following;
            CancellationToken = cancellationToken;
        }

        public UnpaginatedCollectionAnalyzer.Settings Settings { get; }
        public Following Following { get; }

        /// <summary>A method on the way could not be read (its body is not at hand and may not be bound): the sources are not all known.</summary>
        public bool Incomplete { get; set; }
        public CancellationToken CancellationToken { get; }
        public ImmutableArray<RowSource>.Builder Found { get; } = ImmutableArray.CreateBuilder<RowSource>();
        public int Steps { get; set; }
        public HashSet<ILocalSymbol> Locals { get; } = new(SymbolEqualityComparer.Default);
    }

    private void Find(IOperation value, int calls, bool filtered, Walk walk)
    {
        if (++walk.Steps > MaxSteps)
        {
            return;
        }

        walk.CancellationToken.ThrowIfCancellationRequested();
        value = PaginationQueries.StripAwait(value);

        // A call that does not bind (a package missing, code being typed) is read through: the query it was given
        // carries the rows and the filters. The compiler's guesses at the types of the calls after it (an open
        // TEntity) are no rows.
        if (value is IInvalidOperation invalid)
        {
            if (UnboundReceiver(invalid) is { } given)
            {
                Find(given, calls, filtered, walk);
            }

            return;
        }

        switch (value)
        {
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                Find(conditional.WhenTrue, calls, filtered, walk);
                Find(whenFalse, calls, filtered, walk);
                return;
            case ICoalesceOperation coalesce:
                Find(coalesce.Value, calls, filtered, walk);
                Find(coalesce.WhenNull, calls, filtered, walk);
                return;
            case ISwitchExpressionOperation @switch:
                foreach (var arm in @switch.Arms)
                {
                    Find(arm.Value, calls, filtered, walk);
                }

                return;
        }

        if (PaginationQueries.IsBounded(value, _symbols, walk.Settings.MaxPageSize))
        {
            return;
        }

        var chain = PaginationQueries.Chain(value, _symbols, out var source);
        filtered |= chain.Any(IsKeyFilter);
        source = PaginationQueries.StripAwait(source);
        if (source is IInvalidOperation invalidSource)
        {
            if (UnboundReceiver(invalidSource) is { } given)
            {
                Find(given, calls, filtered, walk);
            }

            return;
        }

        switch (source)
        {
            case ILocalReferenceOperation local:
                FindLocal(local, calls, filtered, walk);
                return;
            case IInvocationOperation invocation:
                FindInvocation(invocation, calls, filtered, walk);
                return;
            case IObjectCreationOperation creation:
                // new List<T>(rows), new HashSet<T>(rows)
                foreach (var argument in creation.Arguments)
                {
                    if (Operations.Unwrap(argument.Value) is var given && IsCollection(given.Type))
                    {
                        Find(given, calls, filtered, walk);
                    }
                }

                return;
            case IParameterReferenceOperation:
                return;
            default:
                // db.Products, ctx.Set<Product>() reached through a property or field: a query over a table.
                if (QueryRow(source.Type) is { } row)
                {
                    walk.Found.Add(new RowSource(row, filtered));
                }

                return;
        }
    }

    /// <summary>
    /// The query an unbound call was made on: its first operand that is a query over rows, looked for through the
    /// unbound calls it was chained on (<c>rows.Missing().ToList()</c> leaves two).
    /// </summary>
    private IOperation? UnboundReceiver(IInvalidOperation invalid, int depth = 0)
    {
        foreach (var child in invalid.ChildOperations)
        {
            var operand = PaginationQueries.StripAwait(Operations.Unwrap(child));
            if (operand is IInvalidOperation inner)
            {
                if (depth < 8 && UnboundReceiver(inner, depth + 1) is { } found)
                {
                    return found;
                }
            }
            else if (operand is IInvocationOperation or IPropertyReferenceOperation or IFieldReferenceOperation or ILocalReferenceOperation
                && QueryRow(operand.Type) is { } row && row.TypeKind != TypeKind.Error)
            {
                return operand;
            }
        }

        return null;
    }

    private void FindInvocation(IInvocationOperation invocation, int calls, bool filtered, Walk walk)
    {
        if (HasBoundArgument(invocation, walk.Settings))
        {
            return;
        }

        var row = QueryRow(invocation.Type);
        if (row is null && IsDapperQuery(invocation))
        {
            var sql = SqlText(invocation);
            walk.Found.Add(new RowSource(_symbols.ElementType(invocation.Type), filtered || (sql is not null && HasSqlKeyFilter(sql))));
            return;
        }

        // A conversion of a collection (mapper.Map<List<Dto>>(rows), ToDtos(rows), rows.ToImmutableArray()): the rows
        // it is given are looked at first, so a mapping helper of this compilation need not be read.
        if (row is null && IsCollection(invocation.Type))
        {
            var before = walk.Found.Count;
            if (invocation.Instance is { } instance && IsCollection(instance.Type))
            {
                Find(instance, calls, filtered, walk);
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.DefaultValue && Operations.Unwrap(argument.Value) is var given && IsCollection(given.Type))
                {
                    Find(given, calls, filtered, walk);
                }
            }

            if (walk.Found.Count > before)
            {
                return;
            }
        }

        // A method of this compilation is followed (a repository's query tells more than its IQueryable type); a
        // predicate handed to it (ReadLabels(o => o.WalletId == id)) filters what it reads.
        if (calls < MaxCalls && Followable(invocation) is { } callee && MayReadRows(callee))
        {
            filtered |= invocation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.DefaultValue && IsKeyPredicate(a.Value));
            var found = MethodSources(callee, calls + 1, walk);
            if (!found.IsEmpty)
            {
                foreach (var source in found)
                {
                    walk.Found.Add(filtered ? source.WithFiltered() : source);
                }

                return;
            }
        }

        if (row is not null)
        {
            walk.Found.Add(new RowSource(row, filtered));
        }
    }

    /// <summary>
    /// A local: every value assigned to it (its initializer and later assignments; <c>query = query.Where(...)</c>
    /// adds a filter), every <c>Add</c>/<c>AddRange</c> into it, and the loops those run in.
    /// </summary>
    private void FindLocal(ILocalReferenceOperation reference, int calls, bool filtered, Walk walk)
    {
        var local = reference.Local;
        if (!walk.Locals.Add(local))
        {
            return;
        }

        var root = Operations.Root(reference);
        var written = LocalWrites.For(local, root);
        var values = new List<IOperation>(written.Assigned.Count + 1);
        if (written.Initializer is { } initializer)
        {
            values.Add(initializer);
        }

        values.AddRange(written.Assigned);
        foreach (var value in values)
        {
            // query = query.Where(p => p.StoreId == storeId): the filter applies to what the local already holds.
            var chain = PaginationQueries.Chain(value, _symbols, out var source);
            if (PaginationQueries.StripAwait(source) is ILocalReferenceOperation self && SymbolEqualityComparer.Default.Equals(self.Local, local))
            {
                filtered |= chain.Any(IsKeyFilter);
            }
        }

        foreach (var value in values)
        {
            var chain = PaginationQueries.Chain(value, _symbols, out var source);
            if (PaginationQueries.StripAwait(source) is ILocalReferenceOperation self && SymbolEqualityComparer.Default.Equals(self.Local, local))
            {
                continue;
            }

            Find(value, calls, filtered, walk);
        }

        foreach (var call in written.Calls)
        {
            if (call.TargetMethod.Name is not ("Add" or "AddRange" or "Enqueue" or "Push" or "Insert" or "InsertRange" or "TryAdd"))
            {
                continue;
            }

            if (call.TargetMethod.Name is "AddRange" or "InsertRange")
            {
                foreach (var argument in call.Arguments)
                {
                    if (IsCollection(argument.Value.Type))
                    {
                        Find(argument.Value, calls, filtered, walk);
                    }
                }

                continue;
            }

            FindLoop(call, root, calls, filtered, _symbols.ElementType(local.Type), walk);
        }
    }

    private void FindYielded(IOperation body, int calls, bool filtered, Walk walk)
    {
        foreach (var operation in PaginationQueries.Returns(body))
        {
            if (operation is { Kind: OperationKind.YieldReturn } yield)
            {
                FindLoop(yield, body, calls, filtered, yield.ReturnedValue?.Type, walk);
            }
        }
    }

    /// <summary>The loop a row is added or yielded in: a foreach over a source, or a data reader's Read loop.</summary>
    private void FindLoop(IOperation fill, IOperation root, int calls, bool filtered, ITypeSymbol? row, Walk walk)
    {
        for (var current = fill.Parent; current is not null && current != root; current = current.Parent)
        {
            switch (current)
            {
                case IForEachLoopOperation loop:
                    Find(loop.Collection, calls, filtered, walk);
                    return;
                case IWhileLoopOperation { Condition: { } condition } when ReadsDataReader(condition):
                    walk.Found.Add(new RowSource(row, filtered || HasSqlKeyFilterText(root)));
                    return;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return;
            }
        }
    }

    private bool ReadsDataReader(IOperation condition)
        => condition.DescendantsAndSelf().OfType<IInvocationOperation>().Any(call =>
            call.TargetMethod.Name is "Read" or "ReadAsync"
            && call.Instance?.Type is { } reader
            && (WellKnownTypes.IsOrDerivesFrom(reader, _dbDataReader) || WellKnownTypes.Implements(reader, _dataReader) || SymbolEqualityComparer.Default.Equals(reader, _dataReader)));

    // ---- Following calls ------------------------------------------------------------------------------------

    /// <summary>
    /// The sources of what a method returns, followed <paramref name="calls"/> calls away from the handler; cached once
    /// complete. A walk that may not bind (see <see cref="Following"/>) reads only bodies at hand and lists the others.
    /// </summary>
    private ImmutableArray<RowSource> MethodSources(IMethodSymbol method, int calls, Walk caller)
    {
        var key = (method, calls, caller.Settings);
        if (_methods.TryGetValue(key, out var known))
        {
            return known;
        }

        IOperation? body;
        if (caller.Following.MayBind)
        {
            body = Body(method, caller.CancellationToken);
        }
        else if (!_bodies.TryGetValue(method.OriginalDefinition, out body))
        {
            caller.Following.Add(method.OriginalDefinition, calls, caller.Settings);
            caller.Incomplete = true;
            return ImmutableArray<RowSource>.Empty;
        }

        if (body is null)
        {
            return _methods.GetOrAdd(key, ImmutableArray<RowSource>.Empty);
        }

        var walk = new Walk(caller.Settings, caller.Following, caller.CancellationToken);
        var returnedValues = PaginationQueries.ReturnedValues(body, _symbols, out var iterator);
        foreach (var returned in returnedValues)
        {
            Find(returned.Value, calls, filtered: false, walk);
        }

        if (iterator)
        {
            FindYielded(body, calls, filtered: false, walk);
        }

        var found = walk.Found.ToImmutable();
        if (walk.Incomplete)
        {
            caller.Incomplete = true;
            return found;
        }

        return _methods.GetOrAdd(key, found);
    }

    /// <summary>
    /// The method a call runs when the code shows which: a non-virtual method (or one of a sealed type), a local
    /// function, or an interface method whose only implementation in this compilation is one concrete class.
    /// </summary>
    private IMethodSymbol? Followable(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        method = method.OriginalDefinition;
        if (method.ContainingType is not { } type)
        {
            return null;
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            var receiver = invocation.Instance?.Type as INamedTypeSymbol ?? type;
            return receiver.TypeKind == TypeKind.Interface ? SingleImplementation(receiver, method) : null;
        }

        if (method.IsAbstract || method.IsExtern)
        {
            return null;
        }

        // A virtual method runs an override unknown here, unless the call is base.M() or the receiver's type is sealed.
        if ((method.IsVirtual || method.IsOverride) && !method.IsSealed && !type.IsSealed
            && invocation.Instance is not IInstanceReferenceOperation { Syntax: BaseExpressionSyntax }
            && invocation.Instance?.Type is not { IsSealed: true })
        {
            return null;
        }

        return IsInCompilation(method) ? method : null;
    }

    // ---- What a followed method can read with -------------------------------------------------------------

    // Words a method's text holds when it opens its own reader: a context or a connection it creates or resolves
    // (new ShopContext(), GetRequiredService<ShopContext>(), new SqlConnection(...)), a query, SQL, a DbSet.
    private static readonly string[] DataWords = { "Context", "Connection", "Query", "Sql", "Set<", "Db" };

    private const int MaxHolderDepth = 3;

    /// <summary>
    /// Whether a method of this compilation has anything to read rows with, told without binding its body: it returns
    /// a query, takes one (or a context, a connection), its type holds one (a field, a property or a primary
    /// constructor parameter: a context, a connection, a factory of either, a repository of this compilation that
    /// holds one), or its text creates or resolves one. A mapping helper, an entity's own method or a service of
    /// in-memory state has none: following it (binding a body in another file) would find no source.
    /// </summary>
    private bool MayReadRows(IMethodSymbol method)
    {
        if (_readers.TryGetValue(method, out var known))
        {
            return known;
        }

        // The method's own text is read first (a repository's query names its context or connection): it costs a
        // search of a few lines, where judging a type may walk the members of every entity it returns. What a type can
        // do is judged once per type: a repository's every method asks about the same holder.
        var reads = method.DeclaringSyntaxReferences.Any(r => TextSearch.ContainsAny(r.SyntaxTree.GetText(), r.Span, DataWords))
            || TypeReadsRows(method.ReturnType)
            || method.Parameters.Any(p => TypeReadsRows(p.Type))
            || (method.ContainingType is { } type && TypeHoldsReader(type));
        _readers.TryAdd(method, reads);
        return reads;
    }

    private bool TypeReadsRows(ITypeSymbol type)
    {
        if (_rowTypes.TryGetValue(type, out var known))
        {
            return known;
        }

        var reads = CanReadRows(type, 0, new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default));
        _rowTypes.TryAdd(type, reads);
        return reads;
    }

    private bool TypeHoldsReader(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        if (_holders.TryGetValue(definition, out var known))
        {
            return known;
        }

        var holds = ComputeHoldsReader(definition, 0, new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default) { definition });
        _holders.TryAdd(definition, holds);
        return holds;
    }

    /// <summary>Whether values of this type read rows: a query, a context, a connection or reader, or something that yields one.</summary>
    private bool CanReadRows(ITypeSymbol? type, int depth, HashSet<INamedTypeSymbol> seen)
    {
        switch (type)
        {
            case null:
                return false;
            case { TypeKind: TypeKind.Error }:
                return true;
            case IArrayTypeSymbol:
            case { SpecialType: not SpecialType.None }:
            case { TypeKind: TypeKind.Enum or TypeKind.TypeParameter or TypeKind.Delegate }:
                return false;
        }

        if (QueryRow(type) is not null)
        {
            return true;
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (current.Name is "DbContext" or "ObjectContext" or "DbConnection" or "DbDataSource" or "DbDataReader" or "DbCommand")
            {
                return true;
            }
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (implemented.Name is "IDbConnection" or "IDataReader" or "IDbCommand" or "IServiceProvider")
            {
                return true;
            }
        }

        if (type.Name is "IDbConnection" or "IServiceProvider" or "IServiceScopeFactory" or "IDbContextFactory")
        {
            return true;
        }

        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        // Task<T>, Lazy<T>, Func<T>, IDbContextFactory<TContext>, IEnumerable<IRepository>: what it yields.
        foreach (var argument in named.TypeArguments)
        {
            if (!SymbolEqualityComparer.Default.Equals(argument, type) && CanReadRows(argument, depth, seen))
            {
                return true;
            }
        }

        // A type of this compilation (a repository, a factory, a unit of work): what it holds or hands out.
        return depth < MaxHolderDepth
            && SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, _compilation.Assembly)
            && HoldsReader(named, depth + 1, seen);
    }

    /// <summary>
    /// Whether a type of this compilation holds or hands out something that reads rows: its fields, properties and
    /// primary constructor parameters, what its methods return, or for an interface, any implementation here.
    /// </summary>
    private bool HoldsReader(INamedTypeSymbol type, int depth, HashSet<INamedTypeSymbol> seen)
        => seen.Add(type.OriginalDefinition) && ComputeHoldsReader(type.OriginalDefinition, depth, seen);

    private bool ComputeHoldsReader(INamedTypeSymbol type, int depth, HashSet<INamedTypeSymbol> seen)
    {
        if (type.TypeKind == TypeKind.Interface)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && CanReadRows(method.ReturnType, depth, seen))
                {
                    return true;
                }
            }

            if (_implementations.Value.TryGetValue(type, out var implementations))
            {
                foreach (var (implementation, _) in implementations)
                {
                    if (depth < MaxHolderDepth && HoldsReader(implementation, depth + 1, seen))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (!SymbolEqualityComparer.Default.Equals(current.ContainingAssembly, _compilation.Assembly))
            {
                // A base class from a package (a DbContext, a repository base of a framework): what it is says enough.
                return CanReadRows(current, MaxHolderDepth, seen);
            }

            foreach (var member in current.GetMembers())
            {
                var held = member switch
                {
                    IFieldSymbol field => field.Type,
                    IPropertySymbol property => property.Type,
                    _ => null,
                };

                var holds = member switch
                {
                    _ when held is not null => !SymbolEqualityComparer.Default.Equals(held, current) && CanReadRows(held, depth, seen),

                    // A factory's method hands out a context or a connection (what else it returns is not followed here).
                    IMethodSymbol { MethodKind: MethodKind.Ordinary, ReturnsVoid: false } method => CanReadRows(method.ReturnType, MaxHolderDepth, seen),
                    IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => IsPrimaryConstructor(constructor) && constructor.Parameters.Any(p => CanReadRows(p.Type, depth, seen)),
                    _ => false,
                };

                if (holds)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A constructor declared by the type's own parameter list (<c>class Repo(ShopContext db)</c>): its parameters are captured, not fields.</summary>
    private static bool IsPrimaryConstructor(IMethodSymbol constructor)
        => constructor.DeclaringSyntaxReferences.Length == 1
           && constructor.DeclaringSyntaxReferences[0].GetSyntax() is TypeDeclarationSyntax;

    private bool IsInCompilation(IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly) && !method.DeclaringSyntaxReferences.IsEmpty;

    private IMethodSymbol? SingleImplementation(INamedTypeSymbol receiver, IMethodSymbol method)
    {
        if (!_implementations.Value.TryGetValue(receiver.OriginalDefinition, out var candidates))
        {
            return null;
        }

        INamedTypeSymbol? implementation = null;
        foreach (var (type, declared) in candidates)
        {
            // IRepository<Order> is implemented by OrderRepository : IRepository<Order> or by a generic Repository<T>.
            if (SymbolEqualityComparer.Default.Equals(declared, receiver) || receiver.IsDefinition || declared.TypeArguments.Any(t => t.TypeKind == TypeKind.TypeParameter))
            {
                if (implementation is not null)
                {
                    return null;
                }

                implementation = type;
            }
        }

        if (implementation is null)
        {
            return null;
        }

        // The interface as the implementation sees it (IRepository<T> of Repository<T>), then its member's implementation.
        var constructed = implementation.AllInterfaces.FirstOrDefault(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, method.ContainingType.OriginalDefinition));
        var member = constructed?.GetMembers(method.Name).OfType<IMethodSymbol>().FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method.OriginalDefinition));
        return member is not null && implementation.FindImplementationForInterfaceMember(member) is IMethodSymbol implemented && IsInCompilation(implemented.OriginalDefinition)
            ? implemented.OriginalDefinition
            : null;
    }

    /// <summary>Whether a method of an abstract controller is overridden by a class of this compilation (then the override is the action).</summary>
    public bool IsOverridden(IMethodSymbol method)
    {
        foreach (var type in _sourceTypes.Value)
        {
            if (!WellKnownTypes.IsOrDerivesFrom(type.BaseType, method.ContainingType))
            {
                continue;
            }

            foreach (var member in type.GetMembers(method.Name))
            {
                for (var overridden = (member as IMethodSymbol)?.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method.OriginalDefinition))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The concrete classes of this compilation by the interfaces (definitions) they implement.</summary>
    private Dictionary<INamedTypeSymbol, List<(INamedTypeSymbol, INamedTypeSymbol)>> CollectImplementations()
    {

        var map = new Dictionary<INamedTypeSymbol, List<(INamedTypeSymbol, INamedTypeSymbol)>>(SymbolEqualityComparer.Default);
        foreach (var type in _sourceTypes.Value)
        {
            if (type.IsAbstract || type.TypeKind != TypeKind.Class)
            {
                continue;
            }

            foreach (var implemented in type.AllInterfaces)
            {
                if (!map.TryGetValue(implemented.OriginalDefinition, out var list))
                {
                    map[implemented.OriginalDefinition] = list = new List<(INamedTypeSymbol, INamedTypeSymbol)>();
                }

                list.Add((type, implemented));
            }
        }

        return map;
    }

    private ImmutableArray<INamedTypeSymbol> CollectSourceTypes()
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var namespaces = new Stack<INamespaceSymbol>();
        namespaces.Push(_compilation.Assembly.GlobalNamespace);
        while (namespaces.Count > 0)
        {
            var ns = namespaces.Pop();
            foreach (var member in ns.GetMembers())
            {
                if (member is INamespaceSymbol child)
                {
                    namespaces.Push(child);
                }
                else if (member is INamedTypeSymbol type)
                {
                    AddType(type);
                }
            }
        }

        return builder.ToImmutable();

        void AddType(INamedTypeSymbol type)
        {
            builder.Add(type);
            foreach (var nested in type.GetTypeMembers())
            {
                AddType(nested);
            }
        }
    }

    // ---- Facts --------------------------------------------------------------------------------------------

    /// <summary>The row type of a query: T of an IQueryable&lt;T&gt; (a DbSet, a query over one).</summary>
    private ITypeSymbol? QueryRow(ITypeSymbol? type)
        => type is null || type.TypeKind == TypeKind.Error ? null : _queryRows.TryGetValue(type, out var known) ? known : _queryRows.GetOrAdd(type, t => PaginationSymbols.GenericArgument(t, _symbols.QueryableOfT));

    /// <summary>A collection, or a Task/ValueTask of one (<c>new ValueTask&lt;List&lt;T&gt;&gt;(query.ToListAsync())</c>, <c>Task.FromResult(rows)</c>).</summary>
    public bool IsCollection(ITypeSymbol? type)
        => _symbols.ElementType(type) is not null
           || (type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1, ContainingNamespace.Name: "Tasks" } task && _symbols.ElementType(task.TypeArguments[0]) is not null);

    private bool IsDapperQuery(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        return _dapper is not null
            && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, _dapper)
            && method.Name.StartsWith("Query", System.StringComparison.Ordinal)
            && !method.Name.StartsWith("QueryFirst", System.StringComparison.Ordinal)
            && !method.Name.StartsWith("QuerySingle", System.StringComparison.Ordinal)
            && !method.Name.StartsWith("QueryMultiple", System.StringComparison.Ordinal);
    }

    private static string? SqlText(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.Type?.SpecialType == SpecialType.System_String && Operations.IsConstant(argument.Value) && argument.Value.ConstantValue.Value is string sql)
            {
                return sql;
            }
        }

        return null;
    }

    /// <summary>
    /// SQL text written in the method that runs a data reader compares a column with a parameter
    /// (<c>WHERE "WalletId" = @walletId</c>, also in a fragment added to the text): the rows of given keys.
    /// </summary>
    private static bool HasSqlKeyFilterText(IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            var text = operation switch
            {
                ILiteralOperation { ConstantValue: { HasValue: true, Value: string literal } } => literal,
                IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string part } } => part,
                _ => null,
            };

            if (text is not null && text.IndexOf('=') >= 0 && HasSqlParameterComparison(text))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly Regex SqlParameterComparison = new(
        @"[\w""\]`]\s*(?:=|\bIN\b)\s*\(?\s*[@:$]\w",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        System.TimeSpan.FromMilliseconds(100));

    private static bool HasSqlParameterComparison(string text)
    {
        try
        {
            return SqlParameterComparison.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool HasSqlKeyFilter(string sql)
    {
        try
        {
            return SqlKeyFilter.IsMatch(sql);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// A bound handed to the method producing the rows: an argument given for a parameter named like page input
    /// (<c>GetLatest(take: 20)</c>, <c>GetHistory(user, 5)</c> with a <c>limit</c> parameter): a constant at most the
    /// max page size, or a value someone computed. <c>null</c> is no bound.
    /// </summary>
    private static bool HasBoundArgument(IInvocationOperation invocation, UnpaginatedCollectionAnalyzer.Settings settings)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter || !settings.PageNames.Contains(parameter.Name, parameter.Type))
            {
                continue;
            }

            var value = Operations.Unwrap(argument.Value);
            if (!value.ConstantValue.HasValue)
            {
                return true;
            }

            // A constant count within the max page size; null, a larger count or a constant cursor bound nothing.
            if (value.ConstantValue.Value is int or long or short or uint or ulong or ushort or byte or sbyte
                && System.Convert.ToDecimal(value.ConstantValue.Value, System.Globalization.CultureInfo.InvariantCulture) is var n && n > 0 && n <= settings.MaxPageSize)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>Where(r =&gt; r.StoreId == storeId)</c>, <c>Where(r =&gt; ids.Contains(r.OwnerId))</c>: the rows of given keys, a
    /// key of the row compared for equality with a value from outside the predicate that is not a constant.
    /// </summary>
    private static bool IsKeyFilter(IInvocationOperation link)
        => link.TargetMethod.Name == "Where" && PaginationQueries.Argument(link, 1) is { } predicate && IsKeyPredicate(predicate);

    /// <summary>A row predicate (a lambda, possibly converted to an expression tree) that keeps the rows of given keys.</summary>
    private static bool IsKeyPredicate(IOperation argument)
    {
        var predicate = argument.DescendantsAndSelf().OfType<IAnonymousFunctionOperation>().FirstOrDefault();
        if (predicate is null || predicate.Symbol.Parameters.Length != 1)
        {
            return false;
        }

        var row = predicate.Symbol.Parameters[0];
        foreach (var operation in predicate.Body.Descendants())
        {
            switch (operation)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals:
                    if ((ReadsRow(equals.LeftOperand, row) && IsOutsideValue(equals.RightOperand, row))
                        || (ReadsRow(equals.RightOperand, row) && IsOutsideValue(equals.LeftOperand, row)))
                    {
                        return true;
                    }

                    break;
                case IInvocationOperation { TargetMethod.Name: "Contains" } contains:
                    var operands = contains.Arguments.Select(a => a.Value).ToList();
                    if (contains.Instance is { } instance)
                    {
                        operands.Insert(0, instance);
                    }

                    if (operands.Count == 2 && IsOutsideValue(operands[0], row) && ReadsRow(operands[1], row) && operands[0].Type?.SpecialType != SpecialType.System_String)
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>A key of the row or of an entity it refers to (<c>r.StoreId</c>, <c>r.Store.OwnerId</c>): a member named <c>…Id</c> or <c>…Guid</c>, or marked [Key]/[ForeignKey].</summary>
    private static bool ReadsRow(IOperation operand, IParameterSymbol row)
    {
        var outermost = Operations.Unwrap(operand);
        if (outermost is not IMemberReferenceOperation { Member: var member } || !IsKeyMember(member))
        {
            return false;
        }

        return RootParameter(outermost) is { } parameter
            && (SymbolEqualityComparer.Default.Equals(parameter.Parameter, row) || IsChildOfRow(parameter, row));
    }

    /// <summary>The parameter a chain of member reads starts from (<c>r</c> in <c>r.Store.OwnerId</c>); null for anything else.</summary>
    private static IParameterReferenceOperation? RootParameter(IOperation operand)
    {
        var current = Operations.Unwrap(operand);
        while (true)
        {
            switch (current)
            {
                case IPropertyReferenceOperation { Instance: { } instance }:
                    current = Operations.Unwrap(instance);
                    continue;
                case IFieldReferenceOperation { Instance: { } instance }:
                    current = Operations.Unwrap(instance);
                    continue;
                case IParameterReferenceOperation parameter:
                    return parameter;
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// The parameter of a lambda handed to <c>Any</c> over a collection of the row (<c>c =&gt; c.Items.Any(i =&gt; i.SeriesId == id)</c>):
    /// a key of one of the row's children keeps the rows that hold the parent's key.
    /// </summary>
    private static bool IsChildOfRow(IParameterReferenceOperation parameter, IParameterSymbol row)
    {
        for (var current = parameter.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation lambda || !SymbolEqualityComparer.Default.Equals(lambda.Symbol, parameter.Parameter.ContainingSymbol))
            {
                continue;
            }

            var call = lambda.Parent is IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation owner } } ? owner : null;
            if (call is not { TargetMethod.Name: "Any" })
            {
                return false;
            }

            var receiver = call.Instance ?? Operations.ArgumentValue(call.Arguments, 0);
            return receiver is not null && RootParameter(receiver) is { } root && SymbolEqualityComparer.Default.Equals(root.Parameter, row);
        }

        return false;
    }

    private static bool IsKeyMember(ISymbol member)
        => member.Name.EndsWith("Id", System.StringComparison.Ordinal)
           || member.Name.EndsWith("ID", System.StringComparison.Ordinal)
           || member.Name.EndsWith("Guid", System.StringComparison.Ordinal)
           || member.GetAttributes().Any(a => a.AttributeClass?.Name is "KeyAttribute" or "ForeignKeyAttribute");

    private static bool IsOutsideValue(IOperation operand, IParameterSymbol row)
    {
        // Neither the row nor a parameter of a lambda inside the predicate (i in c.Items.Any(i => ...)): a value from outside.
        var value = Operations.Unwrap(operand);
        return !value.ConstantValue.HasValue
            && !value.DescendantsAndSelf().OfType<IParameterReferenceOperation>().Any(p => SymbolEqualityComparer.Default.Equals(p.Parameter, row)
                || (p.Parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda && IsInside(lambda, row.ContainingSymbol)));
    }

    /// <summary>Whether a lambda is declared inside another (its syntax lies within the other's).</summary>
    private static bool IsInside(ISymbol inner, ISymbol outer)
        => inner.DeclaringSyntaxReferences.FirstOrDefault() is { } innerSyntax
           && outer.DeclaringSyntaxReferences.FirstOrDefault() is { } outerSyntax
           && innerSyntax.SyntaxTree == outerSyntax.SyntaxTree
           && outerSyntax.Span.Contains(innerSyntax.Span)
           && !SymbolEqualityComparer.Default.Equals(inner, outer);

    /// <summary>
    /// A type that records when its rows happened: a DateTime, DateTimeOffset or DateOnly property declared by the type
    /// itself (<c>ShippedAt</c>, <c>OrderDate</c>), rows that pile up over time. A time inherited from a base entity
    /// class, or one that implements an interface's property (an audit <c>IEntityDate.Created</c> every table has),
    /// says nothing about the table.
    /// </summary>
    private bool Accumulates(ITypeSymbol row)
        => _accumulating.GetOrAdd(row, static type =>
        {
            var definition = type.OriginalDefinition;
            foreach (var member in definition.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public, GetMethod: not null } property
                    && IsTime(property.Type)
                    && !IsLatestChangeStamp(property.Name)
                    && !ImplementsInterfaceProperty(definition, property))
                {
                    return true;
                }
            }

            return false;
        });

    /// <summary>
    /// A time overwritten each time the row changes: <c>LastUsed</c>, <c>LastScanned</c>, <c>LastSyncUtc</c>,
    /// <c>ModifiedAt</c>, <c>UpdatedOn</c>, <c>DateChanged</c>. It says when a row was last touched, not that a new row
    /// was written: a device or a library that records its last use is still one row.
    /// </summary>
    private static bool IsLatestChangeStamp(string name)
        => (name.StartsWith("Last", System.StringComparison.Ordinal) && name.Length > 4 && char.IsUpper(name[4]))
           || name.IndexOf("Modified", System.StringComparison.Ordinal) >= 0
           || name.IndexOf("Updated", System.StringComparison.Ordinal) >= 0
           || name.IndexOf("Changed", System.StringComparison.Ordinal) >= 0;

    /// <summary>
    /// Whether <paramref name="property"/> implements a property of an audit interface: one that declares only stamps
    /// (times, flags, and who did it: <c>IEntityDate { Created, LastModified }</c>, <c>IAudited { CreatedAt, CreatedBy }</c>).
    /// An interface that mirrors the entity (<c>IStoredFile { FileName, Timestamp, ... }</c>) is no audit stamp.
    /// </summary>
    private static bool ImplementsInterfaceProperty(ITypeSymbol type, IPropertySymbol property)
    {
        foreach (var contract in type.AllInterfaces)
        {
            foreach (var member in contract.GetMembers(property.Name))
            {
                if (member is IPropertySymbol && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), property))
                {
                    return IsAuditContract(contract);
                }
            }
        }

        return false;
    }

    private static bool IsAuditContract(INamedTypeSymbol contract)
    {
        foreach (var member in contract.GetMembers())
        {
            if (member is not IPropertySymbol stamp)
            {
                continue;
            }

            if (!IsTime(stamp.Type) && stamp.Type.SpecialType != SpecialType.System_Boolean
                && !stamp.Name.EndsWith("By", System.StringComparison.Ordinal) && !stamp.Name.EndsWith("ById", System.StringComparison.Ordinal)
                && !stamp.Name.EndsWith("ByUserId", System.StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTime(ITypeSymbol type)
        => WellKnownTypes.IsDateType(type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type);

    /// <summary>ASP.NET Core Identity roles (<c>RoleManager.Roles</c>): the few roles an application defines.</summary>
    private static bool IsRole(ITypeSymbol type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (current is { Name: "IdentityRole", ContainingNamespace: { Name: "Identity", ContainingNamespace: { Name: "AspNetCore", ContainingNamespace.Name: "Microsoft" } } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A lookup table: a key (<c>Id</c>, <c>&lt;Type&gt;Id</c> or <c>[Key]</c>) and one label (a string or an enum), nothing else.</summary>
    private bool IsLookupRow(ITypeSymbol row)
        => _lookups.GetOrAdd(row, type =>
        {
            var properties = Properties(type).ToList();
            if (properties.Count != 2)
            {
                return false;
            }

            var key = properties.FirstOrDefault(p => string.Equals(p.Name, "Id", System.StringComparison.OrdinalIgnoreCase)
                || string.Equals(p.Name, type.Name + "Id", System.StringComparison.OrdinalIgnoreCase)
                || p.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _symbols.KeyAttribute)));
            var label = properties.FirstOrDefault(p => !SymbolEqualityComparer.Default.Equals(p, key));
            return key is not null && label is not null
                && (label.Type.SpecialType == SpecialType.System_String || label.Type.TypeKind == TypeKind.Enum);
        });

    private static IEnumerable<IPropertySymbol> Properties(ITypeSymbol type)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public, GetMethod: not null } property)
                {
                    yield return property;
                }
            }
        }
    }

    private sealed class MethodKeyComparer : IEqualityComparer<(IMethodSymbol Method, int Calls, UnpaginatedCollectionAnalyzer.Settings Settings)>
    {
        public static readonly MethodKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, int Calls, UnpaginatedCollectionAnalyzer.Settings Settings) x, (IMethodSymbol Method, int Calls, UnpaginatedCollectionAnalyzer.Settings Settings) y)
            => x.Calls == y.Calls && ReferenceEquals(x.Settings, y.Settings) && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Calls, UnpaginatedCollectionAnalyzer.Settings Settings) obj)
            => (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Calls;
    }
}

/// <summary>An unbounded read of rows: from a query over <see cref="Row"/> (null when unknown), filtered by given keys or not.</summary>
internal sealed class RowSource
{
    // No operation is kept: the sources of followed methods are cached for the whole compilation, and an operation
    // would keep its method's bound tree alive with them.
    public RowSource(ITypeSymbol? row, bool filtered)
    {
        Row = row;
        Filtered = filtered;
    }

    public ITypeSymbol? Row { get; }
    public bool Filtered { get; }

    public RowSource WithFiltered() => Filtered ? this : new RowSource(Row, true);
}

/// <summary>
/// How a judgement reads the methods it follows. <see cref="Bind"/> binds a body that is not at hand (in the IDE, a
/// document is analyzed alone: the other files' bodies never come). <see cref="WithoutBinding"/>, when the whole
/// compilation is analyzed, reads only bodies already at hand and lists the others in <see cref="Missing"/>: the
/// judgement then waits until the compiler hands them to the analyzer, instead of binding them a second time (or
/// first, for the compiler to reuse).
/// </summary>
internal sealed class Following
{
    private readonly List<(IMethodSymbol Method, int Calls, UnpaginatedCollectionAnalyzer.Settings Settings)>? _missing;

    private Following(bool mayBind) => _missing = mayBind ? null : new();

    public static Following Bind { get; } = new(mayBind: true);

    public static Following WithoutBinding() => new(mayBind: false);

    public bool MayBind => _missing is null;

    private static readonly List<(IMethodSymbol Method, int Calls, UnpaginatedCollectionAnalyzer.Settings Settings)> None = new();

    /// <summary>The methods (and how far away, under which settings) a walk that may not bind could not read.</summary>
    public IReadOnlyList<(IMethodSymbol Method, int Calls, UnpaginatedCollectionAnalyzer.Settings Settings)> Missing => _missing ?? None;

    public void Add(IMethodSymbol method, int calls, UnpaginatedCollectionAnalyzer.Settings settings)
        => _missing?.Add((method, calls, settings));
}
