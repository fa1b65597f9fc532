using Microsoft.CodeAnalysis;

namespace Papyra.Generators.Metrics
{
    /// <summary>
    /// Generates metric names, snapshot members, JSON and Prometheus writers and
    /// <c>System.Diagnostics.Metrics</c> instruments from a schema declared once with
    /// <c>[MetricSchema]</c> and <c>[Metric]</c> on a partial snapshot type.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class MetricSchemaGenerator : IIncrementalGenerator
    {
        /// <summary>The tracking name of the parse step (used by the incrementality tests).</summary>
        public const string ParseStep = "MetricSchemaModels";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<MetricSchemaModel> schemas = context.SyntaxProvider
                .ForAttributeWithMetadataName(MetricSchemaParser.SchemaAttributeName, MetricSchemaParser.IsCandidate, MetricSchemaParser.Parse)
                .Where(static model => model is not null)
                .Select(static (model, _) => model!)
                .WithTrackingName(ParseStep);

            context.RegisterSourceOutput(schemas, static (output, model) =>
            {
                output.AddSource(MetricSchemaEmitter.SnapshotHintName(model), MetricSchemaEmitter.EmitSnapshot(model));
                output.AddSource(MetricSchemaEmitter.NamesHintName(model), MetricSchemaEmitter.EmitNames(model));
                output.AddSource(MetricSchemaEmitter.InstrumentsHintName(model), MetricSchemaEmitter.EmitInstruments(model));
            });
        }
    }
}
