using System.Diagnostics;
using KaWorkflow.Mail;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Hosting;

/// <summary>The local demo as a real child process, killed with SIGKILL while it sends invites, then started again.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Killing_the_app_during_invite_dispatch_loses_no_return_and_sends_each_invite_at_most_twice()
    {
        var storage = Azurite.Instance.NewStorage();
        var tables = new TableStore(StorageAccount.Parse(storage.ConnectionString));
        var mailbox = new LocalMailbox(tables, storage, TimeProvider.System);
        var port = Azurite.FreePort();
        var outDir = Path.Combine(Path.GetTempPath(), "ka-crash-" + Guid.NewGuid().ToString("N")[..8]);
        // One send at a time, each taking 300 ms, so the kill lands with some invites sent and some not.
        string[] args = ["demo", "--port", port.ToString(), "--register", Path.Combine(RepoRoot.Path, "sample", "register.csv"), "--out", outDir,
            $"--Storage:ConnectionString={storage.ConnectionString}", $"--Storage:TablePrefix={storage.TablePrefix}",
            $"--Storage:ReportsContainer={storage.ReportsContainer}", "--Mail:MaxConcurrentSends=1", "--Hosting:LocalMailboxDelayMs=300",
            "--Logging:LogLevel:Default=Warning"];

        using (var first = Start(args))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            var sent = 0;
            while (DateTime.UtcNow < deadline && !first.HasExited)
            {
                try { sent = (await mailbox.ListAsync()).Count; } catch (Azure.RequestFailedException) { } // table not created yet
                if (sent >= 2) break;
                await Task.Delay(20);
            }
            Assert.False(first.HasExited, "the demo finished before it could be killed");
            first.Kill(); // SIGKILL on Linux: no shutdown code runs
            await first.WaitForExitAsync();
            Assert.InRange(sent, 2, 4);
        }

        using (var second = Start(args))
        {
            var output = second.StandardOutput.ReadToEndAsync();
            Assert.True(second.WaitForExit(120_000), "the restarted demo did not finish");
            Assert.True(second.ExitCode == 0, await output + await second.StandardError.ReadToEndAsync());
            Assert.Contains("Resuming the demo", await output);
        }

        var rounds = new RoundStore(tables, storage);
        var round = (await rounds.LoadSnapshotAsync("2020-21-Q1"))!;
        Assert.Equal(RoundStatus.Complete, round.Header.Status);
        Assert.Equal(5, round.Returns.Count);
        Assert.All(round.Returns, r => Assert.Equal(ReturnStatus.Submitted, r.Status));
        Assert.All(await rounds.LoadItemsAsync("2020-21-Q1"), i => Assert.NotNull(i.Status));
        var invites = (await mailbox.ListAsync()).Where(m => m.Subject.StartsWith("Key Activity update")).ToList();
        foreach (var r in round.Returns)
            Assert.InRange(invites.Count(m => m.To.Contains(r.LeadEmail)), 1, 2);
        Assert.True(File.Exists(Path.Combine(outDir, "reports", "2020-21-Q1", "v1", "report.html")));
        Directory.Delete(outDir, recursive: true);
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KaWorkflow.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }
}
