namespace KaWorkflow.Rounds;

/// <summary>
/// Starts and wakes rounds' orchestrations through the durable engine's client: the local engine here, the Durable
/// Functions extension in Azure. Events go by instance id alone (see durable.md: an execution id is lost after
/// continue-as-new).
/// </summary>
public interface IRoundRunner
{
    /// <summary>Starts the round's orchestration unless one is already running; false if one was.</summary>
    Task<bool> StartAsync(string roundId, CancellationToken ct = default);

    /// <summary>
    /// Tells the round that something changed (a submission, an action), starting its orchestration again if it had
    /// finished. Returns the wake-up's number, which the round reports once it has taken it into account.
    /// </summary>
    Task<long> WakeAsync(string roundId, CancellationToken ct = default);

    /// <summary>
    /// Tells a running round that something changed, with one message and no read: for a lead's submission, which
    /// can only happen while the round is open. Should its orchestration have died, the event is dropped, and the
    /// hourly check starts the round again from Table Storage, where the submission already is.
    /// </summary>
    Task<long> NotifyAsync(string roundId, CancellationToken ct = default);
}
