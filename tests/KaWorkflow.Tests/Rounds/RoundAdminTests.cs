using System.Net;
using System.Net.Http.Json;
using KaWorkflow.Demo;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using static KaWorkflow.Tests.Support.SampleLeads;
using Microsoft.Extensions.DependencyInjection;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Rounds;

/// <summary>
/// A quarter bent by every performance-team action through the admin API, against Azurite on a hand-moved clock:
/// the schedule reacts at once, the leads are told, and the report shows the outcome.
/// </summary>
public sealed class RoundAdminTests
{
    private const string RoundId = "2020-21-Q1";

    [Fact]
    public async Task Extending_the_deadline_moves_every_reminder_and_says_the_new_date()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var response = await app.ActAsync(RoundId, ActionNames.Extend, new { reason = "Summer holidays", deadline = "2020-07-28" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await app.RunUntilAsync(London(7, 23, 18)); // past the old first reminder (16 July) and old deadline (21 July)
        var reminders = (await app.MailAsync()).Where(m => m.Subject.StartsWith("Reminder")).ToList();
        Assert.Equal(5, reminders.Count);
        Assert.All(reminders, m => Assert.Equal(London(7, 23, 9), m.ReceivedAt));
        Assert.All(reminders, m => Assert.EndsWith("due Tuesday 28 July", m.Subject));
        var events = await app.Services.GetRequiredService<RoundStore>().LoadEventsAsync(RoundId);
        var extended = Assert.Single(events, e => e.Type == "deadline-extended");
        Assert.Equal("pat.jones@council.example", extended.Actor);
        Assert.Contains("Summer holidays", extended.Detail);
    }

    [Fact]
    public async Task Reassigning_moves_the_activity_to_the_other_leads_form_and_tells_both()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Reassign,
            new { reason = "New structure", code = "KA.01.01", toLead = Finance })).StatusCode);
        await app.TickAsync();

        var mail = await app.MailAsync();
        Assert.Single(mail, m => m.To.Contains(Planning) && m.Subject.StartsWith("Key Activity KA.01.01 moved to"));
        Assert.Single(mail, m => m.To.Contains(Finance) && m.Subject.StartsWith("Key Activity KA.01.01 is now yours"));
        var financeForm = await app.Http.GetStringAsync(await app.LinkForAsync(Finance));
        Assert.Contains("KA.01.01", financeForm);
        var planningForm = await app.Http.GetStringAsync(await app.LinkForAsync(Planning));
        Assert.DoesNotContain("KA.01.01 ", planningForm);
        var store = app.Services.GetRequiredService<RoundStore>();
        Assert.Equal(Finance, Assert.Single(await store.LoadItemsAsync(RoundId), i => i.Code == "KA.01.01").LeadKey);
    }

    [Fact]
    public async Task Resending_an_invite_revokes_the_old_link()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var old = await app.LinkForAsync(Governance);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Resend,
            new { reason = "Lost the e-mail", lead = Governance })).StatusCode);
        await app.TickAsync();
        var fresh = await app.LinkForAsync(Governance);
        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.Gone, (await app.Http.GetAsync(old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(fresh)).StatusCode);
    }

    [Fact]
    public async Task Actions_need_a_reason_the_role_and_a_round_that_allows_them()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await app.ActAsync(RoundId, ActionNames.Close, new { reason = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.ActAsync(RoundId, ActionNames.Reopen, new { reason = "x",
            lead = Planning })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.ActAsync(RoundId, "delete-everything", new { reason = "x" })).StatusCode);
        var problem = await (await app.ActAsync(RoundId, ActionNames.Excuse, new { reason = "x",
            lead = "nobody@council.example" })).Content.ReadAsStringAsync();
        Assert.Contains("nobody@council.example has no return", problem);
        var unauthorised = await app.Http.PostAsync($"/api/admin/rounds/{RoundId}/actions/close", JsonContent.Create(new { reason = "x" }));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
        var roleless = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, $"/api/admin/rounds/{RoundId}/actions/close",
            JsonContent.Create(new { reason = "x" }), role: "Someone.Else"));
        Assert.Equal(HttpStatusCode.Forbidden, roleless.StatusCode);
    }

    [Fact]
    public async Task Excuse_close_and_reopen_give_a_second_report_version_and_keep_the_first()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var store = app.Services.GetRequiredService<RoundStore>();
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Excuse, new { reason = "On leave",
            lead = Communities })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Excuse,
            new { reason = "Paused by Cabinet", code = "KA.01.01" })).StatusCode);
        await app.SubmitAllAsync(Planning);
        await app.SubmitAllAsync(Finance);
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Close, new { reason = "Committee deadline" })).StatusCode);
        await app.RunUntilAsync(London(7, 7, 12));

        var round = (await store.LoadSnapshotAsync(RoundId))!;
        Assert.Equal((RoundStatus.Closed, 1), (round.Header.Status, round.Header.ReportVersion));
        Assert.Equal(ReturnStatus.NoUpdate, round.Returns.Single(r => r.LeadKey == Governance).Status);
        var blobs = app.Services.GetRequiredService<KaWorkflow.Reports.ReportStore>();
        var v1 = (await blobs.DownloadAsync($"{RoundId}/v1/report.csv"))!.Content.ToString();
        Assert.Contains("Excused: ", v1);
        Assert.Contains("No update", v1);
        Assert.Equal(HttpStatusCode.OK,
            (await app.Http.GetAsync(await app.LinkForAsync(Governance))).StatusCode); // read-only, still reachable

        // The chief executive's return is reopened: new link, the lead amends, the report is assembled again.
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Reopen, new { reason = "Late figures",
            lead = Chief })).StatusCode);
        await app.TickAsync();
        Assert.Contains(await app.MailAsync(), m => m.To.Contains(Chief) && m.Body.Contains("replaces the earlier link"));
        await app.SubmitAllAsync(Chief, progress: "Reopened and amended");
        await app.RunUntilAsync(London(7, 7, 15));

        round = (await store.LoadSnapshotAsync(RoundId))!;
        Assert.Equal((RoundStatus.Complete, 2), (round.Header.Status, round.Header.ReportVersion));
        var v2 = (await blobs.DownloadAsync($"{RoundId}/v2/report.csv"))!.Content.ToString();
        Assert.Contains("Reopened and amended", v2);
        Assert.DoesNotContain("Reopened and amended", (await blobs.DownloadAsync($"{RoundId}/v1/report.csv"))!.Content.ToString());
        Assert.Equal(2, (await app.MailAsync()).Count(m => m.Subject.StartsWith("Key Activity report ready")));
        var types = (await store.LoadEventsAsync(RoundId)).Select(e => e.Type).ToList();
        Assert.Contains("excused", types);
        Assert.Contains("activity-excused", types);
        Assert.Contains("closed", types);
        Assert.Contains("reopened", types);
    }

    [Fact]
    public async Task A_draft_report_is_its_own_version_marked_DRAFT_and_the_final_report_follows_it_in_all_three_formats()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await app.SubmitAllAsync(Planning, progress: "- Consultation <script>alert('x')</script>\n- Second point");
        var draft = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post,
            $"/api/admin/rounds/{RoundId}/draft-report", JsonContent.Create(new { })));
        Assert.Equal(HttpStatusCode.Accepted, draft.StatusCode); // the round's orchestration assembles it
        foreach (var lead in new[] { Finance, Communities, Governance, Chief }) await app.SubmitAllAsync(lead);
        await app.RunUntilAsync(London(7, 7, 13));

        var blobs = app.Services.GetRequiredService<KaWorkflow.Reports.ReportStore>();
        var v1 = (await blobs.DownloadAsync($"{RoundId}/v1/report.html"))!;
        Assert.Contains("DRAFT", v1.Content.ToString());
        var stored = await blobs.ListAsync(RoundId);
        Assert.All(stored, f => Assert.Equal(f.Name.StartsWith($"{RoundId}/v1/"), f.Draft));
        foreach (var (file, type) in KaWorkflow.Reports.ReportAssembler.Files)
        {
            var blob = (await blobs.DownloadAsync($"{RoundId}/v2/{file}"))!;
            Assert.Equal(type, blob.ContentType);
        }
        Assert.Equal(6, stored.Count);
        var html = (await blobs.DownloadAsync($"{RoundId}/v2/report.html"))!.Content.ToString();
        Assert.DoesNotContain("DRAFT", html);
        Assert.Contains("<svg", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>", html);
        var csv = (await blobs.DownloadAsync($"{RoundId}/v2/report.csv"))!.Content.ToString();
        Assert.Contains("<script>alert('x')</script>", csv); // CSV is text for Excel: kept exactly as typed
        Assert.Equal(37, csv.Split("\r\n").Count(l => l.StartsWith(RoundId)));
        var download = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, $"/api/reports/{RoundId}/v2/report.docx"));
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync($"/api/reports/{RoundId}/v2/report.docx")).StatusCode);
        var notice = Assert.Single(await app.MailAsync(), m => m.Subject.StartsWith("Key Activity report ready"));
        Assert.Contains($"/api/reports/{RoundId}/v2/report.docx", notice.Body);
    }
}
