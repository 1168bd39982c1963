using System.Globalization;
using Micro.Nano.Tests.Support;
using Micro.Tooling.Running;

namespace Micro.Nano.Tests;

/// <summary>
/// The bundled heart-rate blob loads and runs on nanoCLR inside a 64 KB managed heap (the device budget of
/// issue 11, `nf run --heap 65536`), sliced as the device loop runs it (Interpreter.Start + Step), with
/// output bytes identical to the host's BlobRunner on 32 random windows (tests/nano/Heap/Program.cs). The
/// heap taken by the blob, Model.Load and the Interpreter is printed to the test log.
/// </summary>
[TestClass]
public sealed class NanoHeapTests
{
    public const int HeapBytes = 65536;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void HeartRateModelRunsSlicedInA64KbHeap()
    {
        NanoToolchain.RequireToolchain();
        byte[] blob = File.ReadAllBytes(Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate", "heart-rate.mblob"));
        var host = new BlobRunner(blob, earlyExit: false);
        int inSize = host.Input.ByteSize, outSize = host.Output.ByteSize;
        var input = new byte[32 * inSize];
        new Random(12).NextBytes(input);
        string dir = Path.Combine(NanoBuild.WorkDir, "heap");
        string[] data = NanoDataWriter.Write(Path.Combine(dir, "data"), new List<(string, byte[])> { ("heart-rate", blob), ("random", input) });
        string manifest = Path.ChangeExtension(data[^1], ".dll");
        ProcResult b = Proc.Nf(new[] { "build", "--exe", "--name", "HeapRunner", "--ref", NanoBuild.Dll("Micro.Runtime"), "--ref", manifest,
            "--out", dir, Path.Combine(NanoToolchain.RepoRoot, "tests", "nano", "Heap", "Program.cs") });
        Assert.AreEqual(0, b.ExitCode, "tests/nano/Heap does not build for nanoFramework:\n" + b.Both);

        ProcResult run = Proc.Nf(new[] { "run", "--heap", HeapBytes.ToString(CultureInfo.InvariantCulture), "--timeout", "600", NanoBuild.Pe("Micro.Runtime") }
            .Concat(data).Append(Path.Combine(dir, "HeapRunner.pe")));
        Assert.AreEqual(0, run.ExitCode, $"the heart-rate model on nanoCLR in a {HeapBytes} B heap:\n{run.Both}");
        Assert.IsTrue(run.Stdout.Contains("end\n", StringComparison.Ordinal), "the runner did not finish:\n" + run.Both);

        byte[] expected = host.RunRaw(input);
        var lines = run.Stdout.Split('\n').Select(l => l.Trim()).ToList();
        for (int s = 0; s < 32; s++)
        {
            string want = "out random " + s + " " + Convert.ToHexStringLower(expected, s * outSize, outSize);
            Assert.IsTrue(lines.Contains(want), $"sample {s}: nanoCLR printed no '{want}'\n{run.Stdout}");
        }
        string heap = lines.First(l => l.StartsWith("heap ", StringComparison.Ordinal));
        string steps = lines.First(l => l.StartsWith("steps ", StringComparison.Ordinal));
        TestContext.WriteLine($"heart-rate in a {HeapBytes} B heap: {heap} (bytes); {steps} for 32 sliced inferences, byte-identical to the host");
    }
}
