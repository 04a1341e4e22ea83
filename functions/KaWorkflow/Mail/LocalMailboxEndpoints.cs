using System.Text;
using System.Text.RegularExpressions;
using KaWorkflow.Hosting;
using Microsoft.Extensions.Options;
using static KaWorkflow.Web.Html;

namespace KaWorkflow.Mail;

/// <summary>The local mailbox's Graph-compatible send route and its page. Mapped only when <see cref="HostingOptions.LocalMailbox"/> is on.</summary>
public static partial class LocalMailboxEndpoints
{
    public static IEndpointRouteBuilder MapLocalMailbox(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dev/graph/v1.0/users/{sender}/sendMail", async (string sender, HttpRequest request, LocalMailbox mailbox, IOptions<HostingOptions> hosting) =>
        {
            if (hosting.Value.LocalMailboxDelayMs > 0) await Task.Delay(hosting.Value.LocalMailboxDelayMs);
            return await mailbox.AcceptAsync(sender, request);
        });
        app.MapGet("/dev/mailbox", async (LocalMailbox mailbox, CancellationToken ct) =>
        {
            var messages = (await mailbox.ListAsync(ct)).OrderByDescending(m => m.ReceivedAt).ToList();
            var sb = new StringBuilder($"<h1>Local mailbox</h1><p>{messages.Count} messages sent through the Graph SDK to this app's Graph-compatible mailbox. Newest first; times are the app's (simulated) clock.</p>");
            foreach (var m in messages)
            {
                sb.Append($"""<section class="activity"><h2>{E(m.Subject)}</h2><p class="hint">{E(Reminders.WorkingCalendar.Display(m.ReceivedAt))} · to {E(string.Join(", ", m.To))}{(m.Cc.Count > 0 ? " · cc " + E(string.Join(", ", m.Cc)) : "")}</p>""");
                sb.Append($"<pre>{Url().Replace(E(m.Body), u => $"<a href=\"{u.Value}\">{u.Value}</a>")}</pre></section>");
            }
            return Results.Content(Page("Local mailbox", sb.ToString()), "text/html; charset=utf-8");
        });
        return app;
    }

    [GeneratedRegex(@"https?://[^\s<&]+")]
    private static partial Regex Url();
}
