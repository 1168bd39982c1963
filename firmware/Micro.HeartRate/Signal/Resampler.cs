using System;

namespace Micro.HeartRate.Signal
{
    /// <summary>
    /// Converts up to four synchronous channels from the sensor rate (25..1000 Hz, given in mHz) to the
    /// internal 25 Hz. Each channel goes through a boxcar of round(fin/25) samples (its first null sits at
    /// 25 Hz, so everything that would alias into the 0.5–5 Hz band is strongly damped), then is linearly
    /// interpolated at the exact output instants. Output is in input units × 4 (two extra bits from the
    /// averaging). Integer only; inputs must stay within ±2^23.
    /// </summary>
    public sealed class Resampler
    {
        /// <summary>Output scale: output = input × OutputGain.</summary>
        public const int OutputGain = 4;

        private readonly int channels;
        private readonly int boxLength;
        private readonly int inRate;
        private readonly int[][] box;
        private readonly int[] sums;
        private readonly int[] previous;
        private readonly int[] output;
        private int boxPos;
        private int filled;
        private int phase;

        public Resampler(int inputRateMilliHz, int channelCount)
        {
            if (inputRateMilliHz < InternalRate.MinInputMilliHz || inputRateMilliHz > InternalRate.MaxInputMilliHz)
                throw new ArgumentOutOfRangeException("inputRateMilliHz");
            if (channelCount < 1 || channelCount > 4) throw new ArgumentOutOfRangeException("channelCount");
            channels = channelCount;
            inRate = inputRateMilliHz;
            boxLength = (inputRateMilliHz + InternalRate.MilliHz / 2) / InternalRate.MilliHz;
            box = new int[channelCount][];
            for (int c = 0; c < channelCount; c++) box[c] = new int[boxLength];
            sums = new int[channelCount];
            previous = new int[channelCount];
            output = new int[channelCount];
            phase = inputRateMilliHz - InternalRate.MilliHz; // the first input is the first output instant
        }

        /// <summary>Starts over as if just built: the next input primes the boxcar (after a gap in the samples).</summary>
        public void Reset()
        {
            filled = 0;
            boxPos = 0;
            phase = inRate - InternalRate.MilliHz;
        }

        /// <summary>Resampled values of the last output, one per channel (valid after Push returned true).</summary>
        public int[] Output { get { return output; } }

        /// <summary>Samples averaged per output (the boxcar length).</summary>
        public int BoxLength { get { return boxLength; } }

        /// <summary>
        /// Feeds one input sample per channel (unused channels ignored); returns true when an internal-rate
        /// sample is ready in <see cref="Output"/>. At most one output per input since fin ≥ 25 Hz.
        /// </summary>
        public bool Push(int c0, int c1, int c2, int c3)
        {
            int len = boxLength;
            if (filled == 0)
            {
                // Start as if the first value had always been there: no start-up ramp.
                Prime(0, c0, len);
                if (channels > 1) Prime(1, c1, len);
                if (channels > 2) Prime(2, c2, len);
                if (channels > 3) Prime(3, c3, len);
                filled = 1;
            }
            int pos = boxPos;
            int current0 = Step(0, c0, pos, len);
            int current1 = channels > 1 ? Step(1, c1, pos, len) : 0;
            int current2 = channels > 2 ? Step(2, c2, pos, len) : 0;
            int current3 = channels > 3 ? Step(3, c3, pos, len) : 0;
            boxPos = pos + 1 == len ? 0 : pos + 1;

            bool ready = false;
            phase += InternalRate.MilliHz;
            if (phase >= inRate)
            {
                // The output instant lies (phase - inRate) / 25000 input periods before the current sample.
                int back = phase - inRate;
                output[0] = Interpolate(current0, previous[0], back);
                if (channels > 1) output[1] = Interpolate(current1, previous[1], back);
                if (channels > 2) output[2] = Interpolate(current2, previous[2], back);
                if (channels > 3) output[3] = Interpolate(current3, previous[3], back);
                phase -= inRate;
                ready = true;
            }
            previous[0] = current0;
            if (channels > 1) previous[1] = current1;
            if (channels > 2) previous[2] = current2;
            if (channels > 3) previous[3] = current3;
            return ready;
        }

        private void Prime(int c, int value, int len)
        {
            int[] b = box[c];
            for (int i = 0; i < len; i++) b[i] = value;
            sums[c] = value * len;
            previous[c] = value * OutputGain;
        }

        private int Step(int c, int value, int pos, int len)
        {
            int[] b = box[c];
            int sum = sums[c] - b[pos] + value;
            b[pos] = value;
            sums[c] = sum;
            return (int)((long)sum * OutputGain / len);
        }

        private static int Interpolate(int current, int previous, int back)
        {
            return current + (int)((long)(previous - current) * back / InternalRate.MilliHz);
        }
    }
}
