namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// Per-output-channel requantization read by PrepareContext.ReadRequant (a per-tensor multiplier is
    /// expanded to every channel): y = MultiplyByQuantizedMultiplier(acc, Multiplier[c], Shift[c]).
    /// </summary>
    public sealed class Requant
    {
        public int[] Multiplier;
        public int[] Shift;
    }
}
