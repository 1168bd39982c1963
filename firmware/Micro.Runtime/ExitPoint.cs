namespace Micro.Runtime
{
    /// <summary>An early exit: a head of ops (ExitGroup = Group) whose last op writes class scores.</summary>
    public sealed class ExitPoint
    {
        public int Group;
        public int OutputTensor;
        /// <summary>Confident when top-1 − top-2 of the quantized scores ≥ Threshold.</summary>
        public int Threshold;
        /// <summary>Index of the head's last op: the confidence check runs right after it.</summary>
        public int LastOp;
        /// <summary>MACs of all ops of this head.</summary>
        public long HeadMacs;
    }
}
