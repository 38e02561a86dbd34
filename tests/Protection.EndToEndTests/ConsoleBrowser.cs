using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Protection.EndToEndTests;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download cannot work here), headless. One
/// browser for the test class; each person gets a context of their own (cookies, language).
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "Chromium is not installed: apt-get install -y chromium " +
                "(deploy/local/test.sh installs it when missing).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>
    /// A fresh browser profile whose language is <paramref name="locale"/>, signed in as <paramref name="person"/>
    /// through the real sign-in page, then on the console's <paramref name="landing"/> page (a relative path).
    /// </summary>
    public async Task<IPage> SignedInAsync(
        ProtectionSystem system, Person person, string locale = "en-GB", string landing = "cases")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(system.Issuer, landing).AbsoluteUri);
        await page.WaitForURLAsync("**/account/login**");
        await page.FillAsync("#name", person.Name);
        await page.FillAsync("#password", Administration.Password);
        await page.FillAsync("#code", EndToEndTests.Browser.Totp(person.Key));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url =>
            new Uri(url).AbsolutePath.StartsWith("/" + landing.Split('?')[0], StringComparison.Ordinal));
        return page;
    }

    /// <summary>axe on the page as it is now: no serious or critical violation.</summary>
    public static async Task ShouldBeAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToArray();
        bad.ShouldBeEmpty($"{what}: " + string.Join("; ", bad.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    /// <summary>
    /// Bytes transferred (compressed bodies and headers) for a first load of <paramref name="path"/>:
    /// a fresh browser profile with the same session cookie, so nothing comes from the cache.
    /// Written beside the screenshots.
    /// </summary>
    public async Task<long> FirstLoadBytesAsync(IPage signedIn, Uri address, string name)
    {
        var state = await signedIn.Context.StorageStateAsync();
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { StorageState = state });
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) => responses.Add(response);
        await page.GotoAsync(address.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        long total = 0;
        foreach (var response in responses)
        {
            var sizes = await response.Request.SizesAsync();
            total += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }

        var folder = Path.Combine(RepositoryRoot(), ".test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await File.AppendAllTextAsync(Path.Combine(folder, "page-weights.txt"),
            $"{name}\t{total} bytes\t{responses.Count} responses\t" +
            $"{string.Join(", ", responses.Select(r => new Uri(r.Url).AbsolutePath))}\n");
        return total;
    }

    /// <summary>Saved with the test results (.test-results/screenshots), one per main page and language.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), ".test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Protection.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
