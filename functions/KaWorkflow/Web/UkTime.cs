using System.Globalization;
using KaWorkflow.Reminders;

namespace KaWorkflow.Web;

/// <summary>Moments written the way the council reads them: London time, UK order, English names.</summary>
public static class UkTime
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>How much of a moment to write.</summary>
    public enum Style
    {
        /// <summary>"Tue 7 Jul 09:00": tables and timelines.</summary>
        Moment,

        /// <summary>"Tuesday 7 July 2020": days and deadlines.</summary>
        Day,

        /// <summary>"09:00".</summary>
        Time,

        /// <summary>"9:00am on Tuesday 7 July": the lead's form.</summary>
        Friendly,
    }

    /// <summary>Beyond this from now a moment carries its year, so "Tue 7 Jul" cannot be read as the wrong July.
    /// </summary>
    public static readonly TimeSpan YearlessWithin = TimeSpan.FromDays(90);

    /// <summary>The moment written in <paramref name="style"/>; with <paramref name="now"/>, a moment more than
    /// <see cref="YearlessWithin"/> away carries its year.</summary>
    public static string Format(DateTimeOffset at, Style style, DateTimeOffset? now = null)
    {
        var local = TimeZoneInfo.ConvertTime(at, WorkingCalendar.London);
        var far = now is { } n && (at - n).Duration() > YearlessWithin;
        return style switch
        {
            Style.Day => local.ToString("dddd d MMMM yyyy", EnGb),
            Style.Time => local.ToString("HH:mm", EnGb),
            Style.Friendly => local.ToString(far ? "h:mmtt 'on' dddd d MMMM yyyy" : "h:mmtt 'on' dddd d MMMM", EnGb)
                .Replace("AM", "am").Replace("PM", "pm"),
            _ when far => local.ToString("ddd d MMM yyyy HH:mm", EnGb),
            _ => WorkingCalendar.Display(at),
        };
    }
}
