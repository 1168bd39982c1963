using System;

namespace Micro.Drivers.Simulation
{
    /// <summary>
    /// A MAX30102 on a simulated I2C bus whose FIFO fills in time: portable (nanoFramework 1.x and .NET),
    /// so the real driver and the alarm loop can run on nanoCLR or the host against a chip that loses
    /// samples exactly when a slow reader would lose them on the board.
    /// <para>
    /// Time comes from <see cref="IDeviceTime"/>: at every bus transaction the chip first converts every
    /// sample due since the last one, one per FIFO period (1e9 / rate µs), while the mode is SpO2, HR or
    /// multi-LED and not shut down. FIFO as in the datasheet ("FIFO Data Register"): 32 samples, 5-bit
    /// FIFO_WR_PTR / FIFO_RD_PTR; a sample arriving at a full FIFO is lost and counted by OVF_COUNTER
    /// (saturating at 31); with FIFO_ROLLOVER_EN it overwrites the oldest (the read pointer moves on),
    /// without it the new sample is dropped. Popping a whole sample through FIFO_DATA advances the read
    /// pointer and clears OVF_COUNTER. Register reads auto-increment except at FIFO_DATA; RESET returns the
    /// register file to its power-on values at once. Each sample holds one 3-byte triplet per channel (HR
    /// mode: red; SpO2: red then IR), values from the waveform the caller gives, played once.
    /// </para>
    /// Allocates nothing after construction.
    /// </summary>
    public sealed class SimulatedMax30102 : IRegisterBus
    {
        /// <summary>FIFO depth in samples.</summary>
        public const int Depth = 32;

        private const int OverflowSaturation = 0x1F;

        private readonly IDeviceTime time;
        private readonly int[] red;
        private readonly int[] ir;
        private readonly IWaveform wave;   // instead of red and ir (the other constructor)
        private readonly int length;
        private const long MicrosecondMilliHz = 1000000000L;   // sample k is due at k × 1e9 / rateMilliHz µs
        private readonly int rateMilliHz;
        private readonly byte[] regs = new byte[256];
        private readonly int[] fifoRed = new int[Depth];
        private readonly int[] fifoIr = new int[Depth];
        private int count;
        private int byteInSample;
        private long startUs;
        private long converted;   // samples converted since the start of conversions
        private int wavePosition;
        private bool converting;

        /// <summary>
        /// A chip that converts at rateMilliHz (the configuration's FIFO rate: samples/s × 1000) and plays
        /// irWave (and redWave, or irWave again when null) once, one value per FIFO sample.
        /// </summary>
        public SimulatedMax30102(IDeviceTime time, int rateMilliHz, int[] irWave, int[] redWave)
            : this(time, rateMilliHz, irWave, redWave == null ? irWave : redWave, null, irWave == null ? 0 : irWave.Length)
        {
            if (irWave == null) throw new ArgumentNullException("irWave");
        }

        /// <summary>A chip that converts at rateMilliHz and plays wave once on both LEDs, read as it converts.</summary>
        public SimulatedMax30102(IDeviceTime time, int rateMilliHz, IWaveform wave)
            : this(time, rateMilliHz, null, null, wave, wave == null ? 0 : wave.Length)
        {
            if (wave == null) throw new ArgumentNullException("wave");
        }

        private SimulatedMax30102(IDeviceTime time, int rateMilliHz, int[] irWave, int[] redWave, IWaveform wave, int length)
        {
            if (time == null) throw new ArgumentNullException("time");
            if (rateMilliHz < 1) throw new ArgumentOutOfRangeException("rateMilliHz");
            this.time = time;
            this.rateMilliHz = rateMilliHz;
            ir = irWave;
            red = redWave;
            this.wave = wave;
            this.length = length;
            regs[Max30102Registers.PartId] = Max30102.ExpectedPartId;
            regs[Max30102Registers.RevisionId] = 3;
        }

        /// <summary>Samples the chip converted so far (stored or lost).</summary>
        public long Converted { get { return wavePosition; } }

        /// <summary>Samples lost to a full FIFO so far (every one, not saturated like OVF_COUNTER).</summary>
        public long Lost { get; private set; }

        /// <summary>Samples waiting in the FIFO.</summary>
        public int Unread { get { return count; } }

        /// <summary>True once the whole waveform was converted.</summary>
        public bool Finished { get { return wavePosition >= length; } }

        /// <summary>Length of the waveform.</summary>
        public int Length { get { return length; } }

        /// <summary>Converts every sample due by now (called by each transaction; callable by a test).</summary>
        public void CatchUp()
        {
            long now = time.DeviceMicroseconds;
            if (!converting)
            {
                startUs = now;
                converted = 0;
                return;
            }
            long due = (now - startUs) * rateMilliHz / MicrosecondMilliHz;
            while (converted < due)
            {
                converted++;
                Convert();
            }
        }

        /// <summary>Register write (auto-increment except at FIFO_DATA), after converting the samples due.</summary>
        public BusStatus Write(byte[] buffer, int writeCount)
        {
            CatchUp();
            if (writeCount < 1) return BusStatus.Ok;
            int pointer = buffer[0];
            for (int i = 1; i < writeCount; i++)
            {
                WriteRegister(pointer, buffer[i]);
                if (pointer != Max30102Registers.FifoData && pointer < 0xFF) pointer++;
            }
            return BusStatus.Ok;
        }

        /// <summary>Register read (auto-increment except at FIFO_DATA, which pops samples), after converting the samples due.</summary>
        public BusStatus WriteRead(byte[] writeBuffer, int writeCount, byte[] readBuffer, int readCount)
        {
            CatchUp();
            int pointer = writeBuffer[0];
            for (int i = 1; i < writeCount; i++)
            {
                WriteRegister(pointer, writeBuffer[i]);
                if (pointer != Max30102Registers.FifoData && pointer < 0xFF) pointer++;
            }
            byteInSample = 0;
            for (int i = 0; i < readCount; i++)
            {
                readBuffer[i] = ReadRegister(pointer);
                if (pointer != Max30102Registers.FifoData && pointer < 0xFF) pointer++;
            }
            return BusStatus.Ok;
        }

        private int Mode { get { return regs[Max30102Registers.ModeConfig] & Max30102Registers.ModeMask; } }

        private int Channels { get { return Mode == 2 ? 1 : 2; } }

        private void UpdateConverting()
        {
            int mode = Mode;
            bool on = (mode == 2 || mode == 3 || mode == 7) && (regs[Max30102Registers.ModeConfig] & Max30102Registers.ShutdownBit) == 0;
            if (on && !converting)
            {
                startUs = time.DeviceMicroseconds;
                converted = 0;
            }
            converting = on;
        }

        private void Convert()
        {
            if (wavePosition >= length) return;
            int r, v;
            if (wave != null) r = v = wave.At(wavePosition);
            else
            {
                r = red[wavePosition];
                v = ir[wavePosition];
            }
            wavePosition++;
            int wr = regs[Max30102Registers.FifoWritePointer];
            if (count == Depth)
            {
                Lost++;
                if (regs[Max30102Registers.OverflowCounter] < OverflowSaturation) regs[Max30102Registers.OverflowCounter]++;
                if ((regs[Max30102Registers.FifoConfig] & Max30102Registers.RolloverBit) == 0) return;
                // Roll-over: the newest overwrites the oldest; the read pointer moves on with it.
                regs[Max30102Registers.FifoReadPointer] = (byte)((regs[Max30102Registers.FifoReadPointer] + 1) & Max30102Registers.PointerMask);
                count--;
            }
            fifoRed[wr] = r & Max30102.SampleMask;
            fifoIr[wr] = v & Max30102.SampleMask;
            regs[Max30102Registers.FifoWritePointer] = (byte)((wr + 1) & Max30102Registers.PointerMask);
            count++;
        }

        private byte ReadRegister(int address)
        {
            if (address != Max30102Registers.FifoData) return regs[address];
            if (count == 0) return 0;
            int rd = regs[Max30102Registers.FifoReadPointer];
            int channel = byteInSample / 3;
            int value = channel == 0 ? fifoRed[rd] : fifoIr[rd];
            int shift = 16 - 8 * (byteInSample % 3);
            byte b = (byte)(value >> shift);
            byteInSample++;
            if (byteInSample == 3 * Channels)
            {
                byteInSample = 0;
                regs[Max30102Registers.FifoReadPointer] = (byte)((rd + 1) & Max30102Registers.PointerMask);
                regs[Max30102Registers.OverflowCounter] = 0;
                count--;
            }
            return b;
        }

        private void WriteRegister(int address, byte value)
        {
            if (address == Max30102Registers.ModeConfig && (value & Max30102Registers.ResetBit) != 0)
            {
                PowerOnReset();
                return;
            }
            if (address == Max30102Registers.FifoWritePointer || address == Max30102Registers.FifoReadPointer
                || address == Max30102Registers.OverflowCounter)
            {
                regs[address] = (byte)(value & Max30102Registers.PointerMask);
                int unread = (regs[Max30102Registers.FifoWritePointer] - regs[Max30102Registers.FifoReadPointer]) & Max30102Registers.PointerMask;
                count = unread;
                return;
            }
            regs[address] = value;
            if (address == Max30102Registers.ModeConfig) UpdateConverting();
        }

        private void PowerOnReset()
        {
            byte part = regs[Max30102Registers.PartId], rev = regs[Max30102Registers.RevisionId];
            Array.Clear(regs, 0, regs.Length);
            regs[Max30102Registers.PartId] = part;
            regs[Max30102Registers.RevisionId] = rev;
            count = 0;
            converting = false;
        }
    }
}
