using KaWorkflow.Hosting;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Rounds;

/// <summary>
/// Code deployed in the middle of a quarter: the engine stops with a round asleep mid-turn, and starts again with a
/// changed orchestrator whose turns make other calls.
/// </summary>
public sealed class MidQuarterDeploymentTests
{
    private const string RoundId = "2020-21-Q1";

    /// <summary>Version 3 pauses a moment before deciding: its first call is a timer, where version 2's is an
    /// activity, so version 2's history does not replay on it.</summary>
    private class ChangedRoundOrchestration : RoundOrchestration
    {
        public override int Version => 3;

        public override async Task<string> RunAsync(TaskOrchestrationContext context, RoundRun run)
        {
            // A turn in flight replays as it was written.
            if (run.Version is 1 or 2) return await base.RunAsync(context, run);
            return await PauseThenTurnsAsync(context, run);
        }

        protected async Task<string> PauseThenTurnsAsync(TaskOrchestrationContext context, RoundRun run)
        {
            await context.CreateTimer(TimeSpan.FromMilliseconds(10), CancellationToken.None);
            return await TurnsAsync(context, run);
        }
    }

    /// <summary>The same change made carelessly: no regard for the turn in flight.</summary>
    private sealed class CarelessRoundOrchestration : ChangedRoundOrchestration
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, RoundRun run) =>
            PauseThenTurnsAsync(context, run);
    }

    private static async Task<TestApp> DeployAsync<T>(TestApp before) where T : RoundOrchestration
    {
        var (storage, now) = (before.Storage, before.Clock.GetUtcNow());
        await before.DisposeAsync(); // the old code's engine stops with the round asleep in a version-2 turn
        return await TestApp.StartAsync(storage, now, "Development", [],
            services => services.AddTransient<ITaskOrchestrator, T>());
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
        Assert.Single(mail, m => m.Subject.StartsWith("Key Activity report ready"));
    }

    [Fact]
    public async Task A_round_asleep_mid_quarter_finishes_correctly_on_a_changed_orchestrator_of_a_new_version()
    {
        var before = await TestApp.WithOpenRoundAsync();
        await using var after = await DeployAsync<ChangedRoundOrchestration>(before);
        await after.TickAsync(); // the version-2 turn replays and finishes; its successor runs version 3
        var durable = after.Services.GetRequiredService<LocalDurableEngine>();
        Assert.Equal(3, (await durable.InputAsync(RoundId))?.Version);

        // (Once the round has finished, a later wake-up may start a fresh run, version 0: so the version is read here.)
        await FinishTheQuarterAsync(after);
    }

    [Fact]
    public async Task A_careless_change_fails_the_turn_in_flight_and_the_schedule_check_starts_the_round_again()
    {
        var before = await TestApp.WithOpenRoundAsync();
        await using var after = await DeployAsync<CarelessRoundOrchestration>(before);
        var durable = after.Services.GetRequiredService<LocalDurableEngine>();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await durable.WakeAndWaitAsync(RoundId, TimeSpan.FromMinutes(1)));
        Assert.Contains("failed", failure.Message);

        // Nothing was lost: the round's state is in Table Storage, and the next quarterly check starts it afresh.
        await after.TickAsync();
        await FinishTheQuarterAsync(after);
    }
}
