using KaWorkflow.Rounds;

namespace KaWorkflow.Reminders;

/// <summary>How on time a round's e-mails went, in business time: each one's lateness against when it was due (an
/// invitation or reminder is due at the first moment of the send window at or after its planned time), and how
/// many of those went outside the window.</summary>
public sealed record Timeliness(int Count, TimeSpan P50, TimeSpan P99, TimeSpan Max, int OutsideWindow)
{
    /// <summary>Lateness of each e-mail sent, from its outbox row and when it went. Pure.</summary>
    public static Timeliness Of(IEnumerable<(Effect Effect, DateTimeOffset SentAt)> sent, ChasePolicy policy)
    {
        var late = new List<TimeSpan>();
        var outside = 0;
        foreach (var (effect, at) in sent)
        {
            if (!Effect.IsMail(effect.Id)) continue;
            var chase = effect.Kind is EffectKind.Invite or EffectKind.Reminder;
            var planned = effect.Planned ?? effect.NotBefore;
            var due = chase ? policy.NextSendWindow(planned) : planned;
            late.Add(at > due ? at - due : TimeSpan.Zero);
            if (chase && !policy.InSendWindow(at)) outside++;
        }
        late.Sort();
        TimeSpan Percentile(double p) => late.Count == 0 ? TimeSpan.Zero
            : late[Math.Min(late.Count - 1, (int)Math.Ceiling(p / 100 * late.Count) - 1)];
        return new Timeliness(late.Count, Percentile(50), Percentile(99), late.Count == 0 ? TimeSpan.Zero : late[^1],
            outside);
    }

    /// <summary>In words, for a rehearsal's summary.</summary>
    public string Describe() =>
        $"{Count} e-mails late by p50 {Words(P50)}, p99 {Words(P99)}, at most {Words(Max)} (business time); " +
        (OutsideWindow == 0 ? "none outside the send window" : $"{OutsideWindow} outside the send window");

    private static string Words(TimeSpan t) =>
        t < TimeSpan.FromMinutes(1) ? $"{t.TotalSeconds:F0} s" : t < TimeSpan.FromHours(1) ? $"{t.TotalMinutes:F0} min"
        : $"{t.TotalHours:F1} h";
}
