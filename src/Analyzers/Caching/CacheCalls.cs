using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Caching;

/// <summary>How the fix adds an expiration to a reported call; <see cref="None"/> where it declines.</summary>
internal enum CacheFixKind
{
    None,

    /// <summary><c>IMemoryCache.Set(key, value)</c>: the <c>TimeSpan</c> overload.</summary>
    AddTimeSpan,

    /// <summary>An <c>IDistributedCache</c> call without options: a new <c>DistributedCacheEntryOptions</c> argument.</summary>
    AddDistributedOptions,

    /// <summary>Options created in the argument itself: one more member in its initializer.</summary>
    OptionsInitializer,

    /// <summary>A <c>GetOrCreate</c> lambda: a first statement that sets the entry's expiration.</summary>
    Factory,
}

/// <summary>A call that adds a cache entry without an expiration the code can see: where to report, why, how to fix.</summary>
internal sealed class CacheFinding
{
    public CacheFinding(string reason, CacheFixKind fix)
    {
        Reason = reason;
        Fix = fix;
    }

    public string Reason { get; }
    public CacheFixKind Fix { get; }
}

/// <summary>
/// The cache APIs BR0013 reads: <c>IMemoryCache</c> (<c>CacheExtensions.Set</c>, <c>GetOrCreate</c>,
/// <c>GetOrCreateAsync</c>, <c>CreateEntry</c>) and <c>IDistributedCache</c> (<c>Set</c>, <c>SetAsync</c>,
/// <c>SetString</c>, <c>SetStringAsync</c>, as interface methods or <c>DistributedCacheExtensions</c>). Create once
/// per compilation; null when Microsoft.Extensions.Caching.Abstractions cannot be bound.
/// </summary>
internal sealed class CacheCalls
{
    private readonly INamedTypeSymbol? _cacheExtensions;
    private readonly INamedTypeSymbol? _memoryCache;
    private readonly INamedTypeSymbol? _distributedExtensions;
    private readonly INamedTypeSymbol? _distributedCache;
    private readonly bool _distributedHasDefault;

    private CacheCalls(Compilation compilation, bool distributedHasDefault)
    {
        _cacheExtensions = WellKnownTypes.Of(compilation).Get("Microsoft.Extensions.Caching.Memory.CacheExtensions");
        _memoryCache = WellKnownTypes.Of(compilation).Get("Microsoft.Extensions.Caching.Memory.IMemoryCache");
        _distributedExtensions = WellKnownTypes.Of(compilation).Get("Microsoft.Extensions.Caching.Distributed.DistributedCacheExtensions");
        _distributedCache = WellKnownTypes.Of(compilation).Get("Microsoft.Extensions.Caching.Distributed.IDistributedCache");
        _distributedHasDefault = distributedHasDefault;
        Expiry = new CacheExpiry();
    }

    public CacheExpiry Expiry { get; }

    /// <summary>Asked at compilation start, nothing bound.</summary>
    public static bool Referenced(Compilation compilation) => References.Contains(compilation, "Microsoft.Extensions.Caching.Abstractions");

    public static CacheCalls? Create(Compilation compilation)
    {
        // SqlServerCache gives every entry a sliding expiration (SqlServerCacheOptions.DefaultSlidingExpiration, 20 minutes)
        // when the options set none: an IDistributedCache call in such a project is not an entry that never expires.
        var calls = new CacheCalls(compilation, References.Contains(compilation, "Microsoft.Extensions.Caching.SqlServer"));
        return calls._memoryCache is null && calls._distributedCache is null ? null : calls;
    }

    /// <summary>A name test that needs no symbol: most invocations are no cache write.</summary>
    public static bool MayBeCacheWrite(IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "Set" or "SetAsync" or "SetString" or "SetStringAsync" or "CreateEntry" or "GetOrCreate" or "GetOrCreateAsync";

    /// <summary>The finding for a call that writes an entry with no expiration anywhere the code shows; null otherwise.</summary>
    public CacheFinding? Inspect(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null || InSource(type) || ReceiverInSource(invocation))
        {
            // A cache type of the project's own may apply defaults of its own.
            return null;
        }

        if (_cacheExtensions is not null && SymbolEqualityComparer.Default.Equals(type, _cacheExtensions))
        {
            return method.Name switch
            {
                "Set" => InspectMemorySet(invocation),
                "GetOrCreate" or "GetOrCreateAsync" => InspectGetOrCreate(invocation),
                _ => null,
            };
        }

        if (method.Name == "CreateEntry" && _memoryCache is not null && Is(type, _memoryCache))
        {
            return Expiry.OfCreatedEntry(invocation) == Expiration.None ? new CacheFinding("the entry created is given no expiration", CacheFixKind.None) : null;
        }

        if (_distributedHasDefault || method.Name is not ("Set" or "SetAsync" or "SetString" or "SetStringAsync"))
        {
            return null;
        }

        if ((_distributedExtensions is not null && SymbolEqualityComparer.Default.Equals(type, _distributedExtensions))
            || (_distributedCache is not null && Is(type, _distributedCache)))
        {
            return InspectDistributed(invocation);
        }

        return null;
    }

    /// <summary>
    /// <c>Remove</c>/<c>RemoveAsync</c> of an <c>IMemoryCache</c> or <c>IDistributedCache</c> (or a class of either),
    /// and <c>MemoryCache.Clear</c>/<c>Compact</c>: the code invalidates entries itself.
    /// </summary>
    public bool IsRemoval(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is not ("Remove" or "RemoveAsync" or "Clear" or "Compact") || method.ContainingType?.OriginalDefinition is not { } type)
        {
            return false;
        }

        return (_memoryCache is not null && Is(type, _memoryCache)) || (_distributedCache is not null && Is(type, _distributedCache));
    }

    private CacheFinding? InspectMemorySet(IInvocationOperation invocation)
    {
        var options = ArgumentAfterValue(invocation);
        if (options is null)
        {
            return invocation.TargetMethod.Parameters.Length == 3 ? new CacheFinding("no expiration is passed", CacheFixKind.AddTimeSpan) : null;
        }

        // The TimeSpan, DateTimeOffset and IChangeToken overloads all expire the entry.
        if (!CacheExpiry.IsOptionsType(options.Parameter?.Type))
        {
            return null;
        }

        return OptionsFinding(options);
    }

    private CacheFinding? InspectGetOrCreate(IInvocationOperation invocation)
    {
        IArgumentOperation? factory = null;
        IArgumentOperation? options = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "factory")
            {
                factory = argument;
            }
            else if (CacheExpiry.IsOptionsType(argument.Parameter?.Type))
            {
                options = argument;
            }
        }

        if (factory is null)
        {
            return null;
        }

        if (options is not null && options.ArgumentKind != ArgumentKind.DefaultValue && Expiry.OfOptions(options.Value) != Expiration.None)
        {
            return null;
        }

        if (Operations.Unwrap(factory.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }
            && lambda.Symbol.Parameters.Length == 1
            && Expiry.OfEntry(lambda.Symbol.Parameters[0], lambda.Body) == Expiration.None)
        {
            return new CacheFinding("the factory sets no expiration on the entry", CacheFixKind.Factory);
        }

        // A method group or a delegate from elsewhere: its body is not read here.
        return null;
    }

    private CacheFinding? InspectDistributed(IInvocationOperation invocation)
    {
        var options = invocation.Arguments.FirstOrDefault(a => CacheExpiry.IsOptionsType(a.Parameter?.Type));
        if (options is null)
        {
            return new CacheFinding("no DistributedCacheEntryOptions are passed", CacheFixKind.AddDistributedOptions);
        }

        return OptionsFinding(options);
    }

    private CacheFinding? OptionsFinding(IArgumentOperation options)
    {
        if (Expiry.OfOptions(options.Value) != Expiration.None)
        {
            return null;
        }

        var created = Operations.Unwrap(options.Value) is IObjectCreationOperation && options.ArgumentKind == ArgumentKind.Explicit;
        return new CacheFinding("the options set no expiration", created ? CacheFixKind.OptionsInitializer : CacheFixKind.None);
    }

    /// <summary>The argument after the value of <c>Set(key, value, ...)</c>, whichever form the call takes.</summary>
    private static IArgumentOperation? ArgumentAfterValue(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: 3 })
            {
                return argument;
            }
        }

        return null;
    }

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol @interface)
        => SymbolEqualityComparer.Default.Equals(type, @interface) || WellKnownTypes.Implements(type, @interface);

    private static bool InSource(ISymbol symbol) => symbol.Locations.Any(l => l.IsInSource);

    private static bool ReceiverInSource(IInvocationOperation invocation)
    {
        var receiver = invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        return receiver is not null && Operations.Unwrap(receiver).Type is INamedTypeSymbol type && InSource(type);
    }
}
