using System.ComponentModel.DataAnnotations;
namespace KaWorkflow.Mail;

/// <summary>Who mail comes from, where it goes for the performance team, and how fast it may be sent.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The mailbox every e-mail is sent from (<c>POST /users/{Sender}/sendMail</c>). Required.</summary>
    /// <remarks>No default: the app refuses to start without it rather than send from a placeholder.</remarks>
    [Required(ErrorMessage = "Set Mail:Sender, the mailbox e-mails are sent from."), EmailAddress]
    public string Sender { get; set; } = "";

    /// <summary>The performance team's shared address: told when a report is ready, copied on escalations, named as
    /// the contact. Required.</summary>
    /// <remarks>No default: escalations and report notices must not go to a placeholder address.</remarks>
    [Required(ErrorMessage = "Set Mail:PerformanceTeam, the performance team's address."), EmailAddress]
    public string PerformanceTeam { get; set; } = "";

    /// <summary>
    /// Graph's base URL. Empty means the real Microsoft Graph (<c>https://graph.microsoft.com/v1.0</c>) with the
    /// managed identity;
    /// the local run points it at the app's own Graph-compatible mailbox (<c>http://127.0.0.1:PORT/dev/graph/v1.0</c>).
    /// </summary>
    [Hosting.LocalOnly]
    public string? GraphBaseUrl { get; set; }

    /// <summary>Messages a minute the app sends through one mailbox.</summary>
    /// <remarks>Exchange Online allows about 30 a minute per mailbox; going over provokes 429s that slow
    /// everything.</remarks>
    [Range(1, 1000)]
    public int MessagesPerMinute { get; set; } = 30;

    /// <summary>Concurrent sendMail requests; Exchange Online allows 4 per mailbox.</summary>
    [Range(1, 32)]
    public int MaxConcurrentSends { get; set; } = 4;
}
