using System.Globalization;
using System.Text.Json.Serialization;
using Papyra.Shared.Time;

namespace Papyra;

/// <summary>A snapshot of an actor system's registry and counters, from <see cref="ActorSystem.Audit(bool)"/>.</summary>
/// <param name="SystemId">The system id.</param>
/// <param name="Timestamp">When the audit was taken, in Unix epoch seconds.</param>
/// <param name="TotalActors">Actors spawned since the system started (stopped ones included).</param>
/// <param name="AliveActors">Actors running and not stopping.</param>
/// <param name="StoppingActors">Actors that are stopping but have not finished.</param>
/// <param name="RestartingActors">Actors in the middle of a restart.</param>
/// <param name="RegistrySize">Registered names.</param>
/// <param name="RegistryOrphans">Names whose actor is unknown, sorted.</param>
/// <param name="RegistryDead">Names whose actor is no longer alive, sorted.</param>
/// <param name="DeadLettersCount">Dead letters since the system started.</param>
/// <param name="Actors">Per-actor details when requested; otherwise empty.</param>
public sealed record AuditReport(
    string SystemId,
    double Timestamp,
    int TotalActors,
    int AliveActors,
    int StoppingActors,
    int RestartingActors,
    int RegistrySize,
    IReadOnlyList<string> RegistryOrphans,
    IReadOnlyList<string> RegistryDead,
    long DeadLettersCount,
    IReadOnlyList<ActorInfo> Actors)
{
    /// <summary><see cref="Timestamp"/> as an instant in UTC, to the tick.</summary>
    [JsonIgnore]
    public DateTimeOffset Time => UnixSeconds.ToDateTimeOffset(Timestamp);

    /// <summary>Four human-readable lines: system id, actor counts, registry, dead letters.</summary>
    /// <returns>The lines.</returns>
    public IReadOnlyList<string> SummaryLines() =>
    [
        $"system_id={SystemId}",
        string.Create(CultureInfo.InvariantCulture, $"actors(total={TotalActors}, alive={AliveActors}, stopping={StoppingActors}, restarting={RestartingActors})"),
        string.Create(CultureInfo.InvariantCulture, $"registry(size={RegistrySize}, orphans={RegistryOrphans.Count}, dead={RegistryDead.Count})"),
        string.Create(CultureInfo.InvariantCulture, $"dead_letters={DeadLettersCount}"),
    ];
}
