#nullable enable
using System.Globalization;
using System.Text;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.Running;
using Micro.Tooling.Tests.TFLite.Reference;
using Micro.Tooling.TFLite;

namespace Micro.Tooling.Tests.TFLite;

/// <summary>
/// The five real models of shared/conformance/tflite: import, emit, run every sample of every set through
/// Micro.Runtime and require TFLite Micro's recorded output bytes exactly. When a byte differs, the test
/// localises it: the reference re-statement of TFLM's kernels (which must itself match TFLM) gives every
/// intermediate tensor, and blobs cut after each operator show the first operator whose runtime output
/// departs, with the element index and both bytes.
/// </summary>
[TestClass]
public class TfliteConformanceTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Models => ConformanceData.Models.Select(m => new object[] { m });

    private sealed record Imported(TfliteModel Model, TfliteImportResult Import, BlobEmitter.Result Emitted);

    private static Imported ImportModel(string model)
    {
        TfliteModel m = TfliteModelReader.Read(ConformanceData.ModelBytes(model));
        TfliteImportResult r = TfliteImporter.ImportDetailed(m, model);
        return new Imported(m, r, BlobEmitter.EmitWithPlan(r.Graph));
    }

    /// <summary>Loads the blob; a missing kernel is a failure (the runtime has every op of these models).</summary>
    private static BlobRunner Runner(byte[] blob) => new BlobRunner(blob, earlyExit: false);

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void MicroRuntimeReproducesTflmBytes(string model)
    {
        Imported imp = ImportModel(model);
        BlobRunner runner = Runner(imp.Emitted.Blob);
        ModelInfo info = ModelInfo.Load(model);
        Assert.IsTrue(info.Sets.Count >= 2, "every model has a random set and a real one");

        foreach (string set in info.Sets)
        {
            byte[] input = File.ReadAllBytes(Path.Combine(ConformanceData.ModelDir(model), set + "_input.bin"));
            byte[] expected = File.ReadAllBytes(Path.Combine(ConformanceData.ModelDir(model), set + "_output.bin"));
            byte[] actual = runner.RunRaw(input);
            Assert.AreEqual(expected.Length, actual.Length, $"{model}/{set}: output length");
            int first = FirstDifference(expected, actual);
            if (first >= 0)
            {
                int outSize = runner.Output.ByteSize;
                int sample = first / outSize;
                Assert.Fail($"{model}/{set}: sample {sample} output byte {first % outSize} is {(sbyte)actual[first]}, TFLM wrote {(sbyte)expected[first]}. "
                            + Localise(imp, input, runner.Input.ByteSize, sample));
            }
            TestContext.WriteLine($"{model}/{set}: {input.Length / runner.Input.ByteSize} samples byte-identical to TFLM");
        }
    }

    /// <summary>
    /// The test-side re-statement of TFLM's kernels, fed the parameters TflmParams derives, reproduces the
    /// recorded outputs: the parameter derivations are right independently of Micro.Runtime's kernels.
    /// (First three samples of each set; the reference is slow.)
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Models))]
    public void ReferenceKernelsWithImportedParamsReproduceTflm(string model)
    {
        TfliteModel m = TfliteModelReader.Read(ConformanceData.ModelBytes(model));
        TfliteSubGraph sg = m.SubGraphs[0];
        int inT = sg.Inputs[0], outT = sg.Outputs[0];
        int inSize = (int)sg.Tensors[inT].ElementCount, outSize = (int)sg.Tensors[outT].ElementCount;
        var reference = new TflmReference(m);
        foreach (string set in ModelInfo.Load(model).Sets)
        {
            byte[] input = File.ReadAllBytes(Path.Combine(ConformanceData.ModelDir(model), set + "_input.bin"));
            byte[] expected = File.ReadAllBytes(Path.Combine(ConformanceData.ModelDir(model), set + "_output.bin"));
            int samples = Math.Min(3, input.Length / inSize);
            for (int s = 0; s < samples; s++)
            {
                sbyte[] y = reference.Run(inT, Slice(input, s * inSize, inSize))[outT];
                for (int i = 0; i < outSize; i++)
                    Assert.AreEqual((sbyte)expected[s * outSize + i], y[i], $"{model}/{set} sample {s} element {i}");
            }
        }
    }

    /// <summary>Blob size against the .tflite file and the planned arena against TFLM's arena_used_bytes.</summary>
    [TestMethod]
    [DynamicData(nameof(Models))]
    public void BlobAndArenaAreSmallerThanTflm(string model)
    {
        Imported imp = ImportModel(model);
        ModelInfo info = ModelInfo.Load(model);
        int blob = imp.Emitted.Blob.Length;
        int arena = imp.Emitted.Plan.ArenaSize;
        TestContext.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0}: blob {1:N0} B vs .tflite {2:N0} B ({3:P0}); arena {4:N0} B (lower bound {5:N0}) vs TFLM arena_used_bytes {6:N0} B on x86-64 ({7:P0})",
            model, blob, info.Bytes, (double)blob / info.Bytes, arena, imp.Emitted.Plan.LowerBound, info.ArenaUsedBytes,
            (double)arena / info.ArenaUsedBytes));
        // The blob holds weights, biases and per-channel requantization only: no names, no shape tensors, no
        // flatbuffer tables. The arena holds activations only (TFLM's also holds tensor structs and scratch).
        Assert.IsTrue(blob < info.Bytes, $"blob {blob} B should be smaller than the .tflite file {info.Bytes} B");
        Assert.IsTrue(arena <= info.ArenaUsedBytes, $"arena {arena} B should not exceed TFLM's {info.ArenaUsedBytes} B");
        Assert.AreEqual(imp.Emitted.Plan.LowerBound, arena, "these chains should reach the planner's lower bound");
    }

    // ---- published expectations --------------------------------------------------------------------------

    [TestMethod]
    public void HelloWorldApproximatesSine()
    {
        BlobRunner r = Runner(ImportModel("hello_world_int8").Emitted.Blob);
        // hello_world_test.cc: golden int8 inputs {-96, -63, -34, 0} stand for x = 0.77, 1.57, 2.3, 3.14; the
        // dequantized output approximates sin(x) (info.txt: worst error 0.0161).
        byte[] input = File.ReadAllBytes(Path.Combine(ConformanceData.ModelDir("hello_world_int8"), "golden_input.bin"));
        CollectionAssert.AreEqual(new sbyte[] { -96, -63, -34, 0 }, input.Select(b => (sbyte)b).ToArray());
        byte[] y = r.RunRaw(input);
        double[] xs = { 0.77, 1.57, 2.3, 3.14 };
        Tensor o = r.Output;
        for (int i = 0; i < xs.Length; i++)
            Assert.AreEqual(Math.Sin(xs[i]), o.Scale * ((sbyte)y[i] - o.ZeroPoint), 0.02, $"sin({xs[i]})");
    }

    [TestMethod]
    public void PersonDetectTellsPersonFromNoPerson()
    {
        BlobRunner r = Runner(ImportModel("person_detect").Emitted.Blob);
        byte[] input = File.ReadAllBytes(Path.Combine(ConformanceData.ModelDir("person_detect"), "testimg_input.bin"));
        byte[] y = r.RunRaw(input);
        // Output [no_person, person]; sample 0 is person.bmp, sample 1 no_person.bmp (person_detection_test.cc).
        Assert.IsTrue((sbyte)y[1] > (sbyte)y[0], $"person image: scores {(sbyte)y[0]}, {(sbyte)y[1]}");
        Assert.IsTrue((sbyte)y[2] > (sbyte)y[3], $"no-person image: scores {(sbyte)y[2]}, {(sbyte)y[3]}");
    }

    [TestMethod]
    public void MicroSpeechRecognisesTheTestWavs()
    {
        BlobRunner r = Runner(ImportModel("micro_speech_quantized").Emitted.Blob);
        byte[] input = File.ReadAllBytes(Path.Combine(ConformanceData.ModelDir("micro_speech_quantized"), "testwav_input.bin"));
        byte[] y = r.RunRaw(input);
        // Labels silence, unknown, yes, no; the test expects yes, no, silence, silence.
        int[] expected = { 2, 3, 0, 0 };
        for (int s = 0; s < 4; s++) Assert.AreEqual(expected[s], ArgMax(y, s * 4, 4), $"sample {s}");
    }

    [TestMethod]
    public void KeywordSpottingHearsOn()
    {
        BlobRunner r = Runner(ImportModel("kws_ref_model").Emitted.Blob);
        byte[] input = File.ReadAllBytes(Path.Combine(ConformanceData.ModelDir("kws_ref_model"), "kws_input_data_input.bin"));
        Assert.AreEqual(5, ArgMax(r.RunRaw(input), 0, 12), "MLPerf Tiny's kws_input_data is the keyword 'on'");
    }

    [TestMethod]
    public void AnomalyDetectionScoreMatchesTheReferenceRun()
    {
        BlobRunner r = Runner(ImportModel("ad01_int8").Emitted.Blob);
        string dir = ConformanceData.ModelDir("ad01_int8");
        byte[] raw = File.ReadAllBytes(Path.Combine(dir, "dcase_normal_id01_input.bin"));
        byte[] floats = File.ReadAllBytes(Path.Combine(dir, "dcase_normal_id01_input_float32.bin"));
        byte[] y = r.RunRaw(raw);
        Tensor o = r.Output;
        int n = raw.Length / 640;
        double total = 0;
        for (int s = 0; s < n; s++)
        {
            double se = 0;
            for (int i = 0; i < 640; i++)
            {
                double deq = o.Scale * ((sbyte)y[s * 640 + i] - o.ZeroPoint);
                double x = BitConverter.ToSingle(floats, 4 * (s * 640 + i));
                se += (deq - x) * (deq - x);
            }
            total += se / 640;
        }
        // info.txt: anomaly score (mean over 196 windows of the MSE) = 10.2645.
        Assert.AreEqual(196, n);
        Assert.AreEqual(10.2645, total / n, 5e-4);
    }

    // ---- localisation --------------------------------------------------------------------------------------

    /// <summary>Names the first operator whose runtime output differs from the reference, for one sample.</summary>
    private static string Localise(Imported imp, byte[] inputs, int inSize, int sample)
    {
        var sb = new StringBuilder();
        try
        {
            QGraph g = imp.Import.Graph;
            int inT = imp.Import.TfliteTensor[g.Inputs[0]];
            Dictionary<int, sbyte[]> reference = new TflmReference(imp.Model).Run(inT, Slice(inputs, sample * inSize, inSize));
            byte[] one = inputs.AsSpan(sample * inSize, inSize).ToArray();
            for (int k = 0; k < g.Ops.Count; k++)
            {
                QOp op = g.Ops[k];
                int t = imp.Import.TfliteTensor[op.Output];
                byte[] got = new BlobRunner(BlobEmitter.Emit(Prefix(g, k)), earlyExit: false).RunRaw(one);
                sbyte[] want = reference[t];
                for (int i = 0; i < want.Length; i++)
                {
                    if ((sbyte)got[i] != want[i])
                    {
                        sb.Append($"First departure: blob op {k} = {op.Name} (opcode {OpCodes.Name(op.OpCode)}), output tensor {t} \"{op.Output.Name}\" "
                                  + $"[{string.Join(",", op.Output.Shape)}], element {i}: runtime {(sbyte)got[i]}, TFLM reference {want[i]}; "
                                  + $"{CountDifferences(got, want)} of {want.Length} elements differ. Its inputs match the reference.");
                        return sb.ToString();
                    }
                }
            }
            sb.Append("Every intermediate tensor matches the reference; the difference is in the final output only.");
        }
        catch (Exception e)
        {
            sb.Append("(localisation failed: " + e.Message + ")");
        }
        return sb.ToString();
    }

    /// <summary>The graph's first k + 1 ops, with op k's output as the only output.</summary>
    private static QGraph Prefix(QGraph g, int k)
    {
        var p = new QGraph { Name = g.Name, Version = g.Version };
        var used = new HashSet<QTensor>(g.Inputs);
        for (int i = 0; i <= k; i++)
        {
            p.Ops.Add(g.Ops[i]);
            foreach (QTensor t in g.Ops[i].Inputs) used.Add(t);
            used.Add(g.Ops[i].Output);
        }
        p.Tensors.AddRange(g.Tensors.Where(used.Contains));
        p.Inputs.AddRange(g.Inputs);
        p.Outputs.Add(g.Ops[k].Output);
        return p;
    }

    private static int CountDifferences(byte[] got, sbyte[] want)
    {
        int n = 0;
        for (int i = 0; i < want.Length; i++) if ((sbyte)got[i] != want[i]) n++;
        return n;
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return i;
        return -1;
    }

    private static sbyte[] Slice(byte[] b, int offset, int length)
    {
        var s = new sbyte[length];
        for (int i = 0; i < length; i++) s[i] = unchecked((sbyte)b[offset + i]);
        return s;
    }

    private static int ArgMax(byte[] y, int offset, int n)
    {
        int best = 0;
        for (int i = 1; i < n; i++) if ((sbyte)y[offset + i] > (sbyte)y[offset + best]) best = i;
        return best;
    }
}
