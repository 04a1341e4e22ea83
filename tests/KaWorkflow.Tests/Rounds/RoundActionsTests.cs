using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Rounds;

/// <summary>The performance team's actions as pure decisions: what each does to a round, and when each is refused.</summary>
[Trait("Kind", "Pure")]
public sealed class RoundActionsTests
{
    private static readonly ChasePolicy Policy = new(new ChaseOptions(), WorkingCalendar.Default);
    private static readonly DateTimeOffset Opened = London(7, 7, 9);
    private static ActionContext By(DateTimeOffset now) => new("pat@council.example", "asked by the chief executive", now);

    private static List<KeyActivity> Register(int leads, int perLead) =>
        Enumerable.Range(0, leads).SelectMany(l => Enumerable.Range(1,
            perLead).Select(a => new KeyActivity(l * perLead + a, "Theme", "CO 1",
            $"KA.{l + 1:D2}.{a:D2}", $"Activity {a}", $"Lead {l}", $"lead{l}@council.example", null, "Strategy",
                RagStatus.Green, "old", "next"))).ToList();

    private static (RoundSnapshot Round, List<ReturnItem> Items) AnOpenRound(int leads = 3, int perLead = 2)
    {
        var plan = RoundDecisions.Open(new Quarter(2020, 1), Register(leads, perLead), Opened, Policy, "test");
        return (new RoundSnapshot(plan.Header with { Status = RoundStatus.Open }, plan.Leads.Select(c => c.Returns![0]).ToList(), []),
            plan.Leads.SelectMany(c => c.Items!).ToList());
    }

    private static RoundSnapshot Apply(RoundSnapshot round, ActionOutcome outcome)
    {
        Assert.True(outcome.Ok, outcome.RefusedBecause);
        foreach (var change in outcome.Changes)
        {
            if (change.Header is { } h) round = round with { Header = h };
            foreach (var r in change.Returns ?? []) round = round with { Returns = round.Returns.Select(x
                => x.LeadKey == r.LeadKey ? r : x).ToList() };
            round = round with { Effects = [.. round.Effects, .. change.Effects ?? []] };
        }
        return round;
    }

    private static RoundSnapshot AllSubmitted(RoundSnapshot round) =>
        round with { Returns = round.Returns.Select(r => r with { Status = ReturnStatus.Submitted }).ToList() };

    [Fact]
    public void Every_action_records_who_and_why_in_the_event_log()
    {
        var (round, _) = AnOpenRound();
        var outcome = RoundActions.ExcuseLead(round.Header, round.Returns[0], By(Opened.AddDays(1)));
        var ev = Assert.Single(outcome.Changes.SelectMany(c => c.Events ?? []));
        Assert.Equal("pat@council.example", ev.Actor);
        Assert.Contains("asked by the chief executive", ev.Detail);
        Assert.Equal("lead0@council.example", ev.LeadKey);
    }

    [Fact]
    public void Extending_the_round_restarts_chasing_from_the_new_deadline()
    {
        var (round, _) = AnOpenRound();
        var now = London(7, 20, 10); // after the first reminder's day
        round = round with { Returns = round.Returns.Select(r => r with { ChaseStage = 1, RemindersSent = 1,
            NextReminderAt = London(7, 21, 9) }).ToList() };
        round = Apply(round, RoundActions.ExtendDeadline(round.Header, null, London(8, 4, 17), By(now)));

        var rebased = RoundDecisions.Advance(round, now, Policy);
        Assert.All(rebased, c => Assert.Empty(c.Effects ?? []));
        var ret = rebased[0].Returns![0];
        Assert.Equal(London(8, 4, 17), ret.ChaseDeadline);
        Assert.Equal(0, ret.ChaseStage);
        Assert.Equal(London(7, 30, 9), ret.NextReminderAt); // three working days before the new deadline
        Assert.Equal(now, RoundDecisions.NextDue(round, now)); // the lead rebases at once
    }

    [Fact]
    public void Extending_one_lead_moves_only_their_deadline()
    {
        var (round, _) = AnOpenRound();
        var outcome = RoundActions.ExtendDeadline(round.Header, round.Returns[1], London(7, 28, 17), By(Opened));
        round = Apply(round, outcome);
        Assert.Equal(London(7, 28, 17), round.Returns[1].DueBy(round.Header));
        Assert.Equal(London(7, 21, 17), round.Returns[0].DueBy(round.Header));
    }

    [Fact]
    public void A_deadline_cannot_move_into_the_past_or_earlier()
    {
        var (round, _) = AnOpenRound();
        Assert.False(RoundActions.ExtendDeadline(round.Header, null, London(7, 8, 17), By(London(7, 9, 9))).Ok);
        Assert.False(RoundActions.ExtendDeadline(round.Header, null, London(7, 20, 17), By(Opened)).Ok);
        Assert.False(RoundActions.ExtendDeadline(round.Header, round.Returns[0], London(7, 14, 17), By(Opened)).Ok);
    }

    [Fact]
    public void Reassigning_moves_the_activity_and_its_answers_and_tells_both_leads()
    {
        var (round, items) = AnOpenRound();
        var item = items.First(i => i.LeadKey == "lead0@council.example") with { Status = RagStatus.Amber,
            Progress = "Half way", ETag = "W/1" };
        var outcome = RoundActions.Reassign(round.Header, round.Returns[0], item, round.Returns[1],
            By(Opened.AddDays(1)), "performance@council.example");

        var change = Assert.Single(outcome.Changes);
        var moved = Assert.Single(change.Items!);
        Assert.Equal("lead1@council.example", moved.LeadKey);
        Assert.Equal(("Half way", RagStatus.Amber), (moved.Progress, moved.Status));
        Assert.Null(moved.ETag); // inserted under the new lead's key
        Assert.Equal(item, Assert.Single(change.RemovedItems!)); // deleted only if unchanged since read
        Assert.Equal([1, 3], change.Returns!.Select(r => r.ActivityCount));
        var notices = change.Effects!.Select(e => e.Message!).ToList();
        Assert.Equal(["lead0@council.example", "lead1@council.example"], notices.Select(m => m.To[0]));
        Assert.Contains("KA.01.01", notices[1].Subject);
    }

    [Fact]
    public void Reassigning_an_unanswered_activity_to_a_submitted_lead_reopens_their_return()
    {
        var (round, items) = AnOpenRound();
        round = AllSubmitted(round);
        var item = items.First(i => i.LeadKey == "lead0@council.example");
        var change = RoundActions.Reassign(round.Header, round.Returns[0], item, round.Returns[1], By(Opened), "p@x.example").Changes[0];
        Assert.Equal(ReturnStatus.Draft, change.Returns![1].Status);
    }

    [Fact]
    public void A_lead_whose_last_activity_moves_away_is_no_longer_outstanding()
    {
        var (round, items) = AnOpenRound(perLead: 1);
        var change = RoundActions.Reassign(round.Header, round.Returns[0], items[0], round.Returns[1], By(Opened),
            "p@x.example").Changes[0];
        Assert.False(change.Returns![0].Outstanding);
    }

    [Fact]
    public void Excused_leads_are_not_chased_and_the_round_can_complete_without_them()
    {
        var (round, _) = AnOpenRound(leads: 2);
        round = round with { Returns = [round.Returns[0] with { Status = ReturnStatus.Submitted }, round.Returns[1]] };
        round = Apply(round, RoundActions.ExcuseLead(round.Header, round.Returns[1], By(Opened)));
        Assert.Equal("asked by the chief executive", round.Returns[1].ExcusedReason);
        var changes = RoundDecisions.Advance(round, London(7, 30, 9), Policy);
        Assert.DoesNotContain(changes.SelectMany(c => c.Effects ?? []), e => e.Kind == EffectKind.Reminder);
        Assert.Equal(RoundStatus.Complete, Assert.Single(changes, c => c.Header is not null).Header!.Status);
    }

    [Fact]
    public void Excusing_a_leads_last_wanted_activity_excuses_the_lead()
    {
        var (round, items) = AnOpenRound(perLead: 2);
        var mine = items.Where(i => i.LeadKey == "lead0@council.example").ToList();
        var first = RoundActions.ExcuseActivity(round.Header, round.Returns[0], mine, mine[0].Code, By(Opened)).Changes[0];
        Assert.Equal(ReturnStatus.NotOpened, first.Returns![0].Status);
        Assert.True(first.Items![0].Excused);
        mine[0] = first.Items[0];
        var second = RoundActions.ExcuseActivity(round.Header, first.Returns[0], mine, mine[1].Code, By(Opened)).Changes[0];
        Assert.Equal(ReturnStatus.Excused, second.Returns![0].Status);
        Assert.False(RoundActions.ExcuseActivity(round.Header, second.Returns[0], mine, mine[0].Code, By(Opened)).Ok);
    }

    [Fact]
    public void Resending_an_invite_moves_the_link_generation_on_and_queues_a_new_invite()
    {
        var (round, _) = AnOpenRound();
        var change = RoundActions.ResendInvite(round.Header, round.Returns[2], By(Opened)).Changes[0];
        Assert.Equal(2, change.Returns![0].TokenGeneration);
        Assert.Equal("invite|lead2@council.example|2", Assert.Single(change.Effects!).Id);
    }

    [Fact]
    public void Closing_marks_missing_returns_and_queues_the_next_report_version()
    {
        var (round, _) = AnOpenRound();
        round = round with { Returns = [round.Returns[0] with { Status = ReturnStatus.Submitted }, .. round.Returns.Skip(1)] };
        var outcome = RoundActions.Close(round, By(London(7, 28, 12)));
        round = Apply(round, outcome);
        Assert.Equal(RoundStatus.Closed, round.Header.Status);
        Assert.Equal(1, round.Header.ReportVersion);
        Assert.Equal([ReturnStatus.Submitted, ReturnStatus.NoUpdate, ReturnStatus.NoUpdate], round.Returns.Select(r => r.Status));
        Assert.Contains(round.Effects, e => e.Id == "report|v1");
        Assert.Empty(RoundDecisions.Advance(round, London(7, 30, 9), Policy)); // a closed round is not chased
        Assert.False(RoundActions.Close(round, By(London(7, 28, 13))).Ok);
    }

    [Fact]
    public void Reopening_a_return_after_completion_leads_to_the_next_report_version()
    {
        var (round, _) = AnOpenRound(leads: 2);
        round = AllSubmitted(round);
        var now = London(7, 22, 10);
        round = Apply(round, new ActionOutcome(RoundDecisions.Advance(round, now, Policy), null));
        Assert.Equal((RoundStatus.Complete, 1), (round.Header.Status, round.Header.ReportVersion));

        round = Apply(round, RoundActions.Reopen(round, round.Returns[0], By(now.AddHours(1)), Policy));
        Assert.Equal(RoundStatus.Open, round.Header.Status);
        Assert.Equal((ReturnStatus.Draft, 2), (round.Returns[0].Status, round.Returns[0].TokenGeneration));
        Assert.Equal(ReturnStatus.Submitted, round.Returns[1].Status);
        Assert.Contains(round.Effects, e => e.Id == "invite|lead0@council.example|2");
        Assert.True(round.Returns[0].DueBy(round.Header) > now);

        round = round with { Returns = [round.Returns[0] with { Status = ReturnStatus.Submitted }, round.Returns[1]] };
        var again = RoundDecisions.Advance(round, now.AddHours(2), Policy);
        Assert.Equal(2, Assert.Single(again, c => c.Header is not null).Header!.ReportVersion);
    }

    [Fact]
    public void Reopening_after_a_close_keeps_the_other_missing_returns_closed()
    {
        var (round, _) = AnOpenRound();
        round = Apply(round, RoundActions.Close(round, By(London(7, 28, 12))));
        round = Apply(round, RoundActions.Reopen(round, round.Returns[1], By(London(7, 28, 13)), Policy));
        Assert.Equal([ReturnStatus.NoUpdate, ReturnStatus.Draft, ReturnStatus.NoUpdate], round.Returns.Select(r => r.Status));
        Assert.Equal([round.Returns[1]], round.Returns.Where(r => r.Outstanding));
    }

    [Fact]
    public void Actions_on_an_open_round_are_refused_once_it_has_finished_and_reopening_is_refused_while_open()
    {
        var (round, items) = AnOpenRound();
        Assert.False(RoundActions.Reopen(round, round.Returns[0], By(Opened), Policy).Ok);
        var closed = round.Header with { Status = RoundStatus.Closed };
        var by = By(Opened.AddDays(1));
        Assert.False(RoundActions.ExtendDeadline(closed, null, London(8, 20, 17), by).Ok);
        Assert.False(RoundActions.Reassign(closed, round.Returns[0], items[0], round.Returns[1], by, "p@x.example").Ok);
        Assert.False(RoundActions.ExcuseLead(closed, round.Returns[0], by).Ok);
        Assert.False(RoundActions.ResendInvite(closed, round.Returns[0], by).Ok);
    }

    [Fact]
    public void Naming_a_delegate_queues_their_invitation_with_a_place_for_the_link_and_removing_them_queues_nothing()
    {
        var (round, _) = AnOpenRound();
        var named = RoundDecisions.NameDelegate(round.Header, round.Returns[0], "Dee", "dee@council.example", Opened,
            "p@x.example").Change!;
        var ret = named.Returns![0];
        Assert.Equal(("dee@council.example", "Dee"), (ret.Delegate, ret.DelegateName));
        var invite = Assert.Single(named.Effects!);
        Assert.Equal(EffectKind.DelegateInvite, invite.Kind);
        Assert.Contains(KaWorkflow.Mail.RoundMails.LinkPlaceholder, invite.Message!.Body);
        Assert.Equal(["lead0@council.example"], invite.Message.Cc);

        var removed = RoundDecisions.NameDelegate(round.Header, ret, null, null, Opened, "p@x.example").Change!;
        Assert.Null(removed.Returns![0].Delegate);
        Assert.Null(removed.Effects);
        Assert.NotNull(RoundDecisions.NameDelegate(round.Header with { Status = RoundStatus.Closed }, ret, "Dee",
            "d@x.example", Opened, "p").RefusedBecause);
    }
}
