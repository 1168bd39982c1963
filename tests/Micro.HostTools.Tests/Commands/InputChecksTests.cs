using Micro.HostTools;
using Micro.Tooling.Data;

namespace Micro.HostTools.Tests.Commands;

/// <summary>Bad values and mismatched files: one clear line, exit 2, nothing written — never a .NET exception.</summary>
[TestClass]
public class InputChecksTests
{
    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "onnx", name);

    private static string Pack(string dir, string model)
    {
        string blob = Path.Combine(dir, model + ".mblob");
        var (code, _, err) = CliHarness.Run("pack", Fixture(model + ".onnx"), "-c", Fixture(model + "_calib.npy"), "-o", blob);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        return blob;
    }

    private static void AssertClean(string err)
    {
        foreach (var leak in new[] { "Exception", "   at ", "(Parameter", "Actual value", "System." })
            Assert.IsFalse(err.Contains(leak), err);
        Assert.AreEqual(1, err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, err);
    }

    /// <summary>Samples [N, ...] from a fixture with one value replaced.</summary>
    private static string WithValue(string dir, string name, string fixture, int samples, int sample, float value)
    {
        var a = NpyFile.Read(Fixture(fixture));
        int size = a.Count / a.Shape[0];
        var data = a.Float32!.Take(samples * size).ToArray();
        data[sample * size + 1] = value;
        string path = Path.Combine(dir, name);
        NpyFile.Write(path, NpyArray.FromFloat32(new[] { samples }.Concat(a.Shape.Skip(1)).ToArray(), data));
        return path;
    }

    [TestMethod]
    public void VerifyRefusesABlobOfAnotherModelAndEmptyOrNonFiniteData()
    {
        string dir = CliHarness.TempDir();
        string mlp = Pack(dir, "mlp"), exitnet = Pack(dir, "exitnet");
        string html = Path.Combine(dir, "r.html");
        void Expect(string message, params string[] args)
        {
            var (code, stdout, err) = CliHarness.Run(args.Concat(new[] { "--report", html }).ToArray());
            Assert.AreEqual(ExitCodes.BadInput, code, err);
            StringAssert.Contains(err, message, err);
            AssertClean(err);
            Assert.IsFalse(stdout.Contains("top-1 agreement"), "no metrics for a wrong pairing");
            Assert.IsFalse(File.Exists(html));
        }
        // --force: past the source-hash check (exit 1, LayoutAndProvenanceTests) to the shape check.
        Expect("the blob does not match this model: blob input [1,4,16] (64 values) vs model input [1,1,49,10] (490 values)", "verify", Fixture("dscnn2d.onnx"), mlp, "--data", Fixture("dscnn2d_test.npy"), "--force");
        Expect("the blob does not match this model", "verify", Fixture("ppg1d.onnx"), exitnet, "--data", Fixture("ppg1d_test.npy"), "--force");

        var shape = NpyFile.Read(Fixture("mlp_test.npy")).Shape;
        string empty = Path.Combine(dir, "zero.npy");
        NpyFile.Write(empty, NpyArray.FromFloat32(new[] { 0 }.Concat(shape.Skip(1)).ToArray(), Array.Empty<float>()));
        Expect("zero.npy holds no samples", "verify", Fixture("mlp.onnx"), mlp, "--data", empty);
        Expect("nan.npy: sample 1, value 1 is NaN; inputs must be finite", "verify", Fixture("mlp.onnx"), mlp, "--data", WithValue(dir, "nan.npy", "mlp_test.npy", 3, 1, float.NaN));
    }

    [TestMethod]
    public void VerifyRefusesLabelsOutsideTheClasses()
    {
        string dir = CliHarness.TempDir();
        string mlp = Pack(dir, "mlp");
        int n = NpyFile.Read(Fixture("mlp_test.npy")).Shape[0];
        string nine = Path.Combine(dir, "nine.npy"), minus = Path.Combine(dir, "minus.txt"), half = Path.Combine(dir, "half.npy");
        NpyFile.Write(nine, NpyArray.FromInt64(new[] { n }, Enumerable.Repeat(9L, n).ToArray()));
        File.WriteAllLines(minus, Enumerable.Repeat("-1", n));
        NpyFile.Write(half, NpyArray.FromFloat32(new[] { n }, Enumerable.Repeat(1.5f, n).ToArray()));
        foreach (var (labels, message) in new[] { (nine, "label 0 is 9; the model has 5 classes (0 to 4)"), (minus, "label 0 is -1; the model has 5 classes"), (half, "label 0 is 1.5; labels are whole class numbers") })
        {
            var (code, _, err) = CliHarness.Run("verify", Fixture("mlp.onnx"), mlp, "--data", Fixture("mlp_test.npy"), "--labels", labels);
            Assert.AreEqual(ExitCodes.BadInput, code, err);
            StringAssert.Contains(err, message, err);
        }
    }

    [TestMethod]
    public void RunRefusesNanAndInfinityWithTheSampleIndex()
    {
        string dir = CliHarness.TempDir();
        string mlp = Pack(dir, "mlp");
        string output = Path.Combine(dir, "out.npy");
        string csv = Path.Combine(dir, "nan.csv");
        var first = NpyFile.Read(Fixture("mlp_test.npy"));
        int size = first.Count / first.Shape[0];
        File.WriteAllLines(csv, new[] { string.Join(",", Enumerable.Repeat("0.5", size)), "0.5,nan" + string.Concat(Enumerable.Repeat(",0.5", size - 2)) });
        foreach (var (input, message) in new[]
        {
            (WithValue(dir, "nan.npy", "mlp_test.npy", 3, 1, float.NaN), "nan.npy: sample 1, value 1 is NaN"),
            (WithValue(dir, "inf.npy", "mlp_test.npy", 3, 2, float.PositiveInfinity), "inf.npy: sample 2, value 1 is Infinity"),
            (csv, "nan.csv: sample 1, value 1 is NaN"),
        })
        {
            var (code, _, err) = CliHarness.Run("run", mlp, "-i", input, "-o", output);
            Assert.AreEqual(ExitCodes.BadInput, code, err);
            StringAssert.Contains(err, message, err);
            AssertClean(err);
            Assert.IsFalse(File.Exists(output));
        }
        var (ok, _, okErr) = CliHarness.Run("run", mlp, "-i", WithValue(dir, "one.npy", "mlp_test.npy", 1, 0, 0.25f), "-o", output);
        Assert.AreEqual(ExitCodes.Ok, ok, okErr);
        StringAssert.Contains(okErr, "1 sample →");
    }

    [TestMethod]
    public void PackRefusesOnnxOnlyOptionsOnTfliteAndARepeatedExit()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "x.mblob");
        string tflite = ConformanceData.ModelPath("kws_ref_model");
        foreach (var extra in new[] { new[] { "--exit", "x:auto" }, new[] { "--method", "Mse" }, new[] { "-c", Fixture("mlp_calib.npy") }, new[] { "--per-tensor" } })
        {
            var (code, _, err) = CliHarness.Run(new[] { "pack", tflite, "-o", blob }.Concat(extra).ToArray());
            Assert.AreEqual(ExitCodes.BadInput, code, string.Join(" ", extra) + ": " + err);
            StringAssert.Contains(err, "to float .onnx models only");
            StringAssert.Contains(err, extra[0] == "-c" ? "--calibration" : extra[0]);
            Assert.IsFalse(File.Exists(blob));
        }
        var (c, _, e) = CliHarness.Run("pack", Fixture("exitnet.onnx"), "-c", Fixture("exitnet_calib.npy"), "-o", blob, "--exit", "exit1:auto", "--exit", "exit1:auto");
        Assert.AreEqual(ExitCodes.BadInput, c, e);
        StringAssert.Contains(e, "--exit exit1 given 2 times");
        Assert.IsFalse(File.Exists(blob));
        var (one, stdout, oneErr) = CliHarness.Run("pack", Fixture("mlp.onnx"), "-c", Fixture("mlp_calib.npy"), "-o", blob, "--max-calibration-samples", "1");
        Assert.AreEqual(ExitCodes.Ok, one, oneErr);
        StringAssert.Contains(stdout, "calibrated on 1 sample (");
    }

    [TestMethod]
    [DataRow("--percentile 150: expected a percentile in (0, 100]", "pack", "@mlp.onnx", "-c", "@mlp_calib.npy", "-o", "#x.mblob", "--percentile", "150")]
    [DataRow("--auto-precision -5: expected", "pack", "@mlp.onnx", "-c", "@mlp_calib.npy", "-o", "#x.mblob", "--auto-precision", "-5")]
    [DataRow("--max-calibration-samples -3: expected", "pack", "@mlp.onnx", "-c", "@mlp_calib.npy", "-o", "#x.mblob", "--max-calibration-samples", "-3")]
    [DataRow("--max-samples -1: expected", "verify", "@mlp.onnx", "@mlp.onnx", "--data", "@mlp_test.npy", "--report", "#r.html", "--max-samples", "-1")]
    [DataRow("--min-sqnr NaN: expected a finite number", "verify", "@mlp.onnx", "@mlp.onnx", "--data", "@mlp_test.npy", "--report", "#r.html", "--min-sqnr", "NaN")]
    [DataRow("--baud 0: expected a baud rate", "monitor", "--port", "/dev/null", "--baud", "0", "--log", "#log.csv")]
    [DataRow("--duration -1: expected", "monitor", "--port", "/dev/null", "--duration", "-1", "--log", "#log.csv")]
    [DataRow("--baud 0: expected a baud rate", "simulate", "--recording", "@mlp_test.npy", "--baud", "0", "--alerts", "#a.txt")]
    public void OutOfRangeValuesAreRefusedUpFront(string message, params string[] args)
    {
        string dir = CliHarness.TempDir();
        var (code, stdout, err) = CliHarness.Run(args.Select(a => a.StartsWith('@') ? Fixture(a[1..]) : a.StartsWith('#') ? Path.Combine(dir, a[1..]) : a).ToArray());
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, message);
        Assert.IsFalse(err.Contains("(Parameter") || err.Contains("Actual value") || err.Contains("MaxRunTime"), err);
        Assert.AreEqual("", stdout);
        Assert.AreEqual(0, Directory.GetFiles(dir).Length);
    }

    [TestMethod]
    public void HelpSaysWhatTheDataMeansAndWhatTheExitCodeMeans()
    {
        var (_, run, _) = CliHarness.Run("run", "--help");
        StringAssert.Contains(run, "int8 values are taken as already-quantized");
        var (_, simulate, _) = CliHarness.Run("simulate", "--help");
        StringAssert.Contains(simulate, "first line is a header");
        var (_, evaluate, _) = CliHarness.Run("evaluate", "--help");
        StringAssert.Contains(evaluate, "a missed target does not change the exit code");
    }

    [TestMethod]
    public void AnUnknownBoardListsTheKnownOnes()
    {
        string dir = CliHarness.TempDir();
        string blob = Pack(dir, "mlp");
        var (code, _, err) = CliHarness.Run("inspect", blob, "--board", "nope");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "No board named 'nope'");
        StringAssert.Contains(err, "Known boards: esp32-devkitc");
    }
}
