namespace KaWorkflow.Hosting;

/// <summary>How the app runs: standalone with its own schedule check, or under the Functions host.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>Seconds between schedule checks (open the quarter's round when due, restart stalled rounds) when
    /// running standalone. Under the Functions host the <c>tick</c> timer trigger runs the check instead.</summary>
    [LocalOnly]
    public int ScheduleSeconds { get; set; } = 60;

    /// <summary>Whether to run the schedule check in the background; off under the Functions host and in the demo
    /// and tests, which run it by other means.</summary>
    [LocalOnly]
    public bool RunSchedule { get; set; } = true;

    /// <summary>Serve the Graph-compatible local mailbox at <c>/dev/graph</c> and <c>/dev/mailbox</c>. Never in Azure.</summary>
    [LocalOnly]
    public bool LocalMailbox { get; set; }

    /// <summary>Milliseconds the local mailbox waits before accepting each message, to make sending observable in tests.</summary>
    [LocalOnly]
    public int LocalMailboxDelayMs { get; set; }

    /// <summary>Messages a minute (on the app's clock) the local mailbox accepts before answering 429, as Exchange Online would; 0 for no limit.</summary>
    [LocalOnly]
    public int LocalMailboxPerMinute { get; set; } = 30;
}
