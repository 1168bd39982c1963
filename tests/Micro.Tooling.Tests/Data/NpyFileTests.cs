using Micro.Tooling.Data;

namespace Micro.Tooling.Tests.Data;

[TestClass]
public sealed class NpyFileTests
{
    public TestContext TestContext { get; set; } = null!;

    private string TempPath(string name) => Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), Guid.NewGuid().ToString("N")[..8] + name);

    [TestMethod]
    public void ReadsNumPyFilesAndWritesThemByteForByte()
    {
        // The fixtures were written by numpy's np.save (format 1.0).
        foreach (var f in Directory.GetFiles(OnnxFixtures.Dir, "*.npy"))
        {
            var bytes = File.ReadAllBytes(f);
            var a = NpyFile.Read(bytes, f);
            CollectionAssert.AreEqual(bytes, NpyFile.ToBytes(a), Path.GetFileName(f));
        }
        var x = OnnxFixtures.Npy("ppg1d", "test");
        CollectionAssert.AreEqual(new[] { 8, 1, 250 }, x.Shape);
        Assert.AreEqual(250, x.SampleSize);
    }

    [TestMethod]
    public void RoundTripsAllThreeTypes()
    {
        var f = NpyArray.FromFloat32(new[] { 2, 3 }, new[] { 1.5f, -2f, float.Epsilon, 1e30f, -0f, 7f });
        var b = NpyArray.FromInt8(new[] { 5 }, new sbyte[] { -128, -1, 0, 1, 127 });
        var l = NpyArray.FromInt64(new[] { 1, 2, 2 }, new[] { long.MinValue, -1L, 0L, long.MaxValue });
        foreach (var a in new[] { f, b, l })
        {
            string p = TempPath(".npy");
            NpyFile.Write(p, a);
            var r = NpyFile.Read(p);
            Assert.AreEqual(a.DType, r.DType);
            CollectionAssert.AreEqual(a.Shape, r.Shape);
            Assert.AreEqual(0, (File.ReadAllBytes(p).Length - a.Count * (a.DType == NpyDType.Int8 ? 1 : a.DType == NpyDType.Float32 ? 4 : 8)) % 64, "header aligned to 64");
            CollectionAssert.AreEqual(Values(a), Values(r));
        }
        Assert.AreEqual(-1f, b.Sample(1)[0]);
    }

    private static System.Collections.ICollection Values(NpyArray a) =>
        a.DType switch { NpyDType.Float32 => a.Float32!, NpyDType.Int8 => a.Int8!, _ => a.Int64! };

    [TestMethod]
    public void ReadsFloat64AsFloat32()
    {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
        var bytes = Build(header, BitConverter.GetBytes(0.1).Concat(BitConverter.GetBytes(-3.0)).ToArray());
        var a = NpyFile.Read(bytes);
        CollectionAssert.AreEqual(new[] { 0.1f, -3f }, a.Float32);
    }

    private static byte[] Build(string dict, byte[] data)
    {
        string h = dict.PadRight(64 - 10 - 1) + "\n";
        var b = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)h.Length, 0 };
        b.AddRange(System.Text.Encoding.ASCII.GetBytes(h));
        b.AddRange(data);
        return b.ToArray();
    }

    [TestMethod]
    public void ReadsFortranOrderIntoCOrder()
    {
        // np.asfortranarray([[1, 2, 3], [4, 5, 6]]) stores 1 4 2 5 3 6.
        var data = new[] { 1f, 4f, 2f, 5f, 3f, 6f }.SelectMany(BitConverter.GetBytes).ToArray();
        var a = NpyFile.Read(Build("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data));
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, a.Float32);
    }

    [TestMethod]
    public void BadFilesFailWithClearMessages()
    {
        var good = NpyFile.ToBytes(NpyArray.FromFloat32(new[] { 4 }, new float[4]));
        StringAssert.Contains(Assert.ThrowsExactly<DataFormatException>(() => NpyFile.Read(good.AsSpan(0, good.Length - 3).ToArray())).Message, "truncated");
        StringAssert.Contains(Assert.ThrowsExactly<DataFormatException>(() => NpyFile.Read(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 })).Message, "magic");
        StringAssert.Contains(Assert.ThrowsExactly<DataFormatException>(() =>
            NpyFile.Read(Build("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]))).Message, "big-endian");
        StringAssert.Contains(Assert.ThrowsExactly<DataFormatException>(() =>
            NpyFile.Read(Build("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]))).Message, "'<c8'");
    }

    [TestMethod]
    public void SampleDataChecksTheShapeAndNamesTheExpectedOne()
    {
        string p = TempPath(".npy");
        NpyFile.Write(p, NpyArray.FromFloat32(new[] { 3, 250 }, new float[750]));
        var e = Assert.ThrowsExactly<DataFormatException>(() => SampleData.Load(p, new[] { 1, 1, 250 }));
        StringAssert.Contains(e.Message, "[N,1,250]");
        StringAssert.Contains(e.Message, "[3,250]");
        NpyFile.Write(p, NpyArray.FromFloat32(new[] { 3, 1, 250 }, Enumerable.Range(0, 750).Select(i => (float)i).ToArray()));
        var s = SampleData.Load(p, new[] { 1, 1, 250 });
        Assert.HasCount(3, s);
        Assert.AreEqual(250f, s[1][0]);
        NpyFile.Write(p, NpyArray.FromFloat32(new[] { 2, 1, 1, 250 }, new float[500]));
        Assert.HasCount(2, SampleData.Load(p, new[] { 1, 1, 250 }), "a batch axis of 1 per sample is accepted");
    }

    [TestMethod]
    public void FailedWriteLeavesNoFile()
    {
        string dir = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N")[..6]);
        string p = Path.Combine(dir, "x.npy");
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => NpyFile.Write(p, NpyArray.FromFloat32(new[] { 1 }, new float[1])));
        Assert.IsFalse(File.Exists(p));
    }
}
