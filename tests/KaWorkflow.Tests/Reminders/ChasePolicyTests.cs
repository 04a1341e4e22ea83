using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Reminders;

[Trait("Kind", "Pure")]
public sealed class ChasePolicyTests
{
    private readonly ChasePolicy _policy = new(new ChaseOptions(), WorkingCalendar.Default);
    private DateTimeOffset Deadline => _policy.Deadline(London(7, 7, 9));

    [Fact]
    public void The_Q1_round_opens_on_the_fifth_working_day_after_quarter_end_at_nine() =>
        Assert.Equal(London(7, 7, 9), _policy.ScheduledOpening(new Quarter(2020, 1)));

    [Fact]
    public void The_deadline_is_ten_working_days_after_opening_at_the_end_of_the_send_window() =>
        Assert.Equal(London(7, 21, 17), Deadline);

    [Fact]
    public void Reminders_go_three_days_before_on_the_day_then_every_two_working_days()
    {
        var times = Enumerable.Range(1, 5).Select(n => _policy.Reminder(n, Deadline)!.At).ToList();
        Assert.Equal([London(7, 16, 9), London(7, 21, 9), London(7, 23, 9), London(7, 27, 9), London(7, 29, 9)], times);
    }

    [Fact]
    public void Reminders_after_the_second_overdue_one_are_escalated()
    {
        Assert.False(_policy.Reminder(3, Deadline)!.Escalated);
        Assert.False(_policy.Reminder(4, Deadline)!.Escalated);
        Assert.True(_policy.Reminder(5, Deadline)!.Escalated);
        Assert.True(_policy.Reminder(3, Deadline)!.Overdue);
        Assert.False(_policy.Reminder(2, Deadline)!.Overdue);
    }

    [Fact]
    public void Chasing_stops_after_the_configured_number_of_reminders() =>
        Assert.Null(_policy.Reminder(new ChaseOptions().MaxReminders + 1, Deadline));

    [Fact]
    public void Missed_reminders_collapse_into_the_latest_one_due()
    {
        var due = _policy.DueNow(0, Deadline, London(7, 24, 10));
        Assert.Equal(3, due!.Number);
        Assert.Null(_policy.DueNow(3, Deadline, London(7, 24, 10)));
    }

    [Fact]
    public void Nothing_is_due_before_the_first_reminder_time() =>
        Assert.Null(_policy.DueNow(0, Deadline, London(7, 16, 8)));

    [Fact]
    public void Mail_waits_for_the_next_working_morning_outside_the_send_window()
    {
        Assert.False(_policy.InSendWindow(London(7, 10, 18)));
        Assert.Equal(London(7, 13, 9), _policy.NextSendWindow(London(7, 10, 18))); // Friday evening -> Monday
        Assert.True(_policy.InSendWindow(London(7, 13, 9)));
    }

    [Fact]
    public void A_moved_deadline_counts_slots_already_gone_by_so_none_is_sent_late()
    {
        Assert.Equal(0, _policy.StagesPassed(Deadline, London(7, 16, 8)));
        Assert.Equal(1, _policy.StagesPassed(Deadline, London(7, 16, 9)));
        Assert.Equal(2, _policy.StagesPassed(Deadline, London(7, 22, 12)));
    }
}
