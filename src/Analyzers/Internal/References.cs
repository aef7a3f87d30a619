using System;
using System.Collections.Generic;
using System.IO;
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
    private static readonly ConditionalWeakTable<Compilation, HashSet<string>> Names = new();

    /// <summary>Whether an assembly of that name (its file name without extension) is referenced.</summary>
    public static bool Contains(Compilation compilation, string assemblyName)
        => Names.GetValue(compilation, Read).Contains(assemblyName);

    private static HashSet<string> Read(Compilation compilation)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // ExternalReferences, not References: the latter also lists #r directives, which binds the references.
        foreach (var reference in compilation.ExternalReferences)
        {
            switch (reference)
            {
                case CompilationReference { Compilation.AssemblyName: { } name }:
                    names.Add(name);
                    break;
                case PortableExecutableReference { FilePath: { } path }:
                    names.Add(Path.GetFileNameWithoutExtension(path));
                    break;
                default:
                    if (reference.Display is { Length: > 0 } display)
                    {
                        names.Add(Path.GetFileNameWithoutExtension(display));
                    }

                    break;
            }
        }

        return names;
    }

    /// <summary>A value computed on first use, once, by whichever callback needs it first.</summary>
    public static Lazy<T> Once<T>(Func<T> create) => new(create, LazyThreadSafetyMode.ExecutionAndPublication);
}
