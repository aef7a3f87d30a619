using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackendRules.Internal;

/// <summary>
/// Test projects are not production code: their SQL is test data, their HTTP clients call test servers, their
/// endpoints are fakes. No rule reports there unless the team asks for it with
/// <c>backendrules.report_in_test_projects = true</c> (or per rule, <c>backendrules.BR0003.report_in_test_projects</c>).
/// </summary>
internal static class TestProjects
{
    /// <summary>The MSBuild property the test SDK sets; the package makes it visible to analyzers.</summary>
    private const string IsTestProjectProperty = "build_property.IsTestProject";

    /// <summary>Each rule's own option: declared once per rule so its key names the rule.</summary>
    public static BoolOption Option(string ruleId) => new(ruleId, "report_in_test_projects", defaultValue: false);

    /// <summary>
    /// True when the rule should register nothing for this compilation: it is a test project and neither a global
    /// config nor any file's .editorconfig section turns the rule on there.
    /// </summary>
    public static bool Skip(Compilation compilation, AnalyzerOptions options, BoolOption reportInTests)
    {
        if (!IsTestProject(compilation, options))
        {
            return false;
        }

        var provider = options.AnalyzerConfigOptionsProvider;
        if (reportInTests.Read(provider.GlobalOptions))
        {
            return false;
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            if (reportInTests.Read(provider.GetOptions(tree)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A project that references a test framework (xUnit v2 or v3, NUnit, MSTest, TUnit), or one the build marks with
    /// <c>IsTestProject=true</c> (set by Microsoft.NET.Test.Sdk) that is not an ASP.NET Core application: a web app
    /// that pulls in the test SDK by mistake, without any test framework, is still production code.
    /// </summary>
    public static bool IsTestProject(Compilation compilation, AnalyzerOptions options)
    {
        foreach (var framework in TestFrameworks)
        {
            if (References.Contains(compilation, framework))
            {
                return true;
            }
        }

        return !References.Contains(compilation, "Microsoft.AspNetCore")
            && options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(IsTestProjectProperty, out var value)
            && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }

    private static readonly string[] TestFrameworks =
    {
        "xunit.core", "xunit.v3.core", "nunit.framework", "Microsoft.VisualStudio.TestPlatform.TestFramework", "TUnit.Core",
    };
}
