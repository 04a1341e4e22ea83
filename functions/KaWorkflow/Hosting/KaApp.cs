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
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KaWorkflow.Hosting;

/// <summary>
/// The app both hosts run. The Functions worker (<c>KaWorkflow.Functions</c>) uses <see cref="AddKaWorkflow"/>,
/// <see cref="UseKaWorkflowHeaders"/> and <see cref="MapKaWorkflow"/>; the local host (<see cref="Create"/>) adds
/// Kestrel, the local durable engine and the schedule check.
/// </summary>
public static class KaApp
{
    /// <summary>The local host: the web app, the durable engine (<see cref="LocalDurableEngine"/>, unless
    /// <paramref name="engine"/> adds another) and, unless turned off, the schedule check.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null,
        Action<IServiceCollection>? engine = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false); // says nothing of what runs here
        builder.Services.AddKaWorkflow(builder.Configuration, builder.Environment);
        if (engine is null) builder.Services.AddLocalDurableEngine(builder.Configuration);
        else engine(builder.Services);
        if (builder.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() is not { RunSchedule: false })
            builder.Services.AddHostedService<ScheduleLoop>();

        var app = builder.Build();
        app.UseKaWorkflowHeaders();
        app.MapKaWorkflow();
        return app;
    }

    /// <summary>Every service the app's pages, API and round orchestration need, bound from configuration.</summary>
    /// <remarks>Where the durable client comes from (<see cref="IDurableClients"/>) is the host's to add.</remarks>
    public static IServiceCollection AddKaWorkflow(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment)
    {
        var area = new Area(services, configuration, environment);
        area.Bind<HostingOptions>(HostingOptions.Section);
        area.Bind<AccessOptions>(AccessOptions.Section);
        services.AddSingleton<AdjustableClock>();
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<AdjustableClock>());
        area.AddStorage().AddRegister().AddRounds().AddForm().AddMail().AddReports();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton(FrontEnd.Load()); // every page's styles and scripts
        services.AddRouting();
        services.AddRazorComponents(); // the pages are components, rendered on the server only
        // Endpoint routing needs these; a web host registers them, a bare pipeline (the Functions worker's) may not.
        services.TryAddSingleton(new System.Diagnostics.DiagnosticListener("KaWorkflow"));
        services.TryAddSingleton<System.Diagnostics.DiagnosticSource>(sp =>
            sp.GetRequiredService<System.Diagnostics.DiagnosticListener>());
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The front end (App Service's, or the Functions host's proxy) forwards plain HTTP and says the browser
            // used HTTPS; only the nearest hop is trusted, and only from the proxies ASP.NET Core knows (loopback).
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
        });
        return services;
    }

    /// <summary>The local durable engine, its client the app's <see cref="IDurableClients"/>, started and stopped with
    /// the app.</summary>
    public static IServiceCollection AddLocalDurableEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DurableOptions>(DurableOptions.Section);
        services.AddSingleton<DurableStorageMeter>();
        services.AddSingleton<LocalDurableEngine>();
        services.AddSingleton<IDurableClients>(sp => sp.GetRequiredService<LocalDurableEngine>());
        services.AddHostedService(sp => sp.GetRequiredService<LocalDurableEngine>());
        return services;
    }

    /// <summary>Forwarded headers, security headers and <c>Server-Timing</c> on every response.</summary>
    public static IApplicationBuilder UseKaWorkflowHeaders(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer"; // form links carry their token in the path
            headers["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
                "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
            headers.CacheControl = "no-store";
            var development = context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment();
            if (!development && context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
            // Server-Timing shows the app's own time for the request in browser tools; the benchmarks read it too.
            // Its storage request counts are the performance team's business, or a developer's.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var storageTally = StorageTiming.Begin();
            context.Response.OnStarting(() =>
            {
                if (!development && !PerformanceTeamAccess.IsPerformanceTeam(context)) return Task.CompletedTask;
                var inv = System.Globalization.CultureInfo.InvariantCulture;
                var app = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F1", inv);
                var storage = storageTally.Time.TotalMilliseconds.ToString("F1", inv);
                context.Response.Headers["Server-Timing"] =
                    $"app;dur={app}, storage;dur={storage};desc=\"{storageTally.Count} storage " +
                    (storageTally.Count == 1 ? "request\"" : "requests\"");
                return Task.CompletedTask;
            });
            await next();
        });
    }

    /// <summary>The route table: every page and API route, in both hosts.</summary>
    public static IEndpointRouteBuilder MapKaWorkflow(this IEndpointRouteBuilder app)
    {
        app.MapFrontEnd();
        app.MapForm();
        app.MapRegister();
        app.MapRounds();
        app.MapDashboard();
        app.MapReports();
        app.MapGet("/api/health", () => Results.Json(new { status = "ok" }));
        app.MapGet("/api/whoami", (HttpContext http) =>
            PerformanceTeamAccess.Read(http) is { } p ? Results.Json(p) : Results.Problem("Not signed in.", statusCode: 401));
        if (app.ServiceProvider.GetRequiredService<HostingOptions>().LocalMailbox) app.MapLocalMailbox();
        if (app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment()) app.MapDevelopmentSignIn();
        return app;
    }

    /// <summary>Creates tables and containers (the local mailbox's only where it is served); call once before
    /// serving.</summary>
    public static async Task InitialiseAsync(this WebApplication app, CancellationToken ct = default)
    {
        await app.Services.GetRequiredService<RoundEngine>().InitialiseAsync(ct);
        if (app.Services.GetRequiredService<HostingOptions>().LocalMailbox)
            await app.Services.GetRequiredService<LocalMailbox>().InitialiseAsync(ct);
    }

    /// <summary>What an area's registration needs: the services, the configuration and the environment.</summary>
    private sealed record Area(IServiceCollection Services, IConfiguration Configuration, IHostEnvironment Environment)
    {
        public void Bind<T>(string section) where T : class => Services.AddValidatedOptions<T>(section);
    }

    /// <summary>
    /// Binds an options class once from its section, checks it against its attributes when the app starts (a bad
    /// setting stops it there, naming the setting), and lets services take the class itself.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }

    private static Area AddStorage(this Area area)
    {
        area.Bind<StorageOptions>(StorageOptions.Section);
        area.Services.AddSingleton<StorageMeter>();
        // Built once: the first construction costs about 0.4 s, later ones microseconds (storage-sdk.md).
        area.Services.AddSingleton(sp =>
            StorageClients.Tables(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<StorageMeter>()));
        area.Services.AddSingleton(sp =>
            StorageClients.Blobs(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<StorageMeter>()));
        return area;
    }

    private static Area AddRegister(this Area area)
    {
        area.Services.AddSingleton<RegisterStore>();
        return area;
    }

    private static Area AddRounds(this Area area)
    {
        area.Bind<ChaseOptions>(ChaseOptions.Section);
        area.Services.AddSingleton(WorkingCalendar.Default);
        area.Services.AddSingleton<ChasePolicy>();
        area.Services.AddSingleton<RoundStore>();
        area.Services.AddSingleton<EffectDispatcher>();
        area.Services.AddSingleton<RoundActivities>();
        area.Services.AddSingleton<RoundEngine>();
        area.Services.AddSingleton<RoundRunner>();
        area.Services.AddSingleton<RoundAdmin>();
        // By name, so an engine hosting them (and a test of a deployment) finds each one's code.
        area.Services.TryAddKeyedTransient<Microsoft.DurableTask.ITaskOrchestrator, RoundOrchestration>(
            RoundOrchestration.Name);
        area.Services.TryAddKeyedTransient<Microsoft.DurableTask.ITaskOrchestrator, LeadOrchestration>(
            LeadOrchestration.Name);
        return area;
    }

    private static Area AddForm(this Area area)
    {
        area.Bind<FormOptions>(FormOptions.Section);
        area.Services.AddSingleton<FormLinks>();
        area.Services.AddSingleton<FormService>();
        area.Services.AddSingleton<SaveTickets>();
        area.Services.AddSingleton<LinkGuard>();
        // Anti-forgery keys live in Blob Storage so every instance, and every restart, accepts every other's tokens.
        area.Services.AddDataProtection().SetApplicationName("KaWorkflow");
        area.Services.AddOptions<KeyManagementOptions>().Configure<BlobServiceClient, StorageOptions>((keys, blobs, storage) =>
            keys.XmlRepository = new BlobKeyRepository(blobs.GetBlobContainerClient(storage.KeysContainer)));
        var development = area.Environment.IsDevelopment();
        area.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ka-form";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            // In Azure the browser sees HTTPS even though the host forwards plain HTTP to the handler.
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.FormFieldName = "__RequestVerificationToken";
            o.SuppressXFrameOptionsHeader = true; // the CSP's frame-ancestors already says no framing
        });
        return area;
    }

    private static Area AddMail(this Area area)
    {
        area.Bind<MailOptions>(MailOptions.Section); // Sender and PerformanceTeam have no default: a council sets them
        area.Services.AddSingleton<GraphMailSender>();
        area.Services.AddSingleton<MailPacer>();
        area.Services.AddSingleton<LocalMailbox>();
        return area;
    }

    private static Area AddReports(this Area area)
    {
        area.Bind<ReportOptions>(ReportOptions.Section);
        area.Services.AddSingleton<ReportStore>();
        area.Services.AddSingleton<ReportAssembler>();
        return area;
    }
}
