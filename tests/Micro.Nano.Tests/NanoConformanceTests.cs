using System.Globalization;
using Micro.Nano.Tests.Support;
using Micro.Tooling.Packing;
using Micro.Tooling.Running;

namespace Micro.Nano.Tests;

/// <summary>
/// The runtime on nanoCLR gives byte-identical outputs to the host runtime: every conformance model of
/// shared/conformance/tflite (packed by the host tools' TFLite packer, as `micro pack` does) and the bundled
/// heart-rate blob run on nanoCLR (tests/nano/Conformance/Program.cs) over their input vectors, and every
/// output byte of every inference is compared with Micro.Tooling's BlobRunner on the host (early exit off
/// on both). The host outputs are themselves byte-identical to TFLite Micro's (Micro.Tooling.Tests).
/// All input vectors run, except person_detect's random set: its first <see cref="PersonDetectRandomSamples"/>
/// of 64 samples (about 0.3 s of nanoCLR time each; MICRO_NANO_ALL_SAMPLES=1 runs all).
/// </summary>
[TestClass]
public sealed partial class NanoConformanceTests
{
    public const int PersonDetectRandomSamples = 8;

    public static readonly string[] ConformanceModels =
        { "hello_world_int8", "micro_speech_quantized", "kws_ref_model", "person_detect", "ad01_int8" };

    public static IEnumerable<object[]> Models => ConformanceModels.Select(m => new object[] { m });

    private static readonly Lazy<string> Runner = new(BuildRunner, LazyThreadSafetyMode.ExecutionAndPublication);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void ConformanceModelMatchesHostOnNanoClr(string model)
    {
        NanoToolchain.RequireToolchain();
        string dir = Path.Combine(NanoToolchain.ConformanceDir, model);
        if (!File.Exists(Path.Combine(dir, "model.tflite"))) Assert.Inconclusive("skipped: no conformance model " + dir);
        byte[] blob = Packer.Pack(new PackOptions { Model = Path.Combine(dir, "model.tflite"), Name = model }).Blob;
        var sets = new List<(string, byte[])>();
        int inSize = new BlobRunner(blob).Input.ByteSize;
        foreach (string f in Directory.GetFiles(dir, "*_input.bin").OrderBy(f => f, StringComparer.Ordinal))
        {
            string set = Path.GetFileName(f)[..^"_input.bin".Length];
            byte[] input = File.ReadAllBytes(f);
            int limit = model == "person_detect" && set == "random" && Environment.GetEnvironmentVariable("MICRO_NANO_ALL_SAMPLES") != "1"
                ? PersonDetectRandomSamples : int.MaxValue;
            if (input.Length / inSize > limit) input = input[..(limit * inSize)];
            sets.Add((set, input));
        }
        RunAndCompare(model, blob, sets);
    }

    [TestMethod]
    public void HeartRateBlobMatchesHostOnNanoClr()
    {
        NanoToolchain.RequireToolchain();
        byte[] blob = File.ReadAllBytes(Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate", "heart-rate.mblob"));
        // 32 windows of seeded random int8 values (any byte is a valid int8 input); the alarm test runs real
        // windows of the bundled records through the same blob.
        int inSize = new BlobRunner(blob).Input.ByteSize;
        var input = new byte[32 * inSize];
        new Random(11).NextBytes(input);
        RunAndCompare("heart-rate", blob, new List<(string, byte[])> { ("random", input) });
    }

    private void RunAndCompare(string model, byte[] blob, List<(string Set, byte[] Input)> sets)
    {
        var host = new BlobRunner(blob, earlyExit: false);
        int inSize = host.Input.ByteSize;
        var streams = new List<(string, byte[])> { (model, blob) };
        streams.AddRange(sets);
        string[] data = NanoDataWriter.Write(Path.Combine(NanoBuild.WorkDir, "conformance", model), streams);
        ProcResult run = Proc.Nf(new[] { "run", "--timeout", "600", NanoBuild.Pe("Micro.Runtime") }.Concat(data).Append(Runner.Value));
        Assert.AreEqual(0, run.ExitCode, $"{model} on nanoCLR:\n{Tail(run.Both)}");

        var nano = new Dictionary<(string, int), string>();
        string? timing = null;
        foreach (string line in run.Stdout.Split('\n'))
        {
            string[] w = line.Trim().Split(' ');
            if (w.Length == 4 && w[0] == "out") nano[(w[1], int.Parse(w[2], CultureInfo.InvariantCulture))] = w[3];
            else if (w.Length == 4 && w[0] == "time") timing = w[2] + " " + w[3];
        }
        Assert.IsTrue(run.Stdout.Contains("end " + model + "\n", StringComparison.Ordinal), $"{model}: the runner did not finish:\n{Tail(run.Both)}");

        int inferences = 0;
        foreach (var (set, input) in sets)
        {
            byte[] expected = host.RunRaw(input);
            int outSize = host.Output.ByteSize, samples = input.Length / inSize;
            for (int s = 0; s < samples; s++)
            {
                Assert.IsTrue(nano.TryGetValue((set, s), out string? hex), $"{model}/{set}: no output for sample {s} on nanoCLR");
                string want = Convert.ToHexStringLower(expected, s * outSize, outSize);
                if (hex != want)
                {
                    int i = 0;
                    while (i < want.Length && hex.Length > i && hex[i] == want[i]) i++;
                    Assert.Fail($"{model}/{set} sample {s}: nanoCLR output byte {i / 2} differs from the host's\n nano: {hex}\n host: {want}");
                }
                inferences++;
            }
        }
        Assert.AreEqual(inferences, nano.Count, $"{model}: nanoCLR printed outputs the host has no sample for");
        double us = 0;
        if (timing != null)
        {
            string[] t = timing.Split(' ');
            us = double.Parse(t[0], CultureInfo.InvariantCulture) / 10.0 / Math.Max(1, int.Parse(t[1], CultureInfo.InvariantCulture));
        }
        TestContext.WriteLine($"{model}: {inferences} inferences byte-identical to the host on nanoCLR; {us:F0} µs per inference, run {run.Elapsed.TotalSeconds:F1} s, {data.Length} data assemblies");
    }

    private static string Tail(string s) => s.Length <= 4000 ? s : "…" + s[^4000..];

    /// <summary>tests/nano/Conformance/Program.cs, built once against a placeholder NanoData (same API as every model's).</summary>
    private static string BuildRunner()
    {
        string dir = Path.Combine(NanoBuild.WorkDir, "conformance-runner");
        string[] placeholder = NanoDataWriter.Write(Path.Combine(dir, "placeholder"), new List<(string, byte[])> { ("placeholder", new byte[] { 0 }) });
        string manifest = Path.ChangeExtension(placeholder[^1], ".dll");
        ProcResult b = Proc.Nf(new[] { "build", "--exe", "--name", "ConformanceRunner", "--ref", NanoBuild.Dll("Micro.Runtime"), "--ref", manifest,
            "--out", dir, Path.Combine(NanoToolchain.RepoRoot, "tests", "nano", "Conformance", "Program.cs") });
        if (b.ExitCode != 0) throw new InvalidOperationException("tests/nano/Conformance does not build for nanoFramework:\n" + b.Both);
        return Path.Combine(dir, "ConformanceRunner.pe");
    }
}
