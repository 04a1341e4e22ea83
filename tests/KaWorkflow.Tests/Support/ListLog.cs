using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KaWorkflow.Tests.Support;

/// <summary>Keeps every line the app logs, with its level, for a test to read.</summary>
public sealed class ListLog : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => this;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) => _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public void Dispose() { }
}
