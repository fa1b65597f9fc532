using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Papyra.Persistence.Redis.Tests.Infrastructure;

/// <summary>Keeps every log entry (level, message, exception text) for assertions.</summary>
public sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message, string? Exception)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Entries.Enqueue((logLevel, formatter(state, exception), exception?.ToString()));
}
