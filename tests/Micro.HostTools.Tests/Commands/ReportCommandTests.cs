using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Micro.HostTools;
using Micro.Tooling.Monitoring;

namespace Micro.HostTools.Tests.Commands;

/// <summary>
/// `micro report`: the page for the recorded session is loaded in headless Chromium (tests/setup.sh installs it),
/// and what Chromium parsed — the alarm table, the session table, the bands and the heart-rate line of the chart —
/// is checked against the log's own lines. A screenshot is left in the test output folder (not committed).
/// </summary>
[TestClass]
public partial class ReportCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "alerts", name);

    private static string? Chromium() =>
        new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" }
            .SelectMany(n => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, n)))
            .FirstOrDefault(File.Exists);

    private static string RunChromium(string chromium, params string[] args)
    {
        var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={CliHarness.TempDir()}" }.Concat(args))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 90 s");
        }
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, err.Result);
        return output.Result;
    }

    [GeneratedRegex(@"<tr data-kind=""(?<kind>[A-Z]+)"" data-count=""(?<count>\d+)"" data-seconds=""(?<s>[0-9.]+)"">")]
    private static partial Regex AlarmRow();

    [GeneratedRegex(@"<tr data-measure=""(?<key>[a-z-]+)"" data-value=""(?<value>[^""]*)"">")]
    private static partial Regex MeasureRow();

    [GeneratedRegex(@"<rect class=""alarm"" data-kind=""(?<kind>[A-Z]+)"" data-start=""(?<start>[0-9.]+)"" data-end=""(?<end>[0-9.]+)""")]
    private static partial Regex AlarmBand();

    [GeneratedRegex(@"class=""hr"" data-points=""(?<n>\d+)""")]
    private static partial Regex RateLine();

    [TestMethod]
    public void ThePageChromiumShowsMatchesTheLog()
    {
        string chromium = Chromium() ?? throw new AssertInconclusiveException("chromium is not installed (tests/setup.sh installs it): the report is not checked in a browser");
        string dir = CliHarness.TempDir(), page = Path.Combine(dir, "report.html");
        var (code, stdout, err) = CliHarness.Run("report", Fixture("session-monitor.csv"), "-o", page);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "Tachycardia ×2");

        string dom = RunChromium(chromium, "--dump-dom", new Uri(page).AbsoluteUri);
        StringAssert.Contains(dom, "<h1>Heart-rate session: session-monitor.csv</h1>");
        string shots = Path.Combine(TestContext.TestRunResultsDirectory ?? Path.Combine(AppContext.BaseDirectory, "TestResults"), "report-screenshots");
        Directory.CreateDirectory(shots);
        string png = Path.Combine(shots, "session-report.png");
        RunChromium(chromium, $"--screenshot={png}", "--window-size=1000,1500", "--hide-scrollbars", new Uri(page).AbsoluteUri);
        var bytes = File.ReadAllBytes(png);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.IsTrue(bytes.Length > 20_000, $"the screenshot is {bytes.Length} bytes: blank?");
        TestContext.WriteLine($"screenshot: {png}");

        // The log, read here without the monitor code: one row per line, columns as AlertMonitor.LogHeader.
        var rows = File.ReadAllLines(Fixture("session-monitor.csv")).Skip(1).Select(AlertLog.SplitCsv).ToList();
        var time = rows.Select(r => DateTimeOffset.Parse(r[0], CultureInfo.InvariantCulture)).ToList();
        double Since(int i) => (time[i] - time[0]).TotalSeconds;
        var kinds = new Dictionary<string, string> { ["Bradycardia"] = "BRADY", ["Tachycardia"] = "TACHY", ["Irregular"] = "IRREG", ["NoPulse"] = "NOPULSE", ["SensorOff"] = "CONTACT", ["ModelFault"] = "MODEL" };
        var bands = new List<(string Kind, double Start, double End)>();
        foreach (var (name, token) in kinds)
        {
            double? on = null;
            for (int i = 0; i < rows.Count; i++)
            {
                if (rows[i][3] != name) continue;
                if (rows[i][4] == "On") on = Since(i);
                else if (on is double s) { bands.Add((token, s, Since(i))); on = null; }
            }
            if (on is double open) bands.Add((token, open, Since(rows.Count - 1)));
        }

        var table = AlarmRow().Matches(dom).ToDictionary(m => m.Groups["kind"].Value, m => (Count: int.Parse(m.Groups["count"].Value), Seconds: double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture)));
        CollectionAssert.AreEquivalent(kinds.Values.ToList(), table.Keys.ToList());
        foreach (string token in kinds.Values)
        {
            Assert.AreEqual(bands.Count(b => b.Kind == token), table[token].Count, token);
            Assert.AreEqual(bands.Where(b => b.Kind == token).Sum(b => b.End - b.Start), table[token].Seconds, 0.05, token);
        }
        var drawn = AlarmBand().Matches(dom).Select(m => (m.Groups["kind"].Value, double.Parse(m.Groups["start"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["end"].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.AreEqual(bands.Count, drawn.Count);
        foreach (var b in bands)
            Assert.IsTrue(drawn.Any(d => d.Item1 == b.Kind && Math.Abs(d.Item2 - b.Start) < 0.05 && Math.Abs(d.Item3 - b.End) < 0.05), $"no band for {b}");

        var measures = MeasureRow().Matches(dom).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
        Assert.AreEqual(rows.Count.ToString(CultureInfo.InvariantCulture), measures["lines"]);
        int rates = rows.Count(r => r[5].Length > 0);
        Assert.AreEqual(rates.ToString(CultureInfo.InvariantCulture), measures["rates"]);
        Assert.AreEqual(rates, RateLine().Matches(dom).Sum(m => int.Parse(m.Groups["n"].Value)), "every rate is a point of the heart-rate line");
        long lost = Enumerable.Range(1, rows.Count - 1).Select(i => long.Parse(rows[i][1]) - long.Parse(rows[i - 1][1]) - 1).Where(g => g > 0).Sum();
        Assert.AreEqual(lost.ToString(CultureInfo.InvariantCulture), measures["lost"]);
        Assert.AreEqual((rows.Count(r => r[3] == "Boot") - 1).ToString(CultureInfo.InvariantCulture), measures["restarts"]);
        Assert.AreEqual($"{rows.Where(r => r[5].Length > 0).Min(r => int.Parse(r[5]))} {rows.Where(r => r[5].Length > 0).Max(r => int.Parse(r[5]))}", measures["rate-range"]);
        Assert.IsTrue(dom.Contains("class=\"poor\" data-quality=\"NOSENSOR\""), "the unreachable sensor is shaded");
    }

    [TestMethod]
    public void SimulateAlertsAreAReportInputToo()
    {
        string root = CliHarness.RepoRoot(), dir = CliHarness.TempDir();
        string alerts = Path.Combine(dir, "t108s.txt"), page = Path.Combine(dir, "t108s.html");
        var sim = CliHarness.Run("simulate", "--recording", Path.Combine(root, "models", "heart-rate", "samples", "t108s.csv"),
            "--model", Path.Combine(root, "models", "heart-rate", "heart-rate.mblob"), "--alerts", alerts);
        Assert.AreEqual(ExitCodes.Ok, sim.Code, sim.Err);
        var (code, _, err) = CliHarness.Run("report", alerts, "-o", page);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        string html = File.ReadAllText(page);
        var lines = File.ReadAllLines(alerts).Where(l => l.Length > 0).ToList();
        var table = AlarmRow().Matches(html).ToDictionary(m => m.Groups["kind"].Value, m => int.Parse(m.Groups["count"].Value));
        Assert.AreEqual(lines.Count(l => l.Contains(",TACHY,ON,")), table["TACHY"]);
        Assert.AreEqual(1, table["TACHY"]);
        StringAssert.Contains(html, $"data-measure=\"lines\" data-value=\"{lines.Count}\"");
        StringAssert.Contains(html, "no wall-clock times");
        StringAssert.Contains(html, "<td>connection lost</td><td>not recorded in this log</td>");
        Assert.IsFalse(html.Contains("<script", StringComparison.OrdinalIgnoreCase) || html.Contains("http://", StringComparison.Ordinal) && !html.Contains("xmlns=\"http://www.w3.org/2000/svg\""), "self-contained");
    }

    [TestMethod]
    public void ARecordingIsNotALogAndSaysSo()
    {
        string root = CliHarness.RepoRoot(), page = Path.Combine(CliHarness.TempDir(), "r.html");
        var (code, _, err) = CliHarness.Run("report", Path.Combine(root, "models", "heart-rate", "samples", "t108s.csv"), "-o", page);
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "not a monitor log");
        Assert.IsFalse(File.Exists(page), "nothing written for a bad input");
    }
}
