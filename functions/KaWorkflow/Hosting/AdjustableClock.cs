namespace KaWorkflow.Hosting;

/// <summary>
/// The app's business clock. Normally the system clock. A rehearsal runs it scaled (business time passes
/// <see cref="Scale"/> times faster than wall time, so real durable timers fire a quarter in seconds); tests and the
/// simulation stop it and move it by hand, telling the orchestrations as they go. Nothing in the app reads the
/// system clock directly, and orchestrations read no clock at all: their activities report business time to them.
/// </summary>
/// <remarks>
/// On a scaled clock one second of the engine's own latency (a queue poll, an activity) is hours of business time,
/// so a rehearsal runs it waiting for the engine (<see cref="RunScaled"/>): each orchestration says, as it reads the
/// tables, when it next has something to do (<see cref="Expect"/>), and business time stops at the earliest of those
/// moments until that orchestration has acted and said its next. Every step then takes effect at its own business
/// time, however slow the machine; only the wall time stretches. A rehearsal whose every actor says its moments (the
/// simulated leads too) also skips idle time: while all are asleep, business time goes straight to the earliest
/// moment said, as a discrete-event simulation does, so the wall time is the work's alone.
/// </remarks>
public sealed class AdjustableClock : TimeProvider
{
    /// <summary>The longest business time stays stopped at one orchestration's moment while it says nothing more
    /// (one that failed, or was ended): the rehearsal then carries on without it.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    private DateTimeOffset? _frozen;
    private (DateTimeOffset Business, DateTimeOffset Wall, double Scale)? _scaled;
    private bool _waitsForWork, _skipsIdle;
    private DateTimeOffset _last = DateTimeOffset.MinValue; // business time never goes back
    private readonly Dictionary<string, Expectation> _expected = [];
    private long _said; // how many moments have been said: a stamp for Expect's readSince
    // Of the moments said, the earliest business time has not reached (or earlier): spares a scan at each reading.
    private DateTimeOffset _earliestUnreached = DateTimeOffset.MaxValue;
    private readonly Lock _lock = new();

    /// <summary>Business seconds per wall second: 1 normally, more when scaled, 0 when stopped and moved by
    /// hand.</summary>
    public double Scale
    {
        get { lock (_lock) return _frozen is not null ? 0 : _scaled?.Scale ?? 1; }
    }

    /// <summary>Whether business time waits for the orchestrations' work (a rehearsal's scaled clock).</summary>
    public bool WaitsForWork
    {
        get { lock (_lock) return _waitsForWork; }
    }

    /// <summary>Whether the rehearsal wakes each sleeping orchestration itself when business time reaches its moment
    /// (<see cref="TakeWaking"/>), as it must when it skips idle time: a scaled durable timer would then fire at the
    /// wrong business time, so the orchestrations set none.</summary>
    public bool WakesSleepers
    {
        get { lock (_lock) return _skipsIdle; }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return NowLocked(base.GetUtcNow());
    }

    private DateTimeOffset NowLocked(DateTimeOffset wall)
    {
        if (_frozen is { } frozen) return frozen;
        if (_scaled is not { } s) return wall;
        var now = s.Business + (wall - s.Wall) * s.Scale;
        if (_waitsForWork && Barrier(wall) is { } barrier && (now > barrier || _skipsIdle && now < barrier))
        {
            // Stopped at the barrier, or (skipping idle time) gone straight to it: it runs on from there, not from
            // where it would have been, once lifted.
            now = barrier > _last ? barrier : _last;
            _scaled = s with { Business = now, Wall = wall };
        }
        if (now > _last) _last = now;
        if (_waitsForWork) MarkReached(now, wall);
        return now;
    }

    /// <summary>Notes the wall time business time first reached each moment said, from which
    /// <see cref="LongestWait"/> counts.</summary>
    private void MarkReached(DateTimeOffset now, DateTimeOffset wall)
    {
        if (_earliestUnreached > now) return; // nothing new reached: the usual case
        var next = DateTimeOffset.MaxValue;
        foreach (var (who, e) in _expected.ToList())
            if (e.Reached is not null) continue;
            else if (e.Due <= now) _expected[who] = e with { Reached = wall };
            else if (e.Due < next) next = e.Due;
        _earliestUnreached = next;
    }

    /// <summary>The earliest business time something is expected to be done at, ignoring what has been waited for
    /// too long.</summary>
    private DateTimeOffset? Barrier(DateTimeOffset wall) =>
        _expected.Values.Where(e => e.Reached is not { } reached || wall - reached < LongestWait)
            .Select(e => (DateTimeOffset?)e.Due).Min();

    /// <summary>
    /// Says that <paramref name="who"/> (an orchestration) next has something to do at <paramref name="due"/>
    /// (business time), or nothing (null) but for a change. On a clock that waits for work, business time does not
    /// pass the earliest such moment until whoever said it says again; elsewhere this does nothing.
    /// </summary>
    /// <param name="replace">False to say it only for one that has said nothing yet (a lead the round has just
    /// started, which says its own once it has read).</param>
    /// <param name="readSince">The <see cref="Said"/> stamp taken before the reading this moment comes from: if
    /// someone was told to act since, the earlier of the two moments stands, for the reading may not have seen why.
    /// </param>
    /// <remarks>One due now is acting already; one due later is asleep, and <see cref="TakeWaking"/> names it when
    /// business time reaches its moment. A clock moved by hand keeps the moments too, for <see cref="Sleeps"/>; the
    /// real clock keeps none.</remarks>
    public void Expect(string who, DateTimeOffset? due, bool replace = true, long? readSince = null)
    {
        lock (_lock)
        {
            if (!_waitsForWork && _frozen is null || !replace && _expected.ContainsKey(who)) return;
            if (readSince is { } since && _expected.TryGetValue(who, out var told) && told.Said > since
                && !(told.Due >= due))
                due = told.Due;
            if (due is not { } at)
            {
                _expected.Remove(who);
                return;
            }
            var wall = base.GetUtcNow();
            var acting = at <= NowLocked(wall);
            _expected[who] = new Expectation(at, Reached: acting ? wall : null, Woken: acting, Said: ++_said);
            if (!acting && at < _earliestUnreached) _earliestUnreached = at;
        }
    }

    /// <summary>A stamp of the moments said so far, to take before a reading whose outcome is said with
    /// <see cref="Expect"/>.</summary>
    public long Said
    {
        get { lock (_lock) return _said; }
    }

    /// <summary>Whether <paramref name="who"/> last said a moment business time has not reached, and nobody has told
    /// them to act since: on a clock moved by hand, moving it tells them nothing new.</summary>
    public bool Sleeps(string who)
    {
        lock (_lock) return _expected.TryGetValue(who, out var e) && e.Due > NowLocked(base.GetUtcNow());
    }

    /// <summary>Those whose moment business time has reached while they sleep, each named once: a rehearsal wakes
    /// them at once, where a durable timer (scaled) would have fired early, while business time stood still for
    /// someone else, and slept again, over and over.</summary>
    public IReadOnlyList<string> TakeWaking()
    {
        lock (_lock)
        {
            NowLocked(base.GetUtcNow());
            var waking = _expected.Where(e => e.Value is { Reached: not null, Woken: false }).Select(e => e.Key)
                .ToList();
            foreach (var who in waking) _expected[who] = _expected[who] with { Woken = true };
            return waking;
        }
    }

    /// <summary>Who business time stands waiting for (the earliest moment said and reached, and how many share it),
    /// for a long rehearsal's progress lines; null when it is not held.</summary>
    public string? HeldBy()
    {
        lock (_lock)
        {
            var wall = base.GetUtcNow();
            if (!_waitsForWork || Barrier(wall) is not { } barrier || NowLocked(wall) < barrier) return null;
            var held = _expected.Where(e => e.Value.Due == barrier).Select(e => e.Key).Order().ToList();
            var since = _expected[held[0]].Reached is { } reached ? $", {(wall - reached).TotalSeconds:F1} s" : "";
            return $"{held[0]}{(held.Count > 1 ? $" and {held.Count - 1} more" : "")}{since}";
        }
    }

    /// <summary>What one orchestration said it next does: when, since when (wall time) business time has stood at
    /// that moment, and whether it has been told its moment came.</summary>
    private readonly record struct Expectation(DateTimeOffset Due, DateTimeOffset? Reached, bool Woken, long Said);

    /// <summary>Stops the clock at <paramref name="now"/>; it moves only by <see cref="Advance"/> from then
    /// on.</summary>
    public void Set(DateTimeOffset now)
    {
        lock (_lock)
            (_frozen, _scaled, _waitsForWork, _skipsIdle, _last) =
                (now.ToUniversalTime(), null, false, false, DateTimeOffset.MinValue);
    }

    /// <summary>Moves business time on by <paramref name="by"/>: a stopped clock stays stopped, a running one runs on
    /// from there (the real clock becomes one running at the wall's pace, ahead of it).</summary>
    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            if (_frozen is { } frozen) _frozen = frozen + by;
            else if (_scaled is { } s) _scaled = s with { Business = s.Business + by };
            else _scaled = (base.GetUtcNow() + by, base.GetUtcNow(), 1);
        }
    }

    /// <summary>Runs the clock from <paramref name="from"/> at <paramref name="scale"/> business seconds a wall
    /// second; with <paramref name="waitForWork"/>, stopping for the orchestrations' work as they say, and with
    /// <paramref name="skipIdle"/> also going straight to the earliest moment said while nothing is due (see the
    /// remarks). With nothing said at all it runs at the scale.</summary>
    public void RunScaled(DateTimeOffset from, double scale, bool waitForWork = false, bool skipIdle = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        lock (_lock)
        {
            (_frozen, _scaled, _waitsForWork) = (null, (from.ToUniversalTime(), base.GetUtcNow(), scale), waitForWork);
            _skipsIdle = waitForWork && skipIdle;
            _last = DateTimeOffset.MinValue;
            _expected.Clear();
            _earliestUnreached = DateTimeOffset.MaxValue;
        }
    }
}
