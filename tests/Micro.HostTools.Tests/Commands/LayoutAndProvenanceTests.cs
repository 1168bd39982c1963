using System.Security.Cryptography;
using System.Text.Json;
using Micro.HostTools;
using Micro.Tooling.Data;
using Micro.Tooling.Packing;
using Micro.Tooling.Verification;

namespace Micro.HostTools.Tests.Commands;

/// <summary>
/// One data layout for the user (run and verify take the source model's layout, recorded in the blob) and the
/// blob's provenance (source hash and pack settings: verify refuses another model's blob, inspect shows them).
/// rgbcnn.onnx takes NCHW [1,3,16,16]: three channels, so channels-first and channels-last data differ
/// (tests/fixtures/make_rgb_fixture.py); dscnn2d.onnx is the one-channel NCHW image fixture.
/// </summary>
[TestClass]
public class LayoutAndProvenanceTests
{
    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "onnx", name);

    private static string Pack(string dir, string model, params string[] extra)
    {
        string blob = Path.Combine(dir, model + ".mblob");
        var (code, _, err) = CliHarness.Run(new[] { "pack", Fixture(model + ".onnx"), "-c", Fixture(model + "_calib.npy"), "-o", blob }.Concat(extra).ToArray());
        Assert.AreEqual(ExitCodes.Ok, code, err);
        return blob;
    }

    /// <summary>[N,C,H,W] → [N,H,W,C], written out index by index (independent of the tool's transposition).</summary>
    private static string ToChannelsLast(string dir, string npy)
    {
        var a = NpyFile.Read(npy);
        int n = a.Shape[0], c = a.Shape[1], h = a.Shape[2], w = a.Shape[3];
        var x = a.Float32!;
        var y = new float[x.Length];
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        y[((s * h + i) * w + j) * c + ch] = x[((s * c + ch) * h + i) * w + j];
        string path = Path.Combine(dir, "nhwc.npy");
        NpyFile.Write(path, NpyArray.FromFloat32(new[] { n, h, w, c }, y));
        return path;
    }

    [TestMethod]
    public void RunAndVerifyTakeTheSameNchwFileAndGiveTheSameOutputs()
    {
        string dir = CliHarness.TempDir();
        string blob = Pack(dir, "rgbcnn"), data = Fixture("rgbcnn_test.npy"), outNchw = Path.Combine(dir, "out.npy");
        Assert.AreEqual(3, NpyFile.Read(data).Shape[1], "the fixture has three channels");

        var (code, _, err) = CliHarness.Run("run", blob, "--input", data, "--output", outNchw);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        var (vcode, vout, verr) = CliHarness.Run("verify", Fixture("rgbcnn.onnx"), blob, "--data", data);
        Assert.AreEqual(ExitCodes.Ok, vcode, verr);
        StringAssert.Contains(vout, "NCHW");

        // The blob's outputs in verify are run's outputs, value for value.
        var r = Verifier.Run(Fixture("rgbcnn.onnx"), File.ReadAllBytes(blob), data, null);
        var run = NpyFile.Read(outNchw);
        Assert.AreEqual(r.Samples, run.Shape[0]);
        CollectionAssert.AreEqual(r.QuantizedOutputs.SelectMany(o => o).ToArray(), run.Float32!);
        Assert.IsTrue(r.Top1Agreement >= 0.98 && r.Output.SqnrDb >= 25, $"{r.Top1Agreement:P1}, {r.Output.SqnrDb:F1} dB: the transposition feeds the right values");

        // Channels-last data is refused by default, with the hint; taken with --layout as-blob (or NHWC) and gives the same outputs.
        string nhwc = ToChannelsLast(dir, data);
        (code, _, err) = CliHarness.Run("run", blob, "--input", nhwc, "--output", Path.Combine(dir, "refused.npy"));
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "expected [N,3,16,16]");
        StringAssert.Contains(err, "--layout as-blob");
        Assert.IsFalse(File.Exists(Path.Combine(dir, "refused.npy")));
        foreach (var layout in new[] { "as-blob", "nhwc" })
        {
            string o = Path.Combine(dir, "out-" + layout + ".npy");
            (code, _, err) = CliHarness.Run("run", blob, "--input", nhwc, "--output", o, "--layout", layout);
            Assert.AreEqual(ExitCodes.Ok, code, err);
            CollectionAssert.AreEqual(run.Float32, NpyFile.Read(o).Float32, layout);
        }
        var asBlob = Verifier.Run(Fixture("rgbcnn.onnx"), File.ReadAllBytes(blob), nhwc, null, layout: "as-blob");
        CollectionAssert.AreEqual(run.Float32, asBlob.QuantizedOutputs.SelectMany(o => o).ToArray());

        (code, _, err) = CliHarness.Run("run", blob, "--input", data, "--output", outNchw, "--layout", "NCW");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "--layout NCW: expected model, as-blob or NCHW or NHWC for a rank-4 input");
    }

    [TestMethod]
    public void TheOneChannelImageFixtureGivesRunAndVerifyTheSameOutputs()
    {
        string dir = CliHarness.TempDir();
        string blob = Pack(dir, "dscnn2d"), data = Fixture("dscnn2d_test.npy"), output = Path.Combine(dir, "out.npy");
        var (code, _, err) = CliHarness.Run("run", blob, "--input", data, "--output", output);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        var r = Verifier.Run(Fixture("dscnn2d.onnx"), File.ReadAllBytes(blob), data, null);
        Assert.AreEqual("NCHW", r.InputLayout);
        CollectionAssert.AreEqual(r.QuantizedOutputs.SelectMany(o => o).ToArray(), NpyFile.Read(output).Float32);
    }

    [TestMethod]
    public void PackRecordsTheSourceHashSettingsAndLayoutAndInspectShowsThem()
    {
        string dir = CliHarness.TempDir();
        string blob = Pack(dir, "rgbcnn", "--method", "Percentile", "--percentile", "99.9");
        string sha = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Fixture("rgbcnn.onnx")))).ToLowerInvariant();

        var (code, text, err) = CliHarness.Run("inspect", blob);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(text, "source model SHA-256: " + sha);
        StringAssert.Contains(text, "pack settings: source=rgbcnn.onnx, calibration=rgbcnn_calib.npy, samples=");
        StringAssert.Contains(text, "method=Percentile, percentile=99.9, weights=per-channel");
        StringAssert.Contains(text, "input layout: NCHW");

        (code, string json, err) = CliHarness.Run("inspect", blob, "--json");
        Assert.AreEqual(ExitCodes.Ok, code, err);
        var source = JsonDocument.Parse(json).RootElement.GetProperty("source");
        Assert.AreEqual(sha, source.GetProperty("sha256").GetString());
        Assert.AreEqual("Percentile", source.GetProperty("packSettings").GetProperty("method").GetString());
        Assert.AreEqual(NpyFile.Read(Fixture("rgbcnn_calib.npy")).Shape[0].ToString(), source.GetProperty("packSettings").GetProperty("samples").GetString());
        Assert.AreEqual("NCHW", source.GetProperty("inputLayout").GetString());

        // The same command from another folder gives the same bytes (no paths in the settings).
        string again = Pack(CliHarness.TempDir(), "rgbcnn", "--method", "Percentile", "--percentile", "99.9");
        CollectionAssert.AreEqual(File.ReadAllBytes(blob), File.ReadAllBytes(again));
    }

    [TestMethod]
    public void VerifyRefusesABlobPackedFromAnotherModelOfTheSameShapesUnlessForced()
    {
        string dir = CliHarness.TempDir();
        string blob = Pack(dir, "dscnn2d"), html = Path.Combine(dir, "r.html");
        var (code, stdout, err) = CliHarness.Run("verify", Fixture("dscnn2d_op17.onnx"), blob, "--data", Fixture("dscnn2d_test.npy"), "--report", html);
        Assert.AreEqual(ExitCodes.CheckFailed, code, err);
        Assert.AreEqual(1, err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, err);
        StringAssert.Contains(err, "dscnn2d.mblob: the blob was not packed from dscnn2d_op17.onnx");
        StringAssert.Contains(err, "--force");
        Assert.IsFalse(stdout.Contains("top-1 agreement"));
        Assert.IsFalse(File.Exists(html));

        (code, stdout, err) = CliHarness.Run("verify", Fixture("dscnn2d_op17.onnx"), blob, "--data", Fixture("dscnn2d_test.npy"), "--force");
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "another model");

        (code, stdout, err) = CliHarness.Run("verify", Fixture("dscnn2d.onnx"), blob, "--data", Fixture("dscnn2d_test.npy"));
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "dscnn2d.onnx (SHA-256");
    }

    [TestMethod]
    public void SettingsValuesAreEscapedToPrintableAscii()
    {
        Assert.AreEqual("a%3Bb%3Dc%25d%C3%A9%0A", Provenance.Escape("a;b=c%dé\n"));
        var s = Provenance.Settings(new PackOptions { Model = "/x/m.onnx", Calibration = "/y/c.npy", Name = "n;1", Int16 = new[] { "conv 1" } }, 5);
        Assert.AreEqual("source=m.onnx;calibration=c.npy;samples=5;method=MinMax;weights=per-channel;int16=conv 1;name=n%3B1", s);
    }
}
