using Google.Protobuf;
using Micro.Tooling.Onnx;
using static Micro.TestSupport.OnnxBuilder;

namespace Micro.Tooling.Tests.Onnx;

/// <summary>Broken or unsupported files fail with a clear exception type and a message that says what and where.</summary>
[TestClass]
public sealed class MalformedOnnxTests
{
    private static OnnxBuilder ReluModel(int opset = 13) =>
        new OnnxBuilder(opset).Input("x", 1, 4).Output("y", 1, 4).Node("Relu", new[] { "x" }, new[] { "y" }, "act");

    [TestMethod]
    public void EmptyFileIsAFormatError()
    {
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(Array.Empty<byte>()));
        StringAssert.Contains(e.Message, "empty");
    }

    [TestMethod]
    public void GarbageIsAFormatError()
    {
        var bytes = new byte[256];
        new Random(3).NextBytes(bytes);
        Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(bytes));
        Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(System.Text.Encoding.UTF8.GetBytes("this is not an onnx model")));
    }

    [TestMethod]
    public void TruncatedFixturesAreFormatErrors()
    {
        var full = File.ReadAllBytes(OnnxFixtures.Model("ppg1d"));
        foreach (double f in new[] { 0.05, 0.3, 0.5, 0.77, 0.95, 0.999 })
        {
            var cut = full.AsSpan(0, (int)(full.Length * f)).ToArray();
            var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(cut), $"cut at {f}");
            Assert.IsFalse(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    [TestMethod]
    public void RawDataOfTheWrongLengthIsNamed()
    {
        var b = new OnnxBuilder().Input("x", 1, 4).Output("y", 1, 2)
            .Node("Gemm", new[] { "x", "w" }, new[] { "y" }, "fc", Int("transB", 1));
        var w = Floats("w", new[] { 2, 4 }, new float[8]);
        w.RawData = ByteString.CopyFrom(new byte[30]);
        b.Init(w);
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "initializer 'w'");
        StringAssert.Contains(e.Message, "30 bytes");
    }

    [TestMethod]
    public void TypedDataInTheWrongFieldIsAFormatError()
    {
        var b = new OnnxBuilder().Input("x", 1, 4).Output("y", 1, 2)
            .Node("Gemm", new[] { "x", "w" }, new[] { "y" }, "fc", Int("transB", 1));
        var w = new Micro.Tooling.Onnx.Proto.TensorProto { Name = "w", DataType = 1 };
        w.Dims.Add(2); w.Dims.Add(4);
        w.Int64Data.AddRange(new long[8]); // float tensor with int64 values
        b.Init(w);
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "initializer 'w'");
    }

    [TestMethod]
    public void AttributeOfTheWrongTypeNamesNodeAndAttribute()
    {
        var b = new OnnxBuilder().Input("x", 1, 1, 8).Output("y", 1, 1, 6).Init("w", new[] { 1, 1, 3 }, new float[3])
            .Node("Conv", new[] { "x", "w" }, new[] { "y" }, "conv7", Float("group", 1f));
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "conv7");
        StringAssert.Contains(e.Message, "'group'");
    }

    [TestMethod]
    public void MissingInitializerIsNamed()
    {
        var b = new OnnxBuilder().Input("x", 1, 1, 8).Output("y", 1, 1, 6)
            .Node("Conv", new[] { "x", "conv.weight" }, new[] { "y" }, "conv1");
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "conv.weight");
        StringAssert.Contains(e.Message, "conv1");
    }

    [TestMethod]
    public void CycleIsAFormatError()
    {
        var b = new OnnxBuilder().Input("x", 1, 4).Output("y", 1, 4)
            .Node("Add", new[] { "x", "b" }, new[] { "a" }, "first")
            .Node("Relu", new[] { "a" }, new[] { "b" }, "second")
            .Node("Relu", new[] { "a" }, new[] { "y" }, "third");
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "cycle");
        StringAssert.Contains(e.Message, "first");
    }

    [TestMethod]
    public void TwoProducersOfOneValueIsAFormatError()
    {
        var b = ReluModel().Node("Sigmoid", new[] { "x" }, new[] { "y" }, "dup");
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "'y'");
    }

    [TestMethod]
    public void OutputNobodyWritesIsAFormatError()
    {
        var b = ReluModel().Output("z", 1, 4);
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "'z'");
    }

    [TestMethod]
    public void ModelWithoutGraphIsAFormatError()
    {
        var m = new Micro.Tooling.Onnx.Proto.ModelProto { IrVersion = 7 };
        var e = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxImporter.Import(m.ToByteArray()));
        StringAssert.Contains(e.Message, "no graph");
    }

    [TestMethod]
    public void UnsupportedOperatorNamesNodeAndOperator()
    {
        var b = new OnnxBuilder().Input("x", 1, 4).Output("y", 1, 4).Node("Sin", new[] { "x" }, new[] { "y" }, "wave");
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "'wave'");
        StringAssert.Contains(e.Message, "Sin");
    }

    [TestMethod]
    public void UnsupportedAttributeNamesNodeAndOperator()
    {
        var b = new OnnxBuilder().Input("x", 1, 2, 8).Output("y", 1, 2, 3)
            .Node("MaxPool", new[] { "x" }, new[] { "y" }, "pool3", Ints("kernel_shape", 2), Ints("dilations", 2), Ints("strides", 2));
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "'pool3' (MaxPool)");
        StringAssert.Contains(e.Message, "dilated");

        var p = new OnnxBuilder().Input("x", 1, 2, 8).Output("y", 1, 2, 10).Init(Longs("pads", 0, 0, 1, 0, 0, 1))
            .Node("Pad", new[] { "x", "pads" }, new[] { "y" }, "mirror", Str("mode", "reflect"));
        var e2 = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(p.Bytes()));
        StringAssert.Contains(e2.Message, "'mirror' (Pad)");
        StringAssert.Contains(e2.Message, "reflect");
    }

    [TestMethod]
    public void OpsetsOutside11To17AreRejected()
    {
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(ReluModel(9).Bytes()));
        StringAssert.Contains(e.Message, "opset 9");
        Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(ReluModel(18).Bytes()));
        foreach (int ok in new[] { 11, 13, 17 }) Assert.IsNotNull(OnnxImporter.Import(ReluModel(ok).Bytes()));
    }

    [TestMethod]
    public void NonFloatInputIsUnsupported()
    {
        var b = new OnnxBuilder();
        b.Graph.Input.Add(Value("x", new long[] { 1, 4 }, 7));
        b.Output("y", 1, 4).Node("Relu", new[] { "x" }, new[] { "y" });
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "'x'");
    }

    [TestMethod]
    public void SymbolicDimensionsNeedAShape()
    {
        var b = new OnnxBuilder().Input("x", -1, -1).Output("y", -1, -1).Node("Relu", new[] { "x" }, new[] { "y" });
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "axis 1");
        var o = new OnnxImportOptions();
        o.InputShapes["x"] = new[] { 1, 6 };
        var g = OnnxImporter.Import(b.Bytes(), o);
        CollectionAssert.AreEqual(new[] { 1, 6 }, g.Tensor(g.Outputs[0].Tensor).Shape);
    }
}
