using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace KaWorkflow.Storage;

/// <summary>One operation of an entity-group transaction.</summary>
public sealed record TableOperation(TableOperationKind Kind, TableEntity Entity)
{
    public static TableOperation Insert(TableEntity e) => new(TableOperationKind.Insert, e);
    /// <summary>Replace guarded by the entity's ETag, or insert-or-replace when it has none.</summary>
    public static TableOperation Replace(TableEntity e) => new(TableOperationKind.Replace, e);
    public static TableOperation Delete(TableEntity e) => new(TableOperationKind.Delete, e);
}

public enum TableOperationKind { Insert, Replace, Delete }

/// <summary>A transaction refused by the service; nothing in it was applied.</summary>
public sealed class TableTransactionFailedException(int status, string? errorCode, int failedIndex, string message)
    : RequestFailedException(status, message, errorCode, null)
{
    /// <summary>0-based index of the operation the service refused.</summary>
    public int FailedIndex { get; } = failedIndex;
}

/// <summary>A small Table Storage client over REST: CRUD with ETags, paged queries and entity-group transactions.</summary>
/// <remarks>Exists because Azure.Data.Tables does not restore here (platform.md).</remarks>
public sealed partial class TableStore
{
    private const string Version = "2019-02-02";
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    /// <summary>Counts every request sent, so tests and benchmarks can state what an operation costs.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);
    private long _requests;

    public TableStore(StorageAccount account)
    {
        _pipeline = StoragePipeline.Build(account, forTables: true);
        _endpoint = account.TableEndpoint;
    }

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Post, "Tables");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { TableName = table })));
        var response = await SendAsync(message, ct);
        if (response.Status is not (201 or 204 or 409))
            throw new RequestFailedException(response);
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Get, EntityPath(table, partitionKey, rowKey));
        var response = await SendAsync(message, ct);
        if (response.Status == 404) return null;
        if (response.Status != 200) throw new RequestFailedException(response);
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        var entity = TableEntity.FromJson(doc.RootElement);
        entity.ETag = ETagOf(response) ?? entity.ETag;
        return entity;
    }

    /// <summary>Every row matching an OData filter, following continuation tokens across pages.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(string table, string? filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string? nextPk = null, nextRk = null;
        do
        {
            var query = new List<string>();
            if (filter is not null) query.Add("$filter=" + Uri.EscapeDataString(filter));
            if (nextPk is not null) query.Add("NextPartitionKey=" + Uri.EscapeDataString(nextPk));
            if (nextRk is not null) query.Add("NextRowKey=" + Uri.EscapeDataString(nextRk));
            using var message = Create(RequestMethod.Get, $"{table}()" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
            var response = await SendAsync(message, ct);
            if (response.Status != 200) throw new RequestFailedException(response);
            response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out nextPk);
            response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out nextRk);
            using var doc = JsonDocument.Parse(response.Content.ToMemory());
            foreach (var row in doc.RootElement.GetProperty("value").EnumerateArray())
                yield return TableEntity.FromJson(row);
        } while (nextPk is not null);
    }

    public async Task<List<TableEntity>> QueryListAsync(string table, string? filter, CancellationToken ct = default)
    {
        var list = new List<TableEntity>();
        await foreach (var e in QueryAsync(table, filter, ct)) list.Add(e);
        return list;
    }

    /// <summary>Inserts a new row; throws <see cref="RequestFailedException"/> with status 409 when it exists.</summary>
    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken ct = default) =>
        WriteAsync(RequestMethod.Post, table, table, entity, null, ct);

    /// <summary>Insert-or-replace, with no concurrency check.</summary>
    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken ct = default) =>
        WriteAsync(RequestMethod.Put, table, EntityPath(table, entity.PartitionKey, entity.RowKey), entity, null, ct);

    /// <summary>Replaces a row only if its ETag still matches; a stale ETag throws with status 412.</summary>
    public Task<string> ReplaceAsync(string table, TableEntity entity, CancellationToken ct = default) =>
        WriteAsync(RequestMethod.Put, table, EntityPath(table, entity.PartitionKey, entity.RowKey), entity,
            entity.ETag ?? throw new ArgumentException("Replace needs the ETag the row was read with."), ct);

    /// <summary>Insert-or-merge: sets the given properties and keeps the others.</summary>
    public Task<string> MergeAsync(string table, TableEntity entity, CancellationToken ct = default) =>
        WriteAsync(new RequestMethod("MERGE"), table, EntityPath(table, entity.PartitionKey, entity.RowKey), entity, entity.ETag, ct);

    public async Task DeleteAsync(string table, string partitionKey, string rowKey, string etag = "*", CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Delete, EntityPath(table, partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", etag);
        var response = await SendAsync(message, ct);
        if (response.Status is not (204 or 404)) throw new RequestFailedException(response);
    }

    private async Task<string> WriteAsync(RequestMethod method, string table, string path, TableEntity entity, string? ifMatch, CancellationToken ct)
    {
        entity.Validate();
        using var message = Create(method, path);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        if (ifMatch is not null) message.Request.Headers.SetValue("If-Match", ifMatch);
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(entity.ToJson()));
        var response = await SendAsync(message, ct);
        if (response.Status is not (201 or 204)) throw new RequestFailedException(response);
        return entity.ETag = ETagOf(response) ?? throw new InvalidDataException("The table service sent no ETag.");
    }

    /// <summary>
    /// Applies all operations atomically (one partition, at most 100, no row twice) and returns the new ETags,
    /// in order (null for deletes). Any refusal throws <see cref="TableTransactionFailedException"/> and applies nothing.
    /// </summary>
    public async Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        if (operations.Count == 0) return [];
        if (operations.Count > 100) throw new ArgumentException("A transaction holds at most 100 operations.");
        var partition = operations[0].Entity.PartitionKey;
        // Azurite accepts mixed partitions; Azure refuses them, so refuse them here too.
        if (operations.Any(o => o.Entity.PartitionKey != partition))
            throw new ArgumentException("Every operation of a transaction must share one PartitionKey.");
        if (operations.Select(o => o.Entity.RowKey).Distinct().Count() != operations.Count)
            throw new ArgumentException("A transaction may touch each row once.");

        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append($"--{batch}\r\nContent-Type: multipart/mixed; boundary={changeset}\r\n\r\n");
        for (var i = 0; i < operations.Count; i++)
        {
            var (kind, entity) = operations[i];
            var url = new Uri(_endpoint, kind == TableOperationKind.Insert ? table : EntityPath(table, entity.PartitionKey, entity.RowKey));
            var verb = kind switch { TableOperationKind.Insert => "POST", TableOperationKind.Replace => "PUT", _ => "DELETE" };
            body.Append($"--{changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            body.Append($"{verb} {url.AbsoluteUri} HTTP/1.1\r\nAccept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0;\r\nContent-ID: {i + 1}\r\n");
            if (kind == TableOperationKind.Delete || entity.ETag is not null)
                body.Append($"If-Match: {entity.ETag ?? "*"}\r\n");
            if (kind == TableOperationKind.Delete)
            {
                body.Append("\r\n");
                continue;
            }
            entity.Validate();
            body.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n").Append(entity.ToJson()).Append("\r\n");
        }
        body.Append($"--{changeset}--\r\n--{batch}--\r\n");
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        if (bytes.Length > 4 * 1024 * 1024) throw new ArgumentException("A transaction's body may not exceed 4 MiB.");

        using var message = Create(RequestMethod.Post, "$batch");
        message.Request.Headers.SetValue("Content-Type", $"multipart/mixed; boundary={batch}");
        message.Request.Content = RequestContent.Create(bytes);
        var response = await SendAsync(message, ct);
        if (response.Status != 202) throw new RequestFailedException(response);

        var text = response.Content.ToString();
        var statuses = StatusLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        if (statuses.Any(s => s >= 300))
        {
            var status = statuses.First(s => s >= 300);
            var code = ErrorCode().Match(text) is { Success: true } c ? c.Groups[1].Value : null;
            var index = FailedIndex().Match(text) is { Success: true } ix ? int.Parse(ix.Groups[1].Value) : -1;
            throw new TableTransactionFailedException(status, code, index, $"Transaction refused at operation {index}: {status} {code}");
        }
        if (statuses.Count != operations.Count)
            throw new InvalidDataException($"The transaction answered {statuses.Count} parts for {operations.Count} operations.");
        var etags = new List<string?>();
        var parts = StatusLine().Split(text).Skip(1).Where((_, i) => i % 2 == 1).ToList();
        for (var i = 0; i < operations.Count; i++)
        {
            var etag = ETagLine().Match(parts[i]) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
            if (operations[i].Kind != TableOperationKind.Delete) operations[i].Entity.ETag = etag;
            etags.Add(etag);
        }
        return etags;
    }

    private HttpMessage Create(RequestMethod method, string path)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(_endpoint, path));
        request.Headers.SetValue("x-ms-version", Version);
        request.Headers.SetValue("Accept", "application/json;odata=minimalmetadata");
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        if (method != RequestMethod.Get && method != RequestMethod.Delete)
            request.Headers.SetValue("Content-Type", "application/json");
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken ct)
    {
        Interlocked.Increment(ref _requests);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _pipeline.SendAsync(message, ct);
        }
        finally
        {
            StorageTiming.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        return message.Response;
    }

    private static string? ETagOf(Response response) => response.Headers.TryGetValue("ETag", out var etag) ? etag : null;

    /// <summary>The URL path of one row: quotes doubled, then each key percent-encoded (storage-rest.md).</summary>
    public static string EntityPath(string table, string partitionKey, string rowKey)
    {
        static string Key(string k) => Uri.EscapeDataString(k.Replace("'", "''"));
        return $"{table}(PartitionKey='{Key(partitionKey)}',RowKey='{Key(rowKey)}')";
    }

    /// <summary>A string literal for an OData filter.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

    [GeneratedRegex(@"HTTP/1\.1 (\d{3})[^\r\n]*\r?\n")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^ETag:\s*(.+)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ETagLine();

    [GeneratedRegex(@"""code""\s*:\s*""([^""]+)""")]
    private static partial Regex ErrorCode();

    [GeneratedRegex(@"""value""\s*:\s*""(\d+):")]
    private static partial Regex FailedIndex();
}
