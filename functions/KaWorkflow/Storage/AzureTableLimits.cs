using System.Text.RegularExpressions;
using Azure.Data.Tables;

namespace KaWorkflow.Storage;

/// <summary>
/// Azure Table Storage's limits that Azurite does not enforce: checked before anything is sent, so a
/// test against Azurite fails where Azure would refuse, and a 101st action never reaches the SDK (which fails with an
/// unhelpful "Expected an HTTP status line" against Azurite).
/// </summary>
public static partial class AzureTableLimits
{
    public const int MaxActions = 100;
    public const int MaxStringLength = 32_768;
    public const int MaxProperties = 252;
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxKeyLength = 1024;

    private static readonly HashSet<string> SystemProperties =
        new(["PartitionKey", "RowKey", "Timestamp", "odata.etag"], StringComparer.Ordinal);

    /// <summary>Checks one transaction: 1 to 100 actions, one partition, each row once, every entity within
    /// limits.</summary>
    public static void CheckTransaction(IReadOnlyList<TableTransactionAction> actions)
    {
        if (actions.Count == 0)
            throw new ArgumentException("A transaction needs at least one action.");
        if (actions.Count > MaxActions)
            throw new ArgumentException($"A transaction holds at most {MaxActions} actions; this one has {actions.Count}.");
        var partition = actions[0].Entity.PartitionKey;
        if (actions.Any(a => a.Entity.PartitionKey != partition))
            throw new ArgumentException("Every action of a transaction must share one PartitionKey (Azure refuses others).");
        if (actions.Select(a => a.Entity.RowKey).Distinct(StringComparer.Ordinal).Count() != actions.Count)
            throw new ArgumentException("A transaction may touch each row once.");
        foreach (var action in actions)
            if (action.ActionType == TableTransactionActionType.Delete) CheckKeys(action.Entity);
            else CheckEntity(action.Entity);
    }

    /// <summary>Checks an entity's keys, property names, property count, string lengths and size.</summary>
    /// <remarks>Size is counted as Azure does (strings as UTF-16), not as Azurite does (UTF-8).</remarks>
    public static void CheckEntity(ITableEntity entity)
    {
        CheckKeys(entity);
        if (entity is not TableEntity row) return;
        var custom = row.Where(p => !SystemProperties.Contains(p.Key)).ToList();
        if (custom.Count > MaxProperties)
            throw new ArgumentException($"Row {row.RowKey} has {custom.Count} properties; Azure allows {MaxProperties}.");
        long bytes = 4 + 2 * (row.PartitionKey.Length + row.RowKey.Length);
        foreach (var (name, value) in custom)
        {
            if (!PropertyName().IsMatch(name))
                throw new ArgumentException($"'{name}' is not a valid table property name.");
            if (value is string s && s.Length > MaxStringLength)
                throw new ArgumentException(
                    $"Property {name} of {row.RowKey} is {s.Length} characters; Azure allows {MaxStringLength}.");
            bytes += 8 + 2 * name.Length + value switch
            {
                string text => 4 + 2 * text.Length,
                byte[] binary => 4 + binary.Length,
                BinaryData binary => 4 + binary.ToMemory().Length,
                null => 0,
                bool => 1,
                int => 4,
                _ => 8,
            };
        }
        if (bytes > MaxEntityBytes)
            throw new ArgumentException($"Row {row.RowKey} is about {bytes} bytes; Azure allows {MaxEntityBytes}.");
    }

    /// <summary>Refuses keys with characters Table Storage forbids (<c>/ \ # ?</c>, control characters) or too
    /// long.</summary>
    public static void CheckKey(string key, string what)
    {
        if (key.Length > MaxKeyLength || key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
            throw new ArgumentException(
                $"{what} '{key}' contains a character Table Storage forbids (/ \\ # ? or a control character).");
    }

    private static void CheckKeys(ITableEntity entity)
    {
        CheckKey(entity.PartitionKey, "PartitionKey");
        CheckKey(entity.RowKey, "RowKey");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
    private static partial Regex PropertyName();
}
