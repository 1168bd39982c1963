using System.Text;
using Micro.Tooling.Data;

namespace Micro.Tooling.Tests.Data;

/// <summary>
/// .npy reads are strict and bounded (issue 16): the shape must be a tuple of whole numbers declaring exactly the data
/// the file holds, checked before anything is allocated; samples of another rank than the model input are refused
/// with the expected shape and how to reshape.
/// </summary>
[TestClass]
public sealed class NpyStrictReadTests
{
    public TestContext TestContext { get; set; } = null!;

    private static byte[] Npy(string shape, int floats, string descr = "<f4", byte major = 1)
    {
        string h = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int prefix = major == 1 ? 10 : 12;
        h = h.PadRight(h.Length + (64 - (prefix + h.Length + 1) % 64) % 64) + "\n";
        var b = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        b.AddRange(major == 1 ? BitConverter.GetBytes((ushort)h.Length) : BitConverter.GetBytes((uint)h.Length));
        b.AddRange(Encoding.ASCII.GetBytes(h));
        for (int i = 0; i < floats; i++) b.AddRange(BitConverter.GetBytes((float)i));
        return [.. b];
    }

    private static string Refused(byte[] file) => Assert.ThrowsExactly<DataFormatException>(() => NpyFile.Read(file, "x.npy")).Message;

    [TestMethod]
    public void AShapeOfAboutTwoToThe64ElementsIsRefusedByNameWithoutAllocating()
    {
        string path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".npy");
        File.WriteAllBytes(path, Npy("(2147483647, 2147483647, 4)", 64));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsExactly<DataFormatException>(() => NpyFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        StringAssert.Contains(e.Message, "'shape' [2147483647,2147483647,4]");
        StringAssert.Contains(e.Message, "needs more than 256 data bytes; the file has 256");
        Assert.IsLessThan(256 * 1024, allocated, $"{allocated} bytes allocated to refuse a 320-byte file");
    }

    [TestMethod]
    public void ADimensionBeyondInt32IsRefusedNamingIt()
    {
        StringAssert.Contains(Refused(Npy("(4, 99999999999)", 4)), "'shape' dimension 2 is 99999999999; at most 2147483647");
    }

    [TestMethod]
    public void DataThatIsNotExactlyTheDeclaredShapeIsRefused()
    {
        StringAssert.Contains(Refused(Npy("(3, 4, 16)", 4 * 64)), "needs 768 data bytes; the file has 1,024 (256 more: trailing data");
        StringAssert.Contains(Refused(Npy("(4, 4, 16)", 4 * 64 + 4)), "the file has 1,040 (16 more");
        StringAssert.Contains(Refused(Npy("(5, 4, 16)", 4 * 64)), "needs 1,280 data bytes; the file has 1,024 (truncated");
        StringAssert.Contains(Refused(Npy("(0, 4)", 1)), "needs 0 data bytes; the file has 4");
        Assert.AreEqual(0, NpyFile.Read(Npy("(0, 4)", 0)).Count);
    }

    [TestMethod]
    public void MalformedShapeTuplesAreRefused()
    {
        foreach (string shape in new[] { "(4,,4,16)", "(,4)", "(4, -1)", "(4 4)", "(4.0,)", "(4,,)", "(0x10,)" })
            StringAssert.Contains(Refused(Npy(shape, 4)), "is not a tuple of whole numbers", shape);
        Assert.AreEqual(1, NpyFile.Read(Npy("()", 1)).Count);
        CollectionAssert.AreEqual(new[] { 4 }, NpyFile.Read(Npy("(4,)", 4)).Shape);
        CollectionAssert.AreEqual(new[] { 2, 2 }, NpyFile.Read(Npy("(2, 2,)", 4)).Shape);
        CollectionAssert.AreEqual(new[] { 2, 2 }, NpyFile.Read(Npy("(2L, 2L)", 4)).Shape);
    }

    [TestMethod]
    public void AHeaderLengthBeyondTheLimitOrTheFileIsRefused()
    {
        var v2 = Npy("(4,)", 4, major: 2);
        Assert.AreEqual(4, NpyFile.Read(v2).Count);
        BitConverter.GetBytes(uint.MaxValue).CopyTo(v2, 8);
        StringAssert.Contains(Refused(v2), "the header length field says 4,294,967,295 bytes; at most 65,536");
        BitConverter.GetBytes(60000u).CopyTo(v2, 8);
        StringAssert.Contains(Refused(v2), "truncated header (60000 bytes declared");
    }

    [TestMethod]
    public void FortranOrderIsReorderedInEveryRank()
    {
        // A [2,3,2] array whose C-order element k is k, stored column-major: the first index varies fastest.
        int[] shape = [2, 3, 2];
        var data = new List<byte>();
        for (int c = 0; c < 2; c++)
            for (int b = 0; b < 3; b++)
                for (int a = 0; a < 2; a++)
                    data.AddRange(BitConverter.GetBytes((float)(a * 6 + b * 2 + c)));
        string h = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 2), }".PadRight(53) + "\n";
        var file = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)h.Length, 0 }
            .Concat(Encoding.ASCII.GetBytes(h)).Concat(data).ToArray();
        var read = NpyFile.Read(file);
        CollectionAssert.AreEqual(shape, read.Shape);
        CollectionAssert.AreEqual(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), read.Float32);
    }

    [TestMethod]
    public void SamplesOfAnotherRankThanTheInputAreRefusedWithHowToReshape()
    {
        var e = Assert.ThrowsExactly<DataFormatException>(() => SampleData.CheckRank("x.npy", [4, 4, 16, 1], [1, 4, 16]));
        StringAssert.Contains(e.Message, "x.npy has shape [4,4,16,1]; expected [N,4,16]");
        StringAssert.Contains(e.Message, "reshape it (numpy: a.reshape(4, 4, 16))");
        SampleData.CheckRank("x.npy", [4, 4, 16], [1, 4, 16]);
        SampleData.CheckRank("x.npy", [4, 1, 4, 16], [1, 4, 16]);
        SampleData.CheckRank("x.npy", [4, 1, 250], [1, 250, 1]); // same rank, unit axes moved: the layout is checked elsewhere
        Assert.DoesNotContain("reshape", Assert.ThrowsExactly<DataFormatException>(() => SampleData.CheckRank("x.npy", [4, 5, 16, 1], [1, 4, 16])).Message);

        string path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".npy");
        File.WriteAllBytes(path, Npy("(4, 4, 16, 1)", 256));
        StringAssert.Contains(Assert.ThrowsExactly<DataFormatException>(() => SampleData.Load(path, [1, 4, 16])).Message, "a.reshape(4, 4, 16)");
    }
}
