using System.Threading.RateLimiting;

namespace KaWorkflow.Form;

/// <summary>
/// Slows down anyone guessing form links: each client address may fail to resolve a link only so many times per
/// window, after which it is refused without a storage call until the window moves on.
/// </summary>
public sealed class LinkGuard(FormOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetSlidingWindowLimiter(client, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.GuessesPerWindow), Window = TimeSpan.FromMinutes(Math.Max(1, options.GuessWindowMinutes)),
            SegmentsPerWindow = 5, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Whether this client has used up its failures for now.</summary>
    public bool LockedOut(string client)
    {
        using var probe = _failures.AttemptAcquire(client, 0); // zero permits asks "any left?" without taking one
        return !probe.IsAcquired;
    }

    /// <summary>Counts one failed look-up against the client.</summary>
    public void Failed(string client) => _failures.AttemptAcquire(client, 1).Dispose();

    public TimeSpan RetryAfter => TimeSpan.FromMinutes(Math.Max(1, options.GuessWindowMinutes) / 5.0);

    /// <summary>The client's address: the configured front-end header's first entry, else the connection's.</summary>
    public string ClientOf(HttpContext http) =>
        options.ClientAddressHeader is { Length: > 0 } header && http.Request.Headers[header].ToString() is { Length: > 0 } forwarded
            ? forwarded.Split(',')[0].Trim()
            : http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public void Dispose() => _failures.Dispose();
}
