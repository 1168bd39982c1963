using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

/// <summary>MUL, SUB and BROADCAST_ADD against the test-side restatement of TFLM's int8 kernels, on shapes that
/// broadcast every way the runtime walks them (same shape, per-channel gate, scalar, interleaved).</summary>
[TestClass]
public class ElementwiseBroadcastTests
{
    private static readonly (int[] A, int[] B, int[] Y)[] Shapes =
    {
        (new[] { 2, 3, 4 }, new[] { 2, 3, 4 }, new[] { 2, 3, 4 }),         // same shape
        (new[] { 1, 5, 4, 6 }, new[] { 1, 1, 1, 6 }, new[] { 1, 5, 4, 6 }), // squeeze-excite gate
        (new[] { 1, 1, 1, 6 }, new[] { 1, 5, 4, 6 }, new[] { 1, 5, 4, 6 }), // gate first
        (new[] { 3, 7 }, new[] { 1 }, new[] { 3, 7 }),                      // scalar
        (new[] { 1 }, new[] { 4, 2, 3 }, new[] { 4, 2, 3 }),                // scalar first, lower rank
        (new[] { 2, 1, 3, 1 }, new[] { 1, 4, 1, 5 }, new[] { 2, 4, 3, 5 }), // both broadcast, interleaved
        (new[] { 4, 1, 3 }, new[] { 5, 3 }, new[] { 4, 5, 3 }),             // rank 3 against rank 2
        (new[] { 2, 3, 1 }, new[] { 2, 3, 4 }, new[] { 2, 3, 4 }),          // per-row scalar
    };

    private static int Count(int[] d) => d.Aggregate(1, (p, v) => p * v);
    private static sbyte[] S(int[] v) => v.Select(x => (sbyte)x).ToArray();

    [TestMethod]
    public void MulMatchesTflmOnEveryBroadcast()
    {
        var rng = new Random(1901);
        for (int k = 0; k < 160; k++)
        {
            var (da, db, dy) = Shapes[k % Shapes.Length];
            float sa = (float)(0.005 + rng.NextDouble() * 0.2), sb = (float)(0.005 + rng.NextDouble() * 0.2);
            // Output scales both below and above the product: multipliers with left and right shifts.
            float sy = (float)(sa * sb * (k % 4 == 0 ? 0.2 + rng.NextDouble() : 5 + rng.NextDouble() * 300));
            int za = rng.Next(-128, 128), zb = rng.Next(-128, 128), zy = rng.Next(-128, 128);
            int lo = k % 3 == 0 ? zy : -128, hi = k % 5 == 0 ? rng.Next(lo, 128) : 127;
            var (m, s) = QuantizeMultiplier((double)sa * sb / sy);
            int[] va = RandomValues(rng, Count(da)), vb = RandomValues(rng, Count(db));
            var g = OneOp(OpCodes.Mul, Mul.Encode(m, s, lo, hi), new[] { new QTensor("a", da, sa, za), new QTensor("b", db, sb, zb) }, new QTensor("y", dy, sy, zy));
            int[] got = RunBlob(g, va, vb)[0];
            var want = ReferenceBroadcast.Broadcast(S(va), da, S(vb), db, dy, (a, b) => ReferenceBroadcast.Mul(a, b, za, zb, zy, m, s, lo, hi));
            CollectionAssert.AreEqual(want.Select(v => (int)v).ToArray(), got, $"config {k}: {string.Join(",", da)} × {string.Join(",", db)}, shift {s}");
        }
    }

    [TestMethod]
    public void SubAndBroadcastAddMatchTflmOnEveryBroadcast()
    {
        var rng = new Random(2001);
        for (int k = 0; k < 160; k++)
        {
            bool sub = k % 2 == 0;
            var (da, db, dy) = Shapes[(k / 2) % Shapes.Length];
            if (!sub && da.SequenceEqual(db)) continue; // same shapes are ADD's (opcode 9)
            float sa = (float)(0.005 + rng.NextDouble() * 0.2), sb = (float)(0.005 + rng.NextDouble() * 0.2);
            float sy = (float)(0.01 + rng.NextDouble() * 0.3);
            int za = rng.Next(-128, 128), zb = rng.Next(-128, 128), zy = rng.Next(-128, 128);
            int lo = k % 3 == 0 ? zy : -128, hi = k % 5 == 0 ? rng.Next(lo, 128) : 127;
            int[] p = AddTests.Params(sa, sb, sy, lo, hi);
            int[] va = RandomValues(rng, Count(da)), vb = RandomValues(rng, Count(db));
            var g = OneOp(sub ? OpCodes.Sub : OpCodes.BroadcastAdd, p, new[] { new QTensor("a", da, sa, za), new QTensor("b", db, sb, zb) }, new QTensor("y", dy, sy, zy));
            int[] got = RunBlob(g, va, vb)[0];
            var want = ReferenceBroadcast.Broadcast(S(va), da, S(vb), db, dy, (a, b) => ReferenceBroadcast.AddSub(sub ? -1 : 1, a, b, za, zb, zy, p));
            CollectionAssert.AreEqual(want.Select(v => (int)v).ToArray(), got, $"config {k} ({(sub ? "SUB" : "BROADCAST_ADD")})");
        }
    }

    [TestMethod]
    public void HandComputedValues()
    {
        // MUL: scales 0.5 · 0.25 / 0.125 = 1 exactly (multiplier 2^30, shift 1), zero points 0: y = a·b clamped.
        var (m, s) = QuantizeMultiplier(1.0);
        var g = OneOp(OpCodes.Mul, Mul.Encode(m, s, -128, 127), new[] { new QTensor("a", new[] { 1, 2, 2 }, 0.5f, 0), new QTensor("b", new[] { 1, 1, 2 }, 0.25f, 0) }, new QTensor("y", new[] { 1, 2, 2 }, 0.125f, 0));
        CollectionAssert.AreEqual(new[] { 3, -8, 15, -128 }, RunBlob(g, new[] { 1, 2, 5, 100 }, new[] { 3, -4 })[0]);
        // SUB with equal scales 0.1 → 0.1: y = a − b per element, the gate broadcast along rows.
        int[] p = AddTests.Params(0.1f, 0.1f, 0.1f, -128, 127);
        g = OneOp(OpCodes.Sub, p, new[] { new QTensor("a", new[] { 2, 2 }, 0.1f, 0), new QTensor("b", new[] { 2 }, 0.1f, 0) }, new QTensor("y", new[] { 2, 2 }, 0.1f, 0));
        CollectionAssert.AreEqual(new[] { 9, 22, 29, -118 }, RunBlob(g, new[] { 10, 20, 30, -120 }, new[] { 1, -2 })[0]);
    }

    [TestMethod]
    public void LoadRefusesShapesThatDoNotBroadcast()
    {
        var (m, s) = QuantizeMultiplier(0.5);
        int Error(int op, int[] p, int[] da, int[] db, int[] dy) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(
            OneOp(op, p, new[] { new QTensor("a", da, 0.1f, 0), new QTensor("b", db, 0.1f, 0) }, new QTensor("y", dy, 0.2f, 0))))).Code;
        int[] mul = Mul.Encode(m, s, -128, 127), add = AddTests.Params(0.1f, 0.1f, 0.2f, -128, 127);
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(OpCodes.Mul, mul, new[] { 2, 3 }, new[] { 2, 2 }, new[] { 2, 3 }));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(OpCodes.Mul, mul, new[] { 2, 3 }, new[] { 3 }, new[] { 2, 4 }));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(OpCodes.Sub, add, new[] { 1, 3 }, new[] { 1, 3 }, new[] { 2, 3 }), "y larger than both inputs");
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(OpCodes.BroadcastAdd, add, new[] { 2, 1, 3 }, new[] { 3 }, new[] { 2, 3 }), "input rank above the output's");
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(OpCodes.Mul, Mul.Encode(m, 31, -128, 127), new[] { 3 }, new[] { 3 }, new[] { 3 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(OpCodes.Sub, add[..8], new[] { 3 }, new[] { 3 }, new[] { 3 }));
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (m, s) = QuantizeMultiplier(0.05 * 0.07 / 0.01);
        foreach (var (code, p) in new[] { (OpCodes.Mul, Mul.Encode(m, s, -128, 127)), (OpCodes.Sub, AddTests.Params(0.05f, 0.07f, 0.1f, -128, 127)), (OpCodes.BroadcastAdd, AddTests.Params(0.05f, 0.07f, 0.1f, -128, 127)) })
        {
            var (loaded, refused) = FuzzParamsAndShapes(OneOp(code, p, new[] { new QTensor("a", new[] { 2, 3, 4 }, 0.05f, 1), new QTensor("b", new[] { 1, 1, 4 }, 0.07f, -9) }, new QTensor("y", new[] { 2, 3, 4 }, 0.01f, 2)), 219 + code, 1000);
            Assert.IsTrue(loaded >= 10 && refused >= 200, $"{OpCodes.Name(code)}: {loaded} loaded and ran, {refused} refused");
        }
    }
}
