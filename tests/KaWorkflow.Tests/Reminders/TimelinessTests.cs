using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Reminders;

/// <summary>How late e-mails went against when they were due, in business time, and whether any went outside the
/// send window.</summary>
[Trait("Kind", "Pure")]
public sealed class TimelinessTests
{
    private static readonly ChasePolicy Policy = new(new ChaseOptions(), WorkingCalendar.Default);

    [Fact]
    public void A_reminder_sent_half_an_hour_after_its_slot_is_half_an_hour_late()
    {
        var reminder = Effect.Reminder("a", 1, false, London(7, 16, 9), planned: London(7, 16, 9));
        var t = Timeliness.Of([(reminder, London(7, 16, 9, 30))], Policy);
        Assert.Equal((1, TimeSpan.FromMinutes(30), 0), (t.Count, t.Max, t.OutsideWindow));
    }

    [Fact]
    public void An_invitation_planned_on_a_saturday_is_due_when_the_window_opens_on_monday() =>
        Assert.Equal(TimeSpan.Zero,
            Timeliness.Of([(Effect.Invite("a", 1, London(7, 4, 11)), London(7, 6, 9))], Policy).Max);

    [Fact]
    public void A_reminder_sent_after_the_window_closed_counts_as_outside_it() =>
        Assert.Equal(1, Timeliness.Of([(Effect.Reminder("a", 1, false, London(7, 16, 9)), London(7, 16, 18))], Policy)
            .OutsideWindow);

    [Fact]
    public void A_report_is_not_mail_and_a_notice_may_go_at_any_hour()
    {
        var t = Timeliness.Of([(Effect.Report(1, London(7, 16, 20)), London(7, 16, 21)),
            (Effect.ReportReady(1, London(7, 16, 20)), London(7, 16, 20))], Policy);
        Assert.Equal((1, TimeSpan.Zero, 0), (t.Count, t.Max, t.OutsideWindow));
    }

    [Fact]
    public void Percentiles_come_from_the_sorted_lateness()
    {
        var sent = Enumerable.Range(0, 100).Select(m => (Effect.Reminder($"l{m}", 1, false, London(7, 16, 9)),
            London(7, 16, 9).AddMinutes(m)));
        var t = Timeliness.Of(sent, Policy);
        Assert.Equal((TimeSpan.FromMinutes(49), TimeSpan.FromMinutes(98), TimeSpan.FromMinutes(99)),
            (t.P50, t.P99, t.Max));
    }
}
