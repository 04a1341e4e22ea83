using KaWorkflow.Hosting;

namespace KaWorkflow.Register;

/// <summary>Admin API for the register: upload a CSV (all or nothing), download the current one.</summary>
public static class RegisterEndpoints
{
    public static RouteGroupBuilder MapRegister(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/register").RequirePerformanceTeam();
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
        return group;
    }
}
