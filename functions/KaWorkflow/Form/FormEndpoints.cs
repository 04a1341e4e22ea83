namespace KaWorkflow.Form;

/// <summary>The lead's form: GET shows it, POST saves a draft or submits. The token in the path is the only credential.</summary>
public static class FormEndpoints
{
    public static RouteGroupBuilder MapForm(this IEndpointRouteBuilder app)
    {
        var form = app.MapGroup("/api/forms/{token}");
        form.MapGet("", async (string token, string? saved, FormService service, CancellationToken ct) =>
            ToResult(await service.ShowAsync(token, saved, ct)));
        form.MapPost("", async (string token, HttpRequest request, FormService service, CancellationToken ct) =>
            ToResult(await service.SaveAsync(token, await request.ReadFormAsync(ct), ct))).DisableAntiforgery();
        return form;
    }

    private static IResult ToResult(FormResponse r) => r.RedirectTo is not null
        ? new SeeOther(r.RedirectTo)
        : Results.Content(r.Html, "text/html; charset=utf-8", statusCode: r.Status);

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
}
