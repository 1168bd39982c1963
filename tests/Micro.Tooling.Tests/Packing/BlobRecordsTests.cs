using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Inspection;
using Micro.Tooling.Packing;

namespace Micro.Tooling.Tests.Packing;

/// <summary>Records added to a blob after it was written: merged in tag order, replaced by tag, removed again; the device's reader takes every result.</summary>
[TestClass]
public class BlobRecordsTests
{
    [TestMethod]
    public void RecordsAreMergedInTagOrderReplacedAndRemoved()
    {
        var packed = Packer.Pack(new PackOptions { Model = OnnxFixtures.Model("mlp"), Calibration = Path.Combine(OnnxFixtures.Dir, "mlp_calib.npy") }).Blob;
        byte[] bare = BlobRecords.Without(packed);
        Assert.AreEqual(0, Model.Load(bare).Records.Length);

        // A record added later with a lower-numbered neighbour already there still ends up in tag order.
        byte[] four = BlobRecords.With(bare, new Dictionary<int, byte[]> { [BlobLayout.RecordSelfTest] = new byte[] { 9, 8, 7 } });
        byte[] both = BlobRecords.With(four, new Dictionary<int, byte[]> { [BlobLayout.RecordInputLayout] = "NWC"u8.ToArray() });
        var m = Model.Load(both);
        CollectionAssert.AreEqual(new[] { BlobLayout.RecordInputLayout, BlobLayout.RecordSelfTest }, new[] { m.Records[0], m.Records[3] });
        Assert.AreEqual("NWC", BlobMetadata.Read(m).InputLayout);
        CollectionAssert.AreEqual(new byte[] { 9, 8, 7 }, BlobMetadata.Record(m, BlobLayout.RecordSelfTest));

        byte[] replaced = BlobRecords.With(both, new Dictionary<int, byte[]> { [BlobLayout.RecordInputLayout] = "NCW"u8.ToArray() });
        Assert.AreEqual("NCW", BlobMetadata.Read(Model.Load(replaced)).InputLayout);
        Assert.AreEqual(both.Length, replaced.Length);

        // Everything before the records is the emitter's bytes (the header's length and CRC aside).
        CollectionAssert.AreEqual(bare.Skip(BlobLayout.CrcStart).ToArray(), packed.Skip(BlobLayout.CrcStart).Take(bare.Length - BlobLayout.CrcStart).ToArray());
        CollectionAssert.AreEqual(bare, BlobRecords.Without(replaced));
    }
}
