namespace WeStore.Tests.Support;

/// <summary>
/// A test that needs a real browser: Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>CHROMIUM</c>) and the pinned
/// playwright-core under tests/Console. <c>.ci/run</c> installs Chromium and <c>./test.sh</c> the packages; only where
/// Chromium cannot be installed is the test skipped, and it says why.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public static string Chromium => Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium)) Skip = $"No Chromium at {Chromium}: install Debian's chromium package (apt-get install chromium), as .ci/run does.";
        else if (!Directory.Exists(Path.Combine(TestStorage.RepositoryRoot, "tests", "Console", "node_modules", "playwright-core")))
        {
            Skip = "playwright-core is not installed under tests/Console: ./test.sh installs it (npm ci).";
        }
    }
}
