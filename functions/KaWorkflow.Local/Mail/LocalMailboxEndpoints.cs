using System.Text.RegularExpressions;
using KaWorkflow.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KaWorkflow.Mail;

/// <summary>The local mailbox's Graph-compatible send route and its page. Mapped only when <see
/// cref="HostingOptions.LocalMailbox"/> is on.</summary>
public static partial class LocalMailboxEndpoints
{
    public static IEndpointRouteBuilder MapLocalMailbox(this IEndpointRouteBuilder app)
    {
        // Only this machine: the app sends to itself, and the mailbox lists every form link.
        var dev = app.MapGroup("/dev").AddEndpointFilter(async (context, next) =>
            PerformanceTeamAccess.IsLoopback(context.HttpContext) ? await next(context) : Results.NotFound());
        dev.MapPost("/graph/v1.0/users/{sender}/sendMail", async (string sender, HttpRequest request,
            LocalMailbox mailbox, IOptions<HostingOptions> hosting) =>
        {
            if (hosting.Value.LocalMailboxDelayMs > 0) await Task.Delay(hosting.Value.LocalMailboxDelayMs);
            return await mailbox.AcceptAsync(sender, request);
        });
        dev.MapGet("/mailbox", async (LocalMailbox mailbox, CancellationToken ct) =>
            new RazorComponentResult<LocalMailboxPage>(new
            {
                Messages = (await mailbox.ListAsync(ct)).OrderByDescending(m => m.ReceivedAt).ToList(),
            }));
        return app;
    }

    /// <summary>Web addresses in a message's text.</summary>
    [GeneratedRegex(@"https?://[^\s<&]+")]
    internal static partial Regex Url();
}
