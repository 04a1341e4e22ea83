using System.Text.RegularExpressions;

namespace KaWorkflow.Web;

/// <summary>
/// The front-end files the app serves itself (no CDN): GOV.UK Frontend's compiled CSS and JavaScript from npm, and
/// the app's own small script and styles. Loaded once at start-up, served from memory under <c>/api/assets/</c>,
/// a path the Functions host forwards to the handler.
/// </summary>
/// <remarks>
/// The GDS Transport font and the crown are for GOV.UK services only, and a council's service is not one: the
/// <c>@font-face</c> rules are removed, so pages use Arial as GOV.UK Frontend itself falls back to.
/// </remarks>
public sealed partial class FrontEnd
{
    public const string Prefix = "/api/assets/";
    private readonly Dictionary<string, (byte[] Content, string Type)> _files = new(StringComparer.Ordinal);

    public FrontEnd(string root)
    {
        var govuk = Path.Combine(root, "frontend", "govuk");
        var css = File.ReadAllText(Path.Combine(govuk, "govuk-frontend.min.css"));
        css = FontFace().Replace(css, "").Replace("GDS Transport,", "", StringComparison.Ordinal);
        Add("govuk-frontend.css", System.Text.Encoding.UTF8.GetBytes(css), "text/css; charset=utf-8");
        Add("govuk-frontend.min.js", File.ReadAllBytes(Path.Combine(govuk, "govuk-frontend.min.js")), "text/javascript; charset=utf-8");
        foreach (var own in Directory.GetFiles(Path.Combine(root, "frontend", "ka")))
            Add(Path.GetFileName(own), File.ReadAllBytes(own),
                own.EndsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
    }

    private void Add(string name, byte[] content, string type) => _files[name] = (content, type);

    public static FrontEnd Load() => new(AppContext.BaseDirectory);

    public IResult Serve(string name, HttpContext http)
    {
        if (!_files.TryGetValue(name, out var file)) return Results.NotFound();
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(file.Content, file.Type);
    }

    [GeneratedRegex(@"@font-face\{[^}]*\}")]
    private static partial Regex FontFace();
}

/// <summary>Maps the front-end files.</summary>
public static class FrontEndEndpoints
{
    public static IEndpointRouteBuilder MapFrontEnd(this IEndpointRouteBuilder app)
    {
        app.MapGet(FrontEnd.Prefix + "{name}", (string name, HttpContext http, FrontEnd files) => files.Serve(name, http));
        return app;
    }
}
