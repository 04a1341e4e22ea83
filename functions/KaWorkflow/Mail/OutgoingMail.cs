namespace KaWorkflow.Mail;

/// <summary>A plain-text e-mail ready to send: plain text reads correctly in every client and cannot carry markup a
/// lead typed.</summary>
/// <param name="Reference">Which outbox row sent it (round and effect id), carried as an <c>X-KaWorkflow-Ref</c> header
/// so a repeat after a crash can be recognised.</param>
public sealed record OutgoingMail(IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Subject, string Body,
    string? Reference = null);

/// <summary>A send that can never succeed as it is (unknown recipient, malformed message): park it, do not
/// retry.</summary>
public sealed class PermanentMailFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Graph answered 403: the identity may not send as the mailbox yet. Right after deployment this is the Exchange
/// grant not having taken effect (it can take an hour or more), so the e-mail is held and tried again, never parked.
/// </summary>
public sealed class MailNotAllowedYet(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Graph still answered 429 (or 503) after the SDK's own retries: the e-mail is put off, never failed or
/// parked for it.</summary>
/// <param name="retryAfter">How long Graph asked to wait, if it said.</param>
public sealed class MailThrottled(string message, TimeSpan? retryAfter, Exception? inner = null)
    : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
