using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Resilience;

/// <summary>
/// Which calls reach another service and which exceptions say one failed, told by the namespace of the called method's
/// type (or of the receiver, for extension methods such as Dapper's and EF Core's) and of the caught type.
/// </summary>
internal sealed class IoCalls
{
    /// <summary>HTTP and sockets, ADO.NET and its providers, Dapper, EF Core, cloud storage and messaging, caches and gRPC.</summary>
    public static readonly ImmutableArray<string> DefaultNamespaces = ImmutableArray.Create(
        "System.Net", "System.Data", "Microsoft.Data", "Microsoft.EntityFrameworkCore", "Dapper", "Npgsql", "MySqlConnector", "MySql.Data",
        "Oracle.ManagedDataAccess", "Azure", "Microsoft.Azure", "Amazon", "Google.Cloud", "RabbitMQ.Client", "Confluent.Kafka", "StackExchange.Redis",
        "MongoDB.Driver", "Grpc", "MassTransit", "NATS", "Elastic", "Nest", "Refit", "Microsoft.Graph");

    private readonly ImmutableArray<string> _namespaces;

    public IoCalls(ImmutableArray<string> extraNamespaces, bool anyAwaitedCall)
    {
        _namespaces = extraNamespaces.IsDefaultOrEmpty ? DefaultNamespaces : DefaultNamespaces.AddRange(extraNamespaces);
        AnyAwaitedCall = anyAwaitedCall;
    }

    /// <summary>Whether every awaited call in a try counts as I/O (<c>any_awaited_call</c>).</summary>
    public bool AnyAwaitedCall { get; }

    public bool IsIoCall(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        // The call's operation is a lookup in the member's bound tree (the driver built it); symbol info works it out again.
        var method = model.GetOperation(invocation, cancellationToken) is IInvocationOperation operation
            ? operation.TargetMethod
            : model.GetSymbolInfo(invocation, cancellationToken).Symbol as IMethodSymbol;
        if (method is null)
        {
            return false;
        }

        if (InIoNamespace(method.ContainingType))
        {
            return true;
        }

        // Interfaces the app declares around a client do not count; the receiver's own type does (a DbContext subclass).
        var receiver = method.ReducedFrom is not null || method.IsExtensionMethod
            ? (invocation.Expression as MemberAccessExpressionSyntax)?.Expression
            : null;
        return method.ContainingType is { } type && InIoNamespace(type.BaseType)
            || receiver is not null && model.GetTypeInfo(receiver, cancellationToken).Type is { } receiverType && (InIoNamespace(receiverType) || InIoNamespace(receiverType.BaseType));
    }

    /// <summary>The caught type or one of its bases is an I/O failure (HttpRequestException, DbException, SqlException...).</summary>
    public bool IsIoException(ITypeSymbol caught)
    {
        for (var type = caught as INamedTypeSymbol; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            if (type is { Name: "Exception" or "SystemException", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return false;
            }

            if (InIoNamespace(type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An optimistic-concurrency conflict (EF Core's or ADO.NET's): retried after a reload, not a failing service.</summary>
    public static bool IsConcurrencyConflict(ITypeSymbol caught)
    {
        for (var type = caught as INamedTypeSymbol; type is not null; type = type.BaseType)
        {
            if (type.Name is "DbUpdateConcurrencyException" or "DBConcurrencyException")
            {
                return true;
            }
        }

        return false;
    }

    private bool InIoNamespace(ITypeSymbol? type)
    {
        if (type?.ContainingNamespace is not { IsGlobalNamespace: false } ns)
        {
            return false;
        }

        var name = ns.ToDisplayString();
        foreach (var prefix in _namespaces)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && (name.Length == prefix.Length || name[prefix.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }
}
