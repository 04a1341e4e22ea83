using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace KaWorkflow.Storage;

/// <summary>
/// Says plainly in the log when one of the app's tables or containers is missing (an operator deleted it, or the
/// account was replaced): once per table or container every ten minutes, however many requests fail on it.
/// </summary>
public sealed class MissingStorage(ILogger<MissingStorage> log, TimeProvider clock) : HttpPipelinePolicy
{
    /// <summary>How long one missing table or container stays said.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMinutes(10);

    private static readonly string[] Codes = ["TableNotFound", "ContainerNotFound"];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _said = new();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        Check(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        Check(message);
    }

    private void Check(HttpMessage message)
    {
        if (message is not { HasResponse: true, Response.Status: 404 }) return;
        if (!message.Response.Headers.TryGetValue("x-ms-error-code", out var code) || !Codes.Contains(code)) return;
        var name = Resource(message.Request.Uri.Path);
        var now = clock.GetUtcNow();
        if (_said.TryGetValue(name, out var at) && now - at < Quiet) return;
        _said[name] = now;
        log.LogError("Storage has no {Kind} named '{Name}' ({Code}): it was deleted, or the app points at another "
            + "account. Requests that need it fail until it exists again; restarting the app creates it empty (restore "
            + "its data from a backup if it had any).", code == "TableNotFound" ? "table" : "container", name, code);
    }

    /// <summary>The table or container a request's path names: its first segment, or its second on Azurite, whose
    /// paths start with the account.</summary>
    public static string Resource(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var first = segments.Length > 1 && segments[0] == "devstoreaccount1" ? segments[1]
            : segments.FirstOrDefault() ?? "";
        var bracket = first.IndexOf('(');
        return Uri.UnescapeDataString(bracket >= 0 ? first[..bracket] : first);
    }
}
