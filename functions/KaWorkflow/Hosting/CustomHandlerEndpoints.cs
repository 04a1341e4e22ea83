using System.Text.Json;
using KaWorkflow.Rounds;

namespace KaWorkflow.Hosting;

/// <summary>
/// The Azure Functions custom-handler protocol: the host POSTs <c>/{functionName}</c> for non-HTTP triggers and
/// expects <c>{"Outputs":{},"Logs":[],"ReturnValue":null}</c> back (functions-custom-handler.md).
/// </summary>
public static class CustomHandlerEndpoints
{
    public static IEndpointRouteBuilder MapCustomHandler(this IEndpointRouteBuilder app)
    {
        // The host polls GET / until the handler answers; any answer means ready.
        app.MapGet("/", () => Results.Text("KaWorkflow is running.")).ExcludeFromDescription();
        app.MapGet("/api/health", () => Results.Json(new { status = "ok" }));
        app.MapPost("/tick", async (HttpRequest request, RoundEngine engine, ILogger<RoundEngine> log, CancellationToken ct) =>
        {
            var invocation = await TimerInvocation.ReadAsync(request, ct);
            var logs = new List<string>();
            if (invocation.IsPastDue) logs.Add("Timer is past due; running now.");
            logs.Add($"Schedule check at {invocation.UtcNow:O}");
            logs.AddRange(await engine.OnScheduleAsync(ct));
            foreach (var line in logs) log.LogInformation("{Line}", line);
            return Results.Json(new InvocationResult(new Dictionary<string, object?>(), logs, null), ProtocolJson);
        });
        return app;
    }

    /// <summary>PascalCase as declared: the host reads <c>Outputs</c>, <c>Logs</c> and <c>ReturnValue</c> by those names.</summary>
    private static readonly JsonSerializerOptions ProtocolJson = new() { PropertyNamingPolicy = null };

    /// <summary>The answer the host expects (PascalCase names are part of the protocol).</summary>
    public sealed record InvocationResult(Dictionary<string, object?> Outputs, List<string> Logs, object? ReturnValue);
}

/// <summary>What the host says about a timer invocation; parsed tolerantly because fields vary between host versions.</summary>
public sealed record TimerInvocation(bool IsPastDue, DateTimeOffset? UtcNow)
{
    public static async Task<TimerInvocation> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            var root = doc.RootElement;
            var pastDue = root.TryGetProperty("Data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Object
                    && p.Value.TryGetProperty("IsPastDue", out var d) && d.ValueKind == JsonValueKind.True);
            DateTimeOffset? utcNow = root.TryGetProperty("Metadata", out var meta) && meta.TryGetProperty("sys", out var sys)
                && sys.TryGetProperty("UtcNow", out var n) && DateTimeOffset.TryParse(n.GetString(), out var parsed) ? parsed : null;
            return new TimerInvocation(pastDue, utcNow);
        }
        catch (JsonException)
        {
            return new TimerInvocation(false, null);
        }
    }
}
