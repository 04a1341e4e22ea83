using System.Diagnostics;
using System.Text.Json;
using KaWorkflow.Mail;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace KaWorkflow.Tests.Mail;

/// <summary>The real Graph SDK against a loopback stand-in for Graph's servers that answers as Graph does when it
/// throttles or refuses.</summary>
public sealed class GraphMailSenderTests
{
    private static async Task<(LoopbackGraph Graph, GraphMailSender Sender)> AGraphAnsweringAsync(
        params (int, string?)[] answers)
    {
        var graph = await LoopbackGraph.StartAsync(answers);
        return (graph, new GraphMailSender(new MailOptions
            { GraphBaseUrl = graph.BaseUrl, Sender = "performance@council.example" }, new StorageOptions()));
    }

    private static readonly OutgoingMail Mail = new(["lead@council.example"], ["boss@council.example"], "Subject",
        "Body", "2020-21-Q1/invite|lead@council.example|1");

    private static JsonElement P(JsonElement e, string name) => LoopbackGraph.P(e, name);

    [Fact]
    public async Task Throttling_and_unavailability_are_retried_after_the_time_Graph_asks_for()
    {
        var (graph, sender) = await AGraphAnsweringAsync((429, "1"), (503, "1"));
        await using var _ = graph;
        var clock = Stopwatch.StartNew();
        await sender.SendAsync(Mail, CancellationToken.None);

        FaultLedger.Record("Graph 429 then 503", graph.Requests.Count == 3 ? 0 : 1);
        Assert.Equal(3, graph.Requests.Count);
        Assert.True(graph.Requests[1].At - graph.Requests[0].At >= TimeSpan.FromMilliseconds(950), "the retry came before Retry-After");
        Assert.True(graph.Requests[2].At - graph.Requests[1].At >= TimeSpan.FromMilliseconds(950), "the retry came before Retry-After");
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_sdks_retries_says_so_with_graphs_wait()
    {
        var (graph, sender) = await AGraphAnsweringAsync((429, "1"), (429, "1"), (429, "1"), (429, "7"));
        await using var _ = graph;
        var throttled = await Assert.ThrowsAsync<MailThrottled>(() => sender.SendAsync(Mail, CancellationToken.None));
        Assert.Equal(4, graph.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(7), throttled.RetryAfter);
    }

    [Fact]
    public async Task An_unknown_recipient_is_a_permanent_failure_and_is_not_retried()
    {
        var (graph, sender) = await AGraphAnsweringAsync((400, null));
        await using var _ = graph;
        await Assert.ThrowsAsync<PermanentMailFailure>(() => sender.SendAsync(Mail, CancellationToken.None));
        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task The_message_is_plain_text_with_its_recipients_and_the_outbox_reference_header()
    {
        var (graph, sender) = await AGraphAnsweringAsync();
        await using var _ = graph;
        await sender.SendAsync(Mail, CancellationToken.None);
        var message = P(graph.Requests.Single().Body.RootElement, "message");
        Assert.Equal("text", P(P(message, "body"), "contentType").GetString());
        Assert.Equal("boss@council.example", P(P(P(message, "ccRecipients")[0], "emailAddress"), "address").GetString());
        var header = P(message, "internetMessageHeaders")[0];
        Assert.Equal(("X-KaWorkflow-Ref", Mail.Reference), (P(header, "name").GetString(), P(header, "value").GetString()));
    }
}
