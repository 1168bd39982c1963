#nullable enable
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;

namespace Micro.Tooling.Tests.TFLite;

[TestClass]
public class TfliteModelReaderTests
{
    public static IEnumerable<object[]> Models => ConformanceData.Models.Select(m => new object[] { m });

    /// <summary>The reader agrees with what the TFLM runner wrote into info.txt for every real model.</summary>
    [TestMethod]
    [DynamicData(nameof(Models))]
    public void RealModelsMatchInfoTxt(string model)
    {
        byte[] bytes = ConformanceData.ModelBytes(model);
        ModelInfo info = ModelInfo.Load(model);
        TfliteModel m = TfliteModelReader.Read(bytes);

        Assert.AreEqual(info.Bytes, bytes.Length);
        Assert.AreEqual(3u, m.Version);
        Assert.AreEqual(1, m.SubGraphs.Count);
        TfliteSubGraph sg = m.SubGraphs[0];

        var counts = new Dictionary<string, int>();
        foreach (TfliteOperator op in sg.Operators)
        {
            string name = OperatorName(m.OperatorCodes[op.OpcodeIndex].BuiltinCode).Split(' ')[0];
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        CollectionAssert.AreEquivalent(info.OperatorCounts.ToList(), counts.ToList());

        CheckIo(sg, sg.Inputs, info.Inputs);
        CheckIo(sg, sg.Outputs, info.Outputs);

        // Every constant tensor's buffer holds exactly its elements.
        foreach (TfliteTensor t in sg.Tensors)
        {
            int size = m.Buffers[t.Buffer].Data.Length;
            if (size == 0) continue;
            int elem = t.Type switch { TfliteTensorType.Int8 => 1, TfliteTensorType.Int32 => 4, _ => -1 };
            Assert.AreEqual(t.ElementCount * elem, size, t.Describe());
        }
    }

    private static void CheckIo(TfliteSubGraph sg, int[] indices, List<ModelInfo.IoTensor> expected)
    {
        Assert.AreEqual(expected.Count, indices.Length);
        for (int i = 0; i < indices.Length; i++)
        {
            TfliteTensor t = sg.Tensors[indices[i]];
            ModelInfo.IoTensor e = expected[i];
            Assert.AreEqual(e.Tensor, t.Index);
            Assert.AreEqual(e.Name, t.Name);
            Assert.AreEqual(e.Type, TypeName(t.Type));
            CollectionAssert.AreEqual(e.Shape, t.Shape);
            Assert.AreEqual(e.Scale, t.Quantization!.Scale[0]);
            Assert.AreEqual(e.ZeroPoint, (int)t.Quantization.ZeroPoint[0]);
        }
    }

    [TestMethod]
    public void ReadsPerAxisQuantizationAndOptionsOfARealModel()
    {
        TfliteModel m = TfliteModelReader.Read(ConformanceData.ModelBytes("kws_ref_model"));
        TfliteSubGraph sg = m.SubGraphs[0];
        // Op 0 is CONV_2D 10×4 stride 2 SAME with fused ReLU; its filter is per-channel over dimension 0.
        TfliteOperator conv = sg.Operators[0];
        Assert.AreEqual(Op.Conv2D, m.OperatorCodes[conv.OpcodeIndex].BuiltinCode);
        Assert.AreEqual(new Conv2DOptions(TflitePadding.Same, 2, 2, TfliteActivation.Relu, 1, 1), conv.Options);
        TfliteTensor filter = sg.Tensors[conv.Inputs[1]];
        CollectionAssert.AreEqual(new[] { 64, 10, 4, 1 }, filter.Shape);
        Assert.AreEqual(64, filter.Quantization!.Scale.Length);
        Assert.AreEqual(0, filter.Quantization.QuantizedDimension);
        // Depthwise filters are quantized along dimension 3.
        TfliteOperator dw = sg.Operators[1];
        Assert.AreEqual(3, sg.Tensors[dw.Inputs[1]].Quantization!.QuantizedDimension);
        Assert.AreEqual(new Pool2DOptions(TflitePadding.Valid, 5, 25, 5, 25, TfliteActivation.None), sg.Operators[9].Options);
        Assert.AreEqual(new SoftmaxOptions(1f), sg.Operators[12].Options);
        // The RESHAPE has no options at all (its shape comes from the second input).
        Assert.AreEqual((byte)0, sg.Operators[10].BuiltinOptionsType);
        Assert.IsNull(sg.Operators[10].Options);
    }

    [TestMethod]
    public void OperatorNamesFollowTheSchema()
    {
        Assert.AreEqual("ADD (0)", OperatorName(0));
        Assert.AreEqual("FULLY_CONNECTED (9)", OperatorName(9));
        Assert.AreEqual("MEAN (40)", OperatorName(40));
        Assert.AreEqual("QUANTIZE (114)", OperatorName(114));
        Assert.AreEqual("PLACEHOLDER_FOR_GREATER_OP_CODES (127)", OperatorName(127));
        Assert.AreEqual("GELU (150)", OperatorName(150));
        Assert.AreEqual("RIGHT_SHIFT (161)", OperatorName(161));
        Assert.AreEqual("builtin operator 400", OperatorName(400));
    }

    [TestMethod]
    public void BuiltinCodeIsTheLargerOfTheTwoFields()
    {
        // Old files: only the int8 field. New files: int8 field saturated at 127, int32 field real.
        foreach (bool newStyle in new[] { false, true })
        {
            var b = new TfliteBuilder { NewStyleOpCodes = newStyle };
            int x = b.Int8("x", new[] { 1, 4 }, 0.5f, 0);
            int y = b.Int8("y", new[] { 1, 4 }, 0.5f, 0);
            b.Op(Op.Tanh, new[] { x }, new[] { y });
            b.Inputs = new[] { x };
            b.Outputs = new[] { y };
            Assert.AreEqual(Op.Tanh, TfliteModelReader.Read(b.Build()).OperatorCodes[0].BuiltinCode);
        }
        var g = new TfliteBuilder();
        int a = g.Int8("a", new[] { 1, 4 }, 0.5f, 0);
        int c = g.Int8("c", new[] { 1, 4 }, 0.5f, 0);
        g.Op(150, new[] { a }, new[] { c }); // GELU, above 127
        g.Inputs = new[] { a };
        g.Outputs = new[] { c };
        TfliteOperatorCode code = TfliteModelReader.Read(g.Build()).OperatorCodes[0];
        Assert.AreEqual(127, code.DeprecatedBuiltinCode);
        Assert.AreEqual(150, code.BuiltinCode);
    }

    [TestMethod]
    public void ReadsBuffersStoredAfterTheFlatbuffer()
    {
        foreach (bool external in new[] { false, true })
        {
            var b = new TfliteBuilder { ExternalBuffers = external };
            int x = b.Int8("x", new[] { 1, 3 }, 0.5f, 0);
            int w = b.Int8Const("w", new[] { 2, 3 }, 0.25f, new sbyte[] { 1, -2, 3, -4, 5, -6 });
            int bias = b.Int32Const("b", new[] { 100, -100 }, 0.125f);
            int y = b.Int8("y", new[] { 1, 2 }, 1f, 0);
            b.Op(Op.FullyConnected, new[] { x, w, bias }, new[] { y });
            b.Inputs = new[] { x };
            b.Outputs = new[] { y };
            TfliteModel m = TfliteModelReader.Read(b.Build());
            TfliteSubGraph sg = m.SubGraphs[0];
            TfliteBuffer wb = m.Buffers[sg.Tensors[w].Buffer];
            Assert.AreEqual(external, wb.External);
            CollectionAssert.AreEqual(new byte[] { 1, 0xFE, 3, 0xFC, 5, 0xFA }, wb.Data.ToArray());
            CollectionAssert.AreEqual(new byte[] { 100, 0, 0, 0, 0x9C, 0xFF, 0xFF, 0xFF }, m.Buffers[sg.Tensors[bias].Buffer].Data.ToArray());
            Assert.AreEqual(0, m.Buffers[sg.Tensors[x].Buffer].Data.Length);
        }
    }

    [TestMethod]
    public void ExternalBufferOutsideTheFileIsAFormatError()
    {
        var b = new TfliteBuilder { ExternalBuffers = true };
        int x = b.Int8("x", new[] { 1, 3 }, 0.5f, 0);
        int w = b.Int8Const("w", new[] { 2, 3 }, 0.25f, new sbyte[] { 1, 2, 3, 4, 5, 6 });
        b.Inputs = new[] { x };
        b.Outputs = new[] { w };
        byte[] file = b.Build();
        byte[] cut = file[..^3];
        var e = Assert.ThrowsExactly<TfliteFormatException>(() => TfliteModelReader.Read(cut));
        StringAssert.Contains(e.Message, "buffers[");
        StringAssert.Contains(e.Message, "outside the file");
    }

    [TestMethod]
    public void CrossReferencesAreChecked()
    {
        TfliteBuilder Base(out int x, out int y)
        {
            var b = new TfliteBuilder();
            x = b.Int8("x", new[] { 1, 4 }, 0.5f, 0);
            y = b.Int8("y", new[] { 1, 4 }, 0.5f, 0);
            b.Inputs = new[] { x };
            b.Outputs = new[] { y };
            return b;
        }
        var b1 = Base(out int x1, out _);
        b1.Op(Op.Tanh, new[] { x1 }, new[] { 7 });
        StringAssert.Contains(Assert.ThrowsExactly<TfliteFormatException>(() => TfliteModelReader.Read(b1.Build())).Message,
            "operators[0].outputs[0] is 7");
        var b2 = Base(out _, out int y2);
        b2.Op(Op.Tanh, new[] { -2 }, new[] { y2 });
        StringAssert.Contains(Assert.ThrowsExactly<TfliteFormatException>(() => TfliteModelReader.Read(b2.Build())).Message,
            "inputs[0] is -2");
        var b3 = Base(out _, out _);
        b3.Inputs = new[] { 9 };
        StringAssert.Contains(Assert.ThrowsExactly<TfliteFormatException>(() => TfliteModelReader.Read(b3.Build())).Message,
            "subgraphs[0].inputs[0] is 9");
        var b4 = Base(out int x4, out int y4);
        b4.Op(Op.Tanh, new[] { x4 }, new[] { y4 });
        b4.Version = 2;
        StringAssert.Contains(Assert.ThrowsExactly<TfliteFormatException>(() => TfliteModelReader.Read(b4.Build())).Message,
            "schema version");
    }

    [TestMethod]
    public void ShortOrForeignFilesAreFormatErrors()
    {
        Assert.ThrowsExactly<TfliteFormatException>(() => TfliteModelReader.Read(Array.Empty<byte>()));
        Assert.ThrowsExactly<TfliteFormatException>(() => TfliteModelReader.Read(new byte[] { 1, 2, 3 }));
        byte[] onnxLike = System.Text.Encoding.ASCII.GetBytes("\x08\x07\x12\x07pytorch\x1a\x052.1.0 and more bytes");
        StringAssert.Contains(Assert.ThrowsExactly<TfliteFormatException>(() => TfliteModelReader.Read(onnxLike)).Message,
            "file identifier");
    }
}
