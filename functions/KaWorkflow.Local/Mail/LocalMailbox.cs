using System.Net.Mail;
using System.Text.Json;
using Azure.Data.Tables;
using KaWorkflow.Storage;

namespace KaWorkflow.Mail;

/// <summary>A message the local mailbox accepted.</summary>
public sealed record MailboxMessage(DateTimeOffset ReceivedAt, string From, IReadOnlyList<string> To,
    IReadOnlyList<string> Cc, string Subject, string Body,
    string? Reference = null);

/// <summary>
/// A Graph-compatible mailbox for local runs and tests: accepts <c>POST /v1.0/users/{sender}/sendMail</c> as Graph
/// does (202, or a Graph error body) and keeps the messages in Table Storage so they survive restarts.
/// </summary>
/// <remarks>
/// Recipients on the reserved <c>.invalid</c> domain are refused with 400, as Exchange refuses unknown ones; going over
/// <see cref="Hosting.HostingOptions.LocalMailboxPerMinute"/> gets 429, as Exchange throttles a mailbox.
/// </remarks>
public sealed class LocalMailbox(
    TableServiceClient service, StorageOptions options, TimeProvider clock, Hosting.HostingOptions hosting)
{
    private readonly Queue<DateTimeOffset> _recent = new();

    private int _throttled, _accepted;

    /// <summary>How many messages this instance refused with 429 (over the per-minute limit, or in a storm).</summary>
    public int Throttled => _throttled;

    /// <summary>How many messages this instance accepted.</summary>
    public int Accepted => _accepted;

    /// <summary>Raised once a message is stored, before the sender is answered: a rehearsal's simulated leads look at
    /// their mail then.</summary>
    public event Action? Delivered;

    /// <summary>Exchange Online's limit, on the app's clock: over it, 429 with Retry-After as Graph answers.</summary>
    private bool OverLimit(out int retryAfterSeconds)
    {
        var now = clock.GetUtcNow();
        lock (_recent)
        {
            while (_recent.Count > 0 && _recent.Peek() <= now.AddMinutes(-1)) _recent.Dequeue();
            retryAfterSeconds = _recent.Count == 0 ? 0 : Math.Max(1, (int)Math.Ceiling((_recent.Peek().AddMinutes(1) - now).TotalSeconds));
            if (hosting.LocalMailboxPerMinute > 0 && _recent.Count >= hosting.LocalMailboxPerMinute)
            {
                Interlocked.Increment(ref _throttled);
                return true;
            }
            _recent.Enqueue(now);
            return false;
        }
    }

    private readonly TableClient _table = service.GetTableClient(options.TablePrefix + "devmailbox");

    public Task InitialiseAsync(CancellationToken ct = default) => _table.CreateIfNotExistsAsync(ct);

    public async Task<IResult> AcceptAsync(string sender, HttpRequest request)
    {
        JsonElement message;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body);
            message = Prop(doc.RootElement, "message") ?? throw new KeyNotFoundException();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException)
        {
            return GraphError(400, "ErrorInvalidRequest", "The request body is not a sendMail request.");
        }
        var to = Addresses(message, "toRecipients");
        var cc = Addresses(message, "ccRecipients");
        if (to.Count == 0) return GraphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid.");
        var bad = to.Concat(cc).FirstOrDefault(a => !MailAddress.TryCreate(a, out _) || a.EndsWith(".invalid",
            StringComparison.OrdinalIgnoreCase));
        if (bad is not null) return GraphError(400, "ErrorInvalidRecipients", $"Recipient '{bad}' is not valid.");
        if (hosting.LocalMailboxDeniedUntil is { } until && clock.GetUtcNow() < until)
            return GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        if (hosting.LocalMailboxThrottledUntil is { } storm && clock.GetUtcNow() < storm)
        {
            Interlocked.Increment(ref _throttled);
            request.HttpContext.Response.Headers.RetryAfter = "1";
            return GraphError(429, "ApplicationThrottled", "Mailbox concurrency limit exceeded (a storm).");
        }
        if (OverLimit(out var retryAfter))
        {
            request.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return GraphError(429, "ApplicationThrottled", "Mailbox concurrency limit exceeded (local mailbox, as Exchange Online).");
        }
        DateTimeOffset now;
        string key;
        lock (_writing)
        {
            // In the order accepted, even at one instant (a rehearsal's clock stands still while it waits for work).
            now = clock.GetUtcNow();
            key = $"{Key(now)}-{++_sequence:D10}-{Guid.NewGuid():N}";
            _writing.Add(key);
        }
        try
        {
            await StoreAsync(key, now, sender, to, cc, message);
        }
        finally
        {
            lock (_writing) _writing.Remove(key);
        }
        Interlocked.Increment(ref _accepted);
        Delivered?.Invoke();
        return Results.StatusCode(202);
    }

    /// <summary>Keys of messages being stored: a later message may be stored first, so readers wait for
    /// these.</summary>
    private readonly SortedSet<string> _writing = new(StringComparer.Ordinal);

    private long _sequence;

    private static string Key(DateTimeOffset at) => $"{at.UtcTicks:D19}";

    private async Task StoreAsync(string key, DateTimeOffset now, string sender, List<string> to, List<string> cc,
        JsonElement message)
    {
        await _table.AddCheckedAsync(new TableEntity("mail", key)
        {
            ["From"] = sender, ["To"] = string.Join(";", to), ["Cc"] = string.Join(";", cc), ["ReceivedAt"] = now,
            ["Subject"] = Prop(message, "subject")?.GetString() ?? "",
            ["Body"] = Prop(message, "body") is { } b ? Prop(b, "content")?.GetString() ?? "" : "",
            ["Reference"] = Prop(message, "internetMessageHeaders") is { ValueKind: JsonValueKind.Array } headers
                ? headers.EnumerateArray().Where(h => Prop(h,
                    "name")?.GetString() == GraphMailSender.ReferenceHeader).Select(h => Prop(h, "value")?.GetString()).FirstOrDefault()
                : null,
        });
    }

    /// <summary>Every message stored so far, oldest first.</summary>
    public async Task<List<MailboxMessage>> ListAsync(CancellationToken ct = default) =>
        ToMessages(await _table.QueryListAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"mail"}"), ct));

    /// <summary>Messages accepted after <paramref name="cursor"/> (null: from the first), oldest first, and the cursor
    /// to pass next time. Nothing is skipped and nothing comes twice.</summary>
    /// <remarks>For a reader in the process that accepts the mail (the simulated leads): keys are given in the order
    /// messages are accepted, but they are stored side by side, so one may land after a later one. Only messages
    /// accepted before this call, and before the earliest still being stored, are returned; the rest come next
    /// time.</remarks>
    public async Task<(List<MailboxMessage> Messages, string? Cursor)> ListSinceAsync(string? cursor,
        CancellationToken ct = default)
    {
        string horizon;
        lock (_writing)
        {
            // Below every key given from now on (a later instant, or this one with a higher number), so a message
            // accepted while this query runs cannot land before the cursor it returns.
            horizon = $"{Key(clock.GetUtcNow())}-{_sequence + 1:D10}";
            if (_writing.Count > 0 && string.CompareOrdinal(_writing.Min, horizon) < 0) horizon = _writing.Min!;
        }
        var rows = await _table.QueryListAsync(cursor is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {"mail"} and RowKey lt {horizon}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {"mail"} and RowKey gt {cursor} and RowKey lt {horizon}"),
            ct);
        return (ToMessages(rows), rows.LastOrDefault()?.RowKey ?? cursor);
    }

    private static List<MailboxMessage> ToMessages(List<TableEntity> rows)
    {
        var messages = rows.Select(e => new MailboxMessage(
            e.GetDateTimeOffset("ReceivedAt")!.Value, e.GetRequiredString("From"), Split(e.GetString("To")),
            Split(e.GetString("Cc")), e.GetString("Subject") ?? "", e.GetString("Body") ?? "", e.GetString("Reference")));
        return messages.ToList();
    }

    private static List<string> Split(string? s) => (s ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static List<string> Addresses(JsonElement message, string name) =>
        Prop(message, name) is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(r => Prop(r, "emailAddress") is { } e ? Prop(e, "address")?.GetString() ?? "" : "").ToList()
            : [];

    /// <summary>Graph matches JSON property names case-insensitively (the SDK sends <c>Message</c>), so this does
    /// too.</summary>
    private static JsonElement? Prop(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().Where(p => p.Name.Equals(name,
                StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value.Clone()).FirstOrDefault()
            : null;

    private static IResult GraphError(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);
}
