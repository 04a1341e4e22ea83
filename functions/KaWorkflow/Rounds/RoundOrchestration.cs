using Microsoft.DurableTask;

namespace KaWorkflow.Rounds;

/// <summary>A round's orchestration input: the round, the clock's scale (business seconds a wall second: 1 in Azure,
/// more in a rehearsal, 0 on a clock moved by hand, where whoever moves it raises the events) and the code's
/// version.</summary>
public sealed record RoundRun(string RoundId, double Scale = 1, int Version = Orchestrations.Version);

/// <summary>What is told to a running round from outside it (raised by its id as
/// <see cref="RoundOrchestration.SignalEvent"/>).</summary>
/// <param name="Lead">A lead whose orchestration had finished who has work again (an activity moved to them after
/// they submitted, a delegate named).</param>
/// <param name="Owed">The round owes a new effect of its own: a draft report asked for.</param>
/// <param name="Seen">An observer's token, shown in the round's custom status once it is waiting again.</param>
public sealed record RoundSignal(string? Lead = null, bool Owed = false, string? Seen = null);

/// <summary>A waiting round's custom status: the observers' tokens it took in (<see cref="Orchestrations.Saw"/>), and
/// the leads still being chased.</summary>
public sealed record RoundWaiting(IReadOnlyList<string> Seen, IReadOnlyList<string> Chasing);

/// <summary>
/// A quarter's round (instance id: the round id): chase every lead with work in an orchestration of their own
/// (<see cref="LeadOrchestration"/>) and wait for all of them, doing meanwhile what the performance team asks (a
/// draft report, a lead to chase again); then complete the round, assemble its report and tell the performance team.
/// Closing the round ends every lead's chase, so it too ends here.
/// </summary>
/// <remarks>
/// The tables are the truth: every plan comes from an activity, so an instance ended at any point and started again
/// carries on where the tables say. It awaits every lead it started and cancels the timer it did not take, so nothing
/// is left open when it ends.
/// </remarks>
public class RoundOrchestration : TaskOrchestrator<RoundRun, string>
{
    public const string Name = nameof(RoundOrchestration);

    public const string SignalEvent = "signal";

    /// <summary>The version of this code, and of the leads' orchestrations it starts
    /// (<see cref="Orchestrations.Version"/>); a round whose input says otherwise is ended and started again by the
    /// hourly check.</summary>
    public virtual int Version => Orchestrations.Version;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, RoundRun run)
    {
        var round = new Chases(context, run);
        var plan = await round.ReadAsync(nameof(ReadRound)); // finishes opening if a crash interrupted it
        while (!plan.Finished)
        {
            round.Start(plan.Leads); // an orchestration per lead: invite, remind, escalate
            await round.PerformAsync(plan.Owed); // a draft asked for; at the end, the report and its notice
            plan = plan.Owed.Count > 0 ? await round.ReadAsync(nameof(ReadRound)) // the report queues its notice
                : round.Chasing.Count > 0 || plan.RetryAt is not null ? await round.WaitAsync(plan.RetryAt)
                : await round.ReadAsync(nameof(FinishRound)); // every lead is done: complete the round
        }
        return $"{run.RoundId} finished";
    }

    /// <summary>The leads' orchestrations of one execution, and waiting on them and on signals.</summary>
    private sealed class Chases(TaskOrchestrationContext context, RoundRun run)
    {
        private readonly Dictionary<string, Task<string>> _leads = [];
        private readonly HashSet<string> _again = []; // told to chase again while chasing: started again once done
        private Task<RoundSignal> _signal = context.WaitForExternalEvent<RoundSignal>(SignalEvent);
        private IReadOnlyList<string> _seen = [];

        public IReadOnlyList<string> Chasing =>
            _leads.Where(l => !l.Value.IsCompleted).Select(l => l.Key).Order().ToList();

        public Task<RoundPlan> ReadAsync(string activity) =>
            context.CallActivityAsync<RoundPlan>(activity, run.RoundId, Orchestrations.Retry);

        public void Start(IEnumerable<string> leads)
        {
            foreach (var lead in leads)
                if (_leads.TryGetValue(lead, out var chase) && !chase.IsCompleted) _again.Add(lead);
                else _leads[lead] = context.CallSubOrchestratorAsync<string>(LeadOrchestration.Name,
                    new LeadRun(run.RoundId, lead, run.Scale),
                    new SubOrchestrationOptions { InstanceId = Orchestrations.LeadInstanceId(run.RoundId, lead) });
        }

        public async Task PerformAsync(IEnumerable<string> effects)
        {
            foreach (var effect in effects)
                await context.CallActivityAsync(nameof(RunRoundEffect), new EffectRef(run.RoundId, effect),
                    Orchestrations.Retry);
        }

        /// <summary>Waits for a lead to finish, for a signal, or (for a report put off) for its time; says what to do
        /// next.</summary>
        public async Task<RoundPlan> WaitAsync(DateTimeOffset? retryAt)
        {
            var chasing = Chasing;
            context.SetCustomStatus(new RoundWaiting(_seen, chasing));
            using var cancel = new CancellationTokenSource();
            List<Task> waits = [_signal, .. chasing.Select(l => _leads[l])];
            var retry = chasing.Count == 0
                ? Orchestrations.Sleep(context.CurrentUtcDateTime, retryAt, run.Scale) : null;
            if (retry is { } sleep) waits.Add(context.CreateTimer(sleep, cancel.Token));
            var first = await Task.WhenAny(waits);
            cancel.Cancel();
            if (first == _signal) return await TakeSignalAsync();
            // A lead whose orchestration failed, or was ended by hand, is chased again from the tables.
            var restart = _leads.Where(l => l.Value.IsCompleted)
                .Where(l => _again.Remove(l.Key) || !l.Value.IsCompletedSuccessfully).Select(l => l.Key).ToList();
            return restart.Count > 0 ? RoundPlan.Nothing with { Leads = restart }
                : retry is not null ? await ReadAsync(nameof(ReadRound))
                : RoundPlan.Nothing;
        }

        private async Task<RoundPlan> TakeSignalAsync()
        {
            var told = await _signal;
            _signal = context.WaitForExternalEvent<RoundSignal>(SignalEvent);
            _seen = Orchestrations.Saw(_seen, told.Seen);
            var plan = told.Owed ? await ReadAsync(nameof(ReadRound)) : RoundPlan.Nothing;
            return told.Lead is { } back ? plan with { Leads = [.. plan.Leads, back] } : plan;
        }
    }
}
