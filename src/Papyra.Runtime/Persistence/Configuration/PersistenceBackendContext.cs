using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Papyra.Persistence.Configuration;

/// <summary>What an opened backend uses from its host: the clock and logging.</summary>
public sealed class PersistenceBackendContext
{
    /// <summary>The context of a tool or test: the system clock, no logging.</summary>
    public static PersistenceBackendContext Default { get; } = new();

    /// <summary>The clock for age retention and timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the backend logs (rotations, torn tails, write failures, reconnections). Default: nowhere.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
