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
        private readonly int[][] box;
        private readonly int[] sums;
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
        /// Feeds one sample of channel 0 (the other channels, if any, get 0): the same as Push(c0, 0, 0, 0),
        /// with no work for channels that do not exist (a PPG without accelerometer, the common case).
        /// </summary>
        public bool Push(int c0)
        {
            if (channels != 1) return Push(c0, 0, 0, 0);
            int len = boxLength;
            if (filled == 0)
            {
                Prime(0, c0, len);
                filled = 1;
            }
            int pos = boxPos;
            boxPos = pos + 1 == len ? 0 : pos + 1;
            int[] b = box0;
            int before = sum0;
            int s0 = before - b[pos] + c0;
            b[pos] = c0;
            sum0 = s0;
            int ph = phase + InternalRate.MilliHz;
            int rate = inRate;
            if (ph < rate)
            {
                phase = ph;
                return false;
            }
            int back = ph - rate;
            phase = back;
            output[0] = Resample(s0, before, len, back);
            return true;
        }

        /// <summary>
        /// Feeds one input sample per channel (unused channels ignored); returns true when an internal-rate
        /// sample is ready in <see cref="Output"/>. At most one output per input since fin ≥ 25 Hz.
        /// </summary>
        public bool Push(int c0, int c1, int c2, int c3)
        {
            int len = boxLength;
            int ch = channels;
            if (filled == 0)
            {
                // Start as if the first value had always been there: no start-up ramp.
                Prime(0, c0, len);
                if (ch > 1) Prime(1, c1, len);
                if (ch > 2) Prime(2, c2, len);
                if (ch > 3) Prime(3, c3, len);
                filled = 1;
            }
            int pos = boxPos;
            boxPos = pos + 1 == len ? 0 : pos + 1;
            // Is an output due at this input? It lies (phase - inRate) / 25000 input periods before it.
            int ph = phase + InternalRate.MilliHz;
            int rate = inRate;
            bool due = ph >= rate;
            int back = ph - rate;
            phase = due ? back : ph;
            // Boxcar sums (the sum before this input is the previous output instant's); the averages (a long
            // division each) only when an output is due.
            int[] o = output;
            int[] b = box0;
            int before = sum0;
            int s = before - b[pos] + c0;
            b[pos] = c0;
            sum0 = s;
            if (due) o[0] = Resample(s, before, len, back);
            if (ch > 1)
            {
                int[] sm = sums;
                b = box[1];
                before = sm[1];
                s = before - b[pos] + c1;
                b[pos] = c1;
                sm[1] = s;
                if (due) o[1] = Resample(s, before, len, back);
                if (ch > 2)
                {
                    b = box[2];
                    before = sm[2];
                    s = before - b[pos] + c2;
                    b[pos] = c2;
                    sm[2] = s;
                    if (due) o[2] = Resample(s, before, len, back);
                    if (ch > 3)
                    {
                        b = box[3];
                        before = sm[3];
                        s = before - b[pos] + c3;
                        b[pos] = c3;
                        sm[3] = s;
                        if (due) o[3] = Resample(s, before, len, back);
                    }
                }
            }
            return due;
        }

        /// <summary>
        /// The output between two boxcar sums: their averages in output units (input × OutputGain), then
        /// linear interpolation from the current one back toward the previous one by back / 25000 input periods.
        /// </summary>
        private static int Resample(int sum, int previousSum, int len, int back)
        {
            int current = (int)((long)sum * OutputGain / len);
            // An output instant on this input (every other one at 50 Hz) interpolates nothing.
            if (back == 0) return current;
            int previous = (int)((long)previousSum * OutputGain / len);
            return current + (int)((long)(previous - current) * back / InternalRate.MilliHz);
        }

        private void Prime(int c, int value, int len)
        {
            int[] b = box[c];
            for (int i = 0; i < len; i++) b[i] = value;
            sums[c] = value * len;
            if (c == 0) sum0 = value * len;
        }
    }
}
