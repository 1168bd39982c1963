using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Beats;
using Micro.HeartRate.Protocol;

namespace ChainBench
{
    /// <summary>
    /// FNV-1a (32-bit) over every field of every analysis step and the bytes of every alert line the device
    /// would send (BOOT, events, STATUS, in ChainHarness.Run's order). Compiled into the host generator and
    /// the nanoCLR program alike (portable: no generics), so equal hashes mean identical per-second results.
    /// </summary>
    public sealed class ResultHash
    {
        private const uint Offset = 2166136261;
        private const uint Prime = 16777619;

        private readonly AlertEncoder encoder = new AlertEncoder();
        private readonly byte[] line = new byte[AlertProtocol.MaxLineLength];
        private uint h = Offset;
        private int steps;

        public ResultHash()
        {
            AddLine(encoder.EncodeBoot(0, line, 0));
        }

        public uint Value { get { return h; } }

        public int Steps { get { return steps; } }

        /// <summary>Folds in the step the monitor just completed (call when AddSample returned true).</summary>
        public void AddStep(HeartRateMonitor monitor)
        {
            AnalysisResult r = monitor.Result;
            AlarmPolicy p = monitor.Policy;
            steps++;
            Add(r.Step); AddLong(r.UptimeMs); Add(r.RateBpm); Add(r.RateConfidencePercent); Add((int)r.RateSource);
            Add(r.BeatRateBpm); Add(r.ShortIntervalMs); Add(r.ShortLongestMs); Add(r.ShortShortestMs);
            Add(r.SpectralRateBpm); Add(r.SpectralConfidencePermille); Add(r.SpectralPeakSharePermille);
            AddFeatures(r.Recent); AddFeatures(r.Rhythm);
            Add(r.MsSinceBeat); Add(r.IrregularityPermille); Add((int)r.Quality); Add(r.FlatMs); Add(r.ClippedPermille);
            Add(r.DcLevel); Add(r.PulseAmplitude); Add(r.PerfusionPer10000); Add(r.AmplitudeRatioPermille);
            Add(r.ContactLost ? 1 : 0); Add(r.MotionMg); Add(r.Moving ? 1 : 0); Add(r.Exercising ? 1 : 0);
            Add(r.NeedsModel ? 1 : 0); Add(r.ModelRan ? 1 : 0); Add(r.ModelFailed ? 1 : 0); Add(r.ActiveAlarms); Add(r.StatusDue ? 1 : 0);
            Add(p.EventCount);
            for (int e = 0; e < p.EventCount; e++)
            {
                AlarmEvent ev = p.GetEvent(e);
                Add((int)ev.Kind); Add(ev.Raised ? 1 : 0); AddLong(ev.UptimeMs); Add(ev.RateBpm); Add(ev.ConfidencePercent);
                AddLine(encoder.EncodeEvent(ev, r, line, 0));
            }
            if (r.StatusDue) AddLine(encoder.EncodeStatus(r, line, 0));
        }

        private void AddFeatures(RhythmFeatures f)
        {
            Add(f.IntervalCount); Add(f.MedianIntervalMs); Add(f.MeanIntervalMs); Add(f.RateBpm); Add(f.IrregularPermille);
            Add(f.NormalizedRmssdPermille); Add(f.OutlierPermille); Add(f.LongestIntervalMs); Add(f.ShortestIntervalMs);
        }

        private void AddLine(int length)
        {
            for (int i = 0; i < length; i++) Byte(line[i]);
        }

        private void AddLong(long v)
        {
            Add((int)v);
            Add((int)(v >> 32));
        }

        private void Add(int v)
        {
            Byte(v & 0xFF);
            Byte((v >> 8) & 0xFF);
            Byte((v >> 16) & 0xFF);
            Byte((v >> 24) & 0xFF);
        }

        private void Byte(int b)
        {
            h = (h ^ (uint)b) * Prime;
        }
    }
}
