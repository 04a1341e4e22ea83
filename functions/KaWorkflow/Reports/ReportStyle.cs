namespace KaWorkflow.Reports;

/// <summary>
/// How statuses look in every format: the word always, with a colour beside it (never colour alone), and the text
/// colour that keeps it readable on that fill (WCAG AA contrast).
/// </summary>
public static class ReportStyle
{
    /// <summary>Fill colour (hex, no #) for a status column label: GOV.UK palette colours.</summary>
    public static string Fill(string label) => label switch
    {
        "Green" => "00703C", "Amber" => "F47738", "Red" => "D4351C", "Complete" => "1D70B8", "Deferred" => "505A5F",
        "Excused" => "B1B4B6", _ => "F3F2F1",
    };

    /// <summary>Text colour on <see cref="Fill"/>: black on the light fills, white on the dark ones.</summary>
    public static string Ink(string label) => label is "Amber" or "Excused" or "No update" ? "0B0C0C" : "FFFFFF";

    /// <summary>Direction of travel in words, with an arrow that only repeats them.</summary>
    public static string Direction(Direction d) => d switch
    {
        Reports.Direction.Improved => "↑ improved", Reports.Direction.Worse => "↓ worse",
        Reports.Direction.Unchanged => "→ unchanged", _ => "new",
    };
}
