using System.ComponentModel.DataAnnotations;
namespace KaWorkflow.Reminders;

/// <summary>When rounds open, when returns are due, and when leads are chased. Days are working days.</summary>
public sealed class ChaseOptions : IValidatableObject
{
    public const string Section = "Chase";

    /// <summary>The working day after quarter end on which a round opens by itself (1 = first working day).</summary>
    [Range(1, 20)]
    public int OpenOnWorkingDay { get; set; } = 5;

    /// <summary>London time at which a scheduled round opens.</summary>
    public TimeOnly OpenAt { get; set; } = new(9, 0);

    /// <summary>Whether rounds open by themselves on schedule; off, the performance team opens them by hand.</summary>
    public bool AutoOpen { get; set; } = true;

    /// <summary>Working days from opening to the deadline.</summary>
    /// <remarks>Changing it affects rounds opened afterwards; open rounds keep the deadline they were given.</remarks>
    [Range(1, 60)]
    public int DeadlineWorkingDays { get; set; } = 10;

    /// <summary>Working days before the deadline on which the first reminder goes.</summary>
    [Range(0, 30)]
    public int FirstReminderDaysBeforeDeadline { get; set; } = 3;

    /// <summary>Working days between reminders once a return is overdue.</summary>
    [Range(1, 30)]
    public int OverdueEveryWorkingDays { get; set; } = 2;

    /// <summary>Overdue reminders after which later ones are escalated (copied to the performance team).</summary>
    [Range(0, 50)]
    public int EscalateAfterOverdueReminders { get; set; } = 2;

    /// <summary>The most reminders one lead gets in a round, so a forgotten round stops chasing.</summary>
    [Range(0, 50)]
    public int MaxReminders { get; set; } = 8;

    /// <summary>Start of the London working-day window in which chasing e-mails are sent.</summary>
    public TimeOnly SendWindowStart { get; set; } = new(9, 0);

    /// <summary>End of the window: the deadline falls at this time on the deadline day.</summary>
    public TimeOnly SendWindowEnd { get; set; } = new(17, 0);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (SendWindowEnd <= SendWindowStart)
            yield return new ValidationResult("Chase:SendWindowEnd must be after Chase:SendWindowStart.",
                [nameof(SendWindowStart), nameof(SendWindowEnd)]);
    }
}
