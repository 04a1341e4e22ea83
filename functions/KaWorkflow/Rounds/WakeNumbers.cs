namespace KaWorkflow.Rounds;

/// <summary>
/// Numbers for the round's wake-up events: the UTC time each was raised, in ticks, unique within a process. Waiters
/// compare them to tell when the round has taken theirs into account; the round compares them with when its last
/// decision started, so a burst of submissions makes a few turns, not one each.
/// </summary>
public static class WakeNumbers
{
    /// <summary>How far two machines' clocks may disagree: a wake-up raised closer than this to a decision is never
    /// taken as seen by it.</summary>
    public static readonly TimeSpan SkewAllowance = TimeSpan.FromSeconds(2);

    private static long _last;

    /// <summary>The latest number handed out in this process.</summary>
    public static long Last => Interlocked.Read(ref _last);

    /// <summary>The next number: now, or one past the last if that is later.</summary>
    public static long Next()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(DateTime.UtcNow.Ticks, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last) return next;
        }
    }

    /// <summary>Whether a wake-up was raised before a decision started, by more than clocks may disagree: then that
    /// decision read what the wake-up was about, which was stored before it was raised.</summary>
    public static bool SeenBy(long wake, DateTime decisionStarted) => wake < (decisionStarted - SkewAllowance).Ticks;
}
