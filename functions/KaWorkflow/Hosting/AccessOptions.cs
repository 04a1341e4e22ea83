using System.ComponentModel.DataAnnotations;
namespace KaWorkflow.Hosting;

/// <summary>Who may use the performance team's pages and admin API.</summary>
public sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>The Entra ID app role the performance team holds.</summary>
    [Required]
    public string PerformanceTeamRole { get; set; } = "KaWorkflow.PerformanceTeam";

    /// <summary>
    /// Trust the <c>X-MS-CLIENT-PRINCIPAL</c> header. True only behind App Service Authentication, which removes
    /// forged copies of it from incoming requests; even then it is trusted only while the platform says its
    /// authentication is on (<c>WEBSITE_AUTH_ENABLED</c>), so turning authentication off cannot open the admin API.
    /// </summary>
    /// <remarks>Turning this on for an app not behind App Service Authentication would let anyone claim any
    /// role.</remarks>
    public bool TrustPlatformPrincipal { get; set; }

    /// <summary>
    /// Where a browser that asks for a performance-team page without signing in is sent (with
    /// <c>post_login_redirect_uri</c>): <c>/.auth/login/aad</c> behind App Service Authentication, the development
    /// sign-in locally. Empty means answer 401 instead; the JSON API always answers 401.
    /// </summary>
    public string? SignInPath { get; set; }
}
