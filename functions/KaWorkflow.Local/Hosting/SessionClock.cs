using KaWorkflow.Reminders;
using KaWorkflow.Rounds;

namespace KaWorkflow.Hosting;

/// <summary>
/// A local session's clock, for a performance officer trying the product on their own register: started at a day
/// they name (or the real time), and moved on by hand (<c>advance</c> on the command line), so a reminder due in a
/// week can be seen now. Each move tells every open round's orchestrations, which read the tables at the new time
/// and send what has come due. Development only, from this machine only.
/// </summary>
public sealed class SessionClock(AdjustableClock clock, RoundStore store, RoundRunner runner, RoundEngine engine)
{
    /// <summary>The header a move must carry: a browser page elsewhere cannot send it without asking first, so
    /// no web page can move the clock.</summary>
    public const string Header = "X-KaWorkflow-Cli";

    /// <summary>Starts the clock at <paramref name="start"/> (null: now), running at <paramref name="scale"/> times
    /// the wall's pace; faster than the wall, it waits for the orchestrations' work, as a rehearsal's does.</summary>
    public void Start(DateTimeOffset? start, double scale)
    {
        if (start is null && scale == 1) return; // the real clock
        clock.RunScaled(start ?? clock.GetUtcNow(), scale, waitForWork: scale > 1);
    }

    /// <summary>The address a session serves at unless told otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Sets a one-shot command's clock to a running session's, so what it does (opening a round, say) is
    /// dated on the session's clock, not the wall's; with no session answering at <paramref name="url"/>, leaves it
    /// the real clock. Returns the session's time, or null.</summary>
    public static async Task<DateTimeOffset?> FollowAsync(AdjustableClock clock, string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            if (await http.GetFromJsonAsync<SessionTime>("/dev/clock") is not { } session) return null;
            if (session.Scale > 0) clock.RunScaled(session.Now, session.Scale);
            else clock.Set(session.Now);
            return session.Now;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null; // no session there: the store alone, on the real clock
        }
    }

    /// <summary>What <c>GET /dev/clock</c> answers.</summary>
    public sealed record SessionTime(DateTimeOffset Now, double Scale);

    /// <summary>Moves business time on to <paramref name="to"/>, runs the quarterly check (a round due by then
    /// opens) and tells every open round's orchestrations. Returns the new time, the check's lines and how many
    /// leads were told.</summary>
    public async Task<(DateTimeOffset Now, IReadOnlyList<string> Lines, int Told)> MoveToAsync(
        DateTimeOffset to, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (to <= now)
            throw new ArgumentException($"The session's clock is at {WorkingCalendar.Display(now)} already; " +
                "it only moves on.");
        clock.Advance(to - now);
        var lines = await engine.OnScheduleAsync(ct);
        var told = 0;
        foreach (var id in await store.ListRoundIdsAsync(ct))
        {
            if (await store.LoadSnapshotAsync(id, ct) is not { } round) continue;
            var plan = RoundPlan.Of(round, clock.GetUtcNow());
            if (plan.Finished || plan.Leads.Count == 0) continue;
            await runner.TellAsync(id, plan.Leads, ct: ct);
            told += plan.Leads.Count;
        }
        return (clock.GetUtcNow(), lines, told);
    }

    /// <summary>Maps <c>GET /dev/clock</c> (the session's time) and <c>POST /dev/clock?to=…</c> (move it on),
    /// which answer only requests from this machine.</summary>
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup("/dev/clock").AddEndpointFilter(async (context, next) =>
            PerformanceTeamAccess.IsLoopback(context.HttpContext) ? await next(context) : Results.NotFound());
        dev.MapGet("", (AdjustableClock clock) => Results.Json(new { now = clock.GetUtcNow(), scale = clock.Scale }));
        dev.MapPost("", async (HttpRequest request, SessionClock session, DateTimeOffset? to, CancellationToken ct) =>
        {
            if (!request.Headers.ContainsKey(Header)) return Results.BadRequest($"Send the {Header} header.");
            if (to is not { } moment) return Results.BadRequest("Say where to: ?to=2024-10-21T08:00:00Z.");
            try
            {
                var (now, lines, told) = await session.MoveToAsync(moment, ct);
                return Results.Json(new { now, lines, told });
            }
            catch (ArgumentException e)
            {
                return Results.BadRequest(e.Message);
            }
        });
        return app;
    }
}
