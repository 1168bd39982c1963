using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.Tooling.Verification;

/// <summary>Real values of a tensor as it sits in an interpreter's arena (per-layer comparisons).</summary>
public static class ArenaValues
{
    /// <summary>real = scale · (q − zero point); int8, or int16 stored little-endian.</summary>
    public static float[] Dequantize(Tensor t, sbyte[] arena)
    {
        var v = new float[t.ElementCount];
        for (int i = 0; i < v.Length; i++)
        {
            int q = t.DType == DType.Int16 ? (short)((arena[t.ArenaOffset + 2 * i] & 0xFF) | (arena[t.ArenaOffset + 2 * i + 1] << 8)) : arena[t.ArenaOffset + i];
            v[i] = t.Scale * (q - t.ZeroPoint);
        }
        return v;
    }
}
