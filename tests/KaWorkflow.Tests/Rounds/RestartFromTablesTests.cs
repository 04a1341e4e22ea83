using KaWorkflow.Reports;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Rounds;

/// <summary>
/// Orchestrations ended by hand mid-quarter (an operator, a careless deployment, a storage outage): the tables are the
/// truth, so they are started again and carry on where the tables say, sending nothing twice.
/// </summary>
public sealed class RestartFromTablesTests
{
    private const string RoundId = "2020-21-Q1";

    /// <summary>Ends the instances and waits until each has ended, or (a lead the round chases again at once) has
    /// been started afresh.</summary>
    private static async Task EndAsync(TestApp app, params string[] instances)
    {
        var client = app.Services.GetRequiredService<IDurableClients>().Client;
        var started = new Dictionary<string, DateTimeOffset>();
        foreach (var id in instances)
        {
            started[id] = (await client.GetInstanceAsync(id))!.CreatedAt;
            await client.TerminateInstanceAsync(id, "ended by hand");
        }
        foreach (var id in instances)
            await Eventually.TrueAsync(async () => await client.GetInstanceAsync(id) is { } m
                && (m.RuntimeStatus == OrchestrationRuntimeStatus.Terminated || m.CreatedAt > started[id]),
                $"{id} to end");
    }

    private static string[] Leads => [.. SampleLeads.All.Select(l => Orchestrations.LeadInstanceId(RoundId, l))];

    private static void EachSentOnce(List<KaWorkflow.Mail.MailboxMessage> mail) =>
        Assert.Equal(mail.Count, mail.Select(m => m.Reference).Distinct().Count());

    [Fact]
    public async Task A_leads_orchestration_ended_by_hand_is_chased_again_from_the_tables_by_the_round()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await EndAsync(app, Orchestrations.LeadInstanceId(RoundId, SampleLeads.Finance));
        await app.SettleAsync();
        var client = app.Services.GetRequiredService<IDurableClients>().Client;
        var finance = await client.GetInstanceAsync(Orchestrations.LeadInstanceId(RoundId, SampleLeads.Finance));
        Assert.Equal(OrchestrationRuntimeStatus.Running, finance?.RuntimeStatus);

        await app.RunUntilAsync(London(7, 16, 10)); // the first reminder
        var mail = await app.MailAsync();
        Assert.Single(mail, m => m.To.Contains(SampleLeads.Finance) && m.Subject.StartsWith("Key Activity update"));
        Assert.Single(mail, m => m.To.Contains(SampleLeads.Finance) && m.Subject.StartsWith("Reminder"));
        EachSentOnce(mail);
    }

    [Fact]
    public async Task A_round_whose_orchestrations_were_all_ended_is_started_again_by_the_hourly_check()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await EndAsync(app, [RoundId, .. Leads]);
        var lines = await app.Services.GetRequiredService<RoundEngine>().OnScheduleAsync();
        Assert.Contains($"{RoundId}: its orchestration was not running; started it again from the tables", lines);

        await app.RunUntilAsync(London(7, 16, 10));
        foreach (var lead in SampleLeads.All) await app.SubmitAllAsync(lead);
        await app.RunUntilAsync(London(7, 16, 12));
        var mail = await app.MailAsync();
        Assert.Equal(SampleLeads.All.Count, mail.Count(m => m.Subject.StartsWith("Key Activity update")));
        Assert.Equal(SampleLeads.All.Count, mail.Count(m => m.Subject.StartsWith("Reminder")));
        Assert.Single(mail, m => m.Subject.StartsWith("Key Activity report ready"));
        EachSentOnce(mail);
    }

    [Fact]
    public async Task A_round_complete_without_its_report_is_started_again_and_the_report_assembled()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await EndAsync(app, [RoundId, .. Leads]);
        foreach (var lead in SampleLeads.All) await app.SubmitAllAsync(lead);
        // Completed, as the round's orchestration would have done, just before it was ended.
        await app.Services.GetRequiredService<RoundActivities>().FinishRoundAsync(RoundId);
        var store = app.Services.GetRequiredService<RoundStore>();
        Assert.Equal(RoundStatus.Complete, (await store.GetHeaderAsync(RoundId))!.Status);
        var reports = app.Services.GetRequiredService<ReportStore>();
        Assert.Empty(await reports.ListAsync(RoundId));

        await app.TickAsync();
        Assert.Equal(3, (await reports.ListAsync(RoundId)).Count);
        Assert.Single(await app.MailAsync(), m => m.Subject.StartsWith("Key Activity report ready"));
        Assert.All((await store.LoadSnapshotAsync(RoundId))!.Effects, e => Assert.Equal(EffectState.Done, e.State));
    }
}
