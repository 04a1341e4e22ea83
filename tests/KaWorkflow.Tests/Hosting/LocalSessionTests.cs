using KaWorkflow.Demo;
using KaWorkflow.Hosting;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Hosting;

/// <summary>
/// The README's local session with a council's own register, run as an officer runs it: <c>serve</c> as
/// <c>./run-quarter.sh --session --start …</c> starts it, and the README's commands as processes beside it.
/// </summary>
public sealed class LocalSessionTests
{
    private const string RoundId = "2024-25-Q2";

    /// <summary>Monday 4 November 2024, 09:00: no round is due to open by itself within a week of it.</summary>
    private const string Start = "2024-11-04T09:00";

    [Fact]
    public async Task The_session_invites_takes_a_save_and_a_submit_reminds_when_its_clock_moves_on_and_reports()
    {
        var slice = Azurite.Instance.NewStorage();
        string[] storage = [$"--Storage:ConnectionString={slice.ConnectionString}",
            $"--Storage:TablePrefix={slice.TablePrefix}", $"--Storage:ReportsContainer={slice.ReportsContainer}"];
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        using var serve = await LocalCli.ServeAsync(url, ["serve", .. storage, $"--urls={url}",
            $"--Form:PublicBaseUrl={url}", $"--Mail:GraphBaseUrl={url}/dev/graph/v1.0", "--start", Start]);
        // The app's own services on the same store, to read what an officer sees in the mailbox and the dashboard.
        await using var reader = LocalHost.Create([.. storage, "--Durable:RunWorker=false",
            "--Hosting:RunSchedule=false", "--environment=Development"]);
        var mailbox = reader.Services.GetRequiredService<LocalMailbox>();
        var store = reader.Services.GetRequiredService<RoundStore>();
        string[] session = ["--url", url];

        var register = Path.Combine(RepoRoot.Path, "sample", "register.csv");
        Assert.Equal(0, (await LocalCli.RunAsync(["import-register", register, .. storage, .. session])).ExitCode);
        var opened = await LocalCli.RunAsync(["open-round", RoundId, .. storage, .. session]);
        Assert.Equal($"Opened {RoundId}; with `serve` running, invites are on their way.", opened.Output.Trim());
        var header = (await store.GetHeaderAsync(RoundId))!;
        Assert.Equal(DateTimeOffset.Parse("2024-11-04T09:00:00Z"), header.OpenedAt, TimeSpan.FromMinutes(5));

        var invites = await MailAsync(mailbox, m => m.Subject.StartsWith("Key Activity update"), 5, serve);
        var leads = (await store.LoadSnapshotAsync(RoundId))!.Returns.OrderBy(r => r.LeadKey).ToList();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        await AnswerAsync(browser, store, invites, leads[0], "save");
        await AnswerAsync(browser, store, invites, leads[1], "submit");

        var advanced = await LocalCli.RunAsync(["advance", "9d", .. session]);
        Assert.Equal(0, advanced.ExitCode);
        Assert.Contains("The session's clock is at Wed 13 Nov 2024 09:", advanced.Output);
        var reminders = await MailAsync(mailbox, m => m.Subject.StartsWith("Reminder:"), 4, serve);
        Assert.DoesNotContain(reminders, m => m.To.Contains(leads[1].LeadEmail)); // who submitted is not chased

        foreach (var lead in leads.Where(l => l != leads[1]))
            await AnswerAsync(browser, store, invites, lead, "submit");
        var ready = await MailAsync(mailbox, m => m.Subject.StartsWith("Key Activity report ready"), 1, serve);
        Assert.Contains("version 1", ready[0].Subject);
        Assert.Equal(RoundStatus.Complete, (await store.GetHeaderAsync(RoundId))!.Status);
    }

    /// <summary>Waits (a minute at most) until the mailbox holds <paramref name="count"/> messages of a kind.</summary>
    private static async Task<List<MailboxMessage>> MailAsync(LocalMailbox mailbox, Func<MailboxMessage, bool> kind,
        int count, LocalCli.Served serve)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var mail = (await mailbox.ListAsync()).Where(kind).ToList();
            if (mail.Count >= count) return mail;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{mail.Count} of {count} e-mails arrived. The app said:\n{serve.Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>Follows the lead's link and saves or submits last quarter's answers, as a browser would.</summary>
    private static async Task AnswerAsync(HttpClient browser, RoundStore store, List<MailboxMessage> invites,
        LeadReturn lead, string action)
    {
        var invite = invites.Single(m => m.To.Contains(lead.LeadEmail));
        var link = System.Text.RegularExpressions.Regex.Match(invite.Body, @"https?://\S+/api/forms/[A-Za-z0-9_-]{43}")
            .Value;
        var shown = await FormClient.OpenAsync(browser, link);
        var (_, ret, items) = (await store.LoadLeadAsync(RoundId, lead.LeadKey))!.Value;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("version", ret.Version.ToString()), new("action", action),
        };
        foreach (var item in items)
        {
            fields.Add(new("status|" + item.Code, (item.PreviousStatus ?? RagStatus.Green).ToString()));
            fields.Add(new("progress|" + item.Code, $"- {item.Title}: on track this quarter."));
            fields.Add(new("next|" + item.Code, "- Report to the Portfolio Holder."));
        }
        using var response = await FormClient.PostAsync(browser, link, shown, fields);
        Assert.Equal(303, (int)response.StatusCode);
    }
}
