using System.Diagnostics;
using System.Net;
using System.Text.Json;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Hosting;

/// <summary>Builds the deployable package with publish.sh and starts it as the Functions host would: <c>sh start.sh</c> with the port in the environment.</summary>
public sealed class PublishPackageTests
{
    [Fact]
    public async Task The_published_package_has_the_host_layout_and_its_handler_answers_the_host()
    {
        var publish = Process.Start(new ProcessStartInfo("bash", Path.Combine(RepoRoot.Path, "publish.sh")) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, await log + await errors);

        var root = Path.Combine(RepoRoot.Path, "dist", "functionapp");
        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "host.json")));
        var description = host.RootElement.GetProperty("customHandler").GetProperty("description");
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal("sh", description.GetProperty("defaultExecutablePath").GetString());
        Assert.True(host.RootElement.GetProperty("customHandler").GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.True(File.Exists(Path.Combine(root, "http", "function.json")));
        Assert.Contains("timerTrigger", await File.ReadAllTextAsync(Path.Combine(root, "tick", "function.json")));
        Assert.True(File.GetUnixFileMode(Path.Combine(root, "app", "KaWorkflow")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(["http", "tick"], Directory.GetDirectories(root).Select(Path.GetFileName).Where(d => d != "app").Order());
        Assert.True(File.Exists(Path.Combine(root, "app", "frontend", "govuk", "govuk-frontend.min.css"))); // served by the app, no CDN
        Assert.True(File.Exists(Path.Combine(root, "app", "Data", "bank-holidays-england-and-wales.txt")));

        // Zip deployment may drop the execute bit: start.sh must cope.
        File.SetUnixFileMode(Path.Combine(root, "app", "KaWorkflow"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var storage = Azurite.Instance.NewStorage();
        var port = Azurite.FreePort();
        var start = new ProcessStartInfo("sh", "start.sh") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString();
        start.Environment["Storage__ConnectionString"] = storage.ConnectionString;
        start.Environment["Storage__TablePrefix"] = storage.TablePrefix;
        var clock = Stopwatch.StartNew();
        using var handler = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? ready = null;
            while (ready is null && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                try { ready = await http.GetAsync("/"); }
                catch (HttpRequestException) { await Task.Delay(50); }
            }
            Assert.NotNull(ready); // the host waits at most 30 s by default
            var tick = await http.PostAsync("/tick", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"tick"}}}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, tick.StatusCode);
            Assert.Contains("\"Outputs\":{}", await tick.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dev/mailbox")).StatusCode); // never served in Azure
        }
        finally
        {
            handler.Kill(true);
        }
    }
}
