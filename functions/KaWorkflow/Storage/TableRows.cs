using Azure;
using Azure.Data.Tables;

namespace KaWorkflow.Storage;

/// <summary>
/// Our conventions over <see cref="TableClient"/>: every write checked against <see cref="AzureTableLimits"/>,
/// null properties left out (a replace then removes them, as a missing value should), queries read to the end.
/// </summary>
public static class TableRows
{
    /// <summary>Commits the actions atomically and sets each written entity's new ETag.</summary>
    /// <exception cref="TableTransactionFailedException">Nothing was applied; <c>Status</c> 409 or 412 says
    /// why.</exception>
    public static async Task SubmitCheckedAsync(this TableClient table, IReadOnlyList<TableTransactionAction> actions,
        CancellationToken ct = default)
    {
        foreach (var action in actions) DropNulls(action.Entity);
        AzureTableLimits.CheckTransaction(actions);
        var responses = (await table.SubmitTransactionAsync(actions, ct)).Value;
        for (var i = 0; i < actions.Count && i < responses.Count; i++)
            if (actions[i].ActionType != TableTransactionActionType.Delete && responses[i].Headers.ETag is { } etag)
                actions[i].Entity.ETag = etag;
    }

    /// <summary>Inserts a new row; a row with those keys already there throws with status 409.</summary>
    public static async Task AddCheckedAsync(this TableClient table, TableEntity entity, CancellationToken ct = default)
    {
        Check(entity);
        entity.ETag = (await table.AddEntityAsync(entity, ct)).Headers.ETag ?? default;
    }

    /// <summary>Insert-or-replace with no concurrency check.</summary>
    public static async Task UpsertCheckedAsync(this TableClient table, TableEntity entity, CancellationToken ct = default)
    {
        Check(entity);
        entity.ETag = (await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct)).Headers.ETag ?? default;
    }

    /// <summary>Insert-or-merge: sets the given properties and keeps the others.</summary>
    public static async Task MergeCheckedAsync(this TableClient table, TableEntity entity, CancellationToken ct = default)
    {
        Check(entity);
        entity.ETag = (await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, ct)).Headers.ETag ?? default;
    }

    /// <summary>Replaces a row only if unchanged since it was read with <paramref name="etag"/>; else status
    /// 412.</summary>
    public static async Task ReplaceCheckedAsync(this TableClient table, TableEntity entity, ETag etag,
        CancellationToken ct = default)
    {
        Check(entity);
        entity.ETag = (await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct)).Headers.ETag ?? default;
    }

    /// <summary>One row, or null if there is none.</summary>
    public static async Task<TableEntity?> GetOrNullAsync(this TableClient table, string partitionKey, string rowKey,
        CancellationToken ct = default)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Every row matching the filter, following the SDK's pages to the end.</summary>
    /// <param name="filter">Built with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>.</param>
    public static async Task<List<TableEntity>> QueryListAsync(this TableClient table, string? filter,
        CancellationToken ct = default)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) rows.Add(row);
        return rows;
    }

    /// <summary>A string property that must be there.</summary>
    public static string GetRequiredString(this TableEntity row, string name) =>
        row.GetString(name) ?? throw new InvalidDataException($"Row {row.RowKey} has no {name}.");

    /// <summary>A whole number stored as Int32 or Int64 (the SDK converts neither into the other), or the
    /// fallback.</summary>
    public static int GetInt(this TableEntity row, string name, int fallback = 0) => row.TryGetValue(name, out var v)
        ? v switch { int i => i, long l => checked((int)l), double d => (int)d, _ => fallback }
        : fallback;

    /// <summary>The row's ETag as our records keep it: null for a row never read or written.</summary>
    public static string? ETagText(this ITableEntity row) => row.ETag == default ? null : row.ETag.ToString();

    /// <summary>The ETag for a record's stored text; none (insert only) when it has none.</summary>
    public static ETag ToETag(string? text) => text is null ? default : new ETag(text);

    private static void Check(TableEntity entity)
    {
        DropNulls(entity);
        AzureTableLimits.CheckEntity(entity);
    }

    private static void DropNulls(ITableEntity entity)
    {
        if (entity is not TableEntity row) return;
        foreach (var name in row.Where(p => p.Value is null).Select(p => p.Key).ToList()) row.Remove(name);
    }
}
