using Micro.Drivers;

namespace Micro.Drivers.Tests;

/// <summary>
/// A register-level model of the MAX30102, written from the datasheet (Maxim MAX30102 rev. 1,
/// "Register Maps and Descriptions", "FIFO Data Register", "Reading from the FIFO") and not from
/// the driver, so the driver is tested against the chip's documented behaviour:
/// <list type="bullet">
/// <item>256-byte register file with the power-on values (all 0, PART_ID 0x15, PWR_RDY set at power-up);
/// reads auto-increment the register pointer except at FIFO_DATA (0x07); after 0xFF the pointer
/// does not wrap and the bytes read are meaningless (the model returns 0);</item>
/// <item>a 32-sample FIFO with 5-bit FIFO_WR_PTR / FIFO_RD_PTR; the host may write the pointers only
/// while MODE is 010, 011 or 111; each sample holds one 3-byte triplet per active channel
/// (HR: red; SpO2: red then IR; multi-LED: the enabled slots in order), MSB first, 18 bits
/// left-justified (at 15..17-bit resolution the low bits are 0); bits 23..18 are "not used" by
/// the datasheet, and the model fills them with ones so the host's masking is exercised;</item>
/// <item>when the FIFO is full: with FIFO_ROLLOVER_EN the oldest sample is overwritten (the read
/// pointer moves with the write pointer), without it the new sample is dropped; either way
/// OVF_COUNTER counts the lost sample, saturating at 0x1F, and the first sample popped clears it;</item>
/// <item>reading FIFO_DATA advances FIFO_RD_PTR after the first byte of each sample;</item>
/// <item>interrupt flags: A_FULL when (32 − FIFO_A_FULL) samples are unread, PPG_RDY per new sample,
/// PWR_RDY at power-up, DIE_TEMP_RDY at the end of a conversion; reading a status register clears
/// it; reading FIFO_DATA clears A_FULL and PPG_RDY; reading TEMP_FRAC clears DIE_TEMP_RDY;</item>
/// <item>MODE_CONFIG.RESET resets every register to its power-on value and reads back as 1 for
/// <see cref="ResetBusyReads"/> reads (it does not raise PWR_RDY); SHDN stops conversions;</item>
/// <item>TEMP_EN starts a conversion that stays busy for <see cref="TemperatureBusyReads"/> reads of
/// TEMP_CONFIG, then fills TEMP_INTR (two's complement °C) and TEMP_FRAC (1/16 °C, added as a
/// positive value) and sets DIE_TEMP_RDY;</item>
/// <item>a sample rate too high for the pulse width is lowered to the highest allowed one
/// (datasheet tables 11 and 12), as the chip does.</item>
/// </list>
/// Samples come from a waveform the test provides (one value per conversion per channel);
/// <see cref="Produce"/> advances time by FIFO samples, averaging SMP_AVE conversions each.
/// The model allocates nothing after construction, so allocation tests can include it.
/// </summary>
public sealed class Max30102Model : IRegisterBus
{
    private const int Depth = 32;

    private readonly byte[] _regs = new byte[256];
    private readonly int[] _fifo = new int[Depth * 4];
    private readonly int[] _redWave;
    private readonly int[] _irWave;
    private int _wavePosition;
    private int _count;
    private int _resetBusy;
    private int _temperatureBusy;
    private int _sampleByte;
    private int _currentSlot;
    private readonly int[] _writeLog = new int[4096];
    private int _writeCount;

    public Max30102Model(int[] redWaveform, int[] irWaveform)
    {
        _redWave = redWaveform;
        _irWave = irWaveform;
        PartId = 0x15;
        RevisionId = 0x03;
        PowerOn();
    }

    /// <summary>PART_ID the model answers (0x11 makes it look like a MAX30100).</summary>
    public byte PartId
    {
        get => _regs[0xFF];
        set => _regs[0xFF] = value;
    }

    public byte RevisionId
    {
        get => _regs[0xFE];
        set => _regs[0xFE] = value;
    }

    /// <summary>False: every transaction is not acknowledged and changes nothing (sensor unplugged).</summary>
    public bool Connected { get; set; } = true;

    /// <summary>How many reads of MODE_CONFIG still show RESET = 1 after a reset.</summary>
    public int ResetBusyReads { get; set; } = 2;

    /// <summary>How many reads of TEMP_CONFIG still show TEMP_EN = 1 after a conversion starts.</summary>
    public int TemperatureBusyReads { get; set; } = 3;

    /// <summary>The die temperature the next conversion reports, in 1/16 °C.</summary>
    public int DieTemperatureSixteenths { get; set; } = 25 * 16;

    /// <summary>When ≥ 0: the next FIFO_DATA read transfers this many bytes, then fails (Partial).</summary>
    public int FailNextFifoReadAfterBytes { get; set; } = -1;

    public int Transactions { get; private set; }
    public int FifoBytesRead { get; private set; }
    public int EmptyFifoReads { get; private set; }
    public int WavePosition => _wavePosition;
    public int UnreadSamples => _count;

    /// <summary>Every register write the host made, in order, as (address, value); capped at 4096 entries.</summary>
    public (int Address, int Value)[] Writes()
    {
        var writes = new (int, int)[Math.Min(_writeCount, _writeLog.Length)];
        for (int i = 0; i < writes.Length; i++) writes[i] = (_writeLog[i] >> 8, _writeLog[i] & 0xFF);
        return writes;
    }

    public void ClearWriteLog() => _writeCount = 0;

    /// <summary>Register value as the host would read it, without read side effects.</summary>
    public byte Peek(int address) => _regs[address];

    /// <summary>Sets the power-on state (as after VDD comes up): registers at POR values, PWR_RDY set.</summary>
    public void PowerOn()
    {
        ResetRegisters();
        _regs[0x00] = 0x01;
    }

    /// <summary>Advances time by <paramref name="fifoSamples"/> FIFO sample periods.</summary>
    public void Produce(int fifoSamples)
    {
        for (int i = 0; i < fifoSamples; i++) ProduceOne();
    }

    public BusStatus Write(byte[] buffer, int writeCount)
    {
        Transactions++;
        if (!Connected) return BusStatus.NotAcknowledged;
        if (writeCount < 1) return BusStatus.Ok;
        int pointer = buffer[0];
        for (int i = 1; i < writeCount; i++)
        {
            WriteRegister(pointer, buffer[i]);
            if (pointer != 0x07 && pointer < 0xFF) pointer++;
        }

        return BusStatus.Ok;
    }

    public BusStatus WriteRead(byte[] writeBuffer, int writeCount, byte[] readBuffer, int readCount)
    {
        Transactions++;
        if (!Connected) return BusStatus.NotAcknowledged;
        int pointer = writeBuffer[0];
        for (int i = 1; i < writeCount; i++)
        {
            WriteRegister(pointer, writeBuffer[i]);
            if (pointer != 0x07 && pointer < 0xFF) pointer++;
        }

        _sampleByte = 0;
        bool pastEnd = false;
        int limit = readCount;
        bool failing = pointer == 0x07 && FailNextFifoReadAfterBytes >= 0 && FailNextFifoReadAfterBytes < readCount;
        if (failing)
        {
            limit = FailNextFifoReadAfterBytes;
            FailNextFifoReadAfterBytes = -1;
        }

        for (int i = 0; i < limit; i++)
        {
            readBuffer[i] = pastEnd ? (byte)0 : ReadRegister(pointer);
            if (pointer == 0xFF) pastEnd = true;
            else if (pointer != 0x07) pointer++;
        }

        return failing ? BusStatus.Partial : BusStatus.Ok;
    }

    private int Mode => _regs[0x09] & 0x07;

    private bool ValidMode => Mode == 2 || Mode == 3 || Mode == 7;

    private int Channels
    {
        get
        {
            if (Mode == 2) return 1;
            if (Mode == 3) return 2;
            int n = 0;
            while (n < 4 && SlotLed(n) != 0) n++;
            return n;
        }
    }

    private void ResetRegisters()
    {
        byte partId = _regs[0xFF], revisionId = _regs[0xFE];
        System.Array.Clear(_regs, 0, _regs.Length);
        _regs[0xFE] = revisionId;
        _regs[0xFF] = partId;
        _count = 0;
        _temperatureBusy = 0;
    }

    private void WriteRegister(int address, byte value)
    {
        if (_writeCount < _writeLog.Length) _writeLog[_writeCount] = (address << 8) | value;
        _writeCount++;
        switch (address)
        {
            case 0x00:
            case 0x01:
            case 0x1F:
            case 0x20:
            case 0xFE:
            case 0xFF:
                return; // read-only
            case 0x04:
            case 0x05:
            case 0x06:
                if (!ValidMode) return; // pointers are writable only in HR, SpO2 or multi-LED mode
                _regs[address] = (byte)(value & 0x1F);
                _count = (_regs[0x04] - _regs[0x06]) & 0x1F;
                return;
            case 0x07:
                return; // the host does not push samples
            case 0x09:
                if ((value & 0x40) != 0)
                {
                    ResetRegisters();
                    _regs[0x09] = 0x40;
                    _resetBusy = ResetBusyReads;
                    return;
                }

                _regs[0x09] = (byte)(value & 0x87);
                if ((value & 0x80) != 0) _regs[0x00] = 0; // shutdown clears all interrupts
                return;
            case 0x0A:
                _regs[0x0A] = ClampSampleRate((byte)(value & 0x7F));
                return;
            case 0x21:
                _regs[0x21] = (byte)(value & 0x01);
                if ((value & 0x01) != 0) _temperatureBusy = TemperatureBusyReads;
                return;
            default:
                _regs[address] = value;
                return;
        }
    }

    private byte ReadRegister(int address)
    {
        switch (address)
        {
            case 0x00:
                {
                    byte v = _regs[0x00];
                    _regs[0x00] = 0;
                    return v;
                }
            case 0x01:
                {
                    byte v = _regs[0x01];
                    _regs[0x01] = 0;
                    return v;
                }
            case 0x07:
                return ReadFifoByte();
            case 0x09:
                if (_resetBusy > 0)
                {
                    _resetBusy--;
                    if (_resetBusy == 0) _regs[0x09] = 0;
                    return 0x40;
                }

                return _regs[0x09];
            case 0x20:
                _regs[0x01] = (byte)(_regs[0x01] & ~0x02);
                return _regs[0x20];
            case 0x21:
                if (_temperatureBusy > 0)
                {
                    _temperatureBusy--;
                    if (_temperatureBusy == 0) FinishTemperature();
                    return 0x01;
                }

                return _regs[0x21];
            default:
                return _regs[address];
        }
    }

    private byte ReadFifoByte()
    {
        int channels = Channels;
        if (_sampleByte == 0)
        {
            if (channels == 0 || _count == 0)
            {
                EmptyFifoReads++;
                return 0;
            }

            // The read pointer advances after the first byte of a sample; popping clears OVF_COUNTER.
            _currentSlot = _regs[0x06];
            _regs[0x06] = (byte)((_currentSlot + 1) & 0x1F);
            _regs[0x05] = 0;
            _count--;
        }

        int channel = _sampleByte / 3;
        int value = _fifo[_currentSlot * 4 + channel];
        int shift = 16 - 8 * (_sampleByte % 3);
        byte b = (byte)(value >> shift);
        if (_sampleByte % 3 == 0) b |= 0xFC; // bits 23..18: not used, filled with ones

        // Reading FIFO_DATA clears A_FULL and PPG_RDY.
        _regs[0x00] = (byte)(_regs[0x00] & ~0xC0);
        FifoBytesRead++;
        _sampleByte = (_sampleByte + 1) % (channels * 3);
        return b;
    }

    private void ProduceOne()
    {
        int averaged = AveragedConversions;
        if (!ValidMode || (_regs[0x09] & 0x80) != 0)
        {
            return; // not converting
        }

        int red = 0, ir = 0;
        for (int k = 0; k < averaged; k++)
        {
            int i = _wavePosition % _redWave.Length;
            red += _redWave[i];
            ir += _irWave[i];
            _wavePosition++;
        }

        red /= averaged;
        ir /= averaged;
        int resolutionMask = ~((1 << (3 - (_regs[0x0A] & 3))) - 1);
        red = Saturate(red) & resolutionMask;
        ir = Saturate(ir) & resolutionMask;

        bool rollover = (_regs[0x08] & 0x10) != 0;
        if (_count == Depth)
        {
            _regs[0x05] = (byte)System.Math.Min(_regs[0x05] + 1, 0x1F);
            if (!rollover) return; // the new sample is lost
            _regs[0x06] = (byte)((_regs[0x06] + 1) & 0x1F); // the oldest is overwritten
            _count--;
        }

        int wr = _regs[0x04];
        StoreSample(wr, red, ir);
        _regs[0x04] = (byte)((wr + 1) & 0x1F);
        _count++;

        _regs[0x00] |= 0x40;
        int emptySlotsForAlmostFull = _regs[0x08] & 0x0F;
        if (_count >= Depth - emptySlotsForAlmostFull) _regs[0x00] |= 0x80;
    }

    private void StoreSample(int slot, int red, int ir)
    {
        int baseIndex = slot * 4;
        if (Mode == 2)
        {
            _fifo[baseIndex] = red;
            return;
        }

        if (Mode == 3)
        {
            _fifo[baseIndex] = red;
            _fifo[baseIndex + 1] = ir;
            return;
        }

        int n = Channels;
        for (int c = 0; c < n; c++)
        {
            int led = SlotLed(c);
            _fifo[baseIndex + c] = led == 1 ? red : led == 2 ? ir : 0;
        }
    }

    private int SlotLed(int slot) => slot < 2 ? (_regs[0x11] >> (4 * slot)) & 7 : (_regs[0x12] >> (4 * (slot - 2))) & 7;

    private int AveragedConversions
    {
        get
        {
            int code = (_regs[0x08] >> 5) & 7;
            return code >= 5 ? 32 : 1 << code;
        }
    }

    private static int Saturate(int value) => value < 0 ? 0 : value > 0x3FFFF ? 0x3FFFF : value;

    private void FinishTemperature()
    {
        int t = DieTemperatureSixteenths;
        int whole = t >= 0 ? t / 16 : -((-t + 15) / 16); // floor(t / 16)
        _regs[0x1F] = (byte)(sbyte)whole;
        _regs[0x20] = (byte)(t - whole * 16);
        _regs[0x21] = 0;
        _regs[0x01] |= 0x02;
    }

    private byte ClampSampleRate(byte spo2Config)
    {
        if (!ValidMode) return spo2Config;
        int channels = Channels;
        int pulseWidth = spo2Config & 3;
        int rate = (spo2Config >> 2) & 7;
        int highest = (channels <= 1 ? 7 : 6) - pulseWidth;
        if (rate > highest) rate = highest;
        return (byte)((spo2Config & 0x63) | (rate << 2));
    }
}
