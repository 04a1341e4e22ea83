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

    public static async Task<ContentHttpResult> Download(RegisterStore store, CancellationToken ct) =>
        TypedResults.Text(RegisterCsv.Write(await store.LoadAsync(ct)), "text/csv; charset=utf-8");

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
        var changes = RegisterChanges.Between(await store.LoadAsync(ct), parsed.Activities);
        return Json(new
        {
            valid = true, activities = parsed.Activities.Count, added = changes.Added.Select(a => a.Code),
            removed = changes.Removed.Select(a => a.Code), moved = changes.Moved, edited = changes.Edited.Select(a => a.Code),
        });
    }

    private static async Task<RegisterParseResult> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        return RegisterCsv.Parse(await reader.ReadToEndAsync(ct));
    }

    private static IEnumerable<object> Errors(RegisterParseResult parsed) =>
        parsed.Errors.Select(e => new { line = e.Line, message = e.Message });

    private static JsonHttpResult<object> Json(object value, int status = 200) => TypedResults.Json(value, statusCode: status);
}
