using KaWorkflow.Hosting;

namespace KaWorkflow.Rounds;

/// <summary>Admin API for rounds: open one by hand, list them, and read one's progress and history.</summary>
public static class RoundEndpoints
{
    public sealed record OpenRequest(string RoundId);

    public static RouteGroupBuilder MapRounds(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/rounds").RequirePerformanceTeam().RequireApiContentType();
        group.MapPost("", async (OpenRequest body, HttpContext http, RoundEngine engine, CancellationToken ct) =>
        {
            if (!Quarter.TryParse(body.RoundId, out var quarter))
                return Results.Problem("roundId must look like 2024-25-Q1.", statusCode: 400);
            try
            {
                return await engine.OpenAsync(quarter, PerformanceTeamAccess.Actor(http), ct)
                    ? Results.Created($"/api/admin/rounds/{quarter.RoundId}", new { roundId = quarter.RoundId })
                    : Results.Problem($"Round {quarter.RoundId} already exists.", statusCode: 409);
            }
            catch (InvalidOperationException e)
            {
                return Results.Problem(e.Message, statusCode: 409);
            }
        });
        group.MapGet("", async (Dashboard.DashboardQueries queries, CancellationToken ct) =>
        {
            var (rounds, next) = await queries.RoundsAsync(ct);
            return Results.Json(new { nextScheduledOpening = next, rounds = rounds.Select(Summary) });
        });
        group.MapGet("/{roundId}", async (string roundId, string? filter, string? sort, bool? desc, Dashboard.DashboardQueries queries, CancellationToken ct) =>
            await queries.RoundAsync(roundId, ct) is { } p
                ? Results.Json(new
                {
                    round = Summary(p),
                    leads = Dashboard.RoundProgress.Sort(p.Filter(filter), sort, desc ?? false).Select(l => new
                    {
                        l.LeadKey, l.Name, l.Email, state = Dashboard.RoundProgress.Describe(l.State), l.Answered, l.Total, l.LastActivity,
                        l.RemindersSent, l.NextReminderAt, l.DueBy, l.ParkedEmails, l.Delegate,
                    }),
                    parkedEmails = p.Parked.Select(e => new { e.Id, e.LeadKey, e.LastError }),
                })
                : Results.NotFound());
        group.MapGet("/{roundId}/leads/{lead}", async (string roundId, string lead, Dashboard.DashboardQueries queries, CancellationToken ct) =>
            await queries.LeadAsync(roundId, lead, ct) is { } d
                ? Results.Json(new
                {
                    lead = new { d.Progress.Name, d.Progress.Email, state = Dashboard.RoundProgress.Describe(d.Progress.State), d.Progress.Answered, d.Progress.Total, d.Progress.DueBy, d.Return.Delegate },
                    answers = d.Items.Select(i => new { i.Code, i.Title, status = i.Status?.ToString(), i.Progress, i.NextSteps, excused = i.ExcusedReason }),
                    timeline = d.Timeline,
                    versions = d.Versions,
                })
                : Results.NotFound());
        group.MapPost("/{roundId}/actions/{action}", async (string roundId, string action, ActionRequest body, HttpContext http, RoundAdmin admin, CancellationToken ct) =>
        {
            var outcome = await admin.RunAsync(roundId, action, body, PerformanceTeamAccess.Actor(http), ct);
            return outcome.Ok ? Results.Json(new { done = outcome.Summary }) : Results.Problem(outcome.RefusedBecause, statusCode: 409);
        });
        group.MapPost("/{roundId}/draft-report", async (string roundId, HttpContext http, RoundAdmin admin, CancellationToken ct) =>
            await admin.AssembleDraftAsync(roundId, PerformanceTeamAccess.Actor(http), ct) is { } version
                ? Results.Json(new { version, files = Reports.ReportAssembler.Files.Select(f => $"/api/reports/{Reports.ReportAssembler.BlobName(roundId, version, f.Name)}") })
                : Results.Problem("Only an open round has a draft report; a finished one has its final versions.", statusCode: 409));
        group.MapGet("/{roundId}/chase-calendar", async (string roundId, DateTimeOffset? openAt, RoundAdmin admin, CancellationToken ct) =>
            Quarter.TryParse(roundId, out var quarter)
                ? Results.Json(await admin.ChaseCalendarAsync(quarter, openAt, ct))
                : Results.Problem("roundId must look like 2024-25-Q1.", statusCode: 400));
        group.MapGet("/{roundId}/events", async (string roundId, RoundStore store, CancellationToken ct) =>
            Results.Json(await store.LoadEventsAsync(roundId, ct: ct)));
        return group;
    }

    private static object Summary(Dashboard.RoundProgress p) => new
    {
        id = p.Header.Id, status = p.Header.Status.ToString(), openedAt = p.Header.OpenedAt, deadline = p.Header.Deadline,
        completedAt = p.Header.CompletedAt, submitted = p.Submitted, leads = p.Wanted, percent = p.Percent, reportVersion = p.Header.ReportVersion,
    };
}
