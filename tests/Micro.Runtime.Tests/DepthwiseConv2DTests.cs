using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

[TestClass]
public class DepthwiseConv2DTests
{
    /// <summary>
    /// Worked by hand. 2×2 input, one channel, x_zp = 10: x = [[11, 12], [13, 14]], x − x_zp = [[1, 2], [3, 4]].
    /// 2×2 kernel w = [[1, −1], [2, 3]], stride 1, dilation 2, pad_top = pad_left = 2, output 2×2
    /// (taps at origin + {0, 2}): only one tap of each window is inside the input:
    ///   (0,0): origin (−2,−2), tap (1,1) at (0,0): 3·1 = 3;   (0,1): origin (−2,−1), tap (1,1) at (0,1): 3·2 = 6
    ///   (1,0): origin (−1,−2), tap (1,1) at (1,0): 3·3 = 9;   (1,1): tap (1,1) at (1,1): 3·4 = 12
    /// bias 100, multiplier 2^30, shift 0 (×0.5): 103 → 51.5 → 52, 106 → 53, 109 → 54.5 → 55, 112 → 56; y_zp −60.
    /// The folded bias would be 100 − 10·5 = 50: three of four taps add back 10·(1 − 1 + 2) = 20.
    /// </summary>
    [TestMethod]
    public void HandWorkedExample()
    {
        foreach (bool folded in new[] { false, true })
        {
            var c = new ConvCase
            {
                Depthwise = true,
                N = 1,
                H = 2,
                W = 2,
                Cin = 1,
                Cout = 1,
                Dm = 1,
                Kh = 2,
                Kw = 2,
                Sh = 1,
                Sw = 1,
                Dh = 2,
                Dw = 2,
                PadT = 2,
                PadL = 2,
                Ho = 2,
                Wo = 2,
                XZp = 10,
                YZp = -60,
                ActMin = -128,
                ActMax = 127,
                Folded = folded,
                X = new sbyte[] { 11, 12, 13, 14 },
                Wt = new sbyte[] { 1, -1, 2, 3 },
                Bias = new[] { 100 },
                Mult = new[] { 1 << 30 },
                Shift = new[] { 0 },
            };
            Assert.AreEqual(folded ? 50 : 100, c.StoredBias()[0]);
            var expected = new sbyte[] { -8, -7, -5, -4 };
            CollectionAssert.AreEqual(expected, c.Reference());
            CollectionAssert.AreEqual(expected, ConvKernels.RunInt8(c, new Random(6)));
        }
    }

    /// <summary>
    /// The sliding 3×3 interior (Row3x3: dilation_w 1, depth multiplier 1, stride_w 1 or 2) at its edges:
    /// rows with 0..6 interior positions, one output, padding on either side, stride_h/stride_w 1 and 2,
    /// dilation_h 1 and 2, 1..5 channels, batches; and the 3×3 shapes that must stay on the tap loop
    /// (dilation_w 2, stride_w 3, depth multiplier 2). Against the reference.
    /// </summary>
    [TestMethod]
    public void Slide3x3EdgeShapesMatchReference()
    {
        var rng = new Random(502);
        int slid = 0, cases = 0;
        foreach (int h in new[] { 3, 4, 6 })
            foreach (int w in new[] { 1, 2, 3, 4, 5, 8 })
                foreach (var (sh, sw, dh, dw, dm) in new[] { (1, 1, 1, 1, 1), (2, 2, 1, 1, 1), (1, 2, 2, 1, 1), (2, 1, 1, 1, 1), (1, 1, 1, 2, 1), (1, 3, 1, 1, 1), (1, 1, 1, 1, 2) })
                    foreach (int pad in new[] { 0, 1, 2 })
                    {
                        int ekh = 2 * dh + 1, ekw = 2 * dw + 1;
                        int spanH = h + 2 * pad - ekh, spanW = w + 2 * pad - ekw;
                        if (spanH < 0 || spanW < 0 || pad >= ekh || pad >= ekw) continue;
                        int cin = rng.Next(1, 6);
                        var c = new ConvCase
                        {
                            Depthwise = true,
                            N = rng.Next(1, 3),
                            H = h,
                            W = w,
                            Cin = cin,
                            Cout = cin * dm,
                            Dm = dm,
                            Kh = 3,
                            Kw = 3,
                            Sh = sh,
                            Sw = sw,
                            Dh = dh,
                            Dw = dw,
                            PadT = pad,
                            PadL = pad,
                            Ho = spanH / sh + 1,
                            Wo = spanW / sw + 1,
                            Folded = rng.Next(2) == 0,
                            PerChannel = rng.Next(2) == 0,
                        };
                        if (ConvGeometry.AxisError("height", c.H, 3, sh, dh, pad, c.Ho) != null) continue;
                        if (ConvGeometry.AxisError("width", c.W, 3, sw, dw, pad, c.Wo) != null) continue;
                        c.FillRandom(rng, randomActivation: false);
                        ConvKernels.AssertSame(c.Reference(), ConvKernels.RunInt8(c, rng), c);
                        ConvData g = ConvKernels.Geometry(c);
                        if (dw == 1 && dm == 1 && sw <= 2 && g.InteriorYHi > g.InteriorYLo && g.InteriorXHi > g.InteriorXLo) slid++;
                        cases++;
                    }
        Assert.IsTrue(cases > 150, "cases " + cases);
        Assert.IsTrue(slid > 50 && slid < cases, "sliding interior in " + slid + " of " + cases);
    }

    /// <summary>
    /// One input channel with a depth multiplier (micro_speech's first layer is 8×10, stride 2, dm 8): the
    /// packed three-positions-per-long path (ConvLanes.Dot3Strided) and the plain loop, against the
    /// reference, over kernel sizes, strides, dilations, paddings and multipliers; and through a blob,
    /// where Prepare must turn the packed path on and give the op a window scratch.
    /// </summary>
    [TestMethod]
    public void OneInputChannelWithDepthMultiplierMatchesReferenceOnBothPaths()
    {
        var rng = new Random(503);
        int packed = 0, cases = 0;
        for (int i = 0; i < 120; i++)
        {
            int kh = rng.Next(1, 9), kw = rng.Next(1, 11), sh = rng.Next(1, 3), sw = rng.Next(1, 3), dh = rng.Next(1, 3), dw = rng.Next(1, 3);
            int h = rng.Next(dh * (kh - 1) + 1, 22), w = rng.Next(dw * (kw - 1) + 1, 24);
            int padT = rng.Next(0, 2) * (dh * (kh - 1)) / 2, padL = rng.Next(0, 2) * (dw * (kw - 1)) / 2;
            int dm = rng.Next(2, 9);
            var c = new ConvCase
            {
                Depthwise = true,
                N = rng.Next(1, 3),
                H = h,
                W = w,
                Cin = 1,
                Cout = dm,
                Dm = dm,
                Kh = kh,
                Kw = kw,
                Sh = sh,
                Sw = sw,
                Dh = dh,
                Dw = dw,
                PadT = padT,
                PadL = padL,
                Ho = (h + 2 * padT - (dh * (kh - 1) + 1)) / sh + 1,
                Wo = (w + 2 * padL - (dw * (kw - 1) + 1)) / sw + 1,
                Folded = rng.Next(2) == 0,
                PerChannel = rng.Next(2) == 0,
            };
            if (ConvGeometry.AxisError("height", c.H, kh, sh, dh, padT, c.Ho) != null) continue;
            if (ConvGeometry.AxisError("width", c.W, kw, sw, dw, padL, c.Wo) != null) continue;
            c.FillRandom(rng, randomActivation: false);
            sbyte[] expected = c.Reference();
            ConvKernels.AssertSame(expected, ConvKernels.RunInt8(c, rng), c);
            ConvKernels.AssertSame(expected, ConvKernels.RunInt8(c, rng, true, out bool used), c);
            if (used) packed++;
            cases++;
        }
        Assert.IsTrue(cases > 80 && packed > cases / 3, "packed in " + packed + " of " + cases);

        var layer = new ConvCase
        {
            Depthwise = true,
            N = 1,
            H = 12,
            W = 10,
            Cin = 1,
            Cout = 8,
            Dm = 8,
            Kh = 4,
            Kw = 5,
            Sh = 2,
            Sw = 2,
            Dh = 1,
            Dw = 1,
            PadT = 1,
            PadL = 2,
            Ho = 6,
            Wo = 5,
            PerChannel = true,
        };
        layer.FillRandom(rng, randomActivation: false);
        var m = Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(ConvBlobTests.SingleOp(layer)));
        Assert.IsTrue(((ConvData)m.Ops[0].Data).LaneChunk > 0);
        Assert.AreEqual(20, ((ConvData)m.Ops[0].Data).Lanes.Values.Length);
        var it = new Interpreter(m);
        it.SetInput(0, layer.X, 0);
        it.Invoke();
        var y = new sbyte[layer.N * layer.Ho * layer.Wo * layer.Cout];
        it.GetOutput(0, y, 0);
        CollectionAssert.AreEqual(layer.Reference(), y);
    }

    [TestMethod]
    public void RandomConfigurationsMatchReference()
    {
        double unclamped = ConvKernels.RandomCases(501, 400, depthwise: true, is1D: false, int16: false);
        Assert.IsTrue(unclamped > 0.3, "only " + unclamped + " of outputs were not clamped");
    }
}
