using Azure;
using Azure.Data.Tables;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Storage;

/// <summary>Our conventions over Azure.Data.Tables, against Azurite: types, nulls, ETags, transactions, paging, keys.</summary>
public sealed class TableRowsTests : IAsyncLifetime
{
    private readonly StorageMeter _meter = new();
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var storage = Azurite.Instance.NewStorage();
        _table = StorageClients.Tables(storage, _meter).GetTableClient(storage.TablePrefix + "rows");
        await _table.CreateAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static TableEntity Row(string pk, string rk, string? text = null) => new(pk, rk) { ["Text"] = text };

    [Fact]
    public async Task A_row_round_trips_with_every_type_the_app_stores()
    {
        var when = new DateTimeOffset(2020, 7, 7, 9, 30, 0, TimeSpan.Zero);
        await _table.AddCheckedAsync(new TableEntity("p", "r")
        {
            ["Text"] = "Zoë's <b>plan</b>", ["Count"] = 7, ["Big"] = 5_000_000_000L, ["Flag"] = true, ["At"] = when,
            ["Missing"] = null,
        });
        var row = (await _table.GetOrNullAsync("p", "r"))!;
        Assert.Equal("Zoë's <b>plan</b>", row.GetRequiredString("Text"));
        Assert.Equal(7, row.GetInt("Count"));
        Assert.Equal(5_000_000_000L, row.GetInt64("Big"));
        Assert.True(row.GetBoolean("Flag"));
        Assert.Equal(when, row.GetDateTimeOffset("At"));
        Assert.False(row.ContainsKey("Missing")); // nulls are left out, so a replace removes the old value
        Assert.Equal(3, row.GetInt("Absent", fallback: 3));
        Assert.NotNull(row.ETagText());
    }

    [Fact]
    public async Task Inserting_an_existing_row_is_a_conflict()
    {
        await _table.AddCheckedAsync(Row("p", "r"));
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddCheckedAsync(Row("p", "r")));
        Assert.Equal(409, e.Status);
    }

    [Fact]
    public async Task A_replace_with_a_stale_etag_is_refused_with_412_and_keeps_the_newer_text()
    {
        var first = Row("p", "r", "first");
        await _table.AddCheckedAsync(first);
        var stale = first.ETag;
        await _table.ReplaceCheckedAsync(Row("p", "r", "second tab"), stale);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => _table.ReplaceCheckedAsync(Row("p", "r", "first tab"), stale));
        Assert.Equal(412, e.Status);
        Assert.Equal("second tab", (await _table.GetOrNullAsync("p", "r"))!.GetString("Text"));
    }

    [Fact]
    public async Task A_transaction_sets_the_new_etags_on_what_it_wrote()
    {
        var a = Row("p", "a", "one");
        var b = Row("p", "b", "two");
        await _table.SubmitCheckedAsync([new(TableTransactionActionType.Add, a), new(TableTransactionActionType.Add, b)]);
        Assert.Equal((await _table.GetOrNullAsync("p", "a"))!.ETag, a.ETag);
        Assert.Equal((await _table.GetOrNullAsync("p", "b"))!.ETag, b.ETag);
    }

    [Fact]
    public async Task A_transaction_with_a_stale_etag_changes_nothing()
    {
        var head = Row("p", "head", "v1");
        await _table.AddCheckedAsync(head);
        var stale = head.ETag;
        await _table.UpsertCheckedAsync(Row("p", "head", "v2"));

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => _table.SubmitCheckedAsync([
            new(TableTransactionActionType.Add, Row("p", "new")),
            new(TableTransactionActionType.UpdateReplace, Row("p", "head", "v3"), stale),
        ]));
        Assert.Equal(412, e.Status);
        Assert.Equal(1, e.FailedTransactionActionIndex);
        Assert.Null(await _table.GetOrNullAsync("p", "new"));
        Assert.Equal("v2", (await _table.GetOrNullAsync("p", "head"))!.GetString("Text"));
    }

    [Fact]
    public async Task A_query_follows_the_pages_past_a_thousand_rows()
    {
        for (var batch = 0; batch < 11; batch++)
            await _table.SubmitCheckedAsync(Enumerable.Range(0, 100)
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, Row("many", $"{batch:D2}-{i:D3}")))
                .ToList());
        var before = _meter.RequestCount;
        var rows = await _table.QueryListAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"many"}"));
        Assert.Equal(1100, rows.Count);
        Assert.Equal(2, _meter.RequestCount - before); // Azure's page is 1,000 rows; the SDK's continuation was followed
    }

    [Fact]
    public async Task Keys_with_quotes_and_non_ascii_characters_are_found_by_filters()
    {
        await _table.UpsertCheckedAsync(Row("Q1 O'Neil", "Zoë & co|x", "found"));
        var rows = await _table.QueryListAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {"Q1 O'Neil"} and RowKey eq {"Zoë & co|x"}"));
        Assert.Equal("found", Assert.Single(rows).GetString("Text"));
    }

    [Fact]
    public async Task The_meter_counts_every_request_including_retries()
    {
        var before = _meter.RequestCount;
        await _table.UpsertCheckedAsync(Row("p", "counted"));
        await _table.GetOrNullAsync("p", "counted");
        Assert.Equal(2, _meter.RequestCount - before);
    }
}
