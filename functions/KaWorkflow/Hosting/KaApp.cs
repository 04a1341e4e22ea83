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
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KaWorkflow.Hosting;

/// <summary>
/// The app both hosts run: its services (<see cref="AddKaWorkflow"/>), its pipeline
/// (<see cref="UseKaWorkflowPipeline"/>)
/// and its route table (<see cref="MapKaWorkflow"/>). The Functions app adds the Durable Functions client; the local
/// host (<c>KaWorkflow.Local</c>) adds Kestrel, its own durable engine and its development helpers.
/// </summary>
public static class KaApp
{
    /// <summary>Every service the app's pages, API and round orchestration need, bound from configuration.</summary>
    /// <remarks>Where the durable client comes from (<see cref="IDurableClients"/>) is the host's to add.</remarks>
    public static IServiceCollection AddKaWorkflow(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment)
    {
        var area = new Area(services, configuration, environment);
        area.AddAccess();
        services.AddSingleton<AdjustableClock>();
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<AdjustableClock>());
        area.AddStorage().AddRegister().AddRounds().AddForm().AddMail().AddReports();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<History.HistoryStore>();
        services.AddSingleton<PageMessages>();
        services.AddSingleton(FrontEnd.Load()); // every page's styles and scripts
        services.AddRouting();
        services.AddRazorComponents(); // the pages are components, rendered on the server only
        // Endpoint routing needs these; a web host registers them, a bare pipeline (the Functions worker's) may not.
        services.TryAddSingleton(new System.Diagnostics.DiagnosticListener("KaWorkflow"));
        services.TryAddSingleton<System.Diagnostics.DiagnosticSource>(sp =>
            sp.GetRequiredService<System.Diagnostics.DiagnosticListener>());
        area.Bind<ProxyOptions>(ProxyOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<ProxyOptions>((o, proxies) =>
        {
            // The front end (App Service's, or the Functions host) forwards plain HTTP and says the browser used HTTPS;
            // only the proxies named in the settings are believed.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = proxies.ForwardLimit;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in proxies.Addresses()) o.KnownProxies.Add(address);
        });
        return services;
    }

    /// <summary>Forwarded headers, security headers and <c>Server-Timing</c> on every response, every request's
    /// storage deadline (<see cref="StorageDeadline"/>), then routing, sign-in and the access policy; the host maps
    /// the endpoints after it.</summary>
    public static IApplicationBuilder UseKaWorkflowPipeline(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer"; // form links carry their token in the path
            headers["Content-Security-Policy"] =
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
                "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
            headers.CacheControl = "no-store";
            var development = context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment();
            if (!development && context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
            // The local host's own /dev routes (its mailbox, which the app calls over loopback) are not app pages.
            if (!development && !context.Request.IsHttps && context.Request.Path != "/api/health"
                && !context.Request.Path.StartsWithSegments("/dev"))
            {
                await RefusePlainHttpAsync(context);
                return;
            }
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
        }).UseMiddleware<StorageDeadline>().UseRouting().UseAuthentication().UseAuthorization();
    }

    /// <summary>
    /// Outside Development every page needs HTTPS: its cookies are sent over HTTPS only. A request that still looks
    /// like plain HTTP came straight to the app, or through a proxy not named in <see cref="ProxyOptions"/>; it gets a
    /// page saying so, and the operator a line in the log.
    /// </summary>
    private static async Task RefusePlainHttpAsync(HttpContext context)
    {
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KaApp)).LogWarning(
            "Refused a plain HTTP request from {Address} for {Path}: open the site over https://, and check that the " +
            "proxy in front of the app is in Proxy:KnownProxies and sends X-Forwarded-Proto.",
            context.Connection.RemoteIpAddress, context.Request.Path.Value);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("This site must be opened over HTTPS. Use the https:// address you were "
            + "given. If you did, tell the performance team: the app was told the request came over plain HTTP.");
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
        // Also the post-deployment check of what the app sees of its client through the proxies in front.
        app.MapGet("/api/health", (HttpContext http, ILogger<ProxyOptions> log) =>
        {
            var client = http.Connection.RemoteIpAddress?.ToString();
            log.LogInformation("Health check from {Client} over {Scheme}", client, http.Request.Scheme);
            return Results.Json(new { status = "ok", client, scheme = http.Request.Scheme });
        });
        app.MapGet("/api/whoami", (HttpContext http) => http.User.Identity is { IsAuthenticated: true } who
            ? Results.Json(new
            {
                who.Name, Source = http.User.FindFirst(SignInAuthentication.SourceClaim)?.Value,
                Roles = http.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value),
            })
            : Results.Problem("Not signed in.", statusCode: 401));
        app.MapGet("/", () => Results.Redirect("/api/dashboard")); // the performance team's front door
        return app;
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

    /// <summary>Sign-in as one authentication scheme, and the performance team's policy on its pages and API.</summary>
    private static Area AddAccess(this Area area)
    {
        area.Bind<AccessOptions>(AccessOptions.Section);
        area.Services.AddAuthentication(SignInAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SignInAuthentication>(SignInAuthentication.SchemeName, null);
        area.Services.AddAuthorization();
        area.Services.AddOptions<AuthorizationOptions>().Configure<AccessOptions>((o, access) =>
            o.AddPolicy(SignInAuthentication.PerformanceTeamPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(c => PerformanceTeamAccess.HoldsRole(c.User, access.PerformanceTeamRole))));
        return area;
    }

    private static Area AddStorage(this Area area)
    {
        area.Bind<StorageOptions>(StorageOptions.Section);
        area.Services.AddSingleton<StorageMeter>();
        area.Services.AddSingleton<MissingStorage>();
        area.Services.AddSingleton<AppStorage>();
        // Built once: the first construction costs about 0.4 s, later ones microseconds.
        area.Services.AddSingleton(sp =>
            StorageClients.Tables(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<StorageMeter>(),
                sp.GetRequiredService<MissingStorage>()));
        area.Services.AddSingleton(sp =>
            StorageClients.Blobs(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<StorageMeter>(),
                sp.GetRequiredService<MissingStorage>()));
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
        area.Services.AddOptions<KeyManagementOptions>().Configure<BlobServiceClient, StorageOptions>(
            (keys, blobs, storage) =>
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
