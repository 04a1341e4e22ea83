using System.Net;
using System.Text;
using System.Security.Claims;
using System.Text.Json;

namespace KaWorkflow.Hosting;

/// <summary>The signed-in person as the platform (or the local development sign-in) presents them.</summary>
/// <param name="Id">The platform's stable id for the person, where it gives one.</param>
public sealed record Principal(string Name, IReadOnlyList<string> Roles, string Source, string? Id = null);

/// <summary>A way other than the platform's header of saying who is signed in (the local host's development
/// sign-in).</summary>
public interface ISignInSource
{
    /// <summary>The signed-in person, or null if this source says nothing about the request.</summary>
    Principal? Read(HttpContext context, AccessOptions options);
}

/// <summary>Deny-by-default access for the performance team (<see cref="SignInAuthentication"/> says who is signed
/// in; no one signed in is 401, no role is 403), and the helpers its sign-ins share.</summary>
public static class PerformanceTeamAccess
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>Whether the signed-in user holds the performance team's role (compared ignoring case).</summary>
    public static bool HoldsRole(ClaimsPrincipal user, string role) =>
        user.Identity?.IsAuthenticated == true
        && user.FindAll(ClaimTypes.Role).Any(c => string.Equals(c.Value, role, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the request comes from a signed-in member of the performance team.</summary>
    public static bool IsPerformanceTeam(HttpContext context) =>
        HoldsRole(context.User, context.RequestServices.GetRequiredService<AccessOptions>().PerformanceTeamRole);

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
    public static TBuilder RequirePerformanceTeam<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(SignInAuthentication.PerformanceTeamPolicy);

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

    /// <summary>Who the audit trail names for a request.</summary>
    public static string Actor(HttpContext http) => http.User.Identity?.Name ?? "unknown";
}
