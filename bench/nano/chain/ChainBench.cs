using System;
using Micro.HeartRate;

namespace ChainBench
{
    /// <summary>
    /// The heart-rate chain on nanoCLR, fed like ChainHarness.Feed (see BenchRecording). Config.g.cs (written
    /// by bench/nano-chain.sh) picks the mode:
    /// "bench": per recording, one run hashing every step (ResultHash, compared with the host's) and timing
    ///   every AddSample call (the longest call, best of the runs per sample), then timed runs; prints
    ///   "rec NAME kind K seconds S steps N hash H ms_per_s X max_call_us Y" and the totals per kind.
    /// "count": Config.Repeats passes over the recordings in Config.Subset, nothing else (for `nf run --count`:
    ///   the difference between 1 and 0 passes is one pass).
    /// "stage-NAME": the same for one stage (see Stages). "call": see Call.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            if (Config.Mode == "count") Count();
            else if (Config.Mode == "call") Call();
            else if (Config.Mode == "bench") Bench();
            else StageCount();
        }

        private static void Count()
        {
            for (int k = 0; k < Config.Repeats; k++)
                for (int r = 0; r < Recordings.Count; r++)
                {
                    if (!Selected(r)) continue;
                    BenchRecording rec = Recordings.Get(r);
                    HeartRateMonitor m = new HeartRateMonitor(rec.Settings());
                    for (int i = 0; i < rec.Length; i++) rec.Feed(m, i);
                }
            Console.WriteLine("done");
        }

        // Config.Subset lists the recordings the counting modes use, e.g. ",0,1,2,".
        private static bool Selected(int r)
        {
            return Config.Subset.IndexOf("," + r + ",") >= 0;
        }

        // Config.Mode "stage-NAME": Config.Repeats passes of one stage over every recording (see Stages).
        private static void StageCount()
        {
            string stage = Config.Mode.Substring("stage-".Length);
            for (int r = 0; r < Recordings.Count; r++)
            {
                if (!Selected(r)) continue;
                Stages s = new Stages(Recordings.Get(r));
                for (int k = 0; k < Config.Repeats; k++) s.Run(stage);
            }
            Console.WriteLine("done");
        }

        // Config.Mode "call": recording Config.Recording fed up to sample Config.Repeats (exclusive); the count
        // difference between limits K+1 and K is the cost of the call for sample K.
        private static void Call()
        {
            BenchRecording rec = Recordings.Get(Config.Recording);
            HeartRateMonitor m = new HeartRateMonitor(rec.Settings());
            for (int i = 0; i < Config.Repeats; i++) rec.Feed(m, i);
            Console.WriteLine("done");
        }

        private static void Bench()
        {
            string[] kinds = new string[] { "icu", "typical" };
            long[] kindTicks = new long[2];
            long[] kindMs = new long[2];
            long[] kindMaxCall = new long[2];
            for (int r = 0; r < Recordings.Count; r++)
            {
                BenchRecording rec = Recordings.Get(r);
                int n = rec.Length;
                long signalMs = (long)n * 1000000L / rec.RateMilliHz;
                // Hashed run, and the per-call times: best of Config.Repeats runs for every sample, then the worst sample.
                ResultHash hash = new ResultHash();
                long[] best = new long[n];
                for (int i = 0; i < n; i++) best[i] = long.MaxValue;
                for (int k = 0; k < Config.Repeats; k++)
                {
                    HeartRateMonitor m = new HeartRateMonitor(rec.Settings());
                    for (int i = 0; i < n; i++)
                    {
                        long t0 = DateTime.UtcNow.Ticks;
                        bool step = rec.Feed(m, i);
                        long t = DateTime.UtcNow.Ticks - t0;
                        if (t < best[i]) best[i] = t;
                        if (step && k == 0) hash.AddStep(m);
                    }
                }
                long maxCall = 0;
                int maxAt = 0;
                for (int i = 0; i < n; i++) if (best[i] > maxCall) { maxCall = best[i]; maxAt = i; }
                best = null;
                // Whole-recording runs: best of Config.Repeats.
                long bestRun = long.MaxValue;
                for (int k = 0; k < Config.Repeats; k++)
                {
                    HeartRateMonitor m = new HeartRateMonitor(rec.Settings());
                    long t0 = DateTime.UtcNow.Ticks;
                    for (int i = 0; i < n; i++) rec.Feed(m, i);
                    long t = DateTime.UtcNow.Ticks - t0;
                    if (t < bestRun) bestRun = t;
                }
                int kind = rec.Kind == "icu" ? 0 : 1;
                kindTicks[kind] += bestRun;
                kindMs[kind] += signalMs;
                if (maxCall > kindMaxCall[kind]) kindMaxCall[kind] = maxCall;
                Console.WriteLine("rec " + rec.Name + " index " + r + " kind " + rec.Kind + " seconds " + Fixed(signalMs, 1000, 1) + " steps " + hash.Steps
                    + " hash " + Hex(hash.Value) + " ms_per_s " + Fixed(bestRun * 1000, signalMs * 10000, 3)
                    + " max_call_us " + Fixed(maxCall, 10, 1) + " at_sample " + maxAt);
            }
            for (int k = 0; k < 2; k++)
                Console.WriteLine("chain " + kinds[k] + " ms_per_s " + Fixed(kindTicks[k] * 1000, kindMs[k] * 10000, 3) + " max_call_us " + Fixed(kindMaxCall[k], 10, 1));
        }

        // num / den with the given number of decimals, rounded.
        private static string Fixed(long num, long den, int decimals)
        {
            long scale = 1;
            for (int i = 0; i < decimals; i++) scale *= 10;
            long v = (num * scale + den / 2) / den;
            string frac = (v % scale).ToString();
            while (frac.Length < decimals) frac = "0" + frac;
            return (v / scale).ToString() + (decimals > 0 ? "." + frac : "");
        }

        private static string Hex(uint v)
        {
            const string digits = "0123456789abcdef";
            char[] c = new char[8];
            for (int i = 7; i >= 0; i--) { c[i] = digits[(int)(v & 0xF)]; v >>= 4; }
            return new string(c);
        }
    }
}
