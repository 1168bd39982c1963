using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

/// <summary>The chain run on one CinC 2015 record of ../shared/data, for the rule tests that compare a rule on and off.</summary>
internal static class CincRecords
{
    /// <summary>Whether ../shared/data holds the CinC records (the tests skip with a reason when not).</summary>
    public static bool Available
    {
        get
        {
            try { return Directory.Exists(SharedData.Cinc); }
            catch (InvalidOperationException) { return false; }
        }
    }

    /// <summary>The alarms (AlarmKinds bits) the chain raises on record <paramref name="id"/>.</summary>
    public static int Raised(string id, HeartRateSettings? template = null)
    {
        var alarm = CincDataset.ReadLabels(SharedData.Cinc).Single(a => a.RecordId == id);
        return ChainHarness.RaisedMask(ChainHarness.Run(CincDataset.ReadRecording(SharedData.Cinc, alarm), template));
    }
}
