using Micro.Drivers;

namespace Micro.Drivers.Tests;

[TestClass]
public sealed class Max30102Tests
{
    private static Max30102Model NewModel() => new(PpgWaveform.Red, PpgWaveform.Ir);

    /// <summary>No averaging, 18 bits: every FIFO sample is one waveform value.</summary>
    private static Max30102Configuration RawConfiguration(bool rollover = true) => new()
    {
        Mode = Max30102Mode.SpO2,
        SampleRate = Max30102SampleRate.Sps100,
        PulseWidth = Max30102PulseWidth.Us411,
        SampleAveraging = Max30102SampleAveraging.One,
        FifoRollover = rollover,
    };

    private static Max30102 Initialized(Max30102Model model, Max30102Configuration configuration)
    {
        var sensor = new Max30102(model);
        Assert.IsTrue(sensor.TryInitialize(configuration), sensor.DescribeLastError());
        return sensor;
    }

    [TestMethod]
    public void InitializeWritesTheDatasheetRegisterValues()
    {
        var model = NewModel();
        var sensor = Initialized(model, new Max30102Configuration());

        // Defaults: SMP_AVE=010 (4), ROLLOVER=1, FIFO_A_FULL=0xF -> 0101_1111.
        Assert.AreEqual(0x5F, model.Peek(0x08));
        // SHDN=0, RESET=0, MODE=011 (SpO2).
        Assert.AreEqual(0x03, model.Peek(0x09));
        // SPO2_ADC_RGE=01 (4096 nA), SPO2_SR=011 (400 sps), LED_PW=11 (411 us) -> 0010_1111.
        Assert.AreEqual(0x2F, model.Peek(0x0A));
        // 0x23 x 0.2 mA = 7.0 mA on both LEDs.
        Assert.AreEqual(0x23, model.Peek(0x0C));
        Assert.AreEqual(0x23, model.Peek(0x0D));
        // A_FULL_EN only; no die-temperature interrupt.
        Assert.AreEqual(0x80, model.Peek(0x02));
        Assert.AreEqual(0x00, model.Peek(0x03));
        // FIFO empty and the power-up PWR_RDY flag read (cleared).
        Assert.AreEqual(0, model.Peek(0x04));
        Assert.AreEqual(0, model.Peek(0x05));
        Assert.AreEqual(0, model.Peek(0x06));
        Assert.AreEqual(0, model.Peek(0x00));
        Assert.AreEqual(0x15, sensor.PartId);
        Assert.AreEqual(2, sensor.ChannelCount);
        Assert.AreEqual(100_000, new Max30102Configuration().FifoSampleRateMilliHz);
    }

    [TestMethod]
    public void InitializeWritesRegistersInTheDatasheetOrder()
    {
        var model = NewModel();
        Initialized(model, new Max30102Configuration());

        (int, int)[] expected =
        {
            (0x09, 0x40), // MODE_CONFIG.RESET
            (0x08, 0x5F), // FIFO_CONFIG
            (0x0A, 0x2F), // SPO2_CONFIG
            (0x0C, 0x23), // LED1_PA (red)
            (0x0D, 0x23), // LED2_PA (IR)
            (0x02, 0x80), // INT_ENABLE_1
            (0x03, 0x00), // INT_ENABLE_2
            (0x09, 0x03), // MODE = SpO2: from here the FIFO pointers are writable
            (0x04, 0x00), // FIFO_WR_PTR, OVF_COUNTER, FIFO_RD_PTR cleared in one burst
            (0x05, 0x00),
            (0x06, 0x00),
        };
        CollectionAssert.AreEqual(expected, model.Writes());
    }

    [TestMethod]
    public void InitializeEmptiesAFifoThatHeldOldSamples()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        model.Produce(20);

        // Re-initialising resets the chip and clears the pointers only after the mode is set
        // (the datasheet allows pointer writes only in a valid mode), so no stale sample survives.
        Assert.IsTrue(sensor.TryInitialize(RawConfiguration()));
        Assert.AreEqual(0, model.UnreadSamples);
        var red = new int[32];
        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 32, out int n));
        Assert.AreEqual(0, n);
    }

    [TestMethod]
    public void ReadsThePpgWaveformExactlyInChunks()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        int total = 1500;
        var red = new int[total];
        var ir = new int[total];
        int got = 0;
        int[] produce = { 7, 3, 12, 1, 25, 9 };
        int[] chunk = { 5, 32, 1, 8, 13, 32 }; // keeps at most 29 samples waiting: no overflow
        int step = 0;
        while (got < total)
        {
            Assert.IsTrue(step < 1000, "stalled at " + got + " samples");
            model.Produce(Math.Min(produce[step % produce.Length], total - model.WavePosition));
            int want = Math.Min(chunk[step % chunk.Length], total - got);
            Assert.IsTrue(sensor.TryReadSamples(red, ir, got, want, out int n), sensor.DescribeLastError());
            Assert.IsTrue(n <= want);
            got += n;
            step++;
        }

        CollectionAssert.AreEqual(PpgWaveform.Red.Take(total).ToArray(), red);
        CollectionAssert.AreEqual(PpgWaveform.Ir.Take(total).ToArray(), ir);
        Assert.AreEqual(0, sensor.LostSamples);
        Assert.AreEqual(0, model.EmptyFifoReads, "the driver must never read an empty FIFO");
        Assert.AreEqual(total * 6, model.FifoBytesRead, "6 bytes per SpO2 sample, each read once");
    }

    [TestMethod]
    public void PointersWrapAroundTheFifo()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        var red = new int[200];
        int got = 0, wraps = 0, previousWrite = 0;
        for (int round = 0; round < 10; round++)
        {
            model.Produce(20);
            Assert.IsTrue(sensor.TryReadFifoPointers(out int write, out int overflow, out int read));
            Assert.AreEqual(0, overflow);
            Assert.AreEqual(20, (write - read) & 31, "20 unread samples whatever the pointer values");
            if (write < previousWrite) wraps++;
            previousWrite = write;
            Assert.IsTrue(sensor.TryReadSamples(red, null, got, 20, out int n));
            Assert.AreEqual(20, n);
            got += n;
        }

        Assert.IsTrue(wraps >= 5, "200 samples through a 32-deep FIFO wrap the write pointer 6 times, saw " + wraps);
        CollectionAssert.AreEqual(PpgWaveform.Red.Take(200).ToArray(), red);
    }

    [TestMethod]
    public void OverflowWithRolloverKeepsTheNewestSamplesAndCountsTheLost()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration(rollover: true));
        model.Produce(40);
        Assert.AreEqual(8, model.Peek(0x05), "OVF_COUNTER: 8 samples overwritten");

        var red = new int[64];
        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 64, out int n));
        Assert.AreEqual(32, n);
        Assert.AreEqual(8, sensor.LostSamples);
        Assert.AreEqual(8, sensor.LastOverflowCount);
        CollectionAssert.AreEqual(PpgWaveform.Red.Skip(8).Take(32).ToArray(), red.Take(32).ToArray());

        // Recovery: OVF_COUNTER was cleared by the first pop; the stream continues without a gap.
        model.Produce(10);
        Assert.IsTrue(sensor.TryReadSamples(red, null, 32, 32, out n));
        Assert.AreEqual(10, n);
        Assert.AreEqual(8, sensor.LostSamples);
        CollectionAssert.AreEqual(PpgWaveform.Red.Skip(40).Take(10).ToArray(), red.Skip(32).Take(10).ToArray());
    }

    [TestMethod]
    public void OverflowWithoutRolloverKeepsTheOldestSamplesAndCountsTheLost()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration(rollover: false));
        model.Produce(45);

        var red = new int[64];
        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 64, out int n));
        Assert.AreEqual(32, n);
        Assert.AreEqual(13, sensor.LostSamples);
        CollectionAssert.AreEqual(PpgWaveform.Red.Take(32).ToArray(), red.Take(32).ToArray());

        model.Produce(5);
        Assert.IsTrue(sensor.TryReadSamples(red, null, 32, 32, out n));
        Assert.AreEqual(5, n);
        CollectionAssert.AreEqual(PpgWaveform.Red.Skip(45).Take(5).ToArray(), red.Skip(32).Take(5).ToArray(),
            "after the gap the samples are the ones produced after the reader caught up");
    }

    [TestMethod]
    public void OverflowCounterSaturatesAt31()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        model.Produce(32 + 100);
        var red = new int[32];
        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 32, out int n));
        Assert.AreEqual(32, n);
        Assert.AreEqual(31, sensor.LostSamples, "OVF_COUNTER saturates at 0x1F");
        Assert.IsTrue(sensor.LostSamplesSaturated);
        CollectionAssert.AreEqual(PpgWaveform.Red.Skip(100).Take(32).ToArray(), red);
    }

    [TestMethod]
    public void ExactlyFullFifoReadsAsEmptyUntilTheNextSampleOverflows()
    {
        // WR == RD with OVF_COUNTER == 0 means empty or exactly full: the driver cannot tell
        // (documented in Max30102's remarks). The next sample overflows and is counted.
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        model.Produce(32);
        var red = new int[32];
        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 32, out int n));
        Assert.AreEqual(0, n);
        model.Produce(1);
        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 32, out n));
        Assert.AreEqual(32, n);
        Assert.AreEqual(1, sensor.LostSamples);
        CollectionAssert.AreEqual(PpgWaveform.Red.Skip(1).Take(32).ToArray(), red);
    }

    [TestMethod]
    public void UnpluggedSensorReturnsFalseWithoutExceptionsAndRecovers()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        model.Produce(10);
        model.Connected = false;

        var red = new int[32];
        for (int i = 0; i < 1000; i++)
        {
            Assert.IsFalse(sensor.TryReadSamples(red, null, 0, 32, out int n));
            Assert.AreEqual(0, n);
        }

        Assert.AreEqual(Max30102Error.BusError, sensor.LastError);
        Assert.AreEqual(BusStatus.NotAcknowledged, sensor.LastBusStatus);
        StringAssert.Contains(sensor.DescribeLastError(), "did not answer");
        Assert.IsFalse(sensor.TryReadInterruptStatus(out _));
        Assert.IsFalse(sensor.TryMeasureTemperature(out _));
        Assert.IsFalse(sensor.TryInitialize(RawConfiguration()));

        model.Connected = true;
        Assert.IsTrue(sensor.TryInitialize(RawConfiguration()), sensor.DescribeLastError());
        model.Produce(4);
        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 32, out int again));
        Assert.AreEqual(4, again);
    }

    [TestMethod]
    public void UnpluggedAtStartUpThrowsOneClearException()
    {
        var model = NewModel();
        model.Connected = false;
        var sensor = new Max30102(model);
        var e = Assert.ThrowsExactly<Max30102Exception>(() => sensor.Initialize(new Max30102Configuration()));
        Assert.AreEqual(Max30102Error.BusError, e.Error);
        StringAssert.Contains(e.Message, "0x57");
        Assert.AreEqual(1, model.Transactions, "one failed transaction, no retry storm");
    }

    [TestMethod]
    public void FailedFifoTransferRewindsTheReadPointerSoNoSampleIsLost()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        model.Produce(12);
        model.FailNextFifoReadAfterBytes = 20; // 4 samples popped (first bytes at 0, 6, 12, 18), then the transfer breaks

        var red = new int[12];
        Assert.IsFalse(sensor.TryReadSamples(red, null, 0, 12, out int n));
        Assert.AreEqual(0, n);
        Assert.AreEqual(BusStatus.Partial, sensor.LastBusStatus);
        Assert.AreEqual(12, model.UnreadSamples, "the read pointer was written back");

        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 12, out n));
        Assert.AreEqual(12, n);
        CollectionAssert.AreEqual(PpgWaveform.Red.Take(12).ToArray(), red);
    }

    [TestMethod]
    public void WrongPartIdIsAClearError()
    {
        var model = NewModel();
        model.PartId = 0x11; // a MAX30100 answers at the same address
        var sensor = new Max30102(model);

        Assert.IsFalse(sensor.TryInitialize(new Max30102Configuration()));
        Assert.AreEqual(Max30102Error.WrongPartId, sensor.LastError);
        Assert.AreEqual(0x11, sensor.PartId);
        string message = sensor.DescribeLastError();
        StringAssert.Contains(message, "0x11");
        StringAssert.Contains(message, "0x15");
        StringAssert.Contains(message, "MAX30100");
        Assert.AreEqual(0, model.Peek(0x09), "nothing is configured on a foreign chip");

        var e = Assert.ThrowsExactly<Max30102Exception>(() => sensor.Initialize(new Max30102Configuration()));
        Assert.AreEqual(Max30102Error.WrongPartId, e.Error);
        Assert.AreEqual(message, e.Message);
    }

    [TestMethod]
    public void ResetPollsUntilTheBitClearsAndTimesOutIfItNeverDoes()
    {
        var model = NewModel();
        model.ResetBusyReads = 5;
        var sensor = Initialized(model, RawConfiguration());
        Assert.AreEqual(0x03, model.Peek(0x09));

        model.ResetBusyReads = int.MaxValue;
        Assert.IsFalse(sensor.TryReset());
        Assert.AreEqual(Max30102Error.ResetTimeout, sensor.LastError);
        Assert.IsFalse(sensor.TryReadSamples(new int[1], null, 0, 1, out _));
        Assert.AreEqual(Max30102Error.NotConfigured, sensor.LastError, "a reset forgets the configuration");
    }

    [TestMethod]
    public void TemperatureConversionFollowsTheDatasheetExample()
    {
        // Datasheet, "Temperature Fraction": the fraction adds as a positive value even with a
        // negative integer part: -128 °C + 0.5 °C = -127.5 °C (TINT 0x80, TFRAC 0x8).
        Assert.AreEqual(-2040, Max30102.TemperatureFromRegisters(0x80, 0x08));
        Assert.AreEqual(-127_500, Max30102.SixteenthsToMilliCelsius(-2040));
        // Table "Temperature Integer": 0x7F = +127, 0xFF = -1; TFRAC's upper nibble is not data.
        Assert.AreEqual(127 * 16, Max30102.TemperatureFromRegisters(0x7F, 0x00));
        Assert.AreEqual(-16 + 15, Max30102.TemperatureFromRegisters(0xFF, 0xFF));

        var model = NewModel();
        model.DieTemperatureSixteenths = -2040;
        var sensor = Initialized(model, RawConfiguration());
        Assert.IsTrue(sensor.TryMeasureTemperature(out int sixteenths), sensor.DescribeLastError());
        Assert.AreEqual(-2040, sixteenths);
        Assert.AreEqual(0x80, model.Peek(0x1F));
        Assert.AreEqual(0x08, model.Peek(0x20));
        Assert.AreEqual(0, model.Peek(0x01) & 0x02, "reading TEMP_FRAC cleared DIE_TEMP_RDY");

        model.DieTemperatureSixteenths = 36 * 16 + 9; // 36.5625 °C
        Assert.IsTrue(sensor.TryStartTemperatureConversion());
        Assert.IsFalse(sensor.TryReadTemperature(out _));
        Assert.AreEqual(Max30102Error.NotReady, sensor.LastError);
        Assert.IsTrue(sensor.TryMeasureTemperature(out sixteenths));
        Assert.AreEqual(36_562, Max30102.SixteenthsToMilliCelsius(sixteenths));
    }

    [TestMethod]
    public void InterruptFlagsAreSetByTheFifoAndClearedOnRead()
    {
        var model = NewModel();
        var config = RawConfiguration();
        config.FifoAlmostFullEmptySlots = 12; // A_FULL at 20 unread samples
        var sensor = Initialized(model, config);

        model.Produce(19);
        Assert.IsTrue(sensor.TryReadInterruptStatus(out int flags));
        Assert.AreEqual(Max30102Interrupts.PpgReady, flags);
        model.Produce(1);
        Assert.IsTrue(sensor.TryReadInterruptStatus(out flags));
        Assert.AreEqual(Max30102Interrupts.AlmostFull | Max30102Interrupts.PpgReady, flags);
        Assert.IsTrue(sensor.TryReadInterruptStatus(out flags));
        Assert.AreEqual(0, flags, "reading the status cleared it");

        model.PowerOn(); // brown-out: registers back at reset values, PWR_RDY raised
        Assert.IsTrue(sensor.TryReadInterruptStatus(out flags));
        Assert.AreEqual(Max30102Interrupts.PowerReady, flags & Max30102Interrupts.PowerReady);
    }

    [TestMethod]
    public void HeartRateModeReadsOneChannelOfThreeBytes()
    {
        var model = NewModel();
        var config = new Max30102Configuration
        {
            Mode = Max30102Mode.HeartRate,
            SampleRate = Max30102SampleRate.Sps3200,
            PulseWidth = Max30102PulseWidth.Us69,
            SampleAveraging = Max30102SampleAveraging.One,
        };
        Assert.IsNull(config.Validate(), "3200 sps at 69 us is allowed with one channel (table 12)");
        var sensor = Initialized(model, config);
        Assert.AreEqual(0x02, model.Peek(0x09));
        Assert.AreEqual(1, sensor.ChannelCount);

        model.Produce(30);
        var red = new int[30];
        var ir = Enumerable.Repeat(-1, 30).ToArray();
        Assert.IsTrue(sensor.TryReadSamples(red, ir, 0, 30, out int n));
        Assert.AreEqual(30, n);
        Assert.AreEqual(90, model.FifoBytesRead);
        // 69 us pulses give 15 bits, left-justified: the low 3 bits are 0.
        CollectionAssert.AreEqual(PpgWaveform.Red.Take(30).Select(v => v & ~7).ToArray(), red);
        Assert.IsTrue(ir.All(v => v == 0), "IR is not sampled in heart-rate mode");
    }

    [TestMethod]
    public void MultiLedModeRoutesEachSlotToItsLed()
    {
        var model = NewModel();
        var config = RawConfiguration();
        config.Mode = Max30102Mode.MultiLed;
        config.Slot1 = Max30102Led.Ir;
        config.Slot2 = Max30102Led.Red;
        var sensor = Initialized(model, config);
        Assert.AreEqual(0x12, model.Peek(0x11), "SLOT2=001 (red), SLOT1=010 (IR)");
        Assert.AreEqual(0x07, model.Peek(0x09));

        model.Produce(16);
        var red = new int[16];
        var ir = new int[16];
        Assert.IsTrue(sensor.TryReadSamples(red, ir, 0, 16, out int n));
        Assert.AreEqual(16, n);
        CollectionAssert.AreEqual(PpgWaveform.Red.Take(16).ToArray(), red);
        CollectionAssert.AreEqual(PpgWaveform.Ir.Take(16).ToArray(), ir);
    }

    [TestMethod]
    public void AveragingDecimatesOnChip()
    {
        var model = NewModel();
        var config = RawConfiguration();
        config.SampleAveraging = Max30102SampleAveraging.Eight;
        var sensor = Initialized(model, config);
        model.Produce(10);
        var red = new int[10];
        Assert.IsTrue(sensor.TryReadSamples(red, null, 0, 10, out int n));
        Assert.AreEqual(10, n);
        Assert.AreEqual(80, model.WavePosition);
        for (int i = 0; i < 10; i++)
            Assert.AreEqual(PpgWaveform.Red.Skip(8 * i).Take(8).Sum() / 8, red[i]);
    }

    [TestMethod]
    public void InvalidConfigurationIsRejectedBeforeAnyWrite()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        int before = model.Transactions;

        var tooFast = RawConfiguration();
        tooFast.SampleRate = Max30102SampleRate.Sps3200; // two channels: never allowed (table 11)
        tooFast.PulseWidth = Max30102PulseWidth.Us69;
        Assert.IsFalse(sensor.TryConfigure(tooFast));
        Assert.AreEqual(Max30102Error.InvalidConfiguration, sensor.LastError);
        StringAssert.Contains(sensor.DescribeLastError(), "table 11");

        var slots = RawConfiguration();
        slots.Mode = Max30102Mode.MultiLed;
        slots.Slot1 = Max30102Led.None;
        slots.Slot2 = Max30102Led.Red;
        Assert.IsFalse(sensor.TryConfigure(slots));
        StringAssert.Contains(sensor.LastConfigurationError, "Slot1");

        var threshold = RawConfiguration();
        threshold.FifoAlmostFullEmptySlots = 16;
        Assert.IsFalse(sensor.TryConfigure(threshold));
        Assert.AreEqual(before, model.Transactions, "nothing was written");

        // The table in numbers: SpO2 at 411 us stops at 400 sps, HR at 411 us at 800 sps.
        var spo2 = RawConfiguration();
        spo2.SampleRate = Max30102SampleRate.Sps400;
        Assert.IsNull(spo2.Validate());
        spo2.SampleRate = Max30102SampleRate.Sps800;
        Assert.IsNotNull(spo2.Validate());
        spo2.Mode = Max30102Mode.HeartRate;
        Assert.IsNull(spo2.Validate());
    }

    [TestMethod]
    public void ShutdownStopsSamplingAndWakeUpResumes()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        Assert.IsTrue(sensor.TryShutdown());
        Assert.AreEqual(0x83, model.Peek(0x09));
        model.Produce(10);
        Assert.AreEqual(0, model.UnreadSamples);
        Assert.IsTrue(sensor.TryWakeUp());
        Assert.AreEqual(0x03, model.Peek(0x09));
        model.Produce(10);
        Assert.AreEqual(10, model.UnreadSamples);
    }

    [TestMethod]
    public void ReadingSamplesAllocatesNothingAfterWarmUp()
    {
        var model = NewModel();
        var sensor = Initialized(model, RawConfiguration());
        var red = new int[32];
        var ir = new int[32];
        for (int i = 0; i < 50; i++)
        {
            model.Produce(5);
            sensor.TryReadSamples(red, ir, 0, 32, out _);
            sensor.TryReadInterruptStatus(out _);
            sensor.TryReadTemperature(out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 2000; i++)
        {
            model.Produce(5);
            sensor.TryReadSamples(red, ir, 0, 32, out int n);
            total += n;
            sensor.TryReadInterruptStatus(out _);
            sensor.TryReadFifoPointers(out _, out _, out _);
        }

        model.Connected = false;
        for (int i = 0; i < 100; i++) sensor.TryReadSamples(red, ir, 0, 32, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(10_000, total);
        Assert.AreEqual(0, allocated, "bytes allocated by 2,100 sample reads");
    }
}
