using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Rate
{
    /// <summary>
    /// Heart rate from the spectrum, for when beats cannot be trusted (motion). Over the last 8 s (200
    /// samples at 25 Hz, kept as 100 pair sums: 12.5 Hz) it computes a Hann-windowed power spectrum of the
    /// motion-cleaned PPG at 57 rates every 3.75 bpm from 30 to 240 bpm (h half cycles per 8 s, h = 8..64:
    /// half the window's own DFT spacing) and, while the wearer moves, of the three accelerometer axes.
    /// <para>
    /// Evidence per rate g (Q15, 1 = the strongest PPG peak): s(g) = P(g)/max P − α·M(g), clipped at 0, where
    /// M(g) = max(A(g), γ·A(at half g's frequency), γ·A(at twice it)) is the normalized acceleration power at g
    /// and at the motion harmonics that land on g (an arm swinging at f shows in the PPG at f and 2f, and the
    /// accelerometer may show either). A(at twice g) is the largest over twice the rates within a few bins of g
    /// (TrackerHarmonicLobeBins): halving a peak halves its width, and without the widening the PPG's arm peak kept
    /// its flanks as evidence (TROIKA DATA_10 started mid-run: 82 bpm arm swing against a true 154 for 60 s).
    /// Emission e(g) = s(g) or s(g)² (settings), less a motion-intensity prior while moving: rates under a floor
    /// that rises with the acceleration RMS pay a penalty per 10 bpm below it.
    /// </para>
    /// <para>
    /// Tracking is an online Viterbi (max-product) over the 57 rates, in additive scores with a leak:
    /// δ_t(g) = λ·max_{|k| ≤ K} (δ_{t−1}(g + k) − P·|k|) + e_t(g), clipped at 0. K limits the change per update
    /// (2 s; K = 2 bins is 7.5 bpm, the reference moves at most ~5 bpm per 2 s), P charges every bin of change,
    /// and the leak λ &lt; 1 forgets old evidence, so a path that consistently explains the spectrum overtakes a
    /// wrong one within about 1/(1 − λ) updates (re-acquisition). The estimate is the best path's end (a far
    /// path must beat the nearby one by a margin: no jumping between two similar peaks), refined to 1 bpm by
    /// a parabola through the PPG power around it. Confidence = (δ* − δ_rival)/δ*, δ_rival the best other path
    /// (a local maximum of δ more than 15 bpm away). A confidence gate: below it the last confident rate is held
    /// for a few updates, then the rate is withheld (<see cref="IsWithheld"/>).
    /// </para>
    /// <para>
    /// While moving, a second hypothesis (<see cref="CleanHypothesis"/>) runs the same Viterbi on evidence with all
    /// the motion taken out (β·M, β ≥ α): a far path takes the track over only if that hypothesis prefers its region
    /// too, and a strong far peak that the motion does not explain re-acquires the track at once when the clean
    /// scores back it. The arm's own peak, the strongest in the PPG under vigorous motion, keeps 1 − α of its power
    /// as evidence in the main hypothesis; without the veto a path built on that residue took the track (TROIKA
    /// S06_T02, 86–102 bpm against a true 138–163 for 50 s, whenever the switch margin is 0). A track that the
    /// motion explains (its clean evidence at most a quarter of its PPG power) yields to the clean scores' best
    /// far path once that leads by 2:1 (<see cref="CleanHypothesis.MotionTrack"/>): when the tracker starts mid-run,
    /// the main scores have no history from rest to hold the true rate against the arm's residue.
    /// </para>
    /// <para>
    /// Cost: the window is four 2 s blocks of 25 pair sums, and an update (every 2 s) brings one new block.
    /// Each block's plain DFT sums B(h) = Σ_m x[m]·e^{2πi·h·m/200} (h = 6..66) are computed once, when the
    /// block completes, and kept for the four updates that see it. The window's sums X(h) = Σ_b e^{iπ·h·b/4}·B_b(h)
    /// follow with few multiplies: block b starts 25·b positions in, so its phase factor is a multiple of an
    /// eighth turn (quarter turns swap and negate re and im, the odd eighths take one multiply by √½), and the
    /// periodic Hann window h[n] = ½ − ¼e^{2πin/100} − ¼e^{−2πin/100} is ½X(h) − ¼X(h + 2) − ¼X(h − 2) in the
    /// DFT domain. The 61 block sums come from 26 base rates h = 0..25 (Spread): split by position mod 4, a
    /// base's four partial sums give h, 50 − h and 50 + h exactly (e^{2πi·(50 ± h)·m/200} = i^m·e^{±2πi·h·m/200}).
    /// So an update costs 26 × 25 multiply-add pairs per channel (one channel at rest, four while moving), and
    /// the Viterbi step (2K + 1) compares per rate. Each block is normalized to 12 bits on its own
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

        // The DFT runs on pair sums (12.5 Hz: 100 positions per window; the pair sum passes 240 bpm at 0.88 of
        // its gain, and 12.5 Hz is far above twice 4 Hz).
        private const int Positions = WindowSamples / 2;
        private const int Blocks = WindowSamples / UpdateSamples;       // 4
        private const int BlockPositions = Positions / Blocks;          // 25
        // Rate h: h half cycles per 8 s = 3.75·h bpm. The grid: h = FirstH..LastH (30..240 bpm); the Hann window
        // needs the plain sums two steps (one DFT bin) beyond each end. Grid bin g is 4·bpm = 120 + 15·g.
        private const int FirstH = 8;
        private const int LastH = 64;
        private const int GridBins = LastH - FirstH + 1;               // 57
        private const int SumBins = GridBins + 4;                       // h = 6..66
        private const int TablePeriod = 2 * Positions;                  // h advances h/200 turn per position
        private const int HalfSqrt2Q14 = 11585;
        // Base rates 0..25 (BlockSums, Spread) and the table read up to 3·25 entries past one period.
        private const int Bases = 26;
        private const int TableLength = TablePeriod + 3 * (Bases - 1);                        // √½ in Q14
        // |x| < 4096 after a block's shift and |table| ≤ 16384: 25 products stay within ±2^31 (packed sums, int storage).
        private const int BlockBits = 12;
        private const int PowerShift = 13;
        private const int One = 1 << 15;               // Q15 unity
        private const int RivalBins = 4;               // a rival path is more than 15 bpm away
        private const int LeakBits = 10;
        private const int WarmUpdates = 2;

        // packed[j] = cos(2π·j/200)·2^32 + sin(2π·j/200), both Q14.
        private readonly long[] packed = new long[TableLength];
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
        private bool motionExpected;   // the last update used the accelerometer
        private readonly long[] ppgPower = new long[GridBins];
        private readonly long[] accPower;
        private readonly int[] ppgNorm = new int[GridBins];   // P(g)/max P, Q15
        private readonly int[] accNorm;                       // A(g)/max A, Q15
        private readonly int[] score = new int[GridBins];     // s(g), Q15
        // Path scores δ ≤ One·2^10/(2^10 − λ) < 2^25, and the transition's scratch.
        private readonly int[] delta = new int[GridBins];
        private readonly int[] moved = new int[GridBins];
        // The clean hypothesis (CleanHypothesis.cs; with an accelerometer and β > 0 only).
        private readonly CleanHypothesis clean;
        private readonly int cleanWeight;     // β, %

        // Settings (HeartRateSettings, tracker block).
        private readonly int motionLeak;      // λ in 1/1024 while moving
        private readonly int restLeak;        // and at rest
        private readonly int stepPenalty;     // P, Q15
        private readonly int motionMaxStep;   // K, grid bins, while moving
        private readonly int restMaxStep;     // and at rest
        private readonly int motionWeight;    // α, %
        private readonly int motionHarmonic;  // γ, %
        private readonly bool squareEmission;
        private readonly int floorBpm;
        private readonly int floorPer100Mg;
        private readonly int floorPenalty;    // Q15 per 10 bpm under the floor
        private readonly int motionThresholdMg;
        private readonly int switchMargin;    // %
        private readonly int harmonicLobe;    // bins (at the half rate) over which the motion at twice a rate is read
        private readonly int gatePermille;
        private readonly int holdUpdates;

        private bool tracking;
        private int updates;           // updates since the reset, up to WarmUpdates
        private int trackedBin;
        private int trackedBpm;
        private int rateBpm;
        private bool withheld;
        private bool hasGood;
        private int lastGoodBpm;
        private int sinceGood;
        private int confidencePermille;
        private int peakSharePermille;

        /// <summary>A tracker for the PPG and the three accelerometer axes, with the default settings.</summary>
        public SpectralRateTracker() : this(true)
        {
        }

        /// <summary>A tracker for the PPG alone (withAccelerometer false: the axes are ignored, Update never
        /// subtracts motion, and nothing is allocated for them) or with the three axes, default settings.</summary>
        public SpectralRateTracker(bool withAccelerometer) : this(withAccelerometer, new HeartRateSettings())
        {
        }

        /// <summary>The same with the tracker settings of <paramref name="settings"/> (read once).</summary>
        public SpectralRateTracker(bool withAccelerometer, HeartRateSettings settings)
        {
            if (settings == null) throw new System.ArgumentNullException("settings");
            channels = withAccelerometer ? 4 : 1;
            pairs = new int[withAccelerometer ? channels * Positions : BlockPositions];
            blockRe = new int[Blocks * channels * SumBins];
            blockIm = new int[Blocks * channels * SumBins];
            blockShift = new int[Blocks * channels];
            axesDone = new bool[Blocks];
            accPower = withAccelerometer ? new long[GridBins] : null;
            accNorm = withAccelerometer ? new int[GridBins] : null;
            cleanWeight = withAccelerometer ? IntMath.Clamp(settings.TrackerCleanWeightPercent, 0, 400) : 0;
            if (cleanWeight > 0) clean = new CleanHypothesis(GridBins, IntMath.Clamp(settings.TrackerReacquireUpdates, 0, 1000), IntMath.Clamp(settings.TrackerMotionTrackUpdates, 0, 1000));
            for (int j = 0; j < TableLength; j++)
            {
                long c = IntMath.Clamp(FixedTrig.CosQ14(j, TablePeriod), -16384, 16384);
                // sin θ = cos(θ − π/2): the entry a quarter period on.
                long sn = IntMath.Clamp(FixedTrig.CosQ14(j + TablePeriod - TablePeriod / 4, TablePeriod), -16384, 16384);
                packed[j] = (c << 32) + sn;
            }
            motionLeak = IntMath.Clamp(settings.TrackerLeakPermille, 0, 999) * (1 << LeakBits) / 1000;
            restLeak = IntMath.Clamp(settings.TrackerRestLeakPermille, 0, 999) * (1 << LeakBits) / 1000;
            stepPenalty = Q15(settings.TrackerStepPenaltyPermille);
            motionMaxStep = IntMath.Clamp(settings.TrackerMaxStepBins, 0, 8);
            restMaxStep = IntMath.Clamp(settings.TrackerRestMaxStepBins, 0, 8);
            motionWeight = IntMath.Clamp(settings.TrackerMotionWeightPercent, 0, 400);
            motionHarmonic = IntMath.Clamp(settings.TrackerMotionHarmonicPercent, 0, 100);
            squareEmission = settings.TrackerSquareEmission;
            floorBpm = IntMath.Clamp(settings.TrackerMotionFloorBpm, 0, MaxBpm);
            floorPer100Mg = IntMath.Clamp(settings.TrackerMotionFloorBpmPer100Mg, 0, 100);
            floorPenalty = Q15(settings.TrackerMotionFloorPenaltyPermille);
            motionThresholdMg = settings.MotionThresholdMg;
            switchMargin = IntMath.Clamp(settings.TrackerSwitchMarginPercent, 0, 1000);
            harmonicLobe = IntMath.Clamp(settings.TrackerHarmonicLobeBins, 0, 4);
            gatePermille = IntMath.Clamp(settings.TrackerGatePermille, 0, 1000);
            holdUpdates = IntMath.Clamp(settings.TrackerHoldUpdates, 0, 1000);
        }

        private static int Q15(int permille)
        {
            return (int)((long)IntMath.Clamp(permille, 0, 1000000) * One / 1000);
        }

        /// <summary>The reported rate (bpm): the best path's, or while its confidence is below the gate the last
        /// confident one (for TrackerHoldUpdates updates); 0 before the first update.</summary>
        public int RateBpm { get { return rateBpm; } }

        /// <summary>The best path's rate now (bpm), whatever its confidence; 0 before the first update.</summary>
        public int TrackedRateBpm { get { return trackedBpm; } }

        /// <summary>True when the confidence stayed below the gate for longer than the hold: RateBpm is then
        /// the best path's rate but should not be reported.</summary>
        public bool IsWithheld { get { return withheld; } }

        /// <summary>How far the best path leads the best other path more than 15 bpm away (‰ of its score).</summary>
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
        }

        /// <summary>Forgets the samples and the track (after the sensor came off, for example).</summary>
        public void Reset()
        {
            added = 0;
            blocksSeen = 0;
            motionExpected = false;
            tracking = false;
            updates = 0;
            trackedBin = 0;
            trackedBpm = 0;
            if (clean != null) clean.Rest();
            rateBpm = 0;
            withheld = false;
            hasGood = false;
            sinceGood = 0;
            confidencePermille = 0;
            peakSharePermille = 0;
        }

        /// <summary>Update without a motion level (no motion prior).</summary>
        public bool Update(bool useMotion)
        {
            return Update(useMotion, 0);
        }

        /// <summary>
        /// Analyses the last four complete blocks (the last 8 s when called every UpdateSamples samples, as the
        /// monitor does every 2 s) and advances the track by one step. With useMotion (and an accelerometer)
        /// the accelerometer spectrum is subtracted and motionMg (per-axis RMS acceleration, mg) sets the
        /// motion prior. Returns false while fewer than four blocks are complete.
        /// </summary>
        public bool Update(bool useMotion, int motionMg)
        {
            if (blocksSeen < Blocks) return false;
            useMotion = useMotion && channels > 1;
            Accumulate(ppgPower, 0, GroupShift(0, 1), true);
            if (useMotion)
            {
                for (int s = 0; s < Blocks; s++) if (!axesDone[s]) AxesSums(s);
                int shift = GroupShift(1, 3);
                Accumulate(accPower, 1, shift, true);
                Accumulate(accPower, 2, shift, false);
                Accumulate(accPower, 3, shift, false);
            }
            motionExpected = useMotion;
            Track(useMotion, motionMg);
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
            // Four base rates per pass (each sample loaded once for the four: bases 0..23), then two (24, 25); the
            // four sums of a base are its positions m ≡ 0, 1, 2, 3 (mod 4). j ≤ 199 at the start of a group of four
            // positions and the group reads up to j + 3h ≤ 274: the table runs on past one period, so j wraps once
            // per group.
            int h = 0;
            for (; h + 4 <= Bases; h += 4)
            {
                int ha = h, hb = h + 1, hc = h + 2, hd = h + 3;
                int ha2 = 2 * ha, hb2 = 2 * hb, hc2 = 2 * hc, hd2 = 2 * hd;
                int ha3 = 3 * ha, hb3 = 3 * hb, hc3 = 3 * hc, hd3 = 3 * hd;
                int ha4 = 4 * ha, hb4 = 4 * hb, hc4 = 4 * hc, hd4 = 4 * hd;
                int ja = 0, jb = 0, jc = 0, jd = 0;
                long a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
                long c0 = 0, c1 = 0, c2 = 0, c3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
                int m = 0;
                for (; m + 4 <= BlockPositions; m += 4)
                {
                    long v0 = x[m], v1 = x[m + 1], v2 = x[m + 2], v3 = x[m + 3];
                    a0 += v0 * table[ja];
                    a1 += v1 * table[ja + ha];
                    a2 += v2 * table[ja + ha2];
                    a3 += v3 * table[ja + ha3];
                    b0 += v0 * table[jb];
                    b1 += v1 * table[jb + hb];
                    b2 += v2 * table[jb + hb2];
                    b3 += v3 * table[jb + hb3];
                    c0 += v0 * table[jc];
                    c1 += v1 * table[jc + hc];
                    c2 += v2 * table[jc + hc2];
                    c3 += v3 * table[jc + hc3];
                    d0 += v0 * table[jd];
                    d1 += v1 * table[jd + hd];
                    d2 += v2 * table[jd + hd2];
                    d3 += v3 * table[jd + hd3];
                    ja += ha4;
                    if (ja >= TablePeriod) ja -= TablePeriod;
                    jb += hb4;
                    if (jb >= TablePeriod) jb -= TablePeriod;
                    jc += hc4;
                    if (jc >= TablePeriod) jc -= TablePeriod;
                    jd += hd4;
                    if (jd >= TablePeriod) jd -= TablePeriod;
                }
                // BlockPositions = 25: position 24 is the last, in class 0.
                long vl = x[m];
                a0 += vl * table[ja];
                b0 += vl * table[jb];
                c0 += vl * table[jc];
                d0 += vl * table[jd];
                Spread(re, im, offset, ha, a0, a1, a2, a3);
                Spread(re, im, offset, hb, b0, b1, b2, b3);
                Spread(re, im, offset, hc, c0, c1, c2, c3);
                Spread(re, im, offset, hd, d0, d1, d2, d3);
            }
            for (; h < Bases; h++)
            {
                int j = 0;
                long a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                int m = 0;
                for (; m + 4 <= BlockPositions; m += 4)
                {
                    a0 += x[m] * table[j];
                    a1 += x[m + 1] * table[j + h];
                    a2 += x[m + 2] * table[j + 2 * h];
                    a3 += x[m + 3] * table[j + 3 * h];
                    j += 4 * h;
                    if (j >= TablePeriod) j -= TablePeriod;
                }
                a0 += x[m] * table[j];
                Spread(re, im, offset, h, a0, a1, a2, a3);
            }
            // × e^{iπ·h·N/4} for block number N: the phase of the block's start, counted from a block whose number is a
            // multiple of 8, so the window's sums are the plain sum of its four blocks' (up to a factor that
            // Accumulate takes out). A quarter turn swaps and negates; an odd eighth takes one √½ multiply
            // (|B| ≤ 25 · 4096 · 16384 < 2^31, so the rotated parts fit an int).
            int n8 = blockNumber[slot];
            int eighths = ((FirstH - 2) * n8) & 7;   // (h · N) mod 8, h = FirstH − 2 + kk
            for (int kk = 0; kk < SumBins; kk++)
            {
                if (eighths == 0)
                {
                    eighths = n8;   // (0 + n8) & 7: the factor is 1, nothing to rotate
                    continue;
                }
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

        // From a base rate h's four partial sums S_r = Σ_{m ≡ r (mod 4)} x[m]·e^{2πi·h·m/200} (packed: re·2^32 + im),
        // the block sums at h, 50 − h and 50 + h: e^{2πi·(50 ± h)·m/200} = i^m·e^{±2πi·h·m/200}, so with
        // D = S0 − S2 and Q = S1 − S3 (x real): B(h) = S0 + S1 + S2 + S3, B(50 + h) = D + i·Q and
        // B(50 − h) = conj(D) + i·conj(Q). The Q14 table is exactly symmetric (cos[−j] = cos[j],
        // cos[j + 50] = −sin[j]), so these are exactly the sums computed rate by rate. Bases 0..25 give
        // h = 6..25, 26..50 and 51..66.
        private static void Spread(int[] re, int[] im, int offset, int h, long s0, long s1, long s2, long s3)
        {
            int i0 = (int)s0, i1 = (int)s1, i2 = (int)s2, i3 = (int)s3;
            int r0 = (int)((s0 - i0) >> 32), r1 = (int)((s1 - i1) >> 32), r2 = (int)((s2 - i2) >> 32), r3 = (int)((s3 - i3) >> 32);
            int dr = r0 - r2, di = i0 - i2, qr = r1 - r3, qi = i1 - i3;
            if (h >= FirstH - 2)
            {
                re[offset + h - (FirstH - 2)] = r0 + r1 + r2 + r3;
                im[offset + h - (FirstH - 2)] = i0 + i1 + i2 + i3;
            }
            if (h < Bases - 1)
            {
                int k = offset + 50 - h - (FirstH - 2);
                re[k] = dr + qi;
                im[k] = qr - di;
            }
            if (h >= 1 && 50 + h <= LastH + 2)
            {
                int k = offset + 50 + h - (FirstH - 2);
                re[k] = dr - qi;
                im[k] = di + qr;
            }
        }

        // Adds the Hann-windowed |DFT|² of one channel over the window of the four blocks to power at every grid
        // rate. The blocks' rotated sums add up to Y(h) = Σ_N e^{iπ·h·N/4}·B_N(h) = e^{iπ·h·N0/4}·X(h), X the window's
        // plain sums and N0 the number of its oldest block (each block at its own scale, B << shift: exact). The
        // Hann window's W(h) = 2X(h) − X(h − 2) − X(h + 2) (4 × ½X(h) − ¼X(h − 2) − ¼X(h + 2)) is then, up to a
        // factor of modulus 1, 2Y(h) − i^N0·Y(h − 2) − (−i)^N0·Y(h + 2); power = (Re W >> s)² + (Im W >> s)² with
        // s = 13 + the largest block shift.
        private void Accumulate(long[] power, int channel, int commonShift, bool first)
        {
            int[] re = blockRe;
            int[] im = blockIm;
            int[] bs = blockShift;
            int ch = channels;
            int s0 = bs[channel], s1 = bs[ch + channel], s2 = bs[2 * ch + channel], s3 = bs[3 * ch + channel];
            int o0 = channel * SumBins, o1 = (ch + channel) * SumBins, o2 = (2 * ch + channel) * SumBins, o3 = (3 * ch + channel) * SumBins;
            // i^N0 = c + i·s (N0 ≡ blocksSeen mod 4: the oldest of the four newest blocks).
            int q = blocksSeen & 3;
            long c = q == 0 ? 1 : (q == 2 ? -1 : 0);
            long sn = q == 1 ? 1 : (q == 3 ? -1 : 0);
            int down = PowerShift + commonShift;
            // Y(h) for h = 6..66 in one pass; the five newest ride along in locals (y0 = Y(h − 4) .. y4 = Y(h)), and
            // grid rate g = h − 4 (its Hann sum needs Y at g, g + 2 and g + 4 of the sums' index) is done at once.
            long yr0 = 0, yr1 = 0, yr2 = 0, yr3 = 0, yi0 = 0, yi1 = 0, yi2 = 0, yi3 = 0;
            for (int kk = 0; kk < SumBins; kk++)
            {
                long yr4 = ((long)re[o0 + kk] << s0) + ((long)re[o1 + kk] << s1) + ((long)re[o2 + kk] << s2) + ((long)re[o3 + kk] << s3);
                long yi4 = ((long)im[o0 + kk] << s0) + ((long)im[o1 + kk] << s1) + ((long)im[o2 + kk] << s2) + ((long)im[o3 + kk] << s3);
                if (kk >= 4)
                {
                    long a = (2 * yr2 - c * (yr0 + yr4) + sn * (yi0 - yi4)) >> down;
                    long b = (2 * yi2 - c * (yi0 + yi4) - sn * (yr0 - yr4)) >> down;
                    int g = kk - 4;
                    power[g] = first ? a * a + b * b : power[g] + a * a + b * b;
                }
                yr0 = yr1; yr1 = yr2; yr2 = yr3; yr3 = yr4;
                yi0 = yi1; yi1 = yi2; yi2 = yi3; yi3 = yi4;
            }
        }

        // dst[g] = src[g] / max src in Q15 (one division: the maximum is brought under 2^16 first, so a product
        // of a shifted value and the reciprocal stays under 2^32). Returns the total of src.
        private static long Normalize(long[] src, int[] dst)
        {
            long max = 1, total = 0;
            for (int g = 0; g < GridBins; g++)
            {
                long v = src[g];
                if (v > max) max = v;
                total += v;
            }
            int shift = 0;
            while ((max >> shift) >= (1L << 16)) shift++;
            long reciprocal = ((long)One << 16) / (max >> shift);
            for (int g = 0; g < GridBins; g++) dst[g] = (int)(((src[g] >> shift) * reciprocal) >> 16);
            return total;
        }

        // t[g] = max_{|k| ≤ K} d[g + k] − P·|k| (the best predecessor within ±K bins, charged P per bin of change).
        // The bins K or more from both ends run without bounds checks; for K = 1 and 4 (the defaults while moving
        // and at rest) the nine d values around g ride along in locals, so each bin loads one new value.
        // The emission half of a Viterbi update, shared by the main and the clean hypothesis: from the evidence
        // ev (Q15), squared if asked, minus the motion prior's penalty on bins under floorBin (quarter = 120 + 15·g
        // under floorQuarter), d(g) = leak · t(g) + e(g) while tracking (t: the transition's output), else
        // e(g) · start weight; clipped at 0. Returns the best bin (the first of equals; 0 when all are 0).
        internal static int Score(int[] d, int[] t, int[] ev, bool wasTracking, int leak, bool square, int floorBin, int penalty, int floorQuarter)
        {
            int top = 0, arg = 0;
            for (int g = 0; g < d.Length; g++)
            {
                int e = ev[g];
                if (square) e = (int)(((long)e * e) >> 15);
                if (g < floorBin) e -= (int)((long)penalty * (floorQuarter - 120 - 15 * g) / 40);
                long v = wasTracking ? (((long)t[g] * leak) >> LeakBits) + e : ((long)e * StartWeight(120 + 15 * g)) >> 10;
                int dv = v > 0 ? (int)v : 0;
                d[g] = dv;
                if (dv > top)
                {
                    top = dv;
                    arg = g;
                }
            }
            return arg;
        }

        internal static void Transition(int[] d, int[] t, int maxStep, int penalty)
        {
            int innerFrom = maxStep, innerTo = GridBins - maxStep;   // g − K ≥ 0 and g + K < GridBins
            if (maxStep == 4)
            {
                int p1 = penalty, p2 = 2 * penalty, p3 = 3 * penalty, p4 = 4 * penalty;
                int w0 = d[0], w1 = d[1], w2 = d[2], w3 = d[3], w4 = d[4], w5 = d[5], w6 = d[6], w7 = d[7];
                for (int g = innerFrom; g < innerTo; g++)
                {
                    int w8 = d[g + 4];
                    // w0..w8 = d[g − 4 .. g + 4]
                    int best = w4;
                    int v = (w3 > w5 ? w3 : w5) - p1;
                    if (v > best) best = v;
                    v = (w2 > w6 ? w2 : w6) - p2;
                    if (v > best) best = v;
                    v = (w1 > w7 ? w1 : w7) - p3;
                    if (v > best) best = v;
                    v = (w0 > w8 ? w0 : w8) - p4;
                    if (v > best) best = v;
                    t[g] = best;
                    w0 = w1; w1 = w2; w2 = w3; w3 = w4; w4 = w5; w5 = w6; w6 = w7; w7 = w8;
                }
            }
            else if (maxStep == 1)
            {
                int left = d[0], mid = d[1];
                for (int g = innerFrom; g < innerTo; g++)
                {
                    int right = d[g + 1];
                    int v = (left > right ? left : right) - penalty;
                    t[g] = v > mid ? v : mid;
                    left = mid;
                    mid = right;
                }
            }
            else
            {
                for (int g = innerFrom; g < innerTo; g++)
                {
                    int best = d[g];
                    int charge = 0;
                    for (int k = 1; k <= maxStep; k++)
                    {
                        charge += penalty;
                        int v = d[g - k] - charge;
                        if (v > best) best = v;
                        v = d[g + k] - charge;
                        if (v > best) best = v;
                    }
                    t[g] = best;
                }
            }
            // The K bins at each end, with bounds checks.
            for (int g = 0; g < GridBins; g++)
            {
                if (g == innerFrom && innerFrom < innerTo) g = innerTo;
                if (g >= GridBins) break;
                int best = d[g];
                int charge = 0;
                for (int k = 1; k <= maxStep; k++)
                {
                    charge += penalty;
                    if (g - k >= 0 && d[g - k] - charge > best) best = d[g - k] - charge;
                    if (g + k < GridBins && d[g + k] - charge > best) best = d[g + k] - charge;
                }
                t[g] = best;
            }
        }

        // ⌊√x⌋ (0 for x ≤ 0) by Newton's method from above: y0 = 16^(n+1) ≥ √x where x < 256^(n+1), then
        // y ← (y + x/y)/2 until it stops falling (a few steps instead of a bit-by-bit loop over 64 bits).
        private static long Sqrt(long x)
        {
            if (x <= 0) return 0;
            long y = 16;
            for (long t = x; t >= 256; t >>= 8) y <<= 4;
            while (true)
            {
                long z = (y + x / y) >> 1;
                if (z >= y) return y;
                y = z;
            }
        }

        // Starting weight (1/1024) of a rate before the first update: 1 over 40..150 bpm, a quarter at 30 and 240
        // (a rate outside that band is possible but should need stronger evidence than a motion harmonic).
        internal static int StartWeight(int quarterBpm)
        {
            if (quarterBpm > 4 * 150) return 1024 - 768 * (quarterBpm - 4 * 150) / (4 * (MaxBpm - 150));
            if (quarterBpm < 4 * 40) return 1024 - 768 * (4 * 40 - quarterBpm) / (4 * (40 - MinBpm));
            return 1024;
        }

        // The best-scoring bin within ±k of bin.
        private static int NearBest(int[] d, int bin, int k)
        {
            int near = bin;
            for (int g = bin - k; g <= bin + k; g++)
                if (g >= 0 && g < GridBins && d[g] > d[near]) near = g;
            return near;
        }

        private void Track(bool useMotion, int motionMg)
        {
            long totalP = Normalize(ppgPower, ppgNorm);
            int[] sp = ppgNorm;
            int[] sc = score;
            if (useMotion && motionWeight > 0)
            {
                Normalize(accPower, accNorm);
                int[] an = accNorm;
                int cw = cleanWeight;
                int[] cs = cw > 0 ? clean.Evidence : null;
                for (int g = 0; g < GridBins; g++)
                {
                    // Motion at g: the acceleration at g, and at the motion frequencies whose double (h/2) or
                    // half (2h) lands on g (γ of them); h = g + 8, grid bin of h' is h' − 8.
                    int m = an[g];
                    int h = g + FirstH;
                    int hh = (h >> 1) - FirstH;
                    if (hh >= 0)
                    {
                        int v = an[hh];
                        if ((h & 1) != 0 && hh + 1 < GridBins && an[hh + 1] > v) v = an[hh + 1];
                        v = v * motionHarmonic / 100;
                        if (v > m) m = v;
                    }
                    int h2 = 2 * h - FirstH;
                    if (h2 < GridBins)
                    {
                        // The motion at twice g, read over the half-rate lobe: a motion peak at 2f is as wide as any
                        // peak, so halved it covers only half the width of the PPG's peak at f; rates 2·(h ± k),
                        // k ≤ the lobe setting, widen it back.
                        int v = an[h2];
                        for (int k = 2; k <= 2 * harmonicLobe; k += 2)
                        {
                            if (h2 - k >= 0 && an[h2 - k] > v) v = an[h2 - k];
                            if (h2 + k < GridBins && an[h2 + k] > v) v = an[h2 + k];
                        }
                        v = v * motionHarmonic / 100;
                        if (v > m) m = v;
                    }
                    int s = sp[g] - m * motionWeight / 100;
                    sc[g] = s > 0 ? s : 0;
                    if (cw > 0)
                    {
                        s = sp[g] - m * cw / 100;
                        cs[g] = s > 0 ? s : 0;
                    }
                }
            }
            else
            {
                sc = sp;   // at rest the evidence is the PPG spectrum itself
            }

            // Motion prior: while moving, rates under the floor pay floorPenalty per 10 bpm below it.
            int floorQuarter = 0;
            if (useMotion && floorPenalty > 0 && floorBpm > 0)
            {
                int over = motionMg - motionThresholdMg;
                floorQuarter = 4 * (floorBpm + (over > 0 ? over * floorPer100Mg / 100 : 0));
            }

            // At rest the rate may change fast (an arrhythmia's onset) and the spectrum is clean: a wider step
            // and a shorter memory than under motion.
            int leak = useMotion ? motionLeak : restLeak;
            int maxStep = useMotion ? motionMaxStep : restMaxStep;
            int[] d = delta;
            int[] t = moved;
            bool wasTracking = tracking;
            if (wasTracking) Transition(d, t, maxStep, stepPenalty);
            // Emission: the floor reaches grid bins below floorBin only (quarter = 120 + 15·g < floorQuarter).
            bool square = squareEmission;
            int penalty = floorPenalty;
            int floorBin = floorQuarter > 120 ? (floorQuarter - 120 + 14) / 15 : 0;
            int arg = Score(d, t, sc, wasTracking, leak, square, floorBin, penalty, floorQuarter);
            int top = d[arg];
            // While moving, the clean hypothesis steps beside the main one (at rest its scores are the main ones).
            bool cleanStep = clean != null && useMotion && motionWeight > 0;
            if (cleanStep) clean.Step(wasTracking, t, leak, maxStep, stepPenalty, square, floorBin, penalty, floorQuarter);
            else if (clean != null) clean.Rest();
            // A far path must lead the best nearby one by the margin to take over, and while moving the clean
            // hypothesis must prefer its region too (a path built on what the accelerometer explains does not take
            // over on its own).
            if (tracking && IntMath.Abs(arg - trackedBin) > maxStep
                && ((switchMargin > 0 && (long)top * 100 < (long)d[NearBest(d, trackedBin, maxStep)] * (100 + switchMargin))
                    || (cleanStep && !clean.Allows(trackedBin, arg, maxStep))))
            {
                arg = NearBest(d, trackedBin, maxStep);
                top = d[arg];
            }
            // Re-acquisition: a far clean peak that keeps the conditions of CleanHypothesis.Challenger takes the
            // track over, the main scores re-seeded there (level with the best path).
            if (tracking && cleanStep)
            {
                int challenger = clean.Challenger(arg, maxStep, floorBin, sp);
                if (challenger < 0) challenger = clean.MotionTrack(arg, maxStep, floorBin, sp);
                if (challenger >= 0)
                {
                    d[challenger] = top;
                    arg = challenger;
                }
            }
            trackedBin = arg;

            // Confidence: the lead over the best other path (a local maximum more than RivalBins away).
            int rival = 0;
            int skipFrom = arg - RivalBins, skipTo = arg + RivalBins;
            for (int g = skipFrom <= 0 ? skipTo + 1 : 0; g < GridBins; g++)
            {
                if (g == skipFrom)
                {
                    g = skipTo;
                    continue;
                }
                int v = d[g];
                if (v > rival && (g == 0 || v >= d[g - 1]) && (g == GridBins - 1 || v > d[g + 1])) rival = v;
            }
            // (0 when a kept nearby path trails a far one.)
            int lead = top > rival ? (int)((long)(top - rival) * 1000 / top) : 0;

            // Rate: the vertex of the parabola through the PPG power at the strongest of the tracked bin and its
            // neighbours (4·bpm = 120 + 15·g), rounded to 1 bpm.
            int cbin = arg;
            if (arg > 0 && sp[arg - 1] > sp[cbin]) cbin = arg - 1;
            if (arg < GridBins - 1 && sp[arg + 1] > sp[cbin]) cbin = arg + 1;
            long quarterRate = 120 + 15 * cbin;
            int bpm = (int)((quarterRate + 2) / 4);
            if (cbin > 0 && cbin < GridBins - 1 && sp[cbin] >= sp[cbin - 1] && sp[cbin] >= sp[cbin + 1])
            {
                // A peak: the vertex lies within ±½ bin (|hi − lo| ≤ curve). Through the magnitudes (√power): the
                // Hann lobe's magnitude is nearer a parabola than its square, so the vertex is less biased to the bin.
                long lo = Sqrt(ppgPower[cbin - 1]), mid = Sqrt(ppgPower[cbin]), hi = Sqrt(ppgPower[cbin + 1]);
                long curve = 2 * mid - lo - hi;
                // 4·bpm = quarterRate + 15·(hi − lo)/(2·curve); bpm rounded to nearest.
                if (curve > 0) bpm = (int)((quarterRate * 2 * curve + 15 * (hi - lo) + 4 * curve) / (8 * curve));
            }
            trackedBpm = bpm;

            // Peak share: PPG power within ±6 bpm of the estimate.
            // Bins g with |120 + 15·g − 4·bpm| ≤ 24: g from ⌈(4·bpm − 144)/15⌉ to ⌊(4·bpm − 96)/15⌋ (bpm ≥ 30 > 24).
            long nearPower = 0;
            long[] pp = ppgPower;
            int nearFrom = (4 * bpm - 144 + 14) / 15, nearTo = (4 * bpm - 96) / 15;
            if (nearFrom < 0) nearFrom = 0;
            if (nearTo > GridBins - 1) nearTo = GridBins - 1;
            for (int g = nearFrom; g <= nearTo; g++) nearPower += pp[g];
            peakSharePermille = totalP > 0 ? (int)(nearPower * 1000 / totalP) : 0;
            // Confidence: the path's lead over its best rival times how pulse-like the spectrum is at its rate.
            confidencePermille = lead * peakSharePermille / 1000;
            // A track is built over updates: the first ones (one window of evidence) count a third, two thirds.
            if (updates < WarmUpdates) confidencePermille = confidencePermille * (updates + 1) / (WarmUpdates + 1);

            tracking = true;
            if (updates < WarmUpdates) updates++;
            // Confidence gate: hold the last confident rate for a few updates, then withhold.
            if (confidencePermille >= gatePermille)
            {
                hasGood = true;
                lastGoodBpm = bpm;
                sinceGood = 0;
                rateBpm = bpm;
                withheld = false;
            }
            else
            {
                sinceGood++;
                withheld = !hasGood || sinceGood > holdUpdates;
                rateBpm = withheld ? bpm : lastGoodBpm;
            }
        }
    }
}
