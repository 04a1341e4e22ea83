// KaWorkflow's benchmarks: each figure beside its baseline or limit, as a Markdown table (also written to
// bench-results.md). Timings on a shared machine are noisy, so figures are medians (or percentiles) of several
// repetitions with their spread, and the submit figure is a ratio against a baseline measured in the same run.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using KaWorkflow.Benchmarks;
using KaWorkflow.Demo;
using KaWorkflow.Reports;

if (args.Length == 2 && args[0] == "--report") return ReportChild.Run(args[1]); // a child process measuring one format

var rows = new List<Row>();
KaWorkflow.Tests.Support.Azurite.ServicesApart = true; // see ServicesApart for why
var debug = typeof(Program).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is [DebuggableAttribute d]
            && d.IsJITOptimizerDisabled;
var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0);
var machine = $"{Environment.ProcessorCount} cores, {memory:F1} GB memory, " +
              $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
              $"{(debug ? "Debug" : "Release")} build";
Console.WriteLine($"KaWorkflow benchmarks on {machine}");
var only = args.Where(a => !a.StartsWith("--")).ToHashSet();
bool Wanted(string name) => only.Count == 0 || only.Contains(name); // a row's name or its first word

// A benchmark that fails still gives its row, saying why, and the others run.
async Task Measure(string name, Func<Task<IEnumerable<Row>>> run)
{
    if (!Wanted(name) && !Wanted(name.Split('-')[0])) return;
    try { rows.AddRange(await run()); }
    catch (Exception e) { rows.Add(new Row(name, "failed", e.GetType().Name + ": " + e.Message.Split('\n')[0], "—", "not met")); }
}
await Measure("form", async () => await FormBench.RunAsync());
await Measure("burst", async () => await BurstBench.RunAsync(leads: 300, activities: 2000));
await Measure("quarter-300", async () => [await QuarterBench.RunAsync(leads: 300, activities: 2000, goalSeconds: 60)]);
// The same quarter on a clock moved by hand, each step taken in before the next: its e-mails are what the scaled
// quarter must send too.
await Measure("quarter-300-by-hand",
    async () => [await QuarterBench.RunAsync(leads: 300, activities: 2000, goalSeconds: null, scaled: false)]);
await Measure("quarter-50", async () => [await QuarterBench.RunAsync(leads: 50, activities: 340, goalSeconds: null)]);
await Measure("quarter-100",
    async () => [await QuarterBench.RunAsync(leads: 100, activities: 680, goalSeconds: null)]); // how it scales
await Measure("report", async () => await ReportBench.RunAsync(activities: 2000));
await Measure("history", async () => new[] { await HistoryBench.RunAsync(), HistoryBench.Report }.OfType<Row>());
await Measure("idle", async () => [await IdleBench.RunAsync()]);
await Measure("start", async () => [await StartBench.RunAsync()]);

var table = new StringBuilder()
    .AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}.")
    .AppendLine()
    .AppendLine("| row | measure | figure | baseline or limit | ratio or verdict |")
    .AppendLine("|---|---|---|---|---|");
foreach (var r in rows) table.AppendLine($"| {r.Name} | {r.Measure} | {r.Figure} | {r.Baseline} | {r.Verdict} |");
Console.WriteLine();
Console.WriteLine(table);
await File.WriteAllTextAsync(Path.Combine(Bench.RepoRoot, "bench-results.md"), table.ToString());
Console.WriteLine("Written to bench-results.md");
return 0;

namespace KaWorkflow.Benchmarks
{
    /// <summary>One line of the results table.</summary>
    public sealed record Row(string Name, string Measure, string Figure, string Baseline, string Verdict);

    /// <summary>Percentiles and formatting shared by the benchmarks.</summary>
    public static class Stats
    {
        public static double Percentile(IReadOnlyList<double> values, double p)
        {
            var sorted = values.Order().ToList();
            if (sorted.Count == 0) return double.NaN;
            var rank = p / 100 * (sorted.Count - 1);
            var low = (int)Math.Floor(rank);
            var high = (int)Math.Ceiling(rank);
            return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
        }

        public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

        public static string Ms(double ms) => ms.ToString(ms < 10 ? "F1" : "F0", CultureInfo.InvariantCulture) + " ms";

        public static string Spread(IReadOnlyList<double> values) => $"{Ms(values.Min())}–{Ms(values.Max())}";
    }
}
