using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Rounds;

[Trait("Kind", "Pure")]
public sealed class RoundDecisionsTests
{
    private static readonly ChasePolicy Policy = new(new ChaseOptions(), WorkingCalendar.Default);
    private static readonly Quarter Q1 = new(2020, 1);
    private static readonly DateTimeOffset Opened = London(7, 7, 9);

    private static List<KeyActivity> Register(int leads, int perLead) =>
        Enumerable.Range(0, leads).SelectMany(l => Enumerable.Range(1,
            perLead).Select(a => new KeyActivity(l * perLead + a, "Theme", "CO 1",
            $"KA.{l + 1:D2}.{a:D2}", $"Activity {a}", $"Lead {l}", $"lead{l}@council.example", null, "Strategy",
                RagStatus.Green, "old", "next"))).ToList();

    /// <summary>An open round as the store would load it after opening.</summary>
    private static RoundSnapshot AnOpenRound(int leads = 3)
    {
        var plan = RoundDecisions.Open(Q1, Register(leads, 2), Opened, Policy, "test");
        return new RoundSnapshot(plan.Header with { Status = RoundStatus.Open }, plan.Leads.Select(c => c.Returns![0]).ToList(), []);
    }

    [Fact]
    public void Opening_creates_one_return_items_and_invite_per_lead()
    {
        var plan = RoundDecisions.Open(Q1, Register(3, 4), Opened, Policy, "pat");
        Assert.Equal(RoundStatus.Opening, plan.Header.Status);
        Assert.Equal(3, plan.Leads.Count);
        Assert.All(plan.Leads, c =>
        {
            Assert.Single(c.Returns!);
            Assert.Equal(4, c.Items!.Count);
            Assert.Equal(EffectKind.Invite, Assert.Single(c.Effects!).Kind);
            Assert.True(c.OperationCount <= 100);
        });
        Assert.Equal(London(7, 21, 17), plan.Header.Deadline);
        Assert.Equal(London(7, 16, 9), plan.Leads[0].Returns![0].NextReminderAt);
    }

    [Fact]
    public void Opening_with_an_empty_register_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => RoundDecisions.Open(Q1, [], Opened, Policy, "pat"));

    [Fact]
    public void Invite_ids_are_deterministic_so_queuing_twice_conflicts()
    {
        var a = RoundDecisions.Open(Q1, Register(1, 1), Opened, Policy, "x").Leads[0].Effects![0].Id;
        var b = RoundDecisions.Open(Q1, Register(1, 1), Opened.AddHours(1), Policy, "y").Leads[0].Effects![0].Id;
        Assert.Equal(a, b);
    }

    [Fact]
    public void Nothing_happens_before_the_first_reminder_is_due() =>
        Assert.Empty(RoundDecisions.Advance(AnOpenRound(), London(7, 15, 17), Policy));

    [Fact]
    public void Outstanding_leads_get_the_first_reminder_when_it_falls_due()
    {
        var changes = RoundDecisions.Advance(AnOpenRound(), London(7, 16, 9), Policy);
        Assert.Equal(3, changes.Count);
        Assert.All(changes, c =>
        {
            Assert.Equal(1, c.Returns![0].RemindersSent);
            Assert.Equal(London(7, 21, 9), c.Returns[0].NextReminderAt);
            Assert.Equal($"reminder|{c.Returns[0].LeadKey}|1", c.Effects![0].Id);
        });
    }

    [Fact]
    public void A_lead_who_has_submitted_is_never_chased()
    {
        var round = AnOpenRound();
        round = round with { Returns = round.Returns.Select((r, i) => i == 0 ? r with { Status = ReturnStatus.Submitted } : r).ToList() };
        var changes = RoundDecisions.Advance(round, London(7, 30, 12), Policy);
        Assert.DoesNotContain(changes, c => c.Returns?.Any(r => r.LeadKey == round.Returns[0].LeadKey) == true);
        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public void A_reminder_already_sent_is_not_queued_again()
    {
        var round = AnOpenRound(1);
        var first = RoundDecisions.Advance(round, London(7, 16, 9), Policy).Single();
        var after = round with { Returns = [first.Returns![0]] };
        Assert.Empty(RoundDecisions.Advance(after, London(7, 16, 15), Policy));
    }

    [Fact]
    public void Late_reminders_are_escalated()
    {
        var round = AnOpenRound(1);
        var change = RoundDecisions.Advance(round with { Returns = [round.Returns[0] with { RemindersSent = 4 }] },
            London(7, 29, 9), Policy).Single();
        Assert.True(change.Effects![0].Escalated);
        Assert.Equal("escalation-queued", change.Events![0].Type);
    }

    [Fact]
    public void When_every_return_is_in_the_round_completes_and_queues_the_report_once()
    {
        var round = AnOpenRound();
        round = round with { Returns = round.Returns.Select(r => r with { Status = ReturnStatus.Submitted }).ToList() };
        var changes = RoundDecisions.Advance(round, London(7, 17, 10), Policy);
        // First every return is rewritten as it is (so forms shown before must read again), then the header.
        Assert.Equal(round.Returns, changes.SkipLast(1).Select(c => Assert.Single(c.Returns!)));
        var change = changes[^1];
        Assert.Equal(RoundStatus.Complete, change.Header!.Status);
        Assert.Equal(1, change.Header.ReportVersion);
        Assert.Equal("report|v1", change.Effects![0].Id);
        Assert.Empty(RoundDecisions.Advance(round with { Header = change.Header }, London(7, 17, 11), Policy));
    }

    [Fact]
    public void A_draft_save_keeps_the_return_open_and_records_who_saved()
    {
        var round = AnOpenRound(1);
        var items = RoundDecisions.Open(Q1, Register(1, 2), Opened, Policy, "t").Leads[0].Items!;
        var answers = new Dictionary<string, Answer> { ["KA.01.01"] = new(RagStatus.Amber, "Delayed; plan agreed", null) };
        var outcome = RoundDecisions.Save(round.Header, round.Returns[0], items, answers, submit: false, London(7, 8,
            10), "lead0@council.example");
        var ret = outcome.Change!.Returns![0];
        Assert.Equal(ReturnStatus.Draft, ret.Status);
        Assert.Equal("lead0@council.example", ret.SavedBy);
        Assert.Null(ret.SubmittedAt);
        Assert.Single(outcome.Change.Items!);
        Assert.False(outcome.FirstSubmission);
    }

    [Fact]
    public void Submitting_then_amending_keeps_the_return_submitted_and_counts_versions()
    {
        var round = AnOpenRound(1);
        var items = RoundDecisions.Open(Q1, Register(1, 1), Opened, Policy, "t").Leads[0].Items!;
        var answers = new Dictionary<string, Answer> { ["KA.01.01"] = new(RagStatus.Green, "Done", "More") };
        var first = RoundDecisions.Save(round.Header, round.Returns[0], items, answers, true, London(7, 8, 10), "a");
        Assert.True(first.FirstSubmission);
        var submitted = first.Change!.Returns![0];
        var amend = RoundDecisions.Save(round.Header, submitted, first.Change.Items!, answers, true, London(7, 9, 10), "a");
        Assert.Equal("amended", amend.Change!.Events![0].Type);
        Assert.False(amend.FirstSubmission);
        Assert.Equal(2, amend.Change.Returns![0].Version);
        Assert.Empty(amend.Change.Items!); // nothing changed
    }

    [Fact]
    public void Saving_into_a_round_that_is_no_longer_open_is_refused()
    {
        var round = AnOpenRound(1);
        var outcome = RoundDecisions.Save(round.Header with { Status = RoundStatus.Complete }, round.Returns[0], [],
            new Dictionary<string, Answer>(), true, Opened, "a");
        Assert.Null(outcome.Change);
        Assert.Contains("closed", outcome.RefusedBecause);
    }

    [Fact]
    public void The_round_is_next_due_at_its_earliest_reminder_or_pending_effect()
    {
        var round = AnOpenRound();
        Assert.Equal(London(7, 16, 9), RoundDecisions.NextDue(round, Opened));
        var withEffect = round with { Effects = [Effect.Invite("lead0@council.example", 1, London(7, 7, 10))] };
        Assert.Equal(London(7, 7, 10), RoundDecisions.NextDue(withEffect, Opened));
        var finished = round with { Header = round.Header with { Status = RoundStatus.Complete }, Returns = [] };
        Assert.Null(RoundDecisions.NextDue(finished, Opened));
    }
}
