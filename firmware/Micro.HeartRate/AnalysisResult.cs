using Micro.HeartRate.Beats;
using Micro.HeartRate.Model;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate
{
    /// <summary>
    /// Everything one analysis step (1 s) concluded. One instance per monitor, overwritten every step;
    /// copy what you need to keep.
    /// </summary>
    public sealed class AnalysisResult
    {
        /// <summary>Steps completed so far (1 for the first).</summary>
        public int Step;

        /// <summary>Time at the end of the step since the first sample (ms).</summary>
        public long UptimeMs;

        /// <summary>Reported heart rate (bpm), 0 when unknown.</summary>
        public int RateBpm;

        /// <summary>Confidence in RateBpm (0..100).</summary>
        public int RateConfidencePercent;

        public RateSource RateSource;

        /// <summary>Rate from the last 6 beat intervals within 8 s (bpm), 0 with fewer than 3.</summary>
        public int BeatRateBpm;

        /// <summary>Median interval of the last 4 beats within 8 s (ms), 0 with fewer than 3: reacts within a
        /// few beats, for the rate alarms.</summary>
        public int ShortIntervalMs;

        /// <summary>Longest of those intervals (ms).</summary>
        public int ShortLongestMs;

        /// <summary>Shortest of those intervals (ms).</summary>
        public int ShortShortestMs;

        /// <summary>Rate from the spectral tracker (bpm), 0 before it has a full window.</summary>
        public int SpectralRateBpm;

        /// <summary>Spectral tracker's confidence (‰).</summary>
        public int SpectralConfidencePermille;

        /// <summary>Share of PPG power at the tracked rate (‰).</summary>
        public int SpectralPeakSharePermille;

        /// <summary>The last 6 beat intervals within 8 s.</summary>
        public readonly RhythmFeatures Recent = new RhythmFeatures();

        /// <summary>Beat intervals of the last 30 s (at most 30): the rhythm window.</summary>
        public readonly RhythmFeatures Rhythm = new RhythmFeatures();

        /// <summary>Mean interval of the last dominant pulses (ms; DominantPulseRate, BradyDominant* settings),
        /// the pause in progress included; 0 when unknown.</summary>
        public int DominantIntervalMs;

        /// <summary>Time since the last detected beat (ms).</summary>
        public int MsSinceBeat;

        /// <summary>Rhythm irregularity reported to the outside: RMSSD / mean interval over the rhythm window
        /// (‰), −1 with fewer than 6 intervals.</summary>
        public int IrregularityPermille;

        public SignalQuality Quality;

        /// <summary>How long the raw signal has been flat (ms).</summary>
        public int FlatMs;

        /// <summary>Share of the step's raw samples at the ADC limits (‰).</summary>
        public int ClippedPermille;

        /// <summary>Mean raw PPG level over the step (counts).</summary>
        public int DcLevel;

        /// <summary>Band-passed peak-to-peak amplitude over the last 2 s (counts × 4).</summary>
        public int PulseAmplitude;

        /// <summary>Perfusion index: pulse amplitude / DC level in 1/10000 (0 when DC ≤ 0).</summary>
        public int PerfusionPer10000;

        /// <summary>PulseAmplitude relative to the typical amplitude of good beats (‰).</summary>
        public int AmplitudeRatioPermille;

        /// <summary>Upstroke size of the last 3 s's beats against the 8 s before (‰, 1000 when unknown).</summary>
        public int PulseSizeRatioPermille;

        /// <summary>Beat interval of the last 3 s against the 8 s before (‰, 1000 when unknown).</summary>
        public int PulseIntervalRatioPermille;

        /// <summary>The pulse suddenly shrank and sped up (PulseCollapse settings): ventricular tachycardia.</summary>
        public bool PulseCollapse;

        /// <summary>A run of small, early upstrokes after a steady rhythm (SmallRun settings): ventricular tachycardia.</summary>
        public bool SmallPulseRun;

        /// <summary>Autocorrelation (‰) of the band-passed pulse wave at the short beat interval, judged only while
        /// that rate is fast at rest from beats that are not clean (Beats/PulsePeriodicity.Unknown otherwise).</summary>
        public int BeatPeriodicityPermille;

        /// <summary>True when the sensor is judged off the skin (clipped, DC out of range).</summary>
        public bool ContactLost;

        /// <summary>Per-axis RMS acceleration over 8 s (mg).</summary>
        public int MotionMg;

        public bool Moving;

        /// <summary>Moving or recovering: the exercise tachycardia limit applies.</summary>
        public bool Exercising;

        /// <summary>False when the cheap gate decided the rules suffice for this window.</summary>
        public bool NeedsModel;

        /// <summary>True when a classifier ran on this step (its verdict is in Verdict).</summary>
        public bool ModelRan;

        /// <summary>True when the classifier failed on this step.</summary>
        public bool ModelFailed;

        /// <summary>The classifier's verdict for this step (Valid when it ran and succeeded within the last
        /// ModelIntervalSeconds and the gate still asks for it).</summary>
        public readonly ModelVerdict Verdict = new ModelVerdict();

        /// <summary>Active alarms after this step (bit = 1 &lt;&lt; AlarmKind).</summary>
        public int ActiveAlarms;

        /// <summary>True when a periodic status line is due after this step.</summary>
        public bool StatusDue;
    }
}
