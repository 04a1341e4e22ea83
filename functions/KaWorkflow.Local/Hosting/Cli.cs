using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;

namespace KaWorkflow.Hosting;

/// <summary>The command line: serve, advance, import-register, open-round, schedule, chase-calendar, demo.</summary>
public static class Cli
{
    /// <summary>Each command's help: its synopsis line, then what it does.</summary>
    private static readonly (string Command, string Help)[] Commands =
    [
        ("serve", """
            serve [--urls http://127.0.0.1:5080] [--start 2024-10-07T09:00] [--scale 60]
                run the web app and the durable engine (the default command); in Development, --start sets the
                clock to a day of your choosing and --scale runs it that many times faster than the wall
            """),
        ("advance", """
            advance 3d | 4h | 1d12h | --to 2024-10-21T09:00   [--url http://127.0.0.1:5080]
                move a running session's clock on (Development): what has come due by then is sent
            """),
        ("import-register", """
            import-register FILE.csv
                replace the register (all or nothing; problems listed with their line numbers); this and the
                commands below work on a running session's clock when one answers at --url (default
                http://127.0.0.1:5080), else on the real clock
            """),
        ("open-round", """
            open-round 2024-25-Q1
                open a round by hand (a round opens only once); `serve` sends its invites
            """),
        ("schedule", """
            schedule
                open the quarter's round if its time has come; restart stalled rounds
            """),
        ("chase-calendar", """
            chase-calendar 2024-25-Q1 [--open-at 2024-10-07T09:00]
                every e-mail the round would send if nobody replied; --open-at is ISO (2024-10-07,
                2024-10-07T09:00, 2024-10-07T09:00+01:00) or day/month/year (21/10/2024), London time
            """),
        ("demo", """
            demo [--serve] [--port 5080] [--register FILE.csv] [--quarter 2024-25-Q1] [--scale 36000] [--out DIR]
                run a whole quarter locally on a moved clock (see the README)
            """),
    ];

    /// <summary>The usage of every command, or of the one named.</summary>
    public static string Usage(string? command = null) =>
        "Usage: KaWorkflow [command] [--Section:Key=value ...]\n" + string.Join("\n",
            Commands.Where(c => command is null || c.Command == command)
                .Select(c => "  " + c.Help.Replace("\n", "\n  ")));

    /// <summary>Moves a running session's clock on, through its <c>/dev/clock</c>.</summary>
    private static async Task<int> AdvanceAsync(string[] rest)
    {
        var to = CliArguments.Option(rest, "--to") is { } t ? CliArguments.Moment("--to", t) : (DateTimeOffset?)null;
        var by = to is null ? CliArguments.Span("advance", rest[0]) : (TimeSpan?)null;
        var url = CliArguments.Option(rest, "--url") ?? SessionClock.DefaultUrl;
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            if (by is { } span)
                to = (await http.GetFromJsonAsync<SessionClock.SessionTime>("/dev/clock"))!.Now + span;
            using var request = new HttpRequestMessage(HttpMethod.Post,
                $"/dev/clock?to={Uri.EscapeDataString(to!.Value.ToString("O"))}");
            request.Headers.Add(SessionClock.Header, "advance");
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"advance: {url} answered {(int)response.StatusCode}: " +
                    (await response.Content.ReadAsStringAsync()).Trim('"'));
                return 2;
            }
            var moved = (await response.Content.ReadFromJsonAsync<SessionMove>())!;
            foreach (var line in moved.Lines) Console.WriteLine(line);
            var london = TimeZoneInfo.ConvertTime(moved.Now, WorkingCalendar.London);
            Console.WriteLine($"The session's clock is at {london:ddd d MMM yyyy HH:mm} (London); {moved.Told} " +
                "leads' orchestrations told.");
            return 0;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"advance: no session answers at {url} (is `./run-quarter.sh --session` " +
                $"running?): {e.Message}");
            return 2;
        }
    }

    private sealed record SessionMove(DateTimeOffset Now, IReadOnlyList<string> Lines, int Told);

    /// <summary>The app as a one-shot tool: storage ready and the durable engine's client (not its worker: rounds
    /// run in <c>serve</c>), no server and no background schedule check.</summary>
    /// <remarks>With a session running (at <c>--url</c>, by default the session's own address) it works on the
    /// session's clock.</remarks>
    private static async Task<WebApplication> ToolAppAsync(string[] settings, string[] rest)
    {
        var app = LocalHost.Create([
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:DurableTask=None", // the error says it in one line
            .. settings, "--Hosting:RunSchedule=false", "--Durable:RunWorker=false",
        ]);
        await SessionClock.FollowAsync(app.Services.GetRequiredService<AdjustableClock>(),
            CliArguments.Option(rest, "--url") ?? SessionClock.DefaultUrl);
        await app.Services.GetRequiredService<LocalDurableEngine>().StartAsync(CancellationToken.None);
        await app.InitialiseAsync();
        return app;
    }

    /// <summary>Runs a command. A configuration or storage problem is one line on standard error and exit code
    /// 2.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // This executable is the local host (Azure runs KaWorkflow.Functions): Development unless told otherwise, which
        // means the Azurite that run-quarter.sh starts on 127.0.0.1:10100-10102.
        if (Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is null
            && Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is null
            && !args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase)))
            args = [.. args, "--environment=Development"];
        try
        {
            return await RunCommandAsync(args);
        }
        catch (CliArgumentException e)
        {
            Console.Error.WriteLine($"KaWorkflow: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException
                                      or Microsoft.Extensions.Options.OptionsValidationException
                                      or Azure.RequestFailedException or HttpRequestException or AggregateException
                                      or DurableTask.Core.Exceptions.OrchestrationFrameworkException)
        {
            Console.Error.WriteLine($"KaWorkflow: {Describe(e)}");
            return 2;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: > 0 } a => Describe(a.InnerExceptions[0]),
        // "DataAnnotation validation failed for 'X' members: 'Y' with the error: 'Z'." says Z to a developer.
        Microsoft.Extensions.Options.OptionsValidationException o => string.Join(" ", o.Failures.Select(f =>
            f.Split(" with the error: '") is [_, var said] ? said.TrimEnd('.').TrimEnd('\'') : f)),
        HttpRequestException or Azure.RequestFailedException { Status: 0 } =>
            "storage cannot be reached (is Azurite running? ./run-quarter.sh --serve starts it): " + e.Message.Split('\n')[0],
        _ => e.Message.Split('\n')[0],
    };

    private static async Task<int> RunCommandAsync(string[] args)
    {
        var command = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "serve";
        var rest = args.SkipWhile(a => a != command).Skip(1).ToArray();
        var settings = args.Where(a => a.StartsWith("--") && a.Contains('=')).ToArray();
        if (CliArguments.WantsHelp(args))
        {
            var named = args.FirstOrDefault(a => Commands.Any(c => c.Command == a));
            Console.WriteLine(Usage(named));
            return 0;
        }
        switch (command)
        {
            case "serve":
            {
                var start = CliArguments.Option(rest, "--start") is { } s
                    ? CliArguments.Moment("--start", s) : (DateTimeOffset?)null;
                var scale = CliArguments.Option(rest, "--scale") is { } x ? CliArguments.Scale("--scale", x) : 1;
                var app = LocalHost.Create(settings);
                if ((start is not null || scale != 1) && !app.Environment.IsDevelopment())
                    throw new CliArgumentException("--start and --scale are for a session in Development only.");
                app.Services.GetRequiredService<SessionClock>().Start(start, scale);
                await app.InitialiseAsync();
                await app.RunAsync();
                return 0;
            }
            case "advance" when rest.Length > 0:
                return await AdvanceAsync(rest);
            case "import-register" when rest.Length > 0:
            {
                var file = CliArguments.ExistingFile("import-register", rest[0]);
                await using var app = await ToolAppAsync(settings, rest);
                var parsed = RegisterCsv.Parse(await File.ReadAllBytesAsync(file));
                if (!parsed.Ok)
                {
                    Console.Error.WriteLine($"Nothing imported: {parsed.Errors.Count} problems in {rest[0]}");
                    foreach (var e in parsed.Errors) Console.Error.WriteLine("  " + e);
                    return 2;
                }
                var summary = await app.Services.GetRequiredService<RegisterStore>().ReplaceAsync(parsed.Activities);
                Console.WriteLine(
                    $"Imported {summary.Activities} activities for {summary.Leads} leads ({summary.Added} added, " +
                    $"{summary.Removed} removed).");
                return 0;
            }
            case "open-round" when rest.Length > 0:
            {
                var quarter = CliArguments.Round(command, rest[0]);
                await using var app = await ToolAppAsync(settings, rest);
                var opened = await app.Services.GetRequiredService<RoundEngine>().OpenAsync(quarter, Environment.UserName);
                var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
                var sendAt = app.Services.GetRequiredService<ChasePolicy>().NextSendWindow(now);
                Console.WriteLine(opened
                    ? $"Opened {quarter}; with `serve` running, {KaWorkflow.Mail.RoundMails.InvitesGo(sendAt, now)}"
                    : $"{quarter} already exists.");
                return opened ? 0 : 1;
            }
            case "schedule":
            {
                await using var app = await ToolAppAsync(settings, rest);
                var lines = await app.Services.GetRequiredService<RoundEngine>().OnScheduleAsync();
                foreach (var line in lines.DefaultIfEmpty("Nothing to do.")) Console.WriteLine(line);
                return 0;
            }
            case "chase-calendar" when rest.Length > 0:
            {
                var quarter = CliArguments.Round(command, rest[0]);
                DateTimeOffset? openAt = CliArguments.Option(rest, "--open-at") is { } at
                    ? CliArguments.Moment("--open-at", at) : null;
                await using var app = await ToolAppAsync(settings, rest);
                var mails = await app.Services.GetRequiredService<RoundAdmin>().ChaseCalendarAsync(quarter, openAt);
                if (mails.Count == 0) { Console.Error.WriteLine("The register is empty: import it first."); return 1; }
                foreach (var m in mails)
                    Console.WriteLine(
                        $"{TimeZoneInfo.ConvertTime(m.At, WorkingCalendar.London):ddd dd MMM yyyy HH:mm}  {m.Kind,-10}" +
                        $"  {m.To}{(m.Cc.Count > 0 ? " cc " + string.Join(", ", m.Cc) : "")}  {m.Subject}");
                Console.WriteLine($"{mails.Count} e-mails to {mails.Select(m => m.To).Distinct().Count()} leads.");
                return 0;
            }
            case "demo":
                return await Demo.QuarterDemo.RunAsync(rest, settings);
            default:
                Console.Error.WriteLine(Commands.Any(c => c.Command == command)
                    ? Usage(command) : $"KaWorkflow: no command {command}.\n{Usage()}");
                return 2;
        }
    }
}
