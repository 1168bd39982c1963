using Micro.HeartRate.Beats;
using Micro.HeartRate.Model;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Alarms
{
    /// <summary>
    /// Turns each step's analysis into evidence per alarm kind and debounces it with AlarmChannel (onset
    /// duration before raising, ClearSeconds before clearing; Unknown evidence, i.e. bad signal, freezes
    /// both), with set/clear hysteresis on every limit. Rules: bradycardia from the slower of the last beats'
    /// median interval and the pause in progress, or from the spectral rate when it is confidently half the
    /// beat rate (a slow pulse whose dicrotic wave was counted as a beat), or from the mean interval of the last
    /// dominant pulses (Beats/DominantPulseRate: a slow pulse's small echoes left out), which at rest also vetoes
    /// a tachycardia; tachycardia at rest from a steady run of the last 4 beats,
    /// while moving from the motion-cancelled spectral rate, against the exercise limit while exercising;
    /// irregular rhythm from RMSSD / mean interval over 30 s at rest; no pulse from no beat for NoPulseMs, or
    /// for PulseLossMs with the pulse swing collapsed; a pulse that suddenly shrinks and speeds up (pulse
    /// collapse: ventricular tachycardia), or a run of small early upstrokes after a steady rhythm, raises
    /// tachycardia at once with the wrist still; sensor off from
    /// clipping, out-of-range DC or a poor signal, and at once from a line flat for NoPulseMs. A flat or
    /// clipped line freezes every clinical alarm: it is the sensor's fault, never asystole or bradycardia. A steady run of beats beyond
    /// UrgentTachycardiaBpm / UrgentBradycardiaBpm with the wrist still raises at once, without the onset. An optional model verdict
    /// refines this: "artefact" freezes the rate, rhythm and no-pulse evidence,
    /// "irregular" or "regular" decides the rhythm, "no pulse" confirms a pause from half the no-pulse time,
    /// and a failed classification raises the model fault. Without a model the rules decide alone.
    /// Events of the last step: GetEvent(0..EventCount).
    /// </summary>
    public sealed class AlarmPolicy
    {
        // Update adds at most one event per kind (its channel raises or clears once a step): one slot each.
        private const int MaxEvents = AlarmKinds.Count;

        private readonly HeartRateSettings s;
        private readonly AlarmChannel[] channels = new AlarmChannel[AlarmKinds.Count];
        private readonly Evidence[] evidence = new Evidence[AlarmKinds.Count];
        private readonly bool[] urgent = new bool[AlarmKinds.Count];
        private readonly AlarmEvent[] events = new AlarmEvent[MaxEvents];
        private int eventCount;

        public AlarmPolicy(HeartRateSettings settings)
        {
            s = settings;
            channels[(int)AlarmKind.Bradycardia] = new AlarmChannel(settings.RateOnsetSeconds, settings.ClearSeconds);
            channels[(int)AlarmKind.Tachycardia] = new AlarmChannel(settings.RateOnsetSeconds, settings.ClearSeconds);
            channels[(int)AlarmKind.Irregular] = new AlarmChannel(settings.IrregularOnsetSeconds, settings.ClearSeconds);
            channels[(int)AlarmKind.NoPulse] = new AlarmChannel(settings.NoPulseOnsetSeconds, settings.ClearSeconds);
            channels[(int)AlarmKind.SensorOff] = new AlarmChannel(settings.ContactOnsetSeconds, settings.ClearSeconds);
            channels[(int)AlarmKind.ModelFault] = new AlarmChannel(1, settings.ClearSeconds);
            for (int i = 0; i < MaxEvents; i++) events[i] = new AlarmEvent();
        }

        /// <summary>Events raised or cleared by the last Update.</summary>
        public int EventCount { get { return eventCount; } }

        public AlarmEvent GetEvent(int i) { return events[i]; }

        /// <summary>Evidence the last Update derived for a kind (for diagnostics).</summary>
        public Evidence LastEvidence(AlarmKind kind) { return evidence[(int)kind]; }

        public bool IsActive(AlarmKind kind) { return channels[(int)kind].IsActive; }

        /// <summary>Active alarms as a bit mask (bit = 1 &lt;&lt; kind).</summary>
        public int ActiveMask
        {
            get
            {
                int m = 0;
                for (int i = 0; i < AlarmKinds.Count; i++) if (channels[i].IsActive) m |= 1 << i;
                return m;
            }
        }

        /// <summary>Applies one analysis step; fills the events and r.ActiveAlarms.</summary>
        public void Update(AnalysisResult r)
        {
            eventCount = 0;
            for (int k = 0; k < AlarmKinds.Count; k++) urgent[k] = false;
            ModelVerdict v = r.Verdict.Valid ? r.Verdict : null;
            int decide = s.ModelDecisionPermille;
            bool artefact = v != null && v.ArtefactPermille >= decide;

            evidence[(int)AlarmKind.SensorOff] = ContactEvidence(r);
            if (Technical(r))
            {
                // A flat or clipped line is the sensor's or the monitor's fault, not the heart's: only the
                // technical alert speaks, every clinical channel is frozen (neither raised nor cleared).
                evidence[(int)AlarmKind.NoPulse] = Evidence.Unknown;
                evidence[(int)AlarmKind.Bradycardia] = Evidence.Unknown;
                evidence[(int)AlarmKind.Tachycardia] = Evidence.Unknown;
                evidence[(int)AlarmKind.Irregular] = Evidence.Unknown;
            }
            else
            {
                evidence[(int)AlarmKind.NoPulse] = NoPulseEvidence(r, v, decide);
                // A confident "artefact" from the model freezes the rate alarms for this step.
                bool rateUsable = RateTrusted(r);
                evidence[(int)AlarmKind.Bradycardia] = artefact ? Evidence.Unknown : BradyEvidence(r, rateUsable);
                // The network takes a clean, steady run of fast pulses for artefact (a sudden tachycardia
                // changes the window's shape): such a run at or above the urgent limit with the wrist still
                // keeps its tachycardia evidence.
                bool fastRun = Still(r) && r.Quality == SignalQuality.Good && s.UrgentTachycardiaBpm > 0 && SteadyRun(r)
                    && r.ShortIntervalMs * s.UrgentTachycardiaBpm <= 60000;
                evidence[(int)AlarmKind.Tachycardia] = artefact && !fastRun ? Evidence.Unknown : TachyEvidence(r, rateUsable);
                evidence[(int)AlarmKind.Irregular] = IrregularEvidence(r, v, decide, artefact);
                // A pulse that suddenly shrinks and speeds up (ventricular tachycardia seen in the PPG) is a
                // tachycardia whatever the counted rate: the small pulses are often missed or merged. Only
                // with the wrist still and not exercising: movement changes pulse size and rate as well.
                // So is a run of small, early upstrokes after a steady rhythm (SmallPulseRun): the pulses of a
                // short VT are often too small to be beats at all.
                if ((r.PulseCollapse || r.SmallPulseRun) && Still(r) && !artefact)
                {
                    evidence[(int)AlarmKind.Tachycardia] = Evidence.Present;
                    urgent[(int)AlarmKind.Tachycardia] = true;
                }
                // Dominant pulses slower than the bradycardia limit, at rest, veto a tachycardia: a harmonic of
                // the spectrum, or a slow pulse's echoes counted as small fast beats (a false pulse collapse).
                if (!r.Moving && SlowOnBeats(r))
                {
                    evidence[(int)AlarmKind.Tachycardia] = Evidence.Absent;
                    urgent[(int)AlarmKind.Tachycardia] = false;
                }
            }
            evidence[(int)AlarmKind.ModelFault] = r.ModelFailed ? Evidence.Present : (r.ModelRan ? Evidence.Absent : Evidence.Unknown);

            for (int k = 0; k < AlarmKinds.Count; k++)
            {
                int change = channels[k].Update(evidence[k], urgent[k]);
                if (change != 0) AddEvent((AlarmKind)k, change > 0, r);
            }
            r.ActiveAlarms = ActiveMask;
        }

        // A rate is trusted when the beats are clean (Good), when beats and spectrum agree within 10 %, or
        // while moving when the motion-cancelled spectrum is confident.
        private static bool RateTrusted(AnalysisResult r)
        {
            if (r.ContactLost || r.RateSource == RateSource.None) return false;
            if (r.Quality == SignalQuality.Good) return true;
            if (r.Quality == SignalQuality.Fair)
            {
                int spectral = r.SpectralRateBpm;
                return spectral > 0 && IntMath.Abs(spectral - r.RateBpm) * 10 <= r.RateBpm;
            }
            if (r.Quality == SignalQuality.Motion) return r.RateSource == RateSource.Spectrum && r.SpectralConfidencePermille >= 300;
            return false;
        }

        // A flat or clipped raw signal, or the DC level off the skin.
        private static bool Technical(AnalysisResult r)
        {
            return r.ContactLost || r.Quality == SignalQuality.Clipped || r.Quality == SignalQuality.Flat;
        }

        private Evidence ContactEvidence(AnalysisResult r)
        {
            // A line flat for NoPulseMs is raised at once (its duration is the onset); clipping and a poor
            // signal take ContactOnsetSeconds.
            if (r.Quality == SignalQuality.Flat && r.FlatMs >= s.NoPulseMs)
            {
                urgent[(int)AlarmKind.SensorOff] = true;
                return Evidence.Present;
            }
            if (r.Quality == SignalQuality.Flat) return Evidence.Unknown;
            if (r.ContactLost || r.Quality == SignalQuality.Clipped) return Evidence.Present;
            if (r.Quality == SignalQuality.Poor) return Evidence.Present;
            return Evidence.Absent;
        }

        private Evidence NoPulseEvidence(AnalysisResult r, ModelVerdict v, int decide)
        {
            // The model may call a missing beat train artefact (motion, garbage). Flat and clipped lines
            // never get here (Technical).
            if (v != null && v.ArtefactPermille >= decide) return Evidence.Unknown;
            if (r.Quality == SignalQuality.NoPulse) return Evidence.Present;
            // Pulsatility lost: no beat for PulseLossMs and the band-passed swing collapsed against the
            // typical pulse (a slow rhythm keeps its swing), sooner than the NoPulseMs pause rule.
            if (s.PulseLossMs > 0 && r.MsSinceBeat >= s.PulseLossMs && r.AmplitudeRatioPermille <= s.PulseLossAmplitudePermille) return Evidence.Present;
            if (v != null && v.NoPulsePermille >= decide && r.MsSinceBeat >= s.NoPulseMs / 2) return Evidence.Present;
            if (r.MsSinceBeat < s.NoPulseMs) return Evidence.Absent;
            return Evidence.Unknown;
        }

        private Evidence BradyEvidence(AnalysisResult r, bool usable)
        {
            // The slower of the last intervals' median and the pause in progress (before the next beat
            // arrives), so a sudden slowdown counts from its first long interval. A pause many times the
            // intervals before it (over BradyPausePermille of their median) is no slow rhythm but a gap in the
            // pulse: the no-pulse rules judge it.
            if (r.ContactLost || r.Quality == SignalQuality.Poor || r.Quality == SignalQuality.Clipped || r.Moving) return Evidence.Unknown;
            int interval = r.ShortIntervalMs;
            if (r.MsSinceBeat < s.NoPulseMs && r.MsSinceBeat > interval
                && (s.BradyPausePermille <= 0 || interval <= 0 || (long)r.MsSinceBeat * 1000 <= (long)interval * s.BradyPausePermille)) interval = r.MsSinceBeat;
            // A slow pulse with a strong dicrotic wave is counted twice by the beat detector; the spectrum
            // sees the true period. When the spectrum confidently puts the rate at half the beat rate (or
            // less), the spectral period stands.
            if (SpectralHarmonic(r))
            {
                interval = 60000 / r.SpectralRateBpm;
                usable = true;
            }
            // The dominant pulses (a slow pulse's smaller diastolic upstrokes left out) are the rhythm when
            // they are slower: their mean interval is a judgement of its own, the spectrum cannot hide it.
            bool dominant = r.DominantIntervalMs > interval;
            if (dominant) interval = r.DominantIntervalMs;
            if (interval <= 0) return Evidence.Unknown;
            bool active = channels[(int)AlarmKind.Bradycardia].IsActive;
            bool slow = interval * s.BradycardiaBpm > 60000;
            bool fastEnough = interval * s.BradycardiaClearBpm < 60000;
            if (!active)
            {
                if (!slow) return Evidence.Absent;
                bool steady = SteadyRun(r);
                if (!usable && !steady && !dominant && r.MsSinceBeat != interval) return Evidence.Unknown;
                // An extreme rate from a steady run of clean beats is raised at once.
                urgent[(int)AlarmKind.Bradycardia] = Still(r) && s.UrgentBradycardiaBpm > 0 && steady && usable && r.ShortIntervalMs * s.UrgentBradycardiaBpm >= 60000;
                return Evidence.Present;
            }
            return fastEnough ? Evidence.Absent : Evidence.Present;
        }

        // The mean interval of the last dominant pulses is longer than the bradycardia limit's.
        private bool SlowOnBeats(AnalysisResult r)
        {
            return r.DominantIntervalMs > 0 && r.DominantIntervalMs * s.BradycardiaBpm > 60000;
        }

        // Not exercising and the accelerometer (if any) under half the moving limit.
        private bool Still(AnalysisResult r)
        {
            return !r.Exercising && r.MotionMg * 2 < s.MotionThresholdMg;
        }

        // The confident spectral rate is about half the beat rate (1.6..2.4×): every pulse was counted twice.
        private bool SpectralHarmonic(AnalysisResult r)
        {
            int spectral = r.SpectralRateBpm;
            int beats = r.ShortIntervalMs > 0 ? 60000 / r.ShortIntervalMs : 0;
            return s.SpectralBradycardiaConfidencePermille > 0 && spectral > 0 && beats > 0
                && r.SpectralConfidencePermille >= s.SpectralBradycardiaConfidencePermille
                && beats * 10 >= spectral * 16 && beats * 10 <= spectral * 24;
        }

        private Evidence TachyEvidence(AnalysisResult r, bool usable)
        {
            int set = r.Exercising ? s.ExerciseTachycardiaBpm : s.TachycardiaBpm;
            int clear = r.Exercising ? s.ExerciseTachycardiaBpm - (s.TachycardiaBpm - s.TachycardiaClearBpm) : s.TachycardiaClearBpm;
            bool active = channels[(int)AlarmKind.Tachycardia].IsActive;
            int rate;
            if (r.Moving || r.RateSource == RateSource.Spectrum)
            {
                // Moving: the motion-cancelled rate, if trusted.
                if (!usable) return Evidence.Unknown;
                rate = r.RateBpm;
            }
            else
            {
                // At rest: a steady run of the last few beats, so an onset is seen within a few beats and
                // scattered false beats (artefact) are not.
                if (r.ShortIntervalMs <= 0 || r.Quality == SignalQuality.Poor || r.ContactLost) return Evidence.Unknown;
                rate = (60000 + r.ShortIntervalMs / 2) / r.ShortIntervalMs;
                bool steady = SteadyRun(r);
                if (!steady && !usable) return Evidence.Unknown;
                // With the wrist still, an extreme rate from a steady run of beats is raised at once: the
                // onset duration is there against noise, and a steady run of four beats above the urgent
                // limit is not noise. Any motion (even below the moving limit) can add false beats, so it
                // takes the normal onset then.
                urgent[(int)AlarmKind.Tachycardia] = Still(r) && s.UrgentTachycardiaBpm > 0 && steady && rate >= s.UrgentTachycardiaBpm;
                // A fast rate from irregular beats must be one beat per pulse: the pulse wave repeats itself at
                // the beat interval. If it does not, the beats are artefact or a dicrotic wave counted, and the
                // rate is not judged. A clean, even run of beats (Good) stands on its own.
                int periodic = r.BeatPeriodicityPermille;
                if (s.TachyPeriodicityPermille > 0 && r.Quality != SignalQuality.Good && periodic != PulsePeriodicity.Unknown
                    && periodic < s.TachyPeriodicityPermille && rate > (active ? clear : set))
                {
                    urgent[(int)AlarmKind.Tachycardia] = false;
                    return Evidence.Unknown;
                }
            }
            if (!active) return rate > set ? Evidence.Present : Evidence.Absent;
            return rate < clear ? Evidence.Absent : Evidence.Present;
        }

        // A run of real beats: none of the last few intervals is over 1.5× their median (a missed beat) or
        // under 0.6× (a false beat). Artefact mixes false beats into a normal rhythm and fails this; a fast
        // irregular rhythm (AF with a fast response, polymorphic VT) passes.
        internal static bool SteadyRun(AnalysisResult r)
        {
            int median = r.ShortIntervalMs;
            return median > 0 && r.ShortLongestMs * 2 <= median * 3 && r.ShortShortestMs * 5 >= median * 3;
        }

        private Evidence IrregularEvidence(AnalysisResult r, ModelVerdict v, int decide, bool artefact)
        {
            if (artefact || r.Moving) return Evidence.Unknown;
            // The model can add irregular evidence, and a "regular" verdict settles a window the interval
            // rules cannot judge, but it never vetoes clearly irregular intervals: on Liu 2022 the rules find
            // AF more reliably than the network's regular/irregular split does.
            bool rulesIrregular = r.IrregularityPermille >= s.IrregularPermille
                && (r.Quality == SignalQuality.Good || r.Quality == SignalQuality.Fair);
            if (v != null)
            {
                if (v.IrregularPermille >= decide) return Evidence.Present;
                if (v.RegularPermille >= decide && !rulesIrregular) return Evidence.Absent;
            }
            if (r.IrregularityPermille < 0) return Evidence.Unknown;
            if (r.Quality != SignalQuality.Good && r.Quality != SignalQuality.Fair) return Evidence.Unknown;
            bool active = channels[(int)AlarmKind.Irregular].IsActive;
            if (!active) return r.IrregularityPermille >= s.IrregularPermille ? Evidence.Present : Evidence.Absent;
            return r.IrregularityPermille < s.IrregularClearPermille ? Evidence.Absent : Evidence.Present;
        }

        private void AddEvent(AlarmKind kind, bool raised, AnalysisResult r)
        {
            if (eventCount >= MaxEvents) return;
            AlarmEvent e = events[eventCount++];
            e.Kind = kind;
            e.Raised = raised;
            e.UptimeMs = r.UptimeMs;
            e.RateBpm = r.RateBpm;
            e.ConfidencePercent = Confidence(kind, r);
        }

        private int Confidence(AlarmKind kind, AnalysisResult r)
        {
            switch (kind)
            {
                case AlarmKind.Bradycardia:
                case AlarmKind.Tachycardia:
                    return r.RateConfidencePercent;
                case AlarmKind.Irregular:
                    // Rules: 50 % at the limit, 100 % at twice the limit.
                    return r.Verdict.Valid ? r.Verdict.IrregularPermille / 10 : IntMath.Clamp(r.IrregularityPermille * 50 / IntMath.Max(1, s.IrregularPermille), 0, 100);
                case AlarmKind.NoPulse:
                    return r.Verdict.Valid ? IntMath.Max(r.Verdict.NoPulsePermille / 10, 50) : 80;
                case AlarmKind.SensorOff:
                    return r.ContactLost || r.Quality == SignalQuality.Clipped || r.Quality == SignalQuality.Flat ? 95 : 70;
                default:
                    return 100;
            }
        }

        public void Reset()
        {
            for (int i = 0; i < AlarmKinds.Count; i++) channels[i].Reset();
            eventCount = 0;
        }
    }
}
