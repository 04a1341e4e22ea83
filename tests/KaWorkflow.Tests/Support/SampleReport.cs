using KaWorkflow.Register;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;

namespace KaWorkflow.Tests.Support;

/// <summary>
/// A report model for the sample register as a quarter might leave it: statuses of every kind, lists, a lead who
/// typed markup, one return missing and one activity excused.
/// </summary>
public static class SampleReport
{
    public const string Script = "<script>alert('x')</script>";
    public const string Missing = "joint.chief.executive@council.example";
    public const string ExcusedCode = "KA.01.03";

    public static ReportModel Build(bool draft = false)
    {
        var register = RegisterCsv.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "sample", "register.csv"))).Activities;
        var statuses = Enum.GetValues<RagStatus>();
        var items = register.Select((a, n) =>
        {
            var status = statuses[n % statuses.Length];
            var item = ReturnItem.From(a) with
            {
                Status = status,
                Progress = n == 0 ? $"- Consultation closed {Script}\n- 412 responses & a petition" :
                    status == RagStatus.Red
                        ? $"1. Contractor went into administration.\n2. Corrective action: re-tender by {a.Code}."
                            : $"Progress on {a.Code}.",
                NextSteps = "- Report to the portfolio holder\n- Review in Quarter 2",
            };
            return a.Code == ExcusedCode ? item with { ExcusedReason = "Paused by Cabinet" } : item;
        }).ToList();
        var returns = register.GroupBy(a => a.LeadKey).Select(g => new LeadReturn
        {
            LeadKey = g.Key, LeadName = g.First().LeadName, LeadEmail = g.First().LeadEmail,
            Status = g.Key == Missing ? ReturnStatus.Draft : ReturnStatus.Submitted, ActivityCount = g.Count(),
        }).ToList();
        var round = new RoundHeader("2020-21-Q1", draft ? RoundStatus.Open : RoundStatus.Complete,
            new DateTimeOffset(2020, 7, 7, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 7, 21, 16, 0, 0, TimeSpan.Zero), 1);
        return ReportBuilder.Build(new ReportOptions { CouncilName = "Harborough District Council" }, round, 1, draft,
            new DateTimeOffset(2020, 7, 22, 9, 0, 0, TimeSpan.Zero), returns, items);
    }
}
