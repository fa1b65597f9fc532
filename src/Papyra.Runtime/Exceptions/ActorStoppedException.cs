namespace Papyra;

/// <summary>
/// An operation needed a running actor or actor system and it was not running: an ask to a stopped
/// actor, a spawn before <see cref="ActorSystem.StartAsync(CancellationToken)"/> or after disposal.
/// </summary>
public sealed class ActorStoppedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ActorStoppedException()
        : base("The actor is not running.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ActorStoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ActorStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
