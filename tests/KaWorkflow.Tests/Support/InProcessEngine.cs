using KaWorkflow.Hosting;
using KaWorkflow.Rounds;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Support;

/// <summary>Which durable engine a test app runs its orchestrations on.</summary>
public enum Engine
{
    /// <summary>DurableTask.Core with its Azure Storage backend on Azurite: the local host's.</summary>
    Local,

    /// <summary>The Durable Task SDK's own gRPC worker (the path the Functions host drives in Azure) on
    /// Microsoft.DurableTask.InProcessTestHost's in-memory sidecar.</summary>
    InProcess,
}

/// <summary>Adds the in-memory sidecar and the SDK's gRPC worker, running the app's orchestrations and
/// activities, with its client as the app's <see cref="IDurableClients"/>.</summary>
public static class InProcessEngine
{
    public static void Add(IServiceCollection services)
    {
        services.AddInMemoryDurableTask(registry =>
        {
            registry.AddOrchestrator(RoundOrchestration.Name, typeof(RoundOrchestration));
            registry.AddOrchestrator(LeadOrchestration.Name, typeof(LeadOrchestration));
            foreach (var activity in LocalDurableEngine.ActivityTypes) registry.AddActivity(activity.Name, activity);
        }, new InMemoryDurableTaskOptions { Port = Azurite.FreePort() });
        services.AddSingleton<IDurableClients>(sp => new Clients(sp.GetRequiredService<DurableTaskClient>()));
    }

    private sealed class Clients(DurableTaskClient client) : IDurableClients
    {
        public DurableTaskClient Client => client;
    }
}
