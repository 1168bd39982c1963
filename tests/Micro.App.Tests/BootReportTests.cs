using Micro.App.Tests.Support;
using Micro.HeartRate.Protocol;
using Micro.Runtime.Format;

namespace Micro.App.Tests;

/// <summary>The boot report lines (MHI) the firmware writes after the BOOT line: content, framing, CRC, length.</summary>
[TestClass]
public sealed class BootReportTests
{
    private static string Text(byte[] line) => System.Text.Encoding.ASCII.GetString(line);

    /// <summary>Checks the framing every MHI line shares with the alert lines and returns the body before '*'.</summary>
    private static string Body(byte[] line)
    {
        string s = Text(line);
        Assert.IsTrue(s.EndsWith('\n'), s);
        Assert.IsTrue(line.Length <= AlertProtocol.MaxLineLength, $"{line.Length} bytes: {s}");
        int star = s.IndexOf('*', StringComparison.Ordinal);
        Assert.AreEqual(s.Length - 6, star, s);
        Assert.IsTrue(s[..^1].All(c => c > ' ' && c <= '~'), "printable, no spaces: " + s);
        Assert.AreEqual(Crc16.Compute(line, 0, star).ToString("X4", System.Globalization.CultureInfo.InvariantCulture), s.Substring(star + 1, 4));
        return s[..star];
    }

    [TestMethod]
    public void ModelFromStorageWithAPassedSelfTestIsOneLine()
    {
        var model = new ModelLoadResult { Source = "I:\\heart-rate.mblob", Classifier = new BlobRhythmClassifier(Micro.Runtime.Model.Load(TestModels.ConstantRegular())) };
        model.SelfTest = new SelfTestResult { Present = true, Vectors = 8, Passed = 8, Micros = 97854 };
        var lines = BootReport.Lines(1234, "0.4.0", model, 51200);
        Assert.AreEqual(2, lines.Length);
        Assert.AreEqual($"MHI,1,1234,fw=0.4.0,blob={BlobLayout.FormatVersion},heap=51200", Body(lines[0]));
        Assert.AreEqual("MHI,1,1234,model=I:\\heart-rate.mblob,st=8/8,stus=97854", Body(lines[1]));
    }

    [TestMethod]
    public void NoModelSaysWhyOnASecondLineCutToTheLineLimit()
    {
        var model = new ModelLoadResult
        {
            ErrorCode = ModelLoadResult.SelfTestFailed,
            FailedSources = 2,
            Message = "resource heart_rate: self-test failed: 7 of 8 vectors differ (first: 0), and a long tail * that, must be cut",
        };
        model.SelfTest = new SelfTestResult { Present = true, Vectors = 8, Passed = 1, FirstFailure = 0, Micros = -1, Message = "x" };
        var lines = BootReport.Lines(0, "0.4.0", model, -1);
        Assert.AreEqual(3, lines.Length);
        Assert.AreEqual($"MHI,1,0,fw=0.4.0,blob={BlobLayout.FormatVersion},heap=-", Body(lines[0]));
        Assert.AreEqual("MHI,1,0,model=none,st=fail:1/8,stus=-", Body(lines[1]));
        string why = Body(lines[2]);
        Assert.AreEqual("MHI,1,0,why=resource_heart_rate:_self-test_failed:_7_of_8_vectors_differ_(", why);
        Assert.AreEqual(AlertProtocol.MaxLineLength, lines[2].Length, "the reason is cut to fill the line exactly");
    }

    [TestMethod]
    public void LongestPossibleValuesStayWithinTheLineLimit()
    {
        var model = new ModelLoadResult { Source = new string('x', 40), Classifier = new BlobRhythmClassifier(Micro.Runtime.Model.Load(TestModels.ConstantRegular())) };
        model.SelfTest = new SelfTestResult { Present = true, Vectors = 64, Passed = 63, FirstFailure = 1, Micros = 9999999999, Message = "x" };
        foreach (var line in BootReport.Lines(4294967295, new string('v', 40), model, 9999999999))
            Assert.AreEqual(Text(line).Length - 6, Body(line).Length, "nothing was cut: " + Text(line));
    }

    [TestMethod]
    public void WithoutAModelResultTheReportSaysNone()
    {
        var lines = BootReport.Lines(5, null, null, -1);
        Assert.AreEqual($"MHI,1,5,fw=-,blob={BlobLayout.FormatVersion},heap=-", Body(lines[0]));
        Assert.AreEqual("MHI,1,5,model=none,st=none,stus=-", Body(lines[1]));
        Assert.AreEqual("a_b;c+d?", BootReport.Token("a b,c*d\u00e9", 20));
    }
}
