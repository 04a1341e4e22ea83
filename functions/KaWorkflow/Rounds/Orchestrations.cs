using Microsoft.DurableTask;

namespace KaWorkflow.Rounds;

/// <summary>What the round's and the leads' orchestrations share: the version of their code, their activities'
/// retry policy, their instance ids, and business time turned into wall time.</summary>
public static class Orchestrations
{
    /// <summary>The version of the orchestrations' code, written into every input.</summary>
    /// <remarks>Bump it with any change to the calls either orchestration makes: the hourly check ends a round
    /// running an older version, with its leads, and starts it again from the tables (see the README). Versions 1
    /// and 2 were a single orchestration per round; version 3's leads read, sent and chased in three activities;
    /// version 4's set a fallback timer in a rehearsal that woke them.
    /// </remarks>
    public const int Version = 5;

    /// <summary>Storage or Graph trouble that outlasts the SDKs' own retries is retried here, with backoff.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(5)));

    /// <summary>The longest an orchestration sleeps before looking again, whatever its next business time.</summary>
    public static readonly TimeSpan LongestSleep = TimeSpan.FromDays(1);

    /// <summary>The observers' tokens an orchestration shows it has taken in: the latest few, as two observers may
    /// be waiting at once.</summary>
    public static IReadOnlyList<string> Saw(IReadOnlyList<string> seen, string? token) =>
        token is null ? seen : [.. seen.TakeLast(7), token];

    /// <summary>A lead's orchestration: one per lead and round.</summary>
    public static string LeadInstanceId(string roundId, string leadKey) => $"{roundId}|{leadKey}";

    /// <summary>Whether an instance id is a lead's (<see cref="LeadInstanceId"/>), not a round's.</summary>
    public static bool IsLeadInstance(string instanceId) => instanceId.Contains('|');

    /// <summary>Wall time until a business time, on a clock running at <paramref name="scale"/>, at most a day; null
    /// on a clock moved by hand (scale 0), where only an event moves an orchestration on.</summary>
    /// <remarks>A timer may fire early (up to a second was seen locally): the orchestration then reads that nothing
    /// is due yet and sleeps again for what is left.</remarks>
    public static TimeSpan? Sleep(DateTimeOffset now, DateTimeOffset? due, double scale)
    {
        if (scale <= 0) return null;
        if (due is not { } at) return LongestSleep;
        var wall = (at - now) / scale;
        return wall <= TimeSpan.Zero ? TimeSpan.Zero : wall < LongestSleep ? wall : LongestSleep;
    }
}
