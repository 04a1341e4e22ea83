namespace KaWorkflow.Storage;

/// <summary>
/// Adds up the time and number of storage requests made on behalf of one web request, so the response's
/// <c>Server-Timing</c> header can say how much of the app's time was storage (browser tools and the benchmarks read
/// it).
/// </summary>
public static class StorageTiming
{
    /// <summary>One request's running total.</summary>
    public sealed class Tally
    {
        internal long Ticks;
        internal int Requests;

        public TimeSpan Time => TimeSpan.FromTicks(Interlocked.Read(ref Ticks));
        public int Count => Volatile.Read(ref Requests);
    }

    private static readonly AsyncLocal<Tally?> Current = new();

    /// <summary>
    /// Starts counting for the current request; what runs below it in the same async flow is counted. Keep the tally:
    /// the response may start outside that flow.
    /// </summary>
    public static Tally Begin() => Current.Value = new Tally();

    public static void Add(TimeSpan elapsed)
    {
        if (Current.Value is not { } tally) return;
        Interlocked.Add(ref tally.Ticks, elapsed.Ticks);
        Interlocked.Increment(ref tally.Requests);
    }
}
