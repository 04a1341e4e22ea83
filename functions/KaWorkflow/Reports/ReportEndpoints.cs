using KaWorkflow.Hosting;

namespace KaWorkflow.Reports;

/// <summary>Report downloads, for the performance team only: the blobs are private and served through the app.</summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").RequirePerformanceTeam();
        group.MapGet("/{roundId}/{version}/{file}", async (string roundId, string version, string file, ReportStore reports,
            CancellationToken ct) =>
        {
            if (!Rounds.Quarter.TryParse(roundId, out _) || !version.StartsWith('v') || !int.TryParse(version[1..], out _)
                || ReportAssembler.Files.All(f => f.Name != file))
                return Results.NotFound();
            var blob = await reports.DownloadAsync($"{roundId}/{version}/{file}", ct);
            return blob is null ? Results.NotFound() : Results.Bytes(blob.Content.ToArray(), blob.ContentType,
                file.EndsWith(".html") ? null : $"key-activity-report-{roundId}-{version}{Path.GetExtension(file)}");
        });
        group.MapGet("/{roundId}", async (string roundId, ReportStore reports, CancellationToken ct) =>
            Results.Json((await reports.ListAsync(roundId, ct))
                .Select(b => new { b.Name, b.Length, b.ContentType, b.LastModified, url = $"/api/reports/{b.Name}" })));
        return group;
    }
}
