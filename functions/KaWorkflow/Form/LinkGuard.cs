using System.Threading.RateLimiting;

namespace KaWorkflow.Form;

/// <summary>
/// Slows down anyone guessing form links: each client address may fail to resolve a link only so many times per
/// window, after which links that do not work are refused (429) until the window moves on. A link that works is never
/// refused, so a lead cannot be locked out by someone else's guesses from behind the same address.
/// </summary>
/// <remarks>
/// Per instance, deliberately: a link has 256 random bits, so guessing one is hopeless whatever the limit; the limit
/// slows scanning and keeps the logs readable, and 20 failures a window on each of a few instances does the same.
/// </remarks>
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

    /// <summary>
    /// The client's address as the nearest trusted proxy saw it: the forwarded-headers middleware has put the last
    /// <c>X-Forwarded-For</c> entry (the one the proxy appended) into the connection's address. Entries before it are
    /// the client's own say and are never trusted.
    /// </summary>
    public static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public void Dispose() => _failures.Dispose();
}
