using Azure;
using Azure.Data.Tables;
using KaWorkflow.Storage;

namespace KaWorkflow.Register;

/// <summary>The current register in Table Storage: one row per activity, replaced as a whole by an import.</summary>
public sealed class RegisterStore(TableServiceClient service, StorageOptions options)
{
    private const string Partition = "current";
    public TableClient Table { get; } = service.GetTableClient(options.TablePrefix + "register");

    public async Task<IReadOnlyList<KeyActivity>> LoadAsync(CancellationToken ct = default)
    {
        var rows = await Table.QueryListAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), ct);
        return rows.Select(ToActivity).OrderBy(a => a.Order).ToList();
    }

    /// <summary>Replaces the register: upserts every activity and removes the ones no longer listed.</summary>
    /// <remarks>
    /// Not atomic beyond 100 rows (Table Storage's limit), but idempotent: importing the same file again
    /// after a failure converges. Running rounds are unaffected: they hold their own snapshot.
    /// </remarks>
    /// <summary>What replacing the stored register with <paramref name="next"/> would change.</summary>
    public async Task<RegisterChanges> ChangesAsync(IReadOnlyList<KeyActivity> next, CancellationToken ct = default) =>
        RegisterChanges.Between(await LoadAsync(ct), next);

    public async Task<RegisterImportSummary> ReplaceAsync(IReadOnlyList<KeyActivity> activities, CancellationToken ct = default)
    {
        var existing = await Table.QueryListAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), ct);
        var keep = activities.Select(a => a.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var operations = activities.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(a)))
            .Concat(existing.Where(e => !keep.Contains(e.RowKey)).Select(e => new TableTransactionAction(
                TableTransactionActionType.Delete, new TableEntity(Partition, e.RowKey), ETag.All)))
            .ToList();
        foreach (var chunk in operations.Chunk(AzureTableLimits.MaxActions))
            await Table.SubmitCheckedAsync(chunk, ct);
        var before = existing.Select(e => e.RowKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new RegisterImportSummary(activities.Count,
            activities.Count(a => !before.Contains(a.Code)),
            existing.Count(e => !keep.Contains(e.RowKey)),
            activities.Select(a => a.LeadKey).Distinct().Count());
    }

    private static TableEntity ToEntity(KeyActivity a) => new(Partition, a.Code)
    {
        ["Order"] = a.Order, ["Theme"] = a.Theme, ["Objective"] = a.Objective, ["Title"] = a.Title,
        ["LeadName"] = a.LeadName, ["LeadEmail"] = a.LeadEmail, ["Team"] = a.Team, ["Portfolio"] = a.Portfolio,
        ["PreviousStatus"] = a.PreviousStatus?.ToString(), ["PreviousProgress"] = a.PreviousProgress,
        ["PreviousNextSteps"] = a.PreviousNextSteps, ["EscalationEmail"] = a.EscalationEmail,
    };

    private static KeyActivity ToActivity(TableEntity e) => new(
        e.GetInt("Order"), e.GetRequiredString("Theme"), e.GetString("Objective"), e.RowKey, e.GetRequiredString("Title"),
        e.GetRequiredString("LeadName"), e.GetRequiredString("LeadEmail"), e.GetString("Team"), e.GetString("Portfolio"),
        Enum.TryParse<RagStatus>(e.GetString("PreviousStatus"), out var s) ? s : null,
        e.GetString("PreviousProgress"), e.GetString("PreviousNextSteps"), e.GetString("EscalationEmail"));
}

/// <summary>What an import changed.</summary>
public sealed record RegisterImportSummary(int Activities, int Added, int Removed, int Leads);
