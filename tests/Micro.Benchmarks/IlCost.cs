using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using Micro.Benchmarks.Portable;
using Micro.Runtime.Kernels;

namespace Micro.Benchmarks
{
    /// <summary>
    /// Static IL count of each kernel style's hot loop (the innermost loop that does the multiplies), per MAC,
    /// and a nanoCLR estimate from the unit costs measured in shared/nanoframework.md: an array element load
    /// ~8.5 ns (6–11 with the bounds check), an instance-field read ~8 ns, a call ~27 ns, any other IL
    /// instruction ~2 ns. Hot loop only: per-output work (requantization) and loop set-up are not counted, so
    /// the estimate is a lower bound that matters most for deep layers.
    /// </summary>
    public static class IlCost
    {
        private sealed record Target(string Style, MethodInfo Method, int? MacsPerTrip, bool SkipCallingLoops = false);

        public const double LoadNs = 8.5, FieldNs = 8, CallNs = 27, OtherNs = 2;

        public static int Print()
        {
            var fc = typeof(FcVariants);
            var conv = typeof(Conv1DVariants);
            var targets = new List<Target>
            {
                new("FC Naive", typeof(NaiveFullyConnected).GetMethod("Run"), 1),
                new("FC Kernel (runtime, FullyConnected.EvalInt8)", typeof(FullyConnected).GetMethod("EvalInt8"), null),
                new("FC Hoisted", fc.GetMethod("Hoisted"), 1),
                new("FC Unroll8", fc.GetMethod("Unroll8"), 8),
                new("FC Rows2", fc.GetMethod("Rows2"), 8),
                new("FC Rows4", fc.GetMethod("Rows4"), 8),
                new("FC PackedInt", fc.GetMethod("PackedInt"), 4),
                new("FC Long2", fc.GetMethod("Long2"), 8),
                new("FC Long3", fc.GetMethod("Long3"), 12),
                new("Conv1D Naive", typeof(NaiveConv1D).GetMethod("Run"), 1),
                new("Conv1D Window", conv.GetMethod("Window"), 4),
                new("Conv1D Window2Long", conv.GetMethod("Window2Long"), 8),
                new("Conv1D Pos2Long", conv.GetMethod("Pos2Long"), 8),
                new("Conv1D Pos3Long", conv.GetMethod("Pos3Long"), 12),
                new("DW3x3 Taps9 (also Taps9OneCall)", typeof(DepthwiseVariants).GetMethod("Taps9"), 9),
                // The runtime's packed and sliding paths (3 MACs per multiply; 9 per window, requant call included).
                new("Conv1D/Conv2D Kernel interior (runtime, ConvLanes.Dot3: 3 positions per long)", typeof(ConvLanes).GetMethod("Dot3"), 12),
                new("DepthwiseConv2D one input channel, dm > 1 (runtime, ConvLanes.Dot3Strided)", typeof(ConvLanes).GetMethod("Dot3Strided"), 12),
                new("DepthwiseConv2D 3×3 Kernel interior (runtime, DepthwiseConv2D.Row3x3 stride 1, whole output incl. requant call)", typeof(DepthwiseConv2D).GetMethod("Row3x3"), 9),
            };
            // The runtime's conv kernels, once they exist (≈: one MAC per multiply assumed).
            foreach (string k in new[] { "Conv1D", "Conv2D", "DepthwiseConv2D" })
            {
                var rt = typeof(FullyConnected).Assembly.GetType("Micro.Runtime.Kernels." + k);
                var m = rt?.GetMethod("EvalInt8");
                if (m != null && HotLoop(m, true) != null) targets.Add(new(k + " Kernel plain loop (runtime, " + k + ".EvalInt8: borders, remainders, other shapes) ≈", m, null, true));
            }

            Console.WriteLine("| style | hot-loop IL | array loads | field reads | calls | MACs/trip | IL/MAC | loads/MAC | est. nanoCLR ns/MAC |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var t in targets)
            {
                var h = HotLoop(t.Method, t.SkipCallingLoops);
                if (h == null) continue;
                // MACs per loop trip, read off the code; null: one MAC per multiply (unknown kernels, marked ≈).
                int macs = t.MacsPerTrip ?? h.Value.Muls;
                double est = (h.Value.Loads * LoadNs + h.Value.Fields * FieldNs + h.Value.Calls * CallNs
                              + (h.Value.Il - h.Value.Loads - h.Value.Fields - h.Value.Calls) * OtherNs) / macs;
                Console.WriteLine($"| {t.Style} | {h.Value.Il} | {h.Value.Loads} | {h.Value.Fields} | {h.Value.Calls} | {macs} | " +
                                  $"{(double)h.Value.Il / macs:0.0} | {(double)h.Value.Loads / macs:0.00} | {est:0} |");
            }
            return 0;
        }

        private readonly record struct Loop(int Il, int Loads, int Fields, int Calls, int Muls);

        /// <summary>The innermost backward-branch loop with the most multiplies (skipCalls: among those without calls).</summary>
        private static Loop? HotLoop(MethodInfo m, bool skipCalls = false)
        {
            var ins = Decode(m);
            var loops = new List<(int From, int To)>();
            for (int i = 0; i < ins.Count; i++)
                if (ins[i].Target is int t && t <= ins[i].Offset)
                {
                    int from = ins.FindIndex(x => x.Offset == t);
                    if (from >= 0) loops.Add((from, i));
                }
            Loop? best = null;
            foreach (var (from, to) in loops)
            {
                bool innermost = !loops.Any(o => o != (from, to) && o.From >= from && o.To <= to);
                if (!innermost) continue;
                var body = ins.Skip(from).Take(to - from + 1).ToList();
                var l = new Loop(
                    body.Count,
                    body.Count(x => x.Op.Name.StartsWith("ldelem", StringComparison.Ordinal)),
                    body.Count(x => x.Op == OpCodes.Ldfld),
                    body.Count(x => x.Op == OpCodes.Call || x.Op == OpCodes.Callvirt),
                    body.Count(x => x.Op == OpCodes.Mul));
                if (skipCalls && l.Calls > 0) continue;
                if (l.Muls > 0 && (best == null || l.Muls > best.Value.Muls)) best = l;
            }
            return best;
        }

        private sealed record Instr(int Offset, OpCode Op, int? Target);

        private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        private static List<Instr> Decode(MethodInfo m)
        {
            byte[] il = m.GetMethodBody()!.GetILAsByteArray()!;
            var list = new List<Instr>();
            int p = 0;
            while (p < il.Length)
            {
                int start = p;
                short v = il[p++];
                if (v == 0xFE) v = (short)(0xFE00 | il[p++]);
                var op = Codes[v];
                int? target = null;
                switch (op.OperandType)
                {
                    case OperandType.ShortInlineBrTarget: target = p + 1 + (sbyte)il[p]; p += 1; break;
                    case OperandType.InlineBrTarget: target = p + 4 + BitConverter.ToInt32(il, p); p += 4; break;
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar: p += 1; break;
                    case OperandType.InlineVar: p += 2; break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR: p += 8; break;
                    case OperandType.InlineNone: break;
                    case OperandType.InlineSwitch: p += 4 + 4 * BitConverter.ToInt32(il, p); break;
                    default: p += 4; break;
                }
                list.Add(new Instr(start, op, target));
            }
            return list;
        }
    }
}
