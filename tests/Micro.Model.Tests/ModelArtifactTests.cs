using Micro.HostTools.Commands;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Calibration;
using Micro.Tooling.Evaluation;

namespace Micro.Model.Tests;

[TestClass]
public sealed class ModelArtifactTests
{
    [TestMethod]
    public void Repacking_the_committed_onnx_gives_the_committed_blob_byte_for_byte()
    {
        var packed = Micro.Tooling.Packing.Packer.Pack(HeartRateModel.PackOptions(ModelFiles.Onnx, ModelFiles.Calibration));
        var committed = File.ReadAllBytes(ModelFiles.Blob);
        Assert.AreEqual(committed.Length, packed.Blob.Length, "blob length");
        CollectionAssert.AreEqual(committed, packed.Blob, "re-packing models/heart-rate/heart-rate.onnx must reproduce heart-rate.mblob (run the pack command in models/heart-rate/README.md)");
    }

    [TestMethod]
    public void The_blob_takes_the_devices_int8_window_as_is_and_has_one_exit_head()
    {
        var model = Micro.Runtime.Model.Load(File.ReadAllBytes(ModelFiles.Blob));
        var input = model.Tensors[model.Inputs[0]];
        Assert.AreEqual(DType.Int8, input.DType);
        Assert.AreEqual(250, input.ElementCount);
        Assert.AreEqual(1.0 / 128, input.Scale, 1e-9, "input scale 1/128: CopyWindow's int8 goes in unchanged");
        Assert.AreEqual(0, input.ZeroPoint);
        Assert.AreEqual(1, model.Exits.Length);
        Assert.IsTrue(model.Exits[0].Threshold > 0);
        Assert.AreEqual(4, model.Tensors[model.Outputs[0]].ElementCount);
        Assert.AreEqual(4, model.Tensors[model.Exits[0].OutputTensor].ElementCount);
        Assert.IsTrue(model.ArenaSize <= 16384, $"arena {model.ArenaSize} B must fit the ESP32 budget");
    }

    [TestMethod]
    public void The_blob_classifies_held_out_subjects_above_the_measured_floor()
    {
        var held = ModelFiles.HeldOutGroups();
        var ds = ModelFiles.Dataset;
        var classifier = new HostRhythmClassifier(File.ReadAllBytes(ModelFiles.Blob));
        int n = 0, correct = 0, exits = 0, regular = 0, regularOk = 0, irregular = 0, irregularOk = 0;
        foreach (var w in ds.Windows)
        {
            if (!held.Contains(ds.GroupNames[w.Group])) continue;
            var (top, exit) = classifier.Predict(w.Samples);
            n++;
            if (top == (int)w.Label) correct++;
            if (exit != 0) exits++;
            if (w.Label == Micro.Tooling.Training.RhythmClass.Regular) { regular++; if (top == 0) regularOk++; }
            if (w.Label == Micro.Tooling.Training.RhythmClass.Irregular) { irregular++; if (top == 1) irregularOk++; }
        }
        double acc = (double)correct / n;
        Console.WriteLine($"held out: {n} windows, accuracy {acc:P1}, regular {regularOk}/{regular}, irregular {irregularOk}/{irregular}, exit head {exits}");
        Assert.IsTrue(n > 1000, $"only {n} held-out windows");
        // Measured (int8, early exit on): see models/heart-rate/README.md; floor = measured − 3 points.
        Assert.IsTrue(acc >= HeldOutAccuracyFloor, $"held-out accuracy {acc:P1} below {HeldOutAccuracyFloor:P1}");
        Assert.IsTrue(exits > 0, "the exit head never answered");
    }

    public const double HeldOutAccuracyFloor = 0.81;
}
