using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using KaWorkflow.Hosting;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Storage;

namespace KaWorkflow.Tests.Support;

/// <summary>The real app on a free loopback port, against the shared Azurite, with its clock in the test's hands.</summary>
public sealed partial class TestApp : IAsyncDisposable
{
    public WebApplication App { get; }
    public string BaseUrl { get; }
    public AdjustableClock Clock { get; }
    /// <summary>A browser on this machine; outside Development, one behind the front end, which says HTTPS.</summary>
    public HttpClient Http { get; }
    public StorageOptions Storage { get; }
    public IServiceProvider Services => App.Services;

    private TestApp(WebApplication app, string baseUrl, StorageOptions storage)
    {
        Http = new HttpClient(Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions.IsDevelopment(app.Environment)
            ? new HttpClientHandler { AllowAutoRedirect = false } : new FrontEndBrowser());
        App = app;
        BaseUrl = baseUrl;
        Storage = storage;
        Clock = app.Services.GetRequiredService<AdjustableClock>();
        Http.BaseAddress = new Uri(baseUrl);
    }

    /// <summary>Monday 6 July 2020, 08:00 in London: the day before 2020-21 Q1 opens on schedule.</summary>
    public static readonly DateTimeOffset BeforeQ1Opens = Times.London(7, 6, 8);

    public static Task<TestApp> StartAsync(DateTimeOffset? now = null, string environment = "Development", params string[] settings) =>
        StartAsync(Azurite.Instance.NewStorage(), now, environment, settings);

    /// <summary>The app on a fresh storage account, its orchestrations on the durable <paramref name="engine"/>
    /// named.</summary>
    public static Task<TestApp> StartAsync(Engine engine, DateTimeOffset now, params string[] settings) =>
        StartAsync(Azurite.Instance.NewStorage(), now, "Development", settings, engine: engine);

    /// <summary>A second instance of the app on the same storage, as a scaled-out Function App would run.</summary>
    public Task<TestApp> StartAnotherInstanceAsync() => StartAsync(Storage, Clock.GetUtcNow(), "Development", []);

    /// <summary>The app on storage the test describes (for example, through a <see cref="TcpGate"/>), with services
    /// the test may change (a changed orchestrator, as a deployment would bring).</summary>
    public static async Task<TestApp> StartAsync(StorageOptions storage, DateTimeOffset? now, string environment,
        string[] settings, Action<IServiceCollection>? services = null, Engine engine = Engine.Local)
    {
        var port = Azurite.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var app = LocalHost.Create([
            $"--environment={environment}", "--Hosting:RunSchedule=false", "--Hosting:LocalMailbox=true",
            "--Durable:MaxPollingIntervalMs=100",
            "--Mail:Sender=performance@council.example", "--Mail:PerformanceTeam=performance@council.example",
            $"--Storage:ConnectionString={storage.ConnectionString}", $"--Storage:TablePrefix={storage.TablePrefix}",
            $"--Storage:ReportsContainer={storage.ReportsContainer}", $"--Mail:GraphBaseUrl={baseUrl}/dev/graph/v1.0",
            $"--Form:PublicBaseUrl={baseUrl}", "--Logging:LogLevel:Default=Warning", .. settings,
        ], b =>
        {
            b.WebHost.UseUrls(baseUrl);
            services?.Invoke(b.Services);
        }, engine == Engine.InProcess ? InProcessEngine.Add : null);
        app.Services.GetRequiredService<AdjustableClock>().Set(now ?? BeforeQ1Opens);
        await app.InitialiseAsync(); // before the data protection key ring is read at start
        await app.StartAsync();
        return new TestApp(app, baseUrl, storage);
    }

    /// <summary>Tuesday 7 July 2020, 10:00 in London: the morning 2020-21 Q1 opened.</summary>
    public static readonly DateTimeOffset OpeningMorning = Times.London(7, 7, 10);

    /// <summary>The app on <see cref="OpeningMorning"/> with the sample register (or <paramref name="register"/>),
    /// 2020-21 Q1 opened by hand and its invites sent.</summary>
    public static async Task<TestApp> WithOpenRoundAsync(string? register = null, params string[] settings) =>
        await (await StartAsync(OpeningMorning, "Development", settings)).OpenRoundAsync(register);

    /// <summary>As <see cref="WithOpenRoundAsync(string?, string[])"/>, on the durable <paramref name="engine"/>
    /// named.</summary>
    public static async Task<TestApp> WithOpenRoundAsync(Engine engine) =>
        await (await StartAsync(engine, OpeningMorning)).OpenRoundAsync();

    /// <summary>The app with 2020-21 Q1 open, its tables reached through <paramref name="gate"/>, which the test can
    /// shut or freeze.</summary>
    public static async Task<TestApp> WithOpenRoundBehindAsync(TcpGate gate)
    {
        var storage = Azurite.Instance.NewStorage();
        storage.ConnectionString = StorageOptions.AzuriteConnectionString(
            Azurite.Instance.BlobPort, gate.Port, Azurite.Instance.QueuePort);
        return await (await StartAsync(storage, OpeningMorning, "Development", [])).OpenRoundAsync();
    }

    /// <summary>Imports the register, opens 2020-21 Q1 by hand and lets its orchestration send every invite.</summary>
    public async Task<TestApp> OpenRoundAsync(string? register = null)
    {
        await ImportSampleRegisterAsync(register);
        await Services.GetRequiredService<KaWorkflow.Rounds.RoundEngine>().OpenAsync(new KaWorkflow.Rounds.Quarter(2020, 1), "test");
        await TickAsync();
        return this;
    }

    /// <summary>A lead submits every activity (Green, with <paramref name="progress"/>) through their form, as a browser would.</summary>
    public Task SubmitAllAsync(string lead, string progress = "Done", string roundId = "2020-21-Q1",
        string status = "Green") =>
        AnswerAsync(lead, progress, roundId, "submit", int.MaxValue, status);

    /// <summary>A lead answers their first activity through their form and saves it as a draft.</summary>
    public Task SaveDraftAsync(string lead, string progress = "Under way", string roundId = "2020-21-Q1") =>
        AnswerAsync(lead, progress, roundId, "save", 1);

    private async Task AnswerAsync(string lead, string progress, string roundId, string action, int activities,
        string status = "Green")
    {
        var (_, ret, items) = (await Services.GetRequiredService<KaWorkflow.Rounds.RoundStore>().LoadLeadAsync(roundId, lead))!.Value;
        var fields = items.Where(i => !i.Excused).Take(activities)
            .SelectMany(i => new KeyValuePair<string, string>[]
            {
                new("status|" + i.Code, status), new("progress|" + i.Code, progress), new("next|" + i.Code, "More"),
            })
            .Append(new("action", action)).Append(new("version", ret.Version.ToString()));
        var response = await KaWorkflow.Demo.FormClient.SendAsync(Http, await LinkForAsync(lead), fields);
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, response.StatusCode);
    }

    public async Task ImportSampleRegisterAsync(string? csv = null)
    {
        var parsed = RegisterCsv.Parse(csv ?? await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "sample", "register.csv")));
        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors));
        await Services.GetRequiredService<RegisterStore>().ReplaceAsync(parsed.Activities);
    }

    /// <summary>A request carrying the principal App Service would forward for a performance-team member.</summary>
    public HttpRequestMessage AsPerformanceTeam(HttpMethod method, string path, HttpContent? content = null,
        string role = "KaWorkflow.PerformanceTeam")
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(PerformanceTeamAccess.PrincipalHeader, PerformanceTeamAccess.Encode("pat.jones@council.example", role));
        return request;
    }

    /// <summary>
    /// Time passing on the test's clock: the quarterly timer's check (what the <c>QuarterlySchedule</c> function runs),
    /// then every round woken and waited for until it has taken the time into account.
    /// </summary>
    public async Task TickAsync()
    {
        await Services.GetRequiredService<KaWorkflow.Rounds.RoundEngine>().OnScheduleAsync();
        await SettleAsync();
    }

    /// <summary>Tells every round's orchestrations that time has moved and waits until each has acted on it (or
    /// finished).</summary>
    public async Task SettleAsync()
    {
        var driver = new KaWorkflow.Demo.EngineDriver(Services.GetRequiredService<KaWorkflow.Rounds.IDurableClients>(),
            Services.GetRequiredService<KaWorkflow.Hosting.AdjustableClock>());
        foreach (var roundId in await Services.GetRequiredService<KaWorkflow.Rounds.RoundStore>().ListRoundIdsAsync())
            await driver.SettleAsync(roundId, TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Lets time pass until <paramref name="until"/> as the durable timers would see it: the clock jumps to each next
    /// due moment (a round's next due step or the next scheduled opening) and everything then due is done before it
    /// moves on.
    /// </summary>
    public async Task RunUntilAsync(DateTimeOffset until)
    {
        var store = Services.GetRequiredService<KaWorkflow.Rounds.RoundStore>();
        var engine = Services.GetRequiredService<KaWorkflow.Rounds.RoundEngine>();
        await TickAsync(); // what is due now is done before the clock moves
        while (Clock.GetUtcNow() < until)
        {
            var now = Clock.GetUtcNow();
            var due = new List<DateTimeOffset?> { engine.NextScheduledOpening(now)?.At, until };
            foreach (var roundId in await store.ListRoundIdsAsync())
                if (await store.LoadSnapshotAsync(roundId) is { } round)
                    due.Add(KaWorkflow.Rounds.RoundDecisions.NextDue(round, now));
            var next = due.Where(d => d > now).Min()!.Value;
            Clock.Advance(next - now);
            await TickAsync();
        }
    }

    /// <summary>A performance-team action through the admin API (<c>POST /api/admin/rounds/{round}/actions/{action}</c>).</summary>
    public Task<HttpResponseMessage> ActAsync(string roundId, string action, object body) =>
        Http.SendAsync(AsPerformanceTeam(HttpMethod.Post, $"/api/admin/rounds/{roundId}/actions/{action}",
            System.Net.Http.Json.JsonContent.Create(body)));

    public Task<List<MailboxMessage>> MailAsync() => Services.GetRequiredService<LocalMailbox>().ListAsync();

    /// <summary>The form link in the newest e-mail to a lead that carries one.</summary>
    public async Task<string> LinkForAsync(string email) =>
        (await MailAsync()).Where(m => m.To.Contains(email)).OrderBy(m => m.ReceivedAt).Select(m => FormLink().Match(m.Body))
            .Last(m => m.Success).Value;

    [GeneratedRegex(@"/api/forms/[A-Za-z0-9_-]{43}")]
    private static partial Regex FormLink();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
