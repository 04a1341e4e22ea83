using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KaWorkflow.Storage;

/// <summary>One row of a table: its keys, its ETag and typed properties (string, bool, int, long, double, DateTimeOffset).</summary>
public sealed partial class TableEntity
{
    /// <summary>Azure's limits, which Azurite does not enforce (storage-rest.md): checked here so tests catch what Azure would refuse.</summary>
    public const int MaxStringLength = 32_768, MaxProperties = 252, MaxEntityBytes = 1024 * 1024;

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }
    public string RowKey { get; }
    public string? ETag { get; set; }
    public DateTimeOffset? Timestamp { get; private set; }
    public Dictionary<string, object?> Properties { get; } = new(StringComparer.Ordinal);

    public object? this[string name]
    {
        get => Properties.GetValueOrDefault(name);
        set => Properties[name] = value;
    }

    public string? GetString(string name) => Properties.GetValueOrDefault(name) as string;
    public string GetRequiredString(string name) => GetString(name) ?? throw new InvalidDataException($"{RowKey} has no {name}.");

    public long? GetInt64(string name) => Properties.GetValueOrDefault(name) switch
    {
        long l => l, int i => i, double d => (long)d, string s when long.TryParse(s, out var p) => p, _ => null,
    };

    public int GetInt32(string name, int fallback = 0) => (int)(GetInt64(name) ?? fallback);

    public bool GetBool(string name) => Properties.GetValueOrDefault(name) is true;

    public DateTimeOffset? GetDateTime(string name) => Properties.GetValueOrDefault(name) switch
    {
        DateTimeOffset d => d, DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)), _ => null,
    };

    /// <summary>Checks the keys and Azure's size limits before anything is sent.</summary>
    public void Validate()
    {
        CheckKey(PartitionKey, "PartitionKey");
        CheckKey(RowKey, "RowKey");
        if (Properties.Count > MaxProperties)
            throw new ArgumentException($"Entity {RowKey} has {Properties.Count} properties; Azure allows {MaxProperties}.");
        long bytes = 4 + 2 * (PartitionKey.Length + RowKey.Length);
        foreach (var (name, value) in Properties)
        {
            if (!PropertyName().IsMatch(name))
                throw new ArgumentException($"'{name}' is not a valid table property name.");
            if (value is string s && s.Length > MaxStringLength)
                throw new ArgumentException($"Property {name} of {RowKey} is {s.Length} characters; Azure allows {MaxStringLength}.");
            bytes += 8 + 2 * name.Length + value switch
            {
                string s2 => 4 + 2 * s2.Length, null => 0, DateTimeOffset or long or double => 8, int => 4, bool => 1, _ => 16,
            };
        }
        if (bytes > MaxEntityBytes)
            throw new ArgumentException($"Entity {RowKey} is about {bytes} bytes; Azure allows {MaxEntityBytes}.");
    }

    public static void CheckKey(string key, string what)
    {
        if (key.Length > 1024 || key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
            throw new ArgumentException($"{what} '{key}' contains a character Table Storage forbids (/ \\ # ? or a control character).");
    }

    internal string ToJson()
    {
        var json = new JsonObject { ["PartitionKey"] = PartitionKey, ["RowKey"] = RowKey };
        foreach (var (name, value) in Properties)
        {
            switch (value)
            {
                case null: break;
                case string s: json[name] = s; break;
                case bool b: json[name] = b; break;
                case int i: json[name] = i; break;
                case long l:
                    json[name] = l.ToString(CultureInfo.InvariantCulture);
                    json[name + "@odata.type"] = "Edm.Int64";
                    break;
                case double d: json[name] = d; json[name + "@odata.type"] = "Edm.Double"; break;
                case DateTimeOffset d:
                    json[name] = d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                    json[name + "@odata.type"] = "Edm.DateTime";
                    break;
                default: throw new ArgumentException($"Property {name} has unsupported type {value.GetType().Name}.");
            }
        }
        return json.ToJsonString();
    }

    internal static TableEntity FromJson(JsonElement element)
    {
        var entity = new TableEntity(element.GetProperty("PartitionKey").GetString()!, element.GetProperty("RowKey").GetString()!);
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.Contains('@') || name.StartsWith("odata.", StringComparison.Ordinal))
                continue;
            var type = element.TryGetProperty(name + "@odata.type", out var t) ? t.GetString() : null;
            var v = property.Value;
            if (name == "Timestamp")
            {
                entity.Timestamp = DateTimeOffset.Parse(v.GetString()!, CultureInfo.InvariantCulture);
                continue;
            }
            entity.Properties[name] = type switch
            {
                "Edm.Int64" => long.Parse(v.GetString()!, CultureInfo.InvariantCulture),
                "Edm.DateTime" => DateTimeOffset.Parse(v.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                "Edm.Double" => v.ValueKind == JsonValueKind.String ? double.Parse(v.GetString()!, CultureInfo.InvariantCulture) : v.GetDouble(),
                _ => v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number when v.TryGetInt32(out var i) => i,
                    JsonValueKind.Number => v.GetDouble(),
                    _ => null,
                },
            };
        }
        if (element.TryGetProperty("odata.etag", out var etag))
            entity.ETag = etag.GetString();
        return entity;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
    private static partial Regex PropertyName();
}
