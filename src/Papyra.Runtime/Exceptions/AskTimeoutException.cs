namespace Papyra;

/// <summary>An ask got no reply within its timeout. A reply that arrives later is dropped and counted.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException()
        : base("The ask timed out.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AskTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AskTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
