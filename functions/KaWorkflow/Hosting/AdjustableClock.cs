namespace KaWorkflow.Hosting;

/// <summary>
/// The app's business clock. Normally the system clock. A rehearsal runs it scaled (business time passes
/// <see cref="Scale"/> times faster than wall time, so real durable timers fire a quarter in seconds); tests and the
/// simulation stop it and move it by hand, waking the rounds' orchestrations as they go. Nothing in the app reads the
/// system clock directly, and orchestrations read no clock at all: their activities report business time to them.
/// </summary>
public sealed class AdjustableClock : TimeProvider
{
    private DateTimeOffset? _frozen;
    private (DateTimeOffset Business, DateTimeOffset Wall, double Scale)? _scaled;
    private readonly Lock _lock = new();

    /// <summary>Business seconds per wall second: 1 normally, more when scaled, 0 when stopped and moved by
    /// hand.</summary>
    public double Scale
    {
        get { lock (_lock) return _frozen is not null ? 0 : _scaled?.Scale ?? 1; }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            if (_frozen is { } frozen) return frozen;
            var wall = base.GetUtcNow();
            return _scaled is { } s ? s.Business + (wall - s.Wall) * s.Scale : wall;
        }
    }

    /// <summary>Stops the clock at <paramref name="now"/>; it moves only by <see cref="Advance"/> from then
    /// on.</summary>
    public void Set(DateTimeOffset now)
    {
        lock (_lock) (_frozen, _scaled) = (now.ToUniversalTime(), null);
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            if (_scaled is { } s) _scaled = s with { Business = s.Business + by };
            else _frozen = (_frozen ?? base.GetUtcNow()) + by;
        }
    }

    /// <summary>Runs the clock from <paramref name="from"/> at <paramref name="scale"/> business seconds a wall
    /// second.</summary>
    public void RunScaled(DateTimeOffset from, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        lock (_lock) (_frozen, _scaled) = (null, (from.ToUniversalTime(), base.GetUtcNow(), scale));
    }
}
