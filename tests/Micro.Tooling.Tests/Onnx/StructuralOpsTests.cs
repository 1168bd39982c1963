using Micro.Runtime.Format;
using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;
using Micro.Tooling.Packing;
using Micro.Tooling.Verification;
using static Micro.TestSupport.OnnxBuilder;

namespace Micro.Tooling.Tests.Onnx;

/// <summary>
/// The structural ops from ONNX: the PyTorch fixtures of tests/fixtures/make_structural_fixtures.py — unet
/// (grouped Conv, Slice, Upsample(nearest), Concat) and lnorm (LayerNormalization, opset 17) — pack and
/// verify at the issue's bar (≥ 98 % top-1 agreement, ≥ 30 dB output SQNR); Resize's coordinate modes give
/// ONNX's index tables; recurrent layers and other LayerNorm axes are refused by name.
/// </summary>
[TestClass]
public sealed class StructuralOpsTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void UNetFixturePacksAndVerifiesAtTheBar()
    {
        var r = Packer.Pack(new PackOptions { Model = OnnxFixtures.Model("unet"), Calibration = Path.Combine(OnnxFixtures.Dir, "unet_calib.npy") });
        var codes = r.Graph.Ops.Select(o => o.OpCode).ToList();
        CollectionAssert.IsSubsetOf(new[] { OpCodes.GroupedConv, OpCodes.StridedSlice, OpCodes.ResizeNearest, OpCodes.Concatenation }, codes);
        // Grouped weights only: c2 (8 → 16, 4 groups, 3×3) and c3 (16 → 16, 2 groups) hold 16·9·2 and 16·9·8 weights.
        CollectionAssert.AreEqual(new[] { 16 * 9 * 2, 16 * 9 * 8 }, r.Graph.Ops.OfType<QConv>().Where(c => c.Groups > 1).Select(c => c.Weights.Length).ToArray());
        var v = Verifier.Run(OnnxFixtures.Model("unet"), r.Blob, Path.Combine(OnnxFixtures.Dir, "unet_test.npy"), null);
        TestContext.WriteLine($"unet: top-1 {v.Top1Agreement:P2}, SQNR {v.Output.SqnrDb:F1} dB, {r.Macs} MACs, blob {r.Blob.Length} B, arena {r.ArenaBytes} B");
        Assert.IsGreaterThanOrEqualTo(0.98, v.Top1Agreement, "top-1 agreement");
        Assert.IsGreaterThanOrEqualTo(30.0, v.Output.SqnrDb, "output SQNR");
    }

    /// <summary>lnorm at opset 17 (LayerNormalization) and at opset 13 (the decomposed chain, fused into one LAYER_NORM).</summary>
    [TestMethod]
    [DataRow("lnorm")]
    [DataRow("lnorm_op13")]
    public void LNormFixturePacksAndVerifiesAtTheBar(string model)
    {
        var r = Packer.Pack(new PackOptions { Model = OnnxFixtures.Model(model), Calibration = Path.Combine(OnnxFixtures.Dir, "lnorm_calib.npy") });
        Assert.AreEqual(1, r.Graph.Ops.Count(o => o.OpCode == OpCodes.LayerNorm), string.Join(", ", r.Graph.Ops.Select(o => OpCodes.Name(o.OpCode))));
        var v = Verifier.Run(OnnxFixtures.Model(model), r.Blob, Path.Combine(OnnxFixtures.Dir, "lnorm_test.npy"), null);
        TestContext.WriteLine($"{model}: top-1 {v.Top1Agreement:P2}, SQNR {v.Output.SqnrDb:F1} dB, {r.Macs} MACs, blob {r.Blob.Length} B, arena {r.ArenaBytes} B");
        Assert.IsGreaterThanOrEqualTo(0.98, v.Top1Agreement, "top-1 agreement");
        Assert.IsGreaterThanOrEqualTo(30.0, v.Output.SqnrDb, "output SQNR");
    }

    [TestMethod]
    public void LayerNormalizationOverOtherAxesIsRefusedByName()
    {
        var b = new OnnxBuilder(17).Input("x", 1, 4, 6).Output("y", 1, 4, 6)
            .Init("g", new[] { 4, 6 }, Random(24, 1))
            .Node("LayerNormalization", new[] { "x", "g" }, new[] { "y" }, "ln", Int("axis", 1));
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "'ln' (LayerNormalization)");
        StringAssert.Contains(e.Message, "last axis");
    }

    [TestMethod]
    [DataRow("unet")]
    [DataRow("lnorm")]
    [DataRow("lnorm_op13", "lnorm")]
    public void FloatGraphMatchesPyTorch(string model, string? data = null)
    {
        string name = data ?? model;
        var g = OnnxImporter.Import(OnnxFixtures.Model(model));
        if (model.StartsWith("lnorm", StringComparison.Ordinal))
            Assert.AreEqual(1, g.Nodes.Count(n => n is LayerNormNode), g.Describe());
        var x = OnnxFixtures.Npy(name, "test");
        var want = OnnxFixtures.Npy(name, "test_out");
        var exec = new FloatExecutor(g);
        double maxErr = 0;
        for (int s = 0; s < x.Samples; s++)
        {
            var got = exec.RunOnnx(x.Sample(s))[0];
            var w = want.Sample(s);
            for (int i = 0; i < w.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(got[i] - w[i]));
        }
        Assert.IsLessThan(1e-4, maxErr, $"max abs error {maxErr}");
    }

    /// <summary>One Resize of a [1,1,1,n] input to width m: the index table ONNX's spec gives, read back from the float graph.</summary>
    private static int[] ResizeTable(int n, int m, string ctm, string nearest)
    {
        var b = new OnnxBuilder(13).Input("x", 1, 1, 1, n).Output("y", 1, 1, 1, m)
            .Init(Longs("sizes", 1, 1, 1, m))
            .Node("Resize", new[] { "x", "", "", "sizes" }, new[] { "y" }, "rs", Str("mode", "nearest"),
                Str("coordinate_transformation_mode", ctm), Str("nearest_mode", nearest));
        var g = OnnxImporter.Import(b.Bytes());
        return ((ResizeNearestNode)g.Nodes.Single(nd => nd is ResizeNearestNode)).Cols;
    }

    [TestMethod]
    public void ResizeCoordinateModesFollowTheOnnxSpec()
    {
        // 4 → 8, asymmetric/floor (nn.Upsample): x = o / 2 floored.
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 2, 2, 3, 3 }, ResizeTable(4, 8, "asymmetric", "floor"));
        // half_pixel, round_prefer_floor (the defaults), 4 → 8: (o + ½)/2 − ½ = −0.25, 0.25, 0.75, … → 0,0,1,1,2,2,3,3.
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 2, 2, 3, 3 }, ResizeTable(4, 8, "half_pixel", "round_prefer_floor"));
        // align_corners, 3 → 5: o·2/4 = 0, 0.5, 1, 1.5, 2; round_prefer_ceil sends ties up, round_prefer_floor down.
        CollectionAssert.AreEqual(new[] { 0, 1, 1, 2, 2 }, ResizeTable(3, 5, "align_corners", "round_prefer_ceil"));
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 2 }, ResizeTable(3, 5, "align_corners", "round_prefer_floor"));
        // asymmetric/ceil, 5 → 3: o·5/3 = 0, 1.67, 3.33 → 0, 2, 4.
        CollectionAssert.AreEqual(new[] { 0, 2, 4 }, ResizeTable(5, 3, "asymmetric", "ceil"));
        var bad = new OnnxBuilder(13).Input("x", 1, 1, 2, 2).Output("y", 1, 1, 4, 4).Init(Longs("sizes", 1, 1, 4, 4))
            .Node("Resize", new[] { "x", "", "", "sizes" }, new[] { "y" }, "bilinear", Str("mode", "linear"));
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(bad.Bytes()));
        StringAssert.Contains(e.Message, "'bilinear' (Resize)");
        StringAssert.Contains(e.Message, "mode 'linear'");
    }

    [TestMethod]
    public void AnInputReadByResizeOrSliceLivesChannelsLastWithoutATranspose()
    {
        // x [1,4,3,3] → Slice channels 1..3 → Upsample ×2 (scales) → Conv 1×1: the input is stored NHWC, so no TRANSPOSE is needed.
        float[] w = Random(3 * 3, 5);
        var b = new OnnxBuilder(13).Input("x", 1, 4, 3, 3).Output("y", 1, 3, 6, 6)
            .Init(Longs("starts", 1)).Init(Longs("ends", 4)).Init(Longs("axes", 1))
            .Init("scales", new[] { 4 }, new[] { 1f, 1f, 2f, 2f }).Init("w", new[] { 3, 3, 1, 1 }, w)
            .Node("Slice", new[] { "x", "starts", "ends", "axes" }, new[] { "s" }, "slice")
            .Node("Resize", new[] { "s", "", "scales" }, new[] { "u" }, "up", Str("mode", "nearest"),
                Str("coordinate_transformation_mode", "asymmetric"), Str("nearest_mode", "floor"))
            .Node("Conv", new[] { "u", "w" }, new[] { "y" }, "conv");
        var g = OnnxImporter.Import(b.Bytes());
        CollectionAssert.AreEqual(new[] { FloatOp.StridedSlice, FloatOp.ResizeNearest, FloatOp.Conv }, g.Nodes.Select(n => n.Op).ToArray(), g.Describe());
        var x = Enumerable.Range(0, 36).Select(i => (float)Math.Cos(i)).ToArray();
        var y = new FloatExecutor(g).RunOnnx(x)[0];
        // y[o, r, c] = Σ_i w[o][i] · x[1 + i, r / 2, c / 2] (NCHW).
        for (int o = 0; o < 3; o++)
            for (int r = 0; r < 6; r++)
                for (int c = 0; c < 6; c++)
                {
                    double want = 0;
                    for (int i = 0; i < 3; i++) want += w[o * 3 + i] * x[((1 + i) * 3 + r / 2) * 3 + c / 2];
                    Assert.AreEqual(want, y[(o * 6 + r) * 6 + c], 1e-5);
                }
    }

    [TestMethod]
    public void RecurrentLayersAreRefusedByNameBeforeTheirShapeArithmetic()
    {
        // As PyTorch exports nn.GRU: an Expand for the initial state comes first; the message must name the GRU.
        foreach (var op in new[] { "GRU", "LSTM" })
        {
            var b = new OnnxBuilder(13).Input("x", 5, 1, 3).Output("y", 5, 1, 1, 4)
                .Init(Longs("shape", 1, 1, 4))
                .Init("W", new[] { 1, 12, 3 }, Random(36, 1)).Init("R", new[] { 1, 12, 4 }, Random(48, 2))
                .Node("Expand", new[] { "x", "shape" }, new[] { "h0" }, "expand")
                .Node(op, new[] { "x", "W", "R", "", "", "h0" }, new[] { "y" }, "rnn", Int("hidden_size", 4));
            var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(b.Bytes()));
            StringAssert.Contains(e.Message, $"'rnn' ({op})");
            StringAssert.Contains(e.Message, "Conv1d");
            Assert.DoesNotContain("Expand", e.Message);
        }
    }
}
