using System;

namespace Micro.App
{
    /// <summary>
    /// The samples read from the sensor and not yet analysed, oldest first, each with a gap mark: true when
    /// the sample does not continue the one before it (samples were lost, or the sensor was restarted).
    /// Fixed capacity; Put refuses what does not fit (the reader then leaves it in the sensor's FIFO).
    /// Single-threaded. Allocates nothing after construction. The gap marks are bits (on nanoCLR a bool[]
    /// element takes a byte: 256 B for the default ring, 32 B as bits).
    /// </summary>
    public sealed class SampleRing
    {
        private readonly int[] values;
        private readonly int[] gaps;   // bit i % 32 of gaps[i / 32]: sample slot i starts after a gap
        private int head;
        private int count;
        private int marks;             // gap marks set: while 0 (nearly always) Take skips the bit test

        public SampleRing(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException("capacity");
            values = new int[capacity];
            gaps = new int[(capacity + 31) / 32];
        }

        public int Capacity { get { return values.Length; } }

        public int Count { get { return count; } }

        public int Free { get { return values.Length - count; } }

        /// <summary>Appends src[0..n); the first gets the gap mark given. Throws if it does not fit.</summary>
        public void Put(int[] src, int n, bool gapBefore)
        {
            if (n < 0) throw new ArgumentOutOfRangeException("n");
            if (n > Free) throw new InvalidOperationException("ring full");
            if (n == 0) return;
            int[] v = values;
            int cap = v.Length;
            int at = head + count;
            if (at >= cap) at -= cap;
            // Whole runs with Array.Copy (native); the slots' gap bits are already clear (Take and Clear clear them).
            int first = cap - at;
            if (first >= n) Array.Copy(src, 0, v, at, n);
            else
            {
                Array.Copy(src, 0, v, at, first);
                Array.Copy(src, first, v, 0, n - first);
            }
            if (gapBefore)
            {
                gaps[at >> 5] |= 1 << (at & 31);
                marks++;
            }
            count += n;
        }

        /// <summary>Gap mark of the oldest sample (Count must be &gt; 0).</summary>
        public bool PeekGap() { return (gaps[head >> 5] & (1 << (head & 31))) != 0; }

        /// <summary>Removes and returns the oldest sample (Count must be &gt; 0).</summary>
        public int Take()
        {
            bool gap;
            return Take(out gap);
        }

        /// <summary>Removes and returns the oldest sample with its gap mark (Count must be &gt; 0): PeekGap and
        /// Take in one call, for the loop that does both for every sample.</summary>
        public int Take(out bool gapBefore)
        {
            int h = head;
            int[] v = values;
            gapBefore = false;
            if (marks != 0)
            {
                int[] g = gaps;
                int word = h >> 5;
                int bit = 1 << (h & 31);
                // A slot's mark is cleared when it is taken, so Put never has to clear marks (rare: gaps are).
                if ((g[word] & bit) != 0)
                {
                    gapBefore = true;
                    g[word] &= ~bit;
                    marks--;
                }
            }
            int x = v[h];
            h++;
            head = h == v.Length ? 0 : h;
            count--;
            return x;
        }

        public void Clear()
        {
            head = 0;
            count = 0;
            marks = 0;
            Array.Clear(gaps, 0, gaps.Length);
        }
    }
}
