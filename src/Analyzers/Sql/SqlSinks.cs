using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Sql;

internal enum SqlSinkKind
{
    /// <summary><c>command.CommandText = sql</c> (or <c>+= sql</c>) on any <c>IDbCommand</c>, including object initializers.</summary>
    CommandText,

    /// <summary><c>new SqliteCommand(sql, ...)</c> for any <c>IDbCommand</c> implementation.</summary>
    CommandConstructor,

    /// <summary>A Dapper <c>SqlMapper</c> extension method or <c>new CommandDefinition(sql, ...)</c>.</summary>
    Dapper,

    /// <summary>An EF Core raw-SQL method taking a string (or, before EF Core 3, a <c>RawSqlString</c>).</summary>
    EfRaw,

    /// <summary>An EF Core method taking a <c>FormattableString</c> (holes become parameters).</summary>
    EfFormattable,

    /// <summary>A method named in <c>backendrules.BR0001.additional_sinks</c>.</summary>
    Custom,

    /// <summary>Entity Framework 6: <c>Database.SqlQuery</c>, <c>Database.ExecuteSqlCommand(Async)</c>, <c>DbSet.SqlQuery</c>.</summary>
    Ef6Raw,
}

/// <summary>A place where SQL text reaches a database API.</summary>
internal readonly struct SqlSink
{
    public SqlSink(SqlSinkKind kind, IOperation operation, IOperation sqlValue, SyntaxNode reportNode, ITypeSymbol? rowType)
    {
        Kind = kind;
        Operation = operation;
        SqlValue = sqlValue;
        ReportNode = reportNode;
        RowType = rowType;
    }

    public SqlSinkKind Kind { get; }

    /// <summary>The invocation, object creation or assignment.</summary>
    public IOperation Operation { get; }

    /// <summary>The expression that supplies the SQL text.</summary>
    public IOperation SqlValue { get; }

    /// <summary>Where a diagnostic about the SQL goes when it cannot go somewhere more precise.</summary>
    public SyntaxNode ReportNode { get; }

    /// <summary>The type each row is materialised into, when the API says (<c>Query&lt;T&gt;</c>, <c>DbSet&lt;T&gt;</c>, <c>SqlQuery&lt;T&gt;</c>).</summary>
    public ITypeSymbol? RowType { get; }
}

/// <summary>
/// The SQL APIs of ADO.NET, Dapper and EF Core, resolved once per compilation. Matching is by symbol
/// (containing type and parameter), never by method name alone.
/// </summary>
internal sealed class SqlSinks
{
    private readonly INamedTypeSymbol? _dbCommandInterface;
    private readonly INamedTypeSymbol? _dapperSqlMapper;
    private readonly INamedTypeSymbol? _dapperCommandDefinition;
    private readonly INamedTypeSymbol? _efQueryableExtensions;
    private readonly INamedTypeSymbol? _efDatabaseExtensions;
    private readonly INamedTypeSymbol? _formattableString;
    private readonly INamedTypeSymbol? _rawSqlString;
    private readonly INamedTypeSymbol? _ef6Database;
    private readonly INamedTypeSymbol? _ef6DbSet;
    private readonly INamedTypeSymbol? _ef6GenericDbSet;
    private readonly INamedTypeSymbol? _commandType;

    private SqlSinks(WellKnownTypes types)
    {
        _dbCommandInterface = types.Get("System.Data.IDbCommand");
        _dapperSqlMapper = types.Get("Dapper.SqlMapper");
        _dapperCommandDefinition = types.Get("Dapper.CommandDefinition");
        _efQueryableExtensions = types.Get("Microsoft.EntityFrameworkCore.RelationalQueryableExtensions");
        _efDatabaseExtensions = types.Get("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions");
        _formattableString = types.Get("System.FormattableString");
        _rawSqlString = types.Get("Microsoft.EntityFrameworkCore.RawSqlString");
        _ef6Database = types.Get("System.Data.Entity.Database");
        _ef6DbSet = types.Get("System.Data.Entity.DbSet");
        _ef6GenericDbSet = types.Get("System.Data.Entity.DbSet`1");
        _commandType = types.Get("System.Data.CommandType");
    }

    private bool HasAny => _dbCommandInterface is not null || _dapperSqlMapper is not null || _efQueryableExtensions is not null || _efDatabaseExtensions is not null
        || _ef6Database is not null || _ef6DbSet is not null;

    /// <summary>The sink model, or null when the compilation references no SQL API at all.</summary>
    /// <summary>
    /// Whether any assembly that declares a sink is referenced (ADO.NET's System.Data.Common, or System.Data on .NET
    /// Framework, Dapper, EF Core relational, EF6): asked at compilation start, from the reference list alone.
    /// </summary>
    public static bool Referenced(Compilation compilation)
        => References.Contains(compilation, "System.Data.Common")
           || References.Contains(compilation, "System.Data")
           || References.Contains(compilation, "Dapper")
           || References.Contains(compilation, "Microsoft.EntityFrameworkCore.Relational")
           || References.Contains(compilation, "EntityFramework");

    public static SqlSinks? Create(Compilation compilation)
    {
        var sinks = new SqlSinks(WellKnownTypes.Of(compilation));
        return sinks.HasAny ? sinks : null;
    }

    /// <summary>
    /// Whether the operation could be a sink, told from names alone (no type looked up): a compilation in which
    /// nothing passes never looks the sink types up.
    /// </summary>
    public static bool MayBeSink(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => HasSqlMethodName(invocation.TargetMethod.Name),
        IObjectCreationOperation creation => HasCommandTextArgument(creation),
        IAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CommandText" } } => true,
        _ => false,
    };

    private static bool HasCommandTextArgument(IObjectCreationOperation creation)
    {
        // A loop, not LINQ: this runs for every object creation of the compilation.
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is { } parameter && IsCommandTextParameter(parameter.Name))
            {
                return true;
            }
        }

        return false;
    }

    public bool TryGetSink(IOperation operation, out SqlSink sink)
    {
        sink = default;
        switch (operation)
        {
            case IInvocationOperation invocation:
                return TryGetInvocationSink(invocation, out sink);
            case IObjectCreationOperation creation:
                return TryGetConstructorSink(creation, out sink);
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment
                when property.Property.Name == "CommandText"
                     && WellKnownTypes.Implements(property.Property.ContainingType, _dbCommandInterface):
                sink = new SqlSink(SqlSinkKind.CommandText, assignment, assignment.Value, assignment.Value.Syntax, null);
                return true;
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: IPropertyReferenceOperation property } compound
                when property.Property.Name == "CommandText"
                     && WellKnownTypes.Implements(property.Property.ContainingType, _dbCommandInterface):
                // command.CommandText += "..." + name: the appended text is built onto the statement.
                sink = new SqlSink(SqlSinkKind.CommandText, compound, compound.Value, compound.Value.Syntax, null);
                return true;
            default:
                return false;
        }
    }

    private bool TryGetInvocationSink(IInvocationOperation invocation, out SqlSink sink)
    {
        sink = default;
        var method = invocation.TargetMethod;

        // Every invocation of the compilation comes here: names turn nearly all of them away before the symbol
        // comparisons, which still decide. The SQL methods of Dapper (Query*, Execute*) and EF Core (FromSql*,
        // ExecuteSql*, SqlQuery*) are static extension methods with these name prefixes; those of EF6
        // (SqlQuery, ExecuteSqlCommand*) are instance methods.
        if (!HasSqlMethodName(method.Name))
        {
            return false;
        }

        if (!method.IsStatic)
        {
            return TryGetEf6Sink(invocation, out sink);
        }

        var name = method.ContainingType?.Name;
        if (name is null || (name != _dapperSqlMapper?.Name && name != _efQueryableExtensions?.Name && name != _efDatabaseExtensions?.Name))
        {
            return false;
        }

        var containing = method.ContainingType!.OriginalDefinition;

        SqlSinkKind kind;
        if (SymbolEqualityComparer.Default.Equals(containing, _dapperSqlMapper))
        {
            kind = SqlSinkKind.Dapper;
        }
        else if (SymbolEqualityComparer.Default.Equals(containing, _efQueryableExtensions)
                 || SymbolEqualityComparer.Default.Equals(containing, _efDatabaseExtensions))
        {
            kind = SqlSinkKind.EfRaw;
        }
        else
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { Name: "sql" } parameter || argument.Value.Syntax is null)
            {
                continue;
            }

            if (kind == SqlSinkKind.EfRaw && SymbolEqualityComparer.Default.Equals(parameter.Type, _formattableString))
            {
                kind = SqlSinkKind.EfFormattable;
            }
            else if (parameter.Type.SpecialType != SpecialType.System_String
                     && !(kind == SqlSinkKind.EfRaw && SymbolEqualityComparer.Default.Equals(parameter.Type, _rawSqlString)))
            {
                // EF Core 2 and 3 take RawSqlString (FromSql, ExecuteSqlCommand(Async)); a string converts to it.
                return false;
            }

            sink = new SqlSink(kind, invocation, argument.Value, argument.Syntax, GetRowType(kind, method));
            return true;
        }

        return false;
    }

    private bool TryGetEf6Sink(IInvocationOperation invocation, out SqlSink sink)
    {
        sink = default;
        var type = invocation.TargetMethod.ContainingType;
        if (type is null || (_ef6Database is null && _ef6DbSet is null) || type.Name is not ("Database" or "DbSet"))
        {
            return false;
        }

        var definition = type.OriginalDefinition;
        if (!SymbolEqualityComparer.Default.Equals(definition, _ef6Database) && !SymbolEqualityComparer.Default.Equals(definition, _ef6DbSet)
            && !SymbolEqualityComparer.Default.Equals(definition, _ef6GenericDbSet))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "sql", Type.SpecialType: SpecialType.System_String } && argument.Value.Syntax is not null)
            {
                // Database.SqlQuery<T>(sql); DbSet<T>.SqlQuery(sql) materialises T.
                var method = invocation.TargetMethod;
                var rowType = method.TypeArguments.Length == 1 ? method.TypeArguments[0]
                    : type.TypeArguments.Length == 1 && method.Name == "SqlQuery" ? type.TypeArguments[0] : null;
                sink = new SqlSink(SqlSinkKind.Ef6Raw, invocation, argument.Value, argument.Syntax, rowType);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the command runs its text as the name of a stored procedure: Dapper's or CommandDefinition's
    /// <c>commandType: CommandType.StoredProcedure</c>, or <c>CommandType = CommandType.StoredProcedure</c> set on
    /// the same ADO.NET command in the same body (and no other command type set on it there).
    /// </summary>
    public bool IsStoredProcedure(SqlSink sink)
    {
        if (_commandType is null)
        {
            return false;
        }

        switch (sink.Operation)
        {
            case IInvocationOperation invocation:
                return HasStoredProcedureArgument(invocation.Arguments);
            case IObjectCreationOperation creation when sink.Kind == SqlSinkKind.Dapper:
                return HasStoredProcedureArgument(creation.Arguments);
            case IObjectCreationOperation creation:
                return IsStoredProcedureCommand(creation, creation, CommandOf(creation));
            case IAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } } assignment:
                if (instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }
                    && assignment.Parent is IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation initialized })
                {
                    return IsStoredProcedureCommand(assignment, initialized, CommandOf(initialized));
                }

                return ReferencedSymbol(instance) is { } command && IsStoredProcedureCommand(assignment, null, command);
            default:
                return false;
        }
    }

    private bool HasStoredProcedureArgument(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == "commandType" && IsStoredProcedureValue(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsStoredProcedureValue(IOperation value)
    {
        value = Operations.Unwrap(value);
        var type = value.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : value.Type;
        return value.ConstantValue is { HasValue: true, Value: int kind } && kind == 4 // CommandType.StoredProcedure
            && SymbolEqualityComparer.Default.Equals(type, _commandType);
    }

    /// <summary>The local, field or parameter a new command is stored in.</summary>
    private static ISymbol? CommandOf(IObjectCreationOperation creation)
    {
        var parent = creation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation assignment => ReferencedSymbol(assignment.Target),
            _ => null,
        };
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => Operations.Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IFieldReferenceOperation field => field.Field,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };

    private bool IsStoredProcedureCommand(IOperation sinkOperation, IObjectCreationOperation? creation, ISymbol? command)
    {
        var storedProcedure = false;
        var other = false;
        void Check(IOperation assignment)
        {
            if (assignment is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CommandType" } target } set
                && WellKnownTypes.Implements(target.Property.ContainingType, _dbCommandInterface))
            {
                if (IsStoredProcedureValue(set.Value))
                {
                    storedProcedure = true;
                }
                else
                {
                    other = true;
                }
            }
        }

        if (creation?.Initializer is { } initializers)
        {
            foreach (var initializer in initializers.Initializers)
            {
                Check(initializer);
            }
        }

        if (command is not null)
        {
            foreach (var operation in Operations.Root(sinkOperation).Descendants())
            {
                if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } } assignment
                    && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(instance), command))
                {
                    Check(assignment);
                }
            }
        }

        return storedProcedure && !other;
    }

    private static bool HasSqlMethodName(string name)
        => name.StartsWith("Query", System.StringComparison.Ordinal)
           || name.StartsWith("Execute", System.StringComparison.Ordinal)
           || name.StartsWith("FromSql", System.StringComparison.Ordinal)
           || name.StartsWith("SqlQuery", System.StringComparison.Ordinal);

    private static ITypeSymbol? GetRowType(SqlSinkKind kind, IMethodSymbol method)
    {
        if (method.TypeArguments.Length != 1)
        {
            return null;
        }

        if (kind == SqlSinkKind.Dapper)
        {
            // Query<T>, QueryAsync<T>, QueryFirst<T>, QuerySingleOrDefaultAsync<T>, QueryUnbufferedAsync<T>...;
            // QueryMultiple and multi-mapping overloads have no single row type.
            return method.Name.StartsWith("Query", System.StringComparison.Ordinal) && !method.Name.StartsWith("QueryMultiple", System.StringComparison.Ordinal)
                ? method.TypeArguments[0]
                : null;
        }

        // FromSqlRaw/FromSql/FromSqlInterpolated<TEntity> on DbSet<TEntity>; SqlQuery/SqlQueryRaw<T> on DatabaseFacade.
        return method.Name.StartsWith("FromSql", System.StringComparison.Ordinal) || method.Name.StartsWith("SqlQuery", System.StringComparison.Ordinal)
            ? method.TypeArguments[0]
            : null;
    }

    private bool TryGetConstructorSink(IObjectCreationOperation creation, out SqlSink sink)
    {
        sink = default;
        var type = creation.Type;
        if (creation.Constructor is null || type is null)
        {
            return false;
        }

        // The argument is looked for first: most objects a backend creates take no command text, and the interface
        // check is the dearer one.
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is { Type.SpecialType: SpecialType.System_String } parameter
                && IsCommandTextParameter(parameter.Name)
                && argument.ArgumentKind == ArgumentKind.Explicit)
            {
                SqlSinkKind kind;
                if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _dapperCommandDefinition))
                {
                    kind = SqlSinkKind.Dapper;
                }
                else if (WellKnownTypes.Implements(type, _dbCommandInterface))
                {
                    kind = SqlSinkKind.CommandConstructor;
                }
                else
                {
                    return false;
                }

                sink = new SqlSink(kind, creation, argument.Value, argument.Syntax, null);
                return true;
            }
        }

        return false;
    }

    // SqlCommand(cmdText), SqliteCommand(commandText), NpgsqlCommand(cmdText), MySqlCommand(commandText), CommandDefinition(commandText).
    /// <summary>A parameter named like SQL text (<c>commandText</c>, <c>cmdText</c>, <c>sql</c>); asked for every argument of every object creation.</summary>
    private static bool IsCommandTextParameter(string name)
    {
        // ASCII letters only: OR-ing 0x20 lowers them, and no other character turns into one of these four.
        for (var i = 0; i + 3 < name.Length; i++)
        {
            if ((name[i] | 0x20) == 't' && (name[i + 1] | 0x20) == 'e' && (name[i + 2] | 0x20) == 'x' && (name[i + 3] | 0x20) == 't')
            {
                return true;
            }
        }

        return name.Length == 3 && (name[0] | 0x20) == 's' && (name[1] | 0x20) == 'q' && (name[2] | 0x20) == 'l';
    }
}
