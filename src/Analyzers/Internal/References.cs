using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace BackendRules.Internal;

/// <summary>
/// What a compilation references, read from its reference list alone. Looking up a type by name binds every
/// referenced assembly and reads its namespaces: work the compiler does anyway, but charged to whoever asks first.
/// Compilation-start actions ask only this (file and compilation names, nothing bound) and leave type lookups to the
/// first callback that needs them, when the compiler has already loaded what it needs.
/// </summary>
internal static class References
{
    private static readonly ConditionalWeakTable<Compilation, Names> Index = new();

    /// <summary>
    /// Whether an assembly of that name (its file name without extension) is referenced. The reference list is read
    /// once per compilation, whichever rule asks first, into a set of names; every later question is a lookup.
    /// </summary>
    public static bool Contains(Compilation compilation, string assemblyName)
        => Index.GetValue(compilation, Read).Exact.Contains(assemblyName);

    /// <summary>Whether any referenced assembly's name starts with the prefix (ordinal, case as written).</summary>
    public static bool ContainsPrefix(Compilation compilation, string prefix)
    {
        foreach (var name in Index.GetValue(compilation, Read).All)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static Names Read(Compilation compilation)
    {
        // ExternalReferences, not References: the latter also lists #r directives, which binds the references.
        var references = compilation.ExternalReferences;
        if (references.IsEmpty)
        {
            return Build(references);
        }

        // Another compilation object often has the very same list: CompilationWithAnalyzers starts every rule on two
        // objects of each compilation, and the IDE makes a new compilation for each edit. The list is recognized by
        // its first reference and a fingerprint of every reference's identity; no reference is kept alive by it.
        var fingerprint = Fingerprint(references);
        var recent = ByFirstReference.GetValue(references[0], _ => new Recent());
        if (recent.TryGet(references.Length, fingerprint, out var known))
        {
            return known;
        }

        var names = Build(references);
        recent.Add(references.Length, fingerprint, names);
        return names;
    }

    private static readonly ConditionalWeakTable<MetadataReference, Recent> ByFirstReference = new();

    private static ulong Fingerprint(System.Collections.Immutable.ImmutableArray<MetadataReference> references)
    {
        // Two 32-bit mixes of the references' identity hashes, in order: lists that differ in any reference differ here.
        uint first = 2166136261, second = 0x9E3779B9;
        foreach (var reference in references)
        {
            var identity = (uint)RuntimeHelpers.GetHashCode(reference);
            first = (first ^ identity) * 16777619;
            second = ((second << 5) | (second >> 27)) + identity * 0x85EBCA6B;
        }

        return ((ulong)first << 32) | second;
    }

    /// <summary>The names of the last few reference lists that began with one reference.</summary>
    private sealed class Recent
    {
        private const int Kept = 4;
        private readonly (int Count, ulong Fingerprint, Names Names)[] _entries = new (int, ulong, Names)[Kept];
        private int _next;

        public bool TryGet(int count, ulong fingerprint, out Names names)
        {
            lock (_entries)
            {
                foreach (var entry in _entries)
                {
                    if (entry.Names is not null && entry.Count == count && entry.Fingerprint == fingerprint)
                    {
                        names = entry.Names;
                        return true;
                    }
                }
            }

            names = null!;
            return false;
        }

        public void Add(int count, ulong fingerprint, Names names)
        {
            lock (_entries)
            {
                _entries[_next] = (count, fingerprint, names);
                _next = (_next + 1) % Kept;
            }
        }
    }

    private static Names Build(System.Collections.Immutable.ImmutableArray<MetadataReference> references)
    {
        var names = new Names();
        foreach (var reference in references)
        {
            var name = reference switch
            {
                CompilationReference { Compilation.AssemblyName: { } assemblyName } => assemblyName,
                PortableExecutableReference { FilePath: { } path } => FileName(path),
                _ => reference.Display is { Length: > 0 } display ? FileName(display) : null,
            };
            if (name is { Length: > 0 } && names.Exact.Add(name))
            {
                names.All.Add(name);
            }
        }

        return names;
    }

    /// <summary>The path's file name without its extension.</summary>
    private static string FileName(string path)
    {
        var start = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\')) + 1;
        var dot = path.LastIndexOf('.');
        var end = dot > start ? dot : path.Length;
        return path.Substring(start, end - start);
    }

    private sealed class Names
    {
        public HashSet<string> Exact { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> All { get; } = new();
    }

    /// <summary>A value computed on first use, once, by whichever callback needs it first.</summary>
    public static Lazy<T> Once<T>(Func<T> create) => new(create, LazyThreadSafetyMode.ExecutionAndPublication);
}
