using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Papyra.Analyzers.Tests;

/// <summary>How a test's project is set up.</summary>
internal sealed record TestProject
{
    /// <summary>The default: an ordinary third-party project referencing Abstractions and the runtime.</summary>
    public static TestProject Default { get; } = new();

    /// <summary>The assembly name of the project under analysis.</summary>
    public string AssemblyName { get; init; } = "TestProject";

    /// <summary>Whether Papyra.Runtime and the Papyra.Fixtures assembly are referenced.</summary>
    public bool ReferencesRuntime { get; init; } = true;

    /// <summary>Whether Papyra.Abstractions is referenced.</summary>
    public bool ReferencesAbstractions { get; init; } = true;

    /// <summary>The MSBuild property PapyraTool as the compiler sees it, or null when unset.</summary>
    public string? PapyraToolProperty { get; init; }
}

/// <summary>Runs an analyzer (and a code fix) over markup sources: <c>{|PAP0001:code|}</c> marks an expected diagnostic.</summary>
/// <typeparam name="TAnalyzer">The analyzer under test.</typeparam>
internal static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Asserts that the analyzer reports exactly the diagnostics marked in <paramref name="source"/>.</summary>
    /// <param name="source">Markup source.</param>
    /// <param name="project">The project set-up.</param>
    /// <returns>The test.</returns>
    public static Task AnalyzerAsync(string source, TestProject? project = null)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = source };
        Configure(test, project ?? TestProject.Default);
        return test.RunAsync();
    }

    /// <summary>Asserts the marked diagnostics and that the code fix turns <paramref name="source"/> into <paramref name="fixedSource"/>.</summary>
    /// <typeparam name="TCodeFix">The code fix under test.</typeparam>
    /// <param name="source">Markup source.</param>
    /// <param name="fixedSource">The expected source after the fix (may still carry markup).</param>
    /// <param name="project">The project set-up.</param>
    /// <returns>The test.</returns>
    public static Task CodeFixAsync<TCodeFix>(string source, string fixedSource, TestProject? project = null)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier> { TestCode = source, FixedCode = fixedSource };
        Configure(test, project ?? TestProject.Default);
        return test.RunAsync();
    }

    private static void Configure(AnalyzerTest<DefaultVerifier> test, TestProject project)
    {
        // Framework references come from the local .NET 10 reference pack: no package download.
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        test.TestState.AdditionalReferences.AddRange(TestReferences.Framework);
        if (project.ReferencesAbstractions)
        {
            test.TestState.AdditionalReferences.Add(TestReferences.Abstractions);
        }

        if (project.ReferencesRuntime)
        {
            test.TestState.AdditionalReferences.AddRange(TestReferences.Runtime);
            test.TestState.AdditionalReferences.Add(TestReferences.Fixtures);
        }

        if (project.PapyraToolProperty is { } tool)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", $"is_global = true\nbuild_property.PapyraTool = {tool}\n"));
        }

        var assemblyName = project.AssemblyName;
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable);
            return solution.WithProjectAssemblyName(projectId, assemblyName).WithProjectCompilationOptions(projectId, options);
        });
    }
}
