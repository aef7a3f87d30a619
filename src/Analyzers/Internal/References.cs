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
        var names = new Names();

        // ExternalReferences, not References: the latter also lists #r directives, which binds the references.
        foreach (var reference in compilation.ExternalReferences)
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
