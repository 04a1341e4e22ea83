using KaWorkflow.Reminders;

namespace KaWorkflow.Tests.Support;

/// <summary>Moments as the tests state them: a wall-clock time in London (British Summer Time included).</summary>
public static class Times
{
    /// <summary>A London time in 2020, the sample round's year, unless <paramref name="year"/> says otherwise.</summary>
    public static DateTimeOffset London(int month, int day, int hour, int minute = 0, int year = 2020) =>
        WorkingCalendar.AtLocal(new DateOnly(year, month, day), new TimeOnly(hour, minute));
}
