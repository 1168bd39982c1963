using Micro.App.Tests.Support;
using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.App.Tests;

/// <summary>Reassembling a blob from nanoFramework-style resource chunks.</summary>
[TestClass]
public sealed class ChunkedBlobReaderTests
{
    /// <summary>
    /// Behaves as nanoFramework's ResourceUtility.GetObject(rm, id, offset, length) does for a binary
    /// resource (nf-interpreter, nf_system_resourcemanager): offset at or past the end throws, a length past
    /// the end is trimmed.
    /// </summary>
    private sealed class ResourceLike(byte[] data) : IChunkSource
    {
        public List<(int Offset, int Length)> Calls { get; } = new();

        public byte[] ReadChunk(int offset, int length)
        {
            Calls.Add((offset, length));
            if (offset >= data.Length) throw new IndexOutOfRangeException();
            if (offset + length >= data.Length) length = data.Length - offset;
            return data.Skip(offset).Take(length).ToArray();
        }
    }

    [TestMethod]
    public void BlobComesBackWholeInChunksOfAtMost4K()
    {
        byte[] blob = Micro.Tooling.Blob.BlobEmitter.Emit(TestModels.Mlp(seed: 2, window: 250, softmax: true));
        Assert.IsTrue(blob.Length > BlobLayout.HeaderSize + ChunkedBlobReader.ChunkBytes, "a blob of several chunks: " + blob.Length);
        var source = new ResourceLike(blob);
        byte[] read = ChunkedBlobReader.ReadAll(source, 1 << 20);
        CollectionAssert.AreEqual(blob, read);
        Assert.IsTrue(source.Calls.All(c => c.Length <= ChunkedBlobReader.ChunkBytes));
        Assert.AreEqual((0, BlobLayout.HeaderSize), source.Calls[0]);
        Assert.AreEqual(3, source.Calls.Count, "header, one full chunk, the rest");
        Assert.IsNotNull(Model.Load(read));
    }

    [TestMethod]
    public void BadHeadersAndShortResourcesAreBlobFormatErrors()
    {
        byte[] blob = TestModels.ConstantRegular();
        var notBlob = (byte[])blob.Clone();
        notBlob[1] = (byte)'X';
        Assert.AreEqual(ErrorCodes.BadMagic, Assert.ThrowsExactly<BlobFormatException>(() => ChunkedBlobReader.ReadAll(new ResourceLike(notBlob), 1 << 20)).Code);

        var over = Assert.ThrowsExactly<BlobFormatException>(() => ChunkedBlobReader.ReadAll(new ResourceLike(blob), blob.Length - 1));
        Assert.AreEqual(ErrorCodes.LengthMismatch, over.Code);
        StringAssert.Contains(over.Message, "limit");

        var truncated = new ResourceLike(blob.Take(blob.Length - 100).ToArray());
        var cut = Assert.ThrowsExactly<BlobFormatException>(() => ChunkedBlobReader.ReadAll(truncated, 1 << 20));
        Assert.AreEqual(ErrorCodes.LengthMismatch, cut.Code);

        Assert.AreEqual(ErrorCodes.TooShort, Assert.ThrowsExactly<BlobFormatException>(() => ChunkedBlobReader.ReadAll(new ResourceLike(blob.Take(30).ToArray()), 1 << 20)).Code);
    }

    [TestMethod]
    public void LoaderTreatsAnUnreadableResourceLikeABadBlob()
    {
        byte[] blob = TestModels.ConstantRegular();
        var notBlob = (byte[])blob.Clone();
        notBlob[0] = 0;
        var r = ModelLoader.Load(new IBlobSource[] { new ChunkSource("resource", new ResourceLike(notBlob)), new BytesBlobSource("storage", blob) });
        Assert.AreEqual("storage", r.Source);
        Assert.AreEqual(1, r.FailedSources);
    }

    private sealed class ChunkSource(string name, IChunkSource chunks) : IBlobSource
    {
        public string Name => name;
        public byte[] Read() => ChunkedBlobReader.ReadAll(chunks, 1 << 20);
    }
}
