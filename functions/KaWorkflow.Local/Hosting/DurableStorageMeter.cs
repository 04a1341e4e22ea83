namespace KaWorkflow.Storage;

/// <summary>
/// Counts the durable engine's own storage requests (its queues, its history and instance tables, its lease and
/// large-message blobs), by service, so the benchmarks can price an idle hour and a request's
/// <c>Server-Timing</c> includes the queue message a submission sends.
/// </summary>
public sealed class DurableStorageMeter
{
    public StorageMeter Blobs { get; } = new();
    public StorageMeter Queues { get; } = new();
    public StorageMeter Tables { get; } = new();

    /// <summary>All three together.</summary>
    public long RequestCount => Blobs.RequestCount + Queues.RequestCount + Tables.RequestCount;
}
