using System.Globalization;

namespace KaWorkflow.Reminders;

/// <summary>The council's working days: Monday to Friday in Europe/London, less England and Wales bank
/// holidays.</summary>
public sealed class WorkingCalendar
{
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private readonly HashSet<DateOnly> _holidays;

    public WorkingCalendar(IEnumerable<DateOnly> holidays)
    {
        _holidays = holidays.ToHashSet();
        First = _holidays.Count > 0 ? _holidays.Min() : DateOnly.MinValue;
        Last = _holidays.Count > 0 ? _holidays.Max() : DateOnly.MaxValue;
    }

    /// <summary>The first and last holiday the data file knows: dates outside this span may be wrong.</summary>
    public DateOnly First { get; }
    public DateOnly Last { get; }

    public IReadOnlySet<DateOnly> Holidays => _holidays;

    /// <summary>Reads the bank-holiday file (one ISO date a line, text after it and '#' lines ignored).</summary>
    public static WorkingCalendar FromFile(string path) => new(File.ReadAllLines(path)
        .Select(l => l.Trim())
        .Where(l => l.Length >= 10 && !l.StartsWith('#'))
        .Select(l => DateOnly.ParseExact(l[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>The calendar shipped in <c>Data/</c> beside the app.</summary>
    public static WorkingCalendar Default { get; } =
        FromFile(Path.Combine(AppContext.BaseDirectory, "Data", "bank-holidays-england-and-wales.txt"));

    public bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(date);

    /// <summary>The date <paramref name="days"/> working days after (or, if negative, before) <paramref
    /// name="date"/>.</summary>
    public DateOnly AddWorkingDays(DateOnly date, int days)
    {
        var step = days >= 0 ? 1 : -1;
        for (var left = Math.Abs(days); left > 0;)
        {
            date = date.AddDays(step);
            if (IsWorkingDay(date)) left--;
        }
        return date;
    }

    /// <summary>The working day on or after <paramref name="date"/>.</summary>
    public DateOnly OnOrAfter(DateOnly date)
    {
        while (!IsWorkingDay(date)) date = date.AddDays(1);
        return date;
    }

    /// <summary>An instant as every page shows it: London time, UK form ("Tue 7 Jul 10:00"); "–" for none.</summary>
    public static string Display(DateTimeOffset? instant) => instant is { } at
        ? TimeZoneInfo.ConvertTime(at, London).ToString("ddd d MMM HH:mm", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))
        : "–";

    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, London).DateTime);

    /// <summary>The instant of a London wall-clock time on a date (DST-aware).</summary>
    public static DateTimeOffset AtLocal(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, London.GetUtcOffset(local));
    }
}
