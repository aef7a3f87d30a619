using System;
using System.Collections.Concurrent;
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
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<string, bool>> Answers = new();

    /// <summary>
    /// Whether an assembly of that name (its file name without extension) is referenced. Each name is looked for
    /// once per compilation, whichever rule asks first; the list is scanned in place, no name copied out of it.
    /// </summary>
    public static bool Contains(Compilation compilation, string assemblyName)
    {
        var answers = Answers.GetValue(compilation, _ => new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase));
        if (!answers.TryGetValue(assemblyName, out var found))
        {
            found = Scan(compilation, assemblyName);
            answers.TryAdd(assemblyName, found);
        }

        return found;
    }

    private static bool Scan(Compilation compilation, string assemblyName)
    {
        // ExternalReferences, not References: the latter also lists #r directives, which binds the references.
        foreach (var reference in compilation.ExternalReferences)
        {
            var found = reference switch
            {
                CompilationReference { Compilation.AssemblyName: { } name } => string.Equals(name, assemblyName, StringComparison.OrdinalIgnoreCase),
                PortableExecutableReference { FilePath: { } path } => FileNameIs(path, assemblyName),
                _ => reference.Display is { Length: > 0 } display && FileNameIs(display, assemblyName),
            };
            if (found)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the path's file name without its extension is the name (ordinal, ignoring case).</summary>
    private static bool FileNameIs(string path, string name)
    {
        var start = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\')) + 1;
        var dot = path.LastIndexOf('.');
        var end = dot > start ? dot : path.Length;
        return end - start == name.Length && string.Compare(path, start, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0;
    }

    /// <summary>A value computed on first use, once, by whichever callback needs it first.</summary>
    public static Lazy<T> Once<T>(Func<T> create) => new(create, LazyThreadSafetyMode.ExecutionAndPublication);
}
