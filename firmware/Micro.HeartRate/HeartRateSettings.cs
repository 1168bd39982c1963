namespace Micro.HeartRate
{
    /// <summary>
    /// Everything a deployment may tune: sensor description, alarm thresholds (with hysteresis) and
    /// minimum durations. Defaults suit an adult wearer and a generic PPG sensor; all values are integers.
    /// Read once when a <see cref="HeartRateMonitor"/> is built.
    /// </summary>
    public sealed class HeartRateSettings
    {
        // --- Sensor ---

        /// <summary>PPG (and accelerometer) sample rate in mHz, 25000..1000000 (62.5 Hz = 62500).</summary>
        public int SampleRateMilliHz = 25000;

        /// <summary>+1 if the PPG value rises with each pulse (blood volume), −1 if it falls (raw light
        /// intensity, as most reflective sensors deliver it).</summary>
        public int Polarity = 1;

        /// <summary>Lowest value the ADC can deliver; samples at or below it count as clipped.</summary>
        public int AdcMin = int.MinValue;

        /// <summary>Highest value the ADC can deliver; samples at or above it count as clipped.</summary>
        public int AdcMax = int.MaxValue;

        /// <summary>Mean PPG level (DC) range that means "on the skin"; outside it the sensor is off.</summary>
        public int ContactMinDc = int.MinValue;

        /// <summary>Upper end of the on-skin DC range.</summary>
        public int ContactMaxDc = int.MaxValue;

        /// <summary>Minimum perfusion index (pulse amplitude / DC) in 1/10000; 0 disables the check (when
        /// the sensor delivers AC only, DC is meaningless).</summary>
        public int MinPerfusionPer10000 = 0;

        /// <summary>A raw PPG that stays within this many counts of itself is a flat line.</summary>
        public int FlatToleranceCounts = 0;

        /// <summary>Smallest pulse (peak-to-peak, raw counts) that is a pulse and not sensor noise; smaller
        /// swings are neither beats nor pulse (0 disables: the sensor's noise floor is unknown).</summary>
        public int MinPulseCounts = 0;

        /// <summary>True if an accelerometer (milli-g) is fed with the PPG.</summary>
        public bool HasAccelerometer = false;

        // --- Beat detection ---

        /// <summary>A slope-sum peak must reach this percentage of the running beat size to be a beat.</summary>
        public int BeatThresholdPercent = 50;

        /// <summary>Two beats closer than this (ms) are one beat (limits the rate to 60000 / value).</summary>
        public int RefractoryMs = 240;

        /// <summary>While beats are overdue, a beat's upstroke must reach this share (‰) of the median upstroke of
        /// the last 8 beats, however long the pause (ripples during a pulse pause are no beats); 0 disables.</summary>
        public int BeatMedianFloorPermille = 200;

        /// <summary>Successive intervals differing by more than this percentage are an irregular pair.</summary>
        public int IrregularTolerancePercent = 12;

        // --- Motion ---

        /// <summary>Band-passed acceleration RMS (per axis, mg, over 8 s) above which the wearer moves.</summary>
        public int MotionThresholdMg = 30;

        /// <summary>How long the exercise limits stay in force after the motion stops (s).</summary>
        public int ExerciseHoldSeconds = 300;

        // --- Spectral rate tracker (Rate/SpectralRateTracker.cs; chosen by leave-one-subject-out on TROIKA,
        //     tests/Micro.HeartRate.Tests/TrackerLosoTests.cs) ---

        /// <summary>Leak λ of the tracker's path scores per update (‰) while moving: old evidence fades as λ^updates, so a
        /// wrong path is given up within about 1/(1 − λ) updates of 2 s.</summary>
        public int TrackerLeakPermille = 992;

        /// <summary>Charge per 3.75 bpm of rate change per update (‰ of the strongest peak's evidence).</summary>
        public int TrackerStepPenaltyPermille = 150;

        /// <summary>Largest rate change per update (2 s) while moving, in 3.75 bpm steps.</summary>
        public int TrackerMaxStepBins = 1;

        /// <summary>Leak λ at rest (updates without motion), ‰.</summary>
        public int TrackerRestLeakPermille = 850;

        /// <summary>Largest rate change per update at rest, in 3.75 bpm steps (a rhythm's onset is sudden).</summary>
        public int TrackerRestMaxStepBins = 4;

        /// <summary>Weight of the accelerometer power subtracted from the PPG power (%, both normalized).</summary>
        public int TrackerMotionWeightPercent = 70;

        /// <summary>Weight (%) of the accelerometer power at half and at twice a rate (the motion's harmonics).</summary>
        public int TrackerMotionHarmonicPercent = 100;

        /// <summary>Evidence is the squared (true) or plain (false) motion-cleaned PPG power.</summary>
        public bool TrackerSquareEmission = false;

        /// <summary>Motion prior: while moving, rates under this floor (bpm) pay a penalty (0 disables).</summary>
        public int TrackerMotionFloorBpm = 70;

        /// <summary>The floor rises by this many bpm per 100 mg of acceleration RMS above MotionThresholdMg.</summary>
        public int TrackerMotionFloorBpmPer100Mg = 0;

        /// <summary>Penalty per 10 bpm under the floor (‰ of the strongest peak's evidence).</summary>
        public int TrackerMotionFloorPenaltyPermille = 300;

        /// <summary>A path more than TrackerMaxStepBins away must score this much (%) above the best nearby one to
        /// take over (0: the best path always wins).</summary>
        public int TrackerSwitchMarginPercent = 20;

        /// <summary>Weight β (%) of the accelerometer power taken out of the PPG power in the tracker's clean
        /// hypothesis (Rate/CleanHypothesis.cs), a second Viterbi beside the main one while moving: a far path takes
        /// the track over only if the clean hypothesis prefers its region too (0 disables it and re-acquisition).</summary>
        public int TrackerCleanWeightPercent = 100;

        /// <summary>Re-acquisition while moving: after this many updates in a row with a strong far clean peak that
        /// the motion does not explain, that is no harmonic of the track, and whose region leads the track's in the
        /// clean hypothesis, the track moves to it (0 disables).</summary>
        public int TrackerReacquireUpdates = 1;

        /// <summary>While moving, a track the motion explains (clean evidence ≤ ¼ of its PPG power) moves to the clean
        /// hypothesis' best far path after this many updates in a row in which that path leads by 2:1 (0 disables).</summary>
        public int TrackerMotionTrackUpdates = 1;

        /// <summary>The motion at twice a rate is read over twice the rates within this many bins (3.75 bpm) of it: a
        /// halved motion peak is half as wide as the PPG peak it explains (0: twice the rate only).</summary>
        public int TrackerHarmonicLobeBins = 1;

        /// <summary>Confidence gate (‰): a spectral rate less confident than this is not fresh (0 disables).</summary>
        public int TrackerGatePermille = 0;

        /// <summary>Updates (2 s) the last confident rate is held under the gate before the rate is withheld.</summary>
        public int TrackerHoldUpdates = 5;

        // --- Alarms (rates in bpm, durations in s) ---

        /// <summary>Bradycardia below this rate.</summary>
        public int BradycardiaBpm = 40;

        /// <summary>Bradycardia clears above this rate.</summary>
        public int BradycardiaClearBpm = 45;

        /// <summary>Tachycardia above this rate at rest.</summary>
        public int TachycardiaBpm = 140;

        /// <summary>Tachycardia clears below this rate at rest.</summary>
        public int TachycardiaClearBpm = 130;

        /// <summary>Tachycardia limit while exercising (moving, or within ExerciseHoldSeconds after).</summary>
        public int ExerciseTachycardiaBpm = 200;

        /// <summary>Irregular-rhythm alarm when the irregularity (RMSSD / mean interval of the last 30 s,
        /// ‰) reaches this.</summary>
        public int IrregularPermille = 60;

        /// <summary>Irregular rhythm clears below this (‰).</summary>
        public int IrregularClearPermille = 45;

        /// <summary>No pulse: no beat for this long (ms) while the sensor is on.</summary>
        public int NoPulseMs = 4000;

        /// <summary>Seconds a condition must hold before its alarm is raised (brady, tachy).</summary>
        public int RateOnsetSeconds = 2;

        /// <summary>At rest, a steady run of beats at or above this rate raises tachycardia at once, without
        /// RateOnsetSeconds (0 disables).</summary>
        public int UrgentTachycardiaBpm = 150;

        /// <summary>A steady run of clean beats at or below this rate raises bradycardia at once (0 disables).</summary>
        public int UrgentBradycardiaBpm = 30;

        /// <summary>Spectral confidence (‰) from which a spectral rate at half the beat rate replaces the beats
        /// for bradycardia (a slow pulse with a dicrotic wave counted twice); 0 disables.</summary>
        public int SpectralBradycardiaConfidencePermille = 200;

        /// <summary>A fast run of beats at rest that are not clean (signal quality Fair: intervals off their median)
        /// is a tachycardia only if the band-passed pulse wave of the last TachyPeriodicityWindowMs repeats itself
        /// at the beat interval: its autocorrelation there (‰, Beats/PulsePeriodicity) must reach this. Below it
        /// the beats are not one per pulse (artefact, or a dicrotic wave counted) and the rate is not judged
        /// (0 disables).</summary>
        public int TachyPeriodicityPermille = 50;

        /// <summary>Window (ms) of the pulse-wave periodicity check: short enough that a sudden onset fills it. The
        /// window plus the beat interval must fit the monitor's 10 s PPG ring, or the check never judges.</summary>
        public int TachyPeriodicityWindowMs = 2000;

        /// <summary>A pause in progress counts as the rhythm's interval for bradycardia only up to this share (‰) of
        /// the median interval of the beats before it; a longer one is a gap in the pulse (a dropout, or an
        /// asystole the no-pulse rules judge), not a slow rhythm (0: every pause counts).</summary>
        public int BradyPausePermille = 3500;

        // --- Bradycardia on beats (Beats/DominantPulseRate.cs; chosen by cross-validation on CinC 2015,
        //     docs/alarm-rules.md) ---

        /// <summary>A beat whose upstroke is under this share (%) of the last dominant pulse's, within
        /// BradyEchoMaxMs of it, is that pulse's echo (a slow pulse's diastolic wave or the band-pass's rebound),
        /// not a pulse of its own. 0 disables the beat judgement of bradycardia.</summary>
        public int BradyEchoPercent = 40;

        /// <summary>Longest delay (ms) from a dominant pulse to its echo; a small beat later than this is a weak
        /// pulse, not an echo.</summary>
        public int BradyEchoMaxMs = 1200;

        /// <summary>Dominant-pulse intervals averaged for the judgement: their mean (pause in progress included)
        /// over 60000 / BradycardiaBpm ms is bradycardia, and vetoes a tachycardia.</summary>
        public int BradyDominantIntervals = 3;

        /// <summary>The smallest upstroke of those dominant pulses must reach this share (%) of the largest (a
        /// slow rhythm of real pulses, not scattered beats of a noisy line).</summary>
        public int BradyConsistentPercent = 50;

        /// <summary>Pulse collapse (ventricular tachycardia in the PPG): the median upstroke of the beats of the
        /// last 3 s at or below this share (‰) of the 8 s before …</summary>
        public int PulseCollapseSizePermille = 750;

        /// <summary>… and their median interval at or below this share (‰): raises tachycardia at once (0 disables).</summary>
        public int PulseCollapseIntervalPermille = 750;

        // --- Small fast pulses after a steady rhythm (ventricular tachycardia in the PPG; Beats/PulseChangeDetector
        //     SmallFastRun; chosen by cross-validation on CinC 2015, docs/alarm-rules.md) ---

        /// <summary>Upstrokes in a run: the last this many upstrokes of the last 3 s must all be small and early
        /// (0 disables the rule, its longer any-rhythm form too). Two is what a single ectopic beat and its neighbour make.</summary>
        public int SmallRunBeats = 3;

        /// <summary>Each upstroke of the run at most this share (‰) of the median beat of the 8 s before.</summary>
        public int SmallRunSizePermille = 700;

        /// <summary>Each interval of the run at most this share (‰) of the median beat interval before.</summary>
        public int SmallRunIntervalPermille = 850;

        /// <summary>Upstrokes under this share (‰) of the median beat before are ripples, not pulses.</summary>
        public int SmallRunFloorPermille = 200;

        /// <summary>The run's longest interval at most this share (‰) of its shortest.</summary>
        public int SmallRunRegularityPermille = 1600;

        /// <summary>The rhythm before must be steady: its longest interval at most this share (‰) of the shortest.</summary>
        public int SmallRunSteadyPermille = 1300;

        /// <summary>The run may have ended: up to this many upstrokes of any size may follow it in the last 3 s
        /// (a short VT that gave way to a normal beat within the same step). 0: the run must be the newest.</summary>
        public int SmallRunEndedBeats = 2;

        /// <summary>The upstroke that ended the run comes at least this share (‰) of the run's shortest interval
        /// after it: the run's cycle is the fastest the ventricle beats, so a full upstroke sooner is the same
        /// pulse's main upstroke after a notch (v687l), not a beat (0: any gap).</summary>
        public int SmallRunEndedGapPermille = 1000;

        /// <summary>A longer run, of this many small early upstrokes, needs no steady rhythm before: ectopic beats
        /// (bigeminy) often come before a VT, and four small fast pulses in a row are evidence enough (0 disables).</summary>
        public int SmallRunAnyRhythmBeats = 4;

        // --- Sudden rate jump (a tachyarrhythmia's onset in the PPG; Beats/PulseChangeDetector RateJump; chosen by
        //     cross-validation on CinC 2015, docs/alarm-rules.md) ---

        /// <summary>Beats in the jump: the last this many beats, all of the last 3 s, must each come early against the
        /// rhythm of the 8 s before (0 disables the rule). Raises tachycardia at once, like a pulse collapse.</summary>
        public int JumpBeats = 4;

        /// <summary>Each of their intervals at most this share (‰) of the median beat interval before.</summary>
        public int JumpIntervalPermille = 850;

        /// <summary>Their longest interval at most this share (‰) of their shortest (a regular run, not ectopy).</summary>
        public int JumpRegularityPermille = 1150;

        /// <summary>Their median rate at or above this (bpm): 100, the rate that defines a ventricular tachycardia.</summary>
        public int JumpRateBpm = 100;

        /// <summary>Their median upstroke at most this share (‰) of the median beat before (a pulse that did not grow:
        /// an arousal's sinus speed-up fills the heart better; off, a465l raised a false tachycardia).</summary>
        public int JumpSizePermille = 1000;

        /// <summary>The rate must be new: their longest interval at most this share (‰) of the shortest interval of
        /// the 8 s before. An irregular rhythm that already beat that fast is fluctuating, not starting (v177l:
        /// 490–870 ms before, then 480–547 ms). The cost: an ectopic beat before the onset that came as early hides it (0: not asked).</summary>
        public int JumpNewRatePermille = 1000;

        /// <summary>Loss of pulsatility: no beat for this long (ms) with the pulse swing at or below
        /// PulseLossAmplitudePermille of the typical pulse is no pulse, before NoPulseMs (0 disables).</summary>
        public int PulseLossMs = 3000;

        /// <summary>Pulse swing (‰ of the typical good pulse) at or below which a pause counts as lost pulsatility.</summary>
        public int PulseLossAmplitudePermille = 250;

        /// <summary>Seconds an irregular rhythm must hold before its alarm is raised (atrial fibrillation is
        /// called from 30 s on).</summary>
        public int IrregularOnsetSeconds = 30;

        /// <summary>Seconds "no pulse" must hold (on top of NoPulseMs) before its alarm is raised.</summary>
        public int NoPulseOnsetSeconds = 1;

        /// <summary>Seconds of bad contact (flat at a rail, clipped, out-of-range DC, or poor signal)
        /// before the sensor-off alarm.</summary>
        public int ContactOnsetSeconds = 10;

        /// <summary>Seconds a condition must be absent before its alarm clears.</summary>
        public int ClearSeconds = 5;

        /// <summary>Seconds between periodic status lines.</summary>
        public int StatusIntervalSeconds = 10;

        // --- Bedside alarm verifier (Alarms/AlarmVerifier.cs: keeps or suppresses a bedside monitor's ECG alarm;
        //     limits and policy chosen by cross-validation on CinC 2015, docs/alarm-verifier.md) ---

        /// <summary>A compatible clinical alarm raised this many seconds before the bedside alarm confirms it.</summary>
        public int VerifierWindowSeconds = 16;

        /// <summary>Seconds (steps) of clean pulse, ending at the bedside alarm, that can refute it (1..8).</summary>
        public int VerifierRefuteSeconds = 3;

        /// <summary>A clean pulse at or above this rate (bpm) refutes a bradycardia alarm (0 disables).</summary>
        public int VerifierBradyRefuteBpm = 55;

        /// <summary>A clean pulse at or below this rate (bpm) refutes a tachycardia alarm (0 disables: a slow
        /// pulse does not rule out a fast rhythm, docs/alarm-verifier.md).</summary>
        public int VerifierTachyRefuteBpm = 0;

        /// <summary>A clean pulse at or below this rate (bpm) refutes a ventricular tachycardia alarm (0 disables: since
        /// the wearable's own VT rules catch 24 of 50, the choice on all records is to trust them and suppress the rest).</summary>
        public int VerifierVtRefuteBpm = 0;

        /// <summary>Bedside alarm types (bit = 1 &lt;&lt; BedsideAlarm) that a PPG without pulse at the alarm (flat, or no
        /// beats) confirms: asystole and flutter/fibrillation stop the cardiac output.</summary>
        public int VerifierPulseLossConfirmsMask = 0x11;

        /// <summary>Bedside alarm types (bit = 1 &lt;&lt; BedsideAlarm) kept when the PPG neither confirms nor refutes
        /// them. With a missed true alarm costing five false ones, a type that is usually true is kept.</summary>
        public int VerifierKeepUncertainMask = 0x06;

        // --- Model ---

        /// <summary>Model class score (‰) from which the model's verdict counts.</summary>
        public int ModelDecisionPermille = 600;

        /// <summary>Seconds between classifications while the gate asks for the model; a verdict stands
        /// until the next one is due.</summary>
        public int ModelIntervalSeconds = 2;

        /// <summary>Seconds a confident "regular" verdict stands while the window stays steady (good signal,
        /// normal rate, irregularity below the alarm level: CheapGate.IsSteady) before the network runs again;
        /// at most ModelIntervalSeconds is used when it is smaller. The irregular alarm needs
        /// IrregularOnsetSeconds of evidence, so a re-check every 20 s delays it little and saves most of the
        /// network's runs on normal rhythm whose irregularity sits between the clear and the alarm level
        /// (10 → 20 s halved the network's share of the typical device budget; `micro evaluate` unchanged).</summary>
        public int ModelRecheckSeconds = 20;
    }
}
