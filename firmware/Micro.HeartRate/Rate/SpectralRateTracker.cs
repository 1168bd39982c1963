using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Rate
{
    /// <summary>
    /// Heart rate from the spectrum, for when beats cannot be trusted (motion). Over the last 8 s (200
    /// samples at 25 Hz) it computes a Hann-windowed power spectrum of the motion-cleaned PPG at every whole
    /// bpm from MinBpm to MaxBpm (a DFT every 3 bpm with an integer cosine table, interpolated between),
    /// and, while the wearer moves, of the three accelerometer axes. Cost per update: 71 × 200
    /// multiply-add pairs per channel (one channel at rest, four while moving). Score per bpm = PPG power − ½·acceleration power (both
    /// normalized to their maximum), clipped at 0. A grid Bayes filter tracks the rate: the previous
    /// belief is spread by a raised-cosine kernel (the rate drifts a few bpm per update), mixed with 0.1 %
    /// uniform (so a lost track can be found again), multiplied by the likelihood ½ + score², normalized;
    /// the first belief favours 40–150 bpm.
    /// The estimate is the belief's peak; the confidence is the belief mass within ±6 bpm of it.
    /// </summary>
    public sealed class SpectralRateTracker
    {
        /// <summary>Lowest rate searched (bpm).</summary>
        public const int MinBpm = 30;

        /// <summary>Highest rate searched (bpm).</summary>
        public const int MaxBpm = 240;

        /// <summary>Window length in internal samples (8 s).</summary>
        public const int WindowSamples = 200;

        private const int Bins = MaxBpm - MinBpm + 1;
        private const int BinStride = 3;               // DFT every 3 bpm, interpolated between
        private const int TablePeriod = 1500;          // 25 Hz · 60 s: bin b advances b entries per sample
        private const int QuarterPeriod = TablePeriod / 4;
        private const int KernelHalfWidth = 14;
        private const int One = 1 << 15;               // Q15 unity
        private const int LikelihoodFloor = One / 2;
        private const int UniformPerMille = 1;
        private const int BeliefTop = 1 << 20;
        private const int ConfidenceHalfWidth = 6;

        private readonly short[] cosTable = new short[TablePeriod];
        private readonly short[] hann = new short[WindowSamples];
        private readonly int[] kernel = new int[2 * KernelHalfWidth + 1];
        private readonly IntRing ppgRing = new IntRing(WindowSamples);
        private readonly IntRing axRing = new IntRing(WindowSamples);
        private readonly IntRing ayRing = new IntRing(WindowSamples);
        private readonly IntRing azRing = new IntRing(WindowSamples);
        private readonly int[] buffer = new int[WindowSamples];
        private readonly int[] windowed = new int[WindowSamples];
        private readonly long[] ppgPower = new long[Bins];
        private readonly long[] accPower = new long[Bins];
        private readonly long[] belief = new long[Bins];
        private readonly long[] prior = new long[Bins];
        private bool tracking;
        private int rateBpm;
        private int confidencePermille;
        private int peakSharePermille;

        public SpectralRateTracker()
        {
            for (int i = 0; i < TablePeriod; i++) cosTable[i] = (short)IntMath.Clamp(FixedTrig.CosQ14(i, TablePeriod), -16384, 16384);
            for (int n = 0; n < WindowSamples; n++) hann[n] = (short)((16384 - FixedTrig.CosQ14(n, WindowSamples)) / 2);
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

        /// <summary>Stores one internal sample: the (motion-cleaned) band-passed PPG and band-passed axes.</summary>
        public void Add(int ppg, int ax, int ay, int az)
        {
            ppgRing.Add(ppg);
            axRing.Add(ax);
            ayRing.Add(ay);
            azRing.Add(az);
        }

        /// <summary>Forgets the samples and the track (after the sensor came off, for example).</summary>
        public void Reset()
        {
            ppgRing.Clear();
            axRing.Clear();
            ayRing.Clear();
            azRing.Clear();
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
            if (ppgRing.Count < WindowSamples) return false;
            ppgRing.CopyLast(buffer, WindowSamples);
            Window(buffer, NormalizingShift(buffer, 0));
            Clear(ppgPower);
            Accumulate(ppgPower);
            if (useMotion)
            {
                axRing.CopyLast(buffer, WindowSamples);
                int s = NormalizingShift(buffer, 0);
                ayRing.CopyLast(buffer, WindowSamples);
                s = NormalizingShift(buffer, s);
                azRing.CopyLast(buffer, WindowSamples);
                s = NormalizingShift(buffer, s);
                Clear(accPower);
                axRing.CopyLast(buffer, WindowSamples);
                Window(buffer, s);
                Accumulate(accPower);
                ayRing.CopyLast(buffer, WindowSamples);
                Window(buffer, s);
                Accumulate(accPower);
                azRing.CopyLast(buffer, WindowSamples);
                Window(buffer, s);
                Accumulate(accPower);
            }
            Track(useMotion);
            return true;
        }

        // Shift that brings the largest |x| (and at least the previous shift's range) to 11 bits.
        private static int NormalizingShift(int[] x, int minimumShift)
        {
            int max = 0;
            for (int n = 0; n < WindowSamples; n++)
            {
                int v = x[n];
                if (v < 0) v = -v;
                if (v > max) max = v;
            }
            int shift = 0;
            while ((max >> shift) >= 2048) shift++;
            return shift > minimumShift ? shift : minimumShift;
        }

        private void Window(int[] x, int shift)
        {
            for (int n = 0; n < WindowSamples; n++) windowed[n] = ((x[n] >> shift) * hann[n]) >> 14;
        }

        private static void Clear(long[] a)
        {
            System.Array.Clear(a, 0, a.Length);
        }

        // Adds |DFT|² of the windowed buffer to power: computed at every BinStride-th bpm (and the last),
        // linearly interpolated in between. An 8 s Hann window's main lobe is ±15 bpm wide, so the
        // spectrum is smooth at this spacing and the interpolation costs nothing in accuracy.
        private void Accumulate(long[] power)
        {
            long previous = 0;
            int previousBin = 0;
            for (int b = 0; b < Bins; b += BinStride)
            {
                long p = BinPower(MinBpm + b);
                power[b] += p;
                if (b > 0)
                {
                    for (int k = previousBin + 1; k < b; k++) power[k] += previous + (p - previous) * (k - previousBin) / (b - previousBin);
                }
                previous = p;
                previousBin = b;
                if (b < Bins - 1 && b + BinStride > Bins - 1) b = Bins - 1 - BinStride; // end exactly on the last bin
            }
        }

        // |DFT|² at one rate (bpm), scaled down by 2^24.
        private long BinPower(int step)
        {
            int[] x = windowed;
            short[] table = cosTable;
            int ci = 0;
            int si = TablePeriod - QuarterPeriod; // sin θ = cos(θ − π/2)
            long re = 0;
            long im = 0;
            for (int n = 0; n < WindowSamples; n++)
            {
                int v = x[n];
                re += v * table[ci];
                im += v * table[si];
                ci += step;
                if (ci >= TablePeriod) ci -= TablePeriod;
                si += step;
                if (si >= TablePeriod) si -= TablePeriod;
            }
            re >>= 12;
            im >>= 12;
            return re * re + im * im;
        }

        // Belief before the first window: flat over 40..150 bpm, tapering to a quarter at 30 and 240 bpm
        // (a rate outside that band is possible but should need stronger evidence than a motion harmonic).
        private static long StartPrior(int bpm)
        {
            const int Quarter = BeliefTop / 4;
            if (bpm > 150) return BeliefTop - (long)(BeliefTop - Quarter) * (bpm - 150) / (MaxBpm - 150);
            if (bpm < 40) return BeliefTop - (long)(BeliefTop - Quarter) * (40 - bpm) / (40 - MinBpm);
            return BeliefTop;
        }

        private void Track(bool useMotion)
        {
            long maxP = 1;
            long maxA = 1;
            long totalP = 0;
            for (int b = 0; b < Bins; b++)
            {
                if (ppgPower[b] > maxP) maxP = ppgPower[b];
                if (accPower[b] > maxA) maxA = accPower[b];
                totalP += ppgPower[b];
            }

            // Prior: the last belief spread by the kernel, or uniform at the start.
            long priorTotal = 0;
            for (int b = 0; b < Bins; b++)
            {
                long p;
                if (!tracking)
                {
                    p = StartPrior(MinBpm + b);
                }
                else
                {
                    p = 0;
                    int lo = b - KernelHalfWidth < 0 ? -b : -KernelHalfWidth;
                    int hi = b + KernelHalfWidth >= Bins ? Bins - 1 - b : KernelHalfWidth;
                    for (int k = lo; k <= hi; k++) p += belief[b + k] * kernel[k + KernelHalfWidth];
                    p >>= 14;
                }
                prior[b] = p;
                priorTotal += p;
            }
            long uniform = priorTotal * UniformPerMille / (1000L * Bins);

            long top = 1;
            int arg = 0;
            for (int b = 0; b < Bins; b++)
            {
                long score = ppgPower[b] * One / maxP;
                if (useMotion) score -= accPower[b] * (One / 2) / maxA;
                if (score < 0) score = 0;
                long likelihood = LikelihoodFloor + ((score * score) >> 15);
                long p = (prior[b] * (1000 - UniformPerMille) / 1000 + uniform) * likelihood >> 15;
                belief[b] = p;
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
                long v = belief[b] * BeliefTop / top;
                belief[b] = v;
                sum += v;
                int d = b - arg;
                if (d >= -ConfidenceHalfWidth && d <= ConfidenceHalfWidth)
                {
                    near += v;
                    nearPower += ppgPower[b];
                }
            }
            tracking = true;
            rateBpm = MinBpm + arg;
            confidencePermille = sum > 0 ? (int)(near * 1000 / sum) : 0;
            peakSharePermille = totalP > 0 ? (int)(nearPower * 1000 / totalP) : 0;
        }
    }
}
