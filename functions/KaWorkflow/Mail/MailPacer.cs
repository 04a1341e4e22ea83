using Azure;
using Azure.Data.Tables;
using KaWorkflow.Storage;

namespace KaWorkflow.Mail;

/// <summary>
/// Holds sending to <see cref="MailOptions.MessagesPerMinute"/> through the one mailbox, however many instances of the
/// app send: the mailbox has that many slots in Table Storage, each recording when it last sent, and a message may go
/// only by claiming (ETag-guarded) a slot that has not sent in the last minute. So no minute, counted from any
/// moment, holds more.
/// </summary>
/// <remarks>Two storage requests a message: the slots are read in one query, one is claimed. Exchange Online allows
/// 30 messages a minute per mailbox, whichever instance sends them.</remarks>
public sealed class MailPacer(TableServiceClient service, StorageOptions storage, MailOptions options,
    TimeProvider clock)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The table holding every sending mailbox's slots, a partition each.</summary>
    public TableClient Table { get; } = service.GetTableClient(storage.TablePrefix + "pacing");

    private string Partition => options.Sender.ToLowerInvariant();

    /// <summary>Takes a slot for one message now; or, when the last minute has none free, says when one frees
    /// up.</summary>
    /// <returns>Null when the message may go now; otherwise the earliest time it may.</returns>
    public async Task<DateTimeOffset?> TryTakeAsync(CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var now = clock.GetUtcNow();
            var slots = await Table.QueryListAsync(
                TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), ct);
            var used = slots.ToDictionary(s => s.RowKey);
            var free = Enumerable.Range(0, options.MessagesPerMinute).Select(n => n.ToString("D4"))
                .Where(key => !used.TryGetValue(key, out var slot) || slot.GetDateTimeOffset("SentAt") <= now - Minute)
                .ToList();
            if (free.Count == 0) return used.Values.Min(s => s.GetDateTimeOffset("SentAt")!.Value) + Minute;
            // A free slot at random: another instance claiming at the same moment most likely takes another.
            var key = free[Random.Shared.Next(free.Count)];
            var row = new TableEntity(Partition, key) { ["SentAt"] = now };
            try
            {
                if (used.TryGetValue(key, out var slot)) await Table.ReplaceCheckedAsync(row, slot.ETag, ct);
                else await Table.AddCheckedAsync(row, ct);
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance claimed it first: look again.
            }
        }
        return clock.GetUtcNow() + TimeSpan.FromSeconds(2); // contended: try again in a moment
    }
}
