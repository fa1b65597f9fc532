using System.Text.Json.Serialization;
using Papyra.Persistence.Serialization;

namespace Papyra.Reports;

/// <summary>
/// A live audit (<c>/papyra/audit</c>): the audit record's fields, named as the NDJSON audit record
/// names them (<see cref="RecordFieldNames"/>), and, when asked for, every actor.
/// </summary>
/// <param name="SystemId">The system id.</param>
/// <param name="Timestamp">When the audit was taken, in Unix epoch seconds.</param>
/// <param name="TotalActors">Actors spawned since the system started.</param>
/// <param name="AliveActors">Actors running and not stopping.</param>
/// <param name="StoppingActors">Actors that are stopping.</param>
/// <param name="RestartingActors">Actors in the middle of a restart.</param>
/// <param name="RegistrySize">Registered names.</param>
/// <param name="RegistryOrphans">Names whose actor is unknown.</param>
/// <param name="RegistryDead">Names whose actor is no longer alive.</param>
/// <param name="DeadLettersCount">Dead letters since the system started.</param>
/// <param name="Actors">Every actor, when asked for; otherwise left out of the document.</param>
[PapyraInternal]
public sealed record AuditReportJson(
    [property: JsonPropertyName(RecordFieldNames.SystemId)] string SystemId,
    [property: JsonPropertyName(RecordFieldNames.Timestamp)] double Timestamp,
    [property: JsonPropertyName(RecordFieldNames.TotalActors)] long TotalActors,
    [property: JsonPropertyName(RecordFieldNames.AliveActors)] long AliveActors,
    [property: JsonPropertyName(RecordFieldNames.StoppingActors)] long StoppingActors,
    [property: JsonPropertyName(RecordFieldNames.RestartingActors)] long RestartingActors,
    [property: JsonPropertyName(RecordFieldNames.RegistrySize)] long RegistrySize,
    [property: JsonPropertyName(RecordFieldNames.RegistryOrphans)] IReadOnlyList<string> RegistryOrphans,
    [property: JsonPropertyName(RecordFieldNames.RegistryDead)] IReadOnlyList<string> RegistryDead,
    [property: JsonPropertyName(RecordFieldNames.DeadLettersCount)] long DeadLettersCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ActorInfoJson>? Actors)
{
    /// <summary>The report of <paramref name="audit"/>.</summary>
    /// <param name="audit">The audit.</param>
    /// <param name="includeActors">Whether to list every actor.</param>
    /// <returns>The report.</returns>
    public static AuditReportJson From(AuditReport audit, bool includeActors)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return new(
            audit.SystemId,
            audit.Timestamp,
            audit.TotalActors,
            audit.AliveActors,
            audit.StoppingActors,
            audit.RestartingActors,
            audit.RegistrySize,
            audit.RegistryOrphans,
            audit.RegistryDead,
            audit.DeadLettersCount,
            includeActors ? [.. audit.Actors.Select(ActorInfoJson.From)] : null);
    }
}
