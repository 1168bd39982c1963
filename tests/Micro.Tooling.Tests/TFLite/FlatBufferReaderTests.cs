#nullable enable
using System.Buffers.Binary;
using System.Text;
using Micro.Tooling.TFLite;
using Micro.Tooling.TFLite.FlatBuffers;

namespace Micro.Tooling.Tests.TFLite;

[TestClass]
public class FlatBufferReaderTests
{
    // A hand-assembled flatbuffer:
    //  0: u32 root offset → table at 20          4: "TEST"
    //  8: vtable: size 10, inline size 16, field0 @4, field1 @8, field2 @12
    // 20: table: soffset 12 (vtable at 8); @24 int 42; @28 uoffset → vector at 36; @32 uoffset → string at 52
    // 36: vector [1, 2, 3]                      52: string "hello\0"
    private static byte[] Sample()
    {
        var b = new byte[64];
        Put32(b, 0, 20);
        Encoding.ASCII.GetBytes("TEST").CopyTo(b, 4);
        Put16(b, 8, 10); Put16(b, 10, 16); Put16(b, 12, 4); Put16(b, 14, 8); Put16(b, 16, 12);
        Put32(b, 20, 12);
        Put32(b, 24, 42);
        Put32(b, 28, 36 - 28);
        Put32(b, 32, 52 - 32);
        Put32(b, 36, 3); Put32(b, 40, 1); Put32(b, 44, 2); Put32(b, 48, 3);
        Put32(b, 52, 5);
        Encoding.ASCII.GetBytes("hello").CopyTo(b, 56);
        return b;
    }

    private static void Put16(byte[] b, int at, int v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), (ushort)v);
    private static void Put32(byte[] b, int at, int v) => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(at), v);

    private static FbTable Root(byte[] b) => new FlatBufferReader(b).ReadRoot("TEST", "root");

    private static string Fails(Action a)
    {
        var e = Assert.ThrowsExactly<TfliteFormatException>(a);
        return e.Message;
    }

    [TestMethod]
    public void ReadsScalarsVectorsStringsAndDefaults()
    {
        FbTable t = Root(Sample());
        Assert.AreEqual(20, t.Position);
        Assert.AreEqual(42, t.GetInt32(0, "f0"));
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, t.GetVector(1, "f1", 4)!.Value.ToInt32Array());
        Assert.AreEqual("hello", t.GetString(2, "f2"));
        // Field 3 lies beyond the vtable: absent, reads as its default.
        Assert.IsFalse(t.Has(3));
        Assert.AreEqual(7, t.GetInt32(3, "f3", 7));
        Assert.IsNull(t.GetTable(3, "f3"));
        // Field 0 read as a 4-byte inline struct.
        ReadOnlySpan<byte> s = t.GetStruct(0, "f0", 4, 4);
        Assert.AreEqual(42, BinaryPrimitives.ReadInt32LittleEndian(s));
    }

    [TestMethod]
    public void AbsentSlotReadsDefault()
    {
        byte[] b = Sample();
        Put16(b, 12, 0); // field 0 slot = 0: absent
        Assert.AreEqual(-5, Root(b).GetInt32(0, "f0", -5));
    }

    [TestMethod]
    public void RejectsShortFileAndWrongIdentifier()
    {
        StringAssert.Contains(Fails(() => Root(new byte[6])), "at least 8");
        byte[] b = Sample();
        b[4] = (byte)'X';
        StringAssert.Contains(Fails(() => Root(b)), "file identifier");
    }

    [TestMethod]
    public void RejectsBadRootOffsets()
    {
        byte[] b = Sample();
        Put32(b, 0, 0);
        StringAssert.Contains(Fails(() => Root(b)), "offset at byte 0 is 0");
        Put32(b, 0, 64);
        StringAssert.Contains(Fails(() => Root(b)), "outside the file");
        Put32(b, 0, -4);
        StringAssert.Contains(Fails(() => Root(b)), "outside the file");
        Put32(b, 0, 22);
        StringAssert.Contains(Fails(() => Root(b)), "not 4-byte aligned");
        Put32(b, 0, 62);
        Fails(() => Root(b));
    }

    [TestMethod]
    public void RejectsBadVtables()
    {
        byte[] b = Sample();
        Put32(b, 20, 1000);          // vtable before the file start
        StringAssert.Contains(Fails(() => Root(b)), "vtable");
        Put32(b, 20, -100);          // vtable after the end
        StringAssert.Contains(Fails(() => Root(b)), "vtable");
        Put32(b, 20, 11);            // vtable at odd byte 9
        StringAssert.Contains(Fails(() => Root(b)), "2-byte aligned");
        b = Sample();
        Put16(b, 8, 9);              // odd vtable length
        StringAssert.Contains(Fails(() => Root(b)), "bad length");
        Put16(b, 8, 2);              // too short
        Fails(() => Root(b));
        Put16(b, 8, 60000);          // longer than the file
        Fails(() => Root(b));
        b = Sample();
        Put16(b, 10, 60000);         // inline size past the end
        StringAssert.Contains(Fails(() => Root(b)), "inline size");
    }

    [TestMethod]
    public void RejectsFieldsOutsideTheTable()
    {
        byte[] b = Sample();
        Put16(b, 10, 8);             // inline size 8: field 1 at +8 no longer fits
        FbTable t = Root(b);
        Assert.AreEqual(42, t.GetInt32(0, "f0"));
        StringAssert.Contains(Fails(() => t.GetVector(1, "f1", 4)), "outside the table");
        b = Sample();
        Put16(b, 12, 2);             // field 0 inside the soffset
        StringAssert.Contains(Fails(() => Root(b).GetInt32(0, "f0")), "outside the table");
        b = Sample();
        Put16(b, 12, 6);             // 4-byte field at byte 26: misaligned
        StringAssert.Contains(Fails(() => Root(b).GetInt32(0, "f0")), "aligned");
    }

    [TestMethod]
    public void RejectsBadVectorsAndStrings()
    {
        byte[] b = Sample();
        Put32(b, 36, 1_000_000_000); // vector length past the end
        StringAssert.Contains(Fails(() => Root(b).GetVector(1, "f1", 4)), "past the end");
        Put32(b, 36, -1);            // 2^32 − 1 elements
        Fails(() => Root(b).GetVector(1, "f1", 4));
        b = Sample();
        Put32(b, 28, 2_000_000_000); // offset far outside
        StringAssert.Contains(Fails(() => Root(b).GetVector(1, "f1", 4)), "outside the file");
        b = Sample();
        Put32(b, 28, 9);             // vector at byte 37: misaligned
        StringAssert.Contains(Fails(() => Root(b).GetVector(1, "f1", 4)), "aligned");
        b = Sample();
        b[61] = (byte)'!';           // string terminator overwritten
        StringAssert.Contains(Fails(() => Root(b).GetString(2, "f2")), "terminating zero");
        b = Sample();
        Put32(b, 52, 12);            // string runs to the last byte: no room for the terminator
        Fails(() => Root(b).GetString(2, "f2"));
        b = Sample();
        b[56] = 0xC3; b[57] = 0x28;  // invalid UTF-8
        StringAssert.Contains(Fails(() => Root(b).GetString(2, "f2")), "UTF-8");
    }

    [TestMethod]
    public void WorkBudgetStopsFilesThatReferenceOneVectorManyTimes()
    {
        // A vector of 1,000 offsets to one table whose field is a 1,000-element vector: 10^6 element reads
        // from a file of a few kilobytes. A small budget refuses it.
        var w = new FbWriter.Table().Set(0, FbWriter.Ints(new int[1000]));
        var root = new FbWriter.Table().Set(0, FbWriter.Of(Enumerable.Repeat<FbWriter.Node>(w, 1)));
        byte[] file = FbWriter.Build(root, "TEST");
        var r = new FlatBufferReader(file, workBudget: 500);
        FbTable t = r.ReadRoot("TEST", "root");
        FbTable inner = t.GetVector(0, "v", 4)!.Value.TableAt(0, "v[0]");
        StringAssert.Contains(Fails(() => inner.GetVector(0, "x", 4)!.Value.ToInt32Array()), "more tables and vector elements");
        // With the default budget the same small read succeeds.
        var ok = new FlatBufferReader(file).ReadRoot("TEST", "root").GetVector(0, "v", 4)!.Value.TableAt(0, "v[0]");
        Assert.AreEqual(1000, ok.GetVector(0, "x", 4)!.Value.ToInt32Array().Length);
    }

    [TestMethod]
    public void UnionsReadTypeThenValue()
    {
        var value = new FbWriter.Table().Set(0, 99);
        var root = new FbWriter.Table().Set(0, (byte)5).Set(1, value);
        FbTable t = new FlatBufferReader(FbWriter.Build(root, "TEST")).ReadRoot("TEST", "root");
        FbTable? u = t.GetUnion(0, "u", out byte type);
        Assert.AreEqual((byte)5, type);
        Assert.AreEqual(99, u!.Value.GetInt32(0, "x"));
        var none = new FbWriter.Table().Set(1, value);
        FbTable t2 = new FlatBufferReader(FbWriter.Build(none, "TEST")).ReadRoot("TEST", "root");
        Assert.IsNull(t2.GetUnion(0, "u", out byte type2));
        Assert.AreEqual((byte)0, type2);
    }
}
