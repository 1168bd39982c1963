namespace Micro.HeartRate.Beats
{
    /// <summary>
    /// Median of a[0..n) by selection instead of sorting (the rhythm window holds up to 30 intervals and is
    /// judged every second): Hoare's quickselect (Wirth's form) puts the m-th smallest, m = ⌊n/2⌋, at a[m]
    /// with every element left of it ≤ it, in O(n) expected steps against insertion sort's O(n²);
    ///   median = a[m]                          for odd n,
    ///   median = (max(a[0..m)) + a[m]) >> 1    for even n,
    /// exactly IntMath.MedianInPlace's value. Reorders a[0..n); allocates nothing.
    /// </summary>
    public static class MedianSelect
    {
        /// <summary>Median of a[0..n) (n ≥ 1), as IntMath.MedianInPlace computes it; a[0..n) is reordered.</summary>
        public static int Median(int[] a, int n)
        {
            int m = n >> 1;
            int lo = 0;
            int hi = n - 1;
            while (lo < hi)
            {
                int pivot = a[(lo + hi) >> 1];
                int i = lo;
                int j = hi;
                while (i <= j)
                {
                    while (a[i] < pivot) i++;
                    while (a[j] > pivot) j--;
                    if (i <= j)
                    {
                        int t = a[i];
                        a[i] = a[j];
                        a[j] = t;
                        i++;
                        j--;
                    }
                }
                // a[lo..j] ≤ pivot ≤ a[i..hi]; between them every element equals the pivot.
                if (m <= j) hi = j;
                else if (m >= i) lo = i;
                else break;
            }
            int upper = a[m];
            if ((n & 1) != 0) return upper;
            int lower = a[0];
            for (int k = 1; k < m; k++) if (a[k] > lower) lower = a[k];
            return (lower + upper) >> 1;
        }
    }
}
