using System.Globalization;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;

namespace KaWorkflow.Hosting;

/// <summary>An argument the command line cannot use: its message is the one line the user sees (exit code 2).</summary>
public sealed class CliArgumentException(string message) : Exception(message);

/// <summary>
/// Reading the command line's arguments: each either gives its value or throws a <see cref="CliArgumentException"/>
/// that names the argument, what was typed and what would work.
/// </summary>
public static class CliArguments
{
    private static readonly string[] IsoWithOffset =
        ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];

    private static readonly string[] IsoLocal = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd HH:mm"];

    private static readonly string[] UkLocal = ["d/M/yyyy", "d/M/yyyy HH:mm"];

    /// <summary>Whether the user asked for help.</summary>
    public static bool WantsHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "help");

    /// <summary>The value after <paramref name="name"/>, or null when the option is absent.</summary>
    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return null;
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--"))
            throw new CliArgumentException($"{name} needs a value after it.");
        return args[i + 1];
    }

    /// <summary>
    /// A moment: ISO (2024-10-07, 2024-10-07T09:00, 2024-10-07T09:00:00+01:00) or UK day/month/year (21/10/2024,
    /// 21/10/2024 09:00). Without an offset it is London time; without a time, 09:00. A day/month/year whose day
    /// and month could be swapped is refused, since it reads differently in the US.
    /// </summary>
    public static DateTimeOffset Moment(string name, string text)
    {
        var t = text.Trim();
        var invariant = CultureInfo.InvariantCulture;
        if (DateTimeOffset.TryParseExact(t, IsoWithOffset, invariant, DateTimeStyles.None, out var exact))
            return exact;
        if (DateTime.TryParseExact(t, IsoLocal, invariant, DateTimeStyles.None, out var iso)) return London(iso, t);
        if (DateTime.TryParseExact(t, UkLocal, invariant, DateTimeStyles.None, out var uk))
        {
            if (uk.Day <= 12 && uk.Day != uk.Month)
                throw new CliArgumentException(
                    $"{name} {text}: is that {uk:d MMMM} or {new DateTime(uk.Year, uk.Day, uk.Month):d MMMM}? " +
                    $"Write it year first: {uk:yyyy-MM-dd} for {uk:d MMMM yyyy}.");
            return London(uk, t);
        }
        throw new CliArgumentException(
            $"{name} {text}: not a date. Write it as 2024-10-07, 2024-10-07T09:00 or 21/10/2024 (day/month/year).");
    }

    private static DateTimeOffset London(DateTime local, string typed) => WorkingCalendar.AtLocal(
        DateOnly.FromDateTime(local), typed.Contains(':') ? TimeOnly.FromDateTime(local) : new TimeOnly(9, 0));

    /// <summary>A round's id, such as 2024-25-Q1: the financial year, then the quarter.</summary>
    public static Quarter Round(string name, string text) => Quarter.TryParse(text, out var quarter)
        ? quarter
        : throw new CliArgumentException($"{name} {text}: a round id looks like 2024-25-Q1.");

    /// <summary>A TCP port to listen on, 1 to 65535.</summary>
    public static int Port(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new CliArgumentException($"{name} {text}: a port is a whole number from 1 to 65535, such as 5080.");

    /// <summary>How many times faster than the wall's the clock runs: a positive number.</summary>
    public static double Scale(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale)
        && double.IsFinite(scale) && scale > 0
            ? scale
            : throw new CliArgumentException(
                $"{name} {text}: how many times faster than real time, as a number such as 36000 (an hour every " +
                "0.1 s) or 7200.");

    /// <summary>A length of time: whole numbers of weeks, days, hours and minutes, such as 3d, 4h, 1d12h or
    /// 90m.</summary>
    public static TimeSpan Span(string name, string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text.Trim(),
            @"^(?:(\d{1,4})w)?(?:(\d{1,4})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?$",
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        int Part(int group) => match.Groups[group].Success
            ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var span = match.Success
            ? TimeSpan.FromDays(7 * Part(1) + Part(2)) + TimeSpan.FromHours(Part(3)) + TimeSpan.FromMinutes(Part(4))
            : TimeSpan.Zero;
        return span > TimeSpan.Zero ? span : throw new CliArgumentException(
            $"{name} {text}: a length of time such as 3d (days), 4h (hours), 1d12h or 90m.");
    }

    /// <summary>A file that exists and can be read: its path.</summary>
    public static string ExistingFile(string name, string path)
    {
        if (Directory.Exists(path))
            throw new CliArgumentException($"{name} {path}: is a folder; give the CSV file in it.");
        if (!File.Exists(path)) throw new CliArgumentException($"{name} {path}: no such file.");
        return path;
    }
}
