using KaWorkflow.Hosting;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.Options;

namespace KaWorkflow.Tests.Hosting;

/// <summary>What a council officer meets when a setting is missing: one clear line, never a placeholder or a stack trace.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Outside_development_the_app_will_not_start_without_the_mailbox_and_the_performance_teams_address()
    {
        var storage = Azurite.Instance.NewStorage();
        await using var app = LocalHost.Create([
            "--environment=Production", $"--Storage:ConnectionString={storage.ConnectionString}", "--urls=http://127.0.0.1:0"]);
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Mail:Sender", refused.Message);
        Assert.Contains("Mail:PerformanceTeam", refused.Message);
    }

    [Theory]
    [InlineData("Storage:RequestDeadlineSeconds", "0")]
    [InlineData("Storage:MaxRetries", "-1")]
    [InlineData("Storage:ReportsContainer", "Reports_2020")]
    [InlineData("Chase:SendWindowEnd", "08:00")]
    [InlineData("Mail:Sender", "not an address")]
    [InlineData("Durable:MaxPollingIntervalMs", "0")]
    public async Task A_bad_setting_stops_the_app_at_start_and_names_the_setting(string setting, string value)
    {
        var storage = Azurite.Instance.NewStorage();
        await using var app = LocalHost.Create([
            "--environment=Development", $"--Storage:ConnectionString={storage.ConnectionString}",
            $"--{setting}={value}", "--urls=http://127.0.0.1:0", "--Hosting:RunSchedule=false"]);
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(setting.Split(':')[1], refused.Message);
    }

    public static TheoryData<string> Problems() =>
    [
        "--environment=Production", // no storage configured at all
        $"--Storage:ConnectionString={KaWorkflow.Storage.StorageOptions.AzuriteConnectionString(9, 9, 9)}", // nobody there
    ];

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task A_command_with_a_configuration_problem_says_so_in_one_line_and_exits_with_2(string setting)
    {
        var csv = Path.Combine(Path.GetTempPath(), $"ka-register-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "Theme,Code,Activity,Lead,Lead email\nT,KA.01.01,A,Ann,ann@council.example\n");
        var run = await LocalCli.RunAsync("import-register", csv, setting,
            "--Mail:Sender=a@council.example", "--Mail:PerformanceTeam=a@council.example");
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("KaWorkflow: ", line);
        File.Delete(csv);
    }
}
