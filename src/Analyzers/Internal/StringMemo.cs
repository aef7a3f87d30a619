using System;
using System.Collections.Concurrent;
using System.Threading;

namespace BackendRules.Internal;

/// <summary>
/// Remembers a pure function of a short string (a route template, a segment's words) for every rule and compilation:
/// the same templates are read by five route rules, in every build of a project. Bounded: emptied when it holds
/// <see cref="Capacity"/> strings, so an IDE session that sees many templates keeps at most that many.
/// </summary>
internal sealed class StringMemo<T>
{
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);
    private readonly Func<string, T> _compute;
    private int _count;

    public StringMemo(Func<string, T> compute) => _compute = compute;

    public T Get(string key)
    {
        if (_values.TryGetValue(key, out var known))
        {
            return known;
        }

        var value = _compute(key);
        if (_values.TryAdd(key, value) && Interlocked.Increment(ref _count) > Capacity)
        {
            _values.Clear();
            Volatile.Write(ref _count, 0);
        }

        return value;
    }
}
