using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace KaWorkflow.Dashboard;

/// <summary>
/// The message a dashboard page shows after an action sends the browser back to it ("Register replaced", "Give a
/// reason"). It travels in the address, so it is protected and short-lived: a link made elsewhere cannot put its
/// own words in the council's success banner or error summary.
/// </summary>
public sealed class PageMessages(IDataProtectionProvider protection)
{
    /// <summary>How long a message can be shown after it was written: long enough for the redirect and a
    /// reload.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("KaWorkflow.Dashboard.PageMessages").ToTimeLimitedDataProtector();

    /// <summary>The message as it goes in the address.</summary>
    /// <remarks>On the wall clock, not the business clock: a rehearsal's fast clock would expire it at once.</remarks>
    public string Protect(string message) => _protector.Protect(message, TimeProvider.System.GetUtcNow() + Lifetime);

    /// <summary>The message the app wrote, or null for anything else (text typed into the address, an expired or
    /// altered value).</summary>
    public string? Read(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        try { return _protector.Unprotect(value); }
        catch (CryptographicException) { return null; }
    }
}
