using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Papyra.Generators.Actors;
using Papyra.Generators.Metrics;
using Papyra.Generators.Tests.Actors;
using Papyra.Generators.Tests.Metrics;

namespace Papyra.Generators.Tests;

/// <summary>
/// The generators are incremental: a re-run after an edit that does not change a model reuses the
/// cached model and output, and no model holds a symbol, syntax node, location or compilation.
/// </summary>
public sealed class IncrementalityTests
{
    private const string UnrelatedSource = "namespace Elsewhere; internal static class Unrelated { public static int Answer => 42; }";

    public static TheoryData<string, string> GeneratorsAndSources => new()
    {
        { nameof(ActorGenerator), ActorSources.AllHandlerShapes },
        { nameof(ActorGenerator), ActorSources.MessageHierarchy },
        { nameof(ActorGenerator), ActorSources.GenericAndNested },
        { nameof(MetricSchemaGenerator), MetricSchemaSources.OrderSchema },
        { nameof(MetricSchemaGenerator), MetricSchemaSources.NestedStructSchema },
    };

    [Theory]
    [MemberData(nameof(GeneratorsAndSources))]
    public void Rerun_after_an_unrelated_edit_reports_every_step_cached_or_unchanged(string generatorName, string source)
    {
        (IIncrementalGenerator generator, string parseStep) = Create(generatorName);
        CSharpCompilation compilation = GeneratorHarness.Compile(source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(generator).RunGenerators(compilation);
        Assert.NotEmpty(driver.GetRunResult().Results.Single().TrackedSteps[parseStep]);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(UnrelatedSource, GeneratorHarness.ParseOptions)));

        GeneratorRunResult rerun = driver.GetRunResult().Results.Single();
        AssertAllOutputs(rerun.TrackedSteps[parseStep], IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(rerun.TrackedOutputSteps.SelectMany(step => step.Value), IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Editing_a_handler_body_leaves_the_actor_model_unchanged_and_the_output_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(ActorSources.AllHandlerShapes);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new ActorGenerator()).RunGenerators(compilation);

        driver = driver.RunGenerators(ReplaceInSource(compilation, "_count += message.By;", "_count += message.By * 2;"));

        GeneratorRunResult rerun = driver.GetRunResult().Results.Single();
        AssertAllOutputs(rerun.TrackedSteps[ActorGenerator.ParseStep], IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(rerun.TrackedOutputSteps.SelectMany(step => step.Value), IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Adding_a_handler_modifies_the_actor_model_and_regenerates_the_output()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(ActorSources.AllHandlerShapes);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new ActorGenerator()).RunGenerators(compilation);

        driver = driver.RunGenerators(ReplaceInSource(compilation, "public int Get(GetCount message) => _count;", "public int Get(GetCount message) => _count;\n    public void Stop(string reason) { }"));

        GeneratorRunResult rerun = driver.GetRunResult().Results.Single();
        AssertAllOutputs(rerun.TrackedSteps[ActorGenerator.ParseStep], IncrementalStepRunReason.Modified);
        Assert.Contains("case string m", rerun.GeneratedSources.Single(s => s.HintName.EndsWith("Dispatch.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Renaming_a_metric_modifies_the_schema_model()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(MetricSchemaSources.OrderSchema);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new MetricSchemaGenerator()).RunGenerators(compilation);

        driver = driver.RunGenerators(ReplaceInSource(compilation, "\"orders_placed\"", "\"orders_created\""));

        GeneratorRunResult rerun = driver.GetRunResult().Results.Single();
        AssertAllOutputs(rerun.TrackedSteps[MetricSchemaGenerator.ParseStep], IncrementalStepRunReason.Modified);
    }

    [Theory]
    [MemberData(nameof(GeneratorsAndSources))]
    public void Tracked_models_hold_no_symbol_syntax_location_or_compilation(string generatorName, string source)
    {
        (IIncrementalGenerator generator, string parseStep) = Create(generatorName);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(generator).RunGenerators(GeneratorHarness.Compile(source));

        object[] models = [.. driver.GetRunResult().Results.Single().TrackedSteps[parseStep].SelectMany(s => s.Outputs).Select(o => o.Value)];

        Assert.NotEmpty(models);
        foreach (object model in models)
        {
            AssertHoldsNoRoslynObjects(model, new HashSet<object>(ReferenceEqualityComparer.Instance), model.GetType().Name);
        }
    }

    [Fact]
    public void Model_types_declare_only_strings_bools_enums_and_equatable_arrays_of_models()
    {
        Type[] models = [.. typeof(ActorGenerator).Assembly.GetTypes().Where(t => t.Name.EndsWith("Model", StringComparison.Ordinal) || t.Name is "TypeShape" or "TypeDeclaration")];
        Assert.Contains(models, t => t.Name == "ActorModel");
        Assert.Contains(models, t => t.Name == "MetricSchemaModel");

        foreach (Type model in models.Where(t => !t.IsEnum))
        {
            Assert.True(typeof(IEquatable<>).MakeGenericType(model).IsAssignableFrom(model), $"{model.Name} is not value-equatable.");
            foreach (FieldInfo field in model.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Assert.True(IsAllowedModelField(field.FieldType, models), $"{model.Name}.{field.Name} has type {field.FieldType}, which would defeat caching.");
            }
        }
    }

    private static bool IsAllowedModelField(Type type, Type[] models) =>
        type == typeof(string) || type == typeof(bool) || type == typeof(int) || type.IsEnum || models.Contains(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition().Name == "EquatableArray`1" && IsAllowedModelField(type.GetGenericArguments()[0], models));

    private static void AssertHoldsNoRoslynObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel, $"{path} holds a {value.GetType().Name}.");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertHoldsNoRoslynObjects(item, seen, $"{path}[{i++}]");
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertHoldsNoRoslynObjects(field.GetValue(value), seen, $"{path}.{field.Name}");
        }
    }

    private static void AssertAllOutputs(IEnumerable<IncrementalGeneratorRunStep> steps, params IncrementalStepRunReason[] allowed)
    {
        (object Value, IncrementalStepRunReason Reason)[] outputs = [.. steps.SelectMany(s => s.Outputs)];
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Contains(output.Reason, allowed));
    }

    private static CSharpCompilation ReplaceInSource(CSharpCompilation compilation, string oldText, string newText)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains(oldText, StringComparison.Ordinal));
        string edited = tree.ToString().Replace(oldText, newText, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(edited, GeneratorHarness.ParseOptions, tree.FilePath));
    }

    private static (IIncrementalGenerator Generator, string ParseStep) Create(string name) => name switch
    {
        nameof(ActorGenerator) => (new ActorGenerator(), ActorGenerator.ParseStep),
        nameof(MetricSchemaGenerator) => (new MetricSchemaGenerator(), MetricSchemaGenerator.ParseStep),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown generator."),
    };
}
