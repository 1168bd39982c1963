using Micro.Drivers;
using Micro.Drivers.Simulation;

namespace Micro.Drivers.Tests;

/// <summary>
/// The portable <see cref="SimulatedMax30102"/> (the chip the nanoCLR bench and the app tests run against)
/// checked against the datasheet register model <see cref="Max30102Model"/>: the driver reads the same
/// samples, the same FIFO pointers and the same OVF_COUNTER from both, through stalls long enough to
/// overflow the FIFO, with and without roll-over.
/// </summary>
[TestClass]
public sealed class SimulatedMax30102Tests
{
    private sealed class ManualTime : IDeviceTime
    {
        public long DeviceMicroseconds { get; set; }
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void TheDriverSeesTheSameFifoOnTheSimulatedChipAsOnTheDatasheetModel(bool rollover)
    {
        const int averaging = 4, periodUs = 20_000;   // 200 conversions/s averaged by 4: 50 Hz
        int[] fifoWave = Enumerable.Range(0, 2000).Select(i => 100_000 + (i * 37) % 5000).ToArray();
        // The model averages 4 conversions per FIFO sample: give it each value 4 times.
        int[] conversions = fifoWave.SelectMany(v => Enumerable.Repeat(v, averaging)).ToArray();
        var model = new Max30102Model(conversions, conversions);
        var time = new ManualTime();
        var chip = new SimulatedMax30102(time, 50_000, fifoWave, null);
        var onModel = new Max30102(model);
        var onChip = new Max30102(chip);
        var config = new Max30102Configuration { SampleRate = Max30102SampleRate.Sps200, SampleAveraging = Max30102SampleAveraging.Four };
        config.FifoRollover = rollover;
        Assert.IsTrue(onModel.TryInitialize(config));
        Assert.IsTrue(onChip.TryInitialize(config));

        var r = new Random(4);
        var a = new int[32];
        var b = new int[32];
        int produced = 0, reads = 0;
        while (produced < 1900)
        {
            // Mostly short waits, sometimes a stall far longer than the FIFO (32 samples).
            int wait = r.Next(10) == 0 ? r.Next(33, 120) : r.Next(0, 20);
            wait = Math.Min(wait, 1900 - produced);
            produced += wait;
            model.Produce(wait);
            time.DeviceMicroseconds += (long)wait * periodUs;

            Assert.IsTrue(onModel.TryReadFifoPointers(out int mw, out int mo, out int mr));
            Assert.IsTrue(onChip.TryReadFifoPointers(out int cw, out int co, out int cr));
            Assert.AreEqual((mw, mo, mr), (cw, co, cr), "FIFO_WR_PTR, OVF_COUNTER, FIFO_RD_PTR after " + produced);

            int max = r.Next(1, 33);
            int na = ReadBothAlike(onModel, onChip, a, b, max);
            Assert.AreEqual(onModel.LostSamples, onChip.LostSamples);
            reads++;
        }
        Assert.IsTrue(onChip.LostSamples > 100, "the stalls overflowed the FIFO");
        Assert.IsTrue(chip.Lost >= onChip.LostSamples, "OVF_COUNTER saturates at 31; the chip knows every loss");
        Assert.IsTrue(reads > 100);
    }

    /// <summary>Reads up to <paramref name="max"/> samples through both drivers; both must give the same samples.</summary>
    private static int ReadBothAlike(Max30102 first, Max30102 second, int[] a, int[] b, int max)
    {
        Assert.IsTrue(first.TryReadSamples(null, a, 0, max, out int na));
        Assert.IsTrue(second.TryReadSamples(null, b, 0, max, out int nb));
        Assert.AreEqual(na, nb);
        CollectionAssert.AreEqual(a.Take(na).ToArray(), b.Take(nb).ToArray());
        return na;
    }

    private sealed class ArrayWave(int[] values) : IWaveform
    {
        public int Reads;
        private int next;

        public int Length => values.Length;

        public int At(int index)
        {
            Assert.AreEqual(next, index, "the chip reads the waveform in order, each sample once");
            next++;
            Reads++;
            return values[index];
        }
    }

    /// <summary>A chip playing an IWaveform (the bench's recording kept out of the heap) gives the driver exactly
    /// what the same chip playing the int[] gives, through stalls that overflow the FIFO.</summary>
    [TestMethod]
    public void AChipPlayingAWaveformGivesWhatTheSameChipPlayingTheArrayGives()
    {
        int[] wave = Enumerable.Range(0, 1500).Select(i => 120_000 + (i * 53) % 7000).ToArray();
        var timeA = new ManualTime();
        var timeW = new ManualTime();
        var source = new ArrayWave(wave);
        var chipA = new SimulatedMax30102(timeA, 50_000, wave, null);
        var chipW = new SimulatedMax30102(timeW, 50_000, source);
        Assert.AreEqual(wave.Length, chipW.Length);
        var onA = new Max30102(chipA);
        var onW = new Max30102(chipW);
        var config = new Max30102Configuration { SampleRate = Max30102SampleRate.Sps200, SampleAveraging = Max30102SampleAveraging.Four };
        Assert.IsTrue(onA.TryInitialize(config));
        Assert.IsTrue(onW.TryInitialize(config));
        var r = new Random(7);
        var a = new int[32];
        var b = new int[32];
        int samples = 0;
        while (!chipA.Finished || chipA.Unread > 0)
        {
            long wait = (r.Next(10) == 0 ? r.Next(33, 90) : r.Next(0, 20)) * 20_000L;
            timeA.DeviceMicroseconds += wait;
            timeW.DeviceMicroseconds += wait;
            int max = r.Next(1, 33);
            int na = ReadBothAlike(onA, onW, a, b, max);
            Assert.AreEqual(chipA.Lost, chipW.Lost);
            Assert.AreEqual(chipA.Finished, chipW.Finished);
            samples += na;
        }
        Assert.IsTrue(chipW.Finished && chipW.Unread == 0);
        Assert.IsTrue(chipA.Lost > 50, "the stalls overflowed the FIFO");
        Assert.AreEqual(wave.Length, samples + (int)chipA.Lost);
        Assert.AreEqual(wave.Length, source.Reads, "every sample read once, when converted");
        Assert.ThrowsExactly<ArgumentNullException>(() => new SimulatedMax30102(timeW, 50_000, (IWaveform)null!));
    }
}
