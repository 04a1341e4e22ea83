using System.Diagnostics;
using System.Globalization;
using KaWorkflow.Demo;
using KaWorkflow.Hosting;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static KaWorkflow.Benchmarks.Stats;

namespace KaWorkflow.Benchmarks;

/// <summary>The real app on loopback against the run's Azurite, with its clock in the benchmark's hands.</summary>
public sealed class Bench : IAsyncDisposable
{
    public static string RepoRoot => KaWorkflow.Tests.Support.RepoRoot.Path;
    public static readonly Quarter Q1 = new(2020, 1);

    public required WebApplication App { get; init; }
    public required HttpClient Http { get; init; }
    public required StorageOptions Storage { get; init; }
    public IServiceProvider Services => App.Services;
    public AdjustableClock Clock => Services.GetRequiredService<AdjustableClock>();
    public StorageMeter Meter => Services.GetRequiredService<StorageMeter>();
    public RoundStore Rounds => Services.GetRequiredService<RoundStore>();

    public static async Task<Bench> StartAsync(DateTimeOffset now)
    {
        var storage = Azurite.Instance.NewStorage();
        var baseUrl = $"http://127.0.0.1:{Azurite.FreePort()}";
        var app = KaApp.Create([
            "--environment=Development", "--Hosting:RunSchedule=false", "--Hosting:LocalMailbox=true", $"--Storage:ConnectionString={storage.ConnectionString}",
            $"--Storage:TablePrefix={storage.TablePrefix}", $"--Storage:ReportsContainer={storage.ReportsContainer}",
            $"--Mail:GraphBaseUrl={baseUrl}/dev/graph/v1.0", $"--Form:PublicBaseUrl={baseUrl}", "--Logging:LogLevel:Default=Warning",
            "--Form:GuessesPerWindow=100000", "--Durable:MaxPollingIntervalMs=100",
        ], b => b.WebHost.UseUrls(baseUrl));
        app.Services.GetRequiredService<AdjustableClock>().Set(now);
        await app.StartAsync();
        await app.InitialiseAsync();
        return new Bench { App = app, Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) }, Storage = storage };
    }

    /// <summary>Imports a synthetic register, opens 2020-21 Q1 and sends every invite, a simulated minute at a time as the timer would.</summary>
    public async Task<List<MailboxMessage>> OpenWithInvitesAsync(int leads, int activities)
    {
        await Services.GetRequiredService<RegisterStore>().ReplaceAsync(SyntheticRegister.Create(leads, activities));
        await Services.GetRequiredService<RoundEngine>().OpenAsync(Q1, "bench");
        for (var minute = 0; minute < 120; minute++)
        {
            await SettleAsync();
            var round = await Rounds.LoadSnapshotAsync(Q1.RoundId);
            if (round!.Effects.Count(e => e.Kind == EffectKind.Invite && e.State == EffectState.Done) == leads) break;
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
        return await Services.GetRequiredService<LocalMailbox>().ListAsync();
    }

    /// <summary>Wakes the round and waits until its orchestration has done all that is due on the clock.</summary>
    public async Task SettleAsync()
    {
        await Services.GetRequiredService<LocalDurableEngine>().WakeAndWaitAsync(Q1.RoundId, TimeSpan.FromMinutes(5));
    }

    /// <summary>The app's own time for a request, from its Server-Timing header (<c>app;dur=…</c>).</summary>
    public static double ServerMs(HttpResponseMessage response) => Timing(response, "app");

    /// <summary>The storage part of it (<c>storage;dur=…</c>).</summary>
    public static double StorageMs(HttpResponseMessage response) => Timing(response, "storage");

    private static double Timing(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Server-Timing", out var values)
        && string.Join(",", values).Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith(name + ";")) is { } part
            ? double.Parse(part.Split("dur=")[1].Split(';')[0], CultureInfo.InvariantCulture) : double.NaN;

    public static List<KeyValuePair<string, string>> Answers(LeadReturn ret, IEnumerable<ReturnItem> items, string action, string text) =>
        [new("action", action), new("version", ret.Version.ToString(CultureInfo.InvariantCulture)),
         .. items.SelectMany(i => new KeyValuePair<string, string>[] { new("status|" + i.Code, "Green"), new("progress|" + i.Code, $"- {text} for {i.Code}\n- Second line"), new("next|" + i.Code, "- Carry on") })];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>The form: a save and a submit of ten activities, against one raw transaction of the same rows; requests per operation.</summary>
public static class FormBench
{
    public static async Task<List<Row>> RunAsync()
    {
        Console.WriteLine("form: saves and submits of ten activities...");
        await using var bench = await Bench.StartAsync(WorkingCalendar.AtLocal(new DateOnly(2020, 7, 7), new TimeOnly(9, 0)));
        var mail = await bench.OpenWithInvitesAsync(leads: 25, activities: 250);
        var links = mail.ToDictionary(m => m.To[0], m => FormLinkOf(m.Body));
        var leads = links.Keys.Order().ToList();

        // Saves: one lead saving again and again, each time changing all ten answers.
        var saveLead = leads[0];
        var token = await FormClient.OpenAsync(bench.Http, links[saveLead]);
        var saves = new List<double>();
        var saveStorage = new List<double>();
        var saveRequests = 0L;
        for (var i = 0; i < 45; i++)
        {
            var (_, ret, items) = (await bench.Rounds.LoadLeadAsync(Bench.Q1.RoundId, saveLead))!.Value;
            var before = bench.Meter.RequestCount;
            using var response = await FormClient.PostAsync(bench.Http, links[saveLead], token, Bench.Answers(ret, items, "save", $"Save {i}"));
            if ((int)response.StatusCode != 303) throw new InvalidOperationException($"save answered {(int)response.StatusCode}");
            saveRequests = bench.Meter.RequestCount - before;
            if (i >= 5) { saves.Add(Bench.ServerMs(response)); saveStorage.Add(Bench.StorageMs(response)); } // the first few warm the app up
        }

        // Submits: each of the other leads submitting for the first time (so each includes the round's nudge).
        var submits = new List<double>();
        var submitRequests = 0L;
        foreach (var lead in leads.Skip(1))
        {
            var leadToken = await FormClient.OpenAsync(bench.Http, links[lead]);
            var (_, ret, items) = (await bench.Rounds.LoadLeadAsync(Bench.Q1.RoundId, lead))!.Value;
            var before = bench.Meter.RequestCount;
            using var response = await FormClient.PostAsync(bench.Http, links[lead], leadToken, Bench.Answers(ret, items, "submit", "Submitted"));
            if ((int)response.StatusCode != 303) throw new InvalidOperationException($"submit answered {(int)response.StatusCode}");
            submitRequests = bench.Meter.RequestCount - before;
            submits.Add(Bench.ServerMs(response));
        }

        // Baseline: the same rows (return, ten activities, a version, an event) as one raw entity-group transaction.
        var raw = new List<double>();
        for (var i = 0; i < 45; i++)
        {
            var (header, ret, items) = (await bench.Rounds.LoadLeadAsync(Bench.Q1.RoundId, saveLead))!.Value;
            var outcome = RoundDecisions.Save(header, ret, items, items.ToDictionary(x => x.Code, x => new Answer(RagStatus.Green, $"Raw {i}", "Next")), false, bench.Clock.GetUtcNow(), "bench");
            var clock = Stopwatch.StartNew();
            await bench.Rounds.CommitAsync(Bench.Q1.RoundId, [outcome.Change!]);
            if (i >= 5) raw.Add(clock.Elapsed.TotalMilliseconds);
        }

        bench.Clock.Advance(TimeSpan.FromMinutes(1));
        await bench.SettleAsync();
        // Several turns may have been due (the submissions woke the round): measure a turn with nothing due.
        var idleBefore = bench.Meter.RequestCount;
        await bench.SettleAsync();
        var idle = bench.Meter.RequestCount - idleBefore;

        var rawP50 = Median(raw);
        return
        [
            new("save", "server time of one lead saving 10 activities over HTTP (p50, p95; 40 saves), of which storage (p50)", $"{Ms(Median(saves))}, {Ms(Percentile(saves, 95))}; storage {Ms(Median(saveStorage))}",
                $"raw transaction of the same rows: {Ms(rawP50)} (p50, spread {Spread(raw)})", $"{Median(saves) / rawP50:F2}× (goal ≤ 1.5×)"),
            new("submit", "server time of one lead submitting 10 activities over HTTP (p50, p95; 24 leads)", $"{Ms(Median(submits))}, {Ms(Percentile(submits, 95))}",
                $"raw transaction of the same rows: {Ms(rawP50)}", $"{Median(submits) / rawP50:F2}× (goal ≤ 1.5×)"),
            new("requests", "storage requests per save / per first submission / per turn with nothing due (the app's own, not the engine's)", $"{saveRequests} / {submitRequests} / {idle}",
                "minimum the design allows: 1 transaction / 1 transaction / 1 query", saveRequests == 1 && idle == 1 ? "at the minimum" : "see note"),
        ];
    }

    public static string FormLinkOf(string body) => System.Text.RegularExpressions.Regex.Match(body, @"/api/forms/[A-Za-z0-9_-]{43}").Value;
}

/// <summary>300 leads at once, the pace of 300 invites, and the dashboard for a round that size.</summary>
public static class BurstBench
{
    public static async Task<List<Row>> RunAsync(int leads, int activities)
    {
        Console.WriteLine($"burst: {leads} leads...");
        await using var bench = await Bench.StartAsync(WorkingCalendar.AtLocal(new DateOnly(2020, 7, 7), new TimeOnly(9, 0)));
        var before = bench.Meter.RequestCount;
        var mail = await bench.OpenWithInvitesAsync(leads, activities);
        var invites = mail.Where(m => m.Subject.StartsWith("Key Activity update")).ToList();
        var requestsPerInvite = (double)(bench.Meter.RequestCount - before) / invites.Count;
        var minutes = (invites.Max(m => m.ReceivedAt) - invites.Min(m => m.ReceivedAt)).TotalMinutes + 1;
        var perMinute = invites.Count / Math.Ceiling(minutes);
        var throttled = bench.Services.GetRequiredService<LocalMailbox>().Throttled;

        // Each lead has their own browser (client and cookies), opens the form, then all press Submit at once.
        var links = invites.ToDictionary(m => m.To[0], m => FormBench.FormLinkOf(m.Body));
        var browsers = links.ToDictionary(l => l.Key, _ => new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = bench.Http.BaseAddress });
        var tokens = await Task.WhenAll(links.Select(async l => (Lead: l.Key, Link: l.Value, Token: await FormClient.OpenAsync(browsers[l.Key], l.Value))));
        var forms = new List<(HttpClient Browser, string Link, ShownForm Token, List<KeyValuePair<string, string>> Fields)>();
        foreach (var t in tokens)
        {
            var (_, ret, items) = (await bench.Rounds.LoadLeadAsync(Bench.Q1.RoundId, t.Lead))!.Value;
            forms.Add((browsers[t.Lead], t.Link, t.Token, Bench.Answers(ret, items, "submit", "Burst")));
        }
        var wall = Stopwatch.StartNew();
        var results = await Task.WhenAll(forms.Select(async f =>
        {
            var clock = Stopwatch.StartNew();
            using var response = await FormClient.PostAsync(f.Browser, f.Link, f.Token, f.Fields);
            return (Status: (int)response.StatusCode, Ms: clock.Elapsed.TotalMilliseconds, Server: Bench.ServerMs(response), Storage: Bench.StorageMs(response));
        }));
        wall.Stop();
        foreach (var browser in browsers.Values) browser.Dispose();
        var latencies = results.Select(r => r.Ms).ToList();
        var errors = results.Count(r => r.Status != 303);
        var lost = (await bench.Rounds.LoadSnapshotAsync(Bench.Q1.RoundId))!.Returns.Count(r => r.Status != ReturnStatus.Submitted);

        var dashboard = new List<double>();
        for (var i = 0; i < 35; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/dashboard/rounds/{Bench.Q1.RoundId}");
            request.Headers.Add(PerformanceTeamAccess.PrincipalHeader, PerformanceTeamAccess.Encode("bench", "KaWorkflow.PerformanceTeam"));
            using var response = await bench.Http.SendAsync(request);
            if (i >= 5) dashboard.Add(Bench.ServerMs(response));
        }

        return
        [
            new("burst", $"{leads} leads submitting at once over loopback: throughput, p50, p99, errors, returns lost; server time and its storage part (p50)",
                $"{leads / wall.Elapsed.TotalSeconds:F0}/s, {Ms(Median(latencies))}, {Ms(Percentile(latencies, 99))}, {errors} errors, {lost} lost; server {Ms(Median(results.Select(r => r.Server).ToList()))}, storage {Ms(Median(results.Select(r => r.Storage).ToList()))}",
                "none lost, no 5xx; p99 under 500 ms", errors == 0 && lost == 0 && Percentile(latencies, 99) < 500 ? "met" : "not met: see note"),
            new("pacing", $"invites dispatched per simulated minute for {leads} leads (ticks a minute apart); 429s provoked",
                $"{perMinute:F1} a minute; {throttled} × 429", "Exchange Online: 30 messages a minute per mailbox", $"{perMinute / 30:P0} of the limit"),
            new("requests", "storage requests per invite (claim, lead read, link, done, round read)", $"{requestsPerInvite:F1}", "—", "—"),
            new("dashboard", $"server time of the round page for {leads} leads (p50, p95; 30 loads)", $"{Ms(Median(dashboard))}, {Ms(Percentile(dashboard, 95))}", "—", "—"),
        ];
    }
}

/// <summary>A whole quarter on a moved clock: opening, invites, answers, reminders, completion and the report.</summary>
public static class QuarterBench
{
    public static async Task<Row> RunAsync(int leads, int activities, int? goalSeconds)
    {
        Console.WriteLine($"quarter: {leads} leads, {activities} activities...");
        await using var bench = await Bench.StartAsync(WorkingCalendar.AtLocal(new DateOnly(2020, 7, 6), new TimeOnly(8, 0)));
        await bench.Services.GetRequiredService<RegisterStore>().ReplaceAsync(SyntheticRegister.Create(leads, activities));
        var requests = bench.Meter.RequestCount;
        var wall = Stopwatch.StartNew();
        var round = await new QuarterSimulation(bench.Services, bench.Http, _ => { }).RunAsync(Bench.Q1.RoundId, bench.Clock.GetUtcNow().AddDays(60));
        wall.Stop();
        if (round is not { Header.Status: RoundStatus.Complete }) throw new InvalidOperationException("The simulated quarter did not complete.");
        var mails = (await bench.Services.GetRequiredService<LocalMailbox>().ListAsync()).Count;
        var seconds = wall.Elapsed.TotalSeconds;
        return new($"quarter-{leads}", $"a whole simulated quarter: {leads} leads, {activities} activities, {mails} e-mails, report in three formats; wall time, storage requests",
            $"{seconds:F1} s, {bench.Meter.RequestCount - requests:N0} requests", goalSeconds is { } g ? $"under {g} s on this machine" : "—",
            goalSeconds is { } goal ? (seconds < goal ? "met" : "not met: see note") : "—");
    }
}

/// <summary>Assembling the report for 2,000 activities, each format in a fresh process so its peak memory is its own.</summary>
public static class ReportBench
{
    public static async Task<List<Row>> RunAsync(int activities)
    {
        Console.WriteLine($"report: {activities} activities...");
        var results = new Dictionary<string, (List<double> Ms, List<double> PeakMb)>();
        foreach (var format in new[] { "none", "html", "docx", "csv", "all" })
        {
            results[format] = ([], []);
            for (var i = 0; i < 3; i++)
            {
                var start = new ProcessStartInfo("dotnet", [typeof(ReportBench).Assembly.Location, "--report", format]) { RedirectStandardOutput = true };
                using var child = Process.Start(start)!;
                var output = (await child.StandardOutput.ReadToEndAsync()).Trim().Split(' ');
                await child.WaitForExitAsync();
                results[format].Ms.Add(double.Parse(output[0], CultureInfo.InvariantCulture));
                results[format].PeakMb.Add(double.Parse(output[1], CultureInfo.InvariantCulture));
            }
        }
        var baseline = Median(results["none"].PeakMb);
        var rows = new List<Row>();
        foreach (var format in new[] { "html", "docx", "csv" })
            rows.Add(new($"report-{format}", $"assembling the {format.ToUpperInvariant()} report for {activities} activities (median of 3, spread)",
                $"{Ms(Median(results[format].Ms))} ({Spread(results[format].Ms)}), +{Median(results[format].PeakMb) - baseline:F0} MB peak",
                $"model alone: {baseline:F0} MB peak working set", "—"));
        var all = results["all"];
        rows.Add(new("report", $"all three formats for {activities} activities: time, peak working set of the process",
            $"{Ms(Median(all.Ms))}, {Median(all.PeakMb):F0} MB", "under 2 s and 300 MB together",
            Median(all.Ms) < 2000 && Median(all.PeakMb) < 300 ? "met" : "not met: see note"));
        return rows;
    }
}

/// <summary>The child process of <see cref="ReportBench"/>: builds a model, writes one format (or all), prints ms and peak MB.</summary>
public static class ReportChild
{
    public static int Run(string format)
    {
        var model = Model(2000);
        var clock = Stopwatch.StartNew();
        long bytes = format switch
        {
            "html" => HtmlReportWriter.Write(model).Length,
            "docx" => DocxReportWriter.Write(model).Length,
            "csv" => CsvReportWriter.Write(model).Length,
            "all" => ReportAssembler.Render(model).Sum(f => f.Value.ToMemory().Length),
            _ => 0,
        };
        clock.Stop();
        Console.WriteLine(FormattableString.Invariant($"{clock.Elapsed.TotalMilliseconds:F1} {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F1} {bytes}"));
        return 0;
    }

    private static ReportModel Model(int activities)
    {
        var register = SyntheticRegister.Create(activities / 7, activities);
        var statuses = Enum.GetValues<RagStatus>();
        var items = register.Select((a, n) => ReturnItem.From(a) with
        {
            Status = statuses[(n * 7) % statuses.Length],
            Progress = $"- Progress on {a.Code} this quarter, with enough text to look like a real answer from a lead.\n- A second point about delivery and risks.\n- Corrective action agreed with the portfolio holder.",
            NextSteps = "1. Continue delivery.\n2. Report to the portfolio holder.",
        }).ToList();
        var returns = register.GroupBy(a => a.LeadKey).Select(g => new LeadReturn(g.Key, g.First().LeadName, g.Key, ReturnStatus.Submitted, g.Count())).ToList();
        var round = new RoundHeader("2020-21-Q1", RoundStatus.Complete, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
        return ReportBuilder.Build("Harborough District Council", round, 1, false, DateTimeOffset.UtcNow, returns, items);
    }
}

/// <summary>Process start to the first 200 from /api/health: the local host, durable engine included.</summary>
/// <remarks>The Functions worker cannot be started here (no Functions host: platform.md).</remarks>
public static class StartBench
{
    public static async Task<Row> RunAsync()
    {
        var app = Path.Combine(Bench.RepoRoot, "functions", "KaWorkflow", "bin", "Release", "net10.0", "KaWorkflow.dll");
        Console.WriteLine("start: the local host...");
        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var storage = Azurite.Instance.NewStorage();
            var port = Azurite.FreePort();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { app, "serve", $"--urls=http://127.0.0.1:{port}",
                         $"--Storage:ConnectionString={storage.ConnectionString}", $"--Storage:TablePrefix={storage.TablePrefix}" })
                start.ArgumentList.Add(arg);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
            var clock = Stopwatch.StartNew();
            using var host = Process.Start(start)!;
            try
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    try
                    {
                        using var health = await http.GetAsync("/api/health");
                        if ((int)health.StatusCode == 200) break;
                    }
                    catch (HttpRequestException) { await Task.Delay(10); }
                }
                if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds); // the first start warms the disk cache
            }
            finally { host.Kill(true); }
        }
        return new("start", "process start to the first 200 from /api/health: the local host with its durable engine (median of 5); the Functions worker cannot be started here",
            $"{Ms(Median(times))} ({Spread(times)})", "under 1 s", Median(times) < 1000 ? "met" : "not met");
    }
}
