using Papyra.Reports;

namespace Papyra.Hosting.Dashboard;

/// <summary>
/// What the dashboard shows at one moment. Built by an <see cref="IDashboardSource"/> (a hosted
/// system, or a store read by the CLI) from public surfaces only; figures a source cannot know are
/// <see langword="null"/> and the page says so. Rates are filled in by <see cref="DashboardFeed"/>.
/// </summary>
internal sealed record DashboardSnapshot
{
    /// <summary>Where the figures come from: <c>host</c> (a running host) or <c>store</c> (the CLI reading a store).</summary>
    public required string Source { get; init; }

    public required string SystemId { get; init; }

    /// <summary><c>NotStarted</c>, <c>Starting</c>, <c>Running</c>, <c>Stopping</c>, <c>Stopped</c>, <c>Failed</c>, or <c>Offline</c> (a store nobody runs).</summary>
    public required string State { get; init; }

    /// <summary>Unix seconds when the snapshot was taken.</summary>
    public required double Timestamp { get; init; }

    public double? UptimeSeconds { get; init; }

    public DashboardActors? Actors { get; init; }

    public required DashboardRuntime Runtime { get; init; }

    public IReadOnlyList<DashboardDeadLetter> RecentDeadLetters { get; init; } = [];

    public required DashboardPersistence Persistence { get; init; }

    /// <summary>Running and the store is healthy (or cannot be scanned).</summary>
    public bool Healthy => State == "Running" && Persistence.Status != DashboardPersistence.Unhealthy;
}

/// <summary>The actor counts and the busiest actors by mailbox depth.</summary>
internal sealed record DashboardActors(long Alive, long Restarting, long Stopping, long? Stopped, IReadOnlyList<DashboardActor>? Busiest);

/// <summary>One actor of the busiest list.</summary>
internal sealed record DashboardActor(string Address, string? Name, string ActorType, int MailboxDepth);

/// <summary>The runtime counters (null when the source does not know them) and their rates per second.</summary>
internal sealed record DashboardRuntime
{
    public long? MessagesProcessed { get; init; }

    public double? MessagesPerSecond { get; init; }

    public long? Restarts { get; init; }

    public long? DeadLetters { get; init; }

    public double? DeadLettersPerSecond { get; init; }

    public long? MailboxDepth { get; init; }
}

/// <summary>One recent dead letter.</summary>
internal sealed record DashboardDeadLetter(string? Target, string MessageType, string? Reason, double Timestamp);

/// <summary>The store's health and counters.</summary>
internal sealed record DashboardPersistence
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";
    public const string Unknown = "Unknown";

    public required string Backend { get; init; }

    /// <summary><see cref="Healthy"/>, <see cref="Unhealthy"/> or <see cref="Unknown"/> (no scan yet, or the backend cannot scan).</summary>
    public required string Status { get; init; }

    public string? Description { get; init; }

    public string? Path { get; init; }

    /// <summary>Unix seconds of the last scan, when there was one.</summary>
    public double? LastScan { get; init; }

    public long? RecordsScanned { get; init; }

    public long? TotalAnomalies { get; init; }

    /// <summary>The first few anomalies (<c>type</c>, <c>line</c>, <c>detail</c>).</summary>
    public IReadOnlyList<AnomalyJson> Anomalies { get; init; } = [];

    public string? Error { get; init; }

    /// <summary>Whether the counters are live (a running system's), as opposed to absent.</summary>
    public bool Live { get; init; }

    /// <summary>How old the counters are, in seconds (the published snapshot's age for a store).</summary>
    public double? CountersAgeSeconds { get; init; }

    /// <summary>The persistence counters by their generated names; null when the backend keeps none.</summary>
    public IReadOnlyDictionary<string, long>? Counters { get; init; }
}
