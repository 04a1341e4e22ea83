using KaWorkflow.Hosting;
using KaWorkflow.Mail;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;

namespace KaWorkflow.Demo;

/// <summary>
/// Runs a round on a moved clock, as the timer would: tick, let the simulated leads act, then move the clock to the
/// round's next due moment (at least a minute, at most an hour, so paced mail goes out minute by minute and people
/// act through the day). The local run and the benchmarks both use it.
/// </summary>
public sealed class QuarterSimulation(IServiceProvider services, HttpClient http, Action<string> say)
{
    private static readonly TimeSpan MinStep = TimeSpan.FromMinutes(1), MaxStep = TimeSpan.FromHours(1);

    /// <summary>Steps until the round is complete with every effect done, or <paramref name="until"/> passes. Returns the final state.</summary>
    public async Task<RoundSnapshot?> RunAsync(string roundId, DateTimeOffset until, Func<Task>? afterStep = null, CancellationToken ct = default)
    {
        var clock = services.GetRequiredService<AdjustableClock>();
        var engine = services.GetRequiredService<RoundEngine>();
        var store = services.GetRequiredService<RoundStore>();
        var leads = new SimulatedLeads(http, services.GetRequiredService<LocalMailbox>(), store, say);
        RoundSnapshot? round = null;
        while (clock.GetUtcNow() < until)
        {
            foreach (var line in (await engine.TickAsync(ct)).Lines) say(line);
            await leads.ActAsync(roundId, clock.GetUtcNow(), ct);
            round = await store.LoadSnapshotAsync(roundId, ct);
            if (round is { Header.Status: RoundStatus.Complete } && round.Effects.All(e => e.State is EffectState.Done or EffectState.Parked)) break;
            var now = clock.GetUtcNow();
            var next = (await store.ListIndexAsync(ct)).Select(r => r.GetDateTimeOffset("NextDueAt")).Where(d => d > now).Min();
            var step = next is { } due ? due - now : MaxStep;
            clock.Advance(step < MinStep ? MinStep : step > MaxStep ? MaxStep : step);
            if (afterStep is not null) await afterStep();
        }
        return round;
    }
}
