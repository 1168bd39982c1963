using System.Text.RegularExpressions;
using Micro.HostTools;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Inspection;
using Micro.Tooling.Recordings;

namespace Micro.HostTools.Tests.Commands;

/// <summary>`micro demo` on the bundled alarm records: what "MACs saved" means there (QA item 19).</summary>
[TestClass]
public class DemoOutputTests
{
    private static string ModelFolder => Path.Combine(CliHarness.RepoRoot(), "models", "heart-rate");

    [TestMethod]
    public void ExtraMacsOnAlarmRecordsAreExactlyTheExitHeadRunsThatWereNotTaken()
    {
        byte[] blob = File.ReadAllBytes(Path.Combine(ModelFolder, "heart-rate.mblob"));
        var report = BlobReport.FromBlob(blob);
        Assert.AreEqual(1, report.Exits.Count);
        long head = report.Exits[0].HeadMacs, taken = report.Exits[0].MacsWhenTaken;
        string samples = Path.Combine(ModelFolder, "samples");
        int moreThanBaseline = 0;
        foreach (var alarm in CincDataset.ReadLabels(samples))
        {
            var x = AlarmSimulation.Run(CincDataset.ReadRecording(samples, alarm), blob, null).Exits;
            Assert.AreEqual(report.MainMacs, x.FullMacs);
            // Every run costs either the exit path (head answered) or the whole network plus the head (not answered).
            Assert.AreEqual(x.ExitRuns * taken + (x.ModelRuns - x.ExitRuns) * (x.FullMacs + head), x.Macs, alarm.RecordId);
            if (x.Macs > x.BaselineRuns * x.FullMacs)
            {
                moreThanBaseline++;
                Assert.AreEqual(0, x.ExitRuns, $"{alarm.RecordId}: more MACs than without early exit although the head answered");
                Assert.AreEqual(x.BaselineRuns, x.ModelRuns, alarm.RecordId);
                Assert.AreEqual(x.ModelRuns * head, x.Macs - x.BaselineRuns * x.FullMacs, alarm.RecordId);
            }
        }
        Assert.IsTrue(moreThanBaseline > 0, "the bundled records no longer show the case this test is about");
    }

    [TestMethod]
    public void DemoSaysMoreInsteadOfNegativeSavedShowsStatusLinesAndExplainsTheHeadline()
    {
        string dir = CliHarness.TempDir();
        foreach (string f in new[] { "heart-rate.onnx", "calibration.npy", "heart-rate.mblob" }) File.Copy(Path.Combine(ModelFolder, f), Path.Combine(dir, f));
        Directory.CreateDirectory(Path.Combine(dir, "samples"));
        foreach (string f in Directory.GetFiles(Path.Combine(ModelFolder, "samples"))) File.Copy(f, Path.Combine(dir, "samples", Path.GetFileName(f)));

        var (code, stdout, err) = CliHarness.Run("demo", "--dir", dir);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        Assert.IsFalse(Regex.IsMatch(stdout, @"-\d+(\.\d+)? % saved"), stdout);
        StringAssert.Contains(stdout, "without early exit (1.4 % more); exit head cost when not taken: 864 MACs × 4 run(s)");
        StringAssert.Contains(stdout, "without early exit (58.0 % saved); exit head cost when not taken: 864 MACs × 1 run(s)");
        Assert.AreEqual(5, Regex.Count(stdout, @"^  MHR,1,\d+,\d+,STATUS,", RegexOptions.Multiline), "one STATUS line per 16 s record");
        StringAssert.Contains(stdout, "early exit over these 5 records: 20 network runs, 4 answered by the exit head");
        StringAssert.Contains(stdout, "these samples are ICU alarm records");
        StringAssert.Contains(stdout, "headline savings are measured by micro evaluate on normal-rhythm windows");
    }
}
