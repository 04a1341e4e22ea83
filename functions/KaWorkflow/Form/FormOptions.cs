using System.ComponentModel.DataAnnotations;
namespace KaWorkflow.Form;

/// <summary>How form links are built and what the form accepts.</summary>
public sealed class FormOptions
{
    public const string Section = "Form";

    /// <summary>The app's public address, used in the links e-mailed to leads (for example
    /// <c>https://ka.example.gov.uk</c>).</summary>
    /// <remarks>Wrong here means every e-mailed link is dead: check it after each deployment.</remarks>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Longest progress text a lead may give for one activity, in characters.</summary>
    [Range(100, 30_000)] // a Table Storage string holds 32K characters
    public int MaxProgressLength { get; set; } = 4_000;

    /// <summary>Longest next-steps text for one activity, in characters.</summary>
    [Range(100, 30_000)]
    public int MaxNextStepsLength { get; set; } = 2_000;

    /// <summary>Days a link keeps showing the submitted return read-only after its round completes or closes; after
    /// that it has expired.</summary>
    [Range(0, 365)]
    public int LinkGraceDays { get; set; } = 28;

    /// <summary>
    /// The e-mail domains a lead's delegate may have, comma-separated (<c>council.gov.uk, partner.gov.uk</c>). Empty:
    /// the domains of the round's leads.
    /// </summary>
    /// <remarks>The council's mailbox sends the delegate's link: this stops a form link being used to mail
    /// anyone.</remarks>
    public string? DelegateDomains { get; set; }

    /// <summary>Failed link look-ups one client address may make per window before it is refused for a while.</summary>
    /// <remarks>Counted per instance; with several instances a guesser gets this many per instance, still far too few
    /// to matter against 256-bit links.</remarks>
    [Range(1, int.MaxValue)]
    public int GuessesPerWindow { get; set; } = 20;

    /// <summary>The window for <see cref="GuessesPerWindow"/>, in minutes.</summary>
    [Range(1, 1440)]
    public int GuessWindowMinutes { get; set; } = 15;

    public string LinkFor(string token) => $"{PublicBaseUrl.TrimEnd('/')}/api/forms/{token}";
}
