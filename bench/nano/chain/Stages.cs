using Micro.HeartRate;
using Micro.HeartRate.Beats;
using Micro.HeartRate.Rate;
using Micro.HeartRate.Signal;

namespace ChainBench
{
    /// <summary>
    /// Cost per stage, for `nf run --count`: the stages of HeartRateMonitor.AddSample replayed one at a time on
    /// the inputs they get inside the monitor (computed once by the constructor, mirroring AddSample), so the
    /// count of a run of one stage minus a run of "none" is that stage's cost. Stage names: raw, resample,
    /// filter, motion (detector and canceller), rings (window Add), tracker (the spectral tracker: Add every
    /// sample, Update every 2 s), beats (detector and intervals), none.
    /// </summary>
    public sealed class Stages
    {
        private readonly BenchRecording rec;
        private readonly HeartRateSettings settings;
        private readonly int outputs;
        private readonly int[] o0, o1, o2, o3;     // resampler outputs
        private readonly int[] p, x, y, z, clean;  // filtered (polarity applied), cleaned
        private readonly bool[] moving;            // motion detector's IsMoving after each internal sample

        public Stages(BenchRecording recording)
        {
            rec = recording;
            settings = rec.Settings();
            int n = rec.Length;
            int max = n * 25000 / rec.RateMilliHz + 2;
            o0 = new int[max]; o1 = new int[max]; o2 = new int[max]; o3 = new int[max];
            p = new int[max]; x = new int[max]; y = new int[max]; z = new int[max]; clean = new int[max];
            moving = new bool[max];
            bool acc = rec.HasAccelerometer;
            Resampler rs = new Resampler(settings.SampleRateMilliHz, acc ? 4 : 1);
            BandPassFilter fp = new BandPassFilter(), fx = new BandPassFilter(), fy = new BandPassFilter(), fz = new BandPassFilter();
            MotionDetector md = new MotionDetector(settings);
            MotionCanceller mc = new MotionCanceller();
            int polarity = settings.Polarity < 0 ? -1 : 1;
            int k = 0;
            for (int i = 0; i < n; i++)
            {
                bool ready = acc ? rs.Push(rec.Ppg[i], rec.AccX[i], rec.AccY[i], rec.AccZ[i]) : rs.Push(rec.Ppg[i], 0, 0, 0);
                if (!ready) continue;
                int[] o = rs.Output;
                o0[k] = o[0];
                p[k] = fp.Process(o[0]) * polarity;
                clean[k] = p[k];
                if (acc)
                {
                    o1[k] = o[1]; o2[k] = o[2]; o3[k] = o[3];
                    x[k] = fx.Process(o[1]); y[k] = fy.Process(o[2]); z[k] = fz.Process(o[3]);
                    md.Add(x[k], y[k], z[k]);
                    clean[k] = mc.Process(p[k], x[k], y[k], z[k]);
                    moving[k] = md.IsMoving;
                }
                k++;
            }
            outputs = k;
        }

        public void Run(string stage)
        {
            bool acc = rec.HasAccelerometer;
            int n = outputs;
            if (stage == "raw")
            {
                RawSignalMonitor raw = new RawSignalMonitor(settings);
                int[] ppg = rec.Ppg;
                for (int i = 0; i < ppg.Length; i++) raw.Add(ppg[i]);
            }
            else if (stage == "resample")
            {
                Resampler rs = new Resampler(settings.SampleRateMilliHz, acc ? 4 : 1);
                int[] ppg = rec.Ppg;
                if (acc) for (int i = 0; i < ppg.Length; i++) rs.Push(ppg[i], rec.AccX[i], rec.AccY[i], rec.AccZ[i]);
                else for (int i = 0; i < ppg.Length; i++) rs.Push(ppg[i], 0, 0, 0);
            }
            else if (stage == "filter")
            {
                BandPassFilter fp = new BandPassFilter(), fx = new BandPassFilter(), fy = new BandPassFilter(), fz = new BandPassFilter();
                for (int i = 0; i < n; i++)
                {
                    fp.Process(o0[i]);
                    if (acc) { fx.Process(o1[i]); fy.Process(o2[i]); fz.Process(o3[i]); }
                }
            }
            else if (stage == "motion")
            {
                if (!acc) return;
                MotionDetector md = new MotionDetector(settings);
                MotionCanceller mc = new MotionCanceller();
                for (int i = 0; i < n; i++) { md.Add(x[i], y[i], z[i]); mc.Process(p[i], x[i], y[i], z[i]); }
            }
            else if (stage == "rings")
            {
                IntRing w = new IntRing(HeartRateMonitor.MaxWindowSamples);
                for (int i = 0; i < n; i++) w.Add(p[i]);
            }
            else if (stage == "tracker")
            {
                SpectralRateTracker t = new SpectralRateTracker();
                for (int i = 0; i < n; i++)
                {
                    t.Add(clean[i], x[i], y[i], z[i]);
                    if ((i + 1) % 50 == 0) t.Update(moving[i]);
                }
            }
            else if (stage == "beats")
            {
                BeatDetector d = new BeatDetector(settings.BeatThresholdPercent, settings.RefractoryMs, settings.MinPulseCounts * Resampler.OutputGain / 2);
                IntervalTracker it = new IntervalTracker(settings.IrregularTolerancePercent);
                for (int i = 0; i < n; i++)
                    if (d.Process(p[i]) && d.BeatIntervalMs > 0) it.Add(d.BeatIntervalMs, d.LastBeatSample);
            }
        }
    }
}
