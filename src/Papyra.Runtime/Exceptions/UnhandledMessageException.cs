namespace Papyra;

/// <summary>An ask's message was not handled by the actor (it went to <see cref="Actor.Unhandled(object)"/> and became a dead letter).</summary>
public sealed class UnhandledMessageException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public UnhandledMessageException()
        : base("The actor did not handle the message.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public UnhandledMessageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnhandledMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
