using System;
using System.Threading;

namespace Micro.Drivers
{
    /// <summary>
    /// Driver for the Maxim (Analog Devices) MAX30102 pulse-oximeter and heart-rate sensor.
    /// Portable: runs on nanoFramework 1.x, Meadow and .NET over any <see cref="IRegisterBus"/>.
    /// </summary>
    /// <remarks>
    /// Error policy: every bus operation is a <c>Try…</c> method that returns false on failure and
    /// records why in <see cref="LastError"/> (and <see cref="LastBusStatus"/>); an unplugged sensor
    /// costs one failed transaction per call, never an exception. Only <see cref="Initialize"/>
    /// throws, once, with a readable message. All buffers are allocated in the constructor:
    /// reading samples, status or temperature allocates nothing.
    /// <para>
    /// FIFO (datasheet "FIFO Data Register"): 32 samples; the chip advances FIFO_WR_PTR per sample,
    /// the read pointer advances as samples are read through FIFO_DATA. Unread samples =
    /// (WR − RD) mod 32; when the FIFO is full WR equals RD and OVF_COUNTER counts the samples
    /// lost (saturating at 31), so a non-zero overflow count means 32 samples are waiting.
    /// Exactly 32 unread samples with no loss yet also gives WR = RD and reads as empty: the next
    /// sample then overflows and is reported in <see cref="LostSamples"/>. Read at least every
    /// 31 sample periods to lose nothing.
    /// </para>
    /// </remarks>
    public sealed class Max30102
    {
        /// <summary>The MAX30102's 7-bit I2C address (write 0xAE, read 0xAF).</summary>
        public const byte DefaultI2cAddress = 0x57;

        /// <summary>PART_ID of a MAX30102. (A MAX30100 at the same address answers 0x11.)</summary>
        public const byte ExpectedPartId = 0x15;

        /// <summary>FIFO depth in samples.</summary>
        public const int FifoDepth = 32;

        /// <summary>Largest number of channels per sample (red and IR).</summary>
        public const int MaxChannels = 2;

        /// <summary>Mask of the 18 data bits of a FIFO channel value.</summary>
        public const int SampleMask = 0x3FFFF;

        /// <summary>How many times <see cref="TryReset"/> polls the RESET bit (1 ms apart) before giving up.</summary>
        public const int ResetPollLimit = 100;

        /// <summary>How many times <see cref="TryMeasureTemperature"/> polls TEMP_EN (1 ms apart); a conversion takes 29 ms typ.</summary>
        public const int TemperaturePollLimit = 100;

        private readonly IRegisterBus _bus;
        private readonly byte[] _command = new byte[4];
        private readonly byte[] _reply = new byte[3];
        private readonly byte[] _fifo = new byte[FifoDepth * MaxChannels * 3];

        private int _channels;
        private int _redChannel = -1;
        private int _irChannel = -1;
        private int _maxSamplesPerRead = FifoDepth;

        /// <summary>Creates the driver over a bus already bound to the sensor's address. Talks to nothing yet.</summary>
        public Max30102(IRegisterBus bus)
        {
            if (bus == null) throw new ArgumentNullException("bus");
            _bus = bus;
        }

        /// <summary>Why the last <c>Try…</c> call failed, or <see cref="Max30102Error.None"/>.</summary>
        public Max30102Error LastError { get; private set; }

        /// <summary>The bus status of the last failed transaction (or Ok).</summary>
        public BusStatus LastBusStatus { get; private set; }

        /// <summary>The configuration error found by the last <see cref="TryConfigure"/>, or null.</summary>
        public string LastConfigurationError { get; private set; }

        /// <summary>PART_ID read by the last <see cref="TryCheckPartId"/> (0 before).</summary>
        public byte PartId { get; private set; }

        /// <summary>REV_ID read by the last <see cref="TryCheckPartId"/> (0 before).</summary>
        public byte RevisionId { get; private set; }

        /// <summary>Samples the chip dropped (FIFO full) since configuration, as counted by OVF_COUNTER.</summary>
        public long LostSamples { get; private set; }

        /// <summary>True once OVF_COUNTER was seen saturated (31): more samples may have been lost than counted.</summary>
        public bool LostSamplesSaturated { get; private set; }

        /// <summary>OVF_COUNTER seen by the last sample read that fetched samples.</summary>
        public int LastOverflowCount { get; private set; }

        /// <summary>Channels per FIFO sample of the current configuration (0 before <see cref="TryConfigure"/>).</summary>
        public int ChannelCount
        {
            get { return _channels; }
        }

        /// <summary>
        /// Largest number of samples one FIFO read transaction fetches (1..32, default 32). Lower it
        /// for I2C drivers that limit transfer length; <see cref="TryReadSamples"/> never reads more.
        /// </summary>
        public int MaxSamplesPerRead
        {
            get { return _maxSamplesPerRead; }
            set
            {
                if (value < 1 || value > FifoDepth) throw new ArgumentOutOfRangeException("value");
                _maxSamplesPerRead = value;
            }
        }

        /// <summary>Checks the part ID, resets the chip and applies the configuration. On failure see <see cref="LastError"/>.</summary>
        public bool TryInitialize(Max30102Configuration configuration)
        {
            if (configuration == null) throw new ArgumentNullException("configuration");
            string invalid = configuration.Validate();
            if (invalid != null) return FailConfiguration(invalid);
            return TryCheckPartId() && TryReset() && TryConfigure(configuration);
        }

        /// <summary>Like <see cref="TryInitialize"/> but throws a <see cref="Max30102Exception"/> with a readable message. Use once at start-up.</summary>
        public void Initialize(Max30102Configuration configuration)
        {
            if (!TryInitialize(configuration)) throw new Max30102Exception(LastError, DescribeLastError());
        }

        /// <summary>Reads REV_ID and PART_ID; fails with <see cref="Max30102Error.WrongPartId"/> unless PART_ID is 0x15.</summary>
        public bool TryCheckPartId()
        {
            _command[0] = Max30102Registers.RevisionId;
            if (!Transfer(1, 2)) return false;
            RevisionId = _reply[0];
            PartId = _reply[1];
            if (PartId != ExpectedPartId) return Fail(Max30102Error.WrongPartId);
            return Succeed();
        }

        /// <summary>
        /// Sets the RESET bit and polls until the chip clears it: every register returns to its
        /// power-on value (mode 0, FIFO empty, LEDs off). The driver forgets its configuration.
        /// </summary>
        public bool TryReset()
        {
            _channels = 0;
            if (!TryWriteRegister(Max30102Registers.ModeConfig, Max30102Registers.ResetBit)) return false;
            for (int poll = 0; poll < ResetPollLimit; poll++)
            {
                byte mode;
                if (!TryReadRegister(Max30102Registers.ModeConfig, out mode)) return false;
                if ((mode & Max30102Registers.ResetBit) == 0) return Succeed();
                Thread.Sleep(1);
            }

            return Fail(Max30102Error.ResetTimeout);
        }

        /// <summary>
        /// Validates and writes the configuration, then empties the FIFO and clears pending
        /// interrupts. Order: FIFO and SpO2 configuration, LED currents, slots, interrupt enables,
        /// mode, then FIFO pointers (the datasheet lets the host write them only in a valid mode).
        /// Nothing is written when the configuration is invalid.
        /// </summary>
        public bool TryConfigure(Max30102Configuration configuration)
        {
            if (configuration == null) throw new ArgumentNullException("configuration");
            string invalid = configuration.Validate();
            if (invalid != null) return FailConfiguration(invalid);

            LastConfigurationError = null;
            _channels = 0;
            if (!TryWriteRegister(Max30102Registers.FifoConfig, configuration.FifoConfigValue)) return false;
            if (!TryWriteRegister(Max30102Registers.SpO2Config, configuration.SpO2ConfigValue)) return false;
            if (!TryWriteRegister(Max30102Registers.Led1PulseAmplitude, configuration.RedLedAmplitude)) return false;
            if (!TryWriteRegister(Max30102Registers.Led2PulseAmplitude, configuration.IrLedAmplitude)) return false;
            if (configuration.Mode == Max30102Mode.MultiLed)
            {
                if (!TryWriteRegister(Max30102Registers.MultiLedControl1, configuration.MultiLedControl1Value)) return false;
                if (!TryWriteRegister(Max30102Registers.MultiLedControl2, configuration.MultiLedControl2Value)) return false;
            }

            if (!TryWriteRegister(Max30102Registers.InterruptEnable1, configuration.InterruptEnable1Value)) return false;
            if (!TryWriteRegister(Max30102Registers.InterruptEnable2, configuration.InterruptEnable2Value)) return false;
            if (!TryWriteRegister(Max30102Registers.ModeConfig, configuration.ModeConfigValue)) return false;

            _channels = configuration.ChannelCount;
            _redChannel = configuration.RedChannelIndex;
            _irChannel = configuration.IrChannelIndex;
            if (!TryClearFifo()) return false;

            int ignored;
            return TryReadInterruptStatus(out ignored);
        }

        /// <summary>Empties the FIFO: FIFO_WR_PTR, OVF_COUNTER and FIFO_RD_PTR to 0 in one burst write; resets <see cref="LostSamples"/>.</summary>
        public bool TryClearFifo()
        {
            _command[0] = Max30102Registers.FifoWritePointer;
            _command[1] = 0;
            _command[2] = 0;
            _command[3] = 0;
            if (!Send(4)) return false;
            LostSamples = 0;
            LostSamplesSaturated = false;
            LastOverflowCount = 0;
            return Succeed();
        }

        /// <summary>Reads FIFO_WR_PTR, OVF_COUNTER and FIFO_RD_PTR in one burst.</summary>
        public bool TryReadFifoPointers(out int writePointer, out int overflowCount, out int readPointer)
        {
            writePointer = 0;
            overflowCount = 0;
            readPointer = 0;
            _command[0] = Max30102Registers.FifoWritePointer;
            if (!Transfer(1, 3)) return false;
            writePointer = _reply[0] & Max30102Registers.PointerMask;
            overflowCount = _reply[1] & Max30102Registers.PointerMask;
            readPointer = _reply[2] & Max30102Registers.PointerMask;
            return Succeed();
        }

        /// <summary>
        /// Reads up to <paramref name="maxSamples"/> waiting samples (at most <see cref="MaxSamplesPerRead"/>)
        /// into <paramref name="red"/> and <paramref name="ir"/> from <paramref name="offset"/> on, in
        /// two transactions: the pointers, then the FIFO bytes. Each channel value is 3 bytes, MSB first,
        /// masked to 18 bits. A channel the mode does not sample is stored as 0; either array may be null
        /// if its channel is not wanted. Samples lost to overflow are added to <see cref="LostSamples"/>.
        /// If the FIFO data transfer fails the read pointer is written back, so the samples are read
        /// again next time (datasheet, "third transaction"). Allocates nothing.
        /// </summary>
        /// <returns>False on a bus failure or before configuration (count is then 0).</returns>
        public bool TryReadSamples(int[] red, int[] ir, int offset, int maxSamples, out int count)
        {
            count = 0;
            if (offset < 0) throw new ArgumentOutOfRangeException("offset");
            if (maxSamples < 0) throw new ArgumentOutOfRangeException("maxSamples");
            if (red != null && offset + maxSamples > red.Length) throw new ArgumentException("red is too short for offset + maxSamples");
            if (ir != null && offset + maxSamples > ir.Length) throw new ArgumentException("ir is too short for offset + maxSamples");
            if (_channels == 0) return Fail(Max30102Error.NotConfigured);

            int writePointer, overflow, readPointer;
            if (!TryReadFifoPointers(out writePointer, out overflow, out readPointer)) return false;

            int available = overflow > 0 ? FifoDepth : (writePointer - readPointer) & Max30102Registers.PointerMask;
            int n = available;
            if (n > maxSamples) n = maxSamples;
            if (n > _maxSamplesPerRead) n = _maxSamplesPerRead;
            if (n == 0) return Succeed();

            int stride = _channels * 3;
            _command[0] = Max30102Registers.FifoData;
            BusStatus status = _bus.WriteRead(_command, 1, _fifo, n * stride);
            if (status != BusStatus.Ok)
            {
                // A partial transfer popped samples, which also cleared OVF_COUNTER: count the loss
                // now. Then rewind the read pointer so the samples are read again.
                if (status == BusStatus.Partial) CountOverflow(overflow);
                _command[0] = Max30102Registers.FifoReadPointer;
                _command[1] = (byte)readPointer;
                _bus.Write(_command, 2);
                return FailBus(status);
            }

            CountOverflow(overflow);

            int redAt = _redChannel * 3;
            int irAt = _irChannel * 3;
            byte[] fifo = _fifo;
            for (int i = 0, p = 0; i < n; i++, p += stride)
            {
                if (red != null) red[offset + i] = _redChannel < 0 ? 0 : Decode(fifo, p + redAt);
                if (ir != null) ir[offset + i] = _irChannel < 0 ? 0 : Decode(fifo, p + irAt);
            }

            count = n;
            return Succeed();
        }

        /// <summary>
        /// Reads and thereby clears both interrupt status registers. <paramref name="flags"/> holds
        /// <see cref="Max30102Interrupts"/> bits (INT_STATUS_1 in the low byte, INT_STATUS_2 above).
        /// </summary>
        public bool TryReadInterruptStatus(out int flags)
        {
            flags = 0;
            _command[0] = Max30102Registers.InterruptStatus1;
            if (!Transfer(1, 2)) return false;
            flags = _reply[0] | (_reply[1] << 8);
            return Succeed();
        }

        /// <summary>Starts one die temperature conversion (TEMP_EN = 1); it takes about 29 ms.</summary>
        public bool TryStartTemperatureConversion()
        {
            return TryWriteRegister(Max30102Registers.TemperatureConfig, Max30102Registers.TemperatureEnableBit);
        }

        /// <summary>
        /// Reads the finished conversion in 1/16 °C. Fails with <see cref="Max30102Error.NotReady"/>
        /// while TEMP_EN is still set. Reading TEMP_FRAC clears the DIE_TEMP_RDY interrupt.
        /// </summary>
        public bool TryReadTemperature(out int sixteenthsCelsius)
        {
            sixteenthsCelsius = 0;
            byte config;
            if (!TryReadRegister(Max30102Registers.TemperatureConfig, out config)) return false;
            if ((config & Max30102Registers.TemperatureEnableBit) != 0) return Fail(Max30102Error.NotReady);
            _command[0] = Max30102Registers.TemperatureInteger;
            if (!Transfer(1, 2)) return false;
            sixteenthsCelsius = TemperatureFromRegisters(_reply[0], _reply[1]);
            return Succeed();
        }

        /// <summary>Starts a conversion and waits for it (polling every 1 ms, at most <see cref="TemperaturePollLimit"/> ms).</summary>
        public bool TryMeasureTemperature(out int sixteenthsCelsius)
        {
            sixteenthsCelsius = 0;
            if (!TryStartTemperatureConversion()) return false;
            for (int poll = 0; poll < TemperaturePollLimit; poll++)
            {
                if (TryReadTemperature(out sixteenthsCelsius)) return true;
                if (LastError != Max30102Error.NotReady) return false;
                Thread.Sleep(1);
            }

            return false;
        }

        /// <summary>
        /// Die temperature in 1/16 °C from TEMP_INTR (two's complement, 1 °C per LSB) and TEMP_FRAC
        /// (low 4 bits, 0.0625 °C per LSB, always added as a positive value). Datasheet example:
        /// TINT 0x80 (−128 °C) with TFRAC 0x8 (+0.5 °C) is −127.5 °C, i.e. −2040.
        /// </summary>
        public static int TemperatureFromRegisters(byte integerPart, byte fractionPart)
        {
            return (sbyte)integerPart * 16 + (fractionPart & 0x0F);
        }

        /// <summary>1/16 °C to m°C (×62.5, truncated toward zero): −2040 → −127500.</summary>
        public static int SixteenthsToMilliCelsius(int sixteenthsCelsius)
        {
            return sixteenthsCelsius * 625 / 10;
        }

        /// <summary>Sets SHDN: the chip stops converting (0.7 µA typ.) and keeps its registers.</summary>
        public bool TryShutdown()
        {
            return TryUpdateModeBits(Max30102Registers.ShutdownBit, true);
        }

        /// <summary>Clears SHDN: conversions resume with the stored configuration.</summary>
        public bool TryWakeUp()
        {
            return TryUpdateModeBits(Max30102Registers.ShutdownBit, false);
        }

        /// <summary>Reads one register.</summary>
        public bool TryReadRegister(byte address, out byte value)
        {
            value = 0;
            _command[0] = address;
            if (!Transfer(1, 1)) return false;
            value = _reply[0];
            return Succeed();
        }

        /// <summary>Writes one register.</summary>
        public bool TryWriteRegister(byte address, byte value)
        {
            _command[0] = address;
            _command[1] = value;
            if (!Send(2)) return false;
            return Succeed();
        }

        /// <summary>A sentence describing <see cref="LastError"/> (allocates: for logs and exceptions, not per sample).</summary>
        public string DescribeLastError()
        {
            switch (LastError)
            {
                case Max30102Error.None:
                    return "No error.";
                case Max30102Error.BusError:
                    return "MAX30102 did not answer on I2C (bus status " + BusStatusName(LastBusStatus)
                        + "): check wiring (SDA, SCL, 3.3 V, GND), pull-ups and that the address is 0x57.";
                case Max30102Error.WrongPartId:
                    return "The device at 0x57 is not a MAX30102: PART_ID is 0x" + Hex(PartId) + ", expected 0x15"
                        + (PartId == 0x11 ? " (0x11 is a MAX30100, which has a different register map)." : ".");
                case Max30102Error.ResetTimeout:
                    return "MAX30102 did not finish its reset: the RESET bit stayed set after " + ResetPollLimit + " polls.";
                case Max30102Error.NotReady:
                    return "The die temperature conversion has not finished yet.";
                case Max30102Error.InvalidConfiguration:
                    return "Invalid MAX30102 configuration: " + LastConfigurationError;
                case Max30102Error.NotConfigured:
                    return "MAX30102 is not configured: call TryInitialize or TryConfigure first (a reset also clears the configuration).";
                default:
                    return "Unknown MAX30102 error " + (int)LastError + ".";
            }
        }

        private bool TryUpdateModeBits(byte mask, bool set)
        {
            byte mode;
            if (!TryReadRegister(Max30102Registers.ModeConfig, out mode)) return false;
            int updated = set ? mode | mask : mode & ~mask;
            return TryWriteRegister(Max30102Registers.ModeConfig, (byte)(updated & ~Max30102Registers.ResetBit));
        }

        // OVF_COUNTER is cleared by the first sample popped, so it is counted once, when samples were read.
        private void CountOverflow(int overflow)
        {
            LastOverflowCount = overflow;
            if (overflow == 0) return;
            LostSamples += overflow;
            if (overflow == Max30102Registers.PointerMask) LostSamplesSaturated = true;
        }

        private static int Decode(byte[] b, int p)
        {
            return ((b[p] << 16) | (b[p + 1] << 8) | b[p + 2]) & SampleMask;
        }

        private bool Transfer(int writeCount, int readCount)
        {
            BusStatus status = _bus.WriteRead(_command, writeCount, _reply, readCount);
            return status == BusStatus.Ok || FailBus(status);
        }

        private bool Send(int writeCount)
        {
            BusStatus status = _bus.Write(_command, writeCount);
            return status == BusStatus.Ok || FailBus(status);
        }

        private bool Succeed()
        {
            LastError = Max30102Error.None;
            LastBusStatus = BusStatus.Ok;
            return true;
        }

        private bool Fail(Max30102Error error)
        {
            LastError = error;
            return false;
        }

        private bool FailBus(BusStatus status)
        {
            LastBusStatus = status;
            LastError = Max30102Error.BusError;
            return false;
        }

        private bool FailConfiguration(string message)
        {
            LastConfigurationError = message;
            return Fail(Max30102Error.InvalidConfiguration);
        }

        private static string BusStatusName(BusStatus status)
        {
            switch (status)
            {
                case BusStatus.Ok: return "Ok";
                case BusStatus.NotAcknowledged: return "NotAcknowledged";
                case BusStatus.Partial: return "Partial";
                default: return "Failed";
            }
        }

        private static string Hex(byte value)
        {
            const string digits = "0123456789ABCDEF";
            return new string(new char[] { digits[value >> 4], digits[value & 0x0F] });
        }
    }
}
