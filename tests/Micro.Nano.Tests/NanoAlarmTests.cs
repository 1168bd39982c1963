using System.Globalization;
using System.Reflection;
using System.Text;
using Micro.HeartRate;
using Micro.Nano.Alarm;
using Micro.Nano.Tests.Support;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Recordings;

namespace Micro.Nano.Tests;

/// <summary>
/// The device alarm loop on nanoCLR: Micro.App's AlarmApp over each bundled record
/// (models/heart-rate/samples/*.csv) with the bundled heart-rate blob, fed as `micro simulate` feeds the chain
/// (AlarmSimulation.ReadRecording, ChainHarness.SettingsFor, Recording.PpgCounts), through a replay sensor, a
/// recording alert sink and a simulated clock (tests/nano/Alarm). The alert lines written on nanoCLR must
/// equal, line for line, those of the same replay code run on the host, and those `micro simulate` prints.
/// </summary>
[TestClass]
public sealed class NanoAlarmTests
{
    private static string SamplesDir => Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate", "samples");

    private static string BlobPath => Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate", "heart-rate.mblob");

    public static IEnumerable<object[]> Records =>
        Directory.GetFiles(SamplesDir, "*.csv").Select(f => Path.GetFileNameWithoutExtension(f))
            .Where(n => n != "labels").OrderBy(n => n, StringComparer.Ordinal).Select(n => new object[] { n });

    private static readonly Lazy<NanoRun> Nano = new(RunOnNano, LazyThreadSafetyMode.ExecutionAndPublication);

    private sealed record NanoRun(ProcResult Process, Dictionary<string, List<string>> Lines);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DynamicData(nameof(Records))]
    public void AlarmLoopOnNanoClrWritesTheHostsAlertLines(string record)
    {
        NanoToolchain.RequireToolchain();
        Recording rec = AlarmSimulation.ReadRecording(Path.Combine(SamplesDir, record + ".csv"));
        byte[] blob = File.ReadAllBytes(BlobPath);

        LineRecorder host = AlarmReplay.Run(ChainHarness.SettingsFor(rec), Samples(rec), blob);
        var hostLines = Enumerable.Range(0, host.Count).Select(host.Line).ToList();

        var simulate = new StringWriter { NewLine = "\n" };
        AlarmSimulation.Run(rec, blob, simulate);
        var simulateLines = simulate.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

        NanoRun nano = Nano.Value;
        Assert.IsTrue(nano.Lines.TryGetValue(record, out List<string>? nanoLines),
            $"{record}: the replay did not finish on nanoCLR:\n{nano.Process.Both}");

        Assert.IsTrue(hostLines.Count >= 2, $"{record}: the host replay wrote {hostLines.Count} lines");
        AssertSameLines(hostLines, nanoLines, record + ": nanoCLR vs the same replay on the host");
        AssertSameLines(simulateLines, hostLines, record + ": the device loop vs micro simulate");
        TestContext.WriteLine($"{record}: {nanoLines.Count} alert lines identical on nanoCLR, the host and micro simulate (nanoCLR run of all records {nano.Process.Elapsed.TotalSeconds:F1} s)");
    }

    private static void AssertSameLines(List<string> expected, List<string> actual, string what)
    {
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
            if (expected[i] != actual[i])
                Assert.Fail($"{what}: line {i + 1} differs\n expected: {expected[i]}\n actual:   {actual[i]}");
        Assert.AreEqual(expected.Count, actual.Count, $"{what}: line count\n expected:\n{string.Join("\n", expected)}\n actual:\n{string.Join("\n", actual)}");
    }

    /// <summary>The integer samples the chain gets, exactly as ChainHarness feeds them in `micro simulate`.</summary>
    private static int[] Samples(Recording rec) => Enumerable.Range(0, rec.Length).Select(rec.PpgCounts).ToArray();

    /// <summary>All records in one nanoCLR run: data (blob, then each record's int32 samples) and generated settings.</summary>
    private static NanoRun RunOnNano()
    {
        string dir = Path.Combine(NanoBuild.WorkDir, "alarm");
        var streams = new List<(string, byte[])> { ("heart-rate", File.ReadAllBytes(BlobPath)) };
        var settings = new StringBuilder();
        settings.Append("using Micro.HeartRate;\n\nnamespace Micro.Nano.Alarm\n{\n    /// <summary>Generated from ChainHarness.SettingsFor: the fields that differ from the defaults.</summary>\n");
        settings.Append("    public static class ReplaySettings\n    {\n        public static HeartRateSettings For(string record)\n        {\n");
        settings.Append("            HeartRateSettings s = new HeartRateSettings();\n");
        var defaults = new HeartRateSettings();
        foreach (object[] row in Records)
        {
            string record = (string)row[0];
            Recording rec = AlarmSimulation.ReadRecording(Path.Combine(SamplesDir, record + ".csv"));
            int[] samples = Samples(rec);
            var bytes = new byte[samples.Length * 4];
            Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the replay data is little-endian");
            streams.Add((record, bytes));
            settings.Append("            if (record == \"").Append(record).Append("\")\n            {\n");
            HeartRateSettings s = ChainHarness.SettingsFor(rec);
            foreach (FieldInfo f in typeof(HeartRateSettings).GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                object? v = f.GetValue(s);
                if (Equals(v, f.GetValue(defaults))) continue;
                string literal = v switch
                {
                    bool flag => flag ? "true" : "false",
                    int i => i.ToString(CultureInfo.InvariantCulture),
                    long l => l.ToString(CultureInfo.InvariantCulture) + "L",
                    _ => throw new NotSupportedException($"HeartRateSettings.{f.Name} is a {f.FieldType}: teach NanoAlarmTests to write it"),
                };
                settings.Append("                s.").Append(f.Name).Append(" = ").Append(literal).Append(";\n");
            }
            settings.Append("            }\n");
        }
        settings.Append("            return s;\n        }\n    }\n}\n");
        Directory.CreateDirectory(dir);
        string settingsFile = Path.Combine(dir, "ReplaySettings.g.cs");
        File.WriteAllText(settingsFile, settings.ToString());

        string[] data = NanoDataWriter.Write(Path.Combine(dir, "data"), streams);
        string[] libs = { "Micro.Runtime", "Micro.HeartRate", "Micro.Drivers.Max30102", "Micro.App" };
        var sources = Directory.GetFiles(Path.Combine(NanoToolchain.RepoRoot, "tests", "nano", "Alarm"), "*.cs").Append(settingsFile);
        var build = new List<string> { "build", "--exe", "--name", "AlarmRunner", "--out", dir, "--ref", Path.ChangeExtension(data[^1], ".dll") };
        foreach (string l in libs) build.AddRange(new[] { "--ref", NanoBuild.Dll(l) });
        ProcResult b = Proc.Nf(build.Concat(sources));
        if (b.ExitCode != 0) Assert.Fail("tests/nano/Alarm does not build for nanoFramework:\n" + b.Both);

        ProcResult run = Proc.Nf(new[] { "run", "--timeout", "600" }.Concat(libs.Select(NanoBuild.Pe)).Concat(data).Append(Path.Combine(dir, "AlarmRunner.pe")));
        var lines = new Dictionary<string, List<string>>();
        var current = new Dictionary<string, List<string>>();
        foreach (string line in run.Stdout.Split('\n'))
        {
            string[] w = line.TrimEnd('\r').Split(' ', 3);
            if (w.Length == 3 && w[0] == "line")
            {
                if (!current.TryGetValue(w[1], out var l)) current[w[1]] = l = new List<string>();
                l.Add(w[2]);
            }
            else if (w.Length == 2 && w[0] == "end") lines[w[1]] = current.TryGetValue(w[1], out var l) ? l : new List<string>();
        }
        return new NanoRun(run, lines);
    }
}
