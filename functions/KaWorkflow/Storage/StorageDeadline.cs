using Azure;
using KaWorkflow.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KaWorkflow.Storage;

/// <summary>
/// Gives every request's storage work a deadline (<see cref="StorageOptions.RequestDeadlineSeconds"/>). Past it, or
/// with storage unreachable, the person gets a page saying so with <c>Retry-After</c> (a JSON problem on the API),
/// and a form they posted comes back with what they typed, to send again.
/// </summary>
/// <remarks>Without it a frozen storage held a page for a minute (three tries of the SDK's network timeout) and then
/// gave a blank 500. The deadline covers the work before the response starts: a download may take as long as the
/// reader's connection needs. Handlers with their own deadline (a lead's save) have a second more, so theirs comes
/// first.</remarks>
public sealed class StorageDeadline(RequestDelegate next, StorageOptions options, ILogger<StorageDeadline> log)
{
    /// <summary>What a browser or client is told to wait before trying again.</summary>
    public const int RetryAfterSeconds = 30;

    public async Task InvokeAsync(HttpContext http)
    {
        var theirs = http.RequestAborted;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(theirs);
        http.Response.RegisterForDispose(deadline); // once the response is done: it may start after this returns
        deadline.CancelAfter(TimeSpan.FromSeconds(options.RequestDeadlineSeconds + 1));
        http.Response.OnStarting(() =>
        {
            deadline.CancelAfter(Timeout.InfiniteTimeSpan); // answered in time: the rest is the download's
            return Task.CompletedTask;
        });
        http.RequestAborted = deadline.Token;
        try
        {
            await next(http);
        }
        catch (Exception e) when (!theirs.IsCancellationRequested && !http.Response.HasStarted
            && (deadline.IsCancellationRequested || IsUnreachable(e)))
        {
            log.LogError(e, "Storage could not be reached in time for {Method} {Path}", http.Request.Method,
                http.Request.Path.Value);
            http.RequestAborted = theirs;
            await UnavailableAsync(http);
        }
        finally
        {
            http.RequestAborted = theirs;
        }
    }

    /// <summary>Storage that refused the connection, failed, or timed out: the request itself was fine.</summary>
    public static bool IsUnreachable(Exception e) =>
        e is RequestFailedException { Status: >= 500 or 0 } or HttpRequestException or TimeoutException
            or TaskCanceledException or IOException
            // Azure.Core's retry policy gives up with an AggregateException when every try failed to connect.
            or AggregateException;

    private static async Task UnavailableAsync(HttpContext http)
    {
        IFormCollection? typed = null;
        if (http.Request.HasFormContentType)
            try { typed = await http.Request.ReadFormAsync(http.RequestAborted); } // read already, as a rule
            catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException) { }
        // Not Response.Clear(): the security headers set before the handler ran stay.
        http.Response.Headers.RetryAfter =
            RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        IResult result = http.Request.Path.StartsWithSegments("/api/admin")
            ? TypedResults.Problem("Storage could not be reached. Try again in a minute.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable")
            : new RazorComponentResult<StorageUnavailablePage>(new
            {
                Action = http.Request.Path.Value ?? "/",
                Typed = typed is { Count: > 0 } ? typed : null,
                Files = typed?.Files.Count > 0,
                Contact = http.RequestServices.GetRequiredService<Mail.MailOptions>().PerformanceTeam,
            }) { StatusCode = StatusCodes.Status503ServiceUnavailable };
        await result.ExecuteAsync(http);
    }
}
