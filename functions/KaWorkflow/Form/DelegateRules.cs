using System.Globalization;
using System.Text.RegularExpressions;
using KaWorkflow.Register;

namespace KaWorkflow.Form;

/// <summary>
/// Who a lead may name as their delegate. The council's mailbox e-mails the delegate their own link, so the name and
/// address are checked as strictly as anything the council sends: one line of plain text, an address at an allowed
/// domain. Pure: the form's handler supplies the domains.
/// </summary>
public static partial class DelegateRules
{
    public const int MaxNameLength = 100;

    /// <summary>What is wrong with the name, or null.</summary>
    /// <remarks>A name is letters, marks, spaces and the punctuation names use. The name goes into an e-mail, so
    /// nothing that changes how text reads (a right-to-left override, a zero-width or a line separator) and
    /// nothing that reads as a web address.</remarks>
    public static string? NameProblem(string name) =>
        name.Length == 0 ? "Enter their name"
        : name.Length > MaxNameLength ? $"Their name must be {MaxNameLength} characters or fewer"
        : name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator) ? "Enter their name on one line"
        : name.Contains("://", StringComparison.Ordinal) || name.Contains("www.", StringComparison.OrdinalIgnoreCase)
            || name.IndexOfAny(['<', '>', '@', '/']) >= 0 || WebAddress().IsMatch(name)
            ? "Enter just their name, without links or addresses"
        : !name.All(InNames) ? "Enter their name using only letters, spaces, hyphens, apostrophes and full stops"
        : null;

    /// <summary>Whether a character may be part of a name.</summary>
    private static bool InNames(char c) =>
        char.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        || char.IsLetter(c) || NamePunctuation.Contains(c);

    private const string NamePunctuation = "'’‘-‐‑.,()";

    /// <summary>A word, a dot and two letters or more with no space between: evil.example, not "Dr. Pat".</summary>
    [GeneratedRegex(@"[\p{L}\p{N}-]\.\p{L}{2,}")]
    private static partial Regex WebAddress();

    /// <summary>What is wrong with the address, or null.</summary>
    /// <param name="allowedDomains">Lower-case domains a delegate may have.</param>
    public static string? EmailProblem(string email, string leadEmail, IReadOnlySet<string> allowedDomains) =>
        email.Length == 0 ? "Enter their work e-mail address"
        : !EmailAddress.IsPlain(email) ? "Enter an e-mail address in the correct format, like name@council.gov.uk"
        : email.Equals(leadEmail, StringComparison.OrdinalIgnoreCase) ? "Enter someone else's address: this form is already yours"
        : !allowedDomains.Contains(EmailAddress.DomainOf(email))
            ? $"Enter an address at {string.Join(" or ", allowedDomains.Order(StringComparer.Ordinal))}"
            : null;

    /// <summary>The configured domains, or else those of the round's leads.</summary>
    public static IReadOnlySet<string> AllowedDomains(string? configured, IEnumerable<string> leadEmails) =>
        (configured is { Length: > 0 }
            ? configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : leadEmails.Select(EmailAddress.DomainOf))
        .Select(d => d.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
}
