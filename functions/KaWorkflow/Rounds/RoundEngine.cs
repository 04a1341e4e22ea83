using KaWorkflow.Form;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Storage;

namespace KaWorkflow.Rounds;

/// <summary>
/// Opens rounds, by hand or on schedule, and starts each round's orchestration (<see cref="RoundOrchestration"/>),
/// which does the rest. Opening twice is impossible: the round's header is created only once, and a second start of
/// its orchestration is refused while one runs.
/// </summary>
public sealed class RoundEngine(
    RoundStore store, RegisterStore register, ChasePolicy policy, Hosting.AdjustableClock clock, RoundRunner runner,
    ILogger<RoundEngine> log)
{
    /// <summary>
    /// How late a scheduled opening may still happen (the timer or the app was down). Beyond it the round is left
    /// to be opened by hand, so an app first started mid-quarter does not e-mail every lead about a quarter long gone.
    /// </summary>
    public static readonly TimeSpan LateOpeningLimit = TimeSpan.FromDays(7);

    /// <summary>The next automatic opening strictly after <paramref name="after"/>, or null when
    /// <see cref="ChaseOptions.AutoOpen"/> is off.</summary>
    public (Quarter Quarter, DateTimeOffset At)? NextScheduledOpening(DateTimeOffset after)
    {
        if (!policy.Options.AutoOpen) return null;
        var quarter = Quarter.Containing(WorkingCalendar.LocalDate(after)).Previous;
        while (policy.ScheduledOpening(quarter) <= after) quarter = quarter.Next;
        return (quarter, policy.ScheduledOpening(quarter));
    }

    /// <summary>The latest automatic opening at or before <paramref name="now"/>: this quarter's round for the quarter
    /// just ended, or the one before.</summary>
    public (Quarter Quarter, DateTimeOffset At) LatestScheduledOpening(DateTimeOffset now)
    {
        var quarter = Quarter.Containing(WorkingCalendar.LocalDate(now)).Previous;
        if (policy.ScheduledOpening(quarter) > now) quarter = quarter.Previous;
        return (quarter, policy.ScheduledOpening(quarter));
    }

    /// <summary>The quarter to suggest opening by hand: the latest scheduled one, or the first after it not yet
    /// opened.</summary>
    public Quarter NextToOpen(IEnumerable<string> existing, DateTimeOffset now)
    {
        var opened = existing.ToHashSet(StringComparer.Ordinal);
        var quarter = LatestScheduledOpening(now).Quarter;
        while (opened.Contains(quarter.RoundId)) quarter = quarter.Next;
        return quarter;
    }

    /// <summary>Opens the round for a quarter with the current register. Returns false if it already exists.</summary>
    public async Task<bool> OpenAsync(Quarter quarter, string actor, CancellationToken ct = default) =>
        await OpenAsync(quarter, await register.LoadAsync(ct), actor, ct);

    /// <summary>
    /// The register with "last quarter" filled from the latest round that finished before <paramref name="roundId"/>
    /// (from the latest finished round at all when null): what a new round is prefilled with and the register page
    /// shows.
    /// </summary>
    public async Task<IReadOnlyList<KeyActivity>> WithLastQuarterAsync(IReadOnlyList<KeyActivity> activities,
        string? roundId, CancellationToken ct = default)
    {
        var headers = new List<RoundHeader>();
        foreach (var id in await store.ListRoundIdsAsync(ct))
            if (await store.GetHeaderAsync(id, ct) is { } header) headers.Add(header);
        return LastQuarter.LatestFinished(headers, roundId) is { } last
            ? LastQuarter.Apply(activities, await store.LoadItemsAsync(last, ct))
            : activities;
    }

    private async Task<bool> OpenAsync(Quarter quarter, IReadOnlyList<KeyActivity> activities, string actor,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        clock.Expect(quarter.RoundId, now); // a rehearsal's clock waits for the invitations to be sent
        activities = await WithLastQuarterAsync(activities, quarter.RoundId, ct);
        var plan = RoundDecisions.Open(quarter, activities, now, policy, actor);
        if (!await store.TryCreateAsync(plan.Header, plan.Started, now, ct))
        {
            clock.Expect(quarter.RoundId, null);
            return false;
        }
        await FinishOpeningAsync(store, plan, ct);
        log.LogInformation("Opened {Round}: {Leads} leads", plan.Header.Id, plan.Leads.Count);
        await runner.StartAsync(plan.Header.Id, ct);
        return true;
    }

    /// <summary>Writes an opened round's returns and items and marks it open. Safe to repeat after a crash.</summary>
    internal static async Task FinishOpeningAsync(RoundStore store, OpenPlan plan, CancellationToken ct)
    {
        // Upserts: resuming after a crash rewrites the same rows. Nothing is dispatched while the round is Opening.
        await store.CommitAsync(plan.Header.Id, plan.Leads, upsert: true, ct);
        var header = await store.GetHeaderAsync(plan.Header.Id, ct)
                     ?? throw new InvalidOperationException("The round vanished while opening.");
        if (header.Status != RoundStatus.Opening) return;
        await store.CommitAsync(plan.Header.Id, [plan.Finish with { Header = header with { Status = RoundStatus.Open } }],
            ct: ct);
    }

    /// <summary>
    /// What the quarterly timer does at each firing: opens the quarter's round once its scheduled time has passed
    /// (unless <see cref="ChaseOptions.AutoOpen"/> is off, read at every firing), and makes sure every round with work
    /// left has its orchestrations running the current code (<see cref="RoundRunner.HealAsync"/>): a crash between
    /// opening and starting, an orchestration that failed or was ended, a deployment, a round complete without its
    /// report are all healed here, from the tables.
    /// </summary>
    public async Task<IReadOnlyList<string>> OnScheduleAsync(CancellationToken ct = default)
    {
        var lines = new List<string>();
        var now = clock.GetUtcNow();
        var (quarter, at) = LatestScheduledOpening(now);
        var existing = await store.ListRoundIdsAsync(ct);
        if (!policy.Options.AutoOpen) lines.Add("Opening on schedule is off (Chase:AutoOpen=false)");
        else if (!existing.Contains(quarter.RoundId) && now - at <= LateOpeningLimit)
        {
            var activities = await register.LoadAsync(ct);
            if (activities.Count == 0) lines.Add($"{quarter}: due to open since {at:u} but the register is empty");
            else if (await OpenAsync(quarter, activities, "schedule", ct)) lines.Add($"{quarter}: opened on schedule");
        }
        foreach (var roundId in existing)
        {
            if (await store.LoadSnapshotAsync(roundId, ct) is not { } round) continue;
            var plan = RoundPlan.Of(round, clock.GetUtcNow());
            if (plan.Finished) continue;
            var leads = round.Returns.Select(r => r.LeadKey).ToList();
            lines.AddRange(await runner.HealAsync(roundId, plan.Leads, leads, ct));
        }
        return lines;
    }
}
