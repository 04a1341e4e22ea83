namespace KaWorkflow.Mail;

/// <summary>Keeps this instance's sending under the mailbox's per-minute limit, on the app's clock.</summary>
/// <remarks>Per process: two instances each keep to the limit, so scale-out should be capped (the template's maximum
/// instance count).</remarks>
public sealed class MailPacer(MailOptions options, TimeProvider clock)
{
    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly Lock _lock = new();

    /// <summary>Takes a slot for one message if the last minute has room.</summary>
    public bool TryTake()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            while (_recent.Count > 0 && _recent.Peek() <= now.AddMinutes(-1)) _recent.Dequeue();
            if (_recent.Count >= options.MessagesPerMinute) return false;
            _recent.Enqueue(now);
            return true;
        }
    }

    /// <summary>When the next slot frees up.</summary>
    public DateTimeOffset NextFree()
    {
        lock (_lock)
            return _recent.Count < options.MessagesPerMinute ? clock.GetUtcNow() : _recent.Peek().AddMinutes(1);
    }
}
