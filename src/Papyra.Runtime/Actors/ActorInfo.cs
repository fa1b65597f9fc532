namespace Papyra;

/// <summary>A snapshot of one actor's place in the system.</summary>
/// <param name="Address">The actor's address.</param>
/// <param name="Name">Its registered name, if any.</param>
/// <param name="Parent">Its parent's address; <see langword="null"/> for a root actor.</param>
/// <param name="Children">Its children's addresses, in spawn order.</param>
/// <param name="IsAlive">Whether it accepts messages (running, starting or restarting).</param>
/// <param name="IsStopping">Whether it is stopping.</param>
/// <param name="IsRestarting">Whether it is being restarted.</param>
/// <param name="ActorType">The actor class's full name.</param>
/// <param name="MailboxDepth">Messages waiting in its mailbox (approximate while it runs).</param>
public sealed record ActorInfo(
    ActorAddress Address,
    string? Name,
    ActorAddress? Parent,
    IReadOnlyList<ActorAddress> Children,
    bool IsAlive,
    bool IsStopping,
    bool IsRestarting,
    string ActorType,
    int MailboxDepth);
