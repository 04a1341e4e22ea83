using Microsoft.AspNetCore.Antiforgery;

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
        form.MapGet("", async (string token, string? saved, HttpContext http, FormService service, LinkGuard guard, IAntiforgery antiforgery, CancellationToken ct) =>
            ToResult(await service.ShowAsync(Request(token, http, guard, antiforgery, valid: true), saved, ct)));
        form.MapPost("", async (string token, HttpContext http, FormService service, LinkGuard guard, IAntiforgery antiforgery, CancellationToken ct) =>
        {
            var fields = await http.Request.ReadFormAsync(ct);
            return ToResult(await service.SaveAsync(Request(token, http, guard, antiforgery, await antiforgery.IsRequestValidAsync(http)), fields, ct));
        }).DisableAntiforgery(); // checked by hand above, so that a failed check re-shows the typed text instead of a bare 400
        form.MapPost("/delegate", async (string token, HttpContext http, FormService service, LinkGuard guard, IAntiforgery antiforgery, CancellationToken ct) =>
        {
            var fields = await http.Request.ReadFormAsync(ct);
            return ToResult(await service.NameDelegateAsync(Request(token, http, guard, antiforgery, await antiforgery.IsRequestValidAsync(http)), fields, ct));
        }).DisableAntiforgery();
        return form;
    }

    private static FormRequest Request(string token, HttpContext http, LinkGuard guard, IAntiforgery antiforgery, bool valid) =>
        new(token, LinkGuard.ClientOf(http), antiforgery.GetAndStoreTokens(http).RequestToken!, valid);

    private static IResult ToResult(FormResponse r)
    {
        if (r.RedirectTo is not null) return new SeeOther(r.RedirectTo);
        var page = Results.Content(r.Html, "text/html; charset=utf-8", statusCode: r.Status);
        return r.RetryAfter is { } wait ? new WithRetryAfter(page, wait) : page;
    }

    /// <summary>303, so a refresh after saving re-reads the page instead of posting again.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = location;
            context.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }
    }

    private sealed class WithRetryAfter(IResult inner, TimeSpan wait) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();
            return inner.ExecuteAsync(context);
        }
    }
}
