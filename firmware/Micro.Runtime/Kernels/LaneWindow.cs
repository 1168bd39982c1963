namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// The packed input window of ConvLanes (xl[j], three positions per long), one per model: every
    /// convolution of the model refers to the same LaneWindow (PrepareContext.Lanes), whose array is as
    /// long as the largest Kh·Kw·Cin among them. Ops run one at a time, so Interpreters sharing one Model
    /// must not Invoke it concurrently.
    /// </summary>
    public sealed class LaneWindow
    {
        public long[] Values;
    }
}
