namespace KaWorkflow.Reminders;

/// <summary>A reminder the policy would send: its number, when, and whether it is escalated.</summary>
public sealed record ReminderSlot(int Number, DateTimeOffset At, bool Overdue, bool Escalated);

/// <summary>Pure rules for a round's dates and its reminder schedule on the working-day calendar.</summary>
public sealed class ChasePolicy(ChaseOptions options, WorkingCalendar calendar)
{
    public ChaseOptions Options => options;
    public WorkingCalendar Calendar => calendar;

    /// <summary>When the round for a quarter opens by itself: the Nth working day after quarter end, at the configured
    /// time.</summary>
    public DateTimeOffset ScheduledOpening(Rounds.Quarter quarter) =>
        WorkingCalendar.AtLocal(calendar.AddWorkingDays(quarter.End, options.OpenOnWorkingDay), options.OpenAt);

    /// <summary>The deadline of a round opened at <paramref name="openedAt"/>: the end of the send window on the Nth
    /// working day.</summary>
    public DateTimeOffset Deadline(DateTimeOffset openedAt) =>
        WorkingCalendar.AtLocal(calendar.AddWorkingDays(WorkingCalendar.LocalDate(openedAt),
            options.DeadlineWorkingDays), options.SendWindowEnd);

    /// <summary>Reminder <paramref name="number"/> (1-based) for a return due at <paramref name="deadline"/>, or null
    /// past the cap.</summary>
    public ReminderSlot? Reminder(int number, DateTimeOffset deadline)
    {
        if (number < 1 || number > options.MaxReminders) return null;
        var deadlineDay = WorkingCalendar.LocalDate(deadline);
        var day = number switch
        {
            1 => calendar.AddWorkingDays(deadlineDay, -options.FirstReminderDaysBeforeDeadline),
            2 => deadlineDay,
            _ => calendar.AddWorkingDays(deadlineDay, options.OverdueEveryWorkingDays * (number - 2)),
        };
        var overdueIndex = number - 2;
        return new ReminderSlot(number, WorkingCalendar.AtLocal(day, options.SendWindowStart), overdueIndex > 0,
            overdueIndex > options.EscalateAfterOverdueReminders);
    }

    /// <summary>
    /// The reminder to send now for a return that has had <paramref name="sent"/> reminders, skipping any
    /// whose time passed while nothing ran (one e-mail, not a burst), or null when none is due.
    /// </summary>
    public ReminderSlot? DueNow(int sent, DateTimeOffset deadline, DateTimeOffset now)
    {
        ReminderSlot? due = null;
        for (var n = sent + 1; Reminder(n, deadline) is { } slot && slot.At <= now; n++)
            due = slot;
        return due;
    }

    /// <summary>
    /// How many reminder slots for <paramref name="deadline"/> lie at or before <paramref name="now"/>: where a chase
    /// starts when the deadline moves, so a slot that has already gone by is not sent late as a surprise.
    /// </summary>
    public int StagesPassed(DateTimeOffset deadline, DateTimeOffset now)
    {
        var n = 0;
        while (Reminder(n + 1, deadline) is { } slot && slot.At <= now) n++;
        return n;
    }

    /// <summary>The next moment a reminder becomes due after <paramref name="sent"/> have gone, or null when chasing is
    /// over.</summary>
    public DateTimeOffset? NextAfter(int sent, DateTimeOffset deadline) => Reminder(sent + 1, deadline)?.At;

    /// <summary>Whether e-mail may go out at this instant: a working day, inside the send window.</summary>
    public bool InSendWindow(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, WorkingCalendar.London);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return calendar.IsWorkingDay(DateOnly.FromDateTime(local.DateTime)) && time >= options.SendWindowStart
            && time < options.SendWindowEnd;
    }

    /// <summary>The next instant inside the send window, at or after <paramref name="now"/>.</summary>
    public DateTimeOffset NextSendWindow(DateTimeOffset now)
    {
        if (InSendWindow(now)) return now;
        var local = TimeZoneInfo.ConvertTime(now, WorkingCalendar.London);
        var date = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) >= options.SendWindowStart) date = date.AddDays(1);
        return WorkingCalendar.AtLocal(calendar.OnOrAfter(date), options.SendWindowStart);
    }
}
