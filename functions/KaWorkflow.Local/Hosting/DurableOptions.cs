using System.ComponentModel.DataAnnotations;
namespace KaWorkflow.Hosting;

/// <summary>How the local durable engine (DurableTask.Core with its Azure Storage backend) is run.</summary>
/// <remarks>In Azure the Durable Functions extension runs the same engine with <c>host.json</c>'s settings.</remarks>
public sealed class DurableOptions
{
    public const string Section = "Durable";

    /// <summary>The task hub: the engine's queues, tables and containers are named after it. Empty: the table prefix
    /// followed by <c>hub</c>.</summary>
    /// <remarks>Changing it on a live installation strands every running round's orchestration in the old hub
    /// (their Table Storage state is kept; the quarterly timer starts them again in the new one).</remarks>
    [LocalOnly]
    public string? TaskHub { get; set; }

    /// <summary>Longest wait, in milliseconds, between polls of an empty queue. Each poll is a storage
    /// request.</summary>
    /// <remarks>Azure's default is 30 s; locally a short one keeps tests and the demo quick.</remarks>
    [LocalOnly, Range(10, 60_000)]
    public int MaxPollingIntervalMs { get; set; } = 1000;

    /// <summary>Seconds before work a crashed process had taken is taken up again by another (or by it,
    /// restarted).</summary>
    /// <remarks>The backend's default is 5 minutes; 15 s was measured to resume promptly here after SIGKILL.</remarks>
    [LocalOnly, Range(1, 3600)]
    public int VisibilityTimeoutSeconds { get; set; } = 15;

    /// <summary>Whether this process runs the engine: off for one-shot commands that only start or tell
    /// rounds.</summary>
    [LocalOnly]
    public bool RunWorker { get; set; } = true;
}
