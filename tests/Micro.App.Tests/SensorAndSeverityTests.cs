using Micro.Drivers;
using Micro.HeartRate.Alarms;

namespace Micro.App.Tests;

[TestClass]
public sealed class SensorAndSeverityTests
{
    [TestMethod]
    public void Max30102SettingsDescribeTheConfiguredChip()
    {
        var source = new Max30102SampleSource(new Max30102(new Micro.Drivers.Tests.Max30102Model(new int[10], new int[10])), null);
        Assert.AreEqual(50_000, source.SampleRateMilliHz, "200 conversions/s averaged by 4");
        var s = source.CreateSettings();
        Assert.AreEqual(50_000, s.SampleRateMilliHz);
        Assert.AreEqual(-1, s.Polarity, "reflected light falls with each pulse");
        Assert.AreEqual(0, s.AdcMin);
        Assert.AreEqual(0x3FFFF, s.AdcMax, "18 bits at 411 µs");
        Assert.AreEqual(Max30102SampleSource.NoContactIrCounts, s.ContactMinDc);
        source.ContactMinIr = BoardProfiles.Esp32DevKitC().ContactMinIr - 30_000; // a wrist build's own level
        Assert.AreEqual(20_000, source.CreateSettings().ContactMinDc);

        var c15 = Max30102SampleSource.DefaultConfiguration();
        c15.PulseWidth = Max30102PulseWidth.Us69;
        var s15 = new Max30102SampleSource(new Max30102(new Micro.Drivers.Tests.Max30102Model(new int[10], new int[10])), c15).CreateSettings();
        Assert.AreEqual(0x3FFF8, s15.AdcMax, "15-bit data is left-justified: the low 3 bits are 0");

        var bad = Max30102SampleSource.DefaultConfiguration();
        bad.SampleRate = Max30102SampleRate.Sps3200;
        Assert.ThrowsExactly<ArgumentException>(() => new Max30102SampleSource(new Max30102(new Micro.Drivers.Tests.Max30102Model(new int[1], new int[1])), bad));
    }

    [TestMethod]
    public void OnlyClinicalAlarmsSoundTheBuzzer()
    {
        int tachy = AlarmKinds.Bit(AlarmKind.Tachycardia), contact = AlarmKinds.Bit(AlarmKind.SensorOff), model = AlarmKinds.Bit(AlarmKind.ModelFault);
        Assert.AreEqual(AlarmSeverity.None, AlarmSeverity.FromMask(0));
        Assert.AreEqual(AlarmSeverity.Technical, AlarmSeverity.FromMask(contact | model));
        Assert.AreEqual(AlarmSeverity.Clinical, AlarmSeverity.FromMask(tachy | contact));
        for (long t = 0; t < 5000; t += 100)
        {
            Assert.IsFalse(AlarmSeverity.BuzzerOn(AlarmSeverity.Technical, t));
            Assert.IsFalse(AlarmSeverity.BuzzerOn(AlarmSeverity.None, t));
            Assert.IsFalse(AlarmSeverity.LedOn(AlarmSeverity.None, t));
            Assert.IsTrue(AlarmSeverity.LedOn(AlarmSeverity.Clinical, t));
            Assert.AreEqual(t % 1000 < 500, AlarmSeverity.BuzzerOn(AlarmSeverity.Clinical, t));
            Assert.AreEqual(t % 2000 < 1000, AlarmSeverity.LedOn(AlarmSeverity.Technical, t));
        }
    }
}
