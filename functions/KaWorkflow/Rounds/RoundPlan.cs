namespace KaWorkflow.Rounds;

/// <summary>
/// What a round's orchestration does next, as the tables say: which leads have work (each gets an orchestration of
/// their own), which of the round's own effects (a draft, the report, its notice) are owed now, and whether anything
/// is left.
/// </summary>
/// <param name="Leads">Leads with work: still chased, or with an e-mail unfinished.</param>
/// <param name="Owed">The round's own effects due now, in the order they were decided.</param>
/// <param name="RetryAt">When the round's next effect is due, if one is put off (a report that failed).</param>
/// <param name="Finished">Nothing is left: the round has completed or closed and every effect is finished.</param>
public sealed record RoundPlan(
    IReadOnlyList<string> Leads, IReadOnlyList<string> Owed, DateTimeOffset? RetryAt, bool Finished)
{
    /// <summary>A round that does not exist: nothing to do.</summary>
    public static readonly RoundPlan None = new([], [], null, true);

    /// <summary>Nothing new to do now: carry on waiting.</summary>
    public static readonly RoundPlan Nothing = new([], [], null, false);

    /// <summary>The plan for a round as loaded. Pure.</summary>
    public static RoundPlan Of(RoundSnapshot round, DateTimeOffset now)
    {
        var leads = round.Returns.Where(r => LeadPlan.HasWork(round.Header, r, round.Effects, now))
            .Select(r => r.LeadKey).ToList();
        var own = round.Effects.Where(e => e.ForRound && e.DueAt is not null).ToList();
        var owed = own.Where(e => e.Runnable(now))
            .OrderBy(e => e.NotBefore).ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Id).ToList();
        var finished = round.Header.Status is RoundStatus.Complete or RoundStatus.Closed
                       && leads.Count == 0 && own.Count == 0;
        return new RoundPlan(leads, owed, own.Where(e => !e.Runnable(now)).Min(e => e.DueAt), finished);
    }

    /// <summary>Whether the round needs its orchestration: anything at all left to do.</summary>
    public bool HasWork => !Finished;
}
