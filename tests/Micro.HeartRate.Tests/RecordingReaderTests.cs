using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

[TestClass]
public sealed class RecordingReaderTests
{
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        dir = Path.Combine(Path.GetTempPath(), "micro-hr-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(dir, true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [TestMethod]
    public void ReadsTheRealFiles()
    {
        var labels = CincDataset.ReadLabels(SharedData.Cinc);
        Assert.AreEqual(461, labels.Count);
        var rec = CincDataset.ReadRecording(SharedData.Cinc, labels[0]);
        Assert.AreEqual(2000, rec.Length);
        Assert.AreEqual(125000, rec.SampleRateMilliHz);

        var troika = TroikaDataset.Read(SharedData.Troika, "DATA_01_TYPE01");
        Assert.AreEqual(62500, troika.Recording.SampleRateMilliHz);
        Assert.IsTrue(troika.Recording.HasAccelerometer);
        Assert.AreEqual(74.34, troika.Reference[0].Bpm, 1e-9);
        Assert.AreEqual(8.0, troika.Reference[0].EndSeconds);
    }

    [TestMethod]
    public void BrokenCincFileNamesFileAndLine()
    {
        string path = Write("x.csv", "t_s,ppg,ecg\n284.000,0.5,0.1\n284.008,abc,0.1\n");
        var ex = Assert.ThrowsExactly<CsvFormatException>(() => CincDataset.ReadRecording(path, "x"));
        Assert.AreEqual(3, ex.Line);
        StringAssert.Contains(ex.Message, path + ":3:");
        StringAssert.Contains(ex.Message, "'abc' is not a number");
    }

    [TestMethod]
    public void CutRowIsReported()
    {
        string path = Write("t.csv", "t_s,ppg,acc_x,acc_y,acc_z,hr_ref\n0.000,1,0,0,1,70\n0.016,2,0,0\n");
        var ex = Assert.ThrowsExactly<CsvFormatException>(() => TroikaDataset.ReadSignals(path, "t"));
        Assert.AreEqual(3, ex.Line);
        StringAssert.Contains(ex.Message, "expected 6 fields, found 4");
    }

    [TestMethod]
    public void WrongHeaderIsReported()
    {
        string path = Write("h.csv", "time,ppg,ecg\n0,1,2\n");
        var ex = Assert.ThrowsExactly<CsvFormatException>(() => CincDataset.ReadRecording(path, "h"));
        Assert.AreEqual(1, ex.Line);
        StringAssert.Contains(ex.Message, "should be 't_s'");
    }

    [TestMethod]
    public void WrongSampleRateIsReported()
    {
        var sb = new System.Text.StringBuilder("t_s,ppg,ecg\n");
        for (int i = 0; i < 100; i++) sb.Append($"{i * 0.01:F3},0.5,0\n"); // 100 Hz, not 125
        string path = Write("r.csv", sb.ToString());
        var ex = Assert.ThrowsExactly<CsvFormatException>(() => CincDataset.ReadRecording(path, "r"));
        StringAssert.Contains(ex.Message, "at 125 Hz");
    }

    [TestMethod]
    public void TimeGoingBackwardsIsReported()
    {
        string path = Write("b.csv", "t_s,ppg,ecg\n0.000,1,0\n0.008,1,0\n0.004,1,0\n");
        var ex = Assert.ThrowsExactly<CsvFormatException>(() => CincDataset.ReadRecording(path, "b"));
        Assert.AreEqual(4, ex.Line);
    }

    [TestMethod]
    public void BadReferenceAndLiuRowsAreReported()
    {
        string refPath = Write("r_hr_ref.csv", "win_start_s,win_end_s,hr_bpm\n0,8,70\n2,10,-5\n");
        var ex = Assert.ThrowsExactly<CsvFormatException>(() => TroikaDataset.ReadReference(refPath));
        Assert.AreEqual(3, ex.Line);

        string header = "seg_id,subject,split,label_code,label," + string.Join(",", Enumerable.Range(0, 1000).Select(i => "s" + i));
        string row = "a,b,valid,0,sinus_rhythm," + string.Join(",", Enumerable.Range(0, 999).Select(_ => "0.5"));
        string liuPath = Write("segments.csv", header + "\n" + row + "\n");
        var ex2 = Assert.ThrowsExactly<CsvFormatException>(() => Liu2022Dataset.ReadFile(liuPath));
        Assert.AreEqual(2, ex2.Line);
        StringAssert.Contains(ex2.Message, "expected 1005 fields, found 1004");
    }

    [TestMethod]
    public void MissingFileIsReported()
    {
        var ex = Assert.ThrowsExactly<FileNotFoundException>(() => CincDataset.ReadLabels(Path.Combine(dir, "nope")));
        StringAssert.Contains(ex.Message, "labels.csv");
    }
}
