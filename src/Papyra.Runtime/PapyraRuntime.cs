namespace Papyra;

/// <summary>Facts about the Papyra runtime assembly.</summary>
public static class PapyraRuntime
{
    /// <summary>The prefix of every <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/> name Papyra publishes.</summary>
    public const string TelemetryPrefix = "Papyra";
}
