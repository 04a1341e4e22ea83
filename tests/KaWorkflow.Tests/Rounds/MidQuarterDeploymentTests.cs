using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Rounds;

/// <summary>
/// Code deployed in the middle of a quarter: the engine stops with every lead's orchestration asleep, and starts
/// again with a changed lead orchestration whose calls differ, so the histories in flight cannot replay on it.
/// </summary>
public sealed class MidQuarterDeploymentTests
{
    private const string RoundId = "2020-21-Q1";

    /// <summary>The lead's chase with a pause before its first read: its first call is a timer where the code in
    /// flight made an activity call.</summary>
    private sealed class ChangedLeadOrchestration : LeadOrchestration
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, LeadRun run)
        {
            await context.CreateTimer(TimeSpan.FromMilliseconds(10), CancellationToken.None);
            return await base.RunAsync(context, run);
        }
    }

    /// <summary>The round's code unchanged, but of the next version, as a deployment that changed the leads' code
    /// says it is.</summary>
    private sealed class NextVersion : RoundOrchestration
    {
        public override int Version => Orchestrations.Version + 1;
    }

    private static async Task<TestApp> DeployAsync(TestApp before, bool bumpVersion)
    {
        var (storage, now) = (before.Storage, before.Clock.GetUtcNow());
        await before.DisposeAsync(); // the old code's engine stops with the leads asleep
        return await TestApp.StartAsync(storage, now, "Development", [], services =>
        {
            services.AddKeyedTransient<ITaskOrchestrator, ChangedLeadOrchestration>(LeadOrchestration.Name);
            if (bumpVersion) services.AddKeyedTransient<ITaskOrchestrator, NextVersion>(RoundOrchestration.Name);
        });
    }

    private static async Task FinishTheQuarterAsync(TestApp app)
    {
        foreach (var lead in SampleLeads.All) await app.SubmitAllAsync(lead);
        await app.RunUntilAsync(app.Clock.GetUtcNow().AddHours(2));
        var round = (await app.Services.GetRequiredService<RoundStore>().LoadSnapshotAsync(RoundId))!;
        Assert.Equal(RoundStatus.Complete, round.Header.Status);
        Assert.All(round.Effects, e => Assert.Equal(EffectState.Done, e.State));
        var mail = await app.MailAsync();
        Assert.Equal(SampleLeads.All.Count, mail.Count(m => m.Subject.StartsWith("Key Activity update")));
        Assert.Equal(mail.Count, mail.Select(m => m.Reference).Distinct().Count()); // nothing sent twice
        Assert.Single(mail, m => m.Subject.StartsWith("Key Activity report ready"));
    }

    [Fact]
    public async Task A_new_version_deployed_ends_the_rounds_orchestrations_and_starts_them_again_from_the_tables()
    {
        var before = await TestApp.WithOpenRoundAsync();
        await using var after = await DeployAsync(before, bumpVersion: true);
        var lines = await after.Services.GetRequiredService<RoundEngine>().OnScheduleAsync();
        Assert.Contains(lines, l => l.Contains($"ran version {Orchestrations.Version}; ended and started again"));
        await after.SettleAsync();
        await FinishTheQuarterAsync(after);
    }

    [Fact]
    public async Task A_careless_change_fails_the_leads_in_flight_and_the_round_chases_them_again_from_the_tables()
    {
        var before = await TestApp.WithOpenRoundAsync();
        await using var after = await DeployAsync(before, bumpVersion: false);
        await after.TickAsync(); // every lead's history fails to replay on the new code; the round starts them afresh
        await FinishTheQuarterAsync(after);
    }
}
