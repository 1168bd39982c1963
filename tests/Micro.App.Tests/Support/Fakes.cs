using System.Text;

namespace Micro.App.Tests.Support;

/// <summary>
/// A clock the test moves. With <see cref="ReadCostUs"/> set, every read by the code under test also moves it
/// by that much: the loop reads the clock once per analysed sample, so this stands for the signal chain's
/// cost on a slow board.
/// </summary>
public sealed class SimClock : IClock
{
    private long _us;

    public long UptimeMs
    {
        get
        {
            long ms = _us / 1000;
            _us += ReadCostUs;
            return ms;
        }
        set => _us = value * 1000;
    }

    /// <summary>Moves the clock by us microseconds.</summary>
    public void Advance(long us) => _us += us;

    /// <summary>Device time (µs) without charging a read.</summary>
    public long NowUs => _us;

    /// <summary>Device time each read of <see cref="UptimeMs"/> costs (µs); 0 = reads are free.</summary>
    public long ReadCostUs { get; set; }
}

/// <summary>Collects alert bytes in a preallocated buffer (no allocation per line, so allocation tests can include it).</summary>
public sealed class LineSink : IAlertSink
{
    private readonly byte[] _buffer = new byte[4 << 20];
    private int _length;

    /// <summary>When set, Write throws (a broken UART).</summary>
    public bool Broken { get; set; }

    public int Writes { get; private set; }

    public void Write(byte[] buffer, int count)
    {
        if (Broken) throw new IOException("UART gone");
        Array.Copy(buffer, 0, _buffer, _length, count);
        _length += count;
        Writes++;
    }

    public string Text => Encoding.ASCII.GetString(_buffer, 0, _length);

    public string[] Lines() => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public AlertLine[] Parsed() => Lines().Select(AlertLine.Parse).ToArray();
}

/// <summary>Records every switch of an output.</summary>
public sealed class RecordingIndicator : IIndicator
{
    public bool On { get; private set; }
    public int Switches { get; private set; }
    public int TimesOn { get; private set; }

    public void Set(bool on)
    {
        if (on && !On) TimesOn++;
        On = on;
        Switches++;
    }
}

/// <summary>A sensor under the test's control (no chip model): values from an array, a switch to go silent or dead.</summary>
public sealed class ScriptedSensor : ISampleSource
{
    private readonly int[] _wave;
    private int _position;
    private long _due;

    public ScriptedSensor(int[] wave, int rateHz)
    {
        _wave = wave;
        SampleRateMilliHz = rateHz * 1000;
    }

    public int SampleRateMilliHz { get; }

    /// <summary>False: every call fails (bus dead).</summary>
    public bool Answering { get; set; } = true;

    public int Starts { get; private set; }

    public int Reads { get; private set; }

    /// <summary>What the sensor reports as dropped since TryStart (the test sets it).</summary>
    public long LostSamples { get; set; }

    /// <summary>Samples become due as the test advances time.</summary>
    public void Advance(long ms) => _due += ms * SampleRateMilliHz / 1000 / 1000;

    public bool TryStart()
    {
        Starts++;
        if (!Answering) return false;
        _due = 0;
        LostSamples = 0;
        return true;
    }

    public bool TryRead(int[] buffer, int maxSamples, out int count)
    {
        Reads++;
        count = 0;
        if (!Answering) return false;
        while (count < maxSamples && _due > 0)
        {
            buffer[count++] = _wave[_position++ % _wave.Length];
            _due--;
        }
        return true;
    }
}
