using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Beats
{
    /// <summary>
    /// Bradycardia judged on the pulses themselves. A slow pulse's long diastole often shows a second, much
    /// smaller upstroke 0.4–1.2 s after the pulse (the diastolic wave, or the band-pass's rebound) that the
    /// beat detector counts as a beat of its own, so the beat intervals halve and a 30 bpm pulse reads as 60
    /// (CinC b538s, b560s, b562s). Each beat is classed as it arrives: an echo when its upstroke (slope-sum
    /// peak) is under echoPercent of the last dominant pulse's and it comes within echoMaxMs of that pulse
    /// (at most MaxEchoes in a row); otherwise it is a dominant pulse. Echoes are left out; per step the
    /// mean interval of the last N dominant pulses is
    ///   mean       = (sample[newest] − sample[N-th before the newest]) · 40 ms / N,
    /// and, while no beat at all has come since the newest, the pause in progress counts as one more,
    /// unfinished, interval: (now − sample[(N−1)-th before the newest]) · 40 ms / N when that is longer.
    /// A mean, not the longest or shortest interval: a slow rhythm is seldom even (b538s runs 2.5, 1.2,
    /// 2.4 s at 29 bpm on the ECG). A small beat long after the pulse is a real weak beat, not an echo, and a
    /// third small beat makes the small ones the rhythm (a pulse collapsing into fast small beats). O(1) per
    /// beat and per step.
    /// </summary>
    public sealed class DominantPulseRate
    {
        private const int Capacity = 8;

        /// <summary>Echoes allowed after one dominant pulse.</summary>
        public const int MaxEchoes = 2;

        private readonly long[] samples = new long[Capacity];
        private readonly int[] peaks = new int[Capacity];
        private readonly int echoPercent;
        private readonly int echoMaxSamples;
        private readonly int intervals;
        private readonly int consistentPercent;
        private bool consistent;
        private int head;
        private int count;
        private int lastPeak;
        private long lastSample;
        private int echoes;

        /// <param name="echoPercent">A beat under this share (%) of the last dominant pulse's upstroke, within
        /// echoMaxMs of it, is an echo; 0 disables the judgement.</param>
        /// <param name="echoMaxMs">Longest delay from a dominant pulse to its echo (ms).</param>
        /// <param name="intervals">Dominant-pulse intervals averaged (1..7; 0 disables the judgement).</param>
        /// <param name="consistentPercent">The smallest of those pulses' upstrokes must reach this share (%) of the
        /// largest: a slow rhythm of real pulses, not scattered beats of a noisy line.</param>
        public DominantPulseRate(int echoPercent, int echoMaxMs, int intervals, int consistentPercent)
        {
            this.echoPercent = echoPercent;
            echoMaxSamples = echoMaxMs / InternalRate.MsPerSample;
            this.intervals = intervals < Capacity ? intervals : Capacity - 1;
            this.consistentPercent = consistentPercent;
        }

        /// <summary>Dominant pulses stored (at most 8).</summary>
        public int Count { get { return count; } }

        /// <summary>Echoes since the newest dominant pulse.</summary>
        public int Echoes { get { return echoes; } }

        /// <summary>Classes one confirmed beat (slope-sum peak, internal sample index) as echo or dominant pulse.</summary>
        public void AddBeat(int peak, long sample)
        {
            if (count > 0 && echoes < MaxEchoes && sample - lastSample <= echoMaxSamples
                && (long)peak * 100 < (long)lastPeak * echoPercent)
            {
                echoes++;
                return;
            }
            samples[head] = sample;
            peaks[head] = peak;
            head = (head + 1) & (Capacity - 1);
            if (count < Capacity) count++;
            lastPeak = peak;
            lastSample = sample;
            echoes = 0;
            // Upstrokes of the pulses that span the judged intervals: min · 100 ≥ max · consistentPercent.
            int min = int.MaxValue;
            int max = 0;
            for (int age = 0; age <= intervals && age < count; age++)
            {
                int p = peaks[(head - 1 - age) & (Capacity - 1)];
                if (p < min) min = p;
                if (p > max) max = p;
            }
            consistent = (long)min * 100 >= (long)max * consistentPercent;
        }

        /// <summary>Forgets every beat (after a gap in the samples).</summary>
        public void Reset()
        {
            head = 0;
            count = 0;
            echoes = 0;
        }

        /// <summary>
        /// Mean interval (ms, at most 60000) of the last intervals dominant pulses at internal sample now, the
        /// pause in progress included when no beat came since the newest and it makes the mean longer; 0 with
        /// fewer pulses, when their upstrokes are not consistent, or when disabled (echoPercent or intervals 0).
        /// </summary>
        public int MeanIntervalMs(long now)
        {
            if (echoPercent <= 0 || intervals <= 0 || count < intervals + 1 || !consistent) return 0;
            long newest = samples[(head - 1) & (Capacity - 1)];
            long span = newest - samples[(head - 1 - intervals) & (Capacity - 1)];
            if (echoes == 0)
            {
                long pause = now - samples[(head - intervals) & (Capacity - 1)];
                if (pause > span) span = pause;
            }
            long ms = span * InternalRate.MsPerSample / intervals;
            return ms > 60000 ? 60000 : (int)ms;
        }
    }
}
