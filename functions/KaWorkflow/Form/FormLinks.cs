using System.Security.Cryptography;
using KaWorkflow.Storage;

namespace KaWorkflow.Form;

/// <summary>Whom a form link belongs to: a lead's return, and the delegate using it when it is not the lead.</summary>
public sealed record LinkGrant(string RoundId, string LeadKey, int Generation, string? Delegate = null);

/// <summary>
/// Unguessable form links: 256 random bits, stored only as a SHA-256 hash, each scoped to one lead in one round.
/// Every e-mail carries a fresh token of the return's current generation; re-sending an invite moves the
/// generation on, which revokes every older link at once.
/// </summary>
public sealed class FormLinks(TableStore tables, StorageOptions options, TimeProvider clock)
{
    public string Table => options.TablePrefix + "tokens";

    /// <param name="delegateEmail">Set for a delegate's own link, so the return records who saved with it.</param>
    public async Task<string> IssueAsync(string roundId, string leadKey, int generation, CancellationToken ct = default, string? delegateEmail = null)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        await tables.InsertAsync(Table, new TableEntity(Hash(token), "t")
        {
            ["RoundId"] = roundId, ["LeadKey"] = leadKey, ["Generation"] = generation, ["IssuedAt"] = clock.GetUtcNow(), ["Delegate"] = delegateEmail,
        }, ct);
        return token;
    }

    /// <summary>The grant behind a token, or null; malformed tokens are refused without a storage call.</summary>
    public async Task<LinkGrant?> ResolveAsync(string token, CancellationToken ct = default)
    {
        if (token.Length != 43 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        var row = await tables.GetAsync(Table, Hash(token), "t", ct);
        return row is null ? null : new LinkGrant(row.GetRequiredString("RoundId"), row.GetRequiredString("LeadKey"), row.GetInt32("Generation"), row.GetString("Delegate"));
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
