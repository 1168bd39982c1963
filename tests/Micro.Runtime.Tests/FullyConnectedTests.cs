using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

[TestClass]
public class FullyConnectedTests
{
    /// <summary>
    /// Worked by hand: x = [5, −3, 10], x_zp = 1 → [4, −4, 9]; w = [[1, 2, 3], [−2, 0, 1]], bias [−7, 4].
    /// acc0 = 4 − 8 + 27 − 7 = 16, acc1 = −8 + 0 + 9 + 4 = 5. Multiplier 0.75 (0x60000000), shift −1:
    /// 16·0.375 = 6, 5·0.375 = 1.875 → 2. y_zp 20: [26, 22]. Folded biases: −7 − 1·6 = −13, 4 − 1·(−1) = 5.
    /// </summary>
    [TestMethod]
    public void HandWorkedExample()
    {
        sbyte[] x = { 5, -3, 10 };
        sbyte[] w = { 1, 2, 3, -2, 0, 1 };
        int[] mult = { 0x60000000, 0x60000000 }, shift = { -1, -1 };
        var expected = new sbyte[] { 26, 22 };
        CollectionAssert.AreEqual(expected, ReferenceFullyConnected.Int8(x, 1, 3, w, 2, new[] { -7, 4 }, mult, shift, 1, 20, -128, 127));
        CollectionAssert.AreEqual(expected, RunInt8(x, 1, 3, w, 2, new[] { -7, 4 }, mult, shift, 1, 20, -128, 127, new Random(1)));
        CollectionAssert.AreEqual(expected, RunInt8(x, 1, 3, w, 2, new[] { -13, 5 }, mult, shift, 0, 20, -128, 127, new Random(2)));
    }

    /// <summary>
    /// The four-rows-per-pass loop and its remainder: every output count 1..9 (0..2 blocks of four plus
    /// 0..3 single rows) × depth 1..5 (odd and even, the unrolled pair and the last single input) × folded
    /// or not × 1 or 2 batches, against the reference.
    /// </summary>
    [TestMethod]
    public void EveryRowBlockRemainderAndDepthParityMatchesReference()
    {
        var rng = new Random(611);
        for (int count = 1; count <= 9; count++)
            for (int depth = 1; depth <= 5; depth++)
                foreach (bool folded in new[] { false, true })
                    for (int batches = 1; batches <= 2; batches++)
                    {
                        int xZp = rng.Next(-128, 128), yZp = rng.Next(-20, 20);
                        sbyte[] x = RandomBytes(rng, batches * depth, -128), w = RandomBytes(rng, count * depth, -127);
                        var bias = new int[count];
                        var stored = new int[count];
                        var (mult, shift) = RandomRequant(rng, count, true, 6 - 14);
                        for (int o = 0; o < count; o++)
                        {
                            bias[o] = rng.Next(-4000, 4000);
                            int sum = 0;
                            for (int k = 0; k < depth; k++) sum += w[o * depth + k];
                            stored[o] = folded ? bias[o] - xZp * sum : bias[o];
                        }
                        sbyte[] expected = ReferenceFullyConnected.Int8(x, batches, depth, w, count, bias, mult, shift, xZp, yZp, -128, 127);
                        sbyte[] actual = RunInt8(x, batches, depth, w, count, stored, mult, shift, folded ? 0 : xZp, yZp, -128, 127, rng);
                        CollectionAssert.AreEqual(expected, actual, $"outputs {count} depth {depth} folded {folded} batches {batches}");
                    }
    }

    [TestMethod]
    public void RandomInt8MatchesReference()
    {
        var rng = new Random(601);
        long outputs = 0, unclamped = 0;
        for (int i = 0; i < 400; i++)
        {
            int batches = rng.Next(1, 4), depth = rng.Next(1, 70), count = rng.Next(1, 20);
            bool folded = rng.Next(2) == 0, perChannel = rng.Next(2) == 0;
            int xZp = rng.Next(-128, 128), yZp = rng.Next(-128, 128);
            int actMin = rng.Next(3) == 0 ? rng.Next(-128, 0) : -128, actMax = rng.Next(3) == 0 ? rng.Next(actMin, 128) : 127;
            sbyte[] x = RandomBytes(rng, batches * depth, -128), w = RandomBytes(rng, count * depth, -127);
            var bias = new int[count];
            var stored = new int[count];
            var (mult, shift) = RandomRequant(rng, count, perChannel, 6 - (14 + Log2(depth) / 2));
            for (int o = 0; o < count; o++)
            {
                bias[o] = rng.Next(-40000, 40000);
                int sum = 0;
                for (int k = 0; k < depth; k++) sum += w[o * depth + k];
                stored[o] = folded ? bias[o] - xZp * sum : bias[o];
            }
            sbyte[] expected = ReferenceFullyConnected.Int8(x, batches, depth, w, count, bias, mult, shift, xZp, yZp, actMin, actMax);
            sbyte[] actual = RunInt8(x, batches, depth, w, count, stored, mult, shift, folded ? 0 : xZp, yZp, actMin, actMax, rng);
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.AreEqual((int)expected[k], (int)actual[k], $"case {i} element {k}: batches {batches} depth {depth} outputs {count} folded {folded}");
                outputs++;
                if (expected[k] > actMin && expected[k] < actMax) unclamped++;
            }
        }
        Assert.IsTrue(unclamped > outputs / 3, $"only {unclamped} of {outputs} outputs were not clamped");
    }

    [TestMethod]
    public void RandomInt16MatchesReference()
    {
        var rng = new Random(602);
        long outputs = 0, unclamped = 0;
        for (int i = 0; i < 300; i++)
        {
            int batches = rng.Next(1, 4), depth = rng.Next(1, 70), count = rng.Next(1, 20);
            int actMin = rng.Next(3) == 0 ? rng.Next(-32768, 0) : -32768, actMax = rng.Next(3) == 0 ? rng.Next(actMin, 32768) : 32767;
            var x = new short[batches * depth];
            for (int k = 0; k < x.Length; k++) x[k] = (short)rng.Next(-32768, 32768);
            sbyte[] w = RandomBytes(rng, count * depth, -127);
            var bias = new long[count];
            for (int o = 0; o < count; o++) bias[o] = rng.Next(-1 << 21, 1 << 21);
            var (mult, shift) = RandomRequant(rng, count, rng.Next(2) == 0, 14 - (22 + Log2(depth) / 2));
            short[] expected = ReferenceFullyConnected.Int16(x, batches, depth, w, count, bias, mult, shift, actMin, actMax);

            byte[] blob = WeightsBlob(w, rng, out int wOff);
            int xOff = 2 * rng.Next(0, 4), yOff = xOff + 2 * x.Length + 2 * rng.Next(0, 4);
            var arena = new sbyte[yOff + 2 * expected.Length + 3];
            for (int k = 0; k < x.Length; k++) { arena[xOff + 2 * k] = (sbyte)x[k]; arena[xOff + 2 * k + 1] = (sbyte)(x[k] >> 8); }
            var d = new FullyConnectedData
            {
                WeightsOffset = wOff,
                Bias64 = bias,
                Multiplier = mult,
                Shift = shift,
                XOffset = xOff,
                YOffset = yOff,
                Batches = batches,
                Depth = depth,
                Outputs = count,
                ActMin = actMin,
                ActMax = actMax,
            };
            FullyConnected.EvalInt16(d, blob, arena);
            for (int k = 0; k < expected.Length; k++)
            {
                int v = (short)((arena[yOff + 2 * k] & 0xFF) | (arena[yOff + 2 * k + 1] << 8));
                Assert.AreEqual((int)expected[k], v, $"case {i} element {k}: batches {batches} depth {depth} outputs {count}");
                outputs++;
                if (expected[k] > actMin && expected[k] < actMax) unclamped++;
            }
            for (int k = yOff + 2 * expected.Length; k < arena.Length; k++) Assert.AreEqual(0, (int)arena[k], "wrote past the output");
        }
        Assert.IsTrue(unclamped > outputs / 3, $"only {unclamped} of {outputs} outputs were not clamped");
    }

    private static sbyte[] RunInt8(sbyte[] x, int batches, int depth, sbyte[] w, int count, int[] bias, int[] mult, int[] shift,
        int xZero, int yZp, int actMin, int actMax, Random rng)
    {
        byte[] blob = WeightsBlob(w, rng, out int wOff);
        int xOff = rng.Next(0, 8), yOff = xOff + x.Length + rng.Next(0, 8);
        var arena = new sbyte[yOff + batches * count + 5];
        Array.Copy(x, 0, arena, xOff, x.Length);
        var d = new FullyConnectedData
        {
            WeightsOffset = wOff,
            Bias = bias,
            Multiplier = mult,
            Shift = shift,
            XOffset = xOff,
            YOffset = yOff,
            Batches = batches,
            Depth = depth,
            Outputs = count,
            XZero = xZero,
            YZero = yZp,
            ActMin = actMin,
            ActMax = actMax,
        };
        FullyConnected.EvalInt8(d, blob, arena);
        for (int k = yOff + batches * count; k < arena.Length; k++) Assert.AreEqual(0, (int)arena[k], "wrote past the output");
        var y = new sbyte[batches * count];
        Array.Copy(arena, yOff, y, 0, y.Length);
        return y;
    }

    private static (int[] mult, int[] shift) RandomRequant(Random rng, int count, bool perChannel, int typicalShift)
    {
        var mult = new int[count];
        var shift = new int[count];
        bool scaled = rng.Next(2) == 0;
        for (int o = 0; o < count; o++)
        {
            if (o > 0 && !perChannel) { mult[o] = mult[0]; shift[o] = shift[0]; continue; }
            mult[o] = rng.Next(1 << 30, int.MaxValue);
            shift[o] = scaled ? typicalShift + rng.Next(-2, 3) : rng.Next(-12, 3);
        }
        return (mult, shift);
    }

    private static sbyte[] RandomBytes(Random rng, int n, int min)
    {
        var r = new sbyte[n];
        for (int i = 0; i < n; i++) r[i] = (sbyte)rng.Next(min, 128);
        return r;
    }

    private static byte[] WeightsBlob(sbyte[] w, Random rng, out int wOff)
    {
        wOff = rng.Next(0, 16);
        var blob = new byte[wOff + w.Length + rng.Next(0, 16)];
        rng.NextBytes(blob);
        for (int i = 0; i < w.Length; i++) blob[wOff + i] = (byte)w[i];
        return blob;
    }

    private static int Log2(int v)
    {
        int r = 0;
        while ((1 << (r + 1)) <= v) r++;
        return r;
    }
}
