using System;
using System.IO;

namespace BackendRules.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder holding BackendRules.sln, found by walking up from the test output.</summary>
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "BackendRules.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("BackendRules.sln not found above " + AppContext.BaseDirectory);
    }
}
