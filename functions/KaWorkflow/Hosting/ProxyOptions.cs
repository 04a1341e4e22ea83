using System.ComponentModel.DataAnnotations;
using System.Net;

namespace KaWorkflow.Hosting;

/// <summary>Which proxies in front of the app are believed when they say the client's address and scheme
/// (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>).</summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";

    /// <summary>The proxies' addresses, separated by commas. In Azure the Functions host hands each request to the
    /// worker from this machine's loopback address, with the front end's headers, so loopback is the default.</summary>
    [Required]
    public string KnownProxies { get; set; } = "127.0.0.1,::1";

    /// <summary>How many proxies in a row are believed: one, the nearest, unless another proxy is put in
    /// front.</summary>
    [Range(1, 5)]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>The addresses in <see cref="KnownProxies"/>.</summary>
    public IEnumerable<IPAddress> Addresses() =>
        KnownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(IPAddress.Parse);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var wrong = KnownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => !IPAddress.TryParse(a, out _)).ToList();
        if (wrong.Count > 0)
            yield return new ValidationResult($"Proxy:KnownProxies has {string.Join(", ", wrong)}, which is not an " +
                "IP address: list addresses separated by commas, such as 127.0.0.1,::1.", [nameof(KnownProxies)]);
    }
}
