using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure;
using KaWorkflow.Mail;
using Microsoft.DurableTask;
using KaWorkflow.Register;
using KaWorkflow.Reminders;

namespace KaWorkflow.Rounds;

/// <summary>
/// The round orchestration's activities. Each runs at least once (a crash replays it), so each is idempotent: the
/// decisions commit with ETags, and every effect is claimed, performed and marked done in the round's outbox.
/// </summary>
public sealed class RoundActivities(
    RoundStore store, RegisterStore register, RoundEngine engine, EffectDispatcher dispatcher, ChasePolicy policy,
    MailOptions mail, MailPacer pacer, TimeProvider clock, ILogger<RoundActivities> log)
{
    /// <summary>The rounds' own metrics, for Application Insights and the benchmarks.</summary>
    public static readonly Meter Meter = new("KaWorkflow.Rounds");

    /// <summary>Each decision's time, recorded as it ends: a change stored before the decision started has then
    /// been taken into account.</summary>
    public static readonly Histogram<double> Decisions = Meter.CreateHistogram<double>(
        "kaworkflow.round.decision.duration", "ms", "Time a round's turn took to read the round and decide");

    /// <summary>How many minutes' worth of mail (at <see cref="MailOptions.MessagesPerMinute"/>) one turn
    /// takes on.</summary>
    public const int MinutesOfMailPerTurn = 4;

    /// <summary>Applies the pure decisions to the round as it now stands and says what is due and when next.</summary>
    public async Task<RoundTurn> DecideTurnAsync(string roundId, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var turn = await DecideAsync(roundId, ct);
        Decisions.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("round", roundId));
        return turn;
    }

    private async Task<RoundTurn> DecideAsync(string roundId, CancellationToken ct)
    {
        RoundSnapshot? round = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            round = await store.LoadSnapshotAsync(roundId, ct);
            if (round is null) return new RoundTurn(clock.GetUtcNow(), [], null, Finished: true);
            if (round.Header.Status == RoundStatus.Opening)
            {
                // A crash interrupted opening: finish it with the register as it is now.
                var activities = await engine.WithLastQuarterAsync(await register.LoadAsync(ct), roundId, ct);
                var plan = RoundDecisions.Open(round.Header.Quarter, activities, round.Header.OpenedAt, policy, "resume");
                await RoundEngine.FinishOpeningAsync(store, plan with { Header = round.Header }, ct);
                continue;
            }
            var changes = RoundDecisions.Advance(round, clock.GetUtcNow(), policy);
            if (changes.Count == 0) break;
            try
            {
                await store.CommitAsync(roundId, changes, ct: ct);
                log.LogInformation("{Round}: {Events}", roundId, string.Join(", ", changes.SelectMany(c => c.Events ?? [])
                    .GroupBy(e => e.Type).Select(g => $"{g.Count()} {g.Key}")));
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409)
            {
                // A lead saved or an action landed meanwhile: decide again on fresh state.
            }
        }
        var now = clock.GetUtcNow();
        var runnable = round!.Effects.Where(e => e.Runnable(now))
            .OrderBy(e => e.NotBefore).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        // At most a few minutes' worth of mail a turn. The pacer keeps the sending itself to Exchange's rate: on a
        // real clock what it has no room for waits for the next turn, unread; on a rehearsal's fast clock a turn
        // lasts business hours, and a minute's worth a turn would leave the mail days behind.
        var due = runnable.Take(Math.Max(1, mail.MessagesPerMinute) * MinutesOfMailPerTurn).ToList();
        // The effects run this turn report their own next time; the rest of the round says when it is next due.
        var next = runnable.Count > due.Count ? now.AddMinutes(1)
            : RoundDecisions.NextDue(round with { Effects = round.Effects.Except(due).ToList() }, now);
        var finished = round.Header.Status is RoundStatus.Complete or RoundStatus.Closed
                       && round.Effects.All(e => e.State is EffectState.Done or EffectState.Parked);
        return new RoundTurn(now, due.Select(e => e.Id).ToList(), next, finished);
    }

    /// <summary>Claims, performs and records a turn's due effects in order, several at once, returning each one's
    /// result in order.</summary>
    /// <remarks>Four times as many at once as e-mails may be sent (the dispatcher holds the sends to Exchange's
    /// limit), so reading and recording overlap the sending. Should one throw (storage trouble outlasting its
    /// retries), the activity fails and is retried: effects already done are then skipped, as the outbox says
    /// so.</remarks>
    public async Task<EffectResult[]> RunEffectsAsync(EffectBatch batch, CancellationToken ct = default)
    {
        var results = new EffectResult[batch.EffectIds.Count];
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = 4 * mail.MaxConcurrentSends, CancellationToken = ct,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, results.Length), options, async (i, token) =>
            results[i] = await RunEffectAsync(new EffectRef(batch.RoundId, batch.EffectIds[i]), token));
        return results;
    }

    /// <summary>Claims, performs and records one effect (an e-mail or a report).</summary>
    public async Task<EffectResult> RunEffectAsync(EffectRef effect, CancellationToken ct = default)
    {
        // Mail the pacer has no room for yet waits for a later turn without a read.
        if (Effect.IsMail(effect.EffectId) && pacer.NextFree() is var free && free > clock.GetUtcNow())
            return new EffectResult(false, free);
        var after = await dispatcher.RunAsync(effect.RoundId, effect.EffectId, ct);
        return after is null || after.State is EffectState.Done or EffectState.Parked
            ? new EffectResult(true, null)
            : new EffectResult(false, after.DueAt);
    }
}

/// <summary>Activity: applies the pure decisions to a round and says what is due (<see
/// cref="RoundActivities.DecideTurnAsync"/>).</summary>
public sealed class DecideRoundTurn(RoundActivities activities) : TaskActivity<string, RoundTurn>
{
    public override Task<RoundTurn> RunAsync(TaskActivityContext context, string roundId) =>
        activities.DecideTurnAsync(roundId);
}

/// <summary>Activity: performs a turn's due effects of a round (<see cref="RoundActivities.RunEffectsAsync"/>).</summary>
public sealed class RunRoundEffects(RoundActivities activities) : TaskActivity<EffectBatch, EffectResult[]>
{
    public override Task<EffectResult[]> RunAsync(TaskActivityContext context, EffectBatch batch) =>
        activities.RunEffectsAsync(batch);
}

/// <summary>Activity: performs one outbox effect of a round (<see cref="RoundActivities.RunEffectAsync"/>); version 1
/// turns ran one each.</summary>
public sealed class RunRoundEffect(RoundActivities activities) : TaskActivity<EffectRef, EffectResult>
{
    public override Task<EffectResult> RunAsync(TaskActivityContext context, EffectRef effect) =>
        activities.RunEffectAsync(effect);
}
