using Azure.Data.Tables;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Storage;

/// <summary>
/// Each of Azure's table limits that Azurite does not enforce is refused by our code before anything is sent.
/// Each test also shows Azurite's leniency through the bare SDK, so it would fail if our check went away.
/// </summary>
public sealed class AzureTableLimitsTests : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var storage = Azurite.Instance.NewStorage();
        _table = StorageClients.Tables(storage, new StorageMeter()).GetTableClient(storage.TablePrefix + "limits");
        await _table.CreateAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static List<TableTransactionAction> Adds(int count, Func<int, string>? partition = null) =>
        Enumerable.Range(0, count)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(partition?.Invoke(i) ?? "p", $"r{i:D3}")))
            .ToList();

    private async Task<int> CountAsync() => (await _table.QueryListAsync(null)).Count;

    [Fact]
    public async Task A_101st_action_is_refused_with_a_clear_message_before_it_reaches_the_sdk()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitCheckedAsync(Adds(101)));
        Assert.Contains("at most 100 actions", refused.Message);
        Assert.Equal(0, await CountAsync());
        // What the SDK alone says against Azurite: nothing a reader could act on.
        await Assert.ThrowsAsync<InvalidOperationException>(() => _table.SubmitTransactionAsync(Adds(101)));
    }

    [Fact]
    public async Task A_transaction_across_two_partitions_is_refused_as_Azure_would()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(
            () => _table.SubmitCheckedAsync(Adds(2, i => i == 0 ? "round-a" : "round-b")));
        Assert.Contains("one PartitionKey", refused.Message);
        Assert.Equal(0, await CountAsync());
        await _table.SubmitTransactionAsync(Adds(2, i => i == 0 ? "round-a" : "round-b")); // Azurite takes it
        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task More_than_252_properties_are_refused_as_Azure_would()
    {
        var row = new TableEntity("p", "wide");
        for (var i = 0; i < 253; i++) row[$"P{i}"] = i;
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _table.AddCheckedAsync(row));
        Assert.Contains("253 properties", refused.Message);
        Assert.Equal(0, await CountAsync());
        await _table.AddEntityAsync(row); // Azurite takes it
    }

    [Fact]
    public async Task An_entity_over_a_megabyte_counted_as_Azure_counts_is_refused()
    {
        // 40 strings of 16,000 characters: 1.28 MB as UTF-16 (Azure's measure), 0.64 MB as UTF-8 (Azurite's).
        var row = new TableEntity("p", "large");
        for (var i = 0; i < 40; i++) row[$"Text{i}"] = new string('a', 16_000);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _table.AddCheckedAsync(row));
        Assert.Contains("Azure allows 1048576", refused.Message);
        Assert.Equal(0, await CountAsync());
        await _table.AddEntityAsync(row); // Azurite takes it
    }

    [Fact]
    public async Task A_string_over_32K_characters_is_refused_before_sending()
    {
        var row = new TableEntity("p", "long") { ["Text"] = new string('a', AzureTableLimits.MaxStringLength + 1) };
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitCheckedAsync(
            [new TableTransactionAction(TableTransactionActionType.Add, row)]));
        Assert.Contains("32768", refused.Message);
        Assert.Equal(0, await CountAsync());
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\tb")]
    public void Keys_with_characters_Table_Storage_forbids_are_refused(string key) =>
        Assert.Throws<ArgumentException>(() => AzureTableLimits.CheckEntity(new TableEntity("p", key)));

    [Fact]
    public void A_property_name_that_is_not_identifier_like_is_refused() =>
        Assert.Throws<ArgumentException>(() => AzureTableLimits.CheckEntity(new TableEntity("p", "r") { ["my field"] = 1 }));
}
