using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

/// <summary>
/// The tracker started mid-run (ColdStart): no history from the rest at the recording's start. TROIKA DATA_10
/// from 60 s in, the arm swinging at ~82 bpm, steps at ~165, the heart at 154–170 and its PPG peak a tenth of
/// the arm's.
/// </summary>
[TestClass]
public sealed class TrackerColdStartTests
{
    private static double Error(TroikaRecording r, int lobe, int motionTrack) =>
        TroikaEvaluation.EvaluateOne(r, new HeartRateSettings { TrackerHarmonicLobeBins = lobe, TrackerMotionTrackUpdates = motionTrack }).MeanAbsoluteError;

    [TestMethod]
    public void MidRunStartFindsTheHeartNotTheArm()
    {
        var r = ColdStart.At(TroikaDataset.Read(SharedData.Troika, "DATA_10_TYPE02"), 60);
        var d = new HeartRateSettings();
        double both = Error(r, d.TrackerHarmonicLobeBins, d.TrackerMotionTrackUpdates);
        double noLobe = Error(r, 0, d.TrackerMotionTrackUpdates);
        double noMotionTrack = Error(r, d.TrackerHarmonicLobeBins, 0);
        double neither = Error(r, 0, 0);
        Console.WriteLine($"DATA_10 from 60 s: {both:F1} bpm; without the half-rate lobe {noLobe:F1}; without the motion-track rule {noMotionTrack:F1}; without both {neither:F1}");
        Assert.IsTrue(both <= 5, $"{both:F1} bpm");
        Assert.IsTrue(noMotionTrack > 10, $"without the motion-track rule {noMotionTrack:F1} bpm");
        Assert.IsTrue(neither > 20, $"without both {neither:F1} bpm");
    }

    [TestMethod]
    public void ColdStartCutsTheSignalsAndShiftsTheReference()
    {
        var whole = TroikaDataset.Read(SharedData.Troika, "DATA_01_TYPE01");
        var cut = ColdStart.At(whole, 60);
        Assert.AreEqual("DATA_01_TYPE01@60s", cut.RecordId);
        int skip = (int)Math.Round(60 * whole.Recording.SampleRateHz);
        Assert.AreEqual(whole.Recording.Length - skip, cut.Recording.Length);
        Assert.AreEqual(whole.Recording.Ppg[skip], cut.Recording.Ppg[0]);
        Assert.AreEqual(whole.Recording.AccZ![skip + 5], cut.Recording.AccZ![5]);
        var first = whole.Reference.First(w => w.StartSeconds >= 60);
        Assert.AreEqual(first.Bpm, cut.Reference[0].Bpm);
        Assert.AreEqual(first.StartSeconds - 60, cut.Reference[0].StartSeconds, 1e-9);
        Assert.AreEqual(whole.Reference.Count(w => w.StartSeconds >= 60), cut.Reference.Count);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ColdStart.At(whole, 100000));
        // Only recordings a minute longer than the cut; never a cold start of a cold start.
        var all = ColdStart.With(new[] { whole, cut }, new[] { 60 });
        Assert.AreEqual(3, all.Count);
    }
}
