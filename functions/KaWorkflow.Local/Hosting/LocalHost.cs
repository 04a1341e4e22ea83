using KaWorkflow.Mail;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;

namespace KaWorkflow.Hosting;

/// <summary>
/// The local host: the app's own services, headers and route table (<see cref="KaApp"/>, as the Functions app runs
/// them) on Kestrel, with the local durable engine and the schedule check in place of the Functions host's, and the
/// development helpers (the local mailbox, the development sign-in) where they are turned on.
/// </summary>
public static class LocalHost
{
    /// <summary>The web app, the durable engine (<see cref="LocalDurableEngine"/>, unless <paramref name="engine"/>
    /// adds another) and, unless turned off, the schedule check.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null,
        Action<IServiceCollection>? engine = null)
    {
        var builder = WebApplication.CreateBuilder(
            new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false); // says nothing of what runs here
        builder.Services.AddKaWorkflow(builder.Configuration, builder.Environment);
        builder.Services.AddValidatedOptions<HostingOptions>(HostingOptions.Section);
        builder.Services.AddSingleton<LocalMailbox>();
        builder.Services.AddSingleton<DevelopmentSignIn>();
        builder.Services.AddSingleton<SessionClock>();
        builder.Services.AddSingleton<ISignInSource>(sp => sp.GetRequiredService<DevelopmentSignIn>());
        if (engine is null) builder.Services.AddLocalDurableEngine();
        else engine(builder.Services);
        var hosting = builder.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>();
        if (hosting is not { RunSchedule: false }) builder.Services.AddHostedService<ScheduleLoop>();

        var app = builder.Build();
        app.UseKaWorkflowPipeline();
        app.MapKaWorkflow();
        if (app.Services.GetRequiredService<HostingOptions>().LocalMailbox) app.MapLocalMailbox();
        if (app.Environment.IsDevelopment())
        {
            DevelopmentSignIn.Map(app);
            SessionClock.Map(app);
        }
        return app;
    }

    /// <summary>The local durable engine, its client the app's <see cref="IDurableClients"/>, started and stopped with
    /// the app.</summary>
    public static IServiceCollection AddLocalDurableEngine(this IServiceCollection services)
    {
        services.AddValidatedOptions<DurableOptions>(DurableOptions.Section);
        services.AddSingleton<DurableStorageMeter>();
        services.AddSingleton<LocalDurableEngine>();
        services.AddSingleton<IDurableClients>(sp => sp.GetRequiredService<LocalDurableEngine>());
        services.AddHostedService(sp => sp.GetRequiredService<LocalDurableEngine>());
        return services;
    }

    /// <summary>Creates tables and containers (the local mailbox's only where it is served); call once before
    /// serving.</summary>
    public static async Task InitialiseAsync(this WebApplication app, CancellationToken ct = default)
    {
        await app.Services.GetRequiredService<AppStorage>().CreateAsync(ct);
        if (app.Services.GetRequiredService<HostingOptions>().LocalMailbox)
            await app.Services.GetRequiredService<LocalMailbox>().InitialiseAsync(ct);
    }
}
