using Azure;
using Azure.Data.Tables;
using KaWorkflow.Storage;

namespace KaWorkflow.Mail;

/// <summary>
/// Holds sending to <see cref="MailOptions.MessagesPerMinute"/> through the one mailbox, however many instances of the
/// app send: the mailbox has that many slots in Table Storage, each recording when its latest message goes, and a
/// message books (ETag-guarded) the slot that frees first, for a minute after that slot's latest. So no minute holds
/// more, and a backlog is given its times at once: each waiting message wakes once, at its own time, instead of all
/// of them every minute to race for the few slots that free.
/// </summary>
/// <remarks>Two storage requests a message: the slots are read in one query, one is booked. Exchange Online allows
/// 30 messages a minute per mailbox, whichever instance sends them.</remarks>
public sealed class MailPacer(TableServiceClient service, StorageOptions storage, MailOptions options,
    TimeProvider clock)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The table holding every sending mailbox's slots, a partition each.</summary>
    public TableClient Table { get; } = service.GetTableClient(storage.TablePrefix + "pacing");

    private string Partition => options.Sender.ToLowerInvariant();

    /// <summary>Books a slot for one message: now, or the earliest time one frees up.</summary>
    /// <returns>When the message may go, its slot held for it until then (now or earlier: at once); null when other
    /// instances took every slot it tried, so it should try again in a moment.</returns>
    public async Task<DateTimeOffset?> BookAsync(CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var now = clock.GetUtcNow();
            var slots = (await Table.QueryListAsync(
                TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), ct)).ToDictionary(s => s.RowKey);
            var (key, at) = Enumerable.Range(0, options.MessagesPerMinute).Select(n => n.ToString("D4"))
                .Select(k => (Key: k, At: slots.TryGetValue(k, out var slot)
                    ? Later(now, slot.GetDateTimeOffset("SentAt")!.Value + Minute) : now))
                // Of the slots free now, one at random: another instance booking at the same moment likely takes
                // another.
                .OrderBy(s => s.At).ThenBy(_ => Random.Shared.Next()).First();
            var row = new TableEntity(Partition, key) { ["SentAt"] = at };
            try
            {
                if (slots.TryGetValue(key, out var slot)) await Table.ReplaceCheckedAsync(row, slot.ETag, ct);
                else await Table.AddCheckedAsync(row, ct);
                return at;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance booked it first: look again.
            }
        }
        return null;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
