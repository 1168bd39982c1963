using Micro.HeartRate.Alarms;
using Micro.HostTools.Commands;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Recordings;

namespace Micro.Model.Tests;

[TestClass]
public sealed class SimulateDemoTests
{
    private static string Sample(string id) => Path.Combine(ModelFiles.ModelFolder, "samples", id + ".csv");

    [TestMethod]
    public void Bundled_samples_raise_the_compatible_alarm_or_none_for_the_false_alarm()
    {
        var blob = File.ReadAllBytes(ModelFiles.Blob);
        string samples = Path.Combine(ModelFiles.ModelFolder, "samples");
        var alarms = CincDataset.ReadLabels(samples);
        Assert.AreEqual(5, alarms.Count);
        foreach (var a in alarms)
        {
            var result = AlarmSimulation.Run(CincDataset.ReadRecording(samples, a), blob, null);
            var o = AlarmEvaluation.CincScore(a, result.Steps.ToList());
            // A flat PLETH (a167l, f450s) is the probe's fault, not the heart's: a technical alert only (issue 12).
            if (result.Steps.Skip(4).All(s => s.Quality == Micro.HeartRate.Signal.SignalQuality.Flat))
            {
                Assert.IsTrue((o.RaisedMask & AlarmKinds.Bit(AlarmKind.SensorOff)) != 0 && o.ClinicalMask == 0, $"{a.RecordId} flat: technical alert only");
                continue;
            }
            Assert.IsTrue(a.TrueAlarm ? o.Detected : o.Suppressed, $"{a.RecordId} {a.AlarmType} true={a.TrueAlarm}");
        }
    }

    [TestMethod]
    public void Simulate_writes_the_encoders_alert_lines()
    {
        var rec = AlarmSimulation.ReadRecording(Sample("t108s"));
        Assert.AreEqual(125.0, rec.SampleRateHz);
        var lines = new StringWriter { NewLine = "\n" };
        var result = AlarmSimulation.Run(rec, File.ReadAllBytes(ModelFiles.Blob), lines);
        var text = lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        StringAssert.Contains(text[0], ",BOOT,");
        Assert.IsTrue(text.Any(l => l.Contains(",TACHY,ON,", StringComparison.Ordinal)), string.Join("\n", text));
        Assert.IsTrue(result.Raised.Any(e => e.Kind == AlarmKind.Tachycardia));
        Assert.AreEqual(result.Steps.Count(s => s.ModelRan), result.Exits.ModelRuns);
    }

    [TestMethod]
    public void A_generic_csv_of_sensor_counts_needs_a_rate()
    {
        string dir = Directory.CreateTempSubdirectory("micro-sim").FullName;
        try
        {
            string path = Path.Combine(dir, "counts.csv");
            // 20 s of a 1.2 Hz pulse, 50 Hz, in counts.
            var lines = new List<string> { "ppg" };
            for (int i = 0; i < 1000; i++) lines.Add(((int)(20000 + 3000 * Math.Sin(2 * Math.PI * 1.2 * i / 50.0))).ToString());
            File.WriteAllLines(path, lines);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => AlarmSimulation.ReadRecording(path));
            StringAssert.Contains(e.Message, "--fs");
            var rec = AlarmSimulation.ReadRecording(path, 50);
            var steps = AlarmSimulation.Run(rec, null, null).Steps;
            Assert.AreEqual(20, steps.Count);
            Assert.IsTrue(Math.Abs(steps[^1].RateBpm - 72) <= 2, $"rate {steps[^1].RateBpm}");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Demo_repacks_a_missing_blob_to_the_committed_bytes()
    {
        string dir = Directory.CreateTempSubdirectory("micro-demo").FullName;
        try
        {
            File.Copy(ModelFiles.Onnx, Path.Combine(dir, DemoCommand.OnnxFile));
            File.Copy(ModelFiles.Calibration, Path.Combine(dir, DemoCommand.CalibrationFile));
            string blob = Path.Combine(dir, DemoCommand.BlobFile);
            DemoCommand.EnsureBlob(Path.Combine(dir, DemoCommand.OnnxFile), Path.Combine(dir, DemoCommand.CalibrationFile), blob, out bool packed);
            Assert.IsTrue(packed);
            CollectionAssert.AreEqual(File.ReadAllBytes(ModelFiles.Blob), File.ReadAllBytes(blob));
            DemoCommand.EnsureBlob(Path.Combine(dir, DemoCommand.OnnxFile), Path.Combine(dir, DemoCommand.CalibrationFile), blob, out packed);
            Assert.IsFalse(packed, "an up-to-date blob is left alone");
            File.WriteAllBytes(blob, new byte[] { 1, 2, 3 });
            DemoCommand.EnsureBlob(Path.Combine(dir, DemoCommand.OnnxFile), Path.Combine(dir, DemoCommand.CalibrationFile), blob, out packed);
            Assert.IsTrue(packed, "a stale blob is re-packed");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
