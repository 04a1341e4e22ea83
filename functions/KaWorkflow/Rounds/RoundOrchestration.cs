using Microsoft.DurableTask;

namespace KaWorkflow.Rounds;

/// <summary>What a round's orchestration carries from one turn to the next (its whole state: see the README).</summary>
/// <param name="Scale">Business seconds per wall second: 1 in Azure, more in a rehearsal, 0 when a simulation moves
/// business time by hand and wakes the round with an event.</param>
/// <param name="Wake">The last wake-up taken into account, so whoever woke the round can tell when it has.</param>
/// <param name="Turn">How many turns the round has taken, for logs and the dashboard.</param>
/// <param name="Version">The <see cref="RoundOrchestration.Version"/> of the code that continued into this turn, so a
/// deployment can replay a turn in flight with the code that started it; 0 for a fresh start.</param>
public sealed record RoundRun(string RoundId, double Scale = 1, long Wake = 0, int Turn = 0, int Version = 0);

/// <summary>One turn's decision: the business time it was taken at, effects due now, the next due time, and
/// whether the round has nothing left to do.</summary>
public sealed record RoundTurn(DateTimeOffset Now, IReadOnlyList<string> DueEffects, DateTimeOffset? WakeAt, bool Finished);

/// <summary>One outbox effect of one round, as an activity's input.</summary>
public sealed record EffectRef(string RoundId, string EffectId);

/// <summary>A turn's due effects of one round, as one activity's input.</summary>
public sealed record EffectBatch(string RoundId, IReadOnlyList<string> EffectIds);

/// <summary>What running one effect left: finished (done or parked), or still to do, from a business time.</summary>
public sealed record EffectResult(bool Finished, DateTimeOffset? RetryAt);

/// <summary>A waiting round's custom status: the wake-up it has taken into account and when it next wakes.</summary>
public sealed record RoundWaiting(long Wake, int Turn, DateTimeOffset? WakeAt);

/// <summary>
/// A round as a durable orchestration (instance id: the round id). Each turn decides what the passing of time and
/// the latest changes mean (an activity running the pure decisions), performs what is due (one activity for the
/// turn's e-mails and report), then waits for the next due time (a durable timer) or a change (the <see cref="WakeEvent"/>). Once no
/// timer of its own is pending it continues as new, so its history never grows beyond a day's turns.
/// </summary>
/// <remarks>
/// Deterministic: time, ids and I/O come only through the context and activities. A deployment that changes the
/// calls a turn makes would break the replay of the turn in flight: bump <see cref="Version"/> and keep the old
/// turn's code for runs whose <see cref="RoundRun.Version"/> is older, for one release (see the README).
/// </remarks>
public class RoundOrchestration : TaskOrchestrator<RoundRun, string>
{
    public const string Name = nameof(RoundOrchestration);

    /// <summary>The version of the turns this code takes; written into the next execution's input.</summary>
    public virtual int Version => 2;

    /// <summary>Raised (by instance id alone) when a lead submits or the performance team acts.</summary>
    public const string WakeEvent = "wake";

    /// <summary>The longest a round sleeps before checking again, whatever its next due time.</summary>
    public static readonly TimeSpan LongestSleep = TimeSpan.FromDays(1);

    /// <summary>How long a round waits when something is due yet nothing could be run (it would otherwise
    /// spin).</summary>
    public static readonly TimeSpan Backoff = TimeSpan.FromSeconds(1);

    /// <summary>Turns one execution takes, at most, while a timer of its own is pending.</summary>
    /// <remarks>Every turn adds a dozen rows to the history each later turn replays. Past this many the execution
    /// cancels its pending timer and continues as new; the next execution sets its own.</remarks>
    public const int MostTurnsPerExecution = 20;

    /// <summary>Storage or Graph trouble that outlasts the SDKs' own retries is retried here, with backoff.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(5)));

    public override Task<string> RunAsync(TaskOrchestrationContext context, RoundRun run) =>
        run.Version == 1 ? TurnAsync(context, run) : TurnsAsync(context, run);

    /// <summary>Version 2: turns in one execution until none of its timers is pending, then continue as
    /// new.</summary>
    protected async Task<string> TurnsAsync(TaskOrchestrationContext context, RoundRun run)
    {
        // This execution's timers not yet fired, each with the means to cancel it.
        var timers = new List<(DateTime At, Task Fired, CancellationTokenSource Cancel)>();
        Task<long>? nudge = null; // one waiter at a time: an event goes to the oldest, awaited or not
        var (wake, turns) = (run.Wake, 0);
        while (true)
        {
            if (turns > 0) context.SetCustomStatus(null); // busy: waiters read no stale due time
            var decisionStarted = context.CurrentUtcDateTime; // the decision reads storage after this
            var turn = await context.CallActivityAsync<RoundTurn>(nameof(DecideRoundTurn), run.RoundId, Retry);
            // One activity for all of them: a message and a history row each would cost more than most e-mails.
            EffectResult[] results = turn.DueEffects.Count == 0 ? [] : await context.CallActivityAsync<EffectResult[]>(
                nameof(RunRoundEffects), new EffectBatch(run.RoundId, turn.DueEffects), Retry);
            turns++;
            if (turn.Finished && results.Length == 0)
                return $"{run.RoundId} finished after {run.Turn + turns} turns";

            var wakeAt = results.Select(r => r.RetryAt).Append(turn.WakeAt).Where(t => t is not null).Min();
            var sleep = Sleep(turn.Now, wakeAt, run.Scale);
            // A finished effect may have queued another (the report queues its notice), and something already due is
            // due: take the next turn at once. Due, yet nothing to run, would spin: back off instead.
            if (sleep == TimeSpan.Zero && results.Length == 0) sleep = Backoff;
            if (!results.Any(r => r.Finished) && sleep != TimeSpan.Zero)
            {
                // A pending timer due no later serves: when it fires the turn finds nothing due yet and sleeps again.
                var due = context.CurrentUtcDateTime + sleep;
                if (due is { } at && !timers.Any(t => t.At <= at))
                {
                    var cancel = new CancellationTokenSource();
                    timers.Add((at, context.CreateTimer(at, cancel.Token), cancel));
                }
                context.SetCustomStatus(new RoundWaiting(wake, run.Turn + turns - 1, wakeAt));
                while (true)
                {
                    nudge ??= context.WaitForExternalEvent<long>(WakeEvent);
                    if (await Task.WhenAny(timers.Select(t => t.Fired).Append(nudge)) != nudge) break;
                    var raised = await nudge;
                    nudge = null;
                    wake = Math.Max(wake, raised);
                    // A wake-up raised well before this turn's decision started is about something it already read:
                    // of a burst of submissions, only those after the decision need another turn.
                    if (!WakeNumbers.SeenBy(raised, decisionStarted)) break;
                    context.SetCustomStatus(new RoundWaiting(wake, run.Turn + turns - 1, wakeAt));
                }
            }
            // A timer left pending by an ended execution is bounced by the backend as out of order (it knows only the
            // current execution's history) until it gives up: continue as new only once none is pending.
            timers.RemoveAll(t => t.Fired.IsCompleted);
            if (timers.Count == 0 || turns >= MostTurnsPerExecution)
            {
                // An open timer withholds the continue-as-new until it fires (up to a day), and every event meanwhile
                // is filed for the next execution, unseen: the round would stop acting. Cancelled, it is closed.
                foreach (var timer in timers) timer.Cancel.Cancel();
                // A wake-up that came with the timer is carried over; the next decision reads what it was about.
                if (nudge is { IsCompleted: true }) wake = Math.Max(wake, await nudge);
                context.ContinueAsNew(run with { Wake = wake, Turn = run.Turn + turns, Version = Version });
                return "continued";
            }
        }
    }

    /// <summary>Version 1 of a turn, for runs continued into by version 1: decide, act, sleep, continue as
    /// new.</summary>
    /// <remarks>Each turn woken by an event left its timer behind; on a fast clock the backend's bouncing of those
    /// timers saturated storage. Remove once no round's input says version 1 (a day after deployment).</remarks>
    protected async Task<string> TurnAsync(TaskOrchestrationContext context, RoundRun run)
    {
        var decisionStarted = context.CurrentUtcDateTime;
        var turn = await context.CallActivityAsync<RoundTurn>(nameof(DecideRoundTurn), run.RoundId, Retry);
        var results = await Task.WhenAll(turn.DueEffects.Select(id =>
            context.CallActivityAsync<EffectResult>(nameof(RunRoundEffect), new EffectRef(run.RoundId, id), Retry)));
        if (turn.Finished && results.Length == 0) return $"{run.RoundId} finished after {run.Turn + 1} turns";

        var wake = run.Wake;
        var wakeAt = results.Select(r => r.RetryAt).Append(turn.WakeAt).Where(t => t is not null).Min();
        var sleep = Sleep(turn.Now, wakeAt, run.Scale) ?? LongestSleep;
        if (sleep == TimeSpan.Zero && results.Length == 0) sleep = Backoff;
        if (!results.Any(r => r.Finished) && sleep > TimeSpan.Zero)
        {
            context.SetCustomStatus(new RoundWaiting(wake, run.Turn, wakeAt));
            using var cancel = new CancellationTokenSource();
            var timer = context.CreateTimer(context.CurrentUtcDateTime + sleep, cancel.Token);
            while (true)
            {
                var nudge = context.WaitForExternalEvent<long>(WakeEvent);
                if (await Task.WhenAny(timer, nudge) != nudge) break;
                wake = Math.Max(wake, await nudge);
                if (!WakeNumbers.SeenBy(await nudge, decisionStarted))
                {
                    cancel.Cancel();
                    break;
                }
                context.SetCustomStatus(new RoundWaiting(wake, run.Turn, wakeAt));
            }
        }
        context.ContinueAsNew(run with { Wake = wake, Turn = run.Turn + 1, Version = Version });
        return "continued";
    }

    /// <summary>Wall time until a business time, on a clock running at <paramref name="scale"/>, at most a day; null
    /// on a clock moved by hand (scale 0), where only a wake-up moves the round on.</summary>
    /// <remarks>A timer may fire early (up to a second was seen locally): the next turn then finds nothing due yet and
    /// sleeps again for what is left.</remarks>
    public static TimeSpan? Sleep(DateTimeOffset now, DateTimeOffset? due, double scale)
    {
        if (scale <= 0) return null;
        if (due is not { } at) return LongestSleep;
        var wall = (at - now) / scale;
        return wall <= TimeSpan.Zero ? TimeSpan.Zero : wall < LongestSleep ? wall : LongestSleep;
    }
}
