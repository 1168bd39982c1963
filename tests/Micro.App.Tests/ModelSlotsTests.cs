using Micro.Runtime.Format;
using Micro.Tooling.Packing;

namespace Micro.App.Tests;

/// <summary>
/// Safe model updates (ModelSlots) with power cuts injected at every write step of the storage: an update of
/// a good model by a good one, and by one that fails its self-test. After any cut and a reboot, the device
/// always finds a model that passes its check (the old or the new), never none, and a failing new model is
/// rolled back.
/// </summary>
[TestClass]
public sealed class ModelSlotsTests
{
    /// <summary>Thrown by the store when the power goes.</summary>
    private sealed class PowerCut : Exception
    {
    }

    /// <summary>
    /// In-memory storage that counts write steps: a Write is "truncate" then one step per 256-byte chunk, a
    /// Delete one step. With CutAt = k the k-th step throws PowerCut after doing nothing of it, leaving the
    /// file as far as the earlier steps wrote it (a torn write).
    /// </summary>
    private sealed class FaultyStore : IModelStore
    {
        public readonly Dictionary<string, byte[]> Files = new();
        public int Steps;
        public int CutAt = int.MaxValue;

        private void Step()
        {
            if (++Steps == CutAt) throw new PowerCut();
        }

        public byte[]? Read(string name) => Files.TryGetValue(name, out var b) ? (byte[])b.Clone() : null;

        public void Write(string name, byte[] data)
        {
            Step();
            Files[name] = Array.Empty<byte>();
            for (int at = 0; at < data.Length; at += 256)
            {
                Step();
                Files[name] = data[..Math.Min(data.Length, at + 256)];
            }
        }

        public void Delete(string name)
        {
            Step();
            Files.Remove(name);
        }

        public FaultyStore Copy()
        {
            var c = new FaultyStore();
            foreach (var (k, v) in Files) c.Files[k] = (byte[])v.Clone();
            return c;
        }
    }

    private static readonly Lazy<byte[]> Old = new(() => Pack(4));
    private static readonly Lazy<byte[]> New = new(() => Pack(8));

    private static byte[] Pack(int vectors)
    {
        string dir = Path.Combine(Support.SharedData.RepoRoot(), "models", "heart-rate");
        return Packer.Pack(new PackOptions { Model = Path.Combine(dir, "heart-rate.onnx"), Calibration = Path.Combine(dir, "calibration.npy"), Exits = new[] { "exit1:25" }, SelfTest = vectors }).Blob;
    }

    private static byte[] Broken => ModelSelfTestTests.WithChangedWeight(New.Value);

    /// <summary>A store with the old model installed and confirmed.</summary>
    private static FaultyStore WithOld()
    {
        var store = new FaultyStore();
        var slots = new ModelSlots(store);
        slots.Install(Old.Value);
        CollectionAssert.AreEqual(Old.Value, slots.Boot(new SelfTestCheck()));
        Assert.AreEqual("confirmed", slots.LastBoot);
        return store;
    }

    /// <summary>Install then Boot, as the device does when a new model arrives; returns what Boot ran.</summary>
    private static byte[]? Update(IModelStore store, byte[] blob)
    {
        var slots = new ModelSlots(store);
        slots.Install(blob);
        return new ModelSlots(store).Boot(new SelfTestCheck());
    }

    [TestMethod]
    public void GoodUpdateIsConfirmedAndKeptAcrossBoots()
    {
        var store = WithOld();
        CollectionAssert.AreEqual(New.Value, Update(store, New.Value));
        var again = new ModelSlots(store);
        Assert.IsFalse(again.OnTrial);
        CollectionAssert.AreEqual(New.Value, again.Boot(new SelfTestCheck()));
        Assert.AreEqual("active", again.LastBoot);
        // The old model's slot is the one the next update writes.
        Assert.AreEqual(1, again.Active);
    }

    [TestMethod]
    public void UpdateThatFailsItsSelfTestIsRolledBack()
    {
        var store = WithOld();
        var slots = new ModelSlots(store);
        slots.Install(Broken);
        Assert.IsTrue(slots.OnTrial);
        var boot = new ModelSlots(store);
        CollectionAssert.AreEqual(Old.Value, boot.Boot(new SelfTestCheck()));
        StringAssert.StartsWith(boot.LastBoot, "rolled back: slot 1: self-test failed");
        Assert.AreEqual(0, boot.BootedSlot);
        Assert.AreEqual(0, new ModelSlots(store).Active);
        Assert.IsFalse(new ModelSlots(store).OnTrial);
    }

    [TestMethod]
    public void InstallIsRefusedWhileTheActiveModelIsOnTrial()
    {
        var store = WithOld();
        var slots = new ModelSlots(store);
        slots.Install(New.Value);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => slots.Install(Old.Value));
        StringAssert.Contains(e.Message, "still on trial");
    }

    [TestMethod]
    public void EmptyStorageHasNoModelAndTheFirstInstallIsFound()
    {
        var store = new FaultyStore();
        var slots = new ModelSlots(store);
        Assert.IsNull(slots.Boot(new SelfTestCheck()));
        Assert.AreEqual("no model in storage", slots.LastBoot);
        Assert.AreEqual(-1, slots.Active);
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void PowerCutAtEveryWriteStepNeverLeavesTheDeviceWithoutAModel(bool goodUpdate)
    {
        byte[] update = goodUpdate ? New.Value : Broken;
        var probe = WithOld();
        probe.Steps = 0;
        Update(probe, update);
        int total = probe.Steps;
        Assert.IsTrue(total > 40, $"{total} write steps: the blob is written in many chunks");

        for (int cut = 1; cut <= total; cut++)
        {
            var store = WithOld();
            store.Steps = 0;
            store.CutAt = cut;
            Assert.ThrowsExactly<PowerCut>(() => Update(store, update), $"cut at step {cut}");
            store.CutAt = int.MaxValue;

            // Reboot: a model that passes its check always runs: the old one, or the new one once it is complete.
            var first = new ModelSlots(store).Boot(new SelfTestCheck());
            Assert.IsNotNull(first, $"cut at step {cut} of {total}: no model after reboot");
            bool isOld = first.AsSpan().SequenceEqual(Old.Value), isNew = first.AsSpan().SequenceEqual(New.Value);
            Assert.IsTrue(isOld || (goodUpdate && isNew), $"cut at step {cut}: booted neither the old nor the good new model");

            // And it is stable: the next boot runs the same model, with no trial left.
            var second = new ModelSlots(store);
            Assert.IsFalse(second.OnTrial, $"cut at step {cut}");
            CollectionAssert.AreEqual(first, second.Boot(new SelfTestCheck()), $"cut at step {cut}");

            // A power cut during that boot's own manifest writes is covered too: every step of the recovery boot.
            var recovery = WithOld();
            recovery.Steps = 0;
            recovery.CutAt = cut;
            try { Update(recovery, update); } catch (PowerCut) { }
            var tornBoot = recovery.Copy();
            tornBoot.CutAt = 1; // the boot's first write (confirm or roll back) is cut
            try { new ModelSlots(tornBoot).Boot(new SelfTestCheck()); } catch (PowerCut) { }
            tornBoot.CutAt = int.MaxValue;
            var afterTorn = new ModelSlots(tornBoot).Boot(new SelfTestCheck());
            Assert.IsNotNull(afterTorn, $"cut at step {cut}, then during the recovery boot: no model");
            Assert.IsTrue(afterTorn.AsSpan().SequenceEqual(Old.Value) || (goodUpdate && afterTorn.AsSpan().SequenceEqual(New.Value)));
        }
    }

    [TestMethod]
    public void IncomingFileIsInstalledIntoTheInactiveSlotAndDeleted()
    {
        var store = WithOld();
        store.Files["incoming.mblob"] = New.Value;
        var source = new SlotBlobSource("storage", store, "incoming.mblob", new SelfTestCheck());
        CollectionAssert.AreEqual(New.Value, source.Read());
        Assert.AreEqual("confirmed", source.LastBoot);
        Assert.IsFalse(store.Files.ContainsKey("incoming.mblob"));
        CollectionAssert.AreEqual(Old.Value, store.Files[ModelSlots.Slot0], "the old model stays in its slot");

        store.Files["incoming.mblob"] = Broken;
        CollectionAssert.AreEqual(New.Value, source.Read(), "a broken update is rolled back to the model that ran");
        StringAssert.StartsWith(source.LastBoot, "rolled back");
        Assert.IsNull(new SlotBlobSource("storage", new FaultyStore(), "incoming.mblob", new SelfTestCheck()).Read());
    }
}
