namespace Micro.HeartRate.Signal
{
    /// <summary>Fixed-size ring of int samples; the newest overwrites the oldest.</summary>
    public sealed class IntRing
    {
        private readonly int[] data;
        private int head;
        private int count;

        public IntRing(int capacity)
        {
            data = new int[capacity];
        }

        public int Capacity { get { return data.Length; } }

        public int Count { get { return count; } }

        public void Add(int v)
        {
            int[] d = data;
            int h = head;
            d[h] = v;
            h++;
            head = h == d.Length ? 0 : h;
            if (count < d.Length) count++;
        }

        /// <summary>Copies the newest n samples (n ≤ Count), oldest first, into dst[0..n).</summary>
        public void CopyLast(int[] dst, int n)
        {
            int cap = data.Length;
            int start = head - n;
            if (start < 0) start += cap;
            int first = cap - start;
            if (first >= n)
            {
                System.Array.Copy(data, start, dst, 0, n);
            }
            else
            {
                System.Array.Copy(data, start, dst, 0, first);
                System.Array.Copy(data, 0, dst, first, n - first);
            }
        }

        /// <summary>
        /// The newest n samples (1 ≤ n ≤ Count), oldest first, min-max normalized to −128..127 into
        /// dst[0], dst[stride], … dst[(n − 1)·stride]: ((v − min)·255 + range/2) / range − 128 with range = max − min
        /// over those n (all zeros when range is 0). Two walks over the ring, no call per sample.
        /// </summary>
        public void NormalizeLast(int n, sbyte[] dst, int stride)
        {
            int[] d = data;
            int cap = d.Length;
            int start = head - n;
            if (start < 0) start += cap;
            int min = d[start];
            int max = min;
            int i = start;
            for (int k = 1; k < n; k++)
            {
                if (++i == cap) i = 0;
                int v = d[i];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            long range = (long)max - min;
            int o = 0;
            if (range == 0)
            {
                for (int k = 0; k < n; k++, o += stride) dst[o] = 0;
                return;
            }
            long half = range / 2;
            i = start;
            for (int k = 0; k < n; k++, o += stride)
            {
                dst[o] = (sbyte)((((long)d[i] - min) * 255 + half) / range - 128);
                if (++i == cap) i = 0;
            }
        }

        /// <summary>The sample age steps back from the newest (0 = newest); age &lt; Count.</summary>
        public int Get(int age)
        {
            int i = head - 1 - age;
            if (i < 0) i += data.Length;
            return data[i];
        }

        public void Clear()
        {
            head = 0;
            count = 0;
        }
    }
}
