using System.Text.Json;
using Micro.HostTools;
using Micro.Runtime;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.HostTools.Tests.Commands;

[TestClass]
public class InspectAndRunTests
{
    private static QGraph SmallMlp()
    {
        var r = new Random(4);
        var g = new QGraph { Name = "cli-mlp", Version = "2" };
        var x = g.AddTensor("x", new[] { 1, 8 }, 0.05f, 3);
        var h = g.AddTensor("h", new[] { 1, 6 }, 0.04f, -128);
        var y = g.AddTensor("y", new[] { 1, 3 }, 0.1f, 0);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        g.Add(Fc(r, x, h));
        g.Add(Fc(r, h, y));
        return g;
    }

    private static QFullyConnected Fc(Random r, QTensor x, QTensor y)
    {
        var op = new QFullyConnected
        {
            Name = y.Name,
            Weights = Enumerable.Range(0, x.Channels * y.Channels).Select(_ => (sbyte)r.Next(-127, 128)).ToArray(),
            Bias = Enumerable.Range(0, y.Channels).Select(_ => r.Next(-500, 500)).ToArray(),
            Multipliers = new[] { 1_500_000_000 },
            Shifts = new[] { -8 },
        };
        op.Inputs.Add(x);
        op.Output = y;
        return op;
    }

    [TestMethod]
    public void InspectJsonReportsOpsAndTheArenaTheRuntimeAllocates()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "m.mblob");
        File.WriteAllBytes(blob, BlobEmitter.Emit(SmallMlp()));
        var (code, stdout, _) = CliHarness.Run("inspect", blob, "--json");
        Assert.AreEqual(ExitCodes.Ok, code);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.AreEqual("cli-mlp", root.GetProperty("name").GetString());
        Assert.AreEqual(2, root.GetProperty("ops").GetArrayLength());
        Assert.AreEqual(8L * 6 + 6 * 3, root.GetProperty("mainMacs").GetInt64());
        Assert.AreEqual(new Interpreter(Model.Load(File.ReadAllBytes(blob))).Arena.Length, root.GetProperty("arenaBytes").GetInt32());
        Assert.AreEqual(48, root.GetProperty("ops")[0].GetProperty("weightBytes").GetInt32());

        var (code2, table, _) = CliHarness.Run("inspect", blob);
        Assert.AreEqual(ExitCodes.Ok, code2);
        StringAssert.Contains(table, "FULLY_CONNECTED");
    }

    [TestMethod]
    public void RunWritesOneRawOutputPerSample()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "m.mblob"), input = Path.Combine(dir, "x.bin"), output = Path.Combine(dir, "y.bin");
        File.WriteAllBytes(blob, BlobEmitter.Emit(SmallMlp()));
        var samples = new byte[5 * 8];
        new Random(1).NextBytes(samples);
        File.WriteAllBytes(input, samples);
        var (code, _, err) = CliHarness.Run("run", blob, "--input", input, "--output", output, "--raw");
        Assert.AreEqual(ExitCodes.Ok, code, err);
        var y = File.ReadAllBytes(output);
        Assert.AreEqual(5 * 3, y.Length);
        // Sample 3 alone gives the same bytes as in the batch.
        var it = new Interpreter(Model.Load(File.ReadAllBytes(blob)));
        it.SetInput(0, samples.Skip(24).Take(8).Select(b => (sbyte)b).ToArray(), 0);
        it.Invoke();
        for (int i = 0; i < 3; i++) Assert.AreEqual((sbyte)y[9 + i], (sbyte)it.OutputValue(0, i));

        var (code2, _, _) = CliHarness.Run("run", blob, "--input", input, "--output", Path.Combine(dir, "f.bin"));
        Assert.AreEqual(ExitCodes.Ok, code2);
        Assert.AreEqual(5 * 3 * 4, new FileInfo(Path.Combine(dir, "f.bin")).Length);
    }

    [TestMethod]
    public void BadInputsGiveExitCode2AndWriteNothing()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "m.mblob"), input = Path.Combine(dir, "x.bin"), output = Path.Combine(dir, "y.bin");
        var bytes = BlobEmitter.Emit(SmallMlp());
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(blob, bytes);
        File.WriteAllBytes(input, new byte[16]);
        var (code, _, err) = CliHarness.Run("run", blob, "--input", input, "--output", output);
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "CrcMismatch");
        Assert.IsFalse(File.Exists(output));

        File.WriteAllBytes(blob, BlobEmitter.Emit(SmallMlp()));
        File.WriteAllBytes(input, new byte[13]);
        (code, _, err) = CliHarness.Run("run", blob, "--input", input, "--output", output);
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "8 bytes");
        Assert.IsFalse(File.Exists(output));
        Assert.AreEqual(0, Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories).Length + Directory.GetFiles(dir, ".*").Length);
    }
}
