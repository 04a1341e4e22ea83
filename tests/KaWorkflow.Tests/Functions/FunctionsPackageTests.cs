using System.Diagnostics;
using System.Text.Json;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Functions;

/// <summary>
/// The package publish.sh builds for Azure: what the Functions host reads from it. The host cannot run here
/// (no Functions host runs on this machine), so this is where its contract is checked.
/// </summary>
public sealed class FunctionsPackageTests
{
    private static readonly Lazy<Task<string>> Package = new(PublishAsync);

    private static async Task<string> PublishAsync()
    {
        var publish = Process.Start(new ProcessStartInfo("bash", Path.Combine(RepoRoot.Path, "publish.sh"))
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, await log + await errors);
        return Path.Combine(RepoRoot.Path, "dist", "functionapp");
    }

    private static async Task<JsonElement> JsonAsync(string file) =>
        JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(await Package.Value, file))).RootElement;

    private static async Task<Dictionary<string, JsonElement[]>> FunctionsAsync() =>
        (await JsonAsync("functions.metadata")).EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!, f => f.GetProperty("bindings").EnumerateArray().ToArray());

    private static string Type(JsonElement binding) => binding.GetProperty("type").GetString()!;

    [Fact]
    public async Task The_package_declares_exactly_the_orchestrations_their_activities_the_timer_and_the_http_function()
    {
        var functions = await FunctionsAsync();
        string[] activities = [nameof(ReadRound), nameof(FinishRound), nameof(RunRoundEffect),
            nameof(ChaseLead)];
        string[] all = [.. activities, "Http", LeadOrchestration.Name, "QuarterlySchedule", RoundOrchestration.Name];
        Assert.Equal(all.Order(StringComparer.Ordinal), functions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("orchestrationTrigger", Type(Assert.Single(functions[RoundOrchestration.Name])));
        Assert.Equal("orchestrationTrigger", Type(Assert.Single(functions[LeadOrchestration.Name])));
        // The names the orchestrators call are the names the host knows, and the local engine runs the same.
        Assert.All(activities, a => Assert.Equal("activityTrigger", Type(Assert.Single(functions[a]))));
        Assert.Equal(activities, KaWorkflow.Hosting.LocalDurableEngine.ActivityTypes.Select(t => t.Name));
    }

    [Fact]
    public async Task The_quarterly_schedule_fires_hourly_with_a_durable_client()
    {
        var bindings = (await FunctionsAsync())["QuarterlySchedule"];
        var timer = Assert.Single(bindings, b => Type(b) == "timerTrigger");
        Assert.Equal("0 5 * * * *", timer.GetProperty("schedule").GetString());
        Assert.Single(bindings, b => Type(b) == "durableClient");
    }

    [Fact]
    public async Task Every_page_and_api_route_reaches_the_app_through_one_anonymous_http_function()
    {
        var bindings = (await FunctionsAsync())["Http"];
        var trigger = Assert.Single(bindings, b => Type(b) == "httpTrigger");
        Assert.Equal("{*path}", trigger.GetProperty("route").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString()); // the app checks access per route
        Assert.Equal(["get", "post"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Single(bindings, b => Type(b) == "durableClient");
        // No prefix: the app's routes are its own (/api/...), and / reaches it instead of the Functions default page.
        Assert.Equal("", (await JsonAsync("host.json")).GetProperty("extensions").GetProperty("http")
            .GetProperty("routePrefix").GetString());
    }

    [Fact]
    public async Task Host_json_is_the_isolated_apps_with_durable_settings_for_one_orchestration_a_quarter()
    {
        var host = await JsonAsync("host.json");
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.False(host.TryGetProperty("customHandler", out _));
        var durable = host.GetProperty("extensions").GetProperty("durableTask");
        Assert.Equal("%Durable__TaskHub%", durable.GetProperty("hubName").GetString()); // an app setting
        var provider = durable.GetProperty("storageProvider");
        Assert.Equal(1, provider.GetProperty("partitionCount").GetInt32());
        Assert.Equal("AzureWebJobsStorage", provider.GetProperty("connectionName").GetString()); // identity settings
        Assert.Equal(TimeSpan.FromSeconds(30), TimeSpan.Parse(provider.GetProperty("maxQueuePollingInterval").GetString()!));
    }

    [Fact]
    public async Task The_worker_is_dotnet_isolated_with_the_durable_extension_and_the_apps_own_files()
    {
        var worker = (await JsonAsync("worker.config.json")).GetProperty("description");
        Assert.Equal("dotnet-isolated", worker.GetProperty("language").GetString());
        Assert.Equal("KaWorkflow.Functions.dll", worker.GetProperty("defaultWorkerPath").GetString());
        Assert.Contains((await JsonAsync("extensions.json")).GetProperty("extensions").EnumerateArray(),
            e => e.GetProperty("name").GetString() == "DurableTask");
        var root = await Package.Value;
        Assert.True(File.Exists(Path.Combine(root, "frontend", "govuk", "govuk-frontend.min.css"))); // no CDN
        Assert.True(File.Exists(Path.Combine(root, "Data", "bank-holidays-england-and-wales.txt")));
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "dist", "functionapp.zip")));
    }

    [Fact]
    public async Task Nothing_development_only_ships_no_local_host_demo_mailbox_or_sign_in()
    {
        var root = await Package.Value;
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToHashSet();
        Assert.DoesNotContain("KaWorkflow.Local.dll", files);
        Assert.DoesNotContain("appsettings.Development.json", files);
        Assert.DoesNotContain("appsettings.json", files); // settings come from the template's app settings only
        // The worker has no engine of its own: the host's extension (under .azurefunctions/) runs it.
        Assert.DoesNotContain(Directory.GetFiles(root).Select(Path.GetFileName),
            f => f!.StartsWith("DurableTask.AzureStorage"));

        using var stream = File.OpenRead(Path.Combine(root, "KaWorkflow.dll"));
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var types = metadata.TypeDefinitions.Select(t => metadata.GetString(metadata.GetTypeDefinition(t).Name))
            .ToHashSet();
        Assert.Contains("RoundOrchestration", types); // the right assembly
        string[] local = ["LocalHost", "Cli", "LocalDurableEngine", "TaskHubDurableClient", "ScheduleLoop",
            "LocalMailbox", "LocalMailboxEndpoints", "LocalMailboxPage", "DevelopmentSignIn", "QuarterDemo",
            "QuarterSimulation", "SimulatedLeads", "FormClient", "EngineDriver", "SyntheticRegister", "HostingOptions"];
        Assert.Empty(local.Intersect(types));
        // String literals are UTF-16 in the assembly: no development route is even mapped.
        var bytes = await File.ReadAllBytesAsync(Path.Combine(root, "KaWorkflow.dll"));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes("/dev/")));
    }
}
