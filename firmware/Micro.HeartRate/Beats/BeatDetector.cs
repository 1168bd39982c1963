using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Beats
{
    /// <summary>
    /// Finds pulse upstrokes in the band-passed signal at 25 Hz with a slope-sum function (sum of the rises
    /// over the last 3 samples, ~120 ms) and an adaptive threshold: a candidate is a local maximum of the
    /// slope sum above ThresholdPercent of the running beat-peak estimate. The estimate follows accepted
    /// beats and sags while beats are overdue, but never below a floor tied to the long-term beat size, nor,
    /// while beats are overdue, below a share of the median upstroke of the last 8 beats (the long-term size
    /// learns slowly and sags too, so ripples of 5 % of the pulse passed during a pause; earlier than that the
    /// median floor is off, so smaller, faster pulses still count), so noise during a pause does not turn
    /// into beats, nor below an absolute floor (the sensor's noise). A
    /// candidate is held for a refractory period; a larger one inside it replaces it (dicrotic waves and
    /// ripples lose), and candidates within the refractory period after a confirmed beat are ignored. The
    /// beat time is the steepest point of the upstroke, with 1/16-sample resolution (parabola through the
    /// largest slope and its neighbours).
    /// </summary>
    public sealed class BeatDetector
    {
        private const int Ticks = InternalRate.TicksPerSample;

        private readonly int thresholdPercent;
        private readonly int refractorySamples;
        private readonly int learnSamples;
        private readonly int minimumPeak;
        private readonly int medianFloorPermille;

        private const int RecentBeats = 8;
        private readonly int[] recentPeaks = new int[RecentBeats]; // slope-sum peaks of the last beats (ring)
        private readonly int[] medianScratch = new int[RecentBeats];
        private int recentCount;
        private int recentNext;
        private int medianFloor;      // medianFloorPermille of the median of recentPeaks (0 before 3 beats)

        private int prevSignal;
        private int d1, d2;           // last two rises (≥ 0)
        private readonly int[] slopes = new int[5]; // raw slopes at n, n−1, … n−4
        private int ssf1, ssf2;       // slope sum one and two samples ago
        private long sampleIndex;

        private int peakEstimate;     // running size of a beat's slope-sum peak
        private int longTermPeak;     // slow estimate, sets the floor
        private int learnMax;
        private bool learned;

        private bool pendingValid;
        private long pendingTick;
        private int pendingPeak;
        private long pendingSample;

        private long lastBeatTick = -1;
        private long lastBeatSample = -1;
        private int expectedIntervalSamples = 25;

        private long beatTick;
        private int beatPeak;
        private int beatIntervalMs;

        private bool upstroke;        // a slope-sum peak (any size above the floors) ended at the last sample
        private int upstrokePeak;
        private long upstrokeSample;

        /// <param name="thresholdPercent">Share of the running beat size a slope-sum peak must reach.</param>
        /// <param name="refractoryMs">Shortest beat-to-beat interval.</param>
        /// <param name="minimumPeak">Absolute floor for a beat's slope-sum peak (signal units; 0 = none).</param>
        public BeatDetector(int thresholdPercent, int refractoryMs, int minimumPeak)
            : this(thresholdPercent, refractoryMs, minimumPeak, 0)
        {
        }

        /// <param name="thresholdPercent">Share of the running beat size a slope-sum peak must reach.</param>
        /// <param name="refractoryMs">Shortest beat-to-beat interval.</param>
        /// <param name="minimumPeak">Absolute floor for a beat's slope-sum peak (signal units; 0 = none).</param>
        /// <param name="medianFloorPermille">Floor for a beat's slope-sum peak while beats are overdue, in ‰ of
        /// the median of the last 8 beats' peaks (0 = none).</param>
        public BeatDetector(int thresholdPercent, int refractoryMs, int minimumPeak, int medianFloorPermille)
        {
            this.thresholdPercent = thresholdPercent;
            this.minimumPeak = minimumPeak;
            this.medianFloorPermille = medianFloorPermille;
            refractorySamples = refractoryMs / InternalRate.MsPerSample;
            learnSamples = InternalRate.Hz;
        }

        /// <summary>Starts over as if just built (after a gap in the samples): sample indices restart at 0 and
        /// the beat size is learned anew.</summary>
        public void Reset()
        {
            prevSignal = 0;
            d1 = 0;
            d2 = 0;
            for (int i = 0; i < slopes.Length; i++) slopes[i] = 0;
            ssf1 = 0;
            ssf2 = 0;
            sampleIndex = 0;
            peakEstimate = 0;
            longTermPeak = 0;
            learnMax = 0;
            learned = false;
            for (int i = 0; i < RecentBeats; i++) recentPeaks[i] = 0;
            recentCount = 0;
            recentNext = 0;
            medianFloor = 0;
            pendingValid = false;
            pendingTick = 0;
            pendingPeak = 0;
            pendingSample = 0;
            lastBeatTick = -1;
            lastBeatSample = -1;
            expectedIntervalSamples = 25;
            beatTick = 0;
            beatPeak = 0;
            beatIntervalMs = 0;
            upstroke = false;
            upstrokePeak = 0;
            upstrokeSample = 0;
        }

        /// <summary>Time of the last confirmed beat in ticks (1/16 internal sample) since start.</summary>
        public long BeatTick { get { return beatTick; } }

        /// <summary>Slope-sum peak of the last confirmed beat (signal units per 3 samples).</summary>
        public int BeatPeak { get { return beatPeak; } }

        /// <summary>Interval from the previous beat to the last one in ms, 0 for the first beat.</summary>
        public int BeatIntervalMs { get { return beatIntervalMs; } }

        /// <summary>Running slope-sum peak estimate (for signal-quality checks).</summary>
        public int PeakEstimate { get { return peakEstimate; } }

        /// <summary>Samples processed so far.</summary>
        public long SampleIndex { get { return sampleIndex; } }

        /// <summary>Internal sample index of the last confirmed beat, −1 before the first.</summary>
        public long LastBeatSample { get { return lastBeatSample; } }

        /// <summary>True when the last sample ended a slope-sum peak of at least the absolute floor and an
        /// eighth of the long-term beat size, whether or not it reached the beat threshold: every upstroke,
        /// so that small fast pulses after big ones (ventricular tachycardia) are seen even when they are no beats.</summary>
        public bool Upstroke { get { return upstroke; } }

        /// <summary>Slope-sum peak of the last upstroke.</summary>
        public int UpstrokePeak { get { return upstrokePeak; } }

        /// <summary>Internal sample index of the last upstroke's slope-sum peak.</summary>
        public long UpstrokeSample { get { return upstrokeSample; } }

        /// <summary>Feeds one band-passed sample; returns true when a beat was confirmed (see BeatTick).</summary>
        public bool Process(int s)
        {
            long n = sampleIndex;
            int slope = n == 0 ? 0 : s - prevSignal;
            slopes[4] = slopes[3];
            slopes[3] = slopes[2];
            slopes[2] = slopes[1];
            slopes[1] = slopes[0];
            slopes[0] = slope;
            int rise = slope < 0 ? 0 : slope;
            prevSignal = s;
            int ssf = rise + d1 + d2;
            d2 = d1;
            d1 = rise;

            bool confirmed = false;
            upstroke = false;

            // Confirm the held candidate once its refractory period passed without a larger one.
            if (pendingValid && n - pendingSample > refractorySamples)
            {
                Accept();
                confirmed = true;
            }

            if (!learned)
            {
                if (ssf > learnMax) learnMax = ssf;
                if (n + 1 >= learnSamples)
                {
                    peakEstimate = learnMax;
                    longTermPeak = learnMax;
                    learned = true;
                }
            }
            else if (ssf1 > ssf2 && ssf1 >= ssf && ssf1 > 0)
            {
                // ssf1 is a local maximum at sample n−1.
                int threshold = (int)((long)peakEstimate * thresholdPercent / 100);
                int floor = longTermPeak / 4;
                if (threshold < floor) threshold = floor;
                long sinceBeat = lastBeatSample < 0 ? n : n - lastBeatSample;
                if (sinceBeat > (expectedIntervalSamples * 3) / 2 && threshold < medianFloor) threshold = medianFloor;
                if (threshold < minimumPeak) threshold = minimumPeak;
                if (ssf1 >= threshold) Candidate(n, ssf1);
                if (ssf1 >= minimumPeak && ssf1 >= floor / 2)
                {
                    upstroke = true;
                    upstrokePeak = ssf1;
                    upstrokeSample = n - 1;
                }
            }

            // Sag the estimate while beats are overdue (time constant ~1.3 s), down to the floor.
            long since = lastBeatSample < 0 ? n : n - lastBeatSample;
            if (learned && since > (expectedIntervalSamples * 3) / 2)
            {
                peakEstimate -= peakEstimate >> 5;
                longTermPeak -= longTermPeak >> 9;
            }

            ssf2 = ssf1;
            ssf1 = ssf;
            sampleIndex = n + 1;
            return confirmed;
        }

        // A slope-sum peak at n−1 covers the slopes of samples n−3..n−1; the beat time is the steepest of
        // them, refined by a parabola through it and its neighbours (a slope at m lies at m − ½).
        private void Candidate(long n, int b)
        {
            int[] d = slopes;
            int k = 1;
            if (d[2] > d[k]) k = 2;
            if (d[3] > d[k]) k = 3;
            int den = d[k + 1] - 2 * d[k] + d[k - 1];
            // Older sample (k + 1) is on the left.
            int offset = den < 0 ? (int)((long)(d[k + 1] - d[k - 1]) * Ticks / (2L * den)) : 0;
            if (offset > Ticks / 2) offset = Ticks / 2;
            if (offset < -Ticks / 2) offset = -Ticks / 2;
            long sample = n - 1;
            long tick = (n - k) * Ticks - Ticks / 2 + offset;

            if (pendingValid)
            {
                if (b > pendingPeak)
                {
                    pendingTick = tick;
                    pendingPeak = b;
                    pendingSample = sample;
                }
                return;
            }
            // Nothing counts within the refractory period after a confirmed beat.
            if (lastBeatSample >= 0 && sample - lastBeatSample <= refractorySamples) return;
            pendingValid = true;
            pendingTick = tick;
            pendingPeak = b;
            pendingSample = sample;
        }

        private void Accept()
        {
            pendingValid = false;
            beatIntervalMs = lastBeatTick < 0 ? 0 : (int)(((pendingTick - lastBeatTick) * InternalRate.MsPerSample) / Ticks);
            if (lastBeatSample >= 0)
            {
                int interval = (int)(pendingSample - lastBeatSample);
                expectedIntervalSamples = (expectedIntervalSamples * 3 + interval) / 4;
            }
            lastBeatTick = pendingTick;
            lastBeatSample = pendingSample;
            beatTick = pendingTick;
            beatPeak = pendingPeak;
            int peak = pendingPeak;
            // Beat-size estimates: fast (1/4) and slow (1/32); an outsized peak counts at most double.
            int capped = peak > 2 * peakEstimate ? 2 * peakEstimate : peak;
            peakEstimate += (capped - peakEstimate) / 4;
            int cappedLong = peak > 2 * longTermPeak ? 2 * longTermPeak : peak;
            longTermPeak += (cappedLong - longTermPeak) / 32;
            if (medianFloorPermille > 0)
            {
                recentPeaks[recentNext] = peak;
                recentNext = (recentNext + 1) % RecentBeats;
                if (recentCount < RecentBeats) recentCount++;
                if (recentCount >= 3)
                {
                    for (int i = 0; i < recentCount; i++) medianScratch[i] = recentPeaks[i];
                    medianFloor = (int)((long)MedianSelect.Median(medianScratch, recentCount) * medianFloorPermille / 1000);
                }
            }
        }
    }
}
