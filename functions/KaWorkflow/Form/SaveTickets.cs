using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using KaWorkflow.Rounds;
using Microsoft.AspNetCore.DataProtection;

namespace KaWorkflow.Form;

/// <summary>
/// The page's save ticket: the link's grant and the return and activities exactly as stored when the form was shown,
/// ETags included, compressed and protected with the app's data-protection keys. The lead's browser carries it back,
/// so a save needs no read: it is one conditional transaction.
/// </summary>
/// <remarks>
/// Safe because of one rule the round keeps: anything that changes a lead's activities, link or delegate, or closes
/// the round, also rewrites that lead's return row (closing rewrites every return: <see cref="RoundDecisions.Seal"/>).
/// So a ticket that no longer tells the truth has a stale ETag, the transaction fails with 412, and the save falls
/// back to reading. A ticket cannot be forged or moved to another link: it is authenticated and names its token.
/// </remarks>
public sealed class SaveTickets(IDataProtectionProvider protection)
{
    /// <summary>The hidden field that carries the ticket.</summary>
    public const string Field = "ticket";

    private sealed record Ticket(string TokenHash, LinkGrant Grant, RoundHeader Header, LeadReturn Return,
        List<ReturnItem> Items);

    // Only the records' own fields: computed ones (a header's Quarter) are left out, and so are nulls.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        IgnoreReadOnlyProperties = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IDataProtector _protector = protection.CreateProtector("KaWorkflow.SaveTicket");

    /// <summary>A ticket for the form shown through <paramref name="token"/>.</summary>
    public string Issue(string token, LinkGrant grant, LeadView lead)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new Ticket(FormLinks.Hash(token), grant, lead.Header, lead.Return, lead.Items), Json);
        using var packed = new MemoryStream();
        using (var brotli = new BrotliStream(packed, CompressionLevel.Fastest)) brotli.Write(json);
        return Convert.ToBase64String(_protector.Protect(packed.ToArray()));
    }

    /// <summary>The grant and the lead as the page was shown, or null if the ticket is missing, altered, from older
    /// keys, or for another link.</summary>
    public (LinkGrant Grant, LeadView Lead)? Read(string? ticket, string token)
    {
        if (string.IsNullOrEmpty(ticket)) return null;
        try
        {
            var packed = _protector.Unprotect(Convert.FromBase64String(ticket));
            using var brotli = new BrotliStream(new MemoryStream(packed), CompressionMode.Decompress);
            var t = JsonSerializer.Deserialize<Ticket>(brotli, Json);
            if (t is null || t.TokenHash != FormLinks.Hash(token)) return null;
            return (t.Grant, new LeadView(t.Header, t.Return, t.Items, []));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException or InvalidDataException)
        {
            return null;
        }
    }
}
