using KaWorkflow.Hosting;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace KaWorkflow.Dashboard;

/// <summary>
/// The performance team's pages under <c>/api/dashboard</c> (under the host's route prefix, so they work under the
/// Functions host too). Each handler parses, calls one query or action, and renders. Every POST carries an
/// anti-forgery token; every action goes through a confirmation page first.
/// </summary>
public static class DashboardEndpoints
{
    private const string Root = DashboardPages.Root;

    public static RouteGroupBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Root).RequirePerformanceTeam();

        group.MapGet("", async (string? done, string? error, HttpContext http, DashboardQueries queries, RoundEngine engine, TimeProvider clock, IAntiforgery af, CancellationToken ct) =>
        {
            var (rounds, next) = await queries.RoundsAsync(ct);
            var suggested = engine.NextToOpen(rounds.Select(r => r.Header.Id), clock.GetUtcNow());
            return Html(DashboardPages.Rounds(rounds, next, suggested, Token(http, af), done, error), error is null ? 200 : 400);
        });
        group.MapPost("/rounds", async (HttpContext http, RoundEngine engine, IAntiforgery af, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var id = form["roundId"].ToString().Trim();
            if (!await af.IsRequestValidAsync(http)) return Back(Root, error: "For your security, press the button again.");
            if (!Quarter.TryParse(id, out var quarter)) return Back(Root, error: "Enter a round like 2024-25-Q1: the financial year, then the quarter.");
            try
            {
                return await engine.OpenAsync(quarter, PerformanceTeamAccess.Actor(http), ct)
                    ? Results.Redirect($"{Root}/rounds/{quarter.RoundId}?done={Uri.EscapeDataString($"{quarter.Title} is open; invites are on their way.")}")
                    : Back(Root, error: $"{quarter.Title} already exists: a round opens only once.");
            }
            catch (InvalidOperationException e)
            {
                return Back(Root, error: e.Message);
            }
        });
        group.MapGet("/rounds/{roundId}", async (string roundId, string? filter, string? sort, bool? desc, string? done, HttpContext http, DashboardQueries queries, IAntiforgery af, CancellationToken ct) =>
            await queries.RoundAsync(roundId, ct) is { } p
                ? Html(DashboardPages.Round(p, filter, sort, desc ?? false, Token(http, af), done, await queries.ReportsAsync(roundId, ct)))
                : NotFound(roundId));
        group.MapGet("/rounds/{roundId}/table", async (string roundId, string? filter, string? sort, bool? desc, DashboardQueries queries, CancellationToken ct) =>
            await queries.RoundAsync(roundId, ct) is { } p
                ? Results.Content(DashboardPages.Table(p, filter, sort, desc ?? false, p.Header.Status == RoundStatus.Open), "text/html; charset=utf-8")
                : Results.NotFound());
        group.MapGet("/rounds/{roundId}/leads/{lead}", async (string roundId, string lead, string? done, HttpContext http, DashboardQueries queries, IAntiforgery af, CancellationToken ct) =>
            await queries.LeadAsync(roundId, lead, ct) is { } d ? Html(DashboardPages.Lead(d, Token(http, af), done)) : NotFound($"{lead} in {roundId}"));
        group.MapPost("/rounds/{roundId}/confirm", async (string roundId, HttpContext http, IAntiforgery af, CancellationToken ct) =>
        {
            var (action, request, deadline) = Parse(await http.Request.ReadFormAsync(ct));
            string? error = !await af.IsRequestValidAsync(http) ? "For your security, press Confirm again."
                : string.IsNullOrWhiteSpace(request.Reason) ? "Give a reason: it is kept in the round's history." : null;
            var badDate = deadline.Error is null ? null : deadline;
            return Html(DashboardPages.Confirm(roundId, action, request, Token(http, af), error, badDate),
                error is null && badDate is null ? 200 : 400);
        });
        group.MapPost("/rounds/{roundId}/act", async (string roundId, HttpContext http, RoundAdmin admin, IAntiforgery af, CancellationToken ct) =>
        {
            var (action, request, deadline) = Parse(await http.Request.ReadFormAsync(ct));
            var badDate = deadline.Error is null ? null : deadline;
            if (!await af.IsRequestValidAsync(http) || badDate is not null)
                return Html(DashboardPages.Confirm(roundId, action, request, Token(http, af),
                    badDate is null ? "For your security, press Confirm again." : null, badDate), 400);
            var outcome = await admin.RunAsync(roundId, action, request, PerformanceTeamAccess.Actor(http), ct);
            if (!outcome.Ok) return Html(DashboardPages.Confirm(roundId, action, request, Token(http, af), outcome.RefusedBecause), 409);
            var back = request.Lead is { } l && action != ActionNames.Reassign ? $"{Root}/rounds/{roundId}/leads/{Uri.EscapeDataString(l.ToLowerInvariant())}" : $"{Root}/rounds/{roundId}";
            return Results.Redirect($"{back}?done={Uri.EscapeDataString(outcome.Summary!)}");
        });
        group.MapPost("/rounds/{roundId}/draft-report", async (string roundId, HttpContext http, RoundAdmin admin, IAntiforgery af, CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.Redirect($"{Root}/rounds/{roundId}");
            return await admin.AssembleDraftAsync(roundId, PerformanceTeamAccess.Actor(http), ct) is { } v
                ? Results.Redirect($"{Root}/rounds/{roundId}?done={Uri.EscapeDataString($"Draft report version {v} assembled.")}#reports")
                : Html(DashboardPages.Problem("No draft report", "Only an open round has a draft report."), 409);
        });
        group.MapGet("/rounds/{roundId}/chase-calendar", async (string roundId, RoundAdmin admin, CancellationToken ct) =>
            Quarter.TryParse(roundId, out var q) ? Html(DashboardPages.ChaseCalendar(roundId, await admin.ChaseCalendarAsync(q, null, ct))) : NotFound(roundId));
        group.MapGet("/rounds/{roundId}/activities", async (string roundId, DashboardQueries queries, CancellationToken ct) =>
            await queries.RoundAsync(roundId, ct) is { } p ? Html(DashboardPages.Activities(roundId, await queries.ActivitiesAsync(roundId, ct), p.Leads)) : NotFound(roundId));

        group.MapGet("/register", async (string? done, HttpContext http, DashboardQueries queries, IAntiforgery af, CancellationToken ct) =>
            Html(DashboardPages.Register(await queries.RegisterAsync(ct), Token(http, af), done)));
        group.MapPost("/register/preview", async (HttpContext http, DashboardQueries queries, IAntiforgery af, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var current = await queries.RegisterAsync(ct);
            if (!await af.IsRequestValidAsync(http))
                return Html(DashboardPages.Register(current, Token(http, af), null, [new RegisterError(0, "For your security, choose the file and press the button again.")]), 400);
            var file = form.Files["file"];
            if (file is null || file.Length == 0)
                return Html(DashboardPages.Register(current, Token(http, af), null, [new RegisterError(0, "Choose a CSV file to upload.")]), 400);
            using var reader = new StreamReader(file.OpenReadStream());
            var csv = await reader.ReadToEndAsync(ct);
            var parsed = RegisterCsv.Parse(csv);
            return parsed.Ok
                ? Html(DashboardPages.RegisterPreview(RegisterChanges.Between(current, parsed.Activities), parsed.Activities.Count, csv, Token(http, af)))
                : Html(DashboardPages.Register(current, Token(http, af), null, parsed.Errors, csv), 400);
        });
        group.MapPost("/register/apply", async (HttpContext http, RegisterStore store, DashboardQueries queries, IAntiforgery af, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var parsed = RegisterCsv.Parse(form["csv"].ToString());
            if (!await af.IsRequestValidAsync(http) || !parsed.Ok)
                return Html(DashboardPages.Register(await queries.RegisterAsync(ct), Token(http, af), null,
                    parsed.Ok ? [new RegisterError(0, "For your security, upload the file again.")] : parsed.Errors), 400);
            var summary = await store.ReplaceAsync(parsed.Activities, ct);
            return Results.Redirect($"{Root}/register?done={Uri.EscapeDataString($"Register replaced: {summary.Activities} activities ({summary.Added} added, {summary.Removed} removed) for {summary.Leads} leads.")}");
        });
        return group;
    }

    /// <summary>An action's fields; the deadline is read only for an extension, and kept as typed.</summary>
    private static (string Action, ActionRequest Request, DateField Deadline) Parse(IFormCollection form)
    {
        string? Field(string name) => form[name].ToString() is { Length: > 0 } v ? v.Trim() : null;
        var action = Field("action") ?? "";
        var deadline = action == ActionNames.Extend
            ? DateField.Read(form, "deadline", "The new deadline")
            : new DateField("", "", "", null, null);
        return (action, new ActionRequest(Field("reason") ?? "", Field("lead"), Field("code"), Field("toLead"),
            deadline.Value), deadline);
    }

    private static string Token(HttpContext http, IAntiforgery af) => af.GetAndStoreTokens(http).RequestToken!;

    private static IResult Html(string html, int status = 200) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    private static IResult NotFound(string what) => Html(DashboardPages.Problem("Not found", $"There is no {what}."), 404);

    private static IResult Back(string path, string error) => Results.Redirect($"{path}?error={Uri.EscapeDataString(error)}");
}
