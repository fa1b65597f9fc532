using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Papyra.Runtime.Tests.Support;

/// <summary>A logger that keeps every entry (level, message, whether an exception came with it).</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message, bool HasException)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Entries.Enqueue((logLevel, formatter(state, exception), exception is not null));

    public int Count(LogLevel level) => Entries.Count(e => e.Level == level);
}
