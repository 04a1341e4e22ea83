using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreStatus = DurableTask.Core.OrchestrationStatus;

namespace KaWorkflow.Hosting;

/// <summary>
/// The local engine's client (DurableTask.Core's <see cref="TaskHubClient"/>) seen as the Durable Task SDK's
/// <see cref="DurableTaskClient"/>, the client the Functions host hands the app in Azure: so the app starts, tells and
/// reads orchestrations in one way on every host.
/// </summary>
/// <remarks>Only what the app uses is here: starting, raising events, reading, ending, suspending.</remarks>
public sealed class TaskHubDurableClient(TaskHubClient client) : DurableTaskClient("local")
{
    private static readonly CoreStatus[] Live = [CoreStatus.Running, CoreStatus.Pending, CoreStatus.Suspended];

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName,
        object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        try
        {
            // (name, version, id, input, tags, dedupe): the three-string overload would take the id as the version.
            await client.CreateOrchestrationInstanceAsync(orchestratorName.Name, "", id, input, null, Live);
        }
        catch (OrchestrationAlreadyExistsException e)
        {
            throw new InvalidOperationException($"Orchestration {id} is already running.", e);
        }
        return id;
    }

    /// <remarks>By instance id alone: the execution id changes at every continue-as-new, and an event addressed to
    /// an old one is lost.</remarks>
    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null,
        CancellationToken cancellation = default) =>
        client.RaiseEventAsync(new OrchestrationInstance { InstanceId = instanceId }, eventName, eventPayload!);

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId,
        bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        await client.GetOrchestrationStateAsync(instanceId) is { } state ? Metadata(state) : null;

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null,
        CancellationToken cancellation = default) =>
        client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId },
            options?.Output?.ToString() ?? "terminated");

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null,
        CancellationToken cancellation = default) =>
        client.SuspendInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null,
        CancellationToken cancellation = default) =>
        client.ResumeInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason);

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId,
        bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId,
        bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, m => m.IsCompleted, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        throw new NotSupportedException("Listing instances is not used by the app.");

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<OrchestrationMetadata> PollAsync(string instanceId, Func<OrchestrationMetadata, bool> done,
        CancellationToken ct)
    {
        while (true)
        {
            if (await GetInstancesAsync(instanceId, true, ct) is { } m && done(m)) return m;
            await Task.Delay(50, ct);
        }
    }

    private static OrchestrationMetadata Metadata(OrchestrationState state) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            RuntimeStatus = (OrchestrationRuntimeStatus)(int)state.OrchestrationStatus, // the same numbers
            CreatedAt = state.CreatedTime, LastUpdatedAt = state.LastUpdatedTime,
            SerializedInput = state.Input, SerializedOutput = state.Output, SerializedCustomStatus = state.Status,
            FailureDetails = state.FailureDetails is { } f
                ? new TaskFailureDetails(f.ErrorType, f.ErrorMessage, f.StackTrace, null, null)
                : state.OrchestrationStatus == CoreStatus.Failed
                    ? new TaskFailureDetails("Failed", state.Output ?? "", null, null, null) : null,
        };
}
