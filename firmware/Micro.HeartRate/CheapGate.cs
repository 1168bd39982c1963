using Micro.HeartRate.Signal;

namespace Micro.HeartRate
{
    /// <summary>
    /// Decides whether a step needs the (expensive) rhythm classifier: not when the signal is good, the
    /// beats are regular and the rate sits in the normal band with margin; then the rules alone decide.
    /// </summary>
    public static class CheapGate
    {
        /// <summary>True if the classifier should look at this window.</summary>
        public static bool NeedsModel(AnalysisResult r, HeartRateSettings s)
        {
            if (r.Quality != SignalQuality.Good) return true;
            if (r.Recent.IntervalCount < 4 || r.Rhythm.IntervalCount < 6) return true;
            if (r.IrregularityPermille < 0 || r.IrregularityPermille >= s.IrregularClearPermille) return true;
            if (r.RateBpm < s.BradycardiaClearBpm || r.RateBpm > s.TachycardiaClearBpm) return true;
            return false;
        }

        /// <summary>
        /// True when the window looks steady though not plainly regular: good signal, enough beats, a known
        /// irregularity and a rate in the normal band. A confident "regular" verdict then stands for
        /// ModelRecheckSeconds instead of ModelIntervalSeconds. Below the alarm level (sinus arrhythmia often
        /// sits between the clear and the alarm level) the verdict settles the window; at or above it the
        /// rules already find the rhythm irregular and a "regular" verdict never vetoes them (AlarmPolicy), so
        /// re-running the network every 2 s there could only matter if its answer flipped to artefact or no
        /// pulse, which clean beats at a normal rate make unlikely.
        /// </summary>
        public static bool IsSteady(AnalysisResult r, HeartRateSettings s)
        {
            if (r.Quality != SignalQuality.Good) return false;
            if (r.Recent.IntervalCount < 4 || r.Rhythm.IntervalCount < 6) return false;
            if (r.IrregularityPermille < 0) return false;
            return r.RateBpm >= s.BradycardiaClearBpm && r.RateBpm <= s.TachycardiaClearBpm;
        }
    }
}
