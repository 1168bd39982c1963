using Micro.Tooling.Data;

namespace Micro.Fuzz;

/// <summary>The .npy reader; what it accepts must write back to the same array.</summary>
public static class NpyTarget
{
    public static void Run(byte[] input)
    {
        var a = NpyFile.Read(input, "fuzz.npy");
        var again = NpyFile.Read(NpyFile.ToBytes(a), "round trip");
        if (!again.Shape.SequenceEqual(a.Shape) || again.DType != a.DType || again.Count != a.Count)
            throw new InvalidOperationException($"round trip changed {a} into {again}");
    }
}
