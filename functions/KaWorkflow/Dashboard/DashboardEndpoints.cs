using KaWorkflow.History;
using KaWorkflow.Hosting;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KaWorkflow.Dashboard;

/// <summary>
/// The performance team's pages under <c>/api/dashboard</c> (under the host's route prefix, so they work under the
/// Functions host too): a route table of named handlers, each parsing, calling one query or action, and rendering a
/// page component. Every POST carries an anti-forgery token; every action goes through a confirmation page first.
/// </summary>
public static class DashboardEndpoints
{
    public const string Root = "/api/dashboard";

    public static RouteGroupBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Root).RequirePerformanceTeam();
        group.MapGet("", ShowRounds);
        group.MapPost("/rounds", OpenRound);
        group.MapGet("/rounds/{roundId}", ShowRound);
        group.MapGet("/rounds/{roundId}/table", ShowProgressTable);
        group.MapGet("/rounds/{roundId}/leads/{lead}", ShowLead);
        group.MapPost("/rounds/{roundId}/confirm", ConfirmAction);
        group.MapPost("/rounds/{roundId}/act", RunAction);
        group.MapPost("/rounds/{roundId}/draft-report", AssembleDraft);
        group.MapGet("/rounds/{roundId}/chase-calendar", ShowChaseCalendar);
        group.MapGet("/rounds/{roundId}/activities", ShowActivities);
        group.MapGet("/activities/{code}", ShowActivity);
        group.MapGet("/history", DownloadHistory);
        group.MapGet("/register", ShowRegister);
        group.MapPost("/register/preview", PreviewRegister);
        group.MapPost("/register/apply", ApplyRegister);
        return group;
    }

    /// <summary>What every dashboard request brings: the request, the queries, and its anti-forgery check.</summary>
    public readonly record struct DashboardRequest(
        HttpContext Http, DashboardQueries Queries, IAntiforgery Antiforgery, PageMessages Messages,
        CancellationToken Cancel)
    {
        /// <summary>A fresh token for the forms on the page.</summary>
        public string Token => Antiforgery.GetAndStoreTokens(Http).RequestToken!;

        public Task<bool> FromOurPageAsync() => Antiforgery.IsRequestValidAsync(Http);

        public string Actor => PerformanceTeamAccess.Actor(Http);

        public Task<IFormCollection> FormAsync() => Http.Request.ReadFormAsync(Cancel);

        /// <summary>Back to a page, with a success banner of the app's own words.</summary>
        public RedirectHttpResult Done(string path, string summary, string fragment = "") =>
            TypedResults.Redirect($"{path}?done={Uri.EscapeDataString(Messages.Protect(summary))}{fragment}");

        /// <summary>Back to a page, with an error of the app's own words.</summary>
        public RedirectHttpResult Back(string path, string error) =>
            TypedResults.Redirect($"{path}?error={Uri.EscapeDataString(Messages.Protect(error))}");
    }

    public static async Task<RazorComponentResult<RoundsPage>> ShowRounds(
        [AsParameters] DashboardRequest request, RoundEngine engine, TimeProvider clock, string? done, string? error)
    {
        var (rounds, next) = await request.Queries.RoundsAsync(request.Cancel);
        var suggested = engine.NextToOpen(rounds.Select(r => r.Header.Id), clock.GetUtcNow());
        var problem = request.Messages.Read(error);
        return Page<RoundsPage>(new
        {
            Rounds = rounds, NextOpening = next, Suggested = suggested, request.Token,
            Done = request.Messages.Read(done), Error = problem,
        }, problem is null ? 200 : 400);
    }

    public static async Task<RedirectHttpResult> OpenRound([AsParameters] DashboardRequest request, RoundEngine engine,
        ChasePolicy policy, TimeProvider clock)
    {
        var id = (await request.FormAsync())["roundId"].ToString().Trim();
        if (!await request.FromOurPageAsync())
            return request.Back(Root, error: "For your security, press the button again.");
        if (!Quarter.TryParse(id, out var quarter))
            return request.Back(Root,
                error: "Enter a round like 2024-25-Q1: the financial year, then the quarter.");
        try
        {
            var now = clock.GetUtcNow();
            return await engine.OpenAsync(quarter, request.Actor, request.Cancel)
                ? request.Done($"{Root}/rounds/{quarter.RoundId}",
                    $"{quarter.Title} is open; {RoundMails.InvitesGo(policy.NextSendWindow(now), now)}")
                : request.Back(Root, error: $"{quarter.Title} already exists: a round opens only once.");
        }
        catch (InvalidOperationException e)
        {
            return request.Back(Root, error: e.Message);
        }
    }

    public static async Task<Results<RazorComponentResult<RoundPage>, RazorComponentResult<ProblemPage>>> ShowRound(
        [AsParameters] DashboardRequest request, string roundId, string? filter, string? sort, bool? desc, string? done) =>
        await request.Queries.RoundAsync(roundId, request.Cancel) is { } progress
            ? Page<RoundPage>(new
            {
                Progress = progress, Filter = filter, Sort = sort, Descending = desc ?? false, request.Token,
                Done = request.Messages.Read(done),
                Reports = await request.Queries.ReportsAsync(roundId, request.Cancel),
            })
            : NotFound(roundId);

    /// <summary>The leads table alone, which the round's page fetches to refresh itself.</summary>
    public static async Task<Results<RazorComponentResult<ProgressTable>, NotFound>> ShowProgressTable(
        [AsParameters] DashboardRequest request, string roundId, string? filter, string? sort, bool? desc) =>
        await request.Queries.RoundAsync(roundId, request.Cancel) is { } progress
            ? Page<ProgressTable>(new
            {
                Progress = progress, Filter = filter, Sort = sort, Descending = desc ?? false,
                Live = progress.Header.Status == RoundStatus.Open,
            })
            : TypedResults.NotFound();

    public static async Task<Results<RazorComponentResult<LeadPage>, RazorComponentResult<ProblemPage>>> ShowLead(
        [AsParameters] DashboardRequest request, string roundId, string lead, string? done) =>
        await request.Queries.LeadAsync(roundId, lead, request.Cancel) is { } detail
            ? Page<LeadPage>(new { Detail = detail, request.Token, Done = request.Messages.Read(done) })
            : NotFound($"{lead} in {roundId}");

    /// <summary>The first step of an action: what it will do, in words, or what is missing.</summary>
    public static async Task<RazorComponentResult<ConfirmPage>> ConfirmAction(
        [AsParameters] DashboardRequest request, string roundId)
    {
        var (action, change, deadline) = ActionOf(await request.FormAsync());
        var error = !await request.FromOurPageAsync() ? "For your security, press Confirm again."
            : string.IsNullOrWhiteSpace(change.Reason) ? "Give a reason: it is kept in the round's history." : null;
        var badDate = deadline.Error is null ? null : deadline;
        return Confirm(request, roundId, action, change, error, badDate, error is null && badDate is null ? 200 : 400);
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<ConfirmPage>>> RunAction(
        [AsParameters] DashboardRequest request, string roundId, RoundAdmin admin)
    {
        var (action, change, deadline) = ActionOf(await request.FormAsync());
        var badDate = deadline.Error is null ? null : deadline;
        if (!await request.FromOurPageAsync() || badDate is not null)
            return Confirm(request, roundId, action, change,
                badDate is null ? "For your security, press Confirm again." : null, badDate, 400);
        var outcome = await admin.RunAsync(roundId, action, change, request.Actor, request.Cancel);
        if (!outcome.Ok) return Confirm(request, roundId, action, change, outcome.RefusedBecause, null, 409);
        var back = change.Lead is { } l && action != ActionNames.Reassign
            ? $"{Root}/rounds/{roundId}/leads/{Uri.EscapeDataString(l.ToLowerInvariant())}"
            : $"{Root}/rounds/{roundId}";
        return request.Done(back, outcome.Summary!);
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<ProblemPage>>> AssembleDraft(
        [AsParameters] DashboardRequest request, string roundId, RoundAdmin admin)
    {
        if (!await request.FromOurPageAsync()) return TypedResults.Redirect($"{Root}/rounds/{roundId}");
        return await admin.AssembleDraftAsync(roundId, request.Actor, request.Cancel) is { } version
            ? request.Done($"{Root}/rounds/{roundId}",
                $"Draft report version {version} is being assembled: it is listed " +
                "under Reports in a moment.", "#reports")
            : Problem("No draft report", "Only an open round has a draft report.", 409);
    }

    public static async Task<Results<RazorComponentResult<ChaseCalendarPage>, RazorComponentResult<ProblemPage>>>
        ShowChaseCalendar([AsParameters] DashboardRequest request, string roundId, RoundAdmin admin) =>
        Quarter.TryParse(roundId, out var quarter)
            ? Page<ChaseCalendarPage>(new
            {
                RoundId = roundId, Mails = await admin.ChaseCalendarAsync(quarter, null, request.Cancel),
            })
            : NotFound(roundId);

    /// <summary>A round's activities with their last quarters: what every round recorded, read once (a finished
    /// round is kept), then this round's own rows from the same reading.</summary>
    public static async Task<Results<RazorComponentResult<ActivitiesPage>, RazorComponentResult<ProblemPage>>>
        ShowActivities([AsParameters] DashboardRequest request, string roundId, string? show, HistoryStore history)
    {
        var rounds = await history.RoundsAsync(roundId, request.Cancel);
        if (rounds.LastOrDefault() is not { } round || round.Header.Id != roundId) return NotFound(roundId);
        return Page<ActivitiesPage>(new
        {
            RoundId = roundId, round.Items, round.Returns, Stories = history.Stories(rounds),
            Filter = Enum.TryParse<ActivityHistory.Filter>(show, ignoreCase: true, out var f)
                ? f : ActivityHistory.Filter.All,
        });
    }

    /// <summary>One activity's every quarter, by its code.</summary>
    public static async Task<Results<RazorComponentResult<ActivityPage>, RazorComponentResult<ProblemPage>>>
        ShowActivity([AsParameters] DashboardRequest request, string code, HistoryStore history) =>
        (await history.StoriesAsync(ct: request.Cancel)).FirstOrDefault(s =>
            string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase)) is { } story
            ? Page<ActivityPage>(new { Story = story })
            : NotFound(code);

    /// <summary>Every quarter's answers as CSV, named for the day (London time).</summary>
    public static async Task<FileContentHttpResult> DownloadHistory(HistoryStore history, TimeProvider clock,
        CancellationToken ct) =>
        TypedResults.File(System.Text.Encoding.UTF8.GetBytes(HistoryCsv.Write(await history.StoriesAsync(ct: ct))),
            "text/csv; charset=utf-8", $"history-{WorkingCalendar.LocalDate(clock.GetUtcNow()):yyyy-MM-dd}.csv");

    public static async Task<RazorComponentResult<RegisterPage>> ShowRegister(
        [AsParameters] DashboardRequest request, string? done) =>
        Page<RegisterPage>(new
        {
            Current = await request.Queries.RegisterAsync(request.Cancel), request.Token,
            Done = request.Messages.Read(done),
        });

    /// <summary>What a new register would change, or its errors by line with the file shown again.</summary>
    public static async Task<Results<RazorComponentResult<RegisterPreviewPage>, RazorComponentResult<RegisterPage>>>
        PreviewRegister([AsParameters] DashboardRequest request, RegisterStore store)
    {
        var form = await request.FormAsync();
        var current = await request.Queries.RegisterAsync(request.Cancel);
        RazorComponentResult<RegisterPage> Refused(IReadOnlyList<RegisterError> errors, string? csv = null) =>
            Page<RegisterPage>(new { Current = current, request.Token, Errors = errors, Csv = csv }, 400);
        if (!await request.FromOurPageAsync())
            return Refused([new RegisterError(0, "For your security, choose the file and press the button again.")]);
        if (form.Files["file"] is not { Length: > 0 } file)
            return Refused([new RegisterError(0, "Choose a CSV file to upload.")]);
        using var stream = new MemoryStream();
        await file.CopyToAsync(stream, request.Cancel);
        var bytes = stream.ToArray();
        var parsed = RegisterCsv.Parse(bytes);
        if (!parsed.Ok) return Refused(parsed.Errors, System.Text.Encoding.UTF8.GetString(bytes));
        // The stored register, as the API's preview compares with (not the page's view, which adds last quarter's
        // answers): only what the upload really changes.
        var csv = RegisterCsv.Write(parsed.Activities);
        return Page<RegisterPreviewPage>(new
        {
            Changes = await store.ChangesAsync(parsed.Activities, request.Cancel), Total = parsed.Activities.Count,
            Csv = csv,
            request.Token,
        });
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<RegisterPage>>> ApplyRegister(
        [AsParameters] DashboardRequest request, RegisterStore store)
    {
        var parsed = RegisterCsv.Parse((await request.FormAsync())["csv"].ToString());
        if (!await request.FromOurPageAsync() || !parsed.Ok)
            return Page<RegisterPage>(new
            {
                Current = await request.Queries.RegisterAsync(request.Cancel), request.Token,
                Errors = parsed.Ok ? [new RegisterError(0, "For your security, upload the file again.")] : parsed.Errors,
            }, 400);
        var summary = await store.ReplaceAsync(parsed.Activities, request.Cancel);
        return request.Done($"{Root}/register",
            $"Register replaced: {summary.Activities} activities ({summary.Added} added, " +
            $"{summary.Removed} removed) for {summary.Leads} leads.");
    }

    /// <summary>An action's fields; the deadline is read only for an extension, and kept as typed.</summary>
    private static (string Action, ActionRequest Request, DateField Deadline) ActionOf(IFormCollection form)
    {
        string? Field(string name) => form[name].ToString() is { Length: > 0 } v ? v.Trim() : null;
        var action = Field("action") ?? "";
        var deadline = action == ActionNames.Extend
            ? DateField.Read(form, "deadline", "The new deadline")
            : new DateField("", "", "", null, null);
        return (action, new ActionRequest(Field("reason") ?? "", Field("lead"), Field("code"), Field("toLead"),
            deadline.Value), deadline);
    }

    private static RazorComponentResult<ConfirmPage> Confirm(DashboardRequest request, string roundId, string action,
        ActionRequest change, string? error, DateField? deadline, int status) =>
        Page<ConfirmPage>(new
        {
            RoundId = roundId, Action = action, Request = change, request.Token, Error = error, Deadline = deadline,
        }, status);

    private static RazorComponentResult<T> Page<T>(object parameters, int status = 200)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = status };

    private static RazorComponentResult<ProblemPage> NotFound(string what) =>
        Problem("Not found", $"There is no {what}.", 404);

    private static RazorComponentResult<ProblemPage> Problem(string heading, string text, int status) =>
        Page<ProblemPage>(new { Heading = heading, Text = text }, status);
}
