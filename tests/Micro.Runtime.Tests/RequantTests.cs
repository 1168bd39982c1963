using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

/// <summary>
/// Requant's one-rounding form of MultiplyByQuantizedMultiplier (what the conv, depthwise and FC kernels
/// write out inline) against TFLite's two-step rounding: the rational reference (ReferenceRounding) and
/// FixedPoint's restatement, for every shift the blobs allow (−31..30), exhaustively over a window of
/// accumulators, at both roundings' ties, at the int32 extremes and on random values.
/// </summary>
[TestClass]
public class RequantTests
{
    private static readonly int[] Multipliers = { 0, 1, 3, 1 << 30, (1 << 30) + 1, 0x5A827999, 0x7FFFFFFF, 1518500250, 1073741823 };

    [TestMethod]
    public void MatchesTfliteOnAWindowOfAccumulatorsForEveryShift()
    {
        for (int shift = -31; shift <= 30; shift++)
            foreach (int m in Multipliers)
                for (int x = -(1 << 16); x <= 1 << 16; x++)
                {
                    int want = FixedPoint.MultiplyByQuantizedMultiplier(x, m, shift);
                    int got = Requant.Apply(x, m, shift);
                    if (want != got) Assert.Fail($"x {x} m {m} shift {shift}: {got}, TFLite {want}");
                }
    }

    [TestMethod]
    public void MatchesTheRationalReferenceAtTiesExtremesAndRandomValues()
    {
        var rng = new Random(11);
        int[] extremes = { int.MinValue, int.MinValue + 1, -(1 << 30) - 1, -(1 << 30), -1, 0, 1, 1 << 30, int.MaxValue - 1, int.MaxValue };
        int checkedCount = 0;
        for (int shift = -31; shift <= 30; shift++)
        {
            int r = shift < 0 ? -shift : 0;
            var ms = new List<int>(Multipliers);
            for (int i = 0; i < 20; i++) ms.Add(rng.Next(1 << 30, int.MaxValue));
            foreach (int m in ms)
            {
                var xs = new List<int>(extremes);
                for (int i = 0; i < 200; i++) xs.Add(rng.Next(int.MinValue, int.MaxValue));
                for (int i = 0; i < 200; i++) xs.Add(rng.Next(-100000, 100000));
                if (m > 0)
                    for (int i = 0; i < 40; i++)
                    {
                        // Accumulators whose product lands next to a tie of the second rounding (high = j·2^r + 2^(r−1))
                        // and of the first (x·m + 2^30 ≡ 0 mod 2^31).
                        long j = rng.Next(-2000, 2000);
                        long high = r > 0 ? (j << r) + (1L << (r - 1)) : j;
                        var x0 = ((System.Numerics.BigInteger)high << 31) / m;
                        for (int d = -3; d <= 3; d++)
                        {
                            var x = x0 + d;
                            if (x >= int.MinValue && x <= int.MaxValue) xs.Add((int)x);
                        }
                    }
                foreach (int x in xs)
                {
                    int want = ReferenceRounding.Mbqm(x, m, shift);
                    Assert.AreEqual(want, Requant.Apply(x, m, shift), $"x {x} m {m} shift {shift}");
                    Assert.AreEqual(want, FixedPoint.MultiplyByQuantizedMultiplier(x, m, shift), $"FixedPoint x {x} m {m} shift {shift}");
                    checkedCount++;
                }
            }
        }
        Assert.IsTrue(checkedCount > 500_000, "checked " + checkedCount);
    }

    [TestMethod]
    public void TheRoundingTermsAreTheStatedConstants()
    {
        Assert.AreEqual(31, Requant.Total(5));
        Assert.AreEqual(5, Requant.Left(5));
        Assert.AreEqual(0, Requant.Left(-7));
        Assert.AreEqual(38, Requant.Total(-7));
        Assert.AreEqual((1L << 37) + (1L << 30), Requant.Round(-7, false));
        Assert.AreEqual((1L << 37) - (1L << 30), Requant.Round(-7, true));
        Assert.AreEqual(1L << 30, Requant.Round(0, true));
        Assert.AreEqual(1L << 30, Requant.Round(3, false));
    }
}
