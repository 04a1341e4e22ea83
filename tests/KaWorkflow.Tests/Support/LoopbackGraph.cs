using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace KaWorkflow.Tests.Support;

/// <summary>A loopback stand-in for Graph's servers: takes <c>sendMail</c> as Graph does, answering each in turn
/// with the answers given (202 once they run out), and keeps every request's body.</summary>
public sealed class LoopbackGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    public List<(DateTime At, JsonDocument Body)> Requests { get; } = [];

    /// <summary>Where the SDK is pointed: Graph's base address with its version.</summary>
    public string BaseUrl { get; }

    private LoopbackGraph(Queue<(int Status, string? RetryAfter)> answers)
    {
        var root = $"http://127.0.0.1:{Azurite.FreePort()}";
        BaseUrl = root + "/v1.0";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(root);
        _app = builder.Build();
        _app.MapPost("/v1.0/users/{sender}/sendMail", async (HttpContext http) =>
        {
            var body = JsonDocument.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync());
            (int Status, string? RetryAfter) answer;
            lock (Requests)
            {
                Requests.Add((DateTime.UtcNow, body));
                answer = answers.Count > 0 ? answers.Dequeue() : (202, null);
            }
            if (answer.RetryAfter is not null) http.Response.Headers.RetryAfter = answer.RetryAfter;
            http.Response.StatusCode = answer.Status;
            if (answer.Status >= 400)
                await http.Response.WriteAsJsonAsync(new { error = new
                {
                    code = answer.Status == 400 ? "ErrorInvalidRecipients" : "ApplicationThrottled",
                    message = "as Graph says",
                } });
        });
    }

    public static async Task<LoopbackGraph> StartAsync(params (int Status, string? RetryAfter)[] answers)
    {
        var graph = new LoopbackGraph(new Queue<(int, string?)>(answers));
        await graph._app.StartAsync();
        return graph;
    }

    /// <summary>The messages sent so far: recipients, subject and body text.</summary>
    public List<(string[] To, string Subject, string Body)> Messages()
    {
        lock (Requests)
            return Requests.Select(r => r.Body.RootElement).Select(root => P(root, "message")).Select(m => (
                P(m, "toRecipients").EnumerateArray().Select(t => P(P(t, "emailAddress"), "address").GetString()!)
                    .ToArray(),
                P(m, "subject").GetString()!, P(P(m, "body"), "content").GetString()!)).ToList();
    }

    /// <summary>Graph reads property names case-insensitively and the SDK capitalises some; so does this.</summary>
    public static JsonElement P(JsonElement e, string name) =>
        e.EnumerateObject().First(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
