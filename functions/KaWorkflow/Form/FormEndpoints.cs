using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using FormResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult,
    KaWorkflow.Form.FormEndpoints.SeeOther,
    KaWorkflow.Form.FormEndpoints.WithRetryAfter>;

namespace KaWorkflow.Form;

/// <summary>
/// The lead's form: GET shows it, POST saves a draft or submits, POST <c>/delegate</c> names a delegate. The token in
/// the path is the only credential; every POST also carries an anti-forgery token tied to a cookie.
/// </summary>
public static class FormEndpoints
{
    public static RouteGroupBuilder MapForm(this IEndpointRouteBuilder app)
    {
        var form = app.MapGroup("/api/forms/{token}");
        form.MapGet("", Show);
        // Anti-forgery is checked by hand, so that a failed check shows the typed text again instead of a bare 400.
        form.MapPost("", Save).DisableAntiforgery();
        form.MapPost("/delegate", NameDelegate).DisableAntiforgery();
        return form;
    }

    /// <summary>What every form request brings: the link's token, the request, and the form's service.</summary>
    public readonly record struct LinkRequest(
        string Token, HttpContext Http, FormService Service, IAntiforgery Antiforgery, CancellationToken Cancel)
    {
        public async Task<FormRequest> CheckedAsync() =>
            Of(this, await Antiforgery.IsRequestValidAsync(Http));

        public static FormRequest Of(LinkRequest r, bool valid) => new(r.Token, LinkGuard.ClientOf(r.Http),
            () => r.Antiforgery.GetAndStoreTokens(r.Http).RequestToken!, valid);
    }

    public static async Task<FormResult> Show([AsParameters] LinkRequest request, string? saved) =>
        ToResult(await request.Service.ShowAsync(LinkRequest.Of(request, valid: true), saved, request.Cancel));

    public static async Task<FormResult> Save([AsParameters] LinkRequest request) =>
        await FieldsAsync(request.Http, request.Cancel) is { } fields
            ? ToResult(await request.Service.SaveAsync(await request.CheckedAsync(), fields, request.Cancel))
            : ToResult(request.Service.Unreadable());

    public static async Task<FormResult> NameDelegate([AsParameters] LinkRequest request) =>
        await FieldsAsync(request.Http, request.Cancel) is { } fields
            ? ToResult(await request.Service.NameDelegateAsync(await request.CheckedAsync(), fields, request.Cancel))
            : ToResult(request.Service.Unreadable());

    /// <summary>The posted fields, or null when the body is not a form the app can read: another content type, more
    /// than 1,024 fields, a value over 4 MB. Those are refused with a page, never a 500.</summary>
    private static async Task<IFormCollection?> FieldsAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) return null;
        http.Request.EnableBuffering();
        try
        {
            return await http.Request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            return await LenientAsync(http.Request, ct);
        }
    }

    /// <summary>
    /// The framework refuses a whole form for one null character (pasted text can carry one): a small URL-encoded
    /// body is then read here instead, so the lead's text comes back with only that character taken out.
    /// </summary>
    private static async Task<IFormCollection?> LenientAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true
            || request.Body.Length > 1_000_000) return null;
        request.Body.Position = 0;
        var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(
            await new StreamReader(request.Body).ReadToEndAsync(ct));
        if (fields.Count > 1_024) return null;
        return request.Form = new FormCollection(fields); // what the anti-forgery check reads too
    }

    /// <summary>The page the service chose, the redirect after a save, or a page that says when to try
    /// again.</summary>
    private static FormResult ToResult(FormResponse r)
    {
        if (r.RedirectTo is not null) return new SeeOther(r.RedirectTo);
        if (r.RetryAfter is { } wait) return new WithRetryAfter(r.Page!, wait);
        return r.Page!;
    }

    /// <summary>303, so a refresh after saving re-reads the page instead of posting again.</summary>
    public sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = location;
            context.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }
    }

    /// <summary>A page with <c>Retry-After</c>: storage is down for a moment, and the page keeps the lead's
    /// text.</summary>
    public sealed class WithRetryAfter(IResult inner, TimeSpan wait) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();
            return inner.ExecuteAsync(context);
        }
    }
}
