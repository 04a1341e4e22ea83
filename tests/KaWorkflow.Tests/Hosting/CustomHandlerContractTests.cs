using System.Net;
using System.Text;
using System.Text.Json;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Hosting;

/// <summary>The requests the Azure Functions host sends a custom handler, sent by hand (as the docs recommend for CI).</summary>
public sealed class CustomHandlerContractTests
{
    [Fact]
    public async Task A_timer_invocation_gets_the_json_answer_the_host_expects()
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.TickAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("Logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("ReturnValue").ValueKind);
    }

    [Theory]
    [InlineData("""{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-22T10:00:00+00:00","Next":"2026-11-22T10:01:00Z","LastUpdated":"2026-11-22T10:00:00Z"},"IsPastDue":true}},"Metadata":{"sys":{"MethodName":"tick","UtcNow":"2026-11-22T10:01:00.1234567Z","RandGuid":"x"}}}""")]
    [InlineData("""{"Data":{},"Metadata":{}}""")]
    [InlineData("not json")]
    public async Task Timer_payloads_in_any_shape_the_host_has_used_are_answered(string body)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Http.PostAsync("/tick", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Outputs\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_host_readiness_probe_and_health_answer()
    {
        await using var app = await TestApp.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/api/health")).StatusCode);
    }
}
