using System.Globalization;
using System.Text;
using Micro.App;
using Micro.Nano.Alarm;
using Micro.Nano.Tests.Support;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Recordings;

namespace Micro.Nano.Tests;

/// <summary>
/// The heap budget of the whole Nano path: AlarmApp, the chain, the MAX30102 driver over a simulated chip and
/// the heart-rate model, built in firmware order (app first, model last: tests/nano/Alarm/DeviceRun.cs), run on
/// nanoCLR over one bundled record in a bounded managed heap (`nf run --heap N`). The model must load and every
/// inference succeed there: the alert lines, inference count and samples equal the same code's run on the
/// host. (NanoAlarmTests replays all five records in one run and needs more.) A heap too small for the model
/// must leave the app on rules with the MODEL alarm, not kill it.
/// <para>
/// Issue 11's budget: 64 KB. The record is a string literal in the runner's assembly (tests/nano/AlarmHeap
/// TextWave), read sample by sample, so the heap holds the device's memory, not the recording. Measured with
/// this harness (docs/performance.md, "Heap"): every inference succeeds in each heap from 61.5 to 80 KB in
/// 0.5 KB steps; below, the network's stack frames find no contiguous block and the MODEL alarm is raised.
/// That margin needs ModelLoader's heap compaction after the load: without it 64 KB failed with 8 KB free.
/// </para>
/// </summary>
[TestClass]
public sealed class NanoAppHeapTests
{
    public const int HeapBytes = 64 * 1024;

    /// <summary>A bundled record on which the (default) gate opens, so the network runs.</summary>
    private const string Record = "t108s";

    public TestContext TestContext { get; set; } = null!;

    private static string BlobPath => Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate", "heart-rate.mblob");

    /// <summary>The record's PPG as a MAX30102 IR channel at 50 Hz: linear resampling, 18-bit counts around
    /// 200,000 with the pulse falling by up to 20,000 (more blood absorbs more light).</summary>
    public static int[] IrAt50Hz(string record)
    {
        Recording rec = AlarmSimulation.ReadRecording(Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate", "samples", record + ".csv"));
        double[] ppg = rec.Ppg;
        double min = ppg.Where(v => !double.IsNaN(v)).Min(), max = ppg.Where(v => !double.IsNaN(v)).Max();
        int n = (int)((ppg.Length - 1) * 50.0 / rec.SampleRateHz);
        var ir = new int[n];
        double last = (min + max) / 2;
        for (int i = 0; i < n; i++)
        {
            double t = i * rec.SampleRateHz / 50.0;
            int k = (int)t;
            double a = double.IsNaN(ppg[k]) ? last : ppg[k], b = double.IsNaN(ppg[k + 1]) ? a : ppg[k + 1];
            double v = a + (b - a) * (t - k);
            last = v;
            double unit = max > min ? (v - min) / (max - min) : 0.5;
            ir[i] = 200_000 - (int)Math.Round(unit * 20_000);
        }
        return ir;
    }

    private static (List<string> Lines, DeviceRun Run) OnHost(int[] ir)
    {
        var sink = new LineRecorder();
        var run = new DeviceRun();
        run.Run(ir, new BytesBlobSource("resource", File.ReadAllBytes(BlobPath)), sink);
        return (Enumerable.Range(0, sink.Count).Select(sink.Line).ToList(), run);
    }

    private static ProcResult OnNano(int[] ir, int heapBytes)
    {
        string dir = Path.Combine(NanoBuild.WorkDir, "app-heap-" + heapBytes.ToString(CultureInfo.InvariantCulture));
        string exe = Path.Combine(dir, "AlarmHeapRunner.pe");
        string[] data = NanoDataWriter.Write(Path.Combine(dir, "data"), new List<(string, byte[])> { ("heart-rate", File.ReadAllBytes(BlobPath)) });
        string recordSource = Path.Combine(dir, "Record.cs");
        string[] libs = { "Micro.Runtime", "Micro.HeartRate", "Micro.Drivers.Max30102", "Micro.App" };
        if (!File.Exists(exe))
        {
            var build = new List<string> { "build", "--exe", "--name", "AlarmHeapRunner", "--out", dir, "--ref", Path.ChangeExtension(data[^1], ".dll") };
            foreach (string l in libs) build.AddRange(new[] { "--ref", NanoBuild.Dll(l) });
            File.WriteAllText(recordSource, RecordSource(ir));
            build.Add(recordSource);
            build.Add(Path.Combine(NanoToolchain.RepoRoot, "tests", "nano", "AlarmHeap", "Program.cs"));
            build.Add(Path.Combine(NanoToolchain.RepoRoot, "tests", "nano", "Alarm", "DeviceRun.cs"));
            ProcResult b = Proc.Nf(build);
            Assert.AreEqual(0, b.ExitCode, "tests/nano/AlarmHeap does not build for nanoFramework:\n" + b.Both);
        }
        return Proc.Nf(new[] { "run", "--heap", heapBytes.ToString(CultureInfo.InvariantCulture), "--timeout", "600" }
            .Concat(libs.Select(NanoBuild.Pe)).Concat(data).Append(exe));
    }

    /// <summary>The record as a string literal for tests/nano/AlarmHeap (TextWave): char i = 0x20 + (200,000 − ir[i]).</summary>
    private static string RecordSource(int[] ir)
    {
        var text = new StringBuilder();
        foreach (int v in ir)
        {
            int c = 0x20 + 200_000 - v;
            if (c < 0x20 || c >= 0xD800) throw new ArgumentOutOfRangeException(nameof(ir), v, "an IR count outside what one char holds");
            text.Append("\\u").Append(c.ToString("x4", CultureInfo.InvariantCulture));
        }
        return "namespace Micro.Nano.AlarmHeap\n{\n    internal static class Record\n    {\n        public static string Text() { return \"" + text + "\"; }\n    }\n}\n";
    }

    [TestMethod]
    public void TheWholeAppWithTheModelRunsOneRecordInTheHeapBudget()
    {
        NanoToolchain.RequireToolchain();
        int[] ir = IrAt50Hz(Record);
        var (hostLines, host) = OnHost(ir);
        Assert.IsTrue(host.Model.HasModel, host.Model.Message);
        long inferences = host.App.Classifier.Invocations;
        Assert.IsTrue(inferences > 0, $"{Record}: the network never ran on the host; pick a record where the gate opens");

        ProcResult run = OnNano(ir, HeapBytes);
        Assert.AreEqual(0, run.ExitCode, $"the whole app on nanoCLR in a {HeapBytes} B heap:\n{run.Both}");
        var lines = run.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.IsTrue(lines.Contains("end"), "the run did not finish:\n" + run.Both);
        Assert.IsTrue(lines.Contains("model loaded"), $"the model did not load in {HeapBytes} B:\n{run.Stdout}");
        Assert.IsTrue(lines.Contains($"inferences {inferences} samples {ir.Length} lost 0"), $"expected {inferences} inferences over {ir.Length} samples:\n{run.Stdout}");
        var nanoLines = lines.Where(l => l.StartsWith("line ", StringComparison.Ordinal)).Select(l => l[5..]).ToList();
        CollectionAssert.AreEqual(hostLines, nanoLines, "alert lines on nanoCLR vs the host");
        TestContext.WriteLine($"{Record}: {nanoLines.Count} alert lines, {inferences} inferences, {ir.Length} samples in a {HeapBytes} B heap, identical to the host");
    }

    [TestMethod]
    public void InAHeapTooSmallForTheModelTheAppRunsOnRulesWithTheModelAlarm()
    {
        NanoToolchain.RequireToolchain();
        int[] ir = IrAt50Hz(Record);
        // 40 KB: room for the app and the chain (built first), not for the blob, its tables and arena.
        ProcResult run = OnNano(ir, 40 * 1024);
        Assert.AreEqual(0, run.ExitCode, "the app must survive a model that does not fit:\n" + run.Both);
        var lines = run.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.IsTrue(lines.Any(l => l.StartsWith("model NOT loaded: ", StringComparison.Ordinal)), run.Stdout);
        Assert.IsTrue(lines.Contains($"inferences 0 samples {ir.Length} lost 0"), "the rules analysed every sample:\n" + run.Stdout);
        Assert.IsTrue(lines.Any(l => l.StartsWith("line ", StringComparison.Ordinal) && l.Contains(",MODEL,ON,")), "the MODEL alarm was raised:\n" + run.Stdout);
        Assert.IsTrue(lines.Any(l => l.Contains(",STATUS,")), "status lines carry on:\n" + run.Stdout);
        TestContext.WriteLine("in 40 KB: " + lines.First(l => l.StartsWith("model NOT", StringComparison.Ordinal)));
    }
}
