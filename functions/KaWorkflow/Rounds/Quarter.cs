using System.Globalization;
using System.Text.RegularExpressions;

namespace KaWorkflow.Rounds;

/// <summary>A quarter of the UK financial year (Q1 is April to June); its round id looks like
/// <c>2020-21-Q1</c>.</summary>
public sealed partial record Quarter(int StartYear, int Number)
{
    public string RoundId => $"{StartYear}-{(StartYear + 1) % 100:D2}-Q{Number}";
    public string FinancialYear => $"{StartYear}-{(StartYear + 1) % 100:D2}";
    public DateOnly Start => new DateOnly(StartYear, 4, 1).AddMonths(3 * (Number - 1));
    public DateOnly End => Start.AddMonths(3).AddDays(-1);
    public string Title => $"Quarter {Number} ({FinancialYear})";
    public Quarter Previous => Number == 1 ? new(StartYear - 1, 4) : new(StartYear, Number - 1);
    public Quarter Next => Number == 4 ? new(StartYear + 1, 1) : new(StartYear, Number + 1);

    public static Quarter Containing(DateOnly date)
    {
        var startYear = date.Month >= 4 ? date.Year : date.Year - 1;
        var monthsIn = (date.Month + 12 - 4) % 12;
        return new Quarter(startYear, monthsIn / 3 + 1);
    }

    public static bool TryParse(string? roundId, out Quarter quarter)
    {
        quarter = null!;
        var m = roundId is null ? Match.Empty : Id().Match(roundId);
        if (!m.Success) return false;
        var start = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if ((start + 1) % 100 != int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) return false;
        quarter = new Quarter(start, int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        return true;
    }

    public static Quarter Parse(string roundId) =>
        TryParse(roundId, out var q) ? q : throw new FormatException($"'{roundId}' is not a round id like 2024-25-Q1.");

    public override string ToString() => RoundId;

    [GeneratedRegex(@"^(20\d\d)-(\d\d)-Q([1-4])$")]
    private static partial Regex Id();
}
