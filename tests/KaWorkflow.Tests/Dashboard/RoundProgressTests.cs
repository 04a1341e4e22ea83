using KaWorkflow.Dashboard;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Dashboard;

/// <summary>What the dashboard says about each lead, as a pure function of the round's state and the time.</summary>
[Trait("Kind", "Pure")]
public sealed class RoundProgressTests
{
    private static readonly RoundHeader Open = new("2020-21-Q1", RoundStatus.Open, London(7, 7, 9), London(7, 21, 17), 0);
    private static LeadReturn Lead(string key, ReturnStatus status, int count = 2) => new()
    {
        LeadKey = key, LeadName = key.ToUpperInvariant(), LeadEmail = key + "@x.example", Status = status,
        ActivityCount = count,
    };

    [Theory]
    [InlineData(ReturnStatus.NotOpened, 20, LeadState.NotOpened)]
    [InlineData(ReturnStatus.Opened, 20, LeadState.Opened)]
    [InlineData(ReturnStatus.Draft, 20, LeadState.DraftSaved)]
    [InlineData(ReturnStatus.Draft, 22, LeadState.Overdue)]
    [InlineData(ReturnStatus.NotOpened, 22, LeadState.Overdue)]
    [InlineData(ReturnStatus.Submitted, 22, LeadState.Submitted)]
    [InlineData(ReturnStatus.Excused, 22, LeadState.Excused)]
    [InlineData(ReturnStatus.NoUpdate, 22, LeadState.NoUpdate)]
    public void A_returns_state_follows_its_status_and_the_deadline(ReturnStatus status, int day, LeadState expected) =>
        Assert.Equal(expected, RoundProgress.StateOf(Open, Lead("a", status), London(7, day, 10)));

    [Fact]
    public void A_lead_whose_own_deadline_was_extended_is_not_overdue_on_the_rounds_deadline() =>
        Assert.Equal(LeadState.Opened, RoundProgress.StateOf(Open, Lead("a",
            ReturnStatus.Opened) with { Deadline = London(7, 28, 17) }, London(7, 22, 10)));

    [Fact]
    public void A_lead_left_with_no_activities_counts_as_excused() =>
        Assert.Equal(LeadState.Excused, RoundProgress.StateOf(Open, Lead("a", ReturnStatus.NotOpened, count: 0), London(7, 8, 10)));

    [Fact]
    public void Progress_counts_answers_leaves_excused_activities_out_and_filters_and_sorts()
    {
        ReturnItem Item(string lead, string code, RagStatus? status, string? excused = null) =>
            new(lead, code, 0, "T", null, code, null, null, null, null, null, status, ExcusedReason: excused);
        var round = new RoundSnapshot(Open,
            [
                Lead("b", ReturnStatus.Submitted) with { SubmittedAt = London(7, 8, 10) },
                Lead("a", ReturnStatus.Draft) with { SavedAt = London(7, 9, 10) }, Lead("c", ReturnStatus.NotOpened),
            ], []);
        var items = new[] { Item("a", "1", RagStatus.Green), Item("a", "2", null), Item("a", "3", null, "paused"),
            Item("b", "4", RagStatus.Red), Item("c", "5", null) };
        var p = RoundProgress.Of(round, items, London(7, 22, 10));

        Assert.Equal(["A", "B", "C"], p.Leads.Select(l => l.Name));
        Assert.Equal((1, 2), (p.Leads[0].Answered, p.Leads[0].Total));
        Assert.Equal((1, 3, 33), (p.Submitted, p.Wanted, p.Percent));
        Assert.Equal(["A", "C"], p.Filter("overdue").Select(l => l.Name));
        Assert.Equal(["C"], p.Filter("not-opened").Select(l => l.Name));
        Assert.Equal(["C", "B", "A"], RoundProgress.Sort(p.Leads, "lead", descending: true).Select(l => l.Name));
        Assert.Equal(["C", "B", "A"], RoundProgress.Sort(p.Leads, "last-activity", descending: false).Select(l => l.Name));
        Assert.Null(p.Leads.Single(l => l.Name == "B").NextReminderAt); // a submitted lead is not chased
    }

    [Fact]
    public void The_latest_lead_comes_first_with_days_late_an_escalation_mark_and_an_overdue_count()
    {
        var round = new RoundSnapshot(Open,
        [
            Lead("able", ReturnStatus.Submitted), Lead("late", ReturnStatus.Opened) with { Deadline = London(7, 23, 17) },
            Lead("later", ReturnStatus.NotOpened), Lead("waiting", ReturnStatus.Opened) with { Deadline = London(7, 31, 17) },
        ],
        [
            Effect.Reminder("later", 3, escalated: true, London(7, 24, 9)) with { State = EffectState.Done },
        ]);
        var progress = RoundProgress.Of(round, [], London(7, 27, 10));
        var sorted = RoundProgress.Sort(progress.Leads, null, false);
        Assert.Equal(["later", "late", "waiting", "able"], sorted.Select(l => l.LeadKey));
        Assert.Equal((5, true), (sorted[0].DaysOverdue, sorted[0].Escalated));
        Assert.Equal((3, false), (sorted[1].DaysOverdue, sorted[1].Escalated));
        Assert.Equal(2, progress.Overdue);
    }

    [Fact]
    public void Invitations_waiting_for_the_send_window_are_counted_as_queued()
    {
        var sunday = new DateTimeOffset(2020, 7, 5, 11, 0, 0, TimeSpan.Zero);
        var monday = WorkingCalendar.AtLocal(new DateOnly(2020, 7, 6), new TimeOnly(9, 0));
        var round = new RoundSnapshot(Open, [Lead("a", ReturnStatus.NotOpened), Lead("b", ReturnStatus.NotOpened)],
            [Effect.Invite("a", 1, monday), Effect.Invite("b", 1, monday)]);
        var progress = RoundProgress.Of(round, [], sunday);
        Assert.Equal(2, progress.Queued.Count);
        Assert.Equal(monday, progress.Queued.Min(e => e.NotBefore));
    }

    [Fact]
    public void An_e_mail_due_for_over_an_hour_and_not_sent_counts_as_unsent_as_a_parked_one_does()
    {
        var now = London(7, 8, 12);
        var round = new RoundSnapshot(Open,
            [Lead("stuck", ReturnStatus.NotOpened), Lead("fresh", ReturnStatus.NotOpened), Lead("gone", ReturnStatus.NotOpened)],
            [
                Effect.Invite("stuck", 2, now.AddHours(-2)),
                Effect.Invite("fresh", 1, now.AddMinutes(-30)),
                Effect.Invite("gone", 1, now.AddHours(-3)) with { State = EffectState.Parked, LastError = "refused" },
                Effect.Report(1, now.AddHours(-5)),
            ]);
        var progress = RoundProgress.Of(round, [], now);
        Assert.Equal(["invite|stuck|2", "invite|gone|1"], progress.Unsent.Select(e => e.Id));
        Assert.Equal([1, 0, 1], new[] { "stuck", "fresh", "gone" }
            .Select(k => progress.Leads.Single(l => l.LeadKey == k).UnsentEmails));
    }

    [Theory]
    [InlineData("reminder|lifeline@council.example|5", "Reminder 5")]
    [InlineData("invite|a@council.example|1", "Invitation")]
    [InlineData("invite|a@council.example|2", "Invitation (new link 2)")]
    [InlineData("reminder|a@x.example|2: no longer needed", "Reminder 2: no longer needed")]
    [InlineData("Committee papers due", "Committee papers due")]
    public void The_timeline_names_e_mails_in_words_not_outbox_ids(string detail, string words) =>
        Assert.Equal(words, TimelineWords.Of(detail));
}
