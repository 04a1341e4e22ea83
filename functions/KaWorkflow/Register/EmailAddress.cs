using System.Text.RegularExpressions;

namespace KaWorkflow.Register;

/// <summary>
/// The e-mail addresses the app accepts, for leads, escalation contacts and delegates alike: a plain
/// <c>name@domain.tld</c>. Quoted names, IP-literal domains and characters spreadsheets or shells treat specially
/// (<c>= | / # ?</c>) are refused; councils' addresses never need them.
/// </summary>
public static partial class EmailAddress
{
    public static bool IsPlain(string value) => value.Length <= 254 && Plain().IsMatch(value);

    /// <summary>The part after the @, lower-cased.</summary>
    public static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant();

    [GeneratedRegex(@"^[A-Za-z0-9._%+'-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex Plain();
}
