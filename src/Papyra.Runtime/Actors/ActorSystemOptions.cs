using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Persistence;

namespace Papyra;

/// <summary>How an <see cref="ActorSystem"/> is configured.</summary>
public sealed class ActorSystemOptions
{
    private readonly string _systemId = "local";
    private readonly TimeSpan _defaultAskTimeout = TimeSpan.FromSeconds(5);
    private readonly int _throughput = 64;
    private readonly int _eventLogCapacity = 10_000;

    /// <summary>The system id: the first part of every actor address and of persisted records. Default <c>local</c>.</summary>
    /// <exception cref="ArgumentException">The id is empty, longer than 128 characters or has characters outside <c>A-Z a-z 0-9 - _ .</c>.</exception>
    public string SystemId
    {
        get => _systemId;
        init
        {
            if (!ActorAddress.IsValidSystemId(value))
            {
                throw new ArgumentException($"Invalid actor system id '{value}': use 1 to {ActorAddress.MaxSystemIdLength} characters from A-Z a-z 0-9 - _ .", nameof(SystemId));
            }

            _systemId = value;
        }
    }

    /// <summary>
    /// Where events, audits and dead letters are persisted; <see langword="null"/> persists nothing.
    /// The system owns the backend: it flushes and disposes it in <see cref="ActorSystem.DisposeAsync"/>.
    /// </summary>
    public IPersistenceBackend? Persistence { get; init; }

    /// <summary>The persistence check <see cref="ActorSystem.StartAsync(CancellationToken)"/> runs before any actor; scan-and-log by default.</summary>
    public PersistenceStartupConfig StartupCheck { get; init; } = PersistenceStartupConfig.Default;

    /// <summary>
    /// The clock. Its wall time (<see cref="TimeProvider.GetUtcNow"/>) gives the timestamps of
    /// events, dead letters and audits (Unix epoch seconds); its monotonic time
    /// (<see cref="TimeProvider.GetTimestamp"/> and its timers) measures restart windows and ask
    /// timeouts, so a wall clock stepped back or forward (NTP, a resumed VM) does not move them.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the system logs (hook failures, persistence write failures, actor failures).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Callbacks about events, dead letters, failures, audits and startup checks; none by default.</summary>
    public ISystemHooks? Hooks { get; init; }

    /// <summary>The timeout of an ask that gives none. Default 5 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan DefaultAskTimeout
    {
        get => _defaultAskTimeout;
        init
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(DefaultAskTimeout), value, $"DefaultAskTimeout must be positive (or infinite), not {value}.");
            }

            _defaultAskTimeout = value;
        }
    }

    /// <summary>
    /// How many messages an actor processes per turn on a thread-pool thread before yielding it to
    /// other queued work. Default 64. When no other work is waiting for the thread pool, the turn
    /// carries on for another as many (yielding then would only wake an idle thread to find nothing).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Throughput
    {
        get => _throughput;
        init
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Throughput), value, $"Throughput must be 1 or more, not {value.ToString(CultureInfo.InvariantCulture)}.");
            }

            _throughput = value;
        }
    }

    /// <summary>How many recent events and dead letters <see cref="ActorSystem.GetRecentEvents"/> and <see cref="ActorSystem.GetRecentDeadLetters"/> keep in memory. Default 10,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int EventLogCapacity
    {
        get => _eventLogCapacity;
        init
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(EventLogCapacity), value, $"EventLogCapacity must be 1 or more, not {value.ToString(CultureInfo.InvariantCulture)}.");
            }

            _eventLogCapacity = value;
        }
    }
}
