using System.ComponentModel.DataAnnotations;
using KaWorkflow.Rounds;

namespace KaWorkflow.Reports;

/// <summary>The report's wording: who publishes it, its title and its column headings, which councils change from
/// year to year (2019-20's report heads a column "CMT Lead"; 2024-25's "CMT Lead / Team").</summary>
public sealed class ReportOptions
{
    public const string Section = "Report";

    /// <summary>The council's name, shown under the report's title.</summary>
    [Required]
    public string CouncilName { get; set; } = "District Council";

    /// <summary>The report's title: <c>{quarter}</c> is the quarter's number, <c>{year}</c> the financial year in
    /// <see cref="YearForm"/>. 2024-25's: "Appendix 7: Key Activity Quarterly Report, Quarter {quarter} ({year})".
    /// </summary>
    [Required]
    public string Title { get; set; } = "Key Activity Quarterly Report, Quarter {quarter} ({year})";

    /// <summary>How the title writes the financial year: <c>Short</c> is 2024-25, <c>Long</c> 2024-2025.</summary>
    public FinancialYearForm YearForm { get; set; } = FinancialYearForm.Short;

    /// <summary>The first column's heading: the activity's code and title.</summary>
    [Required] public string ActivityHeading { get; set; } = "Key Activities";

    /// <summary>The lead's column heading (the lead's team, else their name).</summary>
    [Required] public string LeadHeading { get; set; } = "CMT Lead";

    /// <summary>The portfolio column's heading.</summary>
    [Required] public string PortfolioHeading { get; set; } = "Portfolio";

    /// <summary>Adds a Trend column: each activity's status in its last four quarters, this one included. Off by
    /// default, as the council's published report has none.</summary>
    public bool Trend { get; set; }

    /// <summary>The title for a quarter.</summary>
    public string TitleFor(Quarter quarter) => Title
        .Replace("{quarter}", quarter.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Replace("{year}", YearForm == FinancialYearForm.Long
            ? $"{quarter.StartYear}-{quarter.StartYear + 1}" : quarter.FinancialYear);

    /// <summary>Every table's headings, in the council's order.</summary>
    public IReadOnlyList<string> Columns =>
        [ActivityHeading, "Status", "Progress", "Next Steps", LeadHeading, PortfolioHeading, .. TrendHeading];

    private string[] TrendHeading => Trend ? ["Trend"] : [];
}

/// <summary>How a financial year is written.</summary>
public enum FinancialYearForm { Short, Long }
