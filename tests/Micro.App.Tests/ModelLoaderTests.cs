using Micro.App.Tests.Support;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.App.Tests;

/// <summary>The loading policy: storage, then resource, then rules only with a model fault.</summary>
[TestClass]
public sealed class ModelLoaderTests
{
    private static byte[] Corrupt(byte[] blob, int index)
    {
        var b = (byte[])blob.Clone();
        b[index] ^= 0x5A;
        return b;
    }

    [TestMethod]
    public void StorageBlobWinsWhenItLoads()
    {
        var r = ModelLoader.Load(TestModels.ConstantRegular(), TestModels.ConstantRegular(64));
        Assert.IsTrue(r.HasModel);
        Assert.AreEqual("storage", r.Source);
        Assert.AreEqual(100, r.Classifier.WindowSamples);
        Assert.AreEqual(0, r.ErrorCode);
        Assert.AreEqual(0, r.FailedSources);
        Assert.IsFalse(r.IsFault);
    }

    [TestMethod]
    public void CorruptStorageBlobFallsBackToTheResource()
    {
        byte[] good = TestModels.ConstantRegular();
        var r = ModelLoader.Load(Corrupt(good, good.Length / 2), TestModels.ConstantRegular(64));
        Assert.IsTrue(r.HasModel);
        Assert.AreEqual("resource", r.Source);
        Assert.AreEqual(64, r.Classifier.WindowSamples);
        Assert.AreEqual(1, r.FailedSources);
    }

    [TestMethod]
    public void EveryKindOfBadBlobEndsRuleBasedWithTheLastReason()
    {
        byte[] good = TestModels.ConstantRegular();
        var cases = new (byte[] Blob, int Code)[]
        {
            (Corrupt(good, 0), ErrorCodes.BadMagic),
            (Corrupt(good, good.Length - 3), ErrorCodes.CrcMismatch),
            (good.Take(BlobLayout.HeaderSize - 1).ToArray(), ErrorCodes.TooShort),
            (good.Take(good.Length - 8).ToArray(), ErrorCodes.LengthMismatch),
        };
        foreach (var (blob, code) in cases)
        {
            var r = ModelLoader.Load(blob, null);
            Assert.IsNull(r.Classifier);
            Assert.IsTrue(r.IsFault);
            Assert.AreEqual(code, r.ErrorCode, r.Message);
            StringAssert.StartsWith(r.Message, "storage: ");
        }

        var both = ModelLoader.Load(Corrupt(good, good.Length - 3), Corrupt(good, 0));
        Assert.AreEqual(2, both.FailedSources);
        Assert.AreEqual(ErrorCodes.BadMagic, both.ErrorCode, "the last source's reason is kept");
        StringAssert.StartsWith(both.Message, "resource: ");
    }

    [TestMethod]
    public void ModelOfTheWrongShapeIsRefusedLikeABadBlob()
    {
        var g = new QGraph { Name = "two-class" };
        var x = g.AddTensor("x", new[] { 1, 64 }, TestModels.InputScale, 0);
        var y = g.AddTensor("y", new[] { 1, 2 }, 0.1f, 0);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        g.Add(TestModels.Fc(new Random(1), "fc", x, y, -128, 127));
        var r = ModelLoader.Load(BlobEmitter.Emit(g), TestModels.ConstantRegular());
        Assert.AreEqual("resource", r.Source);
        Assert.AreEqual(1, r.FailedSources);

        var alone = ModelLoader.Load(BlobEmitter.Emit(g), null);
        Assert.AreEqual(ModelLoadResult.WrongShape, alone.ErrorCode);
        StringAssert.Contains(alone.Message, "has 2 values");
    }

    [TestMethod]
    public void NoBlobAnywhereIsAFaultWithoutFailedSources()
    {
        var r = ModelLoader.Load(null, null);
        Assert.IsTrue(r.IsFault);
        Assert.AreEqual(ModelLoadResult.NoBlob, r.ErrorCode);
        Assert.AreEqual(0, r.FailedSources);
    }

    [TestMethod]
    public void SourcesAreReadOnlyWhenNeededAndReadErrorsFallThrough()
    {
        var later = new CountingSource("second", TestModels.ConstantRegular());
        var r = ModelLoader.Load(new IBlobSource[] { new CountingSource("first", TestModels.ConstantRegular()), later });
        Assert.AreEqual("first", r.Source);
        Assert.AreEqual(0, later.Reads, "the fallback is not even read when the first source loads");

        var failing = new CountingSource("flash", null) { Throw = true };
        r = ModelLoader.Load(new IBlobSource[] { failing, later });
        Assert.AreEqual("second", r.Source);
        Assert.AreEqual(1, r.FailedSources);
        StringAssert.Contains(r.Message, "flash: cannot read");
    }

    private sealed class CountingSource(string name, byte[] blob) : IBlobSource
    {
        public int Reads { get; private set; }
        public bool Throw { get; init; }
        public string Name => name;

        public byte[] Read()
        {
            Reads++;
            if (Throw) throw new IOException("flash read error");
            return blob;
        }
    }
}
