using KaWorkflow.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KaWorkflow.Reports;

/// <summary>Report downloads, for the performance team only: the blobs are private and served through the
/// app.</summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").RequirePerformanceTeam();
        group.MapGet("/{roundId}/{version}/{file}", Download);
        group.MapGet("/{roundId}", List);
        return group;
    }

    /// <summary>One file of one version; anything not shaped like one is simply not found.</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> Download(
        string roundId, string version, string file, ReportStore reports, CancellationToken ct)
    {
        if (!Rounds.Quarter.TryParse(roundId, out _) || !version.StartsWith('v') || !int.TryParse(version[1..], out _)
            || ReportAssembler.Files.All(f => f.Name != file))
            return TypedResults.NotFound();
        if (await reports.DownloadAsync($"{roundId}/{version}/{file}", ct) is not { } blob) return TypedResults.NotFound();
        var name = file.EndsWith(".html") ? null : $"key-activity-report-{roundId}-{version}{Path.GetExtension(file)}";
        return TypedResults.File(blob.Content.ToArray(), blob.ContentType, name);
    }

    public static async Task<JsonHttpResult<object>> List(string roundId, ReportStore reports, CancellationToken ct) =>
        TypedResults.Json<object>((await reports.ListAsync(roundId, ct))
            .Select(b => new { b.Name, b.Length, b.ContentType, b.LastModified, url = $"/api/reports/{b.Name}" }));
}
