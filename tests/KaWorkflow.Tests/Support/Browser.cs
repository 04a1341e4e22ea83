using System.Text.Json;
using Microsoft.Playwright;

namespace KaWorkflow.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Microsoft.Playwright: one browser per test run, a fresh context per test. Pages are
/// checked with axe-core from the repo's node_modules, and screenshots go to <c>TestResults/screenshots</c>.
/// </summary>
public static class Browser
{
    public const string Chromium = "/usr/bin/chromium";
    private static readonly Lazy<Task<IBrowser>> Shared = new(LaunchAsync);

    /// <summary>Where screenshots are kept as test artefacts.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(RepoRoot.Path, "TestResults",
        "screenshots")).FullName;

    private static async Task<IBrowser> LaunchAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: run the README's test command, which installs Debian's chromium.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true,
            // This machine's network is closed: without these Chromium keeps trying to reach Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { browser.CloseAsync().GetAwaiter().GetResult(); playwright.Dispose(); };
        return browser;
    }

    /// <summary>A new browser profile on the app, sized like a phone unless told otherwise.</summary>
    public static async Task<IBrowserContext> NewContextAsync(string baseUrl, bool phone = true) =>
        await (await Shared.Value).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            BypassCSP = true, // lets the test inject axe-core; the app's own scripts are checked against the CSP in other tests
            Locale = "en-GB",
        });

    /// <summary>Keeps the whole page and, separately, what the first screen shows (on a phone, what the lead sees first).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + "-first-screen.png") });
    }

    /// <summary>Waits for the green success banner; if it never comes, says which page came instead and what it
    /// said.</summary>
    public static async Task WaitForSuccessAsync(IPage page)
    {
        try
        {
            await page.WaitForSelectorAsync(".govuk-notification-banner--success");
        }
        catch (TimeoutException e)
        {
            var said = await page.Locator("main").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 2000 });
            throw new TimeoutException($"No success banner on {page.Url}; the page said:\n{said}", e);
        }
    }

    /// <summary>Runs axe-core for WCAG 2.2 A and AA on the page and returns the violations (id: help, with where).</summary>
    public static async Task<List<string>> AxeViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(RepoRoot.Path, "node_modules",
            "axe-core", "axe.min.js") });
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
              const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
              const where = v => v.nodes.map(n => n.target.join(' ')).join(', ');
              return { violations: r.violations.map(v => `${v.id}: ${v.help} (${where(v)})`), passes: r.passes.length };
            }
            """);
        return json.GetProperty("violations").EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    /// <summary>Asserts axe finds no WCAG 2.2 A/AA violation, naming every one it finds otherwise.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var violations = await AxeViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe-core found on {page.Url}:\n" + string.Join("\n", violations));
    }
}
