using System;
using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;

namespace Micro.App
{
    /// <summary>
    /// The alarm loop body, the same on every board. Each <see cref="Tick"/> reads what the sensor's FIFO
    /// holds into a ring (<see cref="SampleRing"/>), feeds it sample by sample to the
    /// <see cref="HeartRateMonitor"/>, writes the alert lines of every completed 1 s step (alarms raised or
    /// cleared, periodic status; docs/alert-protocol.md) to the sink, and drives the buzzer and LED from the
    /// active alarms. Everything is allocated in the constructor: a tick allocates nothing.
    /// <para>
    /// Reading is decoupled from the analysis cooperatively: while it works through the ring, the loop
    /// reads the sensor again whenever <see cref="AlarmAppOptions.PollIntervalMs"/> has passed, between
    /// samples and, through <see cref="ISliceHook"/>, between the network's ops, so a slow board loses no
    /// sample as long as no single op or analysis step outlasts the FIFO (32 samples = 640 ms at 50 Hz).
    /// Reading also wins over the network on throughput: while the ring holds a backlog of
    /// <see cref="AlarmAppOptions.ShedBacklogSamples"/> or more, a classification that falls due waits
    /// (<see cref="HeartRateMonitor.DeferModel"/>, counted by <see cref="ModelDeferrals"/>), so a board that
    /// cannot afford the network on every window runs it less often instead of overflowing the FIFO.
    /// When samples are lost anyway (the sensor's overflow counter rises: <see cref="ISampleSource.LostSamples"/>),
    /// the first sample after the loss is marked as a gap and the chain starts over there
    /// (<see cref="HeartRateMonitor.Restart"/>): no filter state, beat, interval or window spans it, and the
    /// lost stretch never silently compresses the time base. <see cref="LostSamples"/> and
    /// <see cref="Overflows"/> count them.
    /// </para>
    /// <para>
    /// A sensor that stops answering (failed reads) or stops delivering (no sample for
    /// <see cref="AlarmAppOptions.SensorLostMs"/>) is restarted with exponential back-off. Nothing is fed to
    /// the monitor meanwhile, so its clock (which counts samples) stands still and no beat can go "missing":
    /// a dead bus can never produce a no-pulse or bradycardia alarm. Instead the loop itself raises the
    /// CONTACT alarm with quality NOSENSOR (sensor unreachable) once the sensor has been silent for
    /// SensorLostMs, keeps sending NOSENSOR status lines carrying it, and clears it with the first sample
    /// after recovery. The samples after a restart are a gap as well. Alarms active before a gap stay active
    /// until the restarted chain clears them. A model that could not be loaded is reported once at start
    /// as a MODEL alarm that stays active (rules-only operation).
    /// </para>
    /// <para>
    /// Every line carries the device uptime of the moment it was written (from <see cref="IClock"/>) and the
    /// active mask = the monitor's alarms | the loop's own (sensor lost, model fault).
    /// </para>
    /// </summary>
    public sealed class AlarmApp : ISliceHook
    {
        private readonly HeartRateMonitor monitor;
        private readonly ISampleSource sensor;
        private readonly IAlertSink sink;
        private readonly IIndicator buzzer;
        private readonly IIndicator led;
        private readonly IClock clock;
        private readonly AlarmAppOptions options;
        private readonly AlertEncoder encoder = new AlertEncoder();
        private readonly byte[] line = new byte[AlertProtocol.MaxLineLength];
        private readonly int[] samples;
        private readonly SampleRing ring;
        private BlobRhythmClassifier classifier;
        private bool modelFault;

        private bool started;
        private int appMask;
        private bool sensorRunning;
        private bool lostReported;
        private bool gapPending;
        private bool polling;
        private long lostSeen;
        private long nextPollMs;
        private long lastPollMs = -1;
        private long longestReadGapMs;
        private int largestBacklog;
        private int failedReads;
        private long lastSampleMs;
        private long sensorStartedMs;
        private long lastRestartMs;
        private long nextRestartMs;
        private long backoffMs;
        private long nextLostStatusMs;
        private bool buzzerOn;
        private bool ledOn;

        private long linesWritten;
        private long sinkErrors;
        private long samplesProcessed;
        private long steps;
        private long restartAttempts;
        private long sensorLosses;
        private long lostSamples;
        private long overflows;

        /// <summary>
        /// Builds the loop. settings.SampleRateMilliHz must equal the sensor's rate. model may be null (rules
        /// only, nothing reported); a model result without a classifier is reported as a model fault. buzzer
        /// and led may be null. options null = defaults.
        /// </summary>
        public AlarmApp(HeartRateSettings settings, ISampleSource sensor, IAlertSink sink, IIndicator buzzer, IIndicator led,
            IClock clock, ModelLoadResult model, AlarmAppOptions options)
        {
            if (settings == null) throw new ArgumentNullException("settings");
            if (sensor == null) throw new ArgumentNullException("sensor");
            if (sink == null) throw new ArgumentNullException("sink");
            if (clock == null) throw new ArgumentNullException("clock");
            if (settings.SampleRateMilliHz != sensor.SampleRateMilliHz)
                throw new ArgumentException("settings say " + settings.SampleRateMilliHz + " mHz, the sensor delivers " + sensor.SampleRateMilliHz + " mHz");
            this.options = options == null ? new AlarmAppOptions() : options;
            if (this.options.MaxSamplesPerRead < 1 || this.options.TickMs < 1 || this.options.SensorLostMs < 1
                || this.options.BufferSamples < this.options.MaxSamplesPerRead || this.options.PollIntervalMs < 1
                || this.options.ShedBacklogSamples < 0 || this.options.ShedBacklogSamples > this.options.BufferSamples)
                throw new ArgumentException("options: MaxSamplesPerRead, TickMs, SensorLostMs and PollIntervalMs must be positive, BufferSamples at least MaxSamplesPerRead, ShedBacklogSamples 0..BufferSamples");
            this.sensor = sensor;
            this.sink = sink;
            this.buzzer = buzzer;
            this.led = led;
            this.clock = clock;
            monitor = new HeartRateMonitor(settings);
            samples = new int[this.options.MaxSamplesPerRead];
            ring = new SampleRing(this.options.BufferSamples);
            AttachModel(model);
        }

        /// <summary>
        /// Installs the model after construction (before <see cref="Start"/>), so firmware can build the
        /// app first and load the model last: if the model does not fit in memory, the app still runs on
        /// rules and reports it. null = rules only, nothing reported; a result without a classifier is
        /// reported as a model fault.
        /// </summary>
        public void AttachModel(ModelLoadResult model)
        {
            if (started) throw new InvalidOperationException("attach the model before Start");
            if (classifier != null) classifier.SliceHook = null;
            classifier = null;
            modelFault = false;
            monitor.SetClassifier(null);
            if (model == null) return;
            classifier = model.Classifier;
            modelFault = model.IsFault;
            if (classifier != null)
            {
                monitor.SetClassifier(classifier);
                classifier.SliceHook = this;
            }
        }

        /// <summary>The heart-rate chain (its Result and Policy describe the last step).</summary>
        public HeartRateMonitor Monitor { get { return monitor; } }

        /// <summary>The classifier in use, or null (rules only).</summary>
        public BlobRhythmClassifier Classifier { get { return classifier; } }

        /// <summary>Active alarms as sent on the last line (bit = 1 &lt;&lt; AlarmKind).</summary>
        public int ActiveMask { get { return Mask(); } }

        /// <summary>SensorState.Running or SensorState.Restarting.</summary>
        public int SensorStatus { get { return sensorRunning ? SensorState.Running : SensorState.Restarting; } }

        /// <summary>True while the loop reports the sensor as lost (CONTACT from silence).</summary>
        public bool SensorLost { get { return lostReported; } }

        public long LinesWritten { get { return linesWritten; } }

        /// <summary>Lines the sink refused (threw).</summary>
        public long SinkErrors { get { return sinkErrors; } }

        public long SamplesProcessed { get { return samplesProcessed; } }

        /// <summary>Completed 1 s analysis steps.</summary>
        public long Steps { get { return steps; } }

        /// <summary>Sensor restart attempts after the first start.</summary>
        public long RestartAttempts { get { return restartAttempts; } }

        /// <summary>Times the sensor was reported lost.</summary>
        public long SensorLosses { get { return sensorLosses; } }

        /// <summary>Samples the sensor dropped (FIFO overflow) since the app started, as the sensor counted them.</summary>
        public long LostSamples { get { return lostSamples; } }

        /// <summary>Classifications deferred because the loop was behind the sensor (load shedding,
        /// <see cref="AlarmAppOptions.ShedBacklogSamples"/>): one per step on which one fell due and waited.</summary>
        public long ModelDeferrals { get { return monitor.ModelDeferrals; } }

        /// <summary>Losses seen (each one a gap where the chain started over).</summary>
        public long Overflows { get { return overflows; } }

        /// <summary>Longest time (ms of the app's clock) between two reads of a running sensor: it must stay
        /// below the FIFO's span (640 ms at 50 Hz) for no sample to be lost.</summary>
        public long LongestReadGapMs { get { return longestReadGapMs; } }

        /// <summary>Most samples that waited in the ring at once (read, not yet analysed) since the app started.</summary>
        public int LargestBacklog { get { return largestBacklog; } }

        /// <summary>Samples read and waiting for analysis.</summary>
        public int Buffered { get { return ring.Count; } }

        /// <summary>Buzzer state last set.</summary>
        public bool BuzzerIsOn { get { return buzzerOn; } }

        /// <summary>LED state last set.</summary>
        public bool LedIsOn { get { return ledOn; } }

        /// <summary>
        /// Writes the BOOT line (and the MODEL alarm when the model could not be loaded), switches the
        /// outputs off and starts the sensor. Called by the first Tick if not called before.
        /// </summary>
        public void Start()
        {
            if (started) return;
            started = true;
            long now = clock.UptimeMs;
            if (buzzer != null) buzzer.Set(false);
            if (led != null) led.Set(false);
            Emit(encoder.EncodeBoot(now, line, 0));
            if (modelFault)
            {
                appMask |= AlarmKinds.Bit(AlarmKind.ModelFault);
                Emit(encoder.Encode(AlertProtocol.AlarmToken(AlarmKind.ModelFault), AlertProtocol.PhaseOn, now, 0, 100, -1,
                    SignalQuality.Poor, false, Mask(), line, 0));
            }
            lastSampleMs = now;
            backoffMs = options.RestartBackoffMinMs;
            lastRestartMs = now;
            sensorStartedMs = now;
            sensorRunning = sensor.TryStart();
            lostSeen = 0;
            if (!sensorRunning) ScheduleRestart(now);
        }

        /// <summary>
        /// One pass of the loop. Returns how long to wait (ms) before the next call to keep the TickMs period.
        /// Allocates nothing.
        /// </summary>
        public int Tick()
        {
            if (!started) Start();
            long tickStart = clock.UptimeMs;
            long now = tickStart;
            if (sensorRunning) Poll(now);
            else if (now >= nextRestartMs) Restart(now);
            Analyse();
            now = clock.UptimeMs;

            long quietSince = lastSampleMs > sensorStartedMs ? lastSampleMs : sensorStartedMs;
            if (sensorRunning && now - quietSince >= options.SensorLostMs) ScheduleRestart(now);

            if (!lostReported && now - lastSampleMs >= options.SensorLostMs) ReportLost(now);
            else if (lostReported && options.LostStatusIntervalMs > 0 && now >= nextLostStatusMs) LostStatus(now);

            UpdateIndicators(now);
            long wait = tickStart + options.TickMs - clock.UptimeMs;
            if (wait < 0) wait = 0;
            return (int)wait;
        }

        /// <summary>Reads what the sensor holds into the ring (up to MaxReadsPerTick batches, as far as the ring has room).</summary>
        private void Poll(long now)
        {
            if (polling) return;
            polling = true;
            nextPollMs = now + options.PollIntervalMs;
            if (lastPollMs >= 0 && now - lastPollMs > longestReadGapMs) longestReadGapMs = now - lastPollMs;
            lastPollMs = now;
            int[] buf = samples;
            for (int r = 0; r < options.MaxReadsPerTick; r++)
            {
                int room = ring.Free;
                if (room > buf.Length) room = buf.Length;
                if (room == 0)
                {
                    // Behind, not silent: the samples wait in the sensor's FIFO.
                    lastSampleMs = now;
                    break;
                }
                int n;
                if (!sensor.TryRead(buf, room, out n))
                {
                    failedReads++;
                    if (failedReads >= options.FailedReadsBeforeRestart) ScheduleRestart(now);
                    break;
                }
                failedReads = 0;
                long lost = sensor.LostSamples;
                if (lost != lostSeen)
                {
                    // The sensor dropped samples before these: they do not continue the ones before.
                    lostSamples += lost > lostSeen ? lost - lostSeen : lost;
                    lostSeen = lost;
                    overflows++;
                    gapPending = true;
                }
                if (n <= 0) break;
                if (n > room) n = room;
                lastSampleMs = now;
                backoffMs = options.RestartBackoffMinMs;
                if (lostReported) Recover(now);
                ring.Put(buf, n, gapPending);
                gapPending = false;
                if (ring.Count > largestBacklog) largestBacklog = ring.Count;
                if (n < room) break;
            }
            polling = false;
        }

        /// <summary>
        /// Samples analysed between two looks at the clock while no step completes. A sample that ends no step
        /// costs a few µs of nanoCLR (a few ms on a board 500× slower), less than reading the clock
        /// (DateTime or TickCount64: a native call), so the poll check waits for 8 of them: a read comes at most
        /// that much later, far inside the FIFO's 640 ms. A step (analysis, spectrum, network) is always followed by a check.
        /// </summary>
        public const int PollCheckSamples = 8;

        /// <summary>Feeds the ring to the monitor, reading the sensor again whenever a poll is due.</summary>
        private void Analyse()
        {
            SampleRing q = ring;
            HeartRateMonitor m = monitor;
            int shed = options.ShedBacklogSamples;
            // The ring's count, read again only where it can grow: after a poll, and after a step (the
            // network's slices poll through ISliceHook); no call per sample for it.
            int left = q.Count;
            int check = 0;   // samples left before the clock is read again
            while (left > 0)
            {
                // Behind the sensor: the network waits (load shedding), the chain and the rules go on.
                m.DeferModel = shed > 0 && left >= shed;
                bool gap;
                int v = q.Take(out gap);
                left--;
                if (gap && samplesProcessed > 0) m.Restart();
                samplesProcessed++;
                if (m.AddSample(v))
                {
                    OnStep(clock.UptimeMs);
                    left = q.Count;
                    check = 0;
                }
                // BetweenSlices, written out (one call less per sample), after every step (the long work) and
                // every PollCheckSamples samples between steps (the clock read is dearer than such a sample).
                if (sensorRunning && --check < 0)
                {
                    check = PollCheckSamples - 1;
                    long now = clock.UptimeMs;
                    if (now >= nextPollMs)
                    {
                        Poll(now);
                        left = q.Count;
                    }
                }
            }
        }

        /// <summary>Reads the sensor if a poll is due (between samples and between the network's ops).</summary>
        public void BetweenSlices()
        {
            if (!sensorRunning) return;
            long now = clock.UptimeMs;
            if (now >= nextPollMs) Poll(now);
        }

        private void ScheduleRestart(long now)
        {
            sensorRunning = false;
            lastPollMs = -1;
            // Whatever the sensor gives after a restart does not continue what it gave before.
            gapPending = true;
            nextRestartMs = lastRestartMs + backoffMs;
            if (nextRestartMs < now) nextRestartMs = now;
        }

        private void Restart(long now)
        {
            restartAttempts++;
            lastRestartMs = now;
            failedReads = 0;
            bool ok = sensor.TryStart();
            lostSeen = 0;
            long next = backoffMs * 2;
            backoffMs = next > options.RestartBackoffMaxMs ? options.RestartBackoffMaxMs : next;
            if (ok)
            {
                sensorRunning = true;
                sensorStartedMs = now;
            }
            else
            {
                nextRestartMs = now + backoffMs;
            }
        }

        private void OnStep(long now)
        {
            steps++;
            AnalysisResult r = monitor.Result;
            AlarmPolicy policy = monitor.Policy;
            int mask = Mask();
            for (int e = 0; e < policy.EventCount; e++)
            {
                AlarmEvent ev = policy.GetEvent(e);
                Emit(encoder.Encode(AlertProtocol.AlarmToken(ev.Kind), ev.Raised ? AlertProtocol.PhaseOn : AlertProtocol.PhaseOff, now,
                    ev.RateBpm, ev.ConfidencePercent, r.IrregularityPermille, r.Quality, r.Moving, mask, line, 0));
            }
            if (r.StatusDue)
            {
                Emit(encoder.Encode(AlertProtocol.StatusKind, AlertProtocol.NoValue, now, r.RateBpm, r.RateConfidencePercent,
                    r.IrregularityPermille, r.Quality, r.Moving, mask, line, 0));
            }
        }

        private void ReportLost(long now)
        {
            lostReported = true;
            sensorLosses++;
            int bit = AlarmKinds.Bit(AlarmKind.SensorOff);
            bool wasActive = (Mask() & bit) != 0;
            appMask |= bit;
            if (!wasActive)
            {
                Emit(encoder.Encode(AlertProtocol.AlarmToken(AlarmKind.SensorOff), AlertProtocol.PhaseOn, now, 0, 100, -1,
                    SignalQuality.Unreachable, false, Mask(), line, 0));
            }
            nextLostStatusMs = now + options.LostStatusIntervalMs;
        }

        private void LostStatus(long now)
        {
            Emit(encoder.Encode(AlertProtocol.StatusKind, AlertProtocol.NoValue, now, 0, 0, -1, SignalQuality.Unreachable, false, Mask(), line, 0));
            nextLostStatusMs = now + options.LostStatusIntervalMs;
        }

        private void Recover(long now)
        {
            lostReported = false;
            int bit = AlarmKinds.Bit(AlarmKind.SensorOff);
            appMask &= ~bit;
            if ((Mask() & bit) == 0)
            {
                Emit(encoder.Encode(AlertProtocol.AlarmToken(AlarmKind.SensorOff), AlertProtocol.PhaseOff, now, 0, 100, -1,
                    SignalQuality.Poor, false, Mask(), line, 0));
            }
        }

        private int Mask()
        {
            return monitor.Policy.ActiveMask | appMask;
        }

        private void UpdateIndicators(long now)
        {
            int severity = AlarmSeverity.FromMask(Mask());
            bool b = AlarmSeverity.BuzzerOn(severity, now);
            bool l = AlarmSeverity.LedOn(severity, now);
            if (b != buzzerOn)
            {
                buzzerOn = b;
                if (buzzer != null) SetSafely(buzzer, b);
            }
            if (l != ledOn)
            {
                ledOn = l;
                if (led != null) SetSafely(led, l);
            }
        }

        private static void SetSafely(IIndicator indicator, bool on)
        {
            try
            {
                indicator.Set(on);
            }
            catch (Exception)
            {
                // A broken buzzer or LED must not stop the alarm lines.
            }
        }

        private void Emit(int length)
        {
            try
            {
                sink.Write(line, length);
                linesWritten++;
            }
            catch (Exception)
            {
                sinkErrors++;
            }
        }
    }
}
