using System.Collections.Concurrent;
using KaWorkflow.Rounds;

namespace KaWorkflow.History;

/// <summary>
/// Reads what every round recorded, for the activities' stories. A finished round changes only through its header
/// (completing again after a reopen moves its ETag on), so its returns and activities are read once and kept while
/// the header's ETag stands: a page then costs one point read a round.
/// </summary>
public sealed class HistoryStore(RoundStore store)
{
    private readonly ConcurrentDictionary<string, (string? ETag, RoundRecord Record)> _finished = new();

    // The stories last told, and the rounds they were told from: the same records give the same stories.
    private Told? _told;

    private sealed record Told(IReadOnlyList<RoundRecord> From, IReadOnlyList<ActivityStory> Stories);

    /// <summary>Every round up to and including <paramref name="throughRoundId"/> (all when null), oldest
    /// first.</summary>
    public async Task<IReadOnlyList<RoundRecord>> RoundsAsync(string? throughRoundId = null,
        CancellationToken ct = default)
    {
        var ids = (await store.ListRoundIdsAsync(ct))
            .Where(id => throughRoundId is null || string.CompareOrdinal(id, throughRoundId) <= 0)
            .Order(StringComparer.Ordinal).ToList();
        var records = await Task.WhenAll(ids.Select(id => RoundAsync(id, ct)));
        return records.OfType<RoundRecord>().ToList();
    }

    /// <summary>Every activity's story up to and including <paramref name="throughRoundId"/>.</summary>
    public async Task<IReadOnlyList<ActivityStory>> StoriesAsync(string? throughRoundId = null,
        CancellationToken ct = default) => Stories(await RoundsAsync(throughRoundId, ct));

    /// <summary>The stories of rounds already read (<see cref="RoundsAsync"/>); told again only when a round
    /// changed.</summary>
    public IReadOnlyList<ActivityStory> Stories(IReadOnlyList<RoundRecord> rounds)
    {
        if (_told is { } told && told.From.SequenceEqual(rounds, ReferenceEqualityComparer.Instance))
            return told.Stories;
        var stories = ActivityHistory.Of(rounds);
        _told = new Told(rounds, stories);
        return stories;
    }

    private async Task<RoundRecord?> RoundAsync(string roundId, CancellationToken ct)
    {
        if (await store.GetHeaderAsync(roundId, ct) is not { } header) return null;
        if (_finished.TryGetValue(roundId, out var kept) && kept.ETag is not null && kept.ETag == header.ETag)
            return kept.Record;
        var snapshot = store.LoadSnapshotAsync(roundId, ct);
        var items = store.LoadItemsAsync(roundId, ct);
        if (await snapshot is not { } round) return null;
        var record = new RoundRecord(round.Header, round.Returns, await items);
        if (round.Header.Status is RoundStatus.Complete or RoundStatus.Closed)
            _finished[roundId] = (round.Header.ETag, record);
        return record;
    }
}
