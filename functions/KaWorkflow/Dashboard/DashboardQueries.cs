using KaWorkflow.Register;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;

namespace KaWorkflow.Dashboard;

/// <summary>Reads what the dashboard and its JSON API show; both call the same queries, so they always agree.</summary>
public sealed class DashboardQueries(
    RoundStore store, RegisterStore register, ReportStore reports, RoundEngine engine, TimeProvider clock)
{
    /// <summary>Every round, newest first, with submitted-of-total; and when the next one opens by itself.</summary>
    public async Task<(List<RoundProgress> Rounds, DateTimeOffset? NextOpening)> RoundsAsync(CancellationToken ct = default)
    {
        var rounds = new List<RoundProgress>();
        foreach (var roundId in await store.ListRoundIdsAsync(ct))
            if (await store.LoadSnapshotAsync(roundId, ct) is { } s)
                rounds.Add(RoundProgress.Of(s, await store.LoadItemsAsync(roundId, ct), clock.GetUtcNow()));
        var next = engine.NextScheduledOpening(clock.GetUtcNow())?.At;
        return (rounds.OrderByDescending(r => r.Header.Id, StringComparer.Ordinal).ToList(), next);
    }

    /// <summary>One round's progress: two queries (the round's state, and its activities for answered
    /// counts).</summary>
    public async Task<RoundProgress?> RoundAsync(string roundId, CancellationToken ct = default)
    {
        var snapshot = store.LoadSnapshotAsync(roundId, ct);
        var items = store.LoadItemsAsync(roundId, ct);
        return await snapshot is { } s ? RoundProgress.Of(s, await items, clock.GetUtcNow()) : null;
    }

    public async Task<LeadDetail?> LeadAsync(string roundId, string leadKey, CancellationToken ct = default)
    {
        var lead = await store.LoadLeadWithHistoryAsync(roundId, leadKey.ToLowerInvariant(), ct);
        var snapshot = await store.LoadSnapshotAsync(roundId, ct);
        if (lead is null || snapshot is null) return null;
        var progress = RoundProgress.Of(snapshot, lead.Items, clock.GetUtcNow()).Leads.Single(l => l.LeadKey == lead.Return.LeadKey);
        var timeline = await store.LoadEventsAsync(roundId, lead.Return.LeadKey, ct);
        return new LeadDetail(lead.Header, progress, lead.Return, lead.Items, timeline, lead.Versions,
            snapshot.Returns.Where(r => r.LeadKey != lead.Return.LeadKey).OrderBy(r => r.LeadName).ToList());
    }

    /// <summary>The register, with last quarter's answers from the latest finished round where there is one.</summary>
    public async Task<IReadOnlyList<KeyActivity>> RegisterAsync(CancellationToken ct = default) =>
        await engine.WithLastQuarterAsync(await register.LoadAsync(ct), null, ct);

    /// <summary>The report files stored for a round, every version.</summary>
    public async Task<List<ReportFile>> ReportsAsync(string roundId, CancellationToken ct = default) =>
        (await reports.ListAsync(roundId, ct)).OrderByDescending(b => b.Name, StringComparer.Ordinal).ToList();
}
