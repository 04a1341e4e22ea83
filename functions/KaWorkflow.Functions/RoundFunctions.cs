using KaWorkflow.Rounds;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace KaWorkflow.Functions;

/// <summary>The round's and the leads' orchestrations, their activities and the quarterly timer, as Durable
/// Functions: wrappers only.</summary>
public sealed class RoundFunctions(RoundActivities activities, RoundEngine engine, ILogger<RoundFunctions> log)
{
    [Function(RoundOrchestration.Name)]
    public static Task<string> Round([OrchestrationTrigger] TaskOrchestrationContext context, RoundRun run) =>
        new RoundOrchestration().RunAsync(context, run);

    [Function(LeadOrchestration.Name)]
    public static Task<string> Lead([OrchestrationTrigger] TaskOrchestrationContext context, LeadRun run) =>
        new LeadOrchestration().RunAsync(context, run);

    [Function(nameof(ReadRound))]
    public Task<RoundPlan> ReadRound([ActivityTrigger] string roundId, FunctionContext context) =>
        activities.ReadRoundAsync(roundId, context.CancellationToken);

    [Function(nameof(FinishRound))]
    public Task<RoundPlan> FinishRound([ActivityTrigger] string roundId, FunctionContext context) =>
        activities.FinishRoundAsync(roundId, context.CancellationToken);

    [Function(nameof(RunRoundEffect))]
    public async Task<bool> RunRoundEffect([ActivityTrigger] EffectRef effect, FunctionContext context)
    {
        await activities.RunRoundEffectAsync(effect, context.CancellationToken);
        return true;
    }

    [Function(nameof(ChaseLead))]
    public Task<LeadStanding> ChaseLead([ActivityTrigger] LeadRef lead, FunctionContext context) =>
        activities.ChaseLeadAsync(lead, context.CancellationToken);

    /// <summary>Hourly at five past: opens the quarter's round when its time comes, and restarts from the tables any
    /// round or lead orchestration that is not running while work remains.</summary>
    [Function("QuarterlySchedule")]
    public async Task QuarterlySchedule([TimerTrigger("0 5 * * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        using var scope = FunctionsDurableClients.Use(client);
        foreach (var line in await engine.OnScheduleAsync(context.CancellationToken)) log.LogInformation("{Line}", line);
    }
}
