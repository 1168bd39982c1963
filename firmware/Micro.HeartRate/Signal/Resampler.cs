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
        // Channel 0 (the PPG, often the only one) in fields, the others in arrays: fewer loads per input.
        private readonly int[] box0;
        private int sum0;
        private int previous0;             // boxcar sum after the previous input
        private readonly int[][] box;
        private readonly int[] sums;
        private readonly int[] previous;   // boxcar sums after the previous input
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
            box0 = box[0];
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
            // Boxcar sums only; the averages (one long division each) are needed when an output is due.
            int pos = boxPos;
            int[] b = box0;
            int s0 = sum0 - b[pos] + c0;
            b[pos] = c0;
            sum0 = s0;
            int ch = channels;
            if (ch > 1)
            {
                int[] s = sums;
                b = box[1];
                s[1] = s[1] - b[pos] + c1;
                b[pos] = c1;
                if (ch > 2)
                {
                    b = box[2];
                    s[2] = s[2] - b[pos] + c2;
                    b[pos] = c2;
                    if (ch > 3)
                    {
                        b = box[3];
                        s[3] = s[3] - b[pos] + c3;
                        b[pos] = c3;
                    }
                }
            }
            boxPos = pos + 1 == len ? 0 : pos + 1;

            int ph = phase + InternalRate.MilliHz;
            int p0 = previous0;
            previous0 = s0;
            if (ph < inRate)
            {
                phase = ph;
                if (ch > 1) for (int c = 1; c < ch; c++) previous[c] = sums[c];
                return false;
            }
            // The output instant lies (phase - inRate) / 25000 input periods before the current sample.
            int back = ph - inRate;
            phase = back;
            int[] o = output;
            o[0] = Interpolate(Average(s0, len), Average(p0, len), back);
            for (int c = 1; c < ch; c++)
            {
                o[c] = Interpolate(Average(sums[c], len), Average(previous[c], len), back);
                previous[c] = sums[c];
            }
            return true;
        }

        // The boxcar average of a sum, in output units (input × OutputGain).
        private static int Average(int sum, int len)
        {
            return (int)((long)sum * OutputGain / len);
        }

        private void Prime(int c, int value, int len)
        {
            int[] b = box[c];
            for (int i = 0; i < len; i++) b[i] = value;
            sums[c] = value * len;
            previous[c] = value * len;
            if (c == 0)
            {
                sum0 = value * len;
                previous0 = value * len;
            }
        }

        private static int Interpolate(int current, int previous, int back)
        {
            return current + (int)((long)(previous - current) * back / InternalRate.MilliHz);
        }
    }
}
