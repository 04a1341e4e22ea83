using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using KaWorkflow.Demo;
using KaWorkflow.Form;
using KaWorkflow.Hosting;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using Azure.Storage.Queues;
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
    public DurableStorageMeter EngineMeter => Services.GetRequiredService<DurableStorageMeter>();
    public RoundStore Rounds => Services.GetRequiredService<RoundStore>();

    /// <summary>Every storage request so far: the app's own and the durable engine's.</summary>
    public long Requests => Meter.RequestCount + EngineMeter.RequestCount;

    /// <param name="storage">An installation to start on again; a fresh one if null.</param>
    /// <param name="settings">Settings on top of the benchmark's (a fast-polling engine, no guessing limit).</param>
    public static async Task<Bench> StartAsync(DateTimeOffset now, StorageOptions? storage = null, params string[] settings)
    {
        storage ??= Azurite.Instance.NewStorage();
        var baseUrl = $"http://127.0.0.1:{Azurite.FreePort()}";
        var app = LocalHost.Create([
            "--environment=Development", "--Hosting:RunSchedule=false", "--Hosting:LocalMailbox=true",
            $"--Storage:ConnectionString={storage.ConnectionString}", $"--Storage:TablePrefix={storage.TablePrefix}",
            $"--Storage:ReportsContainer={storage.ReportsContainer}", $"--Mail:GraphBaseUrl={baseUrl}/dev/graph/v1.0",
            $"--Form:PublicBaseUrl={baseUrl}", "--Logging:LogLevel:Default=Warning", "--Form:GuessesPerWindow=100000",
            // A fast-polling engine, with host.json's two-minute visibility timeout: with 15 s, messages the engine
            // had fetched but not yet reached under load were seen as lost and fetched again.
            "--Durable:MaxPollingIntervalMs=100", "--Durable:VisibilityTimeoutSeconds=120", .. settings,
        ], b => b.WebHost.UseUrls(baseUrl));
        app.Services.GetRequiredService<AdjustableClock>().Set(now);
        await app.InitialiseAsync(); // before the data protection key ring is read at start
        await app.StartAsync();
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        return new Bench { App = app, Http = http, Storage = storage };
    }

    /// <summary>Imports a synthetic register, opens 2020-21 Q1 and sends every invite, a simulated minute at a time
    /// as the timer would.</summary>
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

    /// <summary>Tells the round's orchestrations that time has moved and waits until they have done all that is due on
    /// the clock.</summary>
    public Task SettleAsync() =>
        new EngineDriver(Services.GetRequiredService<IDurableClients>(), Clock)
            .SettleAsync(Q1.RoundId, TimeSpan.FromMinutes(5));

    /// <summary>A GET as the performance team sends it, signed in through App Service's principal header.</summary>
    public static HttpRequestMessage AsPerformanceTeam(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(PerformanceTeamAccess.PrincipalHeader,
            PerformanceTeamAccess.Encode("bench", "KaWorkflow.PerformanceTeam"));
        return request;
    }

    /// <summary>The app's own time for a request, from its Server-Timing header (<c>app;dur=…</c>).</summary>
    public static double ServerMs(HttpResponseMessage response) => double.Parse(
        Timing(response, "app")?.Split("dur=")[1].Split(';')[0] ?? "NaN", CultureInfo.InvariantCulture);

    /// <summary>The storage part of it (<c>storage;dur=…</c>).</summary>
    public static double StorageMs(HttpResponseMessage response) => double.Parse(
        Timing(response, "storage")?.Split("dur=")[1].Split(';')[0] ?? "NaN", CultureInfo.InvariantCulture);

    /// <summary>How many storage requests the request made, the durable engine's queue message included.</summary>
    public static int StorageRequests(HttpResponseMessage response) =>
        int.Parse(Timing(response, "storage")?.Split("desc=\"")[1].Split(' ')[0] ?? "-1", CultureInfo.InvariantCulture);

    private static string? Timing(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Server-Timing", out var values)
            ? string.Join(",", values).Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith(name + ";"))
            : null;

    public static List<KeyValuePair<string, string>> Answers(LeadReturn ret, IEnumerable<ReturnItem> items, string action,
        string text) =>
        [new("action", action), new("version", ret.Version.ToString(CultureInfo.InvariantCulture)),
         .. items.SelectMany(i => new KeyValuePair<string, string>[]
         {
             new("status|" + i.Code, "Green"), new("progress|" + i.Code, $"- {text} for {i.Code}\n- Second line"),
             new("next|" + i.Code, "- Carry on"),
         })];

    /// <summary>A plain queue beside the engine's, for the raw baselines' messages.</summary>
    public async Task<QueueClient> RawQueueAsync()
    {
        var queue = new QueueClient(Storage.ConnectionString, Storage.TablePrefix.ToLowerInvariant() + "raw");
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    /// <summary>The rows a save of <paramref name="text"/> in every answer writes, read beforehand.</summary>
    public async Task<Change> RawChangeAsync(string leadKey, string text)
    {
        var (header, ret, items) = (await Rounds.LoadLeadAsync(Q1.RoundId, leadKey))!.Value;
        var answers = items.ToDictionary(x => x.Code, x => new Answer(RagStatus.Green, text, "Next"));
        // The same rows whatever the round's state (the raw burst runs after the round has completed).
        var open = header with { Status = RoundStatus.Open };
        return RoundDecisions.Save(open, ret, items, answers, false, Clock.GetUtcNow(), "bench").Change!;
    }

    /// <summary>A message the size of the engine's changed event.</summary>
    public static readonly string RawMessage = new('x', 900);

    /// <summary>The raw baseline for one save or submission: the same rows as one transaction, straight through the
    /// SDK; with a queue, also the one message a submission sends.</summary>
    public async Task<double> RawAsync(string leadKey, string text, QueueClient? queue = null)
    {
        var change = await RawChangeAsync(leadKey, text);
        var clock = Stopwatch.StartNew();
        await Rounds.CommitAsync(Q1.RoundId, [change]);
        if (queue is not null) await queue.SendMessageAsync(RawMessage);
        return clock.Elapsed.TotalMilliseconds;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>The form: saves and submits of ten activities against raw transactions (and messages) of the same rows,
/// measured in the same run; storage requests per operation.</summary>
public static class FormBench
{
    public static async Task<List<Row>> RunAsync()
    {
        Console.WriteLine("form: saves and submits of ten activities...");
        var monday = WorkingCalendar.AtLocal(new DateOnly(2020, 7, 7), new TimeOnly(9, 0));
        await using var bench = await Bench.StartAsync(monday);
        var mail = await bench.OpenWithInvitesAsync(leads: 25, activities: 250);
        var links = mail.ToDictionary(m => m.To[0], m => FormLinkOf(m.Body));
        var leads = links.Keys.Order().ToList();
        var queue = await bench.RawQueueAsync();
        var keys = (await bench.Rounds.LoadSnapshotAsync(Bench.Q1.RoundId))!.Returns
            .ToDictionary(r => r.LeadEmail, r => r.LeadKey);

        // Saves: one lead saving again and again from a freshly shown page, each time changing all ten answers;
        // between them, raw transactions of the same rows, so both meet the same Azurite.
        var saveLead = leads[0];
        List<double> saves = [], saveStorage = [], raw = [], rawWithMessage = [];
        var saveRequests = 0;
        for (var i = 0; i < 45; i++)
        {
            var shown = await FormClient.OpenAsync(bench.Http, links[saveLead]);
            var (_, ret, items) = (await bench.Rounds.LoadLeadAsync(Bench.Q1.RoundId, keys[saveLead]))!.Value;
            using var response = await FormClient.PostAsync(bench.Http, links[saveLead], shown,
                Bench.Answers(ret, items, "save", $"Save {i}"));
            if ((int)response.StatusCode != 303) throw new InvalidOperationException($"save answered {(int)response.StatusCode}");
            var rawMs = await bench.RawAsync(keys[saveLead], $"Raw {i}");
            if (i < 5) continue; // the first few warm the app up
            saves.Add(Bench.ServerMs(response));
            saveStorage.Add(Bench.StorageMs(response));
            saveRequests = Bench.StorageRequests(response);
            raw.Add(rawMs);
        }

        // Submits: each of the other leads submitting for the first time (each raises their orchestration's changed event),
        // each followed by its raw baseline: the same rows as one transaction and one message of the event's size.
        var submits = new List<double>();
        var submitRequests = 0;
        foreach (var lead in leads.Skip(1))
        {
            var shown = await FormClient.OpenAsync(bench.Http, links[lead]);
            var (_, ret, items) = (await bench.Rounds.LoadLeadAsync(Bench.Q1.RoundId, keys[lead]))!.Value;
            using var response = await FormClient.PostAsync(bench.Http, links[lead], shown,
                Bench.Answers(ret, items, "submit", "Submitted"));
            if ((int)response.StatusCode != 303) throw new InvalidOperationException($"submit answered {(int)response.StatusCode}");
            submitRequests = Bench.StorageRequests(response);
            submits.Add(Bench.ServerMs(response));
            // Its baseline right after, in the same conditions (the round is taking the submission in meanwhile).
            rawWithMessage.Add(await bench.RawAsync(keys[lead], "Raw and message", queue));
        }

        bench.Clock.Advance(TimeSpan.FromMinutes(1));
        await bench.SettleAsync();
        // The submissions' leads have finished: measure the others' reads with nothing due, per read.
        double idle;
        var idleReads = 0;
        using (var counting = new MeterListener())
        {
            counting.InstrumentPublished = (i, l) => { if (i == RoundActivities.LeadReads) l.EnableMeasurementEvents(i); };
            counting.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref idleReads));
            counting.Start();
            var idleBefore = bench.Meter.RequestCount;
            // Told as the app tells a lead whose return changed: moving the clock tells none, for none is due.
            await bench.Services.GetRequiredService<RoundRunner>().TellAsync(Bench.Q1.RoundId, keys.Values);
            await bench.SettleAsync();
            idleReads = Math.Max(1, idleReads);
            idle = (double)(bench.Meter.RequestCount - idleBefore) / idleReads;
        }

        // Where a save's and a submission's own time goes: reading the page's ticket, and raising the changed event
        // against a raw message of the same size.
        var tickets = bench.Services.GetRequiredService<SaveTickets>();
        var ticket = (await FormClient.OpenAsync(bench.Http, links[saveLead])).Ticket!;
        var token = links[saveLead][(links[saveLead].LastIndexOf('/') + 1)..];
        var ticketMs = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var clock = Stopwatch.StartNew();
            _ = tickets.Read(ticket, token) ?? throw new InvalidOperationException("The page's ticket did not read.");
            ticketMs.Add(clock.Elapsed.TotalMilliseconds);
        }
        var runner = bench.Services.GetRequiredService<RoundRunner>();
        List<double> events = [], messages = [];
        for (var i = 0; i < 40; i++)
        {
            var clock = Stopwatch.StartNew();
            await runner.NotifyLeadAsync(Bench.Q1.RoundId, keys[saveLead]);
            events.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await queue.SendMessageAsync(Bench.RawMessage);
            messages.Add(clock.Elapsed.TotalMilliseconds);
        }

        var (rawP50, rawMsgP50) = (Median(raw), Median(rawWithMessage));
        var (saveRatio, submitRatio) = (Median(saves) / rawP50, Median(submits) / rawMsgP50);
        return
        [
            new("save", "server time of one lead saving 10 activities over HTTP (p50, p95; 40 saves), of which storage (p50)",
                $"{Ms(Median(saves))}, {Ms(Percentile(saves, 95))}; storage {Ms(Median(saveStorage))}",
                $"raw transaction of the same rows: {Ms(rawP50)} (p50, spread {Spread(raw)})",
                $"{saveRatio:F2}× (goal ≤ 1.3×: {(saveRatio <= 1.3 ? "met" : "not met")})"),
            new("submit", "server time of one lead submitting 10 activities over HTTP (p50, p95; 24 leads)",
                $"{Ms(Median(submits))}, {Ms(Percentile(submits, 95))}",
                $"raw transaction + raw queue message, each right after a submit: {Ms(rawMsgP50)} (p50, spread " +
                $"{Spread(rawWithMessage)})",
                $"{submitRatio:F2}× (goal ≤ 1.3×: {(submitRatio <= 1.3 ? "met" : "not met")})"),
            new("requests", "storage requests per save / per first submission (queue message included) / per lead's " +
                "read with nothing due (the app's own)", $"{saveRequests} / {submitRequests} / {idle:F1}",
                "the minimum: 1 transaction / 1 transaction + 1 message / 1 query",
                saveRequests == 1 && submitRequests == 2 && idle <= 1 ? "at the minimum" : "see note"),
            new("profile", "where the form's own time goes (p50): reading the page's ticket (200 reads); raising the " +
                "lead's changed event through the durable client (40)", $"ticket {Ms(Median(ticketMs))}; event {Ms(Median(events))}",
                $"raw queue message: {Ms(Median(messages))}", $"event {Median(events) / Median(messages):F2}×"),
        ];
    }

    public static string FormLinkOf(string body) =>
        System.Text.RegularExpressions.Regex.Match(body, @"/api/forms/[A-Za-z0-9_-]{43}").Value;
}

/// <summary>300 leads submitting at once against 300 raw transactions and messages at once on the same Azurite; how
/// soon the round takes each submission into account; the report after the last; the pace of 300 invites; the
/// dashboard for a round that size.</summary>
public static class BurstBench
{
    public static async Task<List<Row>> RunAsync(int leads, int activities)
    {
        Console.WriteLine($"burst: {leads} leads...");
        var monday = WorkingCalendar.AtLocal(new DateOnly(2020, 7, 7), new TimeOnly(9, 0));
        await using var bench = await Bench.StartAsync(monday);
        var before = bench.Requests;
        // One more lead than the burst: they submit alone first, so the burst meets an app that has served a
        // submission before (its code compiled), as every burst but a new server's first does.
        var mail = await bench.OpenWithInvitesAsync(leads + 1, activities);
        var invites = mail.Where(m => m.Subject.StartsWith("Key Activity update")).ToList();
        var requestsPerInvite = (double)(bench.Requests - before) / invites.Count;
        // The busiest minute's: the limit is a minute's.
        var perMinute = invites.GroupBy(m => m.ReceivedAt.UtcTicks / TimeSpan.TicksPerMinute).Max(g => g.Count());
        var throttled = bench.Services.GetRequiredService<LocalMailbox>().Throttled;
        var keys = (await bench.Rounds.LoadSnapshotAsync(Bench.Q1.RoundId))!.Returns
            .ToDictionary(r => r.LeadEmail, r => r.LeadKey);

        // Each lead has their own browser (client and cookies), opens the form, then all press Submit at once.
        var links = invites.ToDictionary(m => m.To[0], m => FormBench.FormLinkOf(m.Body));
        var browsers = links.ToDictionary(l => l.Key, _ => new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
            { BaseAddress = bench.Http.BaseAddress });
        var forms = new List<(HttpClient Browser, string Link, ShownForm Shown, List<KeyValuePair<string, string>> Fields,
            string Lead)>();
        foreach (var (lead, link) in links)
        {
            var shown = await FormClient.OpenAsync(browsers[lead], link);
            var (_, ret, items) = (await bench.Rounds.LoadLeadAsync(Bench.Q1.RoundId, keys[lead]))!.Value;
            forms.Add((browsers[lead], link, shown, Bench.Answers(ret, items, "submit", "Burst"), lead));
        }

        // Each lead's reads of their state as they end, with how long each took: a submission answered before a read
        // started has been taken into account once that read ends.
        var reads = new List<(string Lead, double Started, double Ended)>();
        var wall = Stopwatch.StartNew();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == RoundActivities.LeadReads) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, took, tags, _) =>
        {
            var ended = wall.Elapsed.TotalMilliseconds;
            string? lead = null;
            foreach (var tag in tags) if (tag.Key == "lead") lead = tag.Value as string;
            lock (reads) reads.Add((lead ?? "", ended - took, ended));
        });
        listener.Start();
        var first = forms[0];
        forms.RemoveAt(0);
        using (var alone = await FormClient.PostAsync(first.Browser, first.Link, first.Shown, first.Fields))
        {
            if ((int)alone.StatusCode != 303)
                throw new InvalidOperationException($"The submission made alone was answered {alone.StatusCode}.");
            var answered = wall.Elapsed.TotalMilliseconds;
            bool TakenIn()
            {
                lock (reads) return reads.Any(r => r.Lead == keys[first.Lead] && r.Started >= answered);
            }
            while (!TakenIn() && wall.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(20);
        }
        lock (reads) reads.Clear();
        // The engine takes the submissions in as they come: its storage requests meanwhile share Azurite with them.
        var (appBefore, engineBefore) = (bench.Meter.RequestCount, bench.EngineMeter.RequestCount);
        wall.Restart();
        var results = await Task.WhenAll(forms.Select(async f =>
        {
            var started = wall.Elapsed.TotalMilliseconds;
            using var response = await FormClient.PostAsync(f.Browser, f.Link, f.Shown, f.Fields);
            var ended = wall.Elapsed.TotalMilliseconds;
            return (Status: (int)response.StatusCode, Started: started, Ms: ended - started, Ended: ended,
                Server: Bench.ServerMs(response), Storage: Bench.StorageMs(response), Lead: keys[f.Lead]);
        }));
        var burstSeconds = results.Max(r => r.Ended) / 1000;
        var (app, engine) = (bench.Meter.RequestCount - appBefore, bench.EngineMeter.RequestCount - engineBefore);
        foreach (var browser in browsers.Values) browser.Dispose();
        var latencies = results.Select(r => r.Ms).ToList();
        var errors = results.Count(r => r.Status != 303);

        // From the last submission to the report in Blob Storage.
        var reports = bench.Services.GetRequiredService<ReportStore>();
        var lastSubmit = results.Max(r => r.Ended);
        while ((await reports.ListAsync(Bench.Q1.RoundId)).Count < 3 && wall.Elapsed < TimeSpan.FromMinutes(5))
            await Task.Delay(20);
        var toReport = wall.Elapsed.TotalMilliseconds - lastSubmit;
        listener.Dispose();
        var lost = (await bench.Rounds.LoadSnapshotAsync(Bench.Q1.RoundId))!.Returns
            .Count(r => r.Status != ReturnStatus.Submitted);
        // Taken into account by the lead's first read that started after the submission was answered (so after it was
        // stored): an upper bound, since a read already under way may have seen it.
        double Taken(string lead, double answered) => reads.Where(d => d.Lead == lead && d.Started >= answered)
            .Select(d => d.Ended - answered).DefaultIfEmpty(double.NaN).Min();
        var taken = results.Select(r => Taken(r.Lead, r.Ended)).Where(double.IsFinite).ToList();

        // The raw burst: the same rows for every lead as one transaction each plus one message, all at once.
        var queue = await bench.RawQueueAsync();
        var changes = new List<Change>();
        foreach (var f in forms) changes.Add(await bench.RawChangeAsync(keys[f.Lead], "Raw burst"));
        var rawWall = Stopwatch.StartNew();
        var raw = await Task.WhenAll(changes.Select(async change =>
        {
            var clock = Stopwatch.StartNew();
            await bench.Rounds.CommitAsync(Bench.Q1.RoundId, [change]);
            await queue.SendMessageAsync(Bench.RawMessage);
            return clock.Elapsed.TotalMilliseconds;
        }));
        var rawSeconds = rawWall.Elapsed.TotalSeconds;
        var (p99, rawP99) = (Percentile(latencies, 99), Percentile(raw, 99));
        var (rate, rawRate) = (leads / burstSeconds, leads / rawSeconds);

        var dashboard = new List<double>();
        for (var i = 0; i < 35; i++)
        {
            using var response = await bench.Http.SendAsync(
                Bench.AsPerformanceTeam($"/api/dashboard/rounds/{Bench.Q1.RoundId}"));
            if (i >= 5) dashboard.Add(Bench.ServerMs(response));
        }

        var within = p99 <= 1.5 * rawP99 && rate >= rawRate / 1.5 && errors == 0 && lost == 0;
        return
        [
            new("burst", $"{leads} leads submitting at once over loopback, after one alone: throughput, p50, p99, " +
                "errors, returns lost; server time and its storage part (p50); storage requests meanwhile",
                $"{rate:F0}/s, {Ms(Median(latencies))}, {Ms(p99)}, {errors} errors, {lost} lost; " +
                $"server {Ms(Median(results.Select(r => r.Server).ToList()))}, " +
                $"storage {Ms(Median(results.Select(r => r.Storage).ToList()))}; " +
                $"the app's {app}, the engine's {engine}",
                $"{leads} raw transactions + messages at once: {rawRate:F0}/s, {Ms(Median(raw))}, {Ms(rawP99)}",
                $"p99 {p99 / rawP99:F2}×, throughput {rawRate / rate:F2}× slower (goal ≤ 1.5× each, 0 errors, 0 lost: " +
                $"{(within ? "met" : "not met")})"),
            new("event", $"submit answered to the end of the lead's own orchestration's first read that started after " +
                $"it, {leads} leads at once (p50, p99: an upper bound on taking it into account); last submit to the " +
                "report's three files in Blob Storage",
                $"p50 {Ms(Median(taken))}, p99 {Ms(Percentile(taken, 99))} ({taken.Count} of {leads}); " +
                $"report {Ms(toReport)}", "—", "—"),
            new("pacing", $"invites dispatched in the busiest simulated minute for {invites.Count} leads " +
                "(ticks a minute apart); 429s provoked",
                $"{perMinute} a minute; {throttled} × 429", "Exchange Online: 30 messages a minute per mailbox",
                $"{perMinute / 30.0:P0} of the limit"),
            new("requests", "storage requests per invite, the durable engine's included (its polling too)",
                $"{requestsPerInvite:F1}", "—", "—"),
            new("dashboard", $"server time of the round page for {invites.Count} leads (p50, p95; 30 loads)",
                $"{Ms(Median(dashboard))}, {Ms(Percentile(dashboard, 95))}", "—", "—"),
        ];
    }
}

/// <summary>A whole quarter on the local durable engine with a scaled clock: opening, invites, answers, reminders,
/// completion and the report.</summary>
public static class QuarterBench
{
    /// <summary>Business seconds per wall second: the local run's speed.</summary>
    public const double Scale = 36_000;

    /// <summary>The e-mails each scaled quarter sent, by its number of leads, for the same quarter by hand to
    /// compare with.</summary>
    private static readonly Dictionary<int, int> ScaledMails = [];

    /// <param name="scaled">With the clock at <see cref="Scale"/>, waiting for the engine and skipping idle time;
    /// otherwise the clock is moved by hand and the round woken at each step.</param>
    public static async Task<Row> RunAsync(int leads, int activities, int? goalSeconds, bool scaled = true)
    {
        Console.WriteLine($"quarter: {leads} leads, {activities} activities, {(scaled ? "scaled clock" : "moved by hand")}...");
        var sunday = WorkingCalendar.AtLocal(new DateOnly(2020, 7, 6), new TimeOnly(8, 0));
        await using var bench = await Bench.StartAsync(sunday);
        await bench.Services.GetRequiredService<RegisterStore>().ReplaceAsync(SyntheticRegister.Create(leads, activities));
        var requests = bench.Requests;
        var (app, queues, tables) = (bench.Meter.RequestCount, bench.EngineMeter.Queues.RequestCount,
            bench.EngineMeter.Tables.RequestCount);
        var wall = Stopwatch.StartNew();
        // A long run says where it is: business time against wall time shows where the engine holds it.
        using var progress = new Timer(_ => Console.WriteLine(
            $"  {wall.Elapsed.TotalSeconds:F0} s: business {bench.Clock.GetUtcNow():yyyy-MM-dd HH:mm}, " +
            $"{bench.Requests - requests:N0} requests{(bench.Clock.HeldBy() is { } who ? $", held by {who}" : "")}"),
            null, 5_000, 5_000);
        var round = await new QuarterSimulation(bench.Services, bench.Http, null)
            .RunAsync(Bench.Q1.RoundId, bench.Clock.GetUtcNow().AddDays(60), scale: scaled ? Scale : null);
        wall.Stop();
        if (round is not { Header.Status: RoundStatus.Complete })
        {
            var left = (await bench.Services.GetRequiredService<RoundStore>().LoadSnapshotAsync(Bench.Q1.RoundId))?
                .Returns.Where(r => r.Outstanding).ToList() ?? [];
            var mail = await bench.Services.GetRequiredService<LocalMailbox>().ListAsync();
            throw new InvalidOperationException($"The simulated quarter did not complete: {left.Count} returns " +
                "outstanding, " + string.Join("; ", left.Take(5).Select(r => $"{r.LeadKey} {r.Status}, " +
                $"{r.RemindersSent} reminders queued, {mail.Count(m => m.To.Contains(r.LeadEmail))} e-mails")));
        }
        var mailbox = await bench.Services.GetRequiredService<LocalMailbox>().ListAsync();
        var mails = mailbox.Count;
        var onTime = Timeliness.Of(QuarterDemo.SentAt(round, mailbox), bench.Services.GetRequiredService<ChasePolicy>());
        var seconds = wall.Elapsed.TotalSeconds;
        var business = round.Header.CompletedAt!.Value - sunday;
        var perLead = (double)(bench.Requests - requests) / leads;
        var split = $"app {(bench.Meter.RequestCount - app) / (double)leads:F0}, engine's queues " +
            $"{(bench.EngineMeter.Queues.RequestCount - queues) / (double)leads:F0}, its tables " +
            $"{(bench.EngineMeter.Tables.RequestCount - tables) / (double)leads:F0}";
        var how = scaled ? $"on the durable engine, clock at {Scale:N0}× waiting for the engine and skipping idle time"
            : "on a clock moved by hand a minute at a time, each step taken in before the next";
        if (scaled) ScaledMails[leads] = mails;
        var (baseline, verdict) = goalSeconds is { } goal
            ? ($"under {goal} s on this machine", seconds < goal ? "met" : "not met: see note")
            : !scaled && ScaledMails.TryGetValue(leads, out var fast)
                ? ($"the scaled quarter: {fast} e-mails", fast == mails ? "as many e-mails" : "not as many: see note")
                : ("—", "—");
        return new(scaled ? $"quarter-{leads}" : $"quarter-{leads}-by-hand", $"a whole quarter {how}: " +
                $"{leads} leads, {activities} activities, report in three formats; wall time, e-mails, storage " +
                "requests a lead (the engine's included), each e-mail's lateness against its due time (business time: " +
                "p50, p99, max) and how many went outside the send window",
            $"{seconds:F1} s ({business.TotalDays:F1} business days), {mails} e-mails, {perLead:F0} requests a lead " +
            $"({split}; {bench.Requests - requests:N0} in all); late p50 {onTime.P50.TotalMinutes:F0} min, p99 " +
            $"{onTime.P99.TotalMinutes:F0} min, max {onTime.Max.TotalMinutes:F0} min; {onTime.OutsideWindow} outside " +
            "the window",
            baseline, verdict);
    }
}

/// <summary>An installation with a round asleep, on the production durable settings: storage requests in an idle
/// hour and what they cost a month.</summary>
public static class IdleBench
{
    // Azure's pay-as-you-go list prices, US dollars, East US, LRS, general-purpose v2 (hot tier for blobs), as
    // published on azure.microsoft.com/pricing/details/storage in 2025. Every blob request is priced as a write, the
    // dearest class, so the figure errs high.
    private const double QueuePer10K = 0.004, TablePer10K = 0.00036, BlobWritePer10K = 0.05;

    public static async Task<Row> RunAsync(int warmSeconds = 60, int measureSeconds = 120)
    {
        Console.WriteLine($"idle: {warmSeconds + measureSeconds} s of an installation with a round asleep...");
        var monday = WorkingCalendar.AtLocal(new DateOnly(2020, 7, 7), new TimeOnly(9, 0));
        StorageOptions storage;
        await using (var opening = await Bench.StartAsync(monday))
        {
            await opening.OpenWithInvitesAsync(leads: 10, activities: 50);
            storage = opening.Storage;
        }
        // host.json's durable settings: 30 s longest poll, two-minute visibility timeouts.
        await using var bench = await Bench.StartAsync(monday.AddMinutes(5), storage,
            "--Durable:MaxPollingIntervalMs=30000", "--Durable:VisibilityTimeoutSeconds=120");
        await Task.Delay(TimeSpan.FromSeconds(warmSeconds)); // polling backs off to its longest interval
        var (queues, tables, blobs, app) = (bench.EngineMeter.Queues.RequestCount, bench.EngineMeter.Tables.RequestCount,
            bench.EngineMeter.Blobs.RequestCount, bench.Meter.RequestCount);
        await Task.Delay(TimeSpan.FromSeconds(measureSeconds));
        var perHour = 3600.0 / measureSeconds;
        var q = (bench.EngineMeter.Queues.RequestCount - queues) * perHour;
        var t = (bench.EngineMeter.Tables.RequestCount - tables + bench.Meter.RequestCount - app) * perHour;
        var b = (bench.EngineMeter.Blobs.RequestCount - blobs) * perHour;

        // The hourly timer's check (the only other work an idle hour has), counted once.
        var checkBefore = bench.Requests;
        await bench.Services.GetRequiredService<RoundEngine>().OnScheduleAsync();
        var check = bench.Requests - checkBefore;
        t += check;

        var hour = q + t + b;
        var month = 730 * (q * QueuePer10K + t * TablePer10K + b * BlobWritePer10K) / 10_000;
        return new("idle", $"storage requests in an idle hour on host.json's durable settings (measured over " +
                $"{measureSeconds} s after {warmSeconds} s, scaled; the hourly check's {check} added): queue / table / blob; " +
                "monthly cost at list prices (queue $0.004, table $0.00036, blob write $0.05 per 10,000)",
            $"{q:F0} / {t:F0} / {b:F0} = {hour:F0} an hour; ${month:F2} a month",
            "under $1 a month; the old tick made 60 requests an hour", month < 1 ? "met" : "not met: see note");
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
                var start = new ProcessStartInfo("dotnet", [typeof(ReportBench).Assembly.Location, "--report",
                    format]) { RedirectStandardOutput = true };
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
            rows.Add(new($"report-{format}",
                $"assembling the {format.ToUpperInvariant()} report for {activities} activities (median of 3, spread)",
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
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        Console.WriteLine(FormattableString.Invariant($"{clock.Elapsed.TotalMilliseconds:F1} {peakMb:F1} {bytes}"));
        return 0;
    }

    private static ReportModel Model(int activities)
    {
        var register = SyntheticRegister.Create(activities / 7, activities);
        var statuses = Enum.GetValues<RagStatus>();
        var items = register.Select((a, n) => ReturnItem.From(a) with
        {
            Status = statuses[(n * 7) % statuses.Length],
            Progress = $"- Progress on {a.Code} this quarter, with enough text to look like a real answer from a " +
                       "lead.\n- A second point about delivery and risks.\n- Corrective action agreed with the " +
                       "portfolio holder.",
            NextSteps = "1. Continue delivery.\n2. Report to the portfolio holder.",
        }).ToList();
        var returns = register.GroupBy(a => a.LeadKey).Select(g => new LeadReturn
        {
            LeadKey = g.Key, LeadName = g.First().LeadName, LeadEmail = g.Key, Status = ReturnStatus.Submitted,
            ActivityCount = g.Count(),
        }).ToList();
        var round = new RoundHeader("2020-21-Q1", RoundStatus.Complete, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
        return ReportBuilder.Build(new ReportOptions { CouncilName = "Harborough District Council" }, round, 1, false,
            DateTimeOffset.UtcNow, returns, items);
    }
}

/// <summary>Process start to the first 200 from /api/health: the local host, durable engine included.</summary>
/// <remarks>The Functions worker cannot be started here (no Functions host runs on this machine).</remarks>
public static class StartBench
{
    public static async Task<Row> RunAsync()
    {
        var app = Path.Combine(Bench.RepoRoot, "functions", "KaWorkflow.Local", "bin", "Release", "net10.0", "KaWorkflow.Local.dll");
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
        return new("start",
            "process start to the first 200 from /api/health: the local host with its durable engine (median of 5); " +
            "the Functions worker cannot be started here",
            $"{Ms(Median(times))} ({Spread(times)})", "under 1 s", Median(times) < 1000 ? "met" : "not met");
    }
}

/// <summary>Eight finished rounds of 300 leads and 2,000 activities, stored as the app stores them: the eighth
/// round's activities page, with every activity's last four quarters.</summary>
public static class HistoryBench
{
    /// <summary>The report's row, measured in the same run.</summary>
    public static Row? Report { get; private set; }

    public static async Task<Row> RunAsync(int rounds = 8, int leads = 300, int activities = 2000)
    {
        Console.WriteLine($"history: {rounds} finished rounds of {leads} leads, {activities} activities...");
        var monday = WorkingCalendar.AtLocal(new DateOnly(2020, 7, 7), new TimeOnly(9, 0));
        await using var bench = await Bench.StartAsync(monday);
        var register = SyntheticRegister.Create(leads, activities);
        var policy = bench.Services.GetRequiredService<ChasePolicy>();
        var store = bench.Rounds;
        RagStatus[] statuses = [RagStatus.Green, RagStatus.Amber, RagStatus.Red, RagStatus.Green, RagStatus.Complete];
        var quarter = Bench.Q1;
        for (var r = 0; r < rounds; r++, quarter = quarter.Next)
        {
            var plan = RoundDecisions.Open(quarter, register, monday, policy, "bench");
            await store.TryCreateAsync(plan.Header, plan.Started, monday);
            await store.CommitAsync(quarter.RoundId, plan.Leads, upsert: true);
            // Every return submitted with every activity answered, then the round complete: as a finished round is.
            var round = (await store.LoadSnapshotAsync(quarter.RoundId))!;
            var items = (await store.LoadItemsAsync(quarter.RoundId)).ToLookup(i => i.LeadKey);
            var turn = r;
            await store.CommitAsync(quarter.RoundId, round.Returns.Select(ret => new Change(
                Returns:
                [
                    ret with { Status = ReturnStatus.Submitted, SubmittedAt = monday, SubmittedBy = ret.LeadEmail },
                ],
                Items: items[ret.LeadKey].Select(i => i with
                {
                    Status = statuses[(i.Order + turn) % statuses.Length], Progress = $"Progress on {i.Code}.",
                    NextSteps = "Next steps.",
                }).ToList())).ToList());
            var header = (await store.GetHeaderAsync(quarter.RoundId))!;
            await store.CommitAsync(quarter.RoundId,
                [new Change(Header: header with { Status = RoundStatus.Complete, CompletedAt = monday })]);
        }
        var last = quarter.Previous.RoundId;
        var times = new List<double>();
        for (var i = 0; i < 31; i++)
        {
            using var response = await bench.Http.SendAsync(
                Bench.AsPerformanceTeam($"/api/dashboard/rounds/{last}/activities"));
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"The activities page answered {(int)response.StatusCode}.");
            times.Add(Bench.ServerMs(response));
        }
        var (first, warm) = (times[0], times.Skip(1).ToList());
        var p50 = Median(warm);
        // The report of the last round with its Trend column and without: what the history adds.
        var history = bench.Services.GetRequiredService<KaWorkflow.History.HistoryStore>();
        var files = bench.Services.GetRequiredService<ReportStore>();
        async Task<double> AssembleAsync(bool trend, int version)
        {
            var assembler = new ReportAssembler(store, files,
                new ReportOptions { CouncilName = "Council", Trend = trend }, history, bench.Clock);
            var clock = Stopwatch.StartNew();
            await assembler.AssembleAsync(last, version, draft: true);
            return clock.Elapsed.TotalMilliseconds;
        }
        var (with, without) = (new List<double>(), new List<double>());
        for (var v = 0; v < 3; v++)
        {
            without.Add(await AssembleAsync(false, 100 + 2 * v));
            with.Add(await AssembleAsync(true, 101 + 2 * v));
        }
        var added = Median(with) - Median(without);
        Report = new Row("history-report", $"assembling the last round's report in three formats with its Trend " +
                $"column and without ({rounds} rounds of {activities} activities behind it; p50 of 3 each)",
            $"{Ms(Median(with))} with, {Ms(Median(without))} without: {Ms(added)} added", "under 500 ms added",
            added < 500 ? "met" : "not met");
        return new("history", $"server time of the activities page of the last of {rounds} finished rounds of " +
                $"{leads} leads and {activities} activities, each with its last four quarters (p50, p95 of 30 loads; " +
                "the first load, which reads every round)",
            $"{Ms(p50)}, {Ms(Percentile(warm, 95))}; first {Ms(first)}", "under 100 ms (p50)",
            p50 < 100 ? "met" : "not met");
    }
}
