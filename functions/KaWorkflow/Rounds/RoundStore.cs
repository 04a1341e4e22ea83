using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using KaWorkflow.Register;
using KaWorkflow.Storage;

namespace KaWorkflow.Rounds;

/// <summary>What the form needs of one lead: the round, the return, its activities and its saved versions.</summary>
public sealed record LeadView(RoundHeader Header, LeadReturn Return, List<ReturnItem> Items, List<ReturnVersion> Versions);

/// <summary>
/// Loads and commits rounds. One partition per round holds the header (<c>round</c>), returns (<c>lead|…</c>),
/// items (<c>item|lead|code</c>), outbox rows (<c>outbox|…</c>) and events (<c>event|…</c>); a small index
/// table lists the rounds.
/// </summary>
public sealed class RoundStore(TableServiceClient service, StorageOptions options)
{
    public const string IndexPartition = "rounds";

    /// <summary>The custom engine's schedule row, which older installations still have: not a round.</summary>
    public const string ScheduleRow = "schedule";

    /// <summary>Every round's rows, a partition each.</summary>
    public TableClient Rounds { get; } = service.GetTableClient(options.TablePrefix + "rounds");

    /// <summary>Which rounds exist.</summary>
    public TableClient Index { get; } = service.GetTableClient(options.TablePrefix + "roundindex");

    public async Task<RoundHeader?> GetHeaderAsync(string roundId, CancellationToken ct = default) =>
        await Rounds.GetOrNullAsync(roundId, "round", ct) is { } e ? ToHeader(e) : null;

    /// <summary>One outbox row, or null.</summary>
    public async Task<Effect?> GetEffectAsync(string roundId, string effectId, CancellationToken ct = default) =>
        await Rounds.GetOrNullAsync(roundId, "outbox|" + effectId, ct) is { } e ? ToEffect(e) : null;

    /// <summary>The header, returns and outbox in one query (row keys from <c>lead|</c> to <c>round</c> cover exactly
    /// those).</summary>
    public async Task<RoundSnapshot?> LoadSnapshotAsync(string roundId, CancellationToken ct = default)
    {
        var rows = await Rounds.QueryListAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {roundId} and RowKey ge {"lead|"} and RowKey le {"round"}"), ct);
        var header = rows.FirstOrDefault(r => r.RowKey == "round");
        if (header is null) return null;
        return new RoundSnapshot(ToHeader(header),
            rows.Where(r => r.RowKey.StartsWith("lead|", StringComparison.Ordinal)).Select(ToReturn).ToList(),
            rows.Where(r => r.RowKey.StartsWith("outbox|", StringComparison.Ordinal)).Select(ToEffect).ToList());
    }

    /// <summary>The header and every lead's return, without the outbox, in one query: for who answers, not what was
    /// sent.</summary>
    public async Task<(RoundHeader Header, List<LeadReturn> Returns)?> LoadReturnsAsync(string roundId,
        CancellationToken ct = default)
    {
        var rows = await Rounds.QueryListAsync(TableClient.CreateQueryFilter($"PartitionKey eq {roundId} and ") +
            TableClient.CreateQueryFilter($"(RowKey eq {"round"} or (RowKey gt {"lead|"} and RowKey lt {"lead}"}))"), ct);
        var header = rows.FirstOrDefault(r => r.RowKey == "round");
        return header is null ? null
            : (ToHeader(header), rows.Where(r => r.RowKey != "round").Select(ToReturn).ToList());
    }

    /// <summary>One lead's return and outbox rows, with the round header, in one query: what the lead's orchestration
    /// reads.</summary>
    public async Task<(RoundHeader Header, LeadReturn Return, List<Effect> Mail)?> LoadLeadMailAsync(
        string roundId, string leadKey, CancellationToken ct = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {roundId} and (RowKey eq {"round"} or RowKey eq {"lead|" + leadKey}") +
            TableClient.CreateQueryFilter(
                $" or (RowKey gt {"outbox|"} and RowKey lt {"outbox}"} and LeadKey eq {leadKey}))");
        var rows = await Rounds.QueryListAsync(filter, ct);
        var header = rows.FirstOrDefault(r => r.RowKey == "round");
        var ret = rows.FirstOrDefault(r => r.RowKey == "lead|" + leadKey);
        if (header is null || ret is null) return null;
        return (ToHeader(header), ToReturn(ret),
            rows.Where(r => r.RowKey.StartsWith("outbox|", StringComparison.Ordinal)).Select(ToEffect).ToList());
    }

    /// <summary>One lead's return and items, with the round header, in one query.</summary>
    public async Task<(RoundHeader Header, LeadReturn Return, List<ReturnItem> Items)?> LoadLeadAsync(
        string roundId, string leadKey, CancellationToken ct = default) =>
        await LoadLeadWithHistoryAsync(roundId, leadKey, ct) is { } l ? (l.Header, l.Return, l.Items) : null;

    /// <summary>One lead's return, items and saved versions, with the round header, in one query.</summary>
    public async Task<LeadView?> LoadLeadWithHistoryAsync(string roundId, string leadKey, CancellationToken ct = default)
    {
        string Range(string kind) =>
            TableClient.CreateQueryFilter($"(RowKey gt {$"{kind}|{leadKey}|"} and RowKey lt {$"{kind}|{leadKey}|~"})");
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {roundId} and (RowKey eq {"round"} or RowKey eq {"lead|" + leadKey}") +
            $" or {Range("item")} or {Range("version")})";
        var rows = await Rounds.QueryListAsync(filter, ct);
        var header = rows.FirstOrDefault(r => r.RowKey == "round");
        var ret = rows.FirstOrDefault(r => r.RowKey == "lead|" + leadKey);
        if (header is null || ret is null) return null;
        var items = rows.Where(r => r.RowKey.StartsWith("item|", StringComparison.Ordinal)).Select(ToItem)
            .OrderBy(i => i.Order).ToList();
        var versions = rows.Where(r => r.RowKey.StartsWith("version|", StringComparison.Ordinal)).Select(ToVersion)
            .OrderBy(v => v.Number).ToList();
        return new LeadView(ToHeader(header), ToReturn(ret), items, versions);
    }

    public async Task<List<ReturnItem>> LoadItemsAsync(string roundId, CancellationToken ct = default) =>
        (await Rounds.QueryListAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {roundId} and RowKey gt {"item|"} and RowKey lt {"item}"}"), ct))
        .Select(ToItem).OrderBy(i => i.Order).ToList();

    /// <summary>The round's history, oldest first; with a lead, only what concerns them.</summary>
    public async Task<List<RoundEvent>> LoadEventsAsync(string roundId, string? leadKey = null, CancellationToken ct = default) =>
        (await Rounds.QueryListAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {roundId} and RowKey gt {"event|"} and RowKey lt {"event}"}")
            + (leadKey is null ? "" : TableClient.CreateQueryFilter($" and LeadKey eq {leadKey}")), ct))
        .Select(e => new RoundEvent(e.GetDateTimeOffset("At")!.Value, e.GetRequiredString("Type"),
            e.GetRequiredString("Actor"), e.GetString("LeadKey"), e.GetString("Detail"))).ToList();

    /// <summary>Inserts the header of a new round; false if a round with that id exists (so opening twice is
    /// impossible).</summary>
    public async Task<bool> TryCreateAsync(RoundHeader header, RoundEvent started, DateTimeOffset now, CancellationToken ct = default)
    {
        // Listed first: a listed round that does not exist is skipped, an unlisted one would be lost from view.
        await Index.UpsertCheckedAsync(new TableEntity(IndexPartition, header.Id) { ["OpenedAt"] = now }, ct);
        try
        {
            await Rounds.SubmitCheckedAsync([Insert(ToEntity(header)), Insert(ToEntity(header.Id, started))], ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Commits changes, packing whole changes into transactions of at most 100 operations. Each change is atomic;
    /// a stale ETag throws with status 412 and the caller reloads and decides again.
    /// </summary>
    /// <returns>The changes as stored: the header, returns, items and effects carry their new ETags.</returns>
    public async Task<IReadOnlyList<Change>> CommitAsync(string roundId, IEnumerable<Change> changes, bool upsert = false,
        CancellationToken ct = default)
    {
        var written = new List<(Change Change, Rows Rows)>();
        var batch = new List<TableTransactionAction>();
        foreach (var change in changes)
        {
            var rows = new Rows(roundId, change);
            var ops = rows.Operations(upsert);
            if (ops.Count > AzureTableLimits.MaxActions)
                throw new InvalidOperationException($"A change of {ops.Count} operations cannot be atomic.");
            if (batch.Count + ops.Count > AzureTableLimits.MaxActions)
            {
                await Rounds.SubmitCheckedAsync(batch, ct);
                batch = [];
            }
            batch.AddRange(ops);
            written.Add((change, rows));
        }
        if (batch.Count > 0) await Rounds.SubmitCheckedAsync(batch, ct);
        return written.Select(w => w.Rows.Stored(w.Change)).ToList();
    }

    /// <summary>Replaces one outbox row if unchanged since read; returns the stored effect with its new ETag, or null
    /// if
    /// someone else moved first.</summary>
    public async Task<Effect?> TryUpdateEffectAsync(string roundId, Effect effect, IEnumerable<Change>? alongside = null,
        CancellationToken ct = default)
    {
        var entity = ToEntity(roundId, effect);
        var ops = new List<TableTransactionAction> { Write(entity, upsert: false) };
        foreach (var change in alongside ?? []) ops.AddRange(new Rows(roundId, change).Operations(upsert: false));
        try
        {
            await Rounds.SubmitCheckedAsync(ops, ct);
            return effect with { ETag = entity.ETagText() };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404 or 409)
        {
            return null;
        }
    }

    /// <summary>One change's rows; after the transaction they hold the new ETags.</summary>
    private sealed class Rows(string roundId, Change change)
    {
        private readonly TableEntity? _header = change.Header is { } h ? ToEntity(h) : null;
        private readonly List<TableEntity> _returns = (change.Returns ?? []).Select(r => ToEntity(roundId, r)).ToList();
        private readonly List<TableEntity> _items = (change.Items ?? []).Select(i => ToEntity(roundId, i)).ToList();
        private readonly List<TableEntity> _effects = (change.Effects ?? []).Select(e => ToEntity(roundId, e)).ToList();

        public List<TableTransactionAction> Operations(bool upsert)
        {
            var ops = new[] { _header }.OfType<TableEntity>().Concat(_returns).Concat(_items).Concat(_effects)
                .Select(e => Write(e, upsert)).ToList();
            ops.AddRange((change.RemovedItems ?? []).Select(i => ToEntity(roundId, i))
                .Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, e.ETag == default ? ETag.All : e.ETag)));
            ops.AddRange((change.Versions ?? []).Select(v => Insert(ToEntity(roundId, v))));
            ops.AddRange((change.Events ?? []).Select(e => Insert(ToEntity(roundId, e))));
            return ops;
        }

        public Change Stored(Change c) => c with
        {
            Header = c.Header is { } h ? h with { ETag = _header!.ETagText() } : null,
            Returns = c.Returns?.Select((r, i) => r with { ETag = _returns[i].ETagText() }).ToList(),
            Items = c.Items?.Select((x, i) => x with { ETag = _items[i].ETagText() }).ToList(),
            Effects = c.Effects?.Select((e, i) => e with { ETag = _effects[i].ETagText() }).ToList(),
        };
    }

    private static TableTransactionAction Insert(TableEntity e) => new(TableTransactionActionType.Add, e);

    /// <summary>A replace guarded by the row's ETag; a new row (no ETag) is inserted; <paramref name="upsert"/>
    /// overwrites.</summary>
    private static TableTransactionAction Write(TableEntity e, bool upsert) =>
        upsert ? new(TableTransactionActionType.UpsertReplace, e)
        : e.ETag == default ? Insert(e)
        : new(TableTransactionActionType.UpdateReplace, e, e.ETag);

    // ---- the index: one row per round, so listing rounds needs no scan of their partitions ----

    /// <summary>Every round's id, oldest first.</summary>
    public async Task<List<string>> ListRoundIdsAsync(CancellationToken ct = default) =>
        (await Index.QueryListAsync(TableClient.CreateQueryFilter($"PartitionKey eq {IndexPartition}"), ct))
        .Select(r => r.RowKey).Where(id => id != ScheduleRow).Order(StringComparer.Ordinal).ToList();

    // ---- row mapping ----

    private static TableEntity ToEntity(RoundHeader h) => new(h.Id, "round")
    {
        ["Status"] = h.Status.ToString(), ["OpenedAt"] = h.OpenedAt, ["Deadline"] = h.Deadline,
        ["ReportVersion"] = h.ReportVersion, ["CompletedAt"] = h.CompletedAt, ETag = TableRows.ToETag(h.ETag),
    };

    private static RoundHeader ToHeader(TableEntity e) => new(e.PartitionKey, Enum.Parse<RoundStatus>(e.GetRequiredString("Status")),
        e.GetDateTimeOffset("OpenedAt")!.Value, e.GetDateTimeOffset("Deadline")!.Value, e.GetInt("ReportVersion"),
        e.GetDateTimeOffset("CompletedAt"), e.ETagText());

    private static TableEntity ToEntity(string roundId, LeadReturn r) => new(roundId, "lead|" + r.LeadKey)
    {
        ["LeadName"] = r.LeadName, ["LeadEmail"] = r.LeadEmail, ["Status"] = r.Status.ToString(), ["ActivityCount"] = r.ActivityCount,
        ["TokenGeneration"] = r.TokenGeneration, ["RemindersSent"] = r.RemindersSent, ["NextReminderAt"] = r.NextReminderAt,
        ["SavedAt"] = r.SavedAt, ["SavedBy"] = r.SavedBy, ["SubmittedAt"] = r.SubmittedAt, ["SubmittedBy"] = r.SubmittedBy,
        ["Version"] = r.Version, ["Deadline"] = r.Deadline, ["ChaseStage"] = r.ChaseStage, ["ChaseDeadline"] = r.ChaseDeadline,
        ["FirstRemindedAt"] = r.FirstRemindedAt, ["EscalationEmail"] = r.EscalationEmail, ["ExcusedReason"] = r.ExcusedReason,
        ["Delegate"] = r.Delegate, ["DelegateName"] = r.DelegateName, ["OpenedAt"] = r.OpenedAt,
        ["LinkSecret"] = r.LinkSecret, ETag = TableRows.ToETag(r.ETag),
    };

    // Named, not positional: a return has two dozen fields, and a mapping by position hides a swap.
    private static LeadReturn ToReturn(TableEntity e) => new()
    {
        LeadKey = e.RowKey["lead|".Length..], LeadName = e.GetRequiredString("LeadName"),
        LeadEmail = e.GetRequiredString("LeadEmail"), Status = Enum.Parse<ReturnStatus>(e.GetRequiredString("Status")),
        ActivityCount = e.GetInt("ActivityCount"), TokenGeneration = e.GetInt("TokenGeneration", 1),
        RemindersSent = e.GetInt("RemindersSent"), NextReminderAt = e.GetDateTimeOffset("NextReminderAt"),
        SavedAt = e.GetDateTimeOffset("SavedAt"), SavedBy = e.GetString("SavedBy"),
        SubmittedAt = e.GetDateTimeOffset("SubmittedAt"), SubmittedBy = e.GetString("SubmittedBy"),
        Version = e.GetInt("Version"), ETag = e.ETagText(), Deadline = e.GetDateTimeOffset("Deadline"),
        ChaseStage = e.GetInt("ChaseStage"), ChaseDeadline = e.GetDateTimeOffset("ChaseDeadline"),
        FirstRemindedAt = e.GetDateTimeOffset("FirstRemindedAt"), EscalationEmail = e.GetString("EscalationEmail"),
        ExcusedReason = e.GetString("ExcusedReason"), Delegate = e.GetString("Delegate"),
        DelegateName = e.GetString("DelegateName"), OpenedAt = e.GetDateTimeOffset("OpenedAt"),
        LinkSecret = e.GetString("LinkSecret"),
    };

    private static TableEntity ToEntity(string roundId, ReturnItem i) => new(roundId, $"item|{i.LeadKey}|{i.Code}")
    {
        ["LeadKey"] = i.LeadKey, ["Code"] = i.Code, ["Order"] = i.Order, ["Theme"] = i.Theme, ["Objective"] = i.Objective,
        ["Title"] = i.Title, ["Team"] = i.Team, ["Portfolio"] = i.Portfolio, ["PreviousStatus"] = i.PreviousStatus?.ToString(),
        ["PreviousProgress"] = i.PreviousProgress, ["PreviousNextSteps"] = i.PreviousNextSteps, ["Status"] = i.Status?.ToString(),
        ["Progress"] = i.Progress, ["NextSteps"] = i.NextSteps, ["ExcusedReason"] = i.ExcusedReason, ETag = TableRows.ToETag(i.ETag),
    };

    private static RagStatus? Rag(string? s) => Enum.TryParse<RagStatus>(s, out var r) ? r : null;

    private static ReturnItem ToItem(TableEntity e) => new(
        LeadKey: e.GetRequiredString("LeadKey"), Code: e.GetRequiredString("Code"), Order: e.GetInt("Order"),
        Theme: e.GetRequiredString("Theme"), Objective: e.GetString("Objective"), Title: e.GetRequiredString("Title"),
        Team: e.GetString("Team"), Portfolio: e.GetString("Portfolio"),
        PreviousStatus: Rag(e.GetString("PreviousStatus")), PreviousProgress: e.GetString("PreviousProgress"),
        PreviousNextSteps: e.GetString("PreviousNextSteps"), Status: Rag(e.GetString("Status")),
        Progress: e.GetString("Progress"), NextSteps: e.GetString("NextSteps"), ETag: e.ETagText(),
        ExcusedReason: e.GetString("ExcusedReason"));

    private static TableEntity ToEntity(string roundId, Effect f) => new(roundId, "outbox|" + f.Id)
    {
        ["Kind"] = f.Kind.ToString(), ["LeadKey"] = f.LeadKey, ["Number"] = f.Number, ["State"] = f.State.ToString(),
        ["NotBefore"] = f.NotBefore, ["Escalated"] = f.Escalated, ["Attempts"] = f.Attempts, ["ClaimedUntil"] = f.ClaimedUntil,
        ["LastError"] = f.LastError is { Length: > 2000 } long_ ? long_[..2000] : f.LastError, ["CompletedAt"] = f.CompletedAt,
        ["Message"] = f.Message is null ? null : JsonSerializer.Serialize(f.Message), ["Planned"] = f.Planned,
        ["PaceSlot"] = f.PaceSlot, ETag = TableRows.ToETag(f.ETag),
    };

    private static Effect ToEffect(TableEntity e) => new(e.RowKey["outbox|".Length..], Enum.Parse<EffectKind>(e.GetRequiredString("Kind")),
        e.GetString("LeadKey"), e.GetInt("Number"), Enum.Parse<EffectState>(e.GetRequiredString("State")),
        e.GetDateTimeOffset("NotBefore")!.Value, e.GetBoolean("Escalated") == true, e.GetInt("Attempts"),
        e.GetDateTimeOffset("ClaimedUntil"), e.GetString("LastError"), e.GetDateTimeOffset("CompletedAt"), e.ETagText(),
        e.GetString("Message") is { } m ? JsonSerializer.Deserialize<Mail.OutgoingMail>(m) : null)
    {
        Planned = e.GetDateTimeOffset("Planned"), PaceSlot = e.GetDateTimeOffset("PaceSlot"),
    };

    /// <summary>Table Storage holds at most 32K characters in a string property; longer change lists are split across
    /// several.</summary>
    private const int ChunkChars = 30_000;

    private static TableEntity ToEntity(string roundId, ReturnVersion v)
    {
        var json = JsonSerializer.Serialize(v.Changes);
        var e = new TableEntity(roundId, $"version|{v.LeadKey}|{v.Number:D6}")
        {
            ["LeadKey"] = v.LeadKey, ["Number"] = v.Number, ["At"] = v.At, ["Actor"] = v.Actor, ["Type"] = v.Type,
        };
        for (var i = 0; i * ChunkChars < json.Length; i++)
            e[$"Changes{i}"] = json.Substring(i * ChunkChars, Math.Min(ChunkChars, json.Length - i * ChunkChars));
        return e;
    }

    private static ReturnVersion ToVersion(TableEntity e)
    {
        var json = string.Concat(Enumerable.Range(0, 64).Select(i => e.GetString($"Changes{i}")).TakeWhile(c => c is not null));
        return new ReturnVersion(e.GetRequiredString("LeadKey"), e.GetInt("Number"), e.GetDateTimeOffset("At")!.Value,
            e.GetRequiredString("Actor"),
            e.GetRequiredString("Type"), json.Length == 0 ? [] : JsonSerializer.Deserialize<List<ItemChange>>(json) ?? []);
    }

    private static int _eventSequence;

    private static TableEntity ToEntity(string roundId, RoundEvent ev) =>
        new(roundId, $"event|{ev.At.UtcTicks:D19}|{Environment.ProcessId:x}" +
                     $"{Interlocked.Increment(ref _eventSequence):x8}{Random.Shared.Next():x8}")
        {
            ["At"] = ev.At, ["Type"] = ev.Type, ["Actor"] = ev.Actor, ["LeadKey"] = ev.LeadKey, ["Detail"] = ev.Detail,
        };
}
