using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    // Not written yet: a blob that uses this op is refused at load with UnknownOpcode.
    public static class DepthwiseConv2D
    {
        public static void Prepare(Model m, Op op)
        {
            throw m.OpError(op, ErrorCodes.UnknownOpcode, "this runtime build has no kernel for it yet");
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
        }
    }
}
