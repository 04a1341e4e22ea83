using KaWorkflow.Register;

namespace KaWorkflow.Rounds;

/// <summary>
/// What "last quarter" means for a round: the final answers of the latest round that finished before it, activity by
/// activity; the register's own <c>Previous …</c> columns only where there is none (the very first round, a new
/// activity, one nobody answered). Pure.
/// </summary>
public static class LastQuarter
{
    public static IReadOnlyList<KeyActivity> Apply(IReadOnlyList<KeyActivity> register, IReadOnlyList<ReturnItem> finished)
    {
        var answers = finished.Where(i => i.Answered).ToDictionary(i => i.Code, StringComparer.OrdinalIgnoreCase);
        return register.Select(a => answers.TryGetValue(a.Code, out var last)
            ? a with { PreviousStatus = last.Status, PreviousProgress = last.Progress, PreviousNextSteps = last.NextSteps }
            : a).ToList();
    }

    /// <summary>The latest round before <paramref name="roundId"/> (all rounds when null) that has finished.</summary>
    public static string? LatestFinished(IEnumerable<RoundHeader> rounds, string? roundId) =>
        rounds.Where(r => r.Status is RoundStatus.Complete or RoundStatus.Closed
                          && (roundId is null || string.CompareOrdinal(r.Id, roundId) < 0))
            .Select(r => r.Id).Max(StringComparer.Ordinal);
}
