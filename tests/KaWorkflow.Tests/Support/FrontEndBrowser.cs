using System.Net;

namespace KaWorkflow.Tests.Support;

/// <summary>A browser behind the Azure front end: every request says it came over HTTPS (as the front end's
/// <c>X-Forwarded-Proto</c> does), and the cookies the app sets (HTTPS-only ones included) go back with the
/// next.</summary>
public sealed class FrontEndBrowser : DelegatingHandler
{
    private readonly CookieContainer _cookies = new();

    public FrontEndBrowser() : base(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var https = new UriBuilder(request.RequestUri!) { Scheme = "https", Port = request.RequestUri!.Port }.Uri;
        if (!request.Headers.Contains("X-Forwarded-Proto")) request.Headers.Add("X-Forwarded-Proto", "https");
        if (_cookies.GetCookieHeader(https) is { Length: > 0 } cookies) request.Headers.Add("Cookie", cookies);
        var response = await base.SendAsync(request, ct);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var cookie in set) _cookies.SetCookies(https, cookie);
        return response;
    }
}
