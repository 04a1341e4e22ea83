using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace KaWorkflow.Hosting;

/// <summary>
/// The app's authentication scheme: who is signed in, from a host's own sign-in (<see cref="ISignInSource"/>, the
/// local development cookie) or App Service Authentication's principal header, trusted only under its rules. It sets
/// <c>HttpContext.User</c> on every request, so the authorization policy, the actor named in the audit trail and the
/// anti-forgery tokens (bound to the user they were issued to) all read one identity.
/// </summary>
public sealed class SignInAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    AccessOptions access, IConfiguration configuration, IHostEnvironment environment,
    IEnumerable<ISignInSource> sources)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "KaWorkflow";

    /// <summary>The authorization policy on the dashboard and the admin API: signed in, with the team's role.</summary>
    public const string PerformanceTeamPolicy = "PerformanceTeam";

    /// <summary>The claim that says which sign-in vouched for the user.</summary>
    public const string SourceClaim = "ka:source";

    private static readonly string[] RoleClaimTypes = ["roles", ClaimTypes.Role];

    // The platform's stable ids for a person, in the order a display name change cannot affect.
    private static readonly string[] IdClaimTypes =
        ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid", ClaimTypes.NameIdentifier, "sub"];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var principal = sources.Select(s => s.Read(Context, access)).FirstOrDefault(p => p is not null)
                        ?? ReadPlatformHeader();
        if (principal is null) return Task.FromResult(AuthenticateResult.NoResult());
        var claims = new List<Claim> { new(ClaimTypes.Name, principal.Name), new(SourceClaim, principal.Source) };
        // Anti-forgery binds its tokens to this id (or, without one, to every claim).
        claims.Add(new Claim(ClaimTypes.NameIdentifier, principal.Id ?? principal.Name));
        claims.AddRange(principal.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, principal.Source, ClaimTypes.Name, ClaimTypes.Role);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName);
        return Task.FromResult(AuthenticateResult.Success(ticket));
    }

    /// <summary>A person opening a page is sent to sign in; a program calling the API gets a plain 401.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var request = Context.Request;
        var browser = HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html");
        if (browser && access.SignInPath is { Length: > 0 } signIn)
        {
            var back = Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString);
            return Results.Redirect($"{signIn}?post_login_redirect_uri={back}").ExecuteAsync(Context);
        }
        return Results.Problem("Sign in as a member of the performance team.", statusCode: 401).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem($"{Context.User.Identity?.Name} does not have the {access.PerformanceTeamRole} role.",
            statusCode: 403).ExecuteAsync(Context);

    /// <summary>
    /// App Service Authentication's principal, if this request may carry a trusted one: only with
    /// <see cref="AccessOptions.TrustPlatformPrincipal"/> while the platform says its authentication is on, or
    /// standalone in Development from this machine (tests, local tools).
    /// </summary>
    private Principal? ReadPlatformHeader()
    {
        var local = environment.IsDevelopment() && PerformanceTeamAccess.IsLoopback(Context);
        var trusted = access.TrustPlatformPrincipal && PlatformAuthenticationOn() || local;
        if (!trusted || !Request.Headers.TryGetValue(PerformanceTeamAccess.PrincipalHeader, out var header))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header.ToString()));
            var claims = doc.RootElement.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString() ?? "",
                    Value: c.GetProperty("val").GetString() ?? ""))
                .ToList();
            var name = Request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].FirstOrDefault()
                       ?? claims.FirstOrDefault(c => c.Type is "name" or "preferred_username").Value ?? "unknown";
            var id = IdClaimTypes.Select(t => claims.FirstOrDefault(c => c.Type == t).Value)
                .FirstOrDefault(v => !string.IsNullOrEmpty(v));
            var roles = claims.Where(c => RoleClaimTypes.Contains(c.Type)).Select(c => c.Value).ToList();
            return new Principal(name, roles, "platform", id);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException
                                       or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether App Service Authentication is on for this app, as the platform says (<c>WEBSITE_AUTH_ENABLED</c>): only
    /// then does it strip forged principal headers, so only then is the header trusted, whatever the settings say.
    /// </summary>
    private bool PlatformAuthenticationOn() =>
        string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);
}
