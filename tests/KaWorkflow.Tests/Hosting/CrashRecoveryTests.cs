using System.Diagnostics;
using KaWorkflow.Mail;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using Xunit.Abstractions;

namespace KaWorkflow.Tests.Hosting;

/// <summary>
/// The local demo (a whole simulated quarter on the durable engine) as a real child process, killed with SIGKILL at
/// points chosen by progress (after the k-th e-mail, so a slow machine still kills mid-quarter) and started again.
/// </summary>
[Collection(Heavy.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_app_after_random_emails_loses_nothing_and_repeats_at_most_one_email_a_kill()
    {
        var seed = Environment.GetEnvironmentVariable("KA_CRASH_SEED") is { } s ? int.Parse(s) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (set KA_CRASH_SEED to repeat)");
        var random = new Random(seed);
        var storage = Azurite.Instance.NewStorage();
        var tables = new Azure.Data.Tables.TableServiceClient(storage.ConnectionString);
        var mailbox = new LocalMailbox(tables, storage, TimeProvider.System, new KaWorkflow.Hosting.HostingOptions());
        var port = Azurite.FreePort();
        var outDir = Path.Combine(Path.GetTempPath(), "ka-crash-" + Guid.NewGuid().ToString("N")[..8]);
        // One send at a time, each taking 150 ms, so kills land between sending and recording as well as elsewhere.
        // Work a killed process had taken is taken up again after 10 s (5 s made the engine's own message renewals
        // lose their race under a loaded machine).
        string[] args = ["demo", "--port", port.ToString(), "--register", Path.Combine(RepoRoot.Path, "sample",
            "register.csv"), "--out", outDir,
            $"--Storage:ConnectionString={storage.ConnectionString}", $"--Storage:TablePrefix={storage.TablePrefix}",
            $"--Storage:ReportsContainer={storage.ReportsContainer}", "--Mail:MaxConcurrentSends=1", "--Hosting:LocalMailboxDelayMs=150",
            "--Durable:VisibilityTimeoutSeconds=10", "--scale", "36000", "--Logging:LogLevel:Default=Warning"];

        // The quarter sends 10 e-mails (5 invites, 4 reminders, the report notice): kill after three distinct counts.
        var killAfter = Enumerable.Range(1, 9).OrderBy(_ => random.Next()).Take(3).Order().ToList();
        var kills = 0;
        foreach (var emails in killAfter)
        {
            using var process = Start(args);
            while (!process.HasExited && (await SafeListAsync(mailbox)).Count < emails) await Task.Delay(20);
            if (process.HasExited) { Assert.Equal(0, process.ExitCode); break; }
            process.Kill(); // SIGKILL on Linux: no shutdown code runs
            await process.WaitForExitAsync();
            kills++;
            output.WriteLine($"killed run {kills} at {(await SafeListAsync(mailbox)).Count} e-mails (aimed at {emails})");
        }
        using (var last = Start(args))
        {
            var (text, errors) = (last.StandardOutput.ReadToEndAsync(), last.StandardError.ReadToEndAsync());
            if (!last.WaitForExit(120_000))
            {
                last.Kill();
                await last.WaitForExitAsync();
                Assert.Fail($"the restarted demo did not finish:\n{await text}\n{await errors}");
            }
            Assert.True(last.ExitCode == 0, await text + await errors);
        }
        output.WriteLine($"{kills} kills");
        Assert.Equal(killAfter.Count, kills); // every kill landed mid-quarter

        var rounds = new RoundStore(tables, storage);
        var round = (await rounds.LoadSnapshotAsync("2020-21-Q1"))!;
        Assert.Equal(RoundStatus.Complete, round.Header.Status);
        Assert.Equal(5, round.Returns.Count);
        Assert.All(round.Returns, r => Assert.Equal(ReturnStatus.Submitted, r.Status));
        Assert.All(await rounds.LoadItemsAsync("2020-21-Q1"), i => Assert.NotNull(i.Status));

        var skipped = (await rounds.LoadEventsAsync("2020-21-Q1")).Where(e => e.Type == "mail-skipped").Select(e
            => e.Detail!.Split(':')[0]).ToHashSet();
        var due = round.Effects.Where(e => e.Kind != EffectKind.AssembleReport
            && !skipped.Contains(e.Id)).Select(e => $"2020-21-Q1/{e.Id}").ToList();
        Assert.All(round.Effects, e => Assert.Equal(EffectState.Done, e.State));
        Assert.Contains(due, d => d.Contains("/reminder|"));
        // Each crash can repeat the e-mail it interrupted (sent, not yet recorded), never lose one.
        var mail = await mailbox.ListAsync();
        var lost = due.Count(reference => mail.All(m => m.Reference != reference))
                   + round.Returns.Count(r => r.Status != ReturnStatus.Submitted);
        FaultLedger.Record($"SIGKILL x{kills}", lost);
        foreach (var reference in due) Assert.True(mail.Any(m => m.Reference == reference), $"{reference} never arrived");
        var repeats = due.Sum(reference => mail.Count(m => m.Reference == reference) - 1);
        output.WriteLine($"{mail.Count} e-mails for {due.Count} due; {repeats} repeats after {kills} kills");
        Assert.InRange(repeats, 0, kills);
        // Nothing sent that the round never queued. (One sent, then killed before it was recorded, may be found no
        // longer needed on the rerun, if the lead answered meanwhile: it was due when it went.)
        var queued = round.Effects.Select(e => $"2020-21-Q1/{e.Id}").ToHashSet();
        Assert.All(mail, m => Assert.Contains(m.Reference, queued));
        Assert.True(File.Exists(Path.Combine(outDir, "reports", "2020-21-Q1", "v1", "report.html")));
        Directory.Delete(outDir, recursive: true);
    }

    private static async Task<List<MailboxMessage>> SafeListAsync(LocalMailbox mailbox)
    {
        try { return await mailbox.ListAsync(); }
        catch (Azure.RequestFailedException) { return []; } // table not created yet
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KaWorkflow.Local.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }
}
