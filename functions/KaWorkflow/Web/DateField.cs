using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace KaWorkflow.Web;

/// <summary>
/// A date typed into the GOV.UK date input (day, month and year boxes), kept as typed so an error page shows it
/// again, with the Design System's error messages. Months may be typed as numbers or names ("7", "jul", "July").
/// </summary>
public sealed record DateField(string Day, string Month, string Year, DateOnly? Value, string? Error)
{
    /// <summary>Reads <c>{name}-day</c>, <c>{name}-month</c> and <c>{name}-year</c>, or a carried-over
    /// ISO <c>{name}</c> (the confirmation page's hidden field).</summary>
    /// <param name="label">How the error names the field, for example "The new deadline".</param>
    public static DateField Read(IFormCollection form, string name, string label)
    {
        if (DateOnly.TryParseExact(form[name].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var carried))
            return Of(carried);
        return Parse(form[$"{name}-day"].ToString(), form[$"{name}-month"].ToString(), form[$"{name}-year"].ToString(),
            label);
    }

    /// <summary>A valid date shown back in the three boxes.</summary>
    public static DateField Of(DateOnly date) =>
        new(date.Day.ToString(CultureInfo.InvariantCulture), date.Month.ToString(CultureInfo.InvariantCulture),
            date.Year.ToString(CultureInfo.InvariantCulture), date, null);

    /// <summary>Parses the three boxes; every failure keeps what was typed and says what to fix.</summary>
    public static DateField Parse(string? day, string? month, string? year, string label)
    {
        string d = (day ?? "").Trim(), m = (month ?? "").Trim(), y = (year ?? "").Trim();
        DateField Fail(string error) => new(d, m, y, null, error);

        var missing = new[] { ("day", d), ("month", m), ("year", y) }.Where(p => p.Item2.Length == 0)
            .Select(p => p.Item1).ToList();
        if (missing.Count == 3) return Fail($"Enter {Lower(label)}");
        if (missing.Count > 0) return Fail($"{label} must include a {string.Join(" and ", missing)}");
        if (!int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var yy) || y.Length != 4)
            return Fail("Year must include 4 numbers");
        if (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var dd)
            || MonthNumber(m) is not { } mm || mm is < 1 or > 12 || dd < 1 || dd > DateTime.DaysInMonth(yy, mm))
            return Fail($"{label} must be a real date");
        return new(d, m, y, new DateOnly(yy, mm, dd), null);
    }

    private static int? MonthNumber(string month)
    {
        if (int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        if (month.Length < 3) return null;
        var names = CultureInfo.GetCultureInfo("en-GB").DateTimeFormat.MonthNames;
        var i = Array.FindIndex(names, full => full.Length > 0
            && full.StartsWith(month, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : i + 1;
    }

    private static string Lower(string label) => label.Length == 0 ? label : char.ToLowerInvariant(label[0]) + label[1..];
}
