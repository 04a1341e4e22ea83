using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using KaWorkflow.Form;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Storage;

namespace KaWorkflow.Rounds;

/// <summary>What one tick did, for logs and for the custom-handler invocation's log lines.</summary>
public sealed record TickReport(int RoundsDue, IReadOnlyList<string> Lines);

/// <summary>
/// Drives rounds: opens them (by hand or on schedule) and, on each tick, advances every due round, commits the
/// decisions and dispatches the outbox. Two ticks at once are harmless: every write is ETag-guarded.
/// </summary>
public sealed class RoundEngine(
    RoundStore store, RegisterStore register, EffectDispatcher dispatcher, ChasePolicy policy, TimeProvider clock,
    BlobServiceClient blobs, StorageOptions storage, FormLinks links, ILogger<RoundEngine> log)
{
    /// <summary>Creates the tables and container, and the schedule row for the next automatic opening.</summary>
    public async Task InitialiseAsync(CancellationToken ct = default)
    {
        foreach (var table in new[] { store.Rounds, store.Index, links.Table, register.Table })
            await table.CreateIfNotExistsAsync(ct);
        await blobs.GetBlobContainerClient(storage.ReportsContainer).CreateIfNotExistsAsync(cancellationToken: ct);
        await blobs.GetBlobContainerClient(storage.KeysContainer).CreateIfNotExistsAsync(cancellationToken: ct);
        if (policy.Options.AutoOpen
            && await store.Index.GetOrNullAsync(RoundStore.IndexPartition, RoundStore.ScheduleRow, ct) is null)
            await store.SetNextDueAsync(RoundStore.ScheduleRow, NextScheduledOpening(clock.GetUtcNow()).At, etag: null, ct);
    }

    /// <summary>The next automatic opening strictly after <paramref name="after"/>.</summary>
    public (Rounds.Quarter Quarter, DateTimeOffset At) NextScheduledOpening(DateTimeOffset after)
    {
        var quarter = Quarter.Containing(WorkingCalendar.LocalDate(after)).Previous;
        while (policy.ScheduledOpening(quarter) <= after) quarter = quarter.Next;
        return (quarter, policy.ScheduledOpening(quarter));
    }

    /// <summary>The latest automatic opening at or before <paramref name="now"/>: this quarter's round for the quarter just ended, or the one before.</summary>
    public (Rounds.Quarter Quarter, DateTimeOffset At) LatestScheduledOpening(DateTimeOffset now)
    {
        var quarter = Quarter.Containing(WorkingCalendar.LocalDate(now)).Previous;
        if (policy.ScheduledOpening(quarter) > now) quarter = quarter.Previous;
        return (quarter, policy.ScheduledOpening(quarter));
    }

    /// <summary>Opens the round for a quarter with the current register. Returns false if it already exists.</summary>
    public async Task<bool> OpenAsync(Quarter quarter, string actor, CancellationToken ct = default) =>
        await OpenAsync(quarter, await register.LoadAsync(ct), actor, ct);

    private async Task<bool> OpenAsync(Quarter quarter, IReadOnlyList<KeyActivity> activities, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var plan = RoundDecisions.Open(quarter, activities, now, policy, actor);
        if (!await store.TryCreateAsync(plan.Header, plan.Started, now, ct)) return false;
        await FinishOpeningAsync(plan, ct);
        return true;
    }

    private async Task FinishOpeningAsync(OpenPlan plan, CancellationToken ct)
    {
        // Upserts: resuming after a crash rewrites the same rows. Nothing is dispatched while the round is Opening.
        await store.CommitAsync(plan.Header.Id, plan.Leads, upsert: true, ct);
        var header = await store.GetHeaderAsync(plan.Header.Id, ct) ?? throw new InvalidOperationException("The round vanished while opening.");
        await store.CommitAsync(plan.Header.Id, [plan.Finish with { Header = header with { Status = RoundStatus.Open } }], ct: ct);
        await store.NudgeAsync(plan.Header.Id, clock.GetUtcNow(), ct);
        log.LogInformation("Opened {Round}: {Leads} leads", plan.Header.Id, plan.Leads.Count);
    }

    /// <summary>One tick: an idle one is a single query of the index.</summary>
    public async Task<TickReport> TickAsync(CancellationToken ct = default)
    {
        var lines = new List<string>();
        var due = await store.DueAsync(clock.GetUtcNow(), ct);
        foreach (var row in due)
        {
            try
            {
                if (row.RowKey == RoundStore.ScheduleRow) await OpenScheduledAsync(row, lines, ct);
                else await AdvanceAsync(row.RowKey, row.ETagText(), lines, ct);
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException && !ct.IsCancellationRequested)
            {
                // One round's trouble must not stall the others; its index row is unchanged, so the next tick retries.
                log.LogError(e, "Tick failed for {Row}", row.RowKey);
                lines.Add($"{row.RowKey}: failed ({e.Message}); will retry");
            }
        }
        return new TickReport(due.Count, lines);
    }

    private async Task OpenScheduledAsync(TableEntity row, List<string> lines, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (quarter, _) = LatestScheduledOpening(now);
        var activities = await register.LoadAsync(ct);
        if (activities.Count == 0)
        {
            lines.Add($"{quarter}: due to open but the register is empty; trying again in a day");
            await store.SetNextDueAsync(RoundStore.ScheduleRow, now.AddDays(1), row.ETagText(), ct);
            return;
        }
        var opened = await OpenAsync(quarter, activities, "schedule", ct);
        lines.Add(opened ? $"{quarter}: opened on schedule" : $"{quarter}: already open");
        await store.SetNextDueAsync(RoundStore.ScheduleRow, NextScheduledOpening(now).At, row.ETagText(), ct);
        if (opened) await AdvanceAsync(quarter.RoundId, null, lines, ct); // send the invites now, not a tick later
    }

    /// <summary>Advances one round: decide, commit (reloading on conflict), dispatch, and set when it is next due.</summary>
    public async Task AdvanceAsync(string roundId, string? indexETag, List<string> lines, CancellationToken ct = default)
    {
        RoundSnapshot? round = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            round = await store.LoadSnapshotAsync(roundId, ct);
            if (round is null) return;
            if (round.Header.Status == RoundStatus.Opening)
            {
                // A crash interrupted opening: finish it with the register as it is now.
                var plan = RoundDecisions.Open(round.Header.Quarter, await register.LoadAsync(ct), round.Header.OpenedAt, policy, "resume");
                await FinishOpeningAsync(plan with { Header = round.Header }, ct);
                lines.Add($"{roundId}: finished opening");
                continue;
            }
            var changes = RoundDecisions.Advance(round, clock.GetUtcNow(), policy);
            if (changes.Count == 0) break;
            try
            {
                await store.CommitAsync(roundId, changes, ct: ct);
                lines.Add($"{roundId}: {string.Join(", ", changes.SelectMany(c => c.Events ?? []).Select(e => e.Type).GroupBy(t => t).Select(g => $"{g.Count()} {g.Key}"))}");
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409)
            {
                lines.Add($"{roundId}: conflict, deciding again");
            }
        }
        if (round is null) return;
        var effects = await dispatcher.DispatchAsync(round, ct);
        var done = effects.Count(e => e.State == EffectState.Done) - round.Effects.Count(e => e.State == EffectState.Done);
        if (done > 0)
        {
            lines.Add($"{roundId}: {done} effects done");
            // A finished effect may have queued another (the report queues its notice): read the outbox again.
            round = await store.LoadSnapshotAsync(roundId, ct) ?? round;
            effects = round.Effects;
        }
        var next = RoundDecisions.NextDue(round with { Effects = effects }, clock.GetUtcNow());
        await store.SetNextDueAsync(roundId, next, indexETag, ct);
    }
}
