namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// How an op's work is cut into slices for Interpreter.Step, and what a slice costs. A sliced kernel's
    /// unit is one output channel of one position (index u = position·C + channel, C = the output's
    /// channels: one output element), or of one group of positions (SetGrouped: u = group·C + channel);
    /// KernelTable.EvalSlice runs units [from, to) as at most three blocks (the rest of a started
    /// position or group, whole ones, the start of the last one), each through the kernel's
    /// EvalBlock(positions or groups [p0, p1), channels [c0, c1)). Every output element is computed by the
    /// same arithmetic whichever slice it falls in, so any cut gives the bytes of one whole Eval.
    ///
    /// Cost: work units of about 1 ns of the reference nanoCLR (32-bit, x86 at ≈ 13 G instructions/s;
    /// ≈ 250–500 µs on a classic ESP32 per 1,000 units): per unit = PerOutput + MACs per output × the
    /// kernel's per-MAC cost, measured with bench/nano-models.sh. Interpreter.Step runs units until the
    /// next would pass its budget, so a step's cost is bounded by the budget (or by one unit when a single
    /// output costs more).
    /// </summary>
    public static class OpSlices
    {
        /// <summary>Largest work of one grouped unit (SetGrouped): a quarter of the default step budget.</summary>
        public const int GroupCap = 50000;

        /// <summary>Requantize, clamp, store and loop overhead of one output element.</summary>
        public const int PerOutput = 700;
        /// <summary>Per MAC: packed convolution (ConvLanes), plain convolution / FC, depthwise, int16 paths.</summary>
        public const int ConvMac = 30, PlainMac = 45, DepthwiseMac = 150, Int16Mac = 80;
        /// <summary>Per input read by a pool or MEAN, per element of an elementwise kernel.</summary>
        public const int PoolTap = 60, Element = 400;

        /// <summary>Sets the op's slicing: `units` output elements of `macsPerUnit` MACs at `perMac` each.</summary>
        public static void Set(Op op, int units, long macsPerUnit, int perMac, int perUnit)
        {
            long cost = perUnit + macsPerUnit * perMac;
            op.Units = units < 1 ? 1 : units;
            op.UnitCost = cost > int.MaxValue ? int.MaxValue : (int)(cost < 1 ? 1 : cost);
        }

        /// <summary>
        /// Sets the slicing of a convolution whose positions go in groups of `group` consecutive positions of
        /// one output row (the last group of a row may be shorter): a unit is one output channel of one
        /// group, so a slice covers whole groups for a channel range and the kernel keeps its row-wise paths
        /// (ConvLanes' three positions, DepthwiseConv2D.Row3x3's sliding window) inside a slice. The
        /// kernel's EvalBlock gets group indices and maps them with GroupStart.
        /// </summary>
        public static void SetGrouped(Op op, int rows, int outW, int channels, int group, long macsPerOutput, int perMac)
        {
            int perRow = (outW + group - 1) / group;
            Set(op, rows * perRow * channels, group * macsPerOutput, perMac, group * PerOutput);
        }

        /// <summary>
        /// Group size for a row-wise path: `preferred` positions, fewer when that would make one unit cost
        /// more than GroupCap, at least 1.
        /// </summary>
        public static int GroupSize(int preferred, int outW, long macsPerOutput, int perMac)
        {
            long perOutput = PerOutput + macsPerOutput * perMac;
            long g = GroupCap / perOutput;
            if (g > preferred) g = preferred;
            if (g > outW) g = outW;
            return g < 1 ? 1 : (int)g;
        }

        /// <summary>First flat output position (row·Wo + ox) of group g (groups of `group` per row of outW); g may be the group count.</summary>
        public static int GroupStart(int g, int outW, int group)
        {
            int perRow = (outW + group - 1) / group;
            int row = g / perRow;
            return row * outW + (g - row * perRow) * group;
        }

        /// <summary>An op whose kernel is not sliced: one unit, costed from its MACs and output size.</summary>
        public static void Whole(Model m, Op op)
        {
            long elements = op.Outputs.Length > 0 ? m.Tensors[op.Outputs[0]].ElementCount : 1;
            long cost = 2000 + elements * Element + op.Macs * PlainMac;
            op.Units = 1;
            op.UnitCost = cost > int.MaxValue ? int.MaxValue : (int)cost;
        }
    }
}
