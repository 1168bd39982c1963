using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// LAYER_NORM over the last axis (ONNX LayerNormalization axis −1, PyTorch nn.LayerNorm), int8 → int8, in
    /// integer arithmetic only. For each row q[0..C) of the input (int8 values, x = s_x·(q − x_zp)):
    ///   S = Σ q,  d_i = C·q_i − S  (= C·(q_i − mean), exact),  V = C·Σ q² − S² + eps_term  (= C²·(var + ε/s_x²))
    ///   root = isqrt(V · 2^16),  K = 9 + bitlength(root),  R = round(2^(20+K) / root)      (once per row)
    ///   n_i = (d_i · R + 2^(K−1)) >> K          (≈ d_i·2^20/root: the normalized value (x − μ)/√(σ² + ε) in Q12)
    ///   y_i = clamp(y_zp + MBQM64(n_i · gamma[i] + beta[i], mult, shift), act_min, act_max)
    /// R has 30 significant bits, so n_i is within 2^−11 of d_i·2^20/root before rounding (|d_i| ≤ root/2): one
    /// division per row instead of one per element. The zero point cancels in d and V. gamma is int16-range int32
    /// (γ / s_g), beta int32 (β / (s_g·2^−12)), mult/shift = QuantizeMultiplier(s_g·2^−12 / s_y), eps_term =
    /// round(C²·ε / s_x²) (host-computed). MBQM64 is TFLite's 64-bit MultiplyByQuantizedMultiplier (FixedPoint),
    /// r = (x·m16 + 2^(t−1)) >> t with the 16-bit multiplier m16 and t = 15 − shift; Prepare folds m16 into the
    /// tables (gamma·m16, beta·m16 + 2^(t−1)), which leaves the same integers. Sums are int64: C ≤ 16384 keeps
    /// V·2^16 and d·R inside it. Params: 0 gamma_off (int32 [C]), 1 beta_off (int32 [C]), 2 eps_term (≥ 0),
    /// 3 mult, 4 shift (−40..14), 5 act_min, 6 act_max. Macs = 2 per element (the two sums) plus one per element
    /// for the scale: 3·elements. Prepared state LayerNormData (12 bytes per channel).
    /// </summary>
    public static class LayerNorm
    {
        public const int PGamma = 0, PBeta = 1, PEps = 2, PMult = 3, PShift = 4, PActMin = 5, PActMax = 6, ParamCount = 7;
        public const int MaxChannels = 16384;

        /// <summary>The op record's params, for every writer (table offsets relative to the constant data).</summary>
        public static int[] Encode(int gammaOffset, int betaOffset, int epsTerm, int mult, int shift, int actMin, int actMax)
        {
            int[] p = new int[ParamCount];
            p[PGamma] = gammaOffset;
            p[PBeta] = betaOffset;
            p[PEps] = epsTerm;
            p[PMult] = mult;
            p[PShift] = shift;
            p[PActMin] = actMin;
            p[PActMax] = actMax;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8) throw m.OpError(op, ErrorCodes.BadDType, "input and output must be int8");
            if (!x.SameDims(y)) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output shapes differ");
            int c = x.Dims[x.Rank - 1];
            if (c > MaxChannels) throw m.OpError(op, ErrorCodes.ShapeMismatch, "last axis " + c + " is longer than " + MaxChannels);
            LayerNormData d = new LayerNormData();
            int[] gamma = m.ConstInt32(op, PGamma, c, "gamma");
            for (int i = 0; i < c; i++)
                if (gamma[i] < -32768 || gamma[i] > 32767) throw m.OpError(op, ErrorCodes.BadConstant, "gamma[" + i + "] is " + gamma[i] + ", outside int16");
            int[] beta = m.ConstInt32(op, PBeta, c, "beta");
            d.EpsTerm = m.Param(op, PEps, 0, int.MaxValue, "eps_term");
            int mult = m.Param(op, PMult, 0, int.MaxValue, "mult");
            int shift = m.Param(op, PShift, -40, 14, "shift");
            // MBQM64's 16-bit multiplier and rounding folded into the tables (|gamma·m16| < 2^30).
            int m16 = mult < 0x7FFF0000 ? ((mult + (1 << 15)) >> 16) : 0x7FFF;
            d.Shift = 15 - shift;
            long round = 1L << (d.Shift - 1);
            d.GammaM = new int[c];
            d.BetaM = new long[c];
            for (int i = 0; i < c; i++)
            {
                d.GammaM[i] = gamma[i] * m16;
                d.BetaM[i] = (long)beta[i] * m16 + round;
            }
            m.CheckActivationRange(op, PActMin);
            d.ActMin = op.Params[PActMin];
            d.ActMax = op.Params[PActMax];
            d.Channels = c;
            d.Rows = x.ElementCount / c;
            d.XOffset = x.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.YZero = y.ZeroPoint;
            op.Data = d;
            op.Macs = 3L * x.ElementCount;
        }

        public static void Eval(Model m, Op op, sbyte[] a)
        {
            LayerNormData d = (LayerNormData)op.Data;
            int c = d.Channels, tShift = d.Shift, yZero = d.YZero, actMin = d.ActMin, actMax = d.ActMax;
            int[] gammaM = d.GammaM;
            long[] betaM = d.BetaM;
            int xp = d.XOffset, yp = d.YOffset;
            for (int r = 0; r < d.Rows; r++)
            {
                int s = 0;
                long s2 = 0;
                for (int i = 0; i < c; i++)
                {
                    int q = a[xp + i];
                    s += q;
                    s2 += q * q;
                }
                long v = c * s2 - (long)s * s + d.EpsTerm;
                long root = Isqrt(v << 16);
                if (root == 0) root = 1; // a constant row with ε = 0: every d_i is 0
                int k = 9 + BitLength(root);
                long recip = ((1L << (20 + k)) + (root >> 1)) / root;
                long half = 1L << (k - 1);
                for (int i = 0; i < c; i++)
                {
                    long n = ((c * a[xp + i] - s) * recip + half) >> k;
                    int val = yZero + (int)((n * gammaM[i] + betaM[i]) >> tShift);
                    if (val < actMin) val = actMin;
                    if (val > actMax) val = actMax;
                    a[yp + i] = (sbyte)val;
                }
                xp += c;
                yp += c;
            }
        }

        /// <summary>The number of significant bits of 0 &lt; v &lt; 2^62.</summary>
        public static int BitLength(long v)
        {
            int b = 0;
            while (v != 0) { v >>= 1; b++; }
            return b;
        }

        /// <summary>floor(√v) for 0 ≤ v &lt; 2^62, bit by bit (no Math on the device).</summary>
        public static long Isqrt(long v)
        {
            long result = 0;
            long bit = 1L << 62;
            while (bit > v) bit >>= 2;
            while (bit != 0)
            {
                if (v >= result + bit)
                {
                    v -= result + bit;
                    result = (result >> 1) + bit;
                }
                else result >>= 1;
                bit >>= 2;
            }
            return result;
        }
    }

    /// <summary>Prepared state of LAYER_NORM: per-channel gamma and beta with the requantization multiplier folded in, ε term, requantization, clamp, row geometry.</summary>
    public sealed class LayerNormData
    {
        public int[] GammaM;
        public long[] BetaM;
        public int EpsTerm, Shift, ActMin, ActMax, Channels, Rows, XOffset, YOffset, YZero;
    }
}
