using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Papyra.Generators.Tests;

/// <summary>Compiles test sources against the real Papyra assemblies and runs a generator over them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>A compilation of <paramref name="sources"/> referencing the framework and Papyra.</summary>
    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "Papyra.Generators.TestSubject",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A driver that tracks incremental steps, so tests can inspect their run reasons.</summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator generator) => CSharpGeneratorDriver.Create(
        [generator.AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs <paramref name="generator"/> and returns the generated files by hint name plus the output compilation's errors.</summary>
    public static GeneratorOutput Run(IIncrementalGenerator generator, params string[] sources)
    {
        CSharpCompilation input = Compile(sources);
        GeneratorDriver driver = CreateDriver(generator).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        var files = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        ImmutableArray<Diagnostic> errors = [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        return new GeneratorOutput(files, generatorDiagnostics.AddRange(result.Diagnostics), errors, result.Exception, output);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var paths = new HashSet<string>(trusted.Split(Path.PathSeparator), StringComparer.Ordinal)
        {
            typeof(Papyra.ActorAddress).Assembly.Location,
            typeof(Papyra.Metrics.RuntimeMetricsSnapshot).Assembly.Location,
        };

        // The test runner's own assemblies (xunit, Roslyn) are not what a user's compilation sees.
        return [.. paths
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll" || name.StartsWith("Papyra.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)))
            .Where(p => !Path.GetFileName(p).StartsWith("Papyra.Generators", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorOutput(
    IReadOnlyDictionary<string, string> Files,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationErrors,
    Exception? Exception,
    Compilation OutputCompilation)
{
    /// <summary>Asserts the generator neither threw nor reported anything, and the output compiles.</summary>
    public GeneratorOutput AssertCleanAndCompiles()
    {
        Assert.Null(Exception);
        Assert.Empty(GeneratorDiagnostics);
        Assert.True(CompilationErrors.IsEmpty, "The generated code does not compile:\n" + string.Join("\n", CompilationErrors));
        return this;
    }
}
