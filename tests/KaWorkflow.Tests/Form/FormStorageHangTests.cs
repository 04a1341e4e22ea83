using System.Diagnostics;
using System.Net;
using KaWorkflow.Demo;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Form;

/// <summary>A storage that accepts connections and never answers, met by a lead in the middle of a save.</summary>
public sealed class FormStorageHangTests
{
    private const string RoundId = "2020-21-Q1", Lead = "co.finance@council.example";

    [Fact]
    public async Task A_save_while_storage_hangs_ends_in_the_not_saved_page_with_the_text_and_writes_nothing()
    {
        await using var gate = new TcpGate(Azurite.Instance.TablePort);
        await using var app = await TestApp.WithOpenRoundBehindAsync(gate);
        var store = app.Services.GetRequiredService<RoundStore>();
        var before = (await store.LoadLeadWithHistoryAsync(RoundId, Lead))!;
        var link = await app.LinkForAsync(Lead);
        var token = await FormClient.OpenAsync(app.Http, link);
        var code = before.Items[0].Code;

        gate.Freeze();
        var clock = Stopwatch.StartNew();
        var response = await FormClient.PostAsync(app.Http, link, token, [
            new("action", "save"), new("version", before.Return.Version.ToString()),
            new("status|" + code, "Amber"), new("progress|" + code, "Typed while the storage hung"),
        ]);
        var waited = clock.Elapsed;

        var page = await response.Content.ReadAsStringAsync();
        FaultLedger.Record("storage frozen", FaultLedger.Missing(page, "Typed while the storage hung"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Typed while the storage hung", page);
        Assert.Contains("has not been saved yet", page);
        // The save's storage deadline (8 s by default), well away from the SDK's 100 s a try.
        Assert.True(waited < TimeSpan.FromSeconds(30), $"the save took {waited.TotalSeconds:F1} s");

        gate.Open();
        var after = (await store.LoadLeadWithHistoryAsync(RoundId, Lead))!;
        Assert.Equal(before.Return.Version, after.Return.Version);
        Assert.Equal(before.Items[0].Progress, after.Items[0].Progress);
        Assert.Equal(before.Versions.Count, after.Versions.Count);
    }
}
