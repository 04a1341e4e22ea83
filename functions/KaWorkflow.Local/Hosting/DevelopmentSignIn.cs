namespace KaWorkflow.Hosting;

/// <summary>
/// <c>/dev/signin</c>: signs a browser on this machine in as the performance team, in the Development environment
/// only. In Azure, App Service Authentication signs people in; this type is not in the package deployed there.
/// </summary>
public sealed class DevelopmentSignIn(IHostEnvironment environment) : ISignInSource
{
    private const string Cookie = "ka-dev-signin";

    // New at every start: a cookie from an earlier run signs nobody in.
    private readonly string _secret =
        Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public Principal? Read(HttpContext context, AccessOptions options) =>
        environment.IsDevelopment() && PerformanceTeamAccess.IsLoopback(context)
        && context.Request.Cookies.TryGetValue(Cookie, out var cookie) && cookie == _secret
            ? new Principal("developer (local sign-in)", [options.PerformanceTeamRole], "development sign-in")
            : null;

    /// <summary>Maps <c>/dev/signin</c>, which answers only requests from this machine.</summary>
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/signin", (HttpContext http, DevelopmentSignIn signIn, string? returnUrl,
            string? post_login_redirect_uri) =>
        {
            if (!PerformanceTeamAccess.IsLoopback(http)) return Results.NotFound();
            var wanted = returnUrl ?? post_login_redirect_uri; // the second is App Service Authentication's name for it
            if (wanted is { Length: > 0 } && !PerformanceTeamAccess.IsLocalPath(wanted))
                return Results.BadRequest("returnUrl must be a path on this site, such as /api/dashboard.");
            http.Response.Cookies.Append(Cookie, signIn._secret,
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
            return Results.Redirect(wanted is { Length: > 0 } ? wanted : "/api/whoami");
        });
        return app;
    }
}
