using Micro.HeartRate;
using Micro.Tooling.Data;
using Micro.Tooling.Recordings;
using Micro.Tooling.Training;

namespace Micro.Model.Tests;

[TestClass]
public sealed class DatasetBuilderTests
{
    [TestMethod]
    public void Liu_labels_map_to_the_documented_classes()
    {
        Assert.AreEqual(RhythmClass.Regular, RhythmDatasetBuilder.LiuLabel("sinus_rhythm"));
        Assert.AreEqual(RhythmClass.Regular, RhythmDatasetBuilder.LiuLabel("SVT"));
        Assert.AreEqual(RhythmClass.Regular, RhythmDatasetBuilder.LiuLabel("ventricular_tachycardia"));
        Assert.AreEqual(RhythmClass.Irregular, RhythmDatasetBuilder.LiuLabel("atrial_fibrillation"));
        Assert.AreEqual(RhythmClass.Irregular, RhythmDatasetBuilder.LiuLabel("PVC"));
        Assert.AreEqual(RhythmClass.Irregular, RhythmDatasetBuilder.LiuLabel("PAC"));
        Assert.ThrowsExactly<InvalidDataException>(() => RhythmDatasetBuilder.LiuLabel("flutter"));
    }

    [TestMethod]
    public void Troika_records_of_one_subject_share_a_group()
    {
        Assert.AreEqual("S04", RhythmDatasetBuilder.TroikaSubject("DATA_S04_T01"));
        Assert.AreEqual("S04", RhythmDatasetBuilder.TroikaSubject("TEST_S04_T02"));
        Assert.AreEqual("DATA_01_TYPE01", RhythmDatasetBuilder.TroikaSubject("DATA_01_TYPE01"));
    }

    [TestMethod]
    public void Windows_are_what_the_monitor_copies_at_that_step()
    {
        // Replay one CinC record by hand and compare the builder's window at step 16 with CopyWindow.
        string folder = Path.Combine(ModelFiles.SharedData, RhythmDatasetBuilder.CincFolder);
        var alarm = CincDataset.ReadLabels(folder).First(a => a.RecordId == "v100s");
        var rec = CincDataset.ReadRecording(folder, alarm);
        var monitor = new HeartRateMonitor(ChainHarness.SettingsFor(rec));
        var expected = new sbyte[250];
        for (int i = 0; i < rec.Length; i++)
            if (monitor.AddSample(rec.PpgCounts(i)) && monitor.Result.Step == 16) Assert.IsTrue(monitor.CopyWindow(expected, 250));
        var built = ModelFiles.Dataset.Windows.Single(w => w.Record == "v100s" && w.Step == 16);
        CollectionAssert.AreEqual(expected, built.Samples);
        Assert.AreEqual(WindowSource.Cinc2015, built.Source);
    }

    [TestMethod]
    public void The_real_data_gives_every_class_and_groups_never_span_two_sources()
    {
        var ds = ModelFiles.Dataset;
        foreach (RhythmClass c in Enum.GetValues<RhythmClass>()) Assert.IsTrue(ds.Count(c) > 0, $"no {c} windows");
        Assert.IsTrue(ds.Windows.All(w => w.Samples.Length == 250));
        foreach (var g in ds.Windows.GroupBy(w => w.Group))
            Assert.AreEqual(1, g.Select(w => w.Source).Distinct().Count(), $"group {ds.GroupNames[g.Key]} spans sources");
        // Liu segments: one window each, labelled by the mapping.
        foreach (var w in ds.Windows.Where(w => w.Source == WindowSource.Liu2022))
            Assert.AreEqual(RhythmDatasetBuilder.LiuLabel(w.Reason), w.Label);
        // True asystole windows are no_pulse.
        Assert.IsTrue(ds.Windows.Where(w => w.Reason == "true Asystole").All(w => w.Label == RhythmClass.NoPulse));
    }

    [TestMethod]
    public void Written_npy_files_hold_the_int8_windows_over_128_with_labels_and_groups()
    {
        var ds = ModelFiles.Dataset;
        var small = new RhythmDataset(ds.Windows.Take(40).ToList(), ds.GroupNames);
        string dir = Path.Combine(Path.GetTempPath(), "micro-model-ds-" + Guid.NewGuid().ToString("N"));
        try
        {
            RhythmDatasetBuilder.Write(small, dir);
            var x = NpyFile.Read(Path.Combine(dir, "windows.npy"));
            CollectionAssert.AreEqual(new[] { 40, 1, 250 }, x.Shape);
            Assert.AreEqual(small.Windows[7].Samples[123] / 128f, x.Float32![7 * 250 + 123]);
            var y = NpyFile.Read(Path.Combine(dir, "labels.npy"));
            var g = NpyFile.Read(Path.Combine(dir, "groups.npy"));
            Assert.AreEqual((long)small.Windows[39].Label, y.Int64![39]);
            Assert.AreEqual(small.Windows[39].Group, g.Int64![39]);
            Assert.AreEqual(41, File.ReadAllLines(Path.Combine(dir, "index.csv")).Length);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Two_channel_windows_are_the_monitors_ppg_and_tachogram_written_channels_first()
    {
        // The builder's two-channel window of a CinC record at step 16 is CopyWindow(…, 2) replayed by hand.
        string folder = Path.Combine(ModelFiles.SharedData, RhythmDatasetBuilder.CincFolder);
        var alarm = CincDataset.ReadLabels(folder).First(a => a.RecordId == "v100s");
        var rec = CincDataset.ReadRecording(folder, alarm);
        var monitor = new HeartRateMonitor(ChainHarness.SettingsFor(rec));
        var expected = new sbyte[500];
        for (int i = 0; i < rec.Length; i++)
            if (monitor.AddSample(rec.PpgCounts(i)) && monitor.Result.Step == 16) Assert.IsTrue(monitor.CopyWindow(expected, 250, 2));
        sbyte[]? built = null;
        RhythmDatasetBuilder.Walk(rec, 250, (step, _) => step == 16, (_, _, w) => built = (sbyte[])w.Clone(), channels: 2);
        CollectionAssert.AreEqual(expected, built);
        Assert.IsTrue(built!.Where((_, i) => i % 2 == 1).Any(v => v != 0), "the tachogram channel is not empty");

        var one = ModelFiles.Dataset.Windows.Single(w => w.Record == "v100s" && w.Step == 16);
        var two = one with { Samples = built!, Channels = 2 };
        var other = one with { Samples = (sbyte[])built!.Clone(), Channels = 2 };
        other.Samples[2 * 200 + 1] = 77;
        string dir = Path.Combine(Path.GetTempPath(), "micro-model-ds2-" + Guid.NewGuid().ToString("N"));
        try
        {
            RhythmDatasetBuilder.Write(new RhythmDataset(new[] { two, other }, ModelFiles.Dataset.GroupNames), dir);
            var x = NpyFile.Read(Path.Combine(dir, "windows.npy"));
            CollectionAssert.AreEqual(new[] { 2, 2, 250 }, x.Shape);
            for (int j = 0; j < 250; j++)
            {
                Assert.AreEqual(one.Samples[j] / 128f, x.Float32![j], "channel 0 is the one-channel window");
                Assert.AreEqual(built[2 * j + 1] / 128f, x.Float32![250 + j], "channel 1 is the tachogram");
            }
            Assert.AreEqual(77 / 128f, x.Float32![500 + 250 + 200], "window 1, channel 1, sample 200");
            Assert.ThrowsExactly<InvalidDataException>(() => RhythmDatasetBuilder.Write(new RhythmDataset(new[] { one, two }, ModelFiles.Dataset.GroupNames), dir + "-mixed"));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void A_folder_without_any_data_set_is_refused_with_the_expected_layout()
    {
        string dir = Directory.CreateTempSubdirectory("micro-empty").FullName;
        try
        {
            var e = Assert.ThrowsExactly<InvalidDataException>(() => RhythmDatasetBuilder.Build(dir));
            StringAssert.Contains(e.Message, "cinc2015_false_alarm/labels.csv");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
