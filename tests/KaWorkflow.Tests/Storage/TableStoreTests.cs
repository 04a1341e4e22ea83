using Azure;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Storage;

public sealed class TableStoreTests
{
    private readonly TableStore _tables = new(StorageAccount.Parse(Azurite.Instance.ConnectionString));
    private readonly string _table = "t" + Guid.NewGuid().ToString("N")[..12];

    private async Task<TableStore> Ready()
    {
        await _tables.CreateTableIfNotExistsAsync(_table);
        return _tables;
    }

    private static TableEntity Row(string pk, string rk, string text = "x") => new(pk, rk) { ["Text"] = text };

    [Fact]
    public async Task A_row_round_trips_with_every_supported_type()
    {
        var tables = await Ready();
        var when = new DateTimeOffset(2020, 7, 7, 9, 30, 0, TimeSpan.Zero);
        var row = new TableEntity("p", "lead|a.b@council.example")
        {
            ["Text"] = "O'Brien <script>", ["Count"] = 3, ["Big"] = 5_000_000_000L, ["Flag"] = true, ["When"] = when, ["Ratio"] = 0.5,
        };
        await tables.InsertAsync(_table, row);
        var back = await tables.GetAsync(_table, "p", "lead|a.b@council.example");
        Assert.NotNull(back);
        Assert.Equal("O'Brien <script>", back!.GetString("Text"));
        Assert.Equal(3, back.GetInt32("Count"));
        Assert.Equal(5_000_000_000L, back.GetInt64("Big"));
        Assert.True(back.GetBool("Flag"));
        Assert.Equal(when, back.GetDateTime("When"));
        Assert.Equal(0.5, back["Ratio"]);
        Assert.NotNull(back.ETag);
    }

    [Fact]
    public async Task Inserting_an_existing_row_is_a_conflict()
    {
        var tables = await Ready();
        await tables.InsertAsync(_table, Row("p", "r"));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => tables.InsertAsync(_table, Row("p", "r")));
        Assert.Equal(409, error.Status);
    }

    [Fact]
    public async Task A_replace_with_a_stale_etag_is_refused_with_412()
    {
        var tables = await Ready();
        await tables.InsertAsync(_table, Row("p", "r", "first"));
        var a = (await tables.GetAsync(_table, "p", "r"))!;
        var b = (await tables.GetAsync(_table, "p", "r"))!;
        a["Text"] = "second";
        await tables.ReplaceAsync(_table, a);
        b["Text"] = "lost update";
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => tables.ReplaceAsync(_table, b));
        Assert.Equal(412, error.Status);
        Assert.Equal("second", (await tables.GetAsync(_table, "p", "r"))!.GetString("Text"));
    }

    [Fact]
    public async Task A_transaction_applies_all_operations_or_none()
    {
        var tables = await Ready();
        await tables.InsertAsync(_table, Row("p", "existing"));
        var ok = await tables.SubmitTransactionAsync(_table, [TableOperation.Insert(Row("p", "a")), TableOperation.Replace(Row("p", "b"))]);
        Assert.Equal(2, ok.Count);
        Assert.All(ok, Assert.NotNull);

        var failing = new[] { TableOperation.Insert(Row("p", "c")), TableOperation.Insert(Row("p", "existing")) };
        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => tables.SubmitTransactionAsync(_table, failing));
        Assert.Equal(409, error.Status);
        Assert.Equal(1, error.FailedIndex);
        Assert.Null(await tables.GetAsync(_table, "p", "c"));
    }

    [Fact]
    public async Task A_transaction_with_a_stale_etag_changes_nothing()
    {
        var tables = await Ready();
        await tables.InsertAsync(_table, Row("p", "head", "v1"));
        var stale = (await tables.GetAsync(_table, "p", "head"))!;
        var fresh = (await tables.GetAsync(_table, "p", "head"))!;
        fresh["Text"] = "v2";
        await tables.ReplaceAsync(_table, fresh);
        stale["Text"] = "v2 from elsewhere";
        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            tables.SubmitTransactionAsync(_table, [TableOperation.Insert(Row("p", "event")), TableOperation.Replace(stale)]));
        Assert.Equal(412, error.Status);
        Assert.Null(await tables.GetAsync(_table, "p", "event"));
    }

    [Fact]
    public async Task A_transaction_across_partitions_is_refused_before_sending_as_Azure_would()
    {
        var tables = await Ready();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            tables.SubmitTransactionAsync(_table, [TableOperation.Insert(Row("p1", "a")), TableOperation.Insert(Row("p2", "a"))]));
    }

    [Fact]
    public async Task A_query_follows_continuation_tokens_past_a_thousand_rows()
    {
        var tables = await Ready();
        for (var batch = 0; batch < 11; batch++)
            await tables.SubmitTransactionAsync(_table,
                Enumerable.Range(0, 100).Select(i => TableOperation.Insert(Row("big", $"r{batch:D2}{i:D3}"))).ToList());
        var rows = await tables.QueryListAsync(_table, "PartitionKey eq 'big'");
        Assert.Equal(1100, rows.Count);
        Assert.Equal(1100, rows.Select(r => r.RowKey).Distinct().Count());
    }

    [Fact]
    public async Task A_string_longer_than_Azure_allows_is_refused_here_even_though_Azurite_would_take_it()
    {
        var tables = await Ready();
        var row = Row("p", "r", new string('a', TableEntity.MaxStringLength + 1));
        await Assert.ThrowsAsync<ArgumentException>(() => tables.InsertAsync(_table, row));
    }

    [Fact]
    public async Task Keys_with_quotes_and_non_ascii_characters_are_addressable()
    {
        var tables = await Ready();
        await tables.UpsertAsync(_table, Row("Q1 O'Neil", "Zoë & co|x"));
        Assert.NotNull(await tables.GetAsync(_table, "Q1 O'Neil", "Zoë & co|x"));
        await tables.DeleteAsync(_table, "Q1 O'Neil", "Zoë & co|x");
        Assert.Null(await tables.GetAsync(_table, "Q1 O'Neil", "Zoë & co|x"));
    }
}
