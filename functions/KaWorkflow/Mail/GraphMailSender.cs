using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace KaWorkflow.Mail;

/// <summary>Sends mail with the Microsoft.Graph SDK: to Microsoft Graph in Azure, to the local mailbox
/// elsewhere.</summary>
public sealed class GraphMailSender
{
    private readonly GraphServiceClient _client;
    private readonly MailOptions _options;

    /// <summary>At most <see cref="MailOptions.MaxConcurrentSends"/> sendMail requests at once in this process, as
    /// Exchange allows; only the request itself waits for it, not the storage work around it.</summary>
    private readonly SemaphoreSlim _sending;

    public GraphMailSender(MailOptions options, Storage.StorageOptions storage)
    {
        _options = options;
        _sending = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentSends));
        if (string.IsNullOrWhiteSpace(options.GraphBaseUrl))
        {
            var credential = string.IsNullOrWhiteSpace(storage.ManagedIdentityClientId)
                ? (Azure.Core.TokenCredential)new DefaultAzureCredential()
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(storage.ManagedIdentityClientId));
            _client = new GraphServiceClient(credential, ["https://graph.microsoft.com/.default"]);
        }
        else
        {
            // The SDK's own handler chain (retry with Retry-After, redirects) stays in place; only the host changes.
            var http = GraphClientFactory.Create();
            _client = new GraphServiceClient(http, new AnonymousAuthenticationProvider(), options.GraphBaseUrl.TrimEnd('/'));
        }
    }

    /// <summary>Custom headers must start with x- in Graph; this one names the outbox row behind the message.</summary>
    public const string ReferenceHeader = "X-KaWorkflow-Ref";

    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = mail.Subject,
                Body = new ItemBody { ContentType = BodyType.Text, Content = mail.Body },
                ToRecipients = mail.To.Select(Recipient).ToList(),
                CcRecipients = mail.Cc.Select(Recipient).ToList(),
                InternetMessageHeaders = mail.Reference is null
                    ? null
                    : [new InternetMessageHeader { Name = ReferenceHeader, Value = mail.Reference }],
            },
            SaveToSentItems = true,
        };
        await _sending.WaitAsync(ct);
        try
        {
            await _client.Users[_options.Sender].SendMail.PostAsync(body, cancellationToken: ct);
        }
        catch (ODataError e) when (e.ResponseStatusCode == 403)
        {
            throw new MailNotAllowedYet($"Held: Graph does not yet let this app send as {_options.Sender} " +
                $"(403 {e.Error?.Code}). If the mailbox grant was just made, it can take an hour or more.", e);
        }
        catch (AggregateException e) when (e.InnerExceptions.LastOrDefault() is ApiException
                                               { ResponseStatusCode: 429 or 503 } last)
        {
            // The SDK has waited out Retry-After three times already; what is left is put off, not failed.
            TimeSpan? after = last.ResponseHeaders.TryGetValue("Retry-After", out var values)
                && int.TryParse(values.FirstOrDefault(), out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
            throw new MailThrottled($"Throttled: Graph answered {last.ResponseStatusCode} after " +
                $"{e.InnerExceptions.Count} tries", after, e);
        }
        catch (ODataError e) when (e.ResponseStatusCode is 400 or 404)
        {
            // Graph's retry handler has already waited out 429/503 with Retry-After; these will not get better by retrying.
            throw new PermanentMailFailure($"Graph refused the message ({e.ResponseStatusCode} {e.Error?.Code}): {e.Error?.Message}", e);
        }
        finally
        {
            _sending.Release();
        }
    }

    private static Recipient Recipient(string address) => new() { EmailAddress = new EmailAddress { Address = address } };
}
