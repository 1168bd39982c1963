using Micro.App.Tests.Support;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Packing;

namespace Micro.App.Tests;

/// <summary>
/// The boot self-test (metadata record 4) on the bundled heart-rate model packed with --selftest 8: the
/// device runner (Micro.App.ModelSelfTest) passes it, fails it when one weight byte changes under a matching
/// CRC, refuses records it cannot read, and the loader treats a failure as a model fault.
/// </summary>
[TestClass]
public sealed class ModelSelfTestTests
{
    private static readonly Lazy<byte[]> Packed = new(() =>
    {
        string dir = Path.Combine(SharedData.RepoRoot(), "models", "heart-rate");
        return Packer.Pack(new PackOptions
        {
            Model = Path.Combine(dir, "heart-rate.onnx"),
            Calibration = Path.Combine(dir, "calibration.npy"),
            Exits = new[] { "exit1:25" },
            SelfTest = 8,
        }).Blob;
    });

    /// <summary>Counts 100 µs per read, so a run that reads it twice reports 100.</summary>
    private sealed class StepClock : IMicroClock
    {
        private long now;
        public long Microseconds => now += 100;
    }

    /// <summary>The packed blob with one byte of the first op's weights changed and the CRC re-sealed.</summary>
    public static byte[] WithChangedWeight(byte[] blob)
    {
        var b = (byte[])blob.Clone();
        b[BlobLayout.ConstStart] ^= 0x40;
        BlobRecords.Reseal(b);
        return b;
    }

    [TestMethod]
    public void PackedSelfTestPassesOnTheDeviceRunner()
    {
        var model = Model.Load(Packed.Value);
        var r = ModelSelfTest.Run(model, new StepClock());
        Assert.IsTrue(r.Present);
        Assert.AreEqual(8, r.Vectors);
        Assert.AreEqual(8, r.Passed, r.Message);
        Assert.IsTrue(r.Ok);
        Assert.AreEqual(-1, r.FirstFailure);
        Assert.AreEqual(100, r.Micros);
        Assert.AreEqual("8/8", r.Summary());
        // Picked to cover the classes: the heart-rate model's four classes, twice each.
        var classes = SelfTestRecord.Read(model).Select(v => v.Class).ToList();
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 0, 1, 2, 3 }, classes);
    }

    [TestMethod]
    public void OneChangedWeightByteFailsTheSelfTestThoughTheCrcMatches()
    {
        byte[] bad = WithChangedWeight(Packed.Value);
        var model = Model.Load(bad); // the CRC matches: only the self-test can tell
        var r = ModelSelfTest.Run(model, null);
        Assert.IsFalse(r.Ok);
        Assert.IsTrue(r.Passed < 8);
        Assert.IsTrue(r.FirstFailure >= 0);
        Assert.AreEqual(-1, r.Micros);
        StringAssert.Contains(r.Message, "vectors differ");
        StringAssert.StartsWith(r.Summary(), "FAIL ");
    }

    [TestMethod]
    public void LoaderFallsBackFromAFailingSelfTestAndReportsAModelFaultWhenNoneIsLeft()
    {
        byte[] bad = WithChangedWeight(Packed.Value);
        var fallback = ModelLoader.Load(bad, Packed.Value);
        Assert.IsTrue(fallback.HasModel);
        Assert.AreEqual("resource", fallback.Source);
        Assert.AreEqual(1, fallback.FailedSources);
        Assert.AreEqual(0, fallback.ErrorCode); // a model loaded; the message still says why storage's did not
        StringAssert.StartsWith(fallback.Message, "storage: self-test failed");
        Assert.IsTrue(fallback.SelfTest.Ok);

        var none = ModelLoader.Load(bad, null);
        Assert.IsTrue(none.IsFault);
        Assert.AreEqual(ModelLoadResult.SelfTestFailed, none.ErrorCode);
        Assert.IsFalse(none.SelfTest.Ok);
    }

    [TestMethod]
    public void BlobWithoutTheRecordHasNoSelfTestAndLoads()
    {
        byte[] plain = File.ReadAllBytes(Path.Combine(SharedData.RepoRoot(), "models", "heart-rate", "heart-rate.mblob"));
        var r = ModelSelfTest.Run(Model.Load(plain), new StepClock());
        Assert.IsFalse(r.Present);
        Assert.IsTrue(r.Ok);
        Assert.AreEqual("none", r.Summary());
        Assert.IsTrue(ModelLoader.Load(plain, null).HasModel);
    }

    [TestMethod]
    [DataRow(new byte[] { 2, 1, 0, 1, 1, 0, 0 }, "record layout 2")]
    [DataRow(new byte[] { 1, 1, 4, 1, 1, 0, 0 }, "flags 4")]
    [DataRow(new byte[] { 1, 0, 0 }, "0 vectors")]
    [DataRow(new byte[] { 1, 1, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0 }, "vectors of 3 -> 4 bytes")]
    [DataRow(new byte[] { 1, 1 }, "shorter than its 3-byte head")]
    public void UnreadableRecordIsAFaultWithTheReason(byte[] record, string why)
    {
        byte[] plain = File.ReadAllBytes(Path.Combine(SharedData.RepoRoot(), "models", "heart-rate", "heart-rate.mblob"));
        var r = ModelSelfTest.Run(Model.Load(SelfTestRecord.Append(plain, BlobLayout.RecordSelfTest, record)), null);
        Assert.IsTrue(r.Present);
        Assert.IsFalse(r.Ok);
        StringAssert.Contains(r.Message, why);
    }

    [TestMethod]
    public void RecordWhoseSizesDoNotAddUpIsAFault()
    {
        var model = Model.Load(Packed.Value);
        int inBytes = model.Tensors[model.Inputs[0]].ByteSize, outBytes = model.Tensors[model.Outputs[0]].ByteSize;
        var record = new List<byte> { 1, 2, 0 };
        var s = new MemoryStream();
        Micro.Tooling.Blob.BlobWriter.Varint(s, (uint)inBytes);
        Micro.Tooling.Blob.BlobWriter.Varint(s, (uint)outBytes);
        record.AddRange(s.ToArray());
        record.AddRange(new byte[inBytes + outBytes]); // one vector where the head says two
        byte[] plain = File.ReadAllBytes(Path.Combine(SharedData.RepoRoot(), "models", "heart-rate", "heart-rate.mblob"));
        var r = ModelSelfTest.Run(Model.Load(SelfTestRecord.Append(plain, BlobLayout.RecordSelfTest, record.ToArray())), null);
        Assert.IsFalse(r.Ok);
        StringAssert.Contains(r.Message, "not 2 x");
    }
}
