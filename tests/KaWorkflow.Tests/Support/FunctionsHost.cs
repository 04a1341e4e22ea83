using System.Reflection;
using KaWorkflow.Functions;
using KaWorkflow.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KaWorkflow.Tests.Support;

/// <summary>
/// What the Functions host does with the app, done in the test process: the worker's services from the app's own
/// composition (<see cref="FunctionsApp.AddKaWorkflowFunctions"/>, as <c>Program.cs</c> calls it), its orchestrations
/// and activities registered from the <c>[Function]</c> methods themselves on the SDK's gRPC worker over
/// Microsoft.DurableTask.InProcessTestHost's in-memory sidecar, HTTP handed to the <c>Http</c> function from loopback
/// as the host's proxy does, and the timer function invoked as the host invokes it.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FunctionsHost(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    public string BaseUrl { get; }
    public IServiceProvider Services => _app.Services;
    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    /// <summary>Starts the worker with the settings Azure would give it (the template's), and only those.</summary>
    /// <param name="log">Where the app's log goes, if the test reads it.</param>
    public static async Task<FunctionsHost> StartAsync(IDictionary<string, string?> settings,
        ILoggerProvider? log = null)
    {
        var baseUrl = $"http://127.0.0.1:{Azurite.FreePort()}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear(); // no appsettings file of the test's: Azure gives app settings only
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Form:PublicBaseUrl"] = baseUrl; // where the e-mailed links lead
        builder.Logging.ClearProviders();
        if (log is not null) builder.Logging.AddProvider(log);
        builder.WebHost.UseUrls(baseUrl);
        builder.Services.AddKaWorkflowFunctions(builder.Configuration, builder.Environment);
        builder.Services.AddInMemoryDurableTask(Register, new InMemoryDurableTaskOptions { Port = Azurite.FreePort() });
        var app = builder.Build();
        var http = new HttpFunctions(app.Services.GetRequiredService<AppPipeline>());
        app.Run(context => http.Http(context.Request, app.Services.GetRequiredService<DurableTaskClient>()));
        await app.StartAsync();
        return new FunctionsHost(app, baseUrl);
    }

    /// <summary>The <c>QuarterlySchedule</c> function, invoked as its timer would.</summary>
    public Task RunScheduleAsync() =>
        Function<RoundFunctions>().QuarterlySchedule(new TimerInfo(), Client, new Invocation(Services));

    private T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>Every <c>[Function]</c> with an orchestration or activity trigger, by its function name.</summary>
    private static void Register(DurableTaskRegistry registry)
    {
        foreach (var method in typeof(RoundFunctions).GetMethods())
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { Name: var name }) continue;
            var parameters = method.GetParameters();
            if (parameters.Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null))
                registry.AddOrchestrator(name, () => new MethodOrchestrator(method));
            else if (parameters.Any(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null))
                registry.AddActivity(name, services => new MethodActivity(method, services));
        }
    }

    private static async Task<object?> ResultAsync(object? task)
    {
        await (Task)task!;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    private sealed class MethodOrchestrator(MethodInfo method) : ITaskOrchestrator
    {
        public Type InputType => method.GetParameters()[1].ParameterType;
        public Type OutputType => method.ReturnType.GenericTypeArguments.FirstOrDefault() ?? typeof(object);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
            ResultAsync(method.Invoke(null, [context, input]));
    }

    private sealed class MethodActivity(MethodInfo method, IServiceProvider services) : ITaskActivity
    {
        public Type InputType => method.GetParameters()[0].ParameterType;
        public Type OutputType => method.ReturnType.GenericTypeArguments.FirstOrDefault() ?? typeof(object);

        public Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            var function = ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
            return ResultAsync(method.Invoke(function, [input, new Invocation(services)]));
        }
    }

    /// <summary>The host's invocation context, as far as the app's functions read it.</summary>
    private sealed class Invocation(IServiceProvider services) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString();
        public override string FunctionId => "test";
        public override TraceContext TraceContext => null!;
        public override BindingContext BindingContext => null!;
        public override Microsoft.Azure.Functions.Worker.RetryContext RetryContext => null!;
        public override IServiceProvider InstanceServices { get; set; } = services;
        public override FunctionDefinition FunctionDefinition => null!;
        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
        public override IInvocationFeatures Features => null!;
        public override CancellationToken CancellationToken => CancellationToken.None;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
