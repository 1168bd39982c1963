using System;
using Micro.Runtime;
using Micro.Runtime.Kernels;

namespace Micro.App
{
    /// <summary>
    /// <see cref="Interpreter.Invoke"/> cut into slices of one op: <see cref="Start"/>, then
    /// <see cref="Step"/> until it returns true. Same ops in the same order, the same early-exit rule
    /// (stop after an exit head's last op when its top-1 − top-2 margin reaches the threshold) and the same
    /// results in the interpreter's fields (ExitTaken, MacsExecuted, LastMargin, ExitMargins, ExitClasses),
    /// so the outputs are byte-identical to Invoke (ClassifierTests holds it). Written against the
    /// runtime's public API; when Interpreter gets its own Start/Step, this class becomes a call to them.
    /// Allocates nothing.
    /// </summary>
    public sealed class SlicedInference
    {
        private readonly Interpreter interpreter;
        private readonly Model model;
        private int next;
        private long macs;
        private bool early;
        private bool finished = true;

        public SlicedInference(Interpreter interpreter)
        {
            if (interpreter == null) throw new ArgumentNullException("interpreter");
            this.interpreter = interpreter;
            model = interpreter.Model;
        }

        /// <summary>Ops run by the longest inference (every op, exit heads included).</summary>
        public int OpCount { get { return model.Ops.Length; } }

        /// <summary>Begins an inference on the input already set.</summary>
        public void Start()
        {
            Interpreter it = interpreter;
            for (int e = 0; e < it.ExitMargins.Length; e++)
            {
                it.ExitMargins[e] = -1;
                it.ExitClasses[e] = -1;
            }
            it.ExitTaken = 0;
            early = it.EarlyExitEnabled;
            next = 0;
            macs = 0;
            finished = false;
        }

        /// <summary>Runs the next op; true when the inference is finished (then ExitTaken and the outputs are set).</summary>
        public bool Step()
        {
            if (finished) return true;
            Op[] ops = model.Ops;
            Interpreter it = interpreter;
            while (next < ops.Length && ops[next].ExitGroup != 0 && !early) next++;
            if (next < ops.Length)
            {
                int i = next++;
                Op op = ops[i];
                KernelTable.Eval(model, op, it.Arena);
                macs += op.Macs;
                int g = op.ExitGroup;
                if (g != 0)
                {
                    ExitPoint x = model.Exits[g - 1];
                    if (x.LastOp == i)
                    {
                        it.LastMargin = it.Margin(x.OutputTensor);
                        it.ExitMargins[g - 1] = it.LastMargin;
                        it.ExitClasses[g - 1] = TopClass(x.OutputTensor);
                        if (it.LastMargin >= x.Threshold)
                        {
                            it.ExitTaken = g;
                            return Finish();
                        }
                    }
                }
                while (next < ops.Length && ops[next].ExitGroup != 0 && !early) next++;
                if (next < ops.Length) return false;
            }
            it.LastMargin = it.Margin(model.Outputs[0]);
            return Finish();
        }

        private bool Finish()
        {
            interpreter.MacsExecuted = macs;
            finished = true;
            return true;
        }

        private int TopClass(int tensorIndex)
        {
            Tensor t = model.Tensors[tensorIndex];
            sbyte[] arena = interpreter.Arena;
            int best = 0, p = t.ArenaOffset;
            for (int i = 1; i < t.ElementCount; i++) if (arena[p + i] > arena[p + best]) best = i;
            return best;
        }
    }
}
