using System.ComponentModel.DataAnnotations;
namespace KaWorkflow.Reports;

/// <summary>What the report says about who published it.</summary>
public sealed class ReportOptions
{
    public const string Section = "Report";

    /// <summary>The council's name, shown under the report's title.</summary>
    [Required]
    public string CouncilName { get; set; } = "District Council";
}
