using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Micro.TestSupport;

/// <summary>Headless Chromium for the tests that check an HTML report as a browser renders it (tests/setup.sh installs it).</summary>
public static class HeadlessChromium
{
    /// <summary>The browser's path, or null where none is installed (the caller then reports the test inconclusive).</summary>
    public static string? Find() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>Runs it headless with `args` (a screenshot, --dump-dom, …) and returns what it printed; fails the test when it fails or hangs.</summary>
    public static string Run(string chromium, params string[] args)
    {
        var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); Assert.Fail("chromium did not finish in 120 s"); }
        Assert.AreEqual(0, p.ExitCode, stderr.Result);
        return stdout;
    }
}
