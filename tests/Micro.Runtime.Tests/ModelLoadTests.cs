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
        Assert.AreEqual(ErrorCodes.UnsupportedVersion, CodeOf(With(Valid, b => SetU16(b, BlobLayout.OffVersion, 2))));
        Assert.AreEqual(ErrorCodes.LengthMismatch, CodeOf(Valid[..^4]));
        Assert.AreEqual(ErrorCodes.CrcMismatch, CodeOf(With(Valid, b => b[^8] ^= 0x10, reseal: false)));
        Assert.AreEqual(ErrorCodes.UnknownFlags, CodeOf(With(Valid, b => SetU32(b, BlobLayout.OffFlags, 4))));
        Assert.AreEqual(ErrorCodes.BadCount, CodeOf(With(Valid, b => SetU16(b, BlobLayout.OffOpCount, 0))));
        Assert.AreEqual(ErrorCodes.BadSection, CodeOf(With(Valid, b => SetU32(b, BlobLayout.OffConst, 1 << 20))));
        Assert.AreEqual(ErrorCodes.BadSection, CodeOf(With(Valid, b => SetU32(b, BlobLayout.OffTensorTable, 66))));
    }

    [TestMethod]
    public void NewerOpcodeIsRefusedNotMisread()
    {
        Assert.AreEqual(ErrorCodes.UnknownOpcode, CodeOf(With(Valid, b => b[OpRecord(b, 2)] = OpCodes.Last + 1)));
        Assert.AreEqual(ErrorCodes.UnknownOpcode, CodeOf(With(Valid, b => b[OpRecord(b, 2)] = 0)));
    }

    [TestMethod]
    public void TensorProblems()
    {
        int t0 = U32(Valid, BlobLayout.OffTensorTable);
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => b[t0 + BlobLayout.TOffDType] = 9)));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => b[t0 + BlobLayout.TOffRank] = 5)));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => SetU16(b, t0 + BlobLayout.TOffDims, 0))));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => SetU32(b, t0 + BlobLayout.TOffArenaOffset, 100000))));
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => SetU32(b, t0 + BlobLayout.TOffScale, 0x7FC00000)))); // NaN
        Assert.AreEqual(ErrorCodes.BadTensor, CodeOf(With(Valid, b => SetU32(b, t0 + BlobLayout.TOffScale, unchecked((int)0xBF800000)))));
    }

    [TestMethod]
    public void OpProblems()
    {
        // The weights of fc2 (op 2) pointed outside the constant section.
        Assert.AreEqual(ErrorCodes.BadConstant, CodeOf(With(Valid, b => SetU32(b, OpParam(b, 2, FullyConnected.PWeights), b.Length - 8))));
        // A multiplier array that is too short for per-channel requantization.
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(With(Valid, b => SetU32(b, OpParam(b, 2, FullyConnected.PQCount), 3))));
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(With(Valid, b => SetU32(b, OpParam(b, 2, FullyConnected.PActMin), 200))));
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(With(Valid, b => SetU32(b, OpParam(b, 2, FullyConnected.PFlags), 0x80))));
        Assert.AreEqual(ErrorCodes.BadOpRecord, CodeOf(With(Valid, b => SetU16(b, OpRecord(b, 2) + BlobLayout.OOffRecordLength, 12))));
        Assert.AreEqual(ErrorCodes.BadOpRecord, CodeOf(With(Valid, b => SetU16(b, OpRecord(b, 2) + BlobLayout.OpHeaderSize, 999))));
    }

    [TestMethod]
    public void DataflowProblems()
    {
        // op 0 (fc1) reads its own output tensor h1 (index 1): read before write.
        Assert.AreEqual(ErrorCodes.ReadBeforeWrite, CodeOf(With(Valid, b => SetU16(b, OpRecord(b, 0) + BlobLayout.OpHeaderSize, 1))));
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
        int e0 = U32(Valid, BlobLayout.OffExitTable);
        Assert.AreEqual(ErrorCodes.BadExit, CodeOf(With(Valid, b => SetU16(b, e0 + BlobLayout.EOffGroup, 2))));
        Assert.AreEqual(ErrorCodes.BadExit, CodeOf(With(Valid, b => SetU16(b, e0 + BlobLayout.EOffOutputTensor, 1))));
        Assert.AreEqual(ErrorCodes.BadExit, CodeOf(With(Valid, b => b[OpRecord(b, 1) + BlobLayout.OOffExitGroup] = 3)));
    }

    [TestMethod]
    public void MetadataProblems()
    {
        int meta = BlobLayout.Align4(U32(Valid, BlobLayout.OffConst) + U32(Valid, BlobLayout.OffConstLength));
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(With(Valid, b => b[meta + 2] = 7)));
        Assert.AreEqual(ErrorCodes.BadMetadata, CodeOf(With(Valid, b => SetU16(b, meta, 500))));
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
