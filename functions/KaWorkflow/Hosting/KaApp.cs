using Azure.Storage.Blobs;
using KaWorkflow.Dashboard;
using KaWorkflow.Form;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KaWorkflow.Hosting;

/// <summary>Builds the one web app both hosts run: standalone (Kestrel plus its own tick) and the Functions custom handler.</summary>
public static class KaApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Under the Functions host the port comes from FUNCTIONS_CUSTOMHANDLER_PORT and the host drives ticks.
        if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } port)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Configuration["Hosting:RunSchedule"] = "false";
        }
        configure?.Invoke(builder);

        var hosting = Bind<HostingOptions>(builder, HostingOptions.Section);
        Bind<AccessOptions>(builder, AccessOptions.Section);
        builder.Services.AddSingleton<AdjustableClock>();
        builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<AdjustableClock>());
        builder.AddStorage().AddRegister().AddRounds().AddForm().AddMail().AddReports();
        builder.Services.AddSingleton<DashboardQueries>();
        builder.Services.AddSingleton(FrontEnd.Load()); // every page's styles and scripts
        if (hosting.RunSchedule) builder.Services.AddHostedService<ScheduleLoop>();

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer"; // form links carry their token in the path
            headers["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
            headers.CacheControl = "no-store";
            // Server-Timing shows the app's own time for the request in browser tools; the benchmarks read it too.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var storageTally = StorageTiming.Begin();
            context.Response.OnStarting(() =>
            {
                var inv = System.Globalization.CultureInfo.InvariantCulture;
                var storage = $", storage;dur={storageTally.Time.TotalMilliseconds.ToString("F1", inv)};desc=\"{storageTally.Count} storage requests\"";
                context.Response.Headers["Server-Timing"] = $"app;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F1", inv)}{storage}";
                return Task.CompletedTask;
            });
            await next();
        });
        app.MapCustomHandler();
        app.MapFrontEnd();
        app.MapForm();
        app.MapRegister();
        app.MapRounds();
        app.MapDashboard();
        app.MapReports();
        app.MapGet("/api/whoami", (HttpContext http) =>
            PerformanceTeamAccess.Read(http) is { } p ? Results.Json(p) : Results.Problem("Not signed in.", statusCode: 401));
        if (hosting.LocalMailbox) app.MapLocalMailbox();
        if (app.Environment.IsDevelopment()) app.MapDevelopmentSignIn();
        return app;
    }

    /// <summary>Creates tables and containers (the local mailbox's only where it is served); call once before serving.</summary>
    public static async Task InitialiseAsync(this WebApplication app, CancellationToken ct = default)
    {
        await app.Services.GetRequiredService<RoundEngine>().InitialiseAsync(ct);
        if (app.Services.GetRequiredService<HostingOptions>().LocalMailbox)
            await app.Services.GetRequiredService<LocalMailbox>().InitialiseAsync(ct);
    }

    internal static T Bind<T>(WebApplicationBuilder builder, string section) where T : class, new()
    {
        var options = new T();
        builder.Configuration.GetSection(section).Bind(options);
        builder.Services.AddSingleton(options);
        builder.Services.Configure<T>(builder.Configuration.GetSection(section));
        return options;
    }

    private static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var options = Bind<StorageOptions>(builder, StorageOptions.Section);
        var meter = new StorageMeter();
        builder.Services.AddSingleton(meter);
        // Built once: the first construction costs about 0.4 s, later ones microseconds (storage-sdk.md).
        builder.Services.AddSingleton(StorageClients.Tables(options, meter));
        builder.Services.AddSingleton(StorageClients.Blobs(options, meter));
        return builder;
    }

    private static WebApplicationBuilder AddRegister(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RegisterStore>();
        return builder;
    }

    private static WebApplicationBuilder AddRounds(this WebApplicationBuilder builder)
    {
        Bind<ChaseOptions>(builder, ChaseOptions.Section);
        builder.Services.AddSingleton(WorkingCalendar.Default);
        builder.Services.AddSingleton<ChasePolicy>();
        builder.Services.AddSingleton<RoundStore>();
        builder.Services.AddSingleton<EffectDispatcher>();
        builder.Services.AddSingleton<RoundActivities>();
        builder.Services.AddSingleton<RoundEngine>();
        // The durable engine: started with the app, before the server, and stopped with it.
        Bind<DurableOptions>(builder, DurableOptions.Section);
        builder.Services.TryAddTransient<Microsoft.DurableTask.ITaskOrchestrator, RoundOrchestration>();
        builder.Services.AddSingleton<LocalDurableEngine>();
        builder.Services.AddSingleton<IRoundRunner>(sp => sp.GetRequiredService<LocalDurableEngine>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalDurableEngine>());
        builder.Services.AddSingleton<RoundAdmin>();
        return builder;
    }

    private static WebApplicationBuilder AddForm(this WebApplicationBuilder builder)
    {
        Bind<FormOptions>(builder, FormOptions.Section);
        builder.Services.AddSingleton<FormLinks>();
        builder.Services.AddSingleton<FormService>();
        builder.Services.AddSingleton<LinkGuard>();
        // Anti-forgery keys live in Blob Storage so every instance, and every restart, accepts every other's tokens.
        builder.Services.AddDataProtection().SetApplicationName("KaWorkflow");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<BlobServiceClient, StorageOptions>((keys, blobs, storage) =>
            keys.XmlRepository = new BlobKeyRepository(blobs.GetBlobContainerClient(storage.KeysContainer)));
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ka-form";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            // In Azure the browser sees HTTPS even though the host forwards plain HTTP to the handler.
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.FormFieldName = "__RequestVerificationToken";
            o.SuppressXFrameOptionsHeader = true; // the CSP's frame-ancestors already says no framing
        });
        return builder;
    }

    private static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        Bind<MailOptions>(builder, MailOptions.Section);
        builder.Services.AddSingleton<GraphMailSender>();
        builder.Services.AddSingleton<MailPacer>();
        builder.Services.AddSingleton<LocalMailbox>();
        return builder;
    }

    private static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        Bind<ReportOptions>(builder, ReportOptions.Section);
        builder.Services.AddSingleton<ReportStore>();
        builder.Services.AddSingleton<ReportAssembler>();
        return builder;
    }
}
