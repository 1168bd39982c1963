using System;

namespace Micro.App
{
    /// <summary>
    /// The samples read from the sensor and not yet analysed, oldest first, each with a gap mark: true when
    /// the sample does not continue the one before it (samples were lost, or the sensor was restarted).
    /// Fixed capacity; Put refuses what does not fit (the reader then leaves it in the sensor's FIFO).
    /// Single-threaded. Allocates nothing after construction.
    /// </summary>
    public sealed class SampleRing
    {
        private readonly int[] values;
        private readonly bool[] gaps;
        private int head;
        private int count;

        public SampleRing(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException("capacity");
            values = new int[capacity];
            gaps = new bool[capacity];
        }

        public int Capacity { get { return values.Length; } }

        public int Count { get { return count; } }

        public int Free { get { return values.Length - count; } }

        /// <summary>Appends src[0..n); the first gets the gap mark given. Throws if it does not fit.</summary>
        public void Put(int[] src, int n, bool gapBefore)
        {
            if (n > Free) throw new InvalidOperationException("ring full");
            int cap = values.Length;
            int at = head + count;
            for (int i = 0; i < n; i++)
            {
                if (at >= cap) at -= cap;
                values[at] = src[i];
                gaps[at] = i == 0 && gapBefore;
                at++;
            }
            count += n;
        }

        /// <summary>Gap mark of the oldest sample (Count must be &gt; 0).</summary>
        public bool PeekGap() { return gaps[head]; }

        /// <summary>Removes and returns the oldest sample (Count must be &gt; 0).</summary>
        public int Take()
        {
            int v = values[head];
            head++;
            if (head == values.Length) head = 0;
            count--;
            return v;
        }

        public void Clear()
        {
            head = 0;
            count = 0;
        }
    }
}
