using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Rate
{
    /// <summary>
    /// Heart rate from the spectrum, for when beats cannot be trusted (motion). Over the last 8 s (200
    /// samples at 25 Hz, kept as 100 pair sums: 12.5 Hz) it computes a Hann-windowed power spectrum of the
    /// motion-cleaned PPG every 3.75 bpm from 30 to 240 bpm (h half cycles per 8 s: half the window's own DFT
    /// spacing), Catmull-Rom interpolated to every 2 bpm, and, while the wearer moves, of the three accelerometer
    /// axes.
    /// Score per bin = PPG power − ½·acceleration power (both normalized to their maximum), clipped at 0. A
    /// grid Bayes filter on 2-bpm bins tracks the rate: the previous belief is spread by a raised-cosine
    /// kernel (the rate drifts a few bpm per update), mixed with 0.1 % uniform (so a lost track can be found
    /// again), multiplied by the likelihood ½ + score², normalized; the first belief favours 40–150 bpm.
    /// The estimate is the belief's peak, refined to 1 bpm by a parabola through it and its neighbours; the
    /// confidence is the belief mass within ±6 bpm of the peak.
    /// <para>
    /// Cost: the window is four 2 s blocks of 25 pair sums, and an update (every 2 s) brings one new block.
    /// Each block's plain DFT sums B(h) = Σ_m x[m]·e^{2πi·h·m/200} (h = 6..66) are computed once, when the
    /// block completes, and kept for the four updates that see it. The window's sums X(h) = Σ_b e^{iπ·h·b/4}·B_b(h)
    /// follow with few multiplies: block b starts 25·b positions in, so its phase factor is a multiple of an
    /// eighth turn (quarter turns swap and negate re and im, the odd eighths take one multiply by √½), and the
    /// periodic Hann window h[n] = ½ − ¼e^{2πin/100} − ¼e^{−2πin/100} is ½X(h) − ¼X(h + 2) − ¼X(h − 2) in the
    /// DFT domain. So an update costs 61 × 25 multiply-add pairs per channel (one channel at rest, four while
    /// moving) instead of a windowed DFT of 36 rates over all 100 positions, and a 15-tap spread of 106 bins,
    /// done a few bins per Add. Each block is normalized to 12 bits on its own
    /// (its sums then fit an int) and the blocks are aligned to the largest shift when combined.
    /// The accelerometer's block sums are computed when their block completes if the caller says the wearer
    /// moves, and at the update otherwise: a wrong guess costs time, never a different result.
    /// </para>
    /// </summary>
    public sealed class SpectralRateTracker
    {
        /// <summary>Lowest rate searched (bpm).</summary>
        public const int MinBpm = 30;

        /// <summary>Highest rate searched (bpm).</summary>
        public const int MaxBpm = 240;

        /// <summary>Window length in internal samples (8 s).</summary>
        public const int WindowSamples = 200;

        /// <summary>Samples per block and between updates (2 s): Update analyses the last four complete blocks.</summary>
        public const int UpdateSamples = 50;

        // The belief is held every BinBpm bpm.
        private const int BinBpm = HeartRateSettings.SpectralBinBpm;
        private const int Bins = (MaxBpm - MinBpm) / BinBpm + 1;
        // The DFT runs on pair sums (12.5 Hz: 100 positions per window; the pair sum passes 240 bpm at 0.88 of
        // its gain, and 12.5 Hz is far above twice 4 Hz).
        private const int Positions = WindowSamples / 2;
        private const int Blocks = WindowSamples / UpdateSamples;       // 4
        private const int BlockPositions = Positions / Blocks;          // 25
        // Rate h: h half cycles per 8 s = 3.75·h bpm. The grid: h = FirstH..LastH (30..240 bpm); the Hann window
        // needs the plain sums two steps (one DFT bin) beyond each end.
        private const int FirstH = 8;
        private const int LastH = 64;
        private const int GridBins = LastH - FirstH + 1;               // 57
        private const int SumBins = GridBins + 4;                       // h = 6..66
        private const int TablePeriod = 2 * Positions;                  // h advances h/200 turn per position
        // Belief bin j (30 + 2j bpm) sits 2j/3.75 = 8j/15 grid bins above 30 bpm: grid bin 8j/15 plus
        // (8j mod 15)/15 of the next.
        private const int GridDenominator = 15;
        private const int GridNumerator = 4 * BinBpm;
        private const int HalfSqrt2Q14 = 11585;                        // √½ in Q14
        // Catmull-Rom weights at t = r/15, scaled by 2·15³ (exact integers).
        private const int CubicScale = 2 * GridDenominator * GridDenominator * GridDenominator;
        // |x| < 4096 after a block's shift and |table| ≤ 16384: 25 products stay within ±2^31 (packed sums, int storage).
        private const int BlockBits = 12;
        private const int PowerShift = 13;
        private const int PriorChunk = 16;
        private const int KernelHalfWidth = 7;          // bins: the spread reaches ±14 bpm
        private const int One = 1 << 15;               // Q15 unity
        private const int LikelihoodFloor = One / 2;
        private const int UniformPerMille = 1;
        private const int BeliefTop = 1 << 20;
        private const int ConfidenceHalfWidth = 6 / BinBpm;

        // packed[j] = cos(2π·j/200)·2^32 + sin(2π·j/200), both Q14.
        private readonly long[] packed = new long[TablePeriod];
        // cubic[4·r + i]: weight of grid bin g − 1 + i at r/15 of the way from grid bin g to g + 1.
        private readonly int[] cubic = new int[4 * GridDenominator];
        private readonly int[] kernel = new int[2 * KernelHalfWidth + 1];
        private readonly int channels;  // 1 (PPG) or 4 (PPG and the three axes)
        // Pair sums: channel c's position p (mod 100) at c·100 + p (the PPG's block is summed when it completes,
        // so a PPG-only tracker keeps one block: position p at p mod 25); an even sample waits in pending*.
        private readonly int[] pairs;
        private int pendingPpg, pendingAx, pendingAy, pendingAz;
        private int added;             // samples since the reset (kept within 200..399 once 200 were seen)
        private int blocksSeen;        // complete blocks since the reset (kept within 4..11 once 4 were seen)
        // Block sums: channel c, block slot s (block number mod 4), rate h at (s·channels + c)·SumBins + h − 6.
        private readonly int[] blockRe;
        private readonly int[] blockIm;
        private readonly int[] blockShift;       // s·channels + c
        private readonly int[] blockNumber = new int[Blocks];  // number mod 8 of the block in slot s
        private readonly bool[] axesDone;         // the axes' sums of block slot s are computed
        private readonly int[] blockScratch = new int[BlockPositions];
        private readonly long[] sumRe = new long[SumBins];
        private readonly long[] sumIm = new long[SumBins];
        private bool motionExpected;   // the last update used the accelerometer
        private int priorDone = Bins;  // prior bins already spread from the current belief
        private readonly long[] ppgPower = new long[Bins];
        private readonly long[] accPower;
        // Belief ≤ BeliefTop = 2^20 after each update, the prior ≤ 15 · 2^20: both fit an int.
        private readonly int[] belief = new int[Bins];
        private readonly int[] prior = new int[Bins];
        private bool tracking;
        private int rateBpm;
        private int confidencePermille;
        private int peakSharePermille;

        /// <summary>A tracker for the PPG and the three accelerometer axes.</summary>
        public SpectralRateTracker() : this(true)
        {
        }

        /// <summary>A tracker for the PPG alone (withAccelerometer false: the axes are ignored, Update never
        /// subtracts motion, and nothing is allocated for them) or with the three axes.</summary>
        public SpectralRateTracker(bool withAccelerometer)
        {
            channels = withAccelerometer ? 4 : 1;
            pairs = new int[withAccelerometer ? channels * Positions : BlockPositions];
            blockRe = new int[Blocks * channels * SumBins];
            blockIm = new int[Blocks * channels * SumBins];
            blockShift = new int[Blocks * channels];
            axesDone = new bool[Blocks];
            accPower = withAccelerometer ? new long[Bins] : null;
            for (int j = 0; j < TablePeriod; j++)
            {
                long c = IntMath.Clamp(FixedTrig.CosQ14(j, TablePeriod), -16384, 16384);
                // sin θ = cos(θ − π/2): the entry a quarter period on.
                long sn = IntMath.Clamp(FixedTrig.CosQ14(j + TablePeriod - TablePeriod / 4, TablePeriod), -16384, 16384);
                packed[j] = (c << 32) + sn;
            }
            // Catmull-Rom at t = r/S, times 2·S³: (−r³ + 2r²S − rS², 3r³ − 5r²S + 2S³, −3r³ + 4r²S + rS², r³ − r²S).
            const int S = GridDenominator;
            for (int r = 0; r < S; r++)
            {
                cubic[4 * r] = -r * r * r + 2 * r * r * S - r * S * S;
                cubic[4 * r + 1] = 3 * r * r * r - 5 * r * r * S + 2 * S * S * S;
                cubic[4 * r + 2] = -3 * r * r * r + 4 * r * r * S + r * S * S;
                cubic[4 * r + 3] = r * r * r - r * r * S;
            }
            for (int k = -KernelHalfWidth; k <= KernelHalfWidth; k++)
                kernel[k + KernelHalfWidth] = (16384 + FixedTrig.CosQ14(k, 2 * (KernelHalfWidth + 1))) / 2;
        }

        /// <summary>Rate at the belief's peak (bpm), 0 before the first update.</summary>
        public int RateBpm { get { return rateBpm; } }

        /// <summary>Belief mass within ±6 bpm of the estimate (‰).</summary>
        public int ConfidencePermille { get { return confidencePermille; } }

        /// <summary>Share of the PPG power within ±6 bpm of the estimate (‰): how pulse-like the spectrum is.</summary>
        public int PeakSharePermille { get { return peakSharePermille; } }

        /// <summary>True once a full window has been analysed since the last reset.</summary>
        public bool IsTracking { get { return tracking; } }

        /// <summary>Stores one internal sample: the (motion-cleaned) band-passed PPG and band-passed axes; computes
        /// a block's sums when it completes (the axes' too if the last update used them).</summary>
        public void Add(int ppg, int ax, int ay, int az)
        {
            Add(ppg, ax, ay, az, motionExpected);
        }

        /// <summary>
        /// The same, saying whether the next update will probably use the accelerometer (the wearer moves
        /// now): the axes' sums of a completed block are then computed at once. A wrong guess costs time,
        /// never a different result.
        /// </summary>
        public void Add(int ppg, int ax, int ay, int az, bool moving)
        {
            if ((added & 1) == 0)
            {
                pendingPpg = ppg;
                pendingAx = ax;
                pendingAy = ay;
                pendingAz = az;
            }
            else
            {
                int position = (added >> 1) % Positions;
                int[] pr = pairs;
                pr[channels > 1 ? position : position % BlockPositions] = ppg + pendingPpg;
                if (channels > 1)
                {
                    pr[Positions + position] = ax + pendingAx;
                    pr[2 * Positions + position] = ay + pendingAy;
                    pr[3 * Positions + position] = az + pendingAz;
                }
                if (position % BlockPositions == BlockPositions - 1)
                {
                    int slot = position / BlockPositions;
                    blockNumber[slot] = blocksSeen & 7;
                    BlockSums(0, slot);
                    axesDone[slot] = false;
                    if (channels > 1 && moving) AxesSums(slot);
                    blocksSeen++;
                    // Only the number mod 8 and whether four blocks were seen matter: counting stays in 4..11.
                    if (blocksSeen == 3 * Blocks) blocksSeen = Blocks;
                }
            }
            added++;
            // 200 samples are a whole number of blocks: counting stays in 200..399, so it never overflows.
            if (added == 2 * WindowSamples) added = WindowSamples;
            if (tracking && priorDone < Bins)
            {
                int to = priorDone + PriorChunk < Bins ? priorDone + PriorChunk : Bins;
                SpreadBelief(priorDone, to);
                priorDone = to;
            }
        }

        /// <summary>Forgets the samples and the track (after the sensor came off, for example).</summary>
        public void Reset()
        {
            added = 0;
            blocksSeen = 0;
            motionExpected = false;
            priorDone = Bins;
            tracking = false;
            rateBpm = 0;
            confidencePermille = 0;
            peakSharePermille = 0;
        }

        /// <summary>
        /// Analyses the last four complete blocks (the last 8 s when called every UpdateSamples samples, as the
        /// monitor does every 2 s) and advances the track by one step. With useMotion (and an accelerometer)
        /// the accelerometer spectrum is subtracted. Returns false while fewer than four blocks are complete.
        /// </summary>
        public bool Update(bool useMotion)
        {
            if (blocksSeen < Blocks) return false;
            useMotion = useMotion && channels > 1;
            Clear(ppgPower);
            Accumulate(ppgPower, 0, GroupShift(0, 1));
            if (useMotion)
            {
                for (int s = 0; s < Blocks; s++) if (!axesDone[s]) AxesSums(s);
                int shift = GroupShift(1, 3);
                Clear(accPower);
                Accumulate(accPower, 1, shift);
                Accumulate(accPower, 2, shift);
                Accumulate(accPower, 3, shift);
            }
            motionExpected = useMotion;
            Track(useMotion);
            return true;
        }

        private void AxesSums(int slot)
        {
            BlockSums(1, slot);
            BlockSums(2, slot);
            BlockSums(3, slot);
            axesDone[slot] = true;
        }

        // The largest block shift of channels [first, first + count) over the window: the common scale.
        private int GroupShift(int first, int count)
        {
            int shift = 0;
            for (int s = 0; s < Blocks; s++)
                for (int c = first; c < first + count; c++)
                {
                    int v = blockShift[s * channels + c];
                    if (v > shift) shift = v;
                }
            return shift;
        }

        private static void Clear(long[] a)
        {
            System.Array.Clear(a, 0, a.Length);
        }

        // The plain DFT sums of one channel's block in slot (positions 25·slot .. 25·slot + 24 of its ring), for
        // h = 6..66: re = Σ x[m]·cos(2π·h·m/200), im = Σ x[m]·sin(…), x[m] = pair >> shift (shift brings the
        // block's largest |pair| below 4096). One 64-bit multiply gives both products: x·(cos·2^32 + sin) =
        // x·cos·2^32 + x·sin; over 25 positions |Σ x·sin| < 2^31, so the low 32 bits, read as an int, are exactly
        // Σ x·sin and the rest is exactly Σ x·cos · 2^32.
        private void BlockSums(int channel, int slot)
        {
            int[] pr = pairs;
            int first = channels > 1 ? channel * Positions + slot * BlockPositions : 0;
            int max = 0;
            for (int m = 0; m < BlockPositions; m++)
            {
                int v = pr[first + m];
                if (v < 0) v = -v;
                if (v > max) max = v;
            }
            int shift = 0;
            while ((max >> shift) >= (1 << BlockBits)) shift++;
            int[] x = blockScratch;
            for (int m = 0; m < BlockPositions; m++) x[m] = pr[first + m] >> shift;
            blockShift[slot * channels + channel] = shift;
            long[] table = packed;
            int[] re = blockRe;
            int[] im = blockIm;
            int offset = (slot * channels + channel) * SumBins;
            // Four rates per pass: each sample is loaded once for the four.
            int kk = 0;
            for (; kk + 4 <= SumBins; kk += 4)
            {
                int k0 = FirstH - 2 + kk, k1 = k0 + 1, k2 = k0 + 2, k3 = k0 + 3;
                int j0 = 0, j1 = 0, j2 = 0, j3 = 0;
                long a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                for (int m = 0; m < BlockPositions; m++)
                {
                    long v = x[m];
                    a0 += v * table[j0];
                    j0 += k0;
                    if (j0 >= TablePeriod) j0 -= TablePeriod;
                    a1 += v * table[j1];
                    j1 += k1;
                    if (j1 >= TablePeriod) j1 -= TablePeriod;
                    a2 += v * table[j2];
                    j2 += k2;
                    if (j2 >= TablePeriod) j2 -= TablePeriod;
                    a3 += v * table[j3];
                    j3 += k3;
                    if (j3 >= TablePeriod) j3 -= TablePeriod;
                }
                int low = (int)a0;
                re[offset + kk] = (int)((a0 - low) >> 32);
                im[offset + kk] = low;
                low = (int)a1;
                re[offset + kk + 1] = (int)((a1 - low) >> 32);
                im[offset + kk + 1] = low;
                low = (int)a2;
                re[offset + kk + 2] = (int)((a2 - low) >> 32);
                im[offset + kk + 2] = low;
                low = (int)a3;
                re[offset + kk + 3] = (int)((a3 - low) >> 32);
                im[offset + kk + 3] = low;
            }
            for (; kk < SumBins; kk++)
            {
                int k = FirstH - 2 + kk;
                int j = 0;
                long a = 0;
                for (int m = 0; m < BlockPositions; m++)
                {
                    a += x[m] * table[j];
                    j += k;
                    if (j >= TablePeriod) j -= TablePeriod;
                }
                int low = (int)a;
                re[offset + kk] = (int)((a - low) >> 32);
                im[offset + kk] = low;
            }
            // × e^{iπ·h·N/4} for block number N: the phase of the block's start, counted from a block whose number is a
            // multiple of 8, so the window's sums are the plain sum of its four blocks' (up to a factor that
            // Accumulate takes out). A quarter turn swaps and negates; an odd eighth takes one √½ multiply
            // (|B| ≤ 25 · 4096 · 16384 < 2^31, so the rotated parts fit an int).
            int n8 = blockNumber[slot];
            int eighths = ((FirstH - 2) * n8) & 7;   // (h · N) mod 8, h = FirstH − 2 + kk
            for (kk = 0; kk < SumBins; kk++)
            {
                long r = re[offset + kk];
                long i = im[offset + kk];
                if ((eighths & 1) != 0)
                {
                    long u = ((r - i) * HalfSqrt2Q14) >> 14;
                    i = ((r + i) * HalfSqrt2Q14) >> 14;
                    r = u;
                }
                switch (eighths >> 1)
                {
                    case 0: break;
                    case 1: { long t = r; r = -i; i = t; break; }
                    case 2: r = -r; i = -i; break;
                    default: { long t = r; r = i; i = -t; break; }
                }
                re[offset + kk] = (int)r;
                im[offset + kk] = (int)i;
                eighths = (eighths + n8) & 7;
            }
        }

        // Adds the Hann-windowed |DFT|² of one channel over the window of the four blocks to power at every belief
        // bin. The blocks' rotated sums add up to Y(h) = Σ_N e^{iπ·h·N/4}·B_N(h) = e^{iπ·h·N0/4}·X(h), X the window's
        // plain sums and N0 the number of its oldest block (each block at its own scale, B << shift: exact). The
        // Hann window's W(h) = 2X(h) − X(h − 2) − X(h + 2) (4 × ½X(h) − ¼X(h − 2) − ¼X(h + 2)) is then, up to a
        // factor of modulus 1, 2Y(h) − i^N0·Y(h − 2) − (−i)^N0·Y(h + 2); power = (Re W >> s)² + (Im W >> s)² with
        // s = 13 + the largest block shift, at the grid bins, Catmull-Rom interpolated in between (the grid
        // extended by its end values) and clipped at 0. An 8 s Hann window's main lobe is ±15 bpm wide, so the
        // spectrum is smooth at this spacing; the cubic lets a peak between grid bins show there (linear
        // interpolation would pin it to a grid bin).
        private void Accumulate(long[] power, int channel, int commonShift)
        {
            long[] yr = sumRe;
            long[] yi = sumIm;
            int[] re = blockRe;
            int[] im = blockIm;
            int shift = blockShift[channel];
            int offset = channel * SumBins;
            for (int kk = 0; kk < SumBins; kk++)
            {
                yr[kk] = (long)re[offset + kk] << shift;
                yi[kk] = (long)im[offset + kk] << shift;
            }
            for (int slot = 1; slot < Blocks; slot++)
            {
                shift = blockShift[slot * channels + channel];
                offset = (slot * channels + channel) * SumBins;
                for (int kk = 0; kk < SumBins; kk++)
                {
                    yr[kk] += (long)re[offset + kk] << shift;
                    yi[kk] += (long)im[offset + kk] << shift;
                }
            }
            // i^N0 = c + i·s (N0 ≡ blocksSeen mod 4: the oldest of the four newest blocks).
            int q = blocksSeen & 3;
            long c = q == 0 ? 1 : (q == 2 ? -1 : 0);
            long sn = q == 1 ? 1 : (q == 3 ? -1 : 0);
            int down = PowerShift + commonShift;
            // The grid powers overwrite the sums they come from (gp[g] needs the sums at g and above only).
            long[] gp = yr;
            for (int g = 0; g < GridBins; g++)
            {
                long lr = yr[g], hr = yr[g + 4], li = yi[g], hi = yi[g + 4];
                long a = (2 * yr[g + 2] - c * (lr + hr) + sn * (li - hi)) >> down;
                long b = (2 * yi[g + 2] - c * (li + hi) - sn * (lr - hr)) >> down;
                gp[g] = a * a + b * b;
            }
            int[] w = cubic;
            int grid = 0, r15 = 0;
            for (int bin = 0; bin < Bins; bin++)
            {
                if (r15 == 0) power[bin] += gp[grid];
                else
                {
                    long p0 = gp[grid > 0 ? grid - 1 : 0], p1 = gp[grid], p2 = gp[grid + 1], p3 = gp[grid + 2 < GridBins ? grid + 2 : GridBins - 1];
                    long v = (w[4 * r15] * p0 + w[4 * r15 + 1] * p1 + w[4 * r15 + 2] * p2 + w[4 * r15 + 3] * p3) / CubicScale;
                    if (v > 0) power[bin] += v;
                }
                r15 += GridNumerator;
                if (r15 >= GridDenominator)
                {
                    r15 -= GridDenominator;
                    grid++;
                }
            }
        }

        // prior[b] = (Σ_k belief[b + k]·kernel[k]) >> 14 over the bins that exist, for b in [from, to). The
        // kernel is symmetric (kernel[k] = kernel[−k], cos is even in FixedTrig), so inside the grid the two
        // taps at ±k share one multiply: the same integer sum.
        private void SpreadBelief(int from, int to)
        {
            int[] bel = belief;
            int[] pr = prior;
            int[] ker = kernel;
            const int W = KernelHalfWidth;
            int b = from;
            for (; b < to && b < W; b++) pr[b] = EdgeSpread(b);
            if (b < to && b < Bins - W)
            {
                long k0 = ker[W], k1 = ker[W + 1], k2 = ker[W + 2], k3 = ker[W + 3], k4 = ker[W + 4], k5 = ker[W + 5], k6 = ker[W + 6];
                long k7 = ker[W + 7];
                int stop = to < Bins - W ? to : Bins - W;
                for (; b < stop; b++)
                {
                    long p = bel[b] * k0
                        + ((long)bel[b - 1] + bel[b + 1]) * k1 + ((long)bel[b - 2] + bel[b + 2]) * k2 + ((long)bel[b - 3] + bel[b + 3]) * k3
                        + ((long)bel[b - 4] + bel[b + 4]) * k4 + ((long)bel[b - 5] + bel[b + 5]) * k5 + ((long)bel[b - 6] + bel[b + 6]) * k6
                        + ((long)bel[b - 7] + bel[b + 7]) * k7;
                    pr[b] = (int)(p >> 14);
                }
            }
            for (; b < to; b++) pr[b] = EdgeSpread(b);
        }

        private int EdgeSpread(int b)
        {
            long p = 0;
            int lo = b - KernelHalfWidth < 0 ? -b : -KernelHalfWidth;
            int hi = b + KernelHalfWidth >= Bins ? Bins - 1 - b : KernelHalfWidth;
            for (int k = lo; k <= hi; k++) p += (long)belief[b + k] * kernel[k + KernelHalfWidth];
            return (int)(p >> 14);
        }

        // Belief before the first window: flat over 40..150 bpm, tapering to a quarter at 30 and 240 bpm
        // (a rate outside that band is possible but should need stronger evidence than a motion harmonic).
        private static int StartPrior(int bpm)
        {
            const int Quarter = BeliefTop / 4;
            if (bpm > 150) return BeliefTop - (BeliefTop - Quarter) / (MaxBpm - 150) * (bpm - 150);
            if (bpm < 40) return BeliefTop - (BeliefTop - Quarter) / (40 - MinBpm) * (40 - bpm);
            return BeliefTop;
        }

        private void Track(bool useMotion)
        {
            long[] pp = ppgPower;
            long maxP = 1;
            long maxA = 1;
            long totalP = 0;
            for (int b = 0; b < Bins; b++)
            {
                long v = pp[b];
                if (v > maxP) maxP = v;
                totalP += v;
            }
            if (useMotion)
            {
                long[] ap = accPower;
                for (int b = 0; b < Bins; b++) if (ap[b] > maxA) maxA = ap[b];
            }

            // Prior: the last belief spread by the kernel, or the start prior.
            long priorTotal = 0;
            if (tracking) SpreadBelief(priorDone, Bins);
            else for (int b = 0; b < Bins; b++) prior[b] = StartPrior(MinBpm + BinBpm * b);
            for (int b = 0; b < Bins; b++) priorTotal += prior[b];
            long uniform = priorTotal * UniformPerMille / (1000L * Bins);

            long top = 1;
            int arg = 0;
            int[] bel = belief;
            int[] pr = prior;
            long[] acc = accPower;
            for (int b = 0; b < Bins; b++)
            {
                long score = pp[b] * One / maxP;
                if (useMotion) score -= acc[b] * (One / 2) / maxA;
                if (score < 0) score = 0;
                long likelihood = LikelihoodFloor + ((score * score) >> 15);
                long p = ((long)pr[b] * (1000 - UniformPerMille) / 1000 + uniform) * likelihood >> 15;
                bel[b] = (int)p;
                if (p > top)
                {
                    top = p;
                    arg = b;
                }
            }
            long sum = 0;
            long near = 0;
            long nearPower = 0;
            for (int b = 0; b < Bins; b++)
            {
                long v = (long)bel[b] * BeliefTop / top;
                bel[b] = (int)v;
                sum += v;
                int d = b - arg;
                if (d >= -ConfidenceHalfWidth && d <= ConfidenceHalfWidth)
                {
                    near += v;
                    nearPower += pp[b];
                }
            }
            tracking = true;
            priorDone = 0; // the next prior is spread from this belief, a few bins per Add
            // Between bins: the vertex of the parabola through the peak and its neighbours, rounded to 1 bpm
            // (its offset is within ±½ bin).
            rateBpm = MinBpm + BinBpm * arg;
            if (arg > 0 && arg < Bins - 1)
            {
                long lo = bel[arg - 1], hi = bel[arg + 1];
                long curve = 2L * bel[arg] - lo - hi;
                long num = (hi - lo) * BinBpm;   // offset = num / (2·curve) bpm, rounded half away from 0
                if (curve > 0) rateBpm += num >= 0 ? (int)((num + curve) / (2 * curve)) : -(int)((curve - num) / (2 * curve));
            }
            confidencePermille = sum > 0 ? (int)(near * 1000 / sum) : 0;
            peakSharePermille = totalP > 0 ? (int)(nearPower * 1000 / totalP) : 0;
        }
    }
}
