using System.Net;
using System.Text;
using System.Text.Json;

namespace KaWorkflow.Hosting;

/// <summary>The signed-in person as the platform (or the local development sign-in) presents them.</summary>
public sealed record Principal(string Name, IReadOnlyList<string> Roles, string Source);

/// <summary>A way other than the platform's header of saying who is signed in (the local host's development
/// sign-in).</summary>
public interface ISignInSource
{
    /// <summary>The signed-in person, or null if this source says nothing about the request.</summary>
    Principal? Read(HttpContext context, AccessOptions options);
}

/// <summary>Deny-by-default access for the performance team: no principal is 401, no role is 403.</summary>
public static class PerformanceTeamAccess
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    private static readonly string[] RoleClaimTypes = ["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

    /// <summary>Reads the principal if this request may carry a trusted one.</summary>
    public static Principal? Read(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccessOptions>>().Value;
        var env = context.RequestServices.GetRequiredService<IHostEnvironment>();
        foreach (var source in context.RequestServices.GetServices<ISignInSource>())
            if (source.Read(context, options) is { } signedIn) return signedIn;
        // Standalone in Development, requests from this machine may present the header themselves (tests, local tools).
        var local = env.IsDevelopment() && IsLoopback(context);
        var trusted = options.TrustPlatformPrincipal && PlatformAuthenticationOn(context) || local;
        if (!trusted || !context.Request.Headers.TryGetValue(PrincipalHeader, out var header)) return null;
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header.ToString()));
            var claims = doc.RootElement.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString() ?? "", Value: c.GetProperty("val").GetString() ?? "")).ToList();
            var name = context.Request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].FirstOrDefault()
                       ?? claims.FirstOrDefault(c => c.Type is "name" or "preferred_username").Value ?? "unknown";
            return new Principal(name, claims.Where(c => RoleClaimTypes.Contains(c.Type)).Select(c => c.Value).ToList(), "platform");
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether App Service Authentication is on for this app, as the platform says (<c>WEBSITE_AUTH_ENABLED</c>): only
    /// then does it strip forged principal headers, so only then is the header trusted, whatever the settings say.
    /// </summary>
    private static bool PlatformAuthenticationOn(HttpContext context) =>
        string.Equals(context.RequestServices.GetRequiredService<IConfiguration>()["WEBSITE_AUTH_ENABLED"], "true",
            StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the request comes from a signed-in member of the performance team.</summary>
    public static bool IsPerformanceTeam(HttpContext context) =>
        Read(context) is { } principal && principal.Roles.Contains(
            context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccessOptions>>().Value
                .PerformanceTeamRole, StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the header value App Service would send (used by local tools and tests).</summary>
    public static string Encode(string name, params string[] roles) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            auth_typ = "aad", name_typ = "name", role_typ = "roles",
            claims = new[] { new { typ = "name", val = name } }.Concat(roles.Select(r => new { typ = "roles", val = r })),
        })));

    /// <summary>
    /// A path on this site: one leading slash, and nothing a browser would read otherwise (a second slash or a
    /// backslash makes another host; tabs and line breaks are dropped by browsers or split the header; a character
    /// outside ASCII cannot go in the <c>Location</c> header unescaped).
    /// </summary>
    public static bool IsLocalPath(string path) =>
        path.StartsWith('/') && !path.StartsWith("//") && path.All(c => c >= ' ' && c < '\x7f' && c != '\\');

    public static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For");

    /// <summary>Requires the performance team's role on every endpoint of a group.</summary>
    public static TBuilder RequirePerformanceTeam<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var principal = Read(http);
            var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccessOptions>>().Value;
            if (principal is null)
            {
                // A person opening a page is sent to sign in; a program calling the API gets a plain 401.
                var browser = http.Request.Method == "GET" && http.Request.Headers.Accept.ToString().Contains("text/html");
                return browser && options.SignInPath is { Length: > 0 } signIn
                    ? Results.Redirect(
                        $"{signIn}?post_login_redirect_uri={Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)}")
                    : Results.Problem("Sign in as a member of the performance team.", statusCode: 401);
            }
            var role = options.PerformanceTeamRole;
            if (!principal.Roles.Contains(role, StringComparer.OrdinalIgnoreCase))
                return Results.Problem($"{principal.Name} does not have the {role} role.", statusCode: 403);
            http.Items[typeof(Principal)] = principal;
            return await next(context);
        });

    /// <summary>
    /// For the JSON API: refuses a state-changing request unless it declares a JSON or CSV body. A page on another
    /// site can make a signed-in browser send a form or plain text without asking, but not JSON or CSV (the browser
    /// asks first, and the app allows no other origin), so this closes the API to cross-site requests.
    /// </summary>
    public static TBuilder RequireApiContentType<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var type = request.ContentType ?? "";
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
                && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                && !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
                return Results.Problem("Send the request body as application/json (or text/csv for a register).", statusCode: 415);
            return await next(context);
        });

    public static string Actor(HttpContext http) => (http.Items[typeof(Principal)] as Principal)?.Name ?? "unknown";
}
