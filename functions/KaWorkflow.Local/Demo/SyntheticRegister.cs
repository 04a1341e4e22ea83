using KaWorkflow.Register;

namespace KaWorkflow.Demo;

/// <summary>A made-up register of any size, shaped like the real one (three themes, eleven objectives), for
/// benchmarks.</summary>
public static class SyntheticRegister
{
    private static readonly string[] Themes = ["THE PLACE: an enterprising, vibrant place",
        "THE PEOPLE: a healthy, inclusive and engaged community", "YOUR COUNCIL: innovative, proactive and efficient"];

    public static List<KeyActivity> Create(int leads, int activities)
    {
        var statuses = Enum.GetValues<RagStatus>();
        return Enumerable.Range(0, activities).Select(n =>
        {
            var objective = n * 11 / activities; // objectives in register order, spread evenly
            var lead = n % leads;
            return new KeyActivity(n, Themes[objective * 3 / 11], $"CO {objective + 1}: Objective {objective + 1}",
                $"KA.{objective + 1:D2}.{n + 1:D4}",
                $"Key activity {n + 1} of the corporate plan", $"Chief Officer {lead + 1:D3}",
                $"lead{lead + 1:D3}@council.example", "Team " + (lead % 7 + 1),
                "Portfolio " + (objective % 5 + 1), statuses[n % statuses.Length],
                "- Work continued in line with the plan.\n- Milestones for the quarter were met.",
                "- Continue delivery.\n- Report to the portfolio holder.");
        }).ToList();
    }
}
