namespace KaWorkflow.Hosting;

/// <summary>
/// The app's clock: the system clock normally; the local demo and tests set and move it by hand so a whole
/// quarter runs in seconds. Nothing in the app reads the system clock directly.
/// </summary>
public sealed class AdjustableClock : TimeProvider
{
    private DateTimeOffset? _frozen;
    private readonly Lock _lock = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _frozen ?? base.GetUtcNow();
    }

    /// <summary>Stops the clock at <paramref name="now"/>; it moves only by <see cref="Advance"/> from then on.</summary>
    public void Set(DateTimeOffset now)
    {
        lock (_lock) _frozen = now.ToUniversalTime();
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock) _frozen = (_frozen ?? base.GetUtcNow()) + by;
    }
}
