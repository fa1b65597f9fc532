namespace Papyra.Persistence.Configuration;

/// <summary>
/// Persistence settings that cannot be turned into a backend: a missing path, a backend that this
/// build does not include, an invalid value. The message is one sentence naming the bad value,
/// with secrets removed; operators fix the configuration, not the storage.
/// </summary>
public sealed class PersistenceConfigurationException : Exception
{
    /// <summary>Creates the exception with a message naming the bad setting.</summary>
    /// <param name="message">One sentence naming the setting and its value; it must not contain secrets.</param>
    public PersistenceConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">One sentence naming the setting and its value; it must not contain secrets.</param>
    /// <param name="innerException">The underlying error.</param>
    public PersistenceConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
