using KaWorkflow.Hosting;

namespace KaWorkflow.Register;

/// <summary>Admin API for the register: download the current one, preview what an upload would change, upload (all or nothing).</summary>
public static class RegisterEndpoints
{
    public static RouteGroupBuilder MapRegister(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/register").RequirePerformanceTeam().RequireApiContentType();
        group.MapGet("", async (RegisterStore store, CancellationToken ct) =>
            Results.Text(RegisterCsv.Write(await store.LoadAsync(ct)), "text/csv; charset=utf-8"));
        group.MapPost("", async (HttpRequest request, RegisterStore store, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var parsed = RegisterCsv.Parse(await reader.ReadToEndAsync(ct));
            if (!parsed.Ok)
                return Results.Json(new { imported = false, errors = parsed.Errors.Select(e => new { line = e.Line, message = e.Message }) }, statusCode: 400);
            return Results.Json(new { imported = true, summary = await store.ReplaceAsync(parsed.Activities, ct) });
        });
        group.MapPost("/preview", async (HttpRequest request, RegisterStore store, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var parsed = RegisterCsv.Parse(await reader.ReadToEndAsync(ct));
            if (!parsed.Ok)
                return Results.Json(new { valid = false, errors = parsed.Errors.Select(e => new { line = e.Line, message = e.Message }) }, statusCode: 400);
            var changes = RegisterChanges.Between(await store.LoadAsync(ct), parsed.Activities);
            return Results.Json(new
            {
                valid = true, activities = parsed.Activities.Count,
                added = changes.Added.Select(a => a.Code), removed = changes.Removed.Select(a => a.Code), moved = changes.Moved, edited = changes.Edited.Select(a => a.Code),
            });
        });
        return group;
    }
}
