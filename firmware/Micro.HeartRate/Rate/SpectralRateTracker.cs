using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Rate
{
    /// <summary>
    /// Heart rate from the spectrum, for when beats cannot be trusted (motion). Over the last 8 s (200
    /// samples at 25 Hz, kept as 100 pair sums: 12.5 Hz) it computes a Hann-windowed power spectrum of the
    /// motion-cleaned PPG from MinBpm to MaxBpm (a DFT every 6 bpm with an integer cosine table, cubic
    /// interpolation to every 2 bpm) and, while the wearer moves, of the three accelerometer axes. Score per
    /// bin = PPG power − ½·acceleration power (both normalized to their maximum), clipped at 0. A grid Bayes
    /// filter on 2-bpm bins tracks the rate: the previous belief is spread by a raised-cosine kernel (the rate
    /// drifts a few bpm per update), mixed with 0.1 % uniform (so a lost track can be found again), multiplied
    /// by the likelihood ½ + score², normalized; the first belief favours 40–150 bpm.
    /// The estimate is the belief's peak, refined to 1 bpm by a parabola through it and its neighbours; the
    /// confidence is the belief mass within ±6 bpm of the peak.
    ///
    /// Cost: 36 × 100 multiply-add pairs per channel and update (one channel at rest, four while moving) and
    /// a 15-tap spread of 106 bins. So that no single call is long on a device (the sensor FIFO holds well
    /// under a second), the work is done ahead, a little in every Add, for the update expected when the
    /// samples since the last reset reach the next multiple of UpdateSamples (the monitor updates every 2 s):
    /// the DFT sums of the window positions already received, and the next prior from the current belief.
    /// The DFT of a position depends on the window's normalizing shift, known only once the window is
    /// complete: the work assumes the shift of the largest pair sum seen so far and starts over when a larger
    /// one changes it. Update finishes whatever is left (everything, if called at another time), so its
    /// results are exactly those of computing it all at once.
    /// </summary>
    public sealed class SpectralRateTracker
    {
        /// <summary>Lowest rate searched (bpm).</summary>
        public const int MinBpm = 30;

        /// <summary>Highest rate searched (bpm).</summary>
        public const int MaxBpm = 240;

        /// <summary>Window length in internal samples (8 s).</summary>
        public const int WindowSamples = 200;

        /// <summary>Samples between the updates the work ahead is done for (2 s).</summary>
        public const int UpdateSamples = 50;

        // The belief is held every BinBpm bpm.
        private const int BinBpm = HeartRateSettings.SpectralBinBpm;
        private const int Bins = (MaxBpm - MinBpm) / BinBpm + 1;
        // The DFT runs on pair sums (12.5 Hz: 100 positions per window; the pair sum passes 240 bpm at 0.88 of
        // its gain, and 12.5 Hz is far above twice 4 Hz), at every BinStride bpm, interpolated in between.
        private const int Positions = WindowSamples / 2;
        private const int BinStride = HeartRateSettings.SpectralStrideBpm;
        private const int GridBins = (MaxBpm - MinBpm) / BinStride + 1;
        private const int GridStep = BinStride / BinBpm;  // belief bins per DFT rate
        private const int TablePeriod = 1500;          // a rate of b bpm advances b/750 = 2b/1500 turn per pair
        private const int QuarterPeriod = TablePeriod / 4;
        // Every DFT rate is a multiple of BinStride bpm, so only every (2·BinStride)th entry of a 1500-entry table
        // is ever read: the table holds those, and rate BinStride·m advances m of them per position.
        private const int Turn = TablePeriod / (2 * BinStride);
        private const int FirstStep = MinBpm / BinStride;
        // Positions per packed accumulation: |x| ≤ 2048 and |table| ≤ 16384, so 50 products stay within ±2^31.
        private const int LaneBlock = 50;
        // Catmull-Rom weights between grid bins, scaled by 2·GridStep³ (exact integers for t = k/GridStep).
        private const int CubicScale = 2 * GridStep * GridStep * GridStep;
        // Work per Add: window positions per channel once this many are waiting, prior bins.
        private const int ChunkPositions = 8;
        private const int PriorChunk = 16;
        private const int KernelHalfWidth = 7;          // bins: the spread reaches ±14 bpm
        private const int One = 1 << 15;               // Q15 unity
        private const int LikelihoodFloor = One / 2;
        private const int UniformPerMille = 1;
        private const int BeliefTop = 1 << 20;
        private const int ConfidenceHalfWidth = 6 / BinBpm;

        // packed[j] = cos(2π·j/Turn)·2^32 + sin(2π·j/Turn), both Q14 (the 1500-entry table's values at 2·BinStride·j).
        private readonly long[] packed = new long[Turn];
        private readonly short[] hann = new short[Positions];
        // cubic[4·k + i]: weight of grid bin g − 1 + i for the bin k bpm above grid bin g (k = 1 .. BinStride − 1).
        private readonly int[] cubic = new int[4 * GridStep];
        private readonly long[] gridPower = new long[GridBins];
        private readonly int[] kernel = new int[2 * KernelHalfWidth + 1];
        // The pair sums of each channel: samples 2q and 2q + 1 (counted from the reset) sit in slot q mod 100;
        // an even sample waits in pending* for its partner.
        private readonly int[] ppgRing = new int[Positions];
        private readonly int[] axRing = new int[Positions];
        private readonly int[] ayRing = new int[Positions];
        private readonly int[] azRing = new int[Positions];
        private int pendingPpg, pendingAx, pendingAy, pendingAz;
        private int added;             // samples since the reset (kept within 200..399 once 200 were seen)
        private readonly int[] windowed = new int[Positions];
        // DFT sums per grid bin: channel c (0 PPG, 1..3 axes) at c · GridBins.
        private readonly long[] re = new long[4 * GridBins];
        private readonly long[] im = new long[4 * GridBins];
        // Work ahead for the window ending at sample number end (exclusive): positions done, assumed shift,
        // largest |sample| seen. The three axes share one shift, so they go together.
        private int ppgEnd = -1;
        private int ppgDone;
        private int ppgShift;
        private int ppgMax;
        private int accEnd = -1;
        private int accDone;
        private int accShift;
        private int accMax;
        private bool motionExpected;   // the last update used the accelerometer
        private int priorDone = Bins;  // prior bins already spread from the current belief
        private readonly long[] ppgPower = new long[Bins];
        private readonly long[] accPower = new long[Bins];
        // Belief ≤ BeliefTop = 2^20 after each update, the prior ≤ 15 · 2^20: both fit an int.
        private readonly int[] belief = new int[Bins];
        private readonly int[] prior = new int[Bins];
        private bool tracking;
        private int rateBpm;
        private int confidencePermille;
        private int peakSharePermille;

        public SpectralRateTracker()
        {
            for (int j = 0; j < Turn; j++)
            {
                long c = IntMath.Clamp(FixedTrig.CosQ14(2 * BinStride * j, TablePeriod), -16384, 16384);
                // sin θ = cos(θ − π/2): the entry a quarter period on.
                long sn = IntMath.Clamp(FixedTrig.CosQ14((2 * BinStride * j + TablePeriod - QuarterPeriod) % TablePeriod, TablePeriod), -16384, 16384);
                packed[j] = (c << 32) + sn;
            }
            for (int n = 0; n < Positions; n++) hann[n] = (short)((16384 - FixedTrig.CosQ14(n, Positions)) / 2);
            // Catmull-Rom at t = k/S, times 2·S³: (−k³ + 2k²S − kS², 3k³ − 5k²S + 2S³, −3k³ + 4k²S + kS², k³ − k²S).
            const int S = GridStep;
            for (int k = 1; k < S; k++)
            {
                cubic[4 * k] = -k * k * k + 2 * k * k * S - k * S * S;
                cubic[4 * k + 1] = 3 * k * k * k - 5 * k * k * S + 2 * S * S * S;
                cubic[4 * k + 2] = -3 * k * k * k + 4 * k * k * S + k * S * S;
                cubic[4 * k + 3] = k * k * k - k * k * S;
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

        /// <summary>Stores one internal sample: the (motion-cleaned) band-passed PPG and band-passed axes; does a
        /// share of the next update's work (for the accelerometer too if the last update used it).</summary>
        public void Add(int ppg, int ax, int ay, int az)
        {
            Add(ppg, ax, ay, az, motionExpected);
        }

        /// <summary>
        /// The same, saying whether the next update will probably use the accelerometer (the wearer moves
        /// now): its spectrum is then worked on ahead too. A wrong guess costs time, never a different result.
        /// </summary>
        public void Add(int ppg, int ax, int ay, int az, bool moving)
        {
            bool paired = (added & 1) == 1;
            int slot = (added >> 1) % Positions;
            if (paired)
            {
                ppg += pendingPpg;
                ax += pendingAx;
                ay += pendingAy;
                az += pendingAz;
                ppgRing[slot] = ppg;
                axRing[slot] = ax;
                ayRing[slot] = ay;
                azRing[slot] = az;
            }
            else
            {
                pendingPpg = ppg;
                pendingAx = ax;
                pendingAy = ay;
                pendingAz = az;
            }
            added++;
            if (added == 2 * WindowSamples)
            {
                // Only added mod 200 (the slot) and whether 200 were seen matter: counting stays in 200..399,
                // so it never overflows, and 200 is a whole number of update periods.
                added = WindowSamples;
                if (ppgEnd > 0) ppgEnd -= WindowSamples;
                if (accEnd > 0) accEnd -= WindowSamples;
            }

            // The window of the next update ends at the next multiple of UpdateSamples, and at least at 200.
            int end = (added + UpdateSamples - 1) / UpdateSamples * UpdateSamples;
            if (end < WindowSamples) end = WindowSamples;
            int arrived = added - (end - WindowSamples);
            int left = end - added;
            int pairs = arrived / 2;   // pair positions complete
            if (ppgEnd != end) StartPpg(end, pairs);
            else if (paired)
            {
                int v = ppg < 0 ? -ppg : ppg;
                if (v > ppgMax)
                {
                    ppgMax = v;
                    if (ShiftFor(v) > ppgShift) StartPpg(end, pairs);
                }
            }
            int n = Chunk(ppgDone, pairs, left);
            if (n > 0)
            {
                Sums(ppgRing, 0, end, ppgShift, ppgDone, ppgDone + n);
                ppgDone += n;
            }
            if (moving)
            {
                if (accEnd != end) StartAcc(end, pairs);
                else if (paired)
                {
                    int v = Largest(ax, ay, az);
                    if (v > accMax)
                    {
                        accMax = v;
                        if (ShiftFor(v) > accShift) StartAcc(end, pairs);
                    }
                }
                n = Chunk(accDone, pairs, left);
                if (n > 0)
                {
                    Sums(axRing, 1, end, accShift, accDone, accDone + n);
                    Sums(ayRing, 2, end, accShift, accDone, accDone + n);
                    Sums(azRing, 3, end, accShift, accDone, accDone + n);
                    accDone += n;
                }
            }
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
            ppgEnd = -1;
            accEnd = -1;
            motionExpected = false;
            priorDone = Bins;
            tracking = false;
            rateBpm = 0;
            confidencePermille = 0;
            peakSharePermille = 0;
        }

        /// <summary>
        /// Analyses the last 8 s and advances the track by one step (call every 2 s). With useMotion the
        /// accelerometer spectrum is subtracted. Returns false while the window is not yet full.
        /// </summary>
        public bool Update(bool useMotion)
        {
            if (added < WindowSamples) return false;
            int end = added & ~1;      // the window of the last 100 complete pairs
            // The work ahead counts only if it was for this window and assumed its shift.
            int shift = NormalizingShift(ppgRing, 0);
            if (ppgEnd != end || ppgShift != shift) StartPpg(end, Positions);
            if (ppgDone < Positions) Sums(ppgRing, 0, end, ppgShift, ppgDone, Positions);
            ppgDone = Positions;
            Clear(ppgPower);
            Accumulate(ppgPower, 0);
            if (useMotion)
            {
                int s = NormalizingShift(axRing, 0);
                s = NormalizingShift(ayRing, s);
                s = NormalizingShift(azRing, s);
                if (accEnd != end || accShift != s) StartAcc(end, Positions);
                if (accDone < Positions)
                {
                    Sums(axRing, 1, end, accShift, accDone, Positions);
                    Sums(ayRing, 2, end, accShift, accDone, Positions);
                    Sums(azRing, 3, end, accShift, accDone, Positions);
                }
                accDone = Positions;
                Clear(accPower);
                Accumulate(accPower, 1);
                Accumulate(accPower, 2);
                Accumulate(accPower, 3);
            }
            motionExpected = useMotion;
            Track(useMotion);
            return true;
        }

        // Positions to sum now: nothing until ChunkPositions are waiting (each call has a fixed cost per grid
        // bin), more when the positions still to come would not be done in time at that pace.
        private static int Chunk(int done, int arrived, int left)
        {
            int waiting = arrived - done;
            if (waiting < ChunkPositions) return 0;
            int pace = left > 0 ? (Positions - done + left - 1) / left : Positions;
            int n = pace > ChunkPositions ? pace : ChunkPositions;
            return n < waiting ? n : waiting;
        }

        // Starts the PPG sums for the window ending at sample end, of which the first arrived pairs are here.
        private void StartPpg(int end, int arrived)
        {
            ppgEnd = end;
            ppgDone = 0;
            ppgMax = LargestOf(ppgRing, end, arrived);
            ppgShift = ShiftFor(ppgMax);
            System.Array.Clear(re, 0, GridBins);
            System.Array.Clear(im, 0, GridBins);
        }

        private void StartAcc(int end, int arrived)
        {
            accEnd = end;
            accDone = 0;
            int m = LargestOf(axRing, end, arrived);
            int v = LargestOf(ayRing, end, arrived);
            if (v > m) m = v;
            v = LargestOf(azRing, end, arrived);
            if (v > m) m = v;
            accMax = m;
            accShift = ShiftFor(m);
            System.Array.Clear(re, GridBins, 3 * GridBins);
            System.Array.Clear(im, GridBins, 3 * GridBins);
        }

        // Largest |x| over the first count pair positions of the window ending at sample end.
        private static int LargestOf(int[] ring, int end, int count)
        {
            int max = 0;
            int slot = (end >> 1) % Positions;
            for (int n = 0; n < count; n++)
            {
                int v = ring[slot];
                if (v < 0) v = -v;
                if (v > max) max = v;
                slot++;
                if (slot == Positions) slot = 0;
            }
            return max;
        }

        private static int Largest(int a, int b, int c)
        {
            if (a < 0) a = -a;
            if (b < 0) b = -b;
            if (c < 0) c = -c;
            int m = a > b ? a : b;
            return m > c ? m : c;
        }

        // Shift that brings max to 11 bits.
        private static int ShiftFor(int max)
        {
            int shift = 0;
            while ((max >> shift) >= 2048) shift++;
            return shift;
        }

        // Shift that brings the largest |x| (and at least the previous shift's range) to 11 bits.
        private static int NormalizingShift(int[] x, int minimumShift)
        {
            int max = 0;
            for (int n = 0; n < Positions; n++)
            {
                int v = x[n];
                if (v < 0) v = -v;
                if (v > max) max = v;
            }
            int shift = ShiftFor(max);
            return shift > minimumShift ? shift : minimumShift;
        }

        private static void Clear(long[] a)
        {
            System.Array.Clear(a, 0, a.Length);
        }

        // Adds the DFT terms of pair positions [from, to) of one channel to its sums: for the rate S·m bpm,
        // re += x[n]·cos(2π·n·m/Turn) and im += x[n]·sin(…), x[n] = ((pair >> shift) · hann[n]) >> 14 (|x| ≤ 2048:
        // shift brings every pair sum of the window within 11 bits). One
        // 64-bit multiply gives both products: x·(cos·2^32 + sin) = x·cos·2^32 + x·sin; over at most LaneBlock
        // positions |Σ x·sin| < 2^31, so the low 32 bits, read as an int, are exactly Σ x·sin and the rest is
        // exactly Σ x·cos · 2^32 — the same integers as two separate sums, whatever the order of the positions.
        private void Sums(int[] ring, int channel, int end, int shift, int from, int to)
        {
            int[] x = windowed;
            short[] h = hann;
            int slot = ((end >> 1) + from) % Positions;
            for (int n = from; n < to; n++)
            {
                x[n] = ((ring[slot] >> shift) * h[n]) >> 14;
                slot++;
                if (slot == Positions) slot = 0;
            }
            long[] table = packed;
            int offset = channel * GridBins;
            for (int start = from; start < to; start += LaneBlock)
            {
                int stop = start + LaneBlock < to ? start + LaneBlock : to;
                // Four rates per pass: each sample is loaded once for the four.
                int g = 0;
                for (; g + 4 <= GridBins; g += 4)
                {
                    int m0 = FirstStep + g, m1 = m0 + 1, m2 = m0 + 2, m3 = m0 + 3;
                    int j0 = start * m0 % Turn, j1 = start * m1 % Turn, j2 = start * m2 % Turn, j3 = start * m3 % Turn;
                    long a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                    for (int n = start; n < stop; n++)
                    {
                        long v = x[n];
                        a0 += v * table[j0];
                        j0 += m0;
                        if (j0 >= Turn) j0 -= Turn;
                        a1 += v * table[j1];
                        j1 += m1;
                        if (j1 >= Turn) j1 -= Turn;
                        a2 += v * table[j2];
                        j2 += m2;
                        if (j2 >= Turn) j2 -= Turn;
                        a3 += v * table[j3];
                        j3 += m3;
                        if (j3 >= Turn) j3 -= Turn;
                    }
                    AddLanes(offset + g, a0);
                    AddLanes(offset + g + 1, a1);
                    AddLanes(offset + g + 2, a2);
                    AddLanes(offset + g + 3, a3);
                }
                for (; g < GridBins; g++)
                {
                    int m = FirstStep + g;
                    int j = start * m % Turn;
                    long acc = 0;
                    for (int n = start; n < stop; n++)
                    {
                        acc += x[n] * table[j];
                        j += m;
                        if (j >= Turn) j -= Turn;
                    }
                    AddLanes(offset + g, acc);
                }
            }
        }

        // Splits a packed accumulation into its two sums (see Sums) and adds them to re[k] and im[k].
        private void AddLanes(int k, long acc)
        {
            int low = (int)acc;
            re[k] += (acc - low) >> 32;
            im[k] += low;
        }

        // Adds |DFT|² (each sum >> 11) of one channel to power at every bin: at the grid bins exactly, in between
        // by Catmull-Rom cubic interpolation of the grid powers (the grid extended by its end values), clipped
        // at 0. An 8 s Hann window's main lobe is ±15 bpm wide, so the spectrum is smooth at this spacing; the
        // cubic lets a peak between grid bins show there (linear interpolation would pin it to a grid bin).
        private void Accumulate(long[] power, int channel)
        {
            long[] r = re;
            long[] i = im;
            long[] gp = gridPower;
            int offset = channel * GridBins;
            for (int g = 0; g < GridBins; g++)
            {
                long a = r[offset + g] >> 11;
                long c = i[offset + g] >> 11;
                gp[g] = a * a + c * c;
            }
            int[] w = cubic;
            for (int g = 0; g < GridBins; g++)
            {
                int b = g * GridStep;
                power[b] += gp[g];
                if (g == GridBins - 1) break;
                long p0 = gp[g > 0 ? g - 1 : 0], p1 = gp[g], p2 = gp[g + 1], p3 = gp[g + 2 < GridBins ? g + 2 : GridBins - 1];
                for (int k = 1; k < GridStep; k++)
                {
                    long v = (w[4 * k] * p0 + w[4 * k + 1] * p1 + w[4 * k + 2] * p2 + w[4 * k + 3] * p3) / CubicScale;
                    if (v > 0) power[b + k] += v;
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
