using KaWorkflow.Dashboard;
using KaWorkflow.Hosting;
using KaWorkflow.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KaWorkflow.Rounds;

/// <summary>Admin API for rounds: open one by hand, list them, read one's progress and history, and act on it.
/// A route table of named handlers; the dashboard's pages call the same queries and actions.</summary>
public static class RoundEndpoints
{
    public sealed record OpenRequest(string RoundId);

    public static RouteGroupBuilder MapRounds(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/rounds").RequirePerformanceTeam().RequireApiContentType();
        group.MapPost("", OpenRound);
        group.MapGet("", ListRounds);
        group.MapGet("/{roundId}", GetRound);
        group.MapGet("/{roundId}/leads/{lead}", GetLead);
        group.MapPost("/{roundId}/actions/{action}", RunAction);
        group.MapPost("/{roundId}/draft-report", AssembleDraft);
        group.MapGet("/{roundId}/chase-calendar", GetChaseCalendar);
        group.MapGet("/{roundId}/events", GetEvents);
        return group;
    }

    public static async Task<Results<Created<object>, ProblemHttpResult>> OpenRound(
        OpenRequest body, HttpContext http, RoundEngine engine, CancellationToken ct)
    {
        if (!Quarter.TryParse(body.RoundId, out var quarter)) return BadRoundId();
        try
        {
            return await engine.OpenAsync(quarter, PerformanceTeamAccess.Actor(http), ct)
                ? TypedResults.Created($"/api/admin/rounds/{quarter.RoundId}", (object)new { roundId = quarter.RoundId })
                : TypedResults.Problem($"Round {quarter.RoundId} already exists.", statusCode: 409);
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Problem(e.Message, statusCode: 409);
        }
    }

    public static async Task<JsonHttpResult<object>> ListRounds(DashboardQueries queries, CancellationToken ct)
    {
        var (rounds, next) = await queries.RoundsAsync(ct);
        return Json(new { nextScheduledOpening = next, rounds = rounds.Select(Summary) });
    }

    public static async Task<Results<JsonHttpResult<object>, NotFound>> GetRound(
        string roundId, string? filter, string? sort, bool? desc, DashboardQueries queries, CancellationToken ct) =>
        await queries.RoundAsync(roundId, ct) is { } p
            ? Json(new
            {
                round = Summary(p),
                leads = RoundProgress.Sort(p.Filter(filter), sort, desc ?? false).Select(l => new
                {
                    l.LeadKey, l.Name, l.Email, state = RoundProgress.Describe(l.State), l.Answered, l.Total,
                    l.LastActivity, l.RemindersSent, l.NextReminderAt, l.DueBy, l.UnsentEmails, l.Delegate,
                }),
                unsentEmails = p.Unsent.Select(e => new { e.Id, e.LeadKey, e.State, e.DueAt, e.LastError }),
            })
            : TypedResults.NotFound();

    public static async Task<Results<JsonHttpResult<object>, NotFound>> GetLead(
        string roundId, string lead, DashboardQueries queries, CancellationToken ct) =>
        await queries.LeadAsync(roundId, lead, ct) is { } d
            ? Json(new
            {
                lead = new
                {
                    d.Progress.Name, d.Progress.Email, state = RoundProgress.Describe(d.Progress.State),
                    d.Progress.Answered, d.Progress.Total, d.Progress.DueBy, d.Return.Delegate,
                },
                answers = d.Items.Select(i => new
                {
                    i.Code, i.Title, status = i.Status?.ToString(), i.Progress, i.NextSteps, excused = i.ExcusedReason,
                }),
                timeline = d.Timeline,
                versions = d.Versions,
            })
            : TypedResults.NotFound();

    public static async Task<Results<JsonHttpResult<object>, ProblemHttpResult>> RunAction(
        string roundId, string action, ActionRequest body, HttpContext http, RoundAdmin admin, CancellationToken ct)
    {
        var outcome = await admin.RunAsync(roundId, action, body, PerformanceTeamAccess.Actor(http), ct);
        return outcome.Ok
            ? Json(new { done = outcome.Summary })
            : TypedResults.Problem(outcome.RefusedBecause, statusCode: 409);
    }

    /// <summary>202: the round's orchestration assembles the draft in a moment, at the files named.</summary>
    public static async Task<Results<JsonHttpResult<object>, ProblemHttpResult>> AssembleDraft(
        string roundId, HttpContext http, RoundAdmin admin, CancellationToken ct) =>
        await admin.AssembleDraftAsync(roundId, PerformanceTeamAccess.Actor(http), ct) is { } version
            ? Json(new
            {
                version,
                files = ReportAssembler.Files.Select(f =>
                    $"/api/reports/{ReportAssembler.BlobName(roundId, version, f.Name)}"),
            }, StatusCodes.Status202Accepted)
            : TypedResults.Problem("Only an open round has a draft report; a finished one has its final versions.",
                statusCode: 409);

    public static async Task<Results<JsonHttpResult<object>, ProblemHttpResult>> GetChaseCalendar(
        string roundId, DateTimeOffset? openAt, RoundAdmin admin, CancellationToken ct) =>
        Quarter.TryParse(roundId, out var quarter)
            ? Json(await admin.ChaseCalendarAsync(quarter, openAt, ct))
            : BadRoundId();

    public static async Task<JsonHttpResult<object>> GetEvents(string roundId, RoundStore store, CancellationToken ct) =>
        Json(await store.LoadEventsAsync(roundId, ct: ct));

    private static JsonHttpResult<object> Json(object value, int status = 200) =>
        TypedResults.Json(value, statusCode: status);

    private static ProblemHttpResult BadRoundId() =>
        TypedResults.Problem("roundId must look like 2024-25-Q1.", statusCode: 400);

    private static object Summary(RoundProgress p) => new
    {
        id = p.Header.Id, status = p.Header.Status.ToString(), openedAt = p.Header.OpenedAt,
        deadline = p.Header.Deadline, completedAt = p.Header.CompletedAt, submitted = p.Submitted, leads = p.Wanted,
        percent = p.Percent, reportVersion = p.Header.ReportVersion,
    };
}
