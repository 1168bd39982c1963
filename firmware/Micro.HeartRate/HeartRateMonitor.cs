using System;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Beats;
using Micro.HeartRate.Model;
using Micro.HeartRate.Rate;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate
{
    /// <summary>
    /// The whole heart-rate alarm chain, fed one sample at a time at the sensor rate:
    /// resample to 25 Hz → band-pass 0.5–5 Hz → beats (slope sum) and intervals → rate (beats at rest,
    /// motion-cancelled spectrum while moving) → rhythm irregularity → signal quality → cheap gate →
    /// optional classifier → alarm policy. Every second (25 internal samples) AddSample returns true and
    /// <see cref="Result"/> and the policy's events describe that step. Everything is allocated here; the
    /// per-sample path allocates nothing.
    /// </summary>
    public sealed class HeartRateMonitor
    {
        /// <summary>Longest classifier window (10 s at 25 Hz).</summary>
        public const int MaxWindowSamples = 250;

        /// <summary>Most channels per window sample: 0 = PPG, 1 = tachogram (see CopyWindow).</summary>
        public const int MaxWindowChannels = 2;

        /// <summary>Tachogram channel: int8 value = (interval − window mean) × this / window mean, so ±50 % of
        /// the mean spans the int8 range.</summary>
        public const int TachogramScale = 256;

        /// <summary>Internal samples per analysis step (1 s).</summary>
        public const int StepSamples = InternalRate.Hz;

        private const int RecentSamples = 8 * InternalRate.Hz;
        private const int RecentMaxIntervals = 6;
        private const int ShortMaxIntervals = 4;
        private const int RhythmSamples = 30 * InternalRate.Hz;
        private const int RhythmMaxIntervals = 30;
        private const int MinRhythmIntervals = 6;
        private const int FlatQualityMs = 2000;
        private const int ClippedQualityPermille = 200;
        private const int PulseChangeRecentMs = 3000;
        private const int PulseChangeBaselineMs = 8000;

        private readonly HeartRateSettings settings;
        private readonly bool hasAcc;
        private readonly int polarity;
        private readonly Resampler resampler;
        private readonly int[] resampled;   // resampler.Output (the same array for the resampler's life)
        private readonly BandPassFilter ppgFilter = new BandPassFilter();
        // The accelerometer's filters, canceller and motion detector exist only with an accelerometer.
        private readonly BandPassFilter xFilter;
        private readonly BandPassFilter yFilter;
        private readonly BandPassFilter zFilter;
        private readonly MotionCanceller canceller;
        private readonly SpectralRateTracker tracker;
        private readonly BeatDetector detector;
        private readonly IntervalTracker intervals;
        private readonly PulseChangeDetector pulseChange = new PulseChangeDetector(PulseChangeRecentMs, PulseChangeBaselineMs);
        private readonly DominantPulseRate dominant;
        private readonly RawSignalMonitor raw;
        private readonly MotionDetector motion;
        private readonly IntRing window = new IntRing(MaxWindowSamples);
        // CopyWindow's tachogram scratch, allocated by the first two-channel copy (SetClassifier does it for a
        // two-channel model); the PPG channel is read from the ring directly.
        private int[] tachogramScratch;
        private readonly AlarmPolicy policy;
        private readonly AnalysisResult result = new AnalysisResult();
        private readonly ModelVerdict heldVerdict = new ModelVerdict();
        private readonly int modelInterval;
        private IRhythmClassifier classifier;
        private sbyte[] modelWindow;
        private int modelChannels = 1;

        private long sampleCount;      // internal samples
        private long chainStart;       // sampleCount at the last (re)start of the signal chain
        private long restarts;
        private int stepFill;
        private long stepDcSum;
        private int stepMax;
        private int stepMin;
        private int previousStepMax;
        private int previousStepMin;
        private int typicalAmplitude;
        private int step;
        private int chainSteps;        // steps since the last (re)start of the signal chain
        private int lastModelStep = -1000;
        private long modelDeferrals;

        /// <summary>Longest a held verdict stands beyond its hold while <see cref="DeferModel"/> keeps the next
        /// classification from running (s); after that the rules decide alone until the model runs again.</summary>
        public const int DeferredVerdictSeconds = 8;

        /// <summary>
        /// Load shedding, set by the loop that feeds the monitor: true while it is behind the sensor (its
        /// backlog of read, unanalysed samples is large). A classification that falls due then is deferred to
        /// the next step (rechecked every step, so the model runs as soon as the backlog allows); the verdict
        /// held from the last run stands meanwhile, at most <see cref="DeferredVerdictSeconds"/> beyond its
        /// hold. The signal chain and the rules are never deferred.
        /// </summary>
        public bool DeferModel;

        public HeartRateMonitor(HeartRateSettings settings)
        {
            if (settings == null) throw new ArgumentNullException("settings");
            this.settings = settings;
            hasAcc = settings.HasAccelerometer;
            polarity = settings.Polarity < 0 ? -1 : 1;
            resampler = new Resampler(settings.SampleRateMilliHz, hasAcc ? 4 : 1);
            resampled = resampler.Output;
            tracker = new SpectralRateTracker(hasAcc, settings);
            if (hasAcc)
            {
                xFilter = new BandPassFilter();
                yFilter = new BandPassFilter();
                zFilter = new BandPassFilter();
                canceller = new MotionCanceller();
                motion = new MotionDetector(settings);
            }
            // A pulse of MinPulseCounts rises about that much within the 3-sample slope sum; half of it is the floor.
            detector = new BeatDetector(settings.BeatThresholdPercent, settings.RefractoryMs, settings.MinPulseCounts * Resampler.OutputGain / 2, settings.BeatMedianFloorPermille);
            intervals = new IntervalTracker(settings.IrregularTolerancePercent);
            dominant = new DominantPulseRate(settings.BradyEchoPercent, settings.BradyEchoMaxMs, settings.BradyDominantIntervals, settings.BradyConsistentPercent);
            raw = new RawSignalMonitor(settings);
            policy = new AlarmPolicy(settings);
            modelInterval = settings.ModelIntervalSeconds < 1 ? 1 : settings.ModelIntervalSeconds;
            ResetStepExtremes();
        }

        /// <summary>The last completed step's analysis (overwritten every step).</summary>
        public AnalysisResult Result { get { return result; } }

        /// <summary>The alarm policy (events of the last step: EventCount / GetEvent).</summary>
        public AlarmPolicy Policy { get { return policy; } }

        public HeartRateSettings Settings { get { return settings; } }

        /// <summary>Milliseconds of signal processed (internal samples × 40).</summary>
        public long UptimeMs { get { return sampleCount * InternalRate.MsPerSample; } }

        /// <summary>Installs (or removes, with null) the rhythm classifier consulted when the gate asks.</summary>
        public void SetClassifier(IRhythmClassifier model)
        {
            if (model != null && (model.WindowSamples < 16 || model.WindowSamples > MaxWindowSamples))
                throw new ArgumentOutOfRangeException("model", "classifier window must be 16..250 samples");
            if (model != null && (model.WindowChannels < 1 || model.WindowChannels > MaxWindowChannels))
                throw new ArgumentOutOfRangeException("model", "classifier window must have 1 or 2 channels");
            classifier = model;
            heldVerdict.Invalidate();
            modelChannels = model == null ? 1 : model.WindowChannels;
            modelWindow = model == null ? null : new sbyte[model.WindowSamples * modelChannels];
            if (modelChannels == 2 && tachogramScratch == null) tachogramScratch = new int[MaxWindowSamples];
        }

        /// <summary>Steps on which a due classification was deferred because <see cref="DeferModel"/> was set.</summary>
        public long ModelDeferrals { get { return modelDeferrals; } }

        /// <summary>Times <see cref="Restart"/> was called.</summary>
        public long Restarts { get { return restarts; } }

        /// <summary>
        /// Starts the signal chain over after a gap in the samples (sensor unplugged or restarted): resampler,
        /// filters, beat detector, intervals, spectrum, raw-signal checks, classifier window and the step in
        /// progress are cleared, so the samples before and after the gap are never joined (no step, no false
        /// beat, no interval spanning the gap). What is kept: the uptime and step count (the device's clock
        /// does not stand still), the motion state (it describes the wearer), and the alarm policy — an
        /// active alarm stays active and its evidence is Unknown until the chain has seen beats again, so it
        /// is neither lost nor cleared by the gap. Allocates nothing.
        /// </summary>
        public void Restart()
        {
            restarts++;
            resampler.Reset();
            ppgFilter.Reset();
            if (hasAcc)
            {
                xFilter.Reset();
                yFilter.Reset();
                zFilter.Reset();
                canceller.Reset();
            }
            tracker.Reset();
            detector.Reset();
            intervals.Clear();
            pulseChange.Reset();
            dominant.Reset();
            raw.Reset();
            window.Clear();
            heldVerdict.Invalidate();
            lastModelStep = step - 1000;
            typicalAmplitude = 0;
            stepFill = 0;
            stepDcSum = 0;
            stepMax = int.MinValue;
            stepMin = int.MaxValue;
            previousStepMax = int.MinValue;
            previousStepMin = int.MaxValue;
            chainSteps = 0;
            chainStart = sampleCount;
        }

        /// <summary>Feeds one PPG sample (no accelerometer). Returns true when a step completed.</summary>
        public bool AddSample(int ppg)
        {
            if (hasAcc) return AddSample(ppg, 0, 0, 0);
            // The same as AddSample(ppg, 0, 0, 0), one call less per sample and the resampler's 1-channel path.
            raw.Add(ppg);
            if (!resampler.Push(ppg)) return false;
            return AddInternal();
        }

        /// <summary>
        /// Feeds one PPG sample with the accelerometer (milli-g per axis; ignored unless
        /// HasAccelerometer). Returns true when a 1 s analysis step completed (see Result, Policy).
        /// </summary>
        public bool AddSample(int ppg, int accX, int accY, int accZ)
        {
            raw.Add(ppg);
            if (!resampler.Push(ppg, accX, accY, accZ)) return false;
            return AddInternal();
        }

        // One internal-rate sample, in resampler.Output: the chain after the resampler.
        private bool AddInternal()
        {
            int[] o = resampled;
            int ppg = o[0];
            stepDcSum += ppg;
            int p = ppgFilter.Process(ppg) * polarity;
            int clean = p;
            if (hasAcc)
            {
                int x = xFilter.Process(o[1]);
                int y = yFilter.Process(o[2]);
                int z = zFilter.Process(o[3]);
                motion.Add(x, y, z);
                clean = canceller.Process(p, x, y, z);
                tracker.Add(clean, x, y, z, motion.IsMoving);
            }
            else
            {
                tracker.Add(p, 0, 0, 0, false);
            }
            window.Add(p);
            if (p > stepMax) stepMax = p;
            if (p < stepMin) stepMin = p;
            if (detector.Process(p))
            {
                if (detector.BeatIntervalMs > 0) intervals.Add(detector.BeatIntervalMs, detector.LastBeatSample);
                pulseChange.AddBeat(detector.BeatPeak, detector.BeatIntervalMs, detector.LastBeatSample);
                dominant.AddBeat(detector.BeatPeak, detector.LastBeatSample);
            }
            if (detector.Upstroke) pulseChange.AddUpstroke(detector.UpstrokePeak, detector.UpstrokeSample);
            sampleCount++;
            int fill = stepFill + 1;
            stepFill = fill;
            if (fill < StepSamples) return false;
            Analyze();
            return true;
        }

        /// <summary>
        /// Copies the newest count samples of the band-passed, polarity-corrected PPG (25 Hz), min-max
        /// normalized to −128..127 (a flat window gives all zeros), oldest first, into dst[0..count).
        /// Returns false (and writes nothing) while fewer than count samples exist. Allocates nothing.
        /// </summary>
        public bool CopyWindow(sbyte[] dst, int count)
        {
            return CopyWindow(dst, count, 1);
        }

        /// <summary>
        /// The classifier window with channels per sample, channels-last (dst[i·channels + c], the blob's
        /// NWC layout), count samples, oldest first. Channel 0: the PPG exactly as
        /// <see cref="CopyWindow(sbyte[], int)"/>. Channel 1 (channels = 2): the tachogram aligned to the same
        /// samples — at each sample the beat-to-beat interval in progress (IntervalTracker.FillTachogram:
        /// the interval of the next beat; after the newest beat, the longer of its interval and the time
        /// since it), as (interval − mean over the window's samples) × 256 / mean, rounded toward zero and
        /// clamped to −128..127 (±50 % of the mean spans the range); all zeros while no interval is known.
        /// Returns false (and writes nothing) while fewer than count samples exist. Allocates nothing (but the
        /// first two-channel copy without a two-channel classifier allocates the tachogram's scratch once).
        /// </summary>
        public bool CopyWindow(sbyte[] dst, int count, int channels)
        {
            if (channels < 1 || channels > MaxWindowChannels) throw new ArgumentOutOfRangeException("channels");
            if (count < 1 || count > MaxWindowSamples || dst == null || dst.Length < count * channels) throw new ArgumentOutOfRangeException("count");
            if (window.Count < count) return false;
            window.NormalizeLast(count, dst, channels);
            if (channels == 2) CopyTachogram(dst, count);
            return true;
        }

        private void CopyTachogram(sbyte[] dst, int count)
        {
            if (tachogramScratch == null) tachogramScratch = new int[MaxWindowSamples];
            int[] t = tachogramScratch;
            // The window's newest sample is the detector's sample index − 1 (both count from the chain's start).
            if (!intervals.FillTachogram(detector.SampleIndex - count, count, t))
            {
                for (int i = 0; i < count; i++) dst[i * 2 + 1] = 0;
                return;
            }
            long sum = 0;
            for (int i = 0; i < count; i++) sum += t[i];
            long mean = sum / count;
            for (int i = 0; i < count; i++)
            {
                long v = mean > 0 ? ((long)t[i] - mean) * TachogramScale / mean : 0;
                if (v > 127) v = 127;
                if (v < -128) v = -128;
                dst[i * 2 + 1] = (sbyte)v;
            }
        }

        private void ResetStepExtremes()
        {
            previousStepMax = stepMax;
            previousStepMin = stepMin;
            stepMax = int.MinValue;
            stepMin = int.MaxValue;
        }

        private void Analyze()
        {
            AnalysisResult r = result;
            step++;
            chainSteps++;
            // Beat positions count from the chain's (re)start.
            long n = sampleCount - chainStart;
            r.Step = step;
            r.UptimeMs = sampleCount * InternalRate.MsPerSample;

            // Raw-signal checks.
            r.FlatMs = raw.FlatMs;
            r.ClippedPermille = raw.ClippedPermille;
            raw.EndStep();
            r.DcLevel = (int)(stepDcSum / (stepFill * Resampler.OutputGain));
            stepDcSum = 0;
            stepFill = 0;
            int hi = stepMax > previousStepMax || chainSteps == 1 ? stepMax : previousStepMax;
            int lo = stepMin < previousStepMin || chainSteps == 1 ? stepMin : previousStepMin;
            r.PulseAmplitude = hi - lo;
            ResetStepExtremes();
            r.ContactLost = r.DcLevel < settings.ContactMinDc || r.DcLevel > settings.ContactMaxDc;
            r.PerfusionPer10000 = r.DcLevel > 0 ? (int)((long)r.PulseAmplitude * 10000 / ((long)r.DcLevel * Resampler.OutputGain)) : 0;

            // Motion.
            r.MotionMg = hasAcc ? motion.RmsMg : 0;
            r.Moving = hasAcc && motion.IsMoving;
            r.Exercising = hasAcc && motion.IsExercising;

            // Beats.
            long last = detector.LastBeatSample;
            long since = last < 0 ? n : n - last;
            r.MsSinceBeat = since * InternalRate.MsPerSample > int.MaxValue ? int.MaxValue : (int)(since * InternalRate.MsPerSample);
            // (Only the count, median and extremes of the newest four: r.Recent is computed in full next.)
            intervals.ComputeSpan(n - RecentSamples, ShortMaxIntervals, r.Recent);
            bool shortOk = r.Recent.IntervalCount >= 3;
            r.ShortIntervalMs = shortOk ? r.Recent.MedianIntervalMs : 0;
            r.ShortLongestMs = shortOk ? r.Recent.LongestIntervalMs : 0;
            r.ShortShortestMs = shortOk ? r.Recent.ShortestIntervalMs : 0;
            intervals.Compute(n - RecentSamples, RecentMaxIntervals, r.Recent);
            intervals.Compute(n - RhythmSamples, RhythmMaxIntervals, r.Rhythm);
            r.BeatRateBpm = r.Recent.IntervalCount >= 3 ? r.Recent.RateBpm : 0;
            r.IrregularityPermille = r.Rhythm.IntervalCount >= MinRhythmIntervals ? r.Rhythm.NormalizedRmssdPermille : -1;
            r.DominantIntervalMs = dominant.MeanIntervalMs(n);

            // Spectrum every 2 s.
            if ((chainSteps & 1) == 0) tracker.Update(r.Moving, r.MotionMg);
            r.SpectralRateBpm = tracker.IsTracking && !tracker.IsWithheld ? tracker.RateBpm : 0;
            r.SpectralConfidencePermille = tracker.ConfidencePermille;
            r.SpectralPeakSharePermille = tracker.PeakSharePermille;

            ClassifyQuality(r);
            ChooseRate(r);
            JudgePeriodicity(r);

            // Typical pulse amplitude: follows good steps only (slowly), so a collapse stands out.
            if (r.Quality == SignalQuality.Good)
            {
                typicalAmplitude = typicalAmplitude == 0 ? r.PulseAmplitude : typicalAmplitude + (r.PulseAmplitude - typicalAmplitude) / 8;
            }
            r.AmplitudeRatioPermille = typicalAmplitude > 0 ? (int)((long)r.PulseAmplitude * 1000 / typicalAmplitude) : 1000;

            // Pulse collapse: the last 3 s of beats against the 8 s before.
            pulseChange.Evaluate(n);
            r.PulseSizeRatioPermille = pulseChange.SizeRatioPermille;
            r.PulseIntervalRatioPermille = pulseChange.IntervalRatioPermille;
            // Pulse collapse, or a sudden jump of a regular rate (the same evidence: a tachyarrhythmia's onset).
            r.PulseCollapse = (r.Quality == SignalQuality.Good || r.Quality == SignalQuality.Fair)
                && (settings.PulseCollapseIntervalPermille > 0 && pulseChange.Collapsed(settings.PulseCollapseSizePermille, settings.PulseCollapseIntervalPermille)
                    || pulseChange.RateJump(n, settings.JumpBeats, settings.JumpIntervalPermille, settings.JumpRegularityPermille,
                        settings.JumpRateBpm, settings.JumpSizePermille, settings.JumpNewRatePermille));

            // A run of small fast pulses after a steady rhythm, or a longer one after any rhythm.
            r.SmallPulseRun = settings.SmallRunBeats > 0 && (r.Quality == SignalQuality.Good || r.Quality == SignalQuality.Fair)
                && (pulseChange.SmallFastRun(n, settings.SmallRunBeats, settings.SmallRunSizePermille, settings.SmallRunIntervalPermille,
                        settings.SmallRunFloorPermille, settings.SmallRunRegularityPermille, settings.SmallRunSteadyPermille, settings.SmallRunEndedBeats,
                        settings.SmallRunEndedGapPermille)
                    || pulseChange.SmallFastRun(n, settings.SmallRunAnyRhythmBeats, settings.SmallRunSizePermille, settings.SmallRunIntervalPermille,
                        settings.SmallRunFloorPermille, settings.SmallRunRegularityPermille, 0, settings.SmallRunEndedBeats,
                        settings.SmallRunEndedGapPermille));

            // Gate and model.
            r.NeedsModel = CheapGate.NeedsModel(r, settings);
            r.ModelRan = false;
            r.ModelFailed = false;
            r.Verdict.Invalidate();
            if (r.NeedsModel && classifier != null)
            {
                // A confident "regular" verdict stands longer while the window stays steady.
                int hold = modelInterval;
                if (settings.ModelRecheckSeconds > hold && heldVerdict.Valid && heldVerdict.RegularPermille >= settings.ModelDecisionPermille
                    && CheapGate.IsSteady(r, settings)) hold = settings.ModelRecheckSeconds;
                bool due = step - lastModelStep >= hold;
                int stands = hold;
                if (due && DeferModel && window.Count >= modelWindow.Length / modelChannels)
                {
                    // The loop is behind: reading the sensor comes first, the network waits.
                    due = false;
                    modelDeferrals++;
                    stands = hold + DeferredVerdictSeconds;
                }
                if (due && CopyWindow(modelWindow, modelWindow.Length / modelChannels, modelChannels))
                {
                    lastModelStep = step;
                    r.ModelRan = true;
                    bool ok;
                    try
                    {
                        ok = classifier.Classify(modelWindow, heldVerdict);
                    }
                    catch (Exception)
                    {
                        ok = false;
                    }
                    if (!ok)
                    {
                        r.ModelFailed = true;
                        heldVerdict.Invalidate();
                    }
                }
                // A verdict stands until the next classification is due (or runs, when deferred).
                if (heldVerdict.Valid && step - lastModelStep < stands) r.Verdict.CopyFrom(heldVerdict);
            }

            policy.Update(r);
            r.StatusDue = settings.StatusIntervalSeconds > 0 && step % settings.StatusIntervalSeconds == 0;
        }

        // The pulse wave's periodicity at the short beat interval, judged only while that interval is a fast rate
        // at rest (above the tachycardia clear limit) and the beats are not clean: a normal rhythm pays nothing.
        private void JudgePeriodicity(AnalysisResult r)
        {
            r.BeatPeriodicityPermille = PulsePeriodicity.Unknown;
            int interval = r.ShortIntervalMs;
            if (settings.TachyPeriodicityPermille <= 0 || r.Moving || r.Quality == SignalQuality.Good || interval <= 0 || interval * settings.TachycardiaClearBpm >= 60000) return;
            int lag = (interval + InternalRate.MsPerSample / 2) / InternalRate.MsPerSample;
            int span = settings.TachyPeriodicityWindowMs / InternalRate.MsPerSample;
            r.BeatPeriodicityPermille = PulsePeriodicity.CorrelationPermille(window, lag, span);
        }

        private void ClassifyQuality(AnalysisResult r)
        {
            if (r.ContactLost || r.ClippedPermille >= ClippedQualityPermille)
            {
                r.Quality = SignalQuality.Clipped;
            }
            else if (r.FlatMs >= FlatQualityMs)
            {
                r.Quality = SignalQuality.Flat;
            }
            else if (r.Moving)
            {
                r.Quality = SignalQuality.Motion;
            }
            else if (r.MsSinceBeat >= settings.NoPulseMs)
            {
                r.Quality = SignalQuality.NoPulse;
            }
            else if (settings.MinPerfusionPer10000 > 0 && r.DcLevel > 0 && r.PerfusionPer10000 < settings.MinPerfusionPer10000)
            {
                // Poor perfusion (or poor contact): the pulse is too small a part of the light to trust.
                r.Quality = SignalQuality.Poor;
            }
            else if (r.Recent.IntervalCount >= 3 && r.Recent.OutlierPermille <= 250)
            {
                r.Quality = SignalQuality.Good;
            }
            else if (r.Recent.IntervalCount >= 2)
            {
                r.Quality = SignalQuality.Fair;
            }
            else
            {
                r.Quality = SignalQuality.Poor;
            }
        }

        private void ChooseRate(AnalysisResult r)
        {
            int spectral = r.SpectralRateBpm;
            int beats = r.BeatRateBpm;
            if (r.Quality == SignalQuality.Flat || r.Quality == SignalQuality.Clipped || r.Quality == SignalQuality.NoPulse)
            {
                r.RateSource = RateSource.None;
                r.RateBpm = 0;
                r.RateConfidencePercent = 0;
                return;
            }
            if (r.Moving || beats == 0)
            {
                if (spectral > 0)
                {
                    r.RateSource = RateSource.Spectrum;
                    r.RateBpm = spectral;
                    r.RateConfidencePercent = r.SpectralConfidencePermille / 10;
                }
                else
                {
                    r.RateSource = RateSource.None;
                    r.RateBpm = 0;
                    r.RateConfidencePercent = 0;
                }
                return;
            }
            r.RateSource = RateSource.Beats;
            r.RateBpm = beats;
            int confidence = 100 - r.Recent.OutlierPermille / 5;
            if (spectral > 0)
            {
                int diff = IntMath.Abs(spectral - beats);
                if (diff * 10 > beats) confidence -= 20;
            }
            r.RateConfidencePercent = IntMath.Clamp(confidence, 0, 100);
        }
    }
}
