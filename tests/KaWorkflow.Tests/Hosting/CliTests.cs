using KaWorkflow.Hosting;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Hosting;

/// <summary>The command line as an officer meets it: help on every command, one line and exit 2 for a bad
/// argument, never a stack trace.</summary>
public sealed class CliTests
{
    [Theory]
    [InlineData("import-register /no/such/register.csv", "no such file")]
    [InlineData("import-register /tmp", "is a folder")]
    [InlineData("chase-calendar 2024-25-Q2 --open-at next_monday", "not a date")]
    [InlineData("chase-calendar 2024-25-Q2 --open-at 07/10/2024", "2024-10-07")]
    [InlineData("demo --port abc", "--port abc")]
    [InlineData("demo --scale fast", "--scale fast")]
    [InlineData("demo --register", "needs a value")]
    [InlineData("demo --register /tmp", "is a folder")]
    [InlineData("demo --quarter 2024-Q1", "--quarter 2024-Q1: a round id looks like 2024-25-Q1")]
    [InlineData("open-round 2024-25", "open-round 2024-25: a round id looks like 2024-25-Q1")]
    [InlineData("chase-calendar Q3", "chase-calendar Q3: a round id looks like 2024-25-Q1")]
    [InlineData("advance 3days", "advance 3days: a length of time such as 3d")]
    [InlineData("serve --start next_monday", "--start next_monday: not a date")]
    [InlineData("serve --scale fast", "--scale fast")]
    [InlineData("--environment=Production", "Storage:ConnectionString")]
    public async Task A_bad_argument_is_one_line_naming_it_and_exit_code_2(string args, string named)
    {
        var run = await LocalCli.RunAsync(args.Split(' '));
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("KaWorkflow: ", line);
        Assert.Contains(named, line);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("advance")]
    [InlineData("import-register")]
    [InlineData("open-round")]
    [InlineData("schedule")]
    [InlineData("chase-calendar")]
    [InlineData("demo")]
    public async Task Every_command_has_help_that_names_it_and_starts_nothing(string command)
    {
        var run = await LocalCli.RunAsync(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  " + command, run.Output);
        Assert.Empty(run.Errors);
    }

    [Fact]
    public async Task The_readmes_session_commands_import_open_and_list_the_chase_on_one_store()
    {
        var slice = Azurite.Instance.NewStorage();
        string[] storage = [$"--Storage:ConnectionString={slice.ConnectionString}",
            $"--Storage:TablePrefix={slice.TablePrefix}", $"--Storage:ReportsContainer={slice.ReportsContainer}"];
        var register = Path.Combine(RepoRoot.Path, "sample", "register.csv");
        var imported = await LocalCli.RunAsync(["import-register", register, .. storage]);
        Assert.Equal("Imported 37 activities for 5 leads (37 added, 0 removed).", imported.Output.Trim());
        var opened = await LocalCli.RunAsync(["open-round", "2024-25-Q3", .. storage]);
        Assert.Equal(0, opened.ExitCode);
        Assert.Matches("^Opened 2024-25-Q3; with `serve` running, invites are (on their way|queued for .+)",
            opened.Output.Trim());
        var calendar = await LocalCli.RunAsync(["chase-calendar", "2024-25-Q3", .. storage]);
        Assert.Contains("e-mails to 5 leads.", calendar.Output);
        Assert.Equal(1, (await LocalCli.RunAsync(["open-round", "2024-25-Q3", .. storage])).ExitCode);
    }

    [Fact]
    public async Task An_unknown_command_names_itself_and_lists_the_commands()
    {
        var run = await LocalCli.RunAsync("opne-round", "2024-25-Q1");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("KaWorkflow: no command opne-round.", run.Errors);
        Assert.Contains("open-round 2024-25-Q1", run.Errors);
    }

    [Theory]
    [InlineData("2024-10-07", "2024-10-07T09:00:00+01:00")] // a day alone is 09:00 London time (BST here)
    [InlineData("2024-12-02T14:30", "2024-12-02T14:30:00+00:00")]
    [InlineData("2024-10-07T09:00:00+05:00", "2024-10-07T09:00:00+05:00")]
    [InlineData("2024-10-07T08:00Z", "2024-10-07T08:00:00+00:00")]
    [InlineData("21/10/2024", "2024-10-21T09:00:00+01:00")]
    [InlineData("21/10/2024 16:45", "2024-10-21T16:45:00+01:00")]
    [InlineData("7/7/2024", "2024-07-07T09:00:00+01:00")] // the same either way round
    public void A_moment_is_iso_or_uk_day_month_year_in_london_time(string typed, string meant) =>
        Assert.Equal(DateTimeOffset.Parse(meant), CliArguments.Moment("--open-at", typed));

    [Theory]
    [InlineData("07/10/2024", "is that 7 October or 10 July? Write it year first: 2024-10-07")]
    [InlineData("10/7/2024", "is that 10 July or 7 October?")]
    [InlineData("next monday", "not a date")]
    [InlineData("2024-13-01", "not a date")]
    [InlineData("31/02/2024", "not a date")]
    [InlineData("", "not a date")]
    public void A_moment_that_is_not_a_date_or_reads_two_ways_is_refused_with_an_example(string typed, string said)
    {
        var refused = Assert.Throws<CliArgumentException>(() => CliArguments.Moment("--open-at", typed));
        Assert.Contains(said, refused.Message);
        Assert.StartsWith($"--open-at {typed}", refused.Message);
    }

    [Theory]
    [InlineData("3d", 3 * 24 * 60)]
    [InlineData("4h", 4 * 60)]
    [InlineData("1d12h", 36 * 60)]
    [InlineData("90m", 90)]
    [InlineData("2w", 14 * 24 * 60)]
    public void A_length_of_time_is_weeks_days_hours_and_minutes(string typed, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), CliArguments.Span("advance", typed));

    [Theory]
    [InlineData("3")]
    [InlineData("0d")]
    [InlineData("3 days")]
    [InlineData("h4")]
    [InlineData("99999d")]
    [InlineData("")]
    public void A_length_of_time_that_is_not_one_is_refused_with_an_example(string typed)
    {
        var refused = Assert.Throws<CliArgumentException>(() => CliArguments.Span("advance", typed));
        Assert.Equal($"advance {typed}: a length of time such as 3d (days), 4h (hours), 1d12h or 90m.",
            refused.Message);
    }

    [Fact]
    public async Task Advance_with_no_session_running_says_so_in_one_line()
    {
        var run = await LocalCli.RunAsync("advance", "1d", "--url", $"http://127.0.0.1:{Azurite.FreePort()}");
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.StartsWith("advance: no session answers at", run.Errors);
    }

    [Theory]
    [InlineData("5080", 5080)]
    [InlineData("1", 1)]
    [InlineData("65535", 65535)]
    public void A_port_is_a_whole_number_up_to_65535(string typed, int port) =>
        Assert.Equal(port, CliArguments.Port("--port", typed));

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("80.5")]
    [InlineData("abc")]
    public void Anything_else_is_not_a_port(string typed) =>
        Assert.Throws<CliArgumentException>(() => CliArguments.Port("--port", typed));

    [Theory]
    [InlineData("36000", 36000)]
    [InlineData("0.5", 0.5)]
    [InlineData("1e3", 1000)]
    public void A_scale_is_a_positive_number(string typed, double scale) =>
        Assert.Equal(scale, CliArguments.Scale("--scale", typed));

    [Theory]
    [InlineData("fast")]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Anything_else_is_not_a_scale(string typed) =>
        Assert.Throws<CliArgumentException>(() => CliArguments.Scale("--scale", typed));
}
