using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// UNIDIRECTIONAL_SEQUENCE_LSTM, fully integer as TFLite Micro's 8×8→16 kernel computes it: int8 input and
    /// output, int8 weights, int16 gates and cell state. Per batch b, time step t and hidden unit s, with x_t
    /// the int8 input row, h the previous output row (the hidden state; absent at t = 0, where TFLM's state
    /// holds the zero point and every recurrent sum is exactly 0) and sat16 = clamp to int16:
    ///   pre_k = sat16( sat16(MBQM(inBias_k[s] + Σ_i x_t[i]·Win_k[s,i], m_k, e_k))
    ///                + sat16(MBQM(recBias_k[s] + Σ_j h[j]·Wrec_k[s,j], m'_k, e'_k)) )     k = i, f, g, o
    ///   i = σ16(pre_i), f = σ16(pre_f), o = σ16(pre_o), g = tanh16(pre_g, Q3.12)
    ///   c  = sat16( sat16(MBQM(f·c, fm, fe)) + sat16(MBQM(i·g, im, ie)) ), then clamp to ±clip when clip > 0
    ///   y[b,t,s] = clamp(h_zp + MBQM(tanh16(c, 2^p)·o, om, oe), −128, 127)
    /// The gate FC's output scale is fixed at 2^−12 (Q3.12) and the gate activations' at 2^−15 (Q0.15); the
    /// host folds the zero points into the biases (inBias = bias − x_zp·ΣWin, recBias = −h_zp·ΣWrec; exact, as
    /// int32 wraps alike). MBQM is TFLite's 32-bit MultiplyByQuantizedMultiplier (FixedPoint).
    /// σ16 / tanh16 are TFLite's int16 Logistic / Tanh: x' = (x·mul + round) >> shift (σ: mul 3, shift 0;
    /// tanh: mul 3·2^(12+p) for p ≥ −12, else mul 3 and shift −(12+p)), then linear interpolation in
    /// SigmoidTable with 9 (σ) or 8 (tanh) fraction bits, symmetric about 0.
    /// Every gate is element-wise after its two FCs, which read only x_t and the previous h: so one pass per
    /// unit s computes all four gates, updates the cell and writes y[b,t,s] directly; the output row of step
    /// t is the hidden state step t+1 reads. State: the cell (int16 values in an int[B·S] made at load)
    /// starts from 0 at t = 0: each inference starts from TFLM's reset state. Sliced by output element
    /// (OpSlices): rows in output order, any cut gives the same bytes.
    /// Layout: x [B,T,I] (or [T,B,I] when time_major), y [B,T,S] (or [T,B,S]). Params: 0 weights (int8, Win for
    /// gates i,f,g,o [4][S][I] then Wrec [4][S][S]), 1 inBias (int32 [4][S]), 2 recBias (int32 [4][S]),
    /// 3 multipliers (int32 [8]: input FCs i,f,g,o then recurrent FCs), 4 shifts (int32 [8]), 5 time_major (0/1),
    /// 6 h_zp (the hidden state's zero point, −128..127), 7 cell clip (quantized, 0 = none), 8 cell scale power p
    /// (−40..0), 9/10 forget×cell mult/shift, 11/12 input×cell-gate mult/shift, 13/14 output mult/shift.
    /// Macs = B·T·4·S·(I + S). Prepared state LstmData.
    /// </summary>
    public static class Lstm
    {
        public const int PWeights = 0, PInBias = 1, PRecBias = 2, PMult = 3, PShift = 4, PTimeMajor = 5, PHiddenZero = 6,
            PCellClip = 7, PCellPower = 8, PForgetMult = 9, PForgetShift = 10, PInputMult = 11, PInputShift = 12,
            POutMult = 13, POutShift = 14, ParamCount = 15;
        /// <summary>
        /// Slice cost of one output element besides its MACs (OpSlices units): 8 requantizations, 4 activations,
        /// the cell update; ≈ 17,600 instructions-derived ns per element counted on k_lstm_28x28_h20, of which
        /// its 192 MACs at PlainMac are ≈ 8,600.
        /// </summary>
        public const int UnitWork = 9000;

        /// <summary>The op record's params, for every writer (constant offsets relative to the constant data).</summary>
        public static int[] Encode(int weightsOffset, int inBiasOffset, int recBiasOffset, int multOffset, int shiftOffset,
            bool timeMajor, int hiddenZero, int cellClip, int cellPower, int forgetMult, int forgetShift,
            int inputMult, int inputShift, int outMult, int outShift)
        {
            int[] p = new int[ParamCount];
            p[PWeights] = weightsOffset;
            p[PInBias] = inBiasOffset;
            p[PRecBias] = recBiasOffset;
            p[PMult] = multOffset;
            p[PShift] = shiftOffset;
            p[PTimeMajor] = timeMajor ? 1 : 0;
            p[PHiddenZero] = hiddenZero;
            p[PCellClip] = cellClip;
            p[PCellPower] = cellPower;
            p[PForgetMult] = forgetMult;
            p[PForgetShift] = forgetShift;
            p[PInputMult] = inputMult;
            p[PInputShift] = inputShift;
            p[POutMult] = outMult;
            p[POutShift] = outShift;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8) throw m.OpError(op, ErrorCodes.BadDType, "needs int8 input and output");
            if (x.Rank != 3 || y.Rank != 3) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output must be rank 3");
            if (x.Dims[0] != y.Dims[0] || x.Dims[1] != y.Dims[1]) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output differ in batch or time");
            bool timeMajor = m.Param(op, PTimeMajor, 0, 1, "time_major") == 1;
            LstmData d = new LstmData();
            d.TimeMajor = timeMajor;
            d.Batch = timeMajor ? x.Dims[1] : x.Dims[0];
            d.Steps = timeMajor ? x.Dims[0] : x.Dims[1];
            int n = x.Dims[2], s = y.Dims[2];
            d.InputDim = n;
            d.State = s;
            d.WeightsOffset = m.ConstRef(op, PWeights, 4L * s * n + 4L * s * s, 1, "weights");
            d.RecWeightsOffset = d.WeightsOffset + 4 * s * n;
            d.InBias = m.ConstInt32(op, PInBias, 4 * s, "input bias");
            d.RecBias = m.ConstInt32(op, PRecBias, 4 * s, "recurrent bias");
            d.Mult = m.ConstInt32(op, PMult, 8, "multipliers");
            d.Shift = m.ConstInt32(op, PShift, 8, "shifts");
            for (int k = 0; k < 8; k++)
            {
                if (d.Mult[k] < 0) throw m.OpError(op, ErrorCodes.BadOpParams, "multiplier " + k + " is negative");
                if (d.Shift[k] < -31 || d.Shift[k] > 30) throw m.OpError(op, ErrorCodes.BadOpParams, "shift " + k + " is " + d.Shift[k] + ", allowed -31..30");
            }
            d.HiddenZero = m.Param(op, PHiddenZero, -128, 127, "hidden zero point");
            d.CellClip = m.Param(op, PCellClip, 0, 32767, "cell clip");
            int power = m.Param(op, PCellPower, -40, 0, "cell scale power");
            // TFLM's Tanh(cell_state_scale_power): left shift 15 + p − 3; a power-of-two input scale folds into
            // the multiplier 3·2^left, a negative left shift becomes a rounding right shift.
            int left = 12 + power;
            if (left >= 0) { d.TanhMult = 3 << left; d.TanhShift = 0; }
            else { d.TanhMult = 3; d.TanhShift = -left; }
            d.ForgetMult = m.Param(op, PForgetMult, 0, int.MaxValue, "forget mult");
            d.ForgetShift = m.Param(op, PForgetShift, -31, 30, "forget shift");
            d.InputMult = m.Param(op, PInputMult, 0, int.MaxValue, "input mult");
            d.InputShift = m.Param(op, PInputShift, -31, 30, "input shift");
            d.OutMult = m.Param(op, POutMult, 0, int.MaxValue, "output mult");
            d.OutShift = m.Param(op, POutShift, -31, 30, "output shift");
            d.XOffset = x.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.Cell = new int[d.Batch * s];
            op.Data = d;
            op.Macs = (long)d.Batch * d.Steps * 4 * s * (n + s);
            // Sliced by output element (one hidden unit of one step): 4·(I + S) MACs plus the gates' work.
            OpSlices.Set(op, y.ElementCount, 4L * (n + s), OpSlices.PlainMac, UnitWork);
        }

        public static void Eval(Model m, Op op, sbyte[] a)
        {
            LstmData d = (LstmData)op.Data;
            EvalBlock(m, op, a, 0, d.Batch * d.Steps, 0, d.State);
        }

        /// <summary>
        /// Output rows [p0, p1) (a row is one batch's one time step, in the output's order), hidden units
        /// [c0, c1) of each. Rows run in order, so a row's previous step of the same batch is complete; the
        /// cell of (batch, unit) starts from 0 at t = 0, so any cut gives the bytes of one whole Eval.
        /// </summary>
        public static void EvalBlock(Model m, Op op, sbyte[] a, int p0, int p1, int c0, int c1)
        {
            LstmData d = (LstmData)op.Data;
            byte[] w = m.Blob;
            int n = d.InputDim, s = d.State, batches = d.Batch, steps = d.Steps;
            int gw = s * n, gr = s * s;
            int[] cell = d.Cell, inBias = d.InBias, recBias = d.RecBias, mult = d.Mult, shift = d.Shift;
            int hZero = d.HiddenZero, clip = d.CellClip;
            for (int row = p0; row < p1; row++)
            {
                int b, t;
                if (d.TimeMajor) { t = row / batches; b = row - t * batches; }
                else { b = row / steps; t = row - b * steps; }
                int xb = d.XOffset + row * n, yb = d.YOffset + row * s;
                int hb = t == 0 ? -1 : yb - (d.TimeMajor ? batches * s : s);
                for (int u = c0; u < c1; u++)
                {
                    // The four gates' input FCs share each x load.
                    int acc0 = inBias[u], acc1 = inBias[s + u], acc2 = inBias[2 * s + u], acc3 = inBias[3 * s + u];
                    int q0 = d.WeightsOffset + u * n, q1 = q0 + gw, q2 = q1 + gw, q3 = q2 + gw;
                    for (int i = 0; i < n; i++)
                    {
                        int xv = a[xb + i];
                        acc0 += xv * (sbyte)w[q0 + i];
                        acc1 += xv * (sbyte)w[q1 + i];
                        acc2 += xv * (sbyte)w[q2 + i];
                        acc3 += xv * (sbyte)w[q3 + i];
                    }
                    int g0 = Sat16(FixedPoint.MultiplyByQuantizedMultiplier(acc0, mult[0], shift[0]));
                    int g1 = Sat16(FixedPoint.MultiplyByQuantizedMultiplier(acc1, mult[1], shift[1]));
                    int g2 = Sat16(FixedPoint.MultiplyByQuantizedMultiplier(acc2, mult[2], shift[2]));
                    int g3 = Sat16(FixedPoint.MultiplyByQuantizedMultiplier(acc3, mult[3], shift[3]));
                    int c = 0;
                    if (hb >= 0)
                    {
                        acc0 = recBias[u];
                        acc1 = recBias[s + u];
                        acc2 = recBias[2 * s + u];
                        acc3 = recBias[3 * s + u];
                        q0 = d.RecWeightsOffset + u * s;
                        q1 = q0 + gr;
                        q2 = q1 + gr;
                        q3 = q2 + gr;
                        for (int j = 0; j < s; j++)
                        {
                            int hv = a[hb + j];
                            acc0 += hv * (sbyte)w[q0 + j];
                            acc1 += hv * (sbyte)w[q1 + j];
                            acc2 += hv * (sbyte)w[q2 + j];
                            acc3 += hv * (sbyte)w[q3 + j];
                        }
                        g0 = Sat16(g0 + Sat16(FixedPoint.MultiplyByQuantizedMultiplier(acc0, mult[4], shift[4])));
                        g1 = Sat16(g1 + Sat16(FixedPoint.MultiplyByQuantizedMultiplier(acc1, mult[5], shift[5])));
                        g2 = Sat16(g2 + Sat16(FixedPoint.MultiplyByQuantizedMultiplier(acc2, mult[6], shift[6])));
                        g3 = Sat16(g3 + Sat16(FixedPoint.MultiplyByQuantizedMultiplier(acc3, mult[7], shift[7])));
                        c = cell[b * s + u];
                    }
                    int ig = Sigmoid(g0), fg = Sigmoid(g1), og = Sigmoid(g3), cg = Tanh(g2, 3, 0);
                    c = Sat16(Sat16(FixedPoint.MultiplyByQuantizedMultiplier(fg * c, d.ForgetMult, d.ForgetShift))
                              + Sat16(FixedPoint.MultiplyByQuantizedMultiplier(ig * cg, d.InputMult, d.InputShift)));
                    if (clip > 0)
                    {
                        if (c > clip) c = clip;
                        if (c < -clip) c = -clip;
                    }
                    cell[b * s + u] = c;
                    int v = hZero + FixedPoint.MultiplyByQuantizedMultiplier(Tanh(c, d.TanhMult, d.TanhShift) * og, d.OutMult, d.OutShift);
                    if (v < -128) v = -128;
                    if (v > 127) v = 127;
                    a[yb + u] = (sbyte)v;
                }
            }
        }

        private static int Sat16(int v)
        {
            return v < -32768 ? -32768 : (v > 32767 ? 32767 : v);
        }

        /// <summary>TFLite's int16 Logistic for a Q3.12 input (power-of-two case: multiplier 3, no shift): Q0.15 output.</summary>
        public static int Sigmoid(int x)
        {
            int v = x * 3;
            uint abs = (uint)(v < 0 ? -v : v);
            uint uh = abs >> 9;
            uint r;
            if (uh >= 255) r = 0x7FFFu << 10;
            else
            {
                uint ua = (uint)SigmoidTable[uh], ub = (uint)SigmoidTable[uh + 1];
                r = (ua << 9) + (abs & 0x1FF) * unchecked(ub - ua);
            }
            r = v >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1;
            return unchecked((short)(r >> 10));
        }

        /// <summary>TFLite's int16 Tanh with input x' = (x·mult + round) >> shift: Q0.15 output.</summary>
        public static int Tanh(int x, int mult, int shift)
        {
            int v = (x * mult + (shift > 0 ? 1 << (shift - 1) : 0)) >> shift;
            uint abs = (uint)(v < 0 ? -v : v);
            uint uh = abs >> 8;
            int r;
            if (uh >= 255) r = 0xFFFF << 8;
            else
            {
                uint ua = (uint)SigmoidTable[uh], ub = (uint)SigmoidTable[uh + 1];
                r = unchecked((int)((ua << 8) + (abs & 0xFF) * unchecked(ub - ua)));
            }
            r = v >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
            return unchecked((short)(r >> 8));
        }

        /// <summary>Entry i (0..255) of the sigmoid table, for the tools and tests.</summary>
        public static int SigmoidTableEntry(int i)
        {
            return SigmoidTable[i];
        }

        /// <summary>
        /// TFLite's sigmoid table (kernels/internal/common.h, sigmoid_table_uint16): σ(i/24) in unsigned 0.16,
        /// shared by its int16 Logistic and Tanh. These exact values are what byte-exactness needs.
        /// </summary>
        // Built on first use, not by a static initializer: its 1 KB of heap only for models with an LSTM.
        private static int[] SigmoidTable { get { return sigmoidTable != null ? sigmoidTable : (sigmoidTable = SigmoidValues()); } }

        private static int[] sigmoidTable;

        private static int[] SigmoidValues()
        {
            return new int[]
        {
            32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
            43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
            51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
            57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
            61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
            63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
            64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
            64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
            65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
            65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
            65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
            65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
            65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
            65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
            65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
            65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
        };
        }
    }

    /// <summary>Prepared state of LSTM: geometry, weights' place in the blob, folded biases, requantization, cell state.</summary>
    public sealed class LstmData
    {
        public bool TimeMajor;
        public int Batch, Steps, InputDim, State, WeightsOffset, RecWeightsOffset, XOffset, YOffset, HiddenZero, CellClip;
        public int TanhMult, TanhShift, ForgetMult, ForgetShift, InputMult, InputShift, OutMult, OutShift;
        public int[] InBias, RecBias, Mult, Shift;
        /// <summary>The cell state [B][S], int16 values (each starts from 0 at t = 0).</summary>
        public int[] Cell;
    }
}
