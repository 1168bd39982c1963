using Micro.Tooling.Onnx;
using static Micro.TestSupport.OnnxBuilder;

namespace Micro.Tooling.Tests.Onnx;

/// <summary>What the importer turns ONNX patterns into, on small hand-built models with hand-checked values.</summary>
[TestClass]
public sealed class LoweringTests
{
    [TestMethod]
    public void FixturesLowerToRuntimeOps()
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model("ppg1d"));
        // BatchNormalization and the Mul by 0.5 fold into the convolutions; ReLU/Clip fuse; the causal Pad
        // becomes the dilated convolution's left padding.
        Assert.IsFalse(g.Nodes.Any(n => n.Op is FloatOp.ChannelAffine or FloatOp.Clamp or FloatOp.Pad), g.Describe());
        var convs = g.Nodes.OfType<ConvNode>().ToList();
        Assert.HasCount(5, convs);
        Assert.AreEqual(2, convs.Count(c => c.Depthwise));
        Assert.AreEqual(2, convs.Single(c => c.Depthwise && c.OutChannels == 32).DepthMultiplier);
        var dilated = convs.Single(c => c.DilationW == 2);
        Assert.AreEqual(8, dilated.PadLeft);
        Assert.AreEqual(0, dilated.PadRight);
        Assert.IsTrue(dilated.Is1D);
        CollectionAssert.AreEqual(new[] { 1, 250, 1 }, g.Tensor(g.Inputs[0].Tensor).Shape, "NCW input becomes NWC");
        Assert.AreEqual(6f, g.Nodes.Single(n => n.Op == FloatOp.DepthwiseConv && n.ActMax == 6f).ActMax);

        var d = OnnxImporter.Import(OnnxFixtures.Model("dscnn2d"));
        CollectionAssert.AreEqual(new[] { 1, 49, 10, 1 }, d.Tensor(d.Inputs[0].Tensor).Shape);
        Assert.AreEqual(1, d.Nodes.Count(n => n.Op == FloatOp.Concat));
        Assert.AreEqual(3, ((ConcatNode)d.Nodes.Single(n => n.Op == FloatOp.Concat)).Axis, "channel concat is on the last axis");
        Assert.IsFalse(d.Nodes.Any(n => n.Op is FloatOp.ChannelAffine or FloatOp.Clamp or FloatOp.Pad));
    }

    [TestMethod]
    public void ExecutorReturnsEveryIntermediateTensor()
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model("dscnn2d"));
        var x = OnnxFixtures.Npy("dscnn2d", "test").Sample(0);
        var all = new FloatExecutor(g).Run(g.Inputs[0].ToPhysical(x));
        Assert.HasCount(g.Nodes.Count + 1, all);
        foreach (var n in g.Nodes) Assert.AreEqual(g.Tensor(n.Output).Count, all[n.Output].Length, n.Name);
    }

    [TestMethod]
    public void ConstantIdentityDropoutFoldAway()
    {
        var two = Floats("", new[] { 1 }, new[] { 2f });
        var b = new OnnxBuilder().Input("x", 1, 3).Output("y", 1, 3)
            .Init("bias", new[] { 3 }, new[] { 1f, -1f, 0.5f })
            .Node("Constant", Array.Empty<string>(), new[] { "two" }, "c", Tensor("value", two))
            .Node("Identity", new[] { "two" }, new[] { "two_b" })
            .Node("Mul", new[] { "x", "two_b" }, new[] { "m" })
            .Node("Dropout", new[] { "m" }, new[] { "d" })
            .Node("Identity", new[] { "d" }, new[] { "i" })
            .Node("Add", new[] { "i", "bias" }, new[] { "y" });
        var g = OnnxImporter.Import(b.Bytes());
        Assert.HasCount(1, g.Nodes, g.Describe());
        var a = (ChannelAffineNode)g.Nodes[0];
        CollectionAssert.AreEqual(new[] { 2f }, a.Scale);
        var y = new FloatExecutor(g).RunOnnx(new[] { 1f, 2f, 3f })[0];
        CollectionAssert.AreEqual(new[] { 3f, 3f, 6.5f }, y);
    }

    [TestMethod]
    public void MatMulAddBecomesOneFullyConnectedLayer()
    {
        // y = relu(x · B + c), B [3,2]
        var b = new OnnxBuilder().Input("x", 1, 3).Output("y", 1, 2)
            .Init("B", new[] { 3, 2 }, new[] { 1f, 2f, 3f, 4f, 5f, 6f })
            .Init("c", new[] { 2 }, new[] { 0.5f, -100f })
            .Node("MatMul", new[] { "x", "B" }, new[] { "m" })
            .Node("Add", new[] { "m", "c" }, new[] { "a" })
            .Node("Relu", new[] { "a" }, new[] { "y" });
        var g = OnnxImporter.Import(b.Bytes());
        Assert.HasCount(1, g.Nodes, g.Describe());
        var fc = (FullyConnectedNode)g.Nodes[0];
        CollectionAssert.AreEqual(new[] { 1f, 3f, 5f, 2f, 4f, 6f }, fc.Weights, "weights are [M][K]");
        CollectionAssert.AreEqual(new[] { 0.5f, -100f }, fc.Bias);
        Assert.AreEqual(0f, fc.ActMin);
        var y = new FloatExecutor(g).RunOnnx(new[] { 1f, 1f, 1f })[0];
        CollectionAssert.AreEqual(new[] { 9.5f, 0f }, y);
    }

    [TestMethod]
    public void GemmHonoursAlphaBetaAndTransB()
    {
        var b = new OnnxBuilder().Input("x", 1, 2).Output("y", 1, 2)
            .Init("B", new[] { 2, 2 }, new[] { 1f, 2f, 3f, 4f })
            .Init("C", new[] { 1, 2 }, new[] { 1f, 1f })
            .Node("Gemm", new[] { "x", "B", "C" }, new[] { "y" }, "g", Float("alpha", 2f), Float("beta", 3f));
        var y = new FloatExecutor(OnnxImporter.Import(b.Bytes())).RunOnnx(new[] { 1f, 10f })[0];
        // x·B = [31, 42]; ×2 + 3
        CollectionAssert.AreEqual(new[] { 65f, 87f }, y);
        var bt = new OnnxBuilder().Input("x", 1, 2).Output("y", 1, 2)
            .Init("B", new[] { 2, 2 }, new[] { 1f, 2f, 3f, 4f })
            .Node("Gemm", new[] { "x", "B" }, new[] { "y" }, "g", Int("transB", 1));
        CollectionAssert.AreEqual(new[] { 21f, 43f }, new FloatExecutor(OnnxImporter.Import(bt.Bytes())).RunOnnx(new[] { 1f, 10f })[0]);
    }

    [TestMethod]
    public void Opset11SqueezeUnsqueezeAndSoftmaxAttributes()
    {
        // x [1,4] → Unsqueeze(axes=[1]) [1,1,4] → Squeeze(axes=[1]) [1,4] → Softmax(axis=1, flattening semantics)
        var b = new OnnxBuilder(11).Input("x", 1, 4).Output("y", 1, 4)
            .Node("Unsqueeze", new[] { "x" }, new[] { "u" }, "u", Ints("axes", 1))
            .Node("Squeeze", new[] { "u" }, new[] { "s" }, "s", Ints("axes", 1))
            .Node("Softmax", new[] { "s" }, new[] { "y" }, "sm", Int("axis", 1));
        var y = new FloatExecutor(OnnxImporter.Import(b.Bytes())).RunOnnx(new[] { 0f, 1f, 2f, 3f })[0];
        double z = 1 + Math.E + Math.E * Math.E + Math.Pow(Math.E, 3);
        for (int i = 0; i < 4; i++) Assert.AreEqual(Math.Exp(i) / z, y[i], 1e-6);
    }

    [TestMethod]
    public void SamePaddingAndGroupedConvolution()
    {
        // Conv1D, 4 → 4 channels in 2 groups, kernel 3, stride 2, SAME_UPPER on width 5: output width 3,
        // total padding 2 (1 before, 1 after).
        var w = Random(4 * 2 * 3, 1);
        var bias = new[] { 0.1f, 0.2f, 0.3f, 0.4f };
        var b = new OnnxBuilder().Input("x", 1, 4, 5).Output("y", 1, 4, 3)
            .Init("w", new[] { 4, 2, 3 }, w).Init("b", new[] { 4 }, bias)
            .Node("Conv", new[] { "x", "w", "b" }, new[] { "y" }, "gc", Int("group", 2), Ints("strides", 2), Str("auto_pad", "SAME_UPPER"));
        var g = OnnxImporter.Import(b.Bytes());
        var conv = g.Nodes.OfType<ConvNode>().Single();
        Assert.AreEqual(1, conv.PadLeft);
        Assert.AreEqual(1, conv.PadRight);
        var x = Random(20, 2);
        var got = new FloatExecutor(g).RunOnnx(x)[0];
        // Reference: ONNX semantics on NCW data.
        for (int o = 0; o < 4; o++)
            for (int ow = 0; ow < 3; ow++)
            {
                double s = bias[o];
                int g0 = o / 2 * 2;
                for (int ci = 0; ci < 2; ci++)
                    for (int k = 0; k < 3; k++)
                    {
                        int iw = ow * 2 - 1 + k;
                        if (iw >= 0 && iw < 5) s += x[(g0 + ci) * 5 + iw] * w[(o * 2 + ci) * 3 + k];
                    }
                Assert.AreEqual(s, got[o * 3 + ow], 1e-5, $"o={o} w={ow}");
            }
    }

    [TestMethod]
    public void QdqWeightsKeepTheirScales()
    {
        // Per-channel int8 weights through DequantizeLinear, and an activation QDQ pair.
        var wq = new Micro.Tooling.Onnx.Proto.TensorProto { Name = "wq", DataType = 3 };
        wq.Dims.Add(2); wq.Dims.Add(3);
        wq.RawData = Google.Protobuf.ByteString.CopyFrom(new byte[] { 10, 0xF6, 20, 1, 2, 127 });
        var b = new OnnxBuilder().Input("x", 1, 3).Output("y", 1, 2).Init(wq)
            .Init("ws", new[] { 2 }, new[] { 0.5f, 0.25f })
            .Init(new Micro.Tooling.Onnx.Proto.TensorProto { Name = "wz", DataType = 3, Dims = { 2 }, RawData = Google.Protobuf.ByteString.CopyFrom(new byte[2]) })
            .Init("s", new[] { 1 }, new[] { 0.1f })
            .Init(new Micro.Tooling.Onnx.Proto.TensorProto { Name = "z", DataType = 3, RawData = Google.Protobuf.ByteString.CopyFrom(new byte[] { 0 }) })
            .Node("DequantizeLinear", new[] { "wq", "ws", "wz" }, new[] { "w" }, "dqw", Int("axis", 0))
            .Node("QuantizeLinear", new[] { "x", "s", "z" }, new[] { "xq" }, "qx")
            .Node("DequantizeLinear", new[] { "xq", "s", "z" }, new[] { "xd" }, "dqx")
            .Node("Gemm", new[] { "xd", "w" }, new[] { "y" }, "fc", Int("transB", 1));
        var g = OnnxImporter.Import(b.Bytes());
        var fc = g.Nodes.OfType<FullyConnectedNode>().Single();
        CollectionAssert.AreEqual(new[] { 0.5f, 0.25f }, fc.WeightScales);
        CollectionAssert.AreEqual(new[] { 5f, -5f, 10f, 0.25f, 0.5f, 31.75f }, fc.Weights);
        var fq = g.Nodes.OfType<FakeQuantizeNode>().Single();
        Assert.AreEqual(0.1f, fq.Scale);
        Assert.AreEqual(-128, fq.QMin);
        // x = [0.04, 100, -0.26] → fake-quantized [0, 12.7, -0.3]
        var y = new FloatExecutor(g).RunOnnx(new[] { 0.04f, 100f, -0.26f })[0];
        Assert.AreEqual(-5 * 12.7 + 10 * -0.3, y[0], 1e-4);
        Assert.AreEqual(0.5 * 12.7 + 31.75 * -0.3, y[1], 1e-4);
    }

    [TestMethod]
    public void TransposeIntoChannelsFirstIsALayoutNoOp()
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model("layout"));
        Assert.IsFalse(g.Nodes.Any(n => n.Op == FloatOp.Reshape && n.Inputs[0] == g.Inputs[0].Tensor));
        Assert.IsNull(g.Inputs[0].Map, "the [1,20,3] input is already channels-last");
        Assert.AreEqual(FloatOp.Conv, g.Nodes[0].Op);
        Assert.AreEqual(g.Inputs[0].Tensor, g.Nodes[0].Inputs[0]);
    }

    [TestMethod]
    public void ChannelsFirstOutputIsMappedBack()
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model("coverage"));
        var o = g.Outputs[0];
        CollectionAssert.AreEqual(new[] { 1, 6, 15 }, o.OnnxShape);
        CollectionAssert.AreEqual(new[] { 1, 15, 6 }, g.Tensor(o.Tensor).Shape);
        Assert.IsNotNull(o.Map);
        var phys = Enumerable.Range(0, 90).Select(i => (float)i).ToArray();
        CollectionAssert.AreEqual(phys, o.ToPhysical(o.ToOnnx(phys)));
    }

    [TestMethod]
    public void AddOfTwoDifferentLayoutsIsRejected()
    {
        // x [1,2,3] read as NCW by a Conv (stored channels-last), added to its own transpose-less Reshape
        // ([1,3,2] viewed as [1,2,3]) — the two operands hold their elements in different orders.
        var b = new OnnxBuilder().Input("x", 1, 2, 3).Output("y", 1, 2, 3)
            .Init("w", new[] { 2, 2, 1 }, new[] { 1f, 0f, 0f, 1f })
            .Init(Longs("shape", 1, 3, 2)).Init(Longs("back", 1, 2, 3))
            .Node("Conv", new[] { "x", "w" }, new[] { "c" }, "conv")
            .Node("Transpose", new[] { "c" }, new[] { "t" }, "tr", Ints("perm", 0, 2, 1))
            .Node("Reshape", new[] { "t", "back" }, new[] { "r" }, "rs")
            .Node("Add", new[] { "c", "r" }, new[] { "y" }, "sum");
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "'sum' (Add)");
    }

    [TestMethod]
    public void ShapeArithmeticFoldsToAConstantReshape()
    {
        // x.view(x.size(0), -1) as exporters write it: Shape → Gather → Unsqueeze → Concat → Reshape.
        var b = new OnnxBuilder().Input("x", 1, 2, 3).Output("y", 1, 2)
            .Init(Longs("zero", 0)).Init(Longs("minus1", -1))
            .Init("w", new[] { 2, 6 }, Enumerable.Range(0, 12).Select(i => (float)i).ToArray())
            .Node("Shape", new[] { "x" }, new[] { "s" })
            .Node("Gather", new[] { "s", "zero_scalar" }, new[] { "n" }, "gather", Int("axis", 0))
            .Node("Unsqueeze", new[] { "n", "zero" }, new[] { "n1" })
            .Node("Concat", new[] { "n1", "minus1" }, new[] { "shape" }, "cat", Int("axis", 0))
            .Node("Reshape", new[] { "x", "shape" }, new[] { "flat" })
            .Node("Gemm", new[] { "flat", "w" }, new[] { "y" }, "fc", Int("transB", 1));
        var scalar = Longs("zero_scalar", 0);
        scalar.Dims.Clear();
        b.Init(scalar);
        var g = OnnxImporter.Import(b.Bytes());
        // A free RESHAPE of the [1,2,3] input to [1,6], then the fully connected layer.
        CollectionAssert.AreEqual(new[] { FloatOp.Reshape, FloatOp.FullyConnected }, g.Nodes.Select(n => n.Op).ToArray(), g.Describe());
        var y = new FloatExecutor(g).RunOnnx(new[] { 1f, 0f, 0f, 0f, 0f, 2f })[0];
        CollectionAssert.AreEqual(new[] { 0f + 2 * 5, 6f + 2 * 11 }, y);
    }

    [TestMethod]
    public void TransposeThatReordersConvolutionInputBecomesATransposeOp()
    {
        // Conv over NCW, then a Transpose that makes width the channel axis, then another Conv: the second
        // Conv needs the data physically transposed, so the importer inserts a TRANSPOSE.
        float[] w1 = Random(6, 1), w2 = Random(12, 2);
        var b = new OnnxBuilder().Input("x", 1, 2, 6).Output("y", 1, 1, 2)
            .Init("w1", new[] { 3, 2, 1 }, w1).Init("w2", new[] { 1, 6, 2 }, w2)
            .Node("Conv", new[] { "x", "w1" }, new[] { "c" }, "first")
            .Node("Transpose", new[] { "c" }, new[] { "t" }, "swap", Ints("perm", 0, 2, 1))
            .Node("Conv", new[] { "t", "w2" }, new[] { "y" }, "second");
        var g = OnnxImporter.Import(b.Bytes());
        // Then the free RESHAPE of the [1,2,1] result to the ONNX output's [1,1,2].
        CollectionAssert.AreEqual(new[] { FloatOp.Conv, FloatOp.Transpose, FloatOp.Conv, FloatOp.Reshape }, g.Nodes.Select(n => n.Op).ToArray(), g.Describe());
        var x = Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i + 1)).ToArray();
        // c[o][w] = Σ_i w1[o][i]·x[i][w]; y[j] = Σ_w Σ_k w2[w][k]·c[j + k][w] (t = cᵀ: 6 channels, width 3).
        var c = new double[3, 6];
        for (int o = 0; o < 3; o++) for (int w = 0; w < 6; w++) for (int i = 0; i < 2; i++) c[o, w] += w1[o * 2 + i] * x[i * 6 + w];
        var want = new double[2];
        for (int j = 0; j < 2; j++) for (int w = 0; w < 6; w++) for (int k = 0; k < 2; k++) want[j] += w2[w * 2 + k] * c[j + k, w];
        var y = new FloatExecutor(g).RunOnnx(x)[0];
        for (int j = 0; j < 2; j++) Assert.AreEqual(want[j], y[j], 1e-4);
    }

    [TestMethod]
    public void InputNormalizationFoldsIntoAnUnpaddedFirstLayer()
    {
        // y = Gemm((x − [1,2,3]) / 2); and a conv without padding after a per-channel (x − m) · s.
        var b = new OnnxBuilder().Input("x", 1, 3).Output("y", 1, 2)
            .Init("mean", new[] { 3 }, new[] { 1f, 2f, 3f }).Init("two", Array.Empty<int>(), new[] { 2f })
            .Init("w", new[] { 2, 3 }, new[] { 1f, 2f, 3f, -1f, 0.5f, 4f }).Init("c", new[] { 2 }, new[] { 0.25f, -0.5f })
            .Node("Sub", new[] { "x", "mean" }, new[] { "d" })
            .Node("Div", new[] { "d", "two" }, new[] { "n" })
            .Node("Gemm", new[] { "n", "w", "c" }, new[] { "y" }, "fc", Int("transB", 1));
        var g = OnnxImporter.Import(b.Bytes());
        Assert.HasCount(1, g.Nodes, g.Describe());
        var y = new FloatExecutor(g).RunOnnx(new[] { 3f, 6f, 5f })[0];
        // n = [1, 2, 1]
        Assert.AreEqual(0.25 + 1 + 4 + 3, y[0], 1e-5);
        Assert.AreEqual(-0.5 - 1 + 1 + 4, y[1], 1e-5);

        var w = Random(4 * 2 * 3, 9);
        var cb = new OnnxBuilder().Input("x", 1, 2, 6).Output("y", 1, 4, 4)
            .Init("m", new[] { 2, 1 }, new[] { 0.5f, -1f }).Init("s", new[] { 2, 1 }, new[] { 2f, 0.25f })
            .Init("w", new[] { 4, 2, 3 }, w)
            .Node("Sub", new[] { "x", "m" }, new[] { "d" })
            .Node("Mul", new[] { "d", "s" }, new[] { "n" })
            .Node("Conv", new[] { "n", "w" }, new[] { "y" }, "conv");
        var cg = OnnxImporter.Import(cb.Bytes());
        Assert.HasCount(1, cg.Nodes, cg.Describe());
        var x = Random(12, 10);
        var got = new FloatExecutor(cg).RunOnnx(x)[0];
        var m = new[] { 0.5f, -1f };
        var sc = new[] { 2f, 0.25f };
        for (int o = 0; o < 4; o++)
            for (int ow = 0; ow < 4; ow++)
            {
                double sum = 0;
                for (int c = 0; c < 2; c++)
                    for (int k = 0; k < 3; k++) sum += (x[c * 6 + ow + k] - m[c]) * sc[c] * w[(o * 2 + c) * 3 + k];
                Assert.AreEqual(sum, got[o * 4 + ow], 1e-5);
            }
    }

    [TestMethod]
    public void NcwInputUnsqueezedIntoAConv2DLivesChannelsLast()
    {
        // [1,3,8] → Unsqueeze(2) → [1,3,1,8] → Conv2D 1×3 (3 → 2 channels)
        var w = Random(2 * 3 * 3, 21);
        var b = new OnnxBuilder().Input("x", 1, 3, 8).Output("y", 1, 2, 1, 6)
            .Init(Longs("axes", 2)).Init("w", new[] { 2, 3, 1, 3 }, w)
            .Node("Unsqueeze", new[] { "x", "axes" }, new[] { "u" })
            .Node("Conv", new[] { "u", "w" }, new[] { "y" }, "conv");
        var g = OnnxImporter.Import(b.Bytes());
        CollectionAssert.AreEqual(new[] { 1, 8, 3 }, g.Tensor(g.Inputs[0].Tensor).Shape);
        var x = Random(24, 22);
        var got = new FloatExecutor(g).RunOnnx(x)[0];
        for (int o = 0; o < 2; o++)
            for (int ow = 0; ow < 6; ow++)
            {
                double sum = 0;
                for (int c = 0; c < 3; c++)
                    for (int k = 0; k < 3; k++) sum += x[c * 8 + ow + k] * w[(o * 3 + c) * 3 + k];
                Assert.AreEqual(sum, got[o * 6 + ow], 1e-5);
            }
    }
}
