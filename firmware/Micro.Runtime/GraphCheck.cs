using Micro.Runtime.Format;

namespace Micro.Runtime
{
    /// <summary>
    /// Load-time proofs over the whole graph, after every op was read and prepared: exit heads are
    /// contiguous groups ending in class scores, every tensor is written before it is read (and exit-head
    /// tensors only inside their head), and the host's arena plan never overwrites a tensor still needed.
    /// Also sums Model.MainMacs, ExitPoint.HeadMacs and Model.MaxOpMacs.
    /// </summary>
    internal sealed class GraphCheck
    {
        private readonly Model model;
        private readonly Tensor[] Tensors;
        private readonly Op[] Ops;
        private readonly ExitPoint[] Exits;
        private readonly int[] Outputs;

        private GraphCheck(Model m)
        {
            model = m;
            Tensors = m.Tensors;
            Ops = m.Ops;
            Exits = m.Exits;
            Outputs = m.Outputs;
        }

        public static void Run(Model m)
        {
            GraphCheck g = new GraphCheck(m);
            g.CheckExits();
            g.CheckDataflow();
            g.CheckArena();
        }

        private static BlobFormatException Fail(int code, string message)
        {
            return Model.Fail(code, message);
        }

        private void CheckExits()
        {
            int count = Exits.Length;
            int lastGroupSeen = 0;
            for (int i = 0; i < Ops.Length; i++)
            {
                Op op = Ops[i];
                if (op.Macs > model.MaxOpMacs) model.MaxOpMacs = op.Macs;
                if (op.ExitGroup == 0) { model.MainMacs += op.Macs; continue; }
                if (op.ExitGroup > count) throw Fail(ErrorCodes.BadExit, "op " + i + " belongs to exit group " + op.ExitGroup + " but there are " + count + " exits");
                if (op.ExitGroup < lastGroupSeen) throw Fail(ErrorCodes.BadExit, "op " + i + ": exit groups must appear in order");
                lastGroupSeen = op.ExitGroup;
                ExitPoint x = Exits[op.ExitGroup - 1];
                if (x.LastOp >= 0 && x.LastOp != i - 1) throw Fail(ErrorCodes.BadExit, "exit " + op.ExitGroup + ": its ops are not contiguous");
                x.LastOp = i;
                x.HeadMacs += op.Macs;
            }
            Tensor out0 = Tensors[Outputs[0]];
            for (int e = 0; e < count; e++)
            {
                ExitPoint x = Exits[e];
                if (x.LastOp < 0) throw Fail(ErrorCodes.BadExit, "exit " + x.Group + " has no ops");
                if (Ops[x.LastOp].Outputs[0] != x.OutputTensor) throw Fail(ErrorCodes.BadExit, "exit " + x.Group + ": output tensor is not written by the head's last op");
                Tensor t = Tensors[x.OutputTensor];
                if (t.DType != DType.Int8 || t.Channels != out0.Channels || t.ElementCount != t.Channels || t.Channels < 2)
                    throw Fail(ErrorCodes.BadExit, "exit " + x.Group + ": output must be int8 [1, " + out0.Channels + "] class scores");
            }
        }

        private void CheckDataflow()
        {
            for (int i = 0; i < Ops.Length; i++)
            {
                Op op = Ops[i];
                for (int k = 0; k < op.Inputs.Length; k++)
                {
                    Tensor t = Tensors[op.Inputs[k]];
                    if (!t.IsModelInput && (t.Producer < 0 || t.Producer >= i))
                        throw Fail(ErrorCodes.ReadBeforeWrite, "op " + i + " (" + OpCodes.Name(op.Code) + ") reads tensor " + t.Index + " before anything writes it");
                    if (t.IsModelInput || Ops[t.Producer].ExitGroup == 0)
                    {
                        // main tensors may be read by anyone
                    }
                    else if (Ops[t.Producer].ExitGroup != op.ExitGroup)
                        throw Fail(ErrorCodes.ReadBeforeWrite, "op " + i + " reads tensor " + t.Index + " of exit head " + Ops[t.Producer].ExitGroup);
                    t.LastReader = i;
                }
                Tensor o = Tensors[op.Outputs[0]];
                if (o.IsModelInput) throw Fail(ErrorCodes.BadIo, "op " + i + " writes model input tensor " + o.Index);
                if (o.Producer >= 0) throw Fail(ErrorCodes.BadOpRecord, "tensor " + o.Index + " is written by op " + o.Producer + " and op " + i);
                o.Producer = i;
            }
            for (int k = 0; k < Outputs.Length; k++)
            {
                Tensor t = Tensors[Outputs[k]];
                if (t.Producer < 0 && !t.IsModelInput) throw Fail(ErrorCodes.ReadBeforeWrite, "model output tensor " + t.Index + " is never written");
                if (t.Producer >= 0 && Ops[t.Producer].ExitGroup != 0) throw Fail(ErrorCodes.BadIo, "model output tensor " + t.Index + " is written by an exit head");
            }
        }

        /// <summary>
        /// Proves the host's memory plan safe: when op i writes its output, no tensor that is still needed
        /// (read by op i or later, or a model output) may share arena bytes with it, except an equal-offset
        /// alias of an element-wise op's own input.
        /// </summary>
        private void CheckArena()
        {
            int n = Ops.Length;
            for (int i = 0; i < n; i++)
            {
                Op op = Ops[i];
                Tensor o = Tensors[op.Outputs[0]];
                for (int k = 0; k < Tensors.Length; k++)
                {
                    Tensor t = Tensors[k];
                    if (t == o) continue;
                    bool written = t.IsModelInput || (t.Producer >= 0 && t.Producer < i);
                    if (!written) continue;
                    bool needed = t.LastReader >= i || (t.IsModelOutput && (t.Producer < 0 || Ops[t.Producer].ExitGroup == 0));
                    if (!needed) continue;
                    if (t.ArenaOffset >= o.ArenaOffset + o.ByteSize || o.ArenaOffset >= t.ArenaOffset + t.ByteSize) continue;
                    bool ownInput = false;
                    for (int q = 0; q < op.Inputs.Length; q++) if (op.Inputs[q] == k) ownInput = true;
                    if (ownInput && t.LastReader == i && !t.IsModelOutput && t.ArenaOffset == o.ArenaOffset
                        && t.ByteSize == o.ByteSize && AliasSafe(op)) continue;
                    throw Fail(ErrorCodes.ArenaOverlap, "op " + i + " (" + OpCodes.Name(op.Code) + ") writes tensor " + o.Index
                        + " over arena bytes of tensor " + k + " that is still needed");
                }
            }
        }

        private bool AliasSafe(Op op)
        {
            int c = op.Code;
            if (c == OpCodes.Reshape || c == OpCodes.Relu || c == OpCodes.Logistic || c == OpCodes.Tanh || c == OpCodes.LeakyRelu) return true;
            if (c == OpCodes.Lut || c == OpCodes.HardSwish) return true;
            if (c == OpCodes.Quantize) return Tensors[op.Inputs[0]].DType == Tensors[op.Outputs[0]].DType;
            return false;
        }
    }
}
