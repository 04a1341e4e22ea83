using KaWorkflow.Rounds;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Functions;

/// <summary>
/// The app's durable client in Azure: the one the Functions host handed the current invocation through its
/// <c>[DurableClient]</c> binding (it is not in the services).
/// </summary>
public sealed class FunctionsDurableClients : IDurableClients
{
    private static readonly AsyncLocal<DurableTaskClient?> Current = new();

    /// <summary>Makes the invocation's client the one rounds are started and told with, until disposed.</summary>
    public static IDisposable Use(DurableTaskClient client)
    {
        Current.Value = client;
        return new Reset();
    }

    public DurableTaskClient Client =>
        Current.Value ?? throw new InvalidOperationException("No Durable Functions client for this invocation.");

    private sealed class Reset : IDisposable
    {
        public void Dispose() => Current.Value = null;
    }
}

/// <summary>Registers <see cref="FunctionsDurableClients"/> as the app's <see cref="IDurableClients"/>.</summary>
public static class FunctionsDurableClientsRegistration
{
    public static IServiceCollection AddFunctionsDurableClients(this IServiceCollection services) =>
        services.AddSingleton<IDurableClients, FunctionsDurableClients>();
}
