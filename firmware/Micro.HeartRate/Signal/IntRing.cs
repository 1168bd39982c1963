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
