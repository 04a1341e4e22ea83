using KaWorkflow.Rounds;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace KaWorkflow.Functions;

/// <summary>The round's orchestration, its activities and the quarterly timer, as Durable Functions: wrappers
/// only.</summary>
public sealed class RoundFunctions(RoundActivities activities, RoundEngine engine, ILogger<RoundFunctions> log)
{
    [Function(nameof(RoundOrchestration))]
    public static Task<string> Round([OrchestrationTrigger] TaskOrchestrationContext context, RoundRun run) =>
        new RoundOrchestration().RunAsync(context, run);

    [Function(nameof(DecideRoundTurn))]
    public Task<RoundTurn> DecideRoundTurn([ActivityTrigger] string roundId) => activities.DecideTurnAsync(roundId);

    [Function(nameof(RunRoundEffects))]
    public Task<EffectResult[]> RunRoundEffects([ActivityTrigger] EffectBatch batch) =>
        activities.RunEffectsAsync(batch);

    [Function(nameof(RunRoundEffect))]
    public Task<EffectResult> RunRoundEffect([ActivityTrigger] EffectRef effect) => activities.RunEffectAsync(effect);

    /// <summary>Hourly at five past: opens the quarter's round when its time comes, restarts stalled rounds.</summary>
    [Function("QuarterlySchedule")]
    public async Task QuarterlySchedule([TimerTrigger("0 5 * * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        using var scope = DurableFunctionsRunner.Use(client);
        foreach (var line in await engine.OnScheduleAsync(context.CancellationToken)) log.LogInformation("{Line}", line);
    }
}
