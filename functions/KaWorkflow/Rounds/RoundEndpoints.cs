using KaWorkflow.Hosting;

namespace KaWorkflow.Rounds;

/// <summary>Admin API for rounds: open one by hand, list them, and read one's progress and history.</summary>
public static class RoundEndpoints
{
    public sealed record OpenRequest(string RoundId);

    public static RouteGroupBuilder MapRounds(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/rounds").RequirePerformanceTeam();
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
        group.MapGet("", async (RoundStore store, CancellationToken ct) =>
        {
            var rows = (await store.ListIndexAsync(ct)).Where(r => r.RowKey != RoundStore.ScheduleRow);
            var rounds = new List<object>();
            foreach (var row in rows)
                if (await store.LoadSnapshotAsync(row.RowKey, ct) is { } s)
                    rounds.Add(Summary(s));
            return Results.Json(rounds);
        });
        group.MapGet("/{roundId}", async (string roundId, RoundStore store, CancellationToken ct) =>
            await store.LoadSnapshotAsync(roundId, ct) is { } s
                ? Results.Json(new
                {
                    round = Summary(s),
                    returns = s.Returns.Select(r => new
                    {
                        lead = r.LeadName, email = r.LeadEmail, status = r.Status.ToString(), activities = r.ActivityCount,
                        r.RemindersSent, r.NextReminderAt, r.SavedAt, r.SubmittedAt,
                    }),
                    outbox = s.Effects.Select(e => new { e.Id, kind = e.Kind.ToString(), state = e.State.ToString(), e.Attempts, e.LastError, e.CompletedAt }),
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
            Results.Json(await store.LoadEventsAsync(roundId, ct)));
        return group;
    }

    private static object Summary(RoundSnapshot s) => new
    {
        id = s.Header.Id, status = s.Header.Status.ToString(), openedAt = s.Header.OpenedAt, deadline = s.Header.Deadline,
        submitted = s.Returns.Count(r => !r.Outstanding), leads = s.Returns.Count, reportVersion = s.Header.ReportVersion,
    };
}
