namespace Papyra;

/// <summary>A bounded mailbox with <see cref="MailboxOverflowPolicy.Fail"/> was full.</summary>
public sealed class MailboxFullException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public MailboxFullException()
        : base("The mailbox is full.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public MailboxFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MailboxFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
