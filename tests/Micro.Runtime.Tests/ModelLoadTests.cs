using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.BlobMutation;

namespace Micro.Runtime.Tests;

/// <summary>Each validation rule of docs/blob-format.md refuses its bad blob with its own code.</summary>
[TestClass]
public class ModelLoadTests
{
    private static readonly byte[] Valid = BlobEmitter.Emit(TestModels.Mlp(1, exitThreshold: 30));

    private static int CodeOf(byte[] blob)
    {
        try
        {
            Model.Load(blob);
        }
        catch (BlobFormatException e)
        {
            StringAssert.StartsWith(e.Message, ErrorCodes.Name(e.Code));
            return e.Code;
        }
        Assert.Fail("the blob was accepted");
        return 0;
    }

    [TestMethod]
    public void ValidBlobLoads() => Assert.AreEqual(4, Model.Load(Valid).Ops.Length);

    [TestMethod]
    public void HeaderProblems()
    {
        Assert.AreEqual(ErrorCodes.TooShort, CodeOf(new byte[10]));
        Assert.AreEqual(ErrorCodes.BadMagic, CodeOf(With(Valid, b => b[0] = (byte)'X')));
        Assert.AreEqual(ErrorCodes.UnsupportedVersion, CodeOf(With(Valid, b => SetU16(b, BlobLayout.OffVersion, BlobLayout.FormatVersion + 1))));
        Assert.AreEqual(ErrorCodes.LengthMismatch, CodeOf(Valid[..^4]));
        Assert.AreEqual(ErrorCodes.CrcMismatch, CodeOf(With(Valid, b => b[^8] ^= 0x10, reseal: false)));
        Assert.AreEqual(ErrorCodes.UnknownFlags, CodeOf(With(Valid, b => b[BlobLayout.OffReserved + 2] = 4)));
        Assert.AreEqual(ErrorCodes.BadCount, CodeOf(With(Valid, b => SetU16(b, BlobLayout.OffOpCount, 0))));
        Assert.AreEqual(ErrorCodes.BadCount, CodeOf(With(Valid, b => b[BlobLayout.OffInputCount] = 17)));
        Assert.AreEqual(ErrorCodes.BadSection, CodeOf(With(Valid, b => SetU32(b, BlobLayout.OffConstLength, 1 << 20))));
        // A constant section one byte longer moves the descriptors: the first tensor's dtype is misread.
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => SetU32(b, BlobLayout.OffConstLength, U32(b, BlobLayout.OffConstLength) + 1))));
    }

    [TestMethod]
    public void Version1BlobIsRefusedWithARepackHint()
    {
        // The first 16 bytes of a version-1 blob: magic, version 1, header size 64, total length, CRC.
        byte[] v1 = With(Valid, b => { SetU16(b, BlobLayout.OffVersion, 1); SetU16(b, 6, 64); });
        var e = Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(v1));
        Assert.AreEqual(ErrorCodes.UnsupportedVersion, e.Code);
        StringAssert.Contains(e.Message, "format version 1");
        StringAssert.Contains(e.Message, "micro pack");
    }

    [TestMethod]
    public void WriterUsesShortestVarintsAndReaderRefusesOtherForms()
    {
        Assert.IsTrue(BlobWriter.Varint(0).SequenceEqual(new byte[] { 0 }));
        Assert.IsTrue(BlobWriter.Varint(127).SequenceEqual(new byte[] { 127 }));
        Assert.IsTrue(BlobWriter.Varint(128).SequenceEqual(new byte[] { 0x80, 1 }));
        Assert.IsTrue(BlobWriter.Varint(uint.MaxValue).SequenceEqual(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }));
        foreach (int v in new[] { 0, -1, 1, -128, 127, int.MinValue, int.MaxValue, 1 << 30 })
        {
            var bytes = BlobWriter.Varint(BlobLayout.ZigZag(v));
            int p = 0;
            Assert.AreEqual(v, BlobLayout.UnZigZag((uint)BlobLayout.ReadVarint(bytes, ref p, bytes.Length)));
            Assert.AreEqual(bytes.Length, p);
        }
        int q = 0;
        Assert.AreEqual(-2L, BlobLayout.ReadVarint(new byte[] { 0x80, 0 }, ref q, 2), "a longer form of 0");
        Assert.AreEqual(-2L, BlobLayout.ReadVarint(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x10 }, ref q, 5), "above 32 bits");
        Assert.AreEqual(-1L, BlobLayout.ReadVarint(new byte[] { 0x80 }, ref q, 1), "runs past the end");
        Assert.AreEqual(0, q, "a failed read does not move the cursor");
        // In a blob: param 5 (act_min −128, zigzag 255 = FF 01) of op 2 rewritten as FF 81 00.
        var f = BlobMap.Of(Valid).Ops[2].Params[FullyConnected.PActMin];
        Assert.AreEqual(2, f.Length);
        byte[] longer = Reseal(Splice(Valid, f.At, f.Length, new byte[] { 0xFF, 0x81, 0x00 }));
        Assert.AreEqual(ErrorCodes.BadOpRecord, CodeOf(longer));
        StringAssert.Contains(MessageOf(longer), "op 2 (FULLY_CONNECTED): param 5 is not the shortest varint of a 32-bit value");
        StringAssert.Contains(MessageOf(WithDim(Valid, 0, 1, 65536)), "tensor 0: dimension 1 is 65536, allowed 0..65535");
        // The last op's last param cut in half: its varint runs into the blob's end.
        StringAssert.Contains(MessageOf(Reseal(Splice(Valid, f.At, Valid.Length - f.At, new byte[] { 0xFF }))), "param 5 runs past the end of the");
    }

    private static string MessageOf(byte[] blob) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(blob)).Message;

    [TestMethod]
    public void NewerOpcodeIsRefusedNotMisread()
    {
        int op2 = BlobMap.Of(Valid).Ops[2].At;
        Assert.AreEqual(ErrorCodes.UnknownOpcode, CodeOf(With(Valid, b => b[op2] = OpCodes.Last + 1)));
        Assert.AreEqual(ErrorCodes.UnknownOpcode, CodeOf(With(Valid, b => b[op2] = 0)));
    }

    [TestMethod]
    public void TensorProblems()
    {
        var t0 = BlobMap.Of(Valid).Tensors[0];
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => b[t0.At + BlobLayout.TOffDType] = 9)));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => b[t0.At + BlobLayout.TOffRank] = 5)));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(WithDim(Valid, 0, 0, 0)));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(WithDim(Valid, 0, 1, 65536)));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(WithArenaOffset(Valid, 0, 100000)));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => SetU32(b, t0.ScaleAt, 0x7FC00000)))); // NaN
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => SetU32(b, t0.ScaleAt, unchecked((int)0xBF800000)))));
        // Int16 tensors have zero point 0 (the byte is read as i8).
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => { b[t0.At + BlobLayout.TOffDType] = (byte)DType.Int16; b[t0.At + BlobLayout.TOffZeroPoint] = 0xFF; })));
    }

    [TestMethod]
    public void OpProblems()
    {
        // The weights of fc2 (op 2) pointed outside the constant section.
        int constLength = U32(Valid, BlobLayout.OffConstLength);
        Assert.AreEqual(ErrorCodes.BadConstant, CodeOf(WithParam(Valid, 2, FullyConnected.PWeights, constLength - 8)));
        Assert.AreEqual(ErrorCodes.BadConstant, CodeOf(WithParam(Valid, 2, FullyConnected.PBias, -4))); // offsets are unsigned
        Assert.AreEqual(ErrorCodes.BadConstant, CodeOf(WithParam(Valid, 2, FullyConnected.PBias, Param(Valid, 2, FullyConnected.PBias) + 2))); // misaligned
        // A multiplier array that is too short for per-channel requantization.
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(Valid, 2, FullyConnected.PQCount, 3)));
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(Valid, 2, FullyConnected.PActMin, 200)));
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(Valid, 2, FullyConnected.PFlags, 0x80)));
        int op2 = BlobMap.Of(Valid).Ops[2].At;
        Assert.AreEqual(ErrorCodes.BadOpRecord, CodeOf(With(Valid, b => b[op2 + BlobLayout.OOffInputCount] = 0)));
        Assert.AreEqual(ErrorCodes.BadOpRecord, CodeOf(WithOpTensor(Valid, 2, 0, 999)));
        // The last op with one param fewer than its opcode has (its last param byte then starts the exits),
        // and with more params than there are bytes.
        int last = BlobMap.Of(Valid).Ops.Length - 1;
        int opLast = BlobMap.Of(Valid).Ops[last].At;
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(With(Valid, b => b[opLast + BlobLayout.OOffParamCount]--)));
        Assert.AreEqual(ErrorCodes.BadOpRecord, CodeOf(With(Valid, b => b[opLast + BlobLayout.OOffParamCount] = 255)));
    }

    [TestMethod]
    public void DataflowProblems()
    {
        // op 0 (fc1) reads its own output tensor h1 (index 1): read before write.
        Assert.AreEqual(ErrorCodes.ReadBeforeWrite, CodeOf(WithOpTensor(Valid, 0, 0, 1)));
        // Two ops write h2.
        var twice = TestModels.Mlp(8);
        var h1 = twice.Tensors.First(t => t.Name == "h1");
        var h2 = twice.Tensors.First(t => t.Name == "h2");
        twice.Ops.Insert(2, TestModels.Fc(new Random(2), "fc2b", h1, h2, -128, 127));
        Assert.AreEqual(ErrorCodes.BadOpRecord, CodeOf(BlobEmitter.Emit(twice)));
        // fc2 (main) reads the exit head's output (tensor 4).
        Assert.AreEqual(ErrorCodes.ReadBeforeWrite, CodeOf(With(BlobEmitter.Emit(ExitFedIntoMain()), _ => { })));
    }

    [TestMethod]
    public void ArenaOverlapOfALiveTensorIsRefused()
    {
        var g = TestModels.Mlp(2);
        // h2 forced onto the bytes of h1 while fc2 still reads h1.
        g.Tensors.First(t => t.Name == "h1").FixedArenaOffset = 0;
        g.Tensors.First(t => t.Name == "h2").FixedArenaOffset = 8;
        g.Tensors.First(t => t.Name == "x").FixedArenaOffset = 64;
        g.Tensors.First(t => t.Name == "y").FixedArenaOffset = 96;
        Assert.AreEqual(ErrorCodes.ArenaOverlap, CodeOf(BlobEmitter.Emit(g)));
    }

    [TestMethod]
    public void ExitProblems()
    {
        var e0 = BlobMap.Of(Valid).Exits[0];
        Assert.AreEqual(ErrorCodes.BadExit, CodeOf(Reseal(Splice(Valid, e0.OutputTensor.At, e0.OutputTensor.Length, BlobWriter.Varint(1)))));
        Assert.AreEqual(ErrorCodes.BadExit, CodeOf(Reseal(Splice(Valid, e0.OutputTensor.At, e0.OutputTensor.Length, BlobWriter.Varint(99)))));
        Assert.AreEqual(ErrorCodes.BadExit, CodeOf(With(Valid, b => b[BlobMap.Of(Valid).Ops[1].At + BlobLayout.OOffExitGroup] = 3)));
        Assert.AreEqual(ErrorCodes.BadExit, CodeOf(With(Valid, b => b[BlobLayout.OffExitCount] = 2)));
    }

    [TestMethod]
    public void MetadataProblems()
    {
        int meta = BlobMap.Of(Valid).MetadataAt;
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(With(Valid, b => b[meta + 1] = 7)));
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(With(Valid, b => b[meta] = 65)));
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(With(Valid, b => b[meta] = 200)));
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(Reseal(Splice(Valid, Valid.Length, 0, new byte[] { 0 }))));
        Assert.AreEqual("seed1", Model.Load(Valid).Version);
    }

    [TestMethod]
    public void MetadataRecordsAreFoundByTagAndTheirFramingIsChecked()
    {
        byte[] Append(byte[] b, params byte[] tail) => Reseal(Splice(b, b.Length, 0, tail));
        Assert.AreEqual(0, Model.Load(Valid).Records.Length);
        var m = Model.Load(Append(Valid, 2, 3, 0x61, 0x3D, 0x62, 9, 0));
        Assert.AreEqual(3, m.RecordLength(2));
        Assert.AreEqual((byte)'a', m.Blob[m.RecordOffset(2)]);
        Assert.AreEqual(0, m.RecordLength(9));
        Assert.AreEqual(-1, m.RecordOffset(4));
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(Append(Valid, 2, 0, 2, 0)), "a tag twice");
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(Append(Valid, 3, 0, 2, 0)), "tags out of order");
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(Append(Valid, 2, 5, 1, 2)), "a length past the end");
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(Append(Valid, 2, 0x80)), "a cut varint");
    }

    private static QGraph ExitFedIntoMain()
    {
        var g = TestModels.Mlp(4, exitThreshold: 10);
        var fc2 = g.Ops.First(o => o.Name == "fc2");
        var exitOut = g.Exits[0].Output;
        // fc2 reads the head's 4 scores instead of h1 (weights resized to match).
        var r = new Random(1);
        var bad = TestModels.Fc(r, "fc2", exitOut, fc2.Output, -128, 127);
        g.Ops[g.Ops.IndexOf(fc2)] = bad;
        return g;
    }
}
