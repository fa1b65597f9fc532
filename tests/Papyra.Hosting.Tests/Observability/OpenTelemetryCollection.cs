namespace Papyra.Hosting.Tests.Observability;

/// <summary>
/// Meters and activity sources are process-wide: tests that attach OpenTelemetry listeners run
/// alone so they see only the systems they create.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OpenTelemetryCollection
{
    public const string Name = "OpenTelemetry";
}
