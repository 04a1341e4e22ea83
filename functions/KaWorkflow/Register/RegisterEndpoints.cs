using KaWorkflow.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KaWorkflow.Register;

/// <summary>Admin API for the register: download the current one, preview what an upload would change, upload (all
/// or nothing). A route table of named handlers.</summary>
public static class RegisterEndpoints
{
    public static RouteGroupBuilder MapRegister(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/register").RequirePerformanceTeam().RequireApiContentType();
        group.MapGet("", Download);
        group.MapPost("", Upload);
        group.MapPost("/preview", Preview);
        return group;
    }

    /// <summary>The register as CSV, named for the day it was downloaded (London time).</summary>
    public static async Task<FileContentHttpResult> Download(RegisterStore store, TimeProvider clock,
        CancellationToken ct) =>
        TypedResults.File(System.Text.Encoding.UTF8.GetBytes(RegisterCsv.Write(await store.LoadAsync(ct))),
            "text/csv; charset=utf-8",
            $"register-{Reminders.WorkingCalendar.LocalDate(clock.GetUtcNow()):yyyy-MM-dd}.csv");

    public static async Task<JsonHttpResult<object>> Upload(HttpRequest request, RegisterStore store, CancellationToken ct)
    {
        var parsed = await ParseAsync(request, ct);
        if (!parsed.Ok) return Json(new { imported = false, errors = Errors(parsed) }, 400);
        return Json(new { imported = true, summary = await store.ReplaceAsync(parsed.Activities, ct) });
    }

    public static async Task<JsonHttpResult<object>> Preview(HttpRequest request, RegisterStore store, CancellationToken ct)
    {
        var parsed = await ParseAsync(request, ct);
        if (!parsed.Ok) return Json(new { valid = false, errors = Errors(parsed) }, 400);
        var changes = await store.ChangesAsync(parsed.Activities, ct);
        return Json(new
        {
            valid = true, activities = parsed.Activities.Count, added = changes.Added.Select(a => a.Code),
            removed = changes.Removed.Select(a => a.Code), moved = changes.Moved, edited = changes.Edited,
            loneDomains = changes.LoneDomains,
        });
    }

    private static async Task<RegisterParseResult> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        return RegisterCsv.Parse(body.ToArray());
    }

    private static IEnumerable<object> Errors(RegisterParseResult parsed) =>
        parsed.Errors.Select(e => new { line = e.Line, message = e.Message });

    private static JsonHttpResult<object> Json(object value, int status = 200) => TypedResults.Json(value, statusCode: status);
}
