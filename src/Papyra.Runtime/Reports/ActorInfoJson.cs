namespace Papyra.Reports;

/// <summary>One actor in a live audit: addresses as <c>system:id</c> text.</summary>
/// <param name="Address">The actor's address.</param>
/// <param name="Name">Its registered name, if any.</param>
/// <param name="Parent">Its parent's address; <see langword="null"/> for a root actor.</param>
/// <param name="Children">Its children's addresses, in spawn order.</param>
/// <param name="Alive">Whether it accepts messages.</param>
/// <param name="Stopping">Whether it is stopping.</param>
/// <param name="Restarting">Whether it is being restarted.</param>
/// <param name="ActorType">The actor class's full name.</param>
/// <param name="MailboxDepth">
/// Messages waiting in its mailbox; named <c>mailbox_depth</c> by the context's snake_case policy, as the
/// runtime metric is (a <c>JsonPropertyName</c> cannot name the generated <c>RuntimeMetricNames</c>
/// constant: the JSON generator does not see another generator's output).
/// </param>
[PapyraInternal]
public sealed record ActorInfoJson(
    string Address,
    string? Name,
    string? Parent,
    IReadOnlyList<string> Children,
    bool Alive,
    bool Stopping,
    bool Restarting,
    string ActorType,
    int MailboxDepth)
{
    /// <summary>The report form of <paramref name="actor"/>.</summary>
    /// <param name="actor">The actor.</param>
    /// <returns>Its report form.</returns>
    public static ActorInfoJson From(ActorInfo actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new(
            actor.Address.ToString(),
            actor.Name,
            actor.Parent?.ToString(),
            [.. actor.Children.Select(c => c.ToString())],
            actor.IsAlive,
            actor.IsStopping,
            actor.IsRestarting,
            actor.ActorType,
            actor.MailboxDepth);
    }
}
