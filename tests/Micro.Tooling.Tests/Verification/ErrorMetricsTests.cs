using Micro.Tooling.Verification;

namespace Micro.Tooling.Tests.Verification;

[TestClass]
public class ErrorMetricsTests
{
    [TestMethod]
    public void KnownSignalAndNoiseGiveTheExpectedDecibels()
    {
        // Signal: ±1 alternating (power 1). Noise: +0.1 on every value (power 0.01) → SQNR 20 dB exactly.
        var reference = new List<float[]> { new float[] { 1, -1, 1, -1 }, new float[] { -1, 1, -1, 1 } };
        var quantized = reference.Select(r => r.Select(v => v + 0.1f).ToArray()).ToList();
        var m = ErrorMetrics.Compute(reference, quantized);
        Assert.AreEqual(20.0, m.SqnrDb, 1e-4);
        Assert.AreEqual(20.0, m.PsnrDb, 1e-4); // peak 1, MSE 0.01
        Assert.AreEqual(0.1, m.MaxAbsError, 1e-6);
        Assert.AreEqual(8, m.Count);
        Assert.AreEqual(1.0, ErrorMetrics.Top1Agreement(reference, quantized));
        Assert.AreEqual(0.5, ErrorMetrics.Accuracy(reference, new long[] { 0, 0 }));
    }

    [TestMethod]
    public void IdenticalValuesAreExactAndTheReportRenders()
    {
        var a = new List<float[]> { new float[] { 0.5f, 2f } };
        var m = ErrorMetrics.Compute(a, a);
        Assert.IsTrue(double.IsPositiveInfinity(m.SqnrDb));
        Assert.AreEqual(1.0, m.Cosine, 1e-12);
        var (bins, width) = HtmlReport.ErrorHistogram(a, a);
        var html = HtmlReport.Render(new VerifyReport("m<1>", 1, 1, null, null, m, new[] { new LayerError("t", "FC", m) }, bins, width));
        StringAssert.Contains(html, "m&lt;1&gt;");
        StringAssert.Contains(html, "<svg");
        StringAssert.Contains(html, "exact");
        Assert.IsFalse(html.Contains("<script"), "the report must be self-contained and static");
    }

    [TestMethod]
    public void MismatchedSampleCountsAreRefused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => ErrorMetrics.Compute(new List<float[]> { new float[1] }, new List<float[]>()));
    }
}
