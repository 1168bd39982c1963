using System;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;

namespace Micro.Runtime
{
    /// <summary>
    /// Runs a loaded Model. The arena is allocated once here, of the size the blob names; Invoke allocates
    /// nothing. Typical firmware loop: SetInput → Invoke → read Output / ExitTaken / MacsExecuted; or, to
    /// keep reading a sensor during the network, SetInput → Start → Step until it returns true → read them.
    /// </summary>
    public sealed class Interpreter
    {
        public readonly Model Model;
        public readonly sbyte[] Arena;

        /// <summary>When false, exit heads are skipped and the full network always runs.</summary>
        public bool EarlyExitEnabled = true;

        /// <summary>Exit group taken by the last Invoke (1..), or 0 when the full network ran.</summary>
        public int ExitTaken;
        /// <summary>MACs executed by the last Invoke (exit heads included when they ran).</summary>
        public long MacsExecuted;
        /// <summary>Confidence margin (top-1 − top-2) of output 0 when the full network ran, else of the exit taken.</summary>
        public int LastMargin;
        /// <summary>Per exit (index group − 1): its margin and top class when the last Invoke evaluated it, else −1.</summary>
        public readonly int[] ExitMargins;
        public readonly int[] ExitClasses;

        public Interpreter(Model model)
        {
            if (model == null) throw new ArgumentNullException("model");
            Model = model;
            Arena = new sbyte[model.ArenaSize];
            ExitMargins = new int[model.Exits.Length];
            ExitClasses = new int[model.Exits.Length];
        }

        /// <summary>Copies int8 data into model input `index` (count = the tensor's element count).</summary>
        public void SetInput(int index, sbyte[] data, int offset)
        {
            Tensor t = Model.Tensors[Model.Inputs[index]];
            if (t.DType != DType.Int8) throw new InvalidOperationException("input " + index + " is " + DType.Name(t.DType) + ", not int8");
            if (data == null || offset < 0 || offset + t.ElementCount > data.Length)
                throw new ArgumentException("input " + index + " needs " + t.ElementCount + " values from offset " + offset);
            Array.Copy(data, offset, Arena, t.ArenaOffset, t.ElementCount);
        }

        /// <summary>
        /// Quantizes raw integer sensor samples into input `index`:
        /// q = clamp(zp + MultiplyByQuantizedMultiplier(raw − rawZero, mult, shift)), where mult/shift encode
        /// raw_scale / input_scale (computed on the host, so the device needs no float).
        /// </summary>
        public void SetInputFromRaw(int index, int[] raw, int offset, int rawZero, int mult, int shift)
        {
            Tensor t = Model.Tensors[Model.Inputs[index]];
            if (raw == null || offset < 0 || offset + t.ElementCount > raw.Length)
                throw new ArgumentException("input " + index + " needs " + t.ElementCount + " samples from offset " + offset);
            int lo = t.DType == DType.Int16 ? -32768 : -128, hi = t.DType == DType.Int16 ? 32767 : 127;
            int n = t.ElementCount, p = t.ArenaOffset, zp = t.ZeroPoint;
            for (int i = 0; i < n; i++)
            {
                int v = zp + FixedPoint.MultiplyByQuantizedMultiplier(raw[offset + i] - rawZero, mult, shift);
                if (v < lo) v = lo;
                if (v > hi) v = hi;
                if (t.DType == DType.Int16)
                {
                    Arena[p + 2 * i] = (sbyte)v;
                    Arena[p + 2 * i + 1] = (sbyte)(v >> 8);
                }
                else Arena[p + i] = (sbyte)v;
            }
        }

        /// <summary>Runs the ops in order, each whole; stops at the first confident exit head. Returns ExitTaken.</summary>
        public int Invoke()
        {
            Start();
            while (!Run(long.MaxValue))
            {
            }
            return ExitTaken;
        }

        /// <summary>The work of one Step by default: ≈ 0.16–0.2 ms of the reference nanoCLR (OpSlices units ≈ 1 ns; heart-rate: longest Step ≈ 0.19 ms).</summary>
        public const int DefaultStepBudget = 160000;

        /// <summary>
        /// Most work one Step runs, in OpSlices units (≈ ns of the reference nanoCLR): a Step runs op slices
        /// until the next would pass it (at least one output element, so a Step runs more only when a single
        /// output element costs more than this).
        /// </summary>
        public int StepBudget = DefaultStepBudget;

        /// <summary>The work the last Step (or Invoke's last pass) ran, in OpSlices units.</summary>
        public long LastStepWork;

        // Sliced execution: the next op and its next unit (output element), the MACs of the ops finished so
        // far, and whether a run is under way.
        private int nextOp;
        private int nextUnit;
        private long macsSoFar;
        private bool running;

        /// <summary>
        /// Begins an inference on the input already set (SetInput): the next Step runs the first op. The
        /// result accessors (ExitTaken, MacsExecuted, LastMargin, outputs) are only meaningful once Step has
        /// returned true. Starting again abandons a run under way.
        /// </summary>
        public void Start()
        {
            ExitPoint[] exits = Model.Exits;
            for (int e = 0; e < exits.Length; e++) { ExitMargins[e] = -1; ExitClasses[e] = -1; }
            ExitTaken = 0;
            MacsExecuted = 0;
            macsSoFar = 0;
            nextOp = 0;
            nextUnit = 0;
            running = true;
        }

        /// <summary>
        /// Runs the next slice of the inference begun by Start: ops, or parts of an op (output elements,
        /// OpSlices), until StepBudget is used (exit-head ops are skipped when EarlyExitEnabled is false; a
        /// confident head ends the run). Returns true once the inference is finished (the full network or
        /// an exit), with the same ExitTaken, MacsExecuted, LastMargin and output bytes as Invoke; the
        /// device loop reads its sensor between Steps. MacsExecuted counts the ops finished so far.
        /// </summary>
        public bool Step()
        {
            return Run(StepBudget);
        }

        private bool Run(long budget)
        {
            if (!running) throw new InvalidOperationException("Step without Start (or after the inference finished)");
            Model m = Model;
            Op[] ops = m.Ops;
            int i = nextOp, u = nextUnit;
            bool early = EarlyExitEnabled;
            long work = 0;
            while (true)
            {
                if (!early && u == 0)
                    while (i < ops.Length && ops[i].ExitGroup != 0) i++;
                if (i >= ops.Length) break;
                Op op = ops[i];
                long cost = op.UnitCost;
                int n = op.Units - u;
                long room = (budget - work) / cost;
                if (room < n)
                {
                    if (room < 1)
                    {
                        if (work > 0) break;
                        room = 1;
                    }
                    if (room < n) n = (int)room;
                }
                KernelTable.EvalSlice(m, op, Arena, u, u + n);
                work += n * cost;
                u += n;
                if (u < op.Units) break;
                u = 0;
                macsSoFar += op.Macs;
                int g = op.ExitGroup;
                i++;
                if (g != 0)
                {
                    ExitPoint x = m.Exits[g - 1];
                    if (x.LastOp == i - 1)
                    {
                        LastMargin = Margin(x.OutputTensor);
                        ExitMargins[g - 1] = LastMargin;
                        ExitClasses[g - 1] = TopClass(x.OutputTensor);
                        if (LastMargin >= x.Threshold)
                        {
                            ExitTaken = g;
                            i = ops.Length;
                            break;
                        }
                    }
                }
            }
            if (!early && u == 0)
                while (i < ops.Length && ops[i].ExitGroup != 0) i++;
            nextOp = i;
            nextUnit = u;
            LastStepWork = work;
            MacsExecuted = macsSoFar;
            if (i < ops.Length) return false;
            if (ExitTaken == 0) LastMargin = Margin(m.Outputs[0]);
            running = false;
            return true;
        }

        /// <summary>Top-1 minus top-2 of an int8 score tensor (0 for a single score).</summary>
        public int Margin(int tensorIndex)
        {
            Tensor t = Model.Tensors[tensorIndex];
            if (t.DType != DType.Int8 || t.ElementCount < 2) return 0;
            int best = -1000, second = -1000;
            int p = t.ArenaOffset, end = p + t.ElementCount;
            for (int i = p; i < end; i++)
            {
                int v = Arena[i];
                if (v > best) { second = best; best = v; }
                else if (v > second) second = v;
            }
            return best - second;
        }

        private int TopClass(int tensorIndex)
        {
            Tensor t = Model.Tensors[tensorIndex];
            int best = 0, p = t.ArenaOffset;
            for (int i = 1; i < t.ElementCount; i++) if (Arena[p + i] > Arena[p + best]) best = i;
            return best;
        }

        /// <summary>Tensor index of output `index` after the last Invoke: an exit's scores when one was taken.</summary>
        public int OutputTensor(int index)
        {
            if (index == 0 && ExitTaken != 0) return Model.Exits[ExitTaken - 1].OutputTensor;
            return Model.Outputs[index];
        }

        /// <summary>Copies output `index` (int8) into dest.</summary>
        public void GetOutput(int index, sbyte[] dest, int offset)
        {
            Tensor t = Model.Tensors[OutputTensor(index)];
            if (t.DType != DType.Int8) throw new InvalidOperationException("output " + index + " is " + DType.Name(t.DType));
            Array.Copy(Arena, t.ArenaOffset, dest, offset, t.ElementCount);
        }

        /// <summary>Raw quantized value of element `element` of output `index` (int8 or int16).</summary>
        public int OutputValue(int index, int element)
        {
            Tensor t = Model.Tensors[OutputTensor(index)];
            if (element < 0 || element >= t.ElementCount) throw new ArgumentOutOfRangeException("element");
            if (t.DType == DType.Int16)
                return (short)((Arena[t.ArenaOffset + 2 * element] & 0xFF) | (Arena[t.ArenaOffset + 2 * element + 1] << 8));
            return Arena[t.ArenaOffset + element];
        }

        /// <summary>Dequantized value: scale × (q − zero_point). Float here only, never in a kernel.</summary>
        public float OutputReal(int index, int element)
        {
            Tensor t = Model.Tensors[OutputTensor(index)];
            return t.Scale * (OutputValue(index, element) - t.ZeroPoint);
        }

        /// <summary>Index of the largest element of output `index`.</summary>
        public int ArgMax(int index)
        {
            Tensor t = Model.Tensors[OutputTensor(index)];
            int best = 0;
            int bestV = OutputValue(index, 0);
            for (int i = 1; i < t.ElementCount; i++)
            {
                int v = OutputValue(index, i);
                if (v > bestV) { bestV = v; best = i; }
            }
            return best;
        }
    }
}
