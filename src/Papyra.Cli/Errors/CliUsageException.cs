namespace Papyra.Cli.Errors;

/// <summary>
/// A usage or configuration error found by the CLI itself (bad option value, missing store,
/// quarantine without a directory). Exits 64 with its message, which is one sentence naming the value.
/// </summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
