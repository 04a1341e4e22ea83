using System.Security.Cryptography;
using Azure.Data.Tables;
using KaWorkflow.Storage;

namespace KaWorkflow.Form;

/// <summary>Whom a form link belongs to: a lead's return, and the delegate using it when it is not the lead.</summary>
public sealed record LinkGrant(string RoundId, string LeadKey, int Generation, string? Delegate = null);

/// <summary>
/// Unguessable form links: 256 random bits, stored only as a SHA-256 hash, each scoped to one lead in one round.
/// Every e-mail carries a fresh token of the return's current generation; re-sending an invite moves the
/// generation on, which revokes every older link at once.
/// </summary>
/// <remarks>
/// Resolved grants are cached in memory: a grant never changes once issued (revoking works through the return's
/// generation and delegate, which every request reads anyway), so the cache saves a storage read per request
/// without ever letting a revoked link through.
/// </remarks>
public sealed class FormLinks(TableServiceClient service, StorageOptions options, TimeProvider clock)
{
    private const int CacheLimit = 20_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LinkGrant> _grants = new(StringComparer.Ordinal);

    /// <summary>One row per issued link, keyed by the token's hash.</summary>
    public TableClient Table { get; } = service.GetTableClient(options.TablePrefix + "tokens");

    /// <param name="delegateEmail">Set for a delegate's own link, so the return records who saved with it.</param>
    public async Task<string> IssueAsync(string roundId, string leadKey, int generation,
        CancellationToken ct = default, string? delegateEmail = null)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        await Table.AddCheckedAsync(new TableEntity(Hash(token), "t")
        {
            ["RoundId"] = roundId, ["LeadKey"] = leadKey, ["Generation"] = generation,
            ["IssuedAt"] = clock.GetUtcNow(), ["Delegate"] = delegateEmail,
        }, ct);
        return token;
    }

    /// <summary>The grant behind a token, or null; malformed tokens are refused without a storage call.</summary>
    public async Task<LinkGrant?> ResolveAsync(string token, CancellationToken ct = default)
    {
        if (token.Length != 43 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        var hash = Hash(token);
        if (_grants.TryGetValue(hash, out var known)) return known;
        var row = await Table.GetOrNullAsync(hash, "t", ct);
        if (row is null) return null; // unknown tokens are not cached: guessing keeps costing a read, and the guard limits it
        var grant = new LinkGrant(row.GetRequiredString("RoundId"), row.GetRequiredString("LeadKey"), row.GetInt("Generation"),
            row.GetString("Delegate"));
        if (_grants.Count >= CacheLimit) _grants.Clear();
        _grants[hash] = grant;
        return grant;
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
