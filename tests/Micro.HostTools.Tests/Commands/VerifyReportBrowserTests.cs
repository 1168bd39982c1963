using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Micro.HostTools;
using Micro.Tooling.Verification;

namespace Micro.HostTools.Tests.Commands;

/// <summary>
/// The verify report as a browser shows it: headless Chromium renders the page (a screenshot into the test
/// results folder, not committed) and its DOM, whose numbers must be the verify result's — the summary cells
/// and every cell of both confusion matrices. Skipped, with the reason, when chromium is not installed
/// (tests/setup.sh installs it).
/// </summary>
[TestClass]
public class VerifyReportBrowserTests
{
    public TestContext TestContext { get; set; } = null!;

    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "onnx", name);

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    private static (int W, int H) PngSize(byte[] png)
    {
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }, png[..8], "a PNG file");
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [TestMethod]
    public void TheRenderedReportShowsTheVerifyNumbersAndTheConfusionMatrices()
    {
        string? chromium = HeadlessChromium.Find();
        if (chromium == null) Assert.Inconclusive("chromium is not installed (tests/setup.sh installs it): the rendered report is not checked");

        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "exitnet.mblob"), html = Path.Combine(dir, "exitnet.html");
        var (code, _, err) = CliHarness.Run("pack", Fixture("exitnet.onnx"), "-c", Fixture("exitnet_calib.npy"), "-o", blob);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        (code, string stdout, err) = CliHarness.Run("verify", Fixture("exitnet.onnx"), blob, "--data", Fixture("exitnet_test.npy"), "--labels", Fixture("exitnet_test_labels.npy"), "--report", html);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "blob confusion matrix");
        var r = Verifier.Run(Fixture("exitnet.onnx"), File.ReadAllBytes(blob), Fixture("exitnet_test.npy"), Fixture("exitnet_test_labels.npy"));
        Assert.IsNotNull(r.QuantizedConfusion);

        // The screenshot: into the test results folder, the window's size, and far more than an empty page of that size.
        string shots = Path.Combine(TestContext.TestRunResultsDirectory ?? dir, "verify-report");
        Directory.CreateDirectory(shots);
        string png = Path.Combine(shots, "exitnet-report.png"), blank = Path.Combine(dir, "blank.png"), empty = Path.Combine(dir, "empty.html");
        File.WriteAllText(empty, "<!DOCTYPE html><html><body></body></html>");
        HeadlessChromium.Run(chromium, "--window-size=1000,2400", "--screenshot=" + png, new Uri(html).AbsoluteUri);
        HeadlessChromium.Run(chromium, "--window-size=1000,2400", "--screenshot=" + blank, new Uri(empty).AbsoluteUri);
        TestContext.AddResultFile(png);
        Assert.AreEqual((1000, 2400), PngSize(File.ReadAllBytes(png)));
        Assert.IsTrue(new FileInfo(png).Length > 5 * new FileInfo(blank).Length, $"report {new FileInfo(png).Length} B vs empty page {new FileInfo(blank).Length} B");

        // The DOM the browser built: summary numbers and every confusion cell, against the verify result.
        string dom = HeadlessChromium.Run(chromium, "--dump-dom", new Uri(html).AbsoluteUri);
        string Cell(string id) => Regex.Match(dom, $"<td id=\"{id}\">([^<]*)</td>").Groups[1].Value;
        static string Pct(double v) => (100 * v).ToString("F2", CultureInfo.InvariantCulture) + "%";
        Assert.AreEqual(r.Samples.ToString(CultureInfo.InvariantCulture), Cell("samples"));
        Assert.AreEqual(Pct(r.Top1Agreement), Cell("top1"));
        Assert.AreEqual(Pct(r.QuantizedAccuracy!.Value), Cell("quantized-accuracy"));
        Assert.AreEqual(Pct(r.FloatAccuracy!.Value), Cell("float-accuracy"));
        Assert.AreEqual(r.Output.SqnrDb.ToString("F1", CultureInfo.InvariantCulture), Cell("sqnr"));
        foreach (var (which, m) in new[] { ("blob", r.QuantizedConfusion!), ("float", r.FloatConfusion!) })
        {
            var svg = Regex.Match(dom, $"<svg[^>]*data-model=\"{which}\"[^>]*>(.*?)</svg>", RegexOptions.Singleline);
            Assert.IsTrue(svg.Success, which + " confusion matrix");
            var cells = Regex.Matches(svg.Groups[1].Value, "data-true=\"(\\d+)\" data-pred=\"(\\d+)\"[^>]*>(\\d+)<");
            Assert.AreEqual(m.Length * m.Length, cells.Count, which);
            foreach (Match c in cells)
                Assert.AreEqual(m[int.Parse(c.Groups[1].Value)][int.Parse(c.Groups[2].Value)], int.Parse(c.Groups[3].Value), $"{which} [{c.Groups[1].Value}][{c.Groups[2].Value}]");
            Assert.AreEqual(r.Samples, m.Sum(row => row.Sum()), which);
            StringAssert.Contains(svg.Groups[1].Value, "predicted class");
            StringAssert.Contains(svg.Groups[1].Value, "true class");
        }
        // The blob's diagonal is its accuracy.
        Assert.AreEqual(r.QuantizedAccuracy!.Value, (double)Enumerable.Range(0, r.QuantizedConfusion!.Length).Sum(i => r.QuantizedConfusion[i][i]) / r.Samples, 1e-12);
        // Every plot titles both axes.
        foreach (var plot in new[] { "SQNR per layer", "error histogram" })
        {
            var svg = Regex.Match(dom, $"<svg[^>]*aria-label=\"{plot}\"[^>]*>(.*?)</svg>", RegexOptions.Singleline);
            Assert.IsTrue(svg.Success, plot);
            Assert.AreEqual(2, Regex.Count(svg.Groups[1].Value, "class=\"axis-title\""), plot);
        }
        TestContext.WriteLine($"screenshot: {png}");
    }
}
