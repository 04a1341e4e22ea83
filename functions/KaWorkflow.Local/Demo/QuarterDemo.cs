using System.Diagnostics;
using KaWorkflow.Hosting;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;
using Azure.Data.Tables;
using KaWorkflow.Storage;

namespace KaWorkflow.Demo;

/// <summary>
/// The local run: a whole quarter (2020-21 Q1, or any other of any register: a rehearsal) against Azurite on the
/// durable engine (<see cref="QuarterSimulation"/>). The round opens on schedule, invites go through the Graph SDK to
/// the local mailbox, simulated leads answer through the HTTP form, reminders chase the slow ones, and the report
/// lands in Blob Storage and in <c>out/</c>. With <c>--scale</c> the clock runs that many times faster than the wall
/// and waits for the engine, each lead woken at its moment; without, the clock is moved by hand and the round woken.
/// </summary>
/// <remarks>Restartable: the simulated time is stored after every step, so a killed demo continues where it
/// stopped.</remarks>
public static class QuarterDemo
{
    public static readonly Quarter SampleQuarter = new(2020, 1);

    public static async Task<int> RunAsync(string[] rest, string[] settings)
    {
        var wall = Stopwatch.StartNew();
        var serve = rest.Contains("--serve");
        double? scale = CliArguments.Option(rest, "--scale") is { } sc ? CliArguments.Scale("--scale", sc) : null;
        var port = CliArguments.Option(rest, "--port") is { } p ? CliArguments.Port("--port", p) : 5080;
        var register = CliArguments.Option(rest, "--register") is { } r
            ? CliArguments.ExistingFile("--register", r) : FindSample();
        var outDir = CliArguments.Option(rest, "--out") ?? Path.Combine(Directory.GetCurrentDirectory(), "out");
        var quarter = CliArguments.Option(rest, "--quarter") is { } q
            ? CliArguments.Round("--quarter", q) : SampleQuarter;
        var baseUrl = $"http://127.0.0.1:{port}";
        await using var app = LocalHost.Create([
            "--Durable:MaxPollingIntervalMs=100", // a timer is then at most a tenth of a second late
            // On a fast clock a timer can be due before the step that set it is saved; the backend then puts it back
            // for a few milliseconds with a warning per occurrence. Harmless, and only noise here.
            "--Logging:LogLevel:DurableTask.AzureStorage=Error",
            .. settings, "--environment=Development", "--Hosting:RunSchedule=false", "--Hosting:LocalMailbox=true",
            $"--Mail:GraphBaseUrl={baseUrl}/dev/graph/v1.0", $"--Form:PublicBaseUrl={baseUrl}",
        ], b => b.WebHost.UseUrls(baseUrl));
        var services = app.Services;
        var clock = services.GetRequiredService<AdjustableClock>();
        var storage = services.GetRequiredService<StorageOptions>();
        var meter = services.GetRequiredService<StorageMeter>();
        var stateTable = services.GetRequiredService<TableServiceClient>().GetTableClient(storage.TablePrefix + "demo");
        void Say(string line) => Console.WriteLine(
            $"[{TimeZoneInfo.ConvertTime(clock.GetUtcNow(), WorkingCalendar.London):ddd dd MMM HH:mm}] {line}");

        // The simulated time is restored first, so the schedule the app initialises is the demo's.
        await stateTable.CreateIfNotExistsAsync();
        var state = await stateTable.GetOrNullAsync("demo", "clock");
        var resumed = state is not null;
        // From 08:00 the day before the round is due to open on schedule.
        var opening = services.GetRequiredService<ChasePolicy>().ScheduledOpening(quarter);
        clock.Set(state?.GetDateTimeOffset("Now")
                  ?? WorkingCalendar.AtLocal(WorkingCalendar.LocalDate(opening).AddDays(-1), new TimeOnly(8, 0)));
        await app.InitialiseAsync(); // before the data protection key ring is read at start
        await app.StartAsync();
        Console.WriteLine($"KaWorkflow demo: {quarter.Title}, app on {baseUrl}, storage " +
                          $"{stateTable.Uri.GetLeftPart(UriPartial.Authority)}, clock " +
                          (scale is { } x ? $"{x:N0} times the wall's, waiting for the engine" : "moved by hand"));
        if (resumed) Say("Resuming the demo where it stopped.");

        var parsed = RegisterCsv.Parse(await File.ReadAllBytesAsync(register));
        if (!parsed.Ok) { foreach (var e in parsed.Errors) Console.Error.WriteLine(e); return 2; }
        if (!resumed)
        {
            var summary = await services.GetRequiredService<RegisterStore>().ReplaceAsync(parsed.Activities);
            Say($"Imported the register: {summary.Activities} Key Activities for {summary.Leads} CMT leads from {register}");
        }

        var store = services.GetRequiredService<RoundStore>();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        await new QuarterSimulation(services, http, Say).RunAsync(quarter.RoundId, clock.GetUtcNow().AddDays(60),
            () => stateTable.UpsertCheckedAsync(new TableEntity("demo", "clock") { ["Now"] = clock.GetUtcNow() }), scale);

        var final = await store.LoadSnapshotAsync(quarter.RoundId) ?? throw new InvalidOperationException("The round never opened.");
        if (final.Header.Status != RoundStatus.Complete) { Console.Error.WriteLine("The round did not complete."); return 1; }
        var reports = services.GetRequiredService<ReportStore>();
        var written = new List<string>();
        foreach (var (file, _) in ReportAssembler.Files)
        {
            var name = ReportAssembler.BlobName(quarter.RoundId, final.Header.ReportVersion, file);
            var blob = await reports.DownloadAsync(name) ?? throw new InvalidOperationException($"{name} is missing.");
            var path = Path.Combine(outDir, "reports", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, blob.Content.ToArray());
            written.Add($"  {storage.ReportsContainer}/{name}  ->  {path}");
        }
        var mails = await services.GetRequiredService<LocalMailbox>().ListAsync();
        Console.WriteLine();
        Console.WriteLine(
            $"Round {quarter.RoundId} complete: {final.Returns.Count(r => !r.Outstanding)} of {final.Returns.Count} " +
            $"returns submitted, stored in table {store.Rounds.Name}.");
        int Count(params string[] subjects) => mails.Count(m => subjects.Any(s => m.Subject.StartsWith(s)));
        Console.WriteLine(
            $"E-mails sent through Graph: {mails.Count} ({Count("Key Activity update")} invites, " +
            $"{Count("Reminder", "Overdue")} reminders, {Count("Key Activity report")} report notices).");
        var onTime = Timeliness.Of(SentAt(final, mails), services.GetRequiredService<ChasePolicy>());
        var waited = clock.WaitsForWork ? " (business time waited for the engine)" : "";
        Console.WriteLine($"Timeliness: {onTime.Describe()}{waited}.");
        Console.WriteLine($"Report version {final.Header.ReportVersion} in Blob Storage and copied locally:");
        foreach (var line in written) Console.WriteLine(line);
        Console.WriteLine($"Wall time {wall.Elapsed.TotalSeconds:F1} s; storage requests {meter.RequestCount}.");
        if (!serve) return 0;

        Console.WriteLine();
        Console.WriteLine($"Serving on {baseUrl} (Ctrl+C to stop):");
        Console.WriteLine($"  dashboard (performance team):    {baseUrl}/dev/signin?returnUrl=/api/dashboard");
        Console.WriteLine($"  mailbox, with every form link:  {baseUrl}/dev/mailbox");
        Console.WriteLine(
            $"  report (performance team):      {baseUrl}" +
            $"/dev/signin?returnUrl=/api/reports/{quarter.RoundId}/v{final.Header.ReportVersion}/report.html");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Each outbox row sent, with when its first copy reached the mailbox.</summary>
    public static IEnumerable<(Effect, DateTimeOffset)> SentAt(RoundSnapshot round, IReadOnlyList<MailboxMessage> mail)
    {
        var first = mail.Where(m => m.Reference is not null).GroupBy(m => m.Reference!)
            .ToDictionary(g => g.Key, g => g.Min(m => m.ReceivedAt));
        foreach (var effect in round.Effects)
            if (first.TryGetValue($"{round.Header.Id}/{effect.Id}", out var at)) yield return (effect, at);
    }

    private static string FindSample()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "sample", "register.csv")))
                return Path.Combine(dir.FullName, "sample", "register.csv");
        throw new CliArgumentException("sample/register.csv not found; pass --register FILE.csv.");
    }
}
