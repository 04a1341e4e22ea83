using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace KaWorkflow.Storage;

/// <summary>
/// Counts and times every storage request (each try) made through the table and blob clients, so the demo and the
/// benchmarks can say what an operation costs and <c>Server-Timing</c> can show a request's storage part.
/// </summary>
public sealed class StorageMeter : HttpPipelinePolicy
{
    private long _requests;

    /// <summary>Requests sent since the app started, retries included.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Start();
        try { ProcessNext(message, pipeline); }
        finally { StorageTiming.Add(Stopwatch.GetElapsedTime(started)); }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Start();
        try { await ProcessNextAsync(message, pipeline); }
        finally { StorageTiming.Add(Stopwatch.GetElapsedTime(started)); }
    }

    private long Start()
    {
        Interlocked.Increment(ref _requests);
        return Stopwatch.GetTimestamp();
    }
}
