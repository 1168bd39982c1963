using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Packing;

namespace Micro.Tooling.Tests.Packing;

/// <summary>The self-test record's writer: picking, encoding, appending, and the options that ask for it.</summary>
[TestClass]
public sealed class SelfTestRecordTests
{
    private static string HeartRate(string file)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Micro.sln"))) return Path.Combine(d.FullName, "models", "heart-rate", file);
        throw new DirectoryNotFoundException("repository root not found");
    }

    private static PackResult Pack(int? selfTest) => Packer.Pack(new PackOptions
    {
        Model = HeartRate("heart-rate.onnx"),
        Calibration = HeartRate("calibration.npy"),
        Exits = new[] { "exit1:25" },
        SelfTest = selfTest,
    });

    [TestMethod]
    public void SelfTestIsAppendedAfterEverythingElseAndChangesNothingBefore()
    {
        var plain = Pack(null).Blob;
        var withTest = Pack(5);
        var model = Model.Load(withTest.Blob);
        var vectors = SelfTestRecord.Read(model);
        Assert.AreEqual(5, vectors.Count);
        // Round-robin over the classes: 0, 1, 2, 3, then class 0 again.
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 0 }, vectors.Select(v => v.Class).ToList());
        Assert.IsTrue(vectors.All(v => v.Input.Length == model.Tensors[model.Inputs[0]].ByteSize && v.Expected.Length == 4));
        // Same bytes up to the record except total_length and CRC.
        for (int i = BlobLayout.CrcStart; i < plain.Length; i++) Assert.AreEqual(plain[i], withTest.Blob[i], $"byte {i}");
        Assert.AreEqual(withTest.Blob.Length, (int)BitConverter.ToUInt32(withTest.Blob, BlobLayout.OffTotalLength));
        int expectedRecord = 3 + 2 + 1 + 5 * (250 + 4); // head, varint 250 (2 B), varint 4, vectors
        Assert.AreEqual(expectedRecord, model.RecordLength(BlobLayout.RecordSelfTest));
        StringAssert.Contains(withTest.Notes[^1], "self-test: 5 vectors (class 0 ×2, class 1 ×1, class 2 ×1, class 3 ×1)");
    }

    [TestMethod]
    public void ExpectedBytesAreWhatTheRuntimeComputesWithExitsOff()
    {
        var model = Model.Load(Pack(4).Blob);
        var interpreter = new Interpreter(model) { EarlyExitEnabled = false };
        var input = model.Tensors[model.Inputs[0]];
        var output = model.Tensors[model.Outputs[0]];
        foreach (var v in SelfTestRecord.Read(model))
        {
            for (int i = 0; i < v.Input.Length; i++) interpreter.Arena[input.ArenaOffset + i] = (sbyte)v.Input[i];
            interpreter.Invoke();
            for (int i = 0; i < v.Expected.Length; i++) Assert.AreEqual((sbyte)v.Expected[i], interpreter.Arena[output.ArenaOffset + i]);
        }
    }

    [TestMethod]
    public void AppendRefusesATagThatIsNotLast()
    {
        var blob = Pack(1).Blob;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => SelfTestRecord.Append(blob, BlobLayout.RecordSelfTest, new byte[] { 1 }));
        StringAssert.Contains(e.Message, "already has metadata record 4");
    }

    [TestMethod]
    public void OptionIsRangeCheckedAndOnnxOnly()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new PackOptions { Model = HeartRate("heart-rate.onnx"), Calibration = HeartRate("calibration.npy"), SelfTest = 65 }.Validate());
        StringAssert.Contains(e.Message, "--selftest 65");
        var t = Assert.ThrowsExactly<ArgumentException>(() => new PackOptions { Model = "m.tflite", SelfTest = 8 }.Validate());
        StringAssert.Contains(t.Message, "--selftest");
    }
}
