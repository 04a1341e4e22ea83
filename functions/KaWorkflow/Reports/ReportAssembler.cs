using KaWorkflow.Rounds;
using KaWorkflow.Storage;

namespace KaWorkflow.Reports;

/// <summary>Assembles a round's report and stores it as <c>{roundId}/v{n}/…</c> in the reports container, never
/// overwriting a version.</summary>
public sealed class ReportAssembler(
    RoundStore rounds, ReportStore files, ReportOptions options, History.HistoryStore history, TimeProvider clock)
{
    public static readonly (string Name, string ContentType)[] Files =
    [
        ("report.html", "text/html; charset=utf-8"),
        ("report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("report.csv", "text/csv; charset=utf-8"),
    ];

    /// <summary>Every format of a report, rendered from one model.</summary>
    public static Dictionary<string, BinaryData> Render(ReportModel model) => new()
    {
        ["report.html"] = BinaryData.FromString(HtmlReportWriter.Write(model)),
        ["report.docx"] = BinaryData.FromBytes(DocxReportWriter.Write(model)),
        ["report.csv"] = BinaryData.FromString(CsvReportWriter.Write(model)),
    };

    public static string BlobName(string roundId, int version, string file) => $"{roundId}/v{version}/{file}";

    /// <summary>Builds and stores every format of version <paramref name="version"/>. Safe to repeat: existing blobs
    /// are kept as they are.</summary>
    public async Task<ReportModel> AssembleAsync(string roundId, int version, bool draft, CancellationToken ct = default)
    {
        var snapshot = await rounds.LoadSnapshotAsync(roundId,
            ct) ?? throw new InvalidOperationException($"Round {roundId} does not exist.");
        var items = await rounds.LoadItemsAsync(roundId, ct);
        var stories = options.Trend || snapshot.Header.Quarter.Number == 4
            ? await history.StoriesAsync(roundId, ct) : [];
        var trends = options.Trend
            ? stories.ToDictionary(s => s.Code,
                s => (IReadOnlyList<string>)s.Last(History.ActivityHistory.TrendQuarters).Select(q => q.Label).ToList(),
                StringComparer.OrdinalIgnoreCase)
            : null;
        var model = ReportBuilder.Build(options, snapshot.Header, version, draft, clock.GetUtcNow(), snapshot.Returns,
            items, trends);
        model = model with { Year = YearInReview.Of(model, stories) };
        var contents = Render(model);
        var metadata = new Dictionary<string, string>
        {
            ["round"] = roundId, ["version"] = version.ToString(), ["draft"] = draft ? "true" : "false",
            ["assembledat"] = model.AssembledAt.ToString("O"),
        };
        // A file already there was stored by an earlier attempt that crashed before recording it:
        // versions are immutable, so the first is kept.
        foreach (var (name, type) in Files)
            await files.TryCreateAsync(BlobName(roundId, version, name), contents[name], type, metadata, ct);
        return model;
    }
}
