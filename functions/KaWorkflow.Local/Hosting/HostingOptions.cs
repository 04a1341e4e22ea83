using System.ComponentModel.DataAnnotations;
namespace KaWorkflow.Hosting;

/// <summary>How the local host runs: its schedule check and its Graph-compatible mailbox.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>Seconds between schedule checks (open the quarter's round when due, restart stalled rounds) in the
    /// local
    /// host. In Azure the <c>QuarterlySchedule</c> timer trigger runs the check hourly instead.</summary>
    [LocalOnly, Range(1, 3600)]
    public int ScheduleSeconds { get; set; } = 60;

    /// <summary>Whether the local host runs the schedule check in the background; the demo and tests run it by
    /// other means.</summary>
    [LocalOnly]
    public bool RunSchedule { get; set; } = true;

    /// <summary>Serve the Graph-compatible local mailbox at <c>/dev/graph</c> and <c>/dev/mailbox</c>. Never in
    /// Azure.</summary>
    [LocalOnly]
    public bool LocalMailbox { get; set; }

    /// <summary>Milliseconds the local mailbox waits before accepting each message, to make sending observable in
    /// tests.</summary>
    [LocalOnly, Range(0, 60_000)]
    public int LocalMailboxDelayMs { get; set; }

    /// <summary>Until when (on the app's clock) the local mailbox answers 403, as Graph does before an Exchange mailbox
    /// grant takes effect. For rehearsing a first deployment; empty normally.</summary>
    [LocalOnly]
    public DateTimeOffset? LocalMailboxDeniedUntil { get; set; }

    /// <summary>Until when (on the app's clock) the local mailbox answers every message 429, as Exchange does in a
    /// throttling storm. For tests; empty normally.</summary>
    [LocalOnly]
    public DateTimeOffset? LocalMailboxThrottledUntil { get; set; }

    /// <summary>Messages a minute (on the app's clock) the local mailbox accepts before answering 429, as Exchange
    /// Online would; 0 for no limit.</summary>
    [LocalOnly, Range(1, 100_000)]
    public int LocalMailboxPerMinute { get; set; } = 30;
}
