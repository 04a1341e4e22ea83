using KaWorkflow.Hosting;
using KaWorkflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KaWorkflow.Functions;

/// <summary>The Functions app's composition: what <c>Program.cs</c> adds to the worker, and what the tests run a
/// quarter through.</summary>
public static class FunctionsApp
{
    private const string ApplicationInsightsLogger =
        "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>The app's services, the Durable Functions client as its durable client, the HTTP function's pipeline,
    /// its tables and containers created at start, and telemetry that carries the app's Information logs.</summary>
    public static IServiceCollection AddKaWorkflowFunctions(this IServiceCollection services,
        IConfiguration configuration, IHostEnvironment environment)
    {
        // First, so the tables and containers are there before the data protection key ring is read at start.
        services.AddHostedService<AppStorageAtStart>();
        services.AddKaWorkflow(configuration, environment);
        services.AddFunctionsDurableClients();
        services.AddSingleton<AppPipeline>();
        services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        // The worker's Application Insights logger keeps only warnings unless this rule goes; the worker's own levels
        // (Information by default) then decide, so the hourly check's restarts and the mail sent reach the logs.
        services.Configure<LoggerFilterOptions>(options =>
        {
            if (options.Rules.FirstOrDefault(r => r.ProviderName == ApplicationInsightsLogger) is { } warningsOnly)
                options.Rules.Remove(warningsOnly);
        });
        return services;
    }
}
