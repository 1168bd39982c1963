using Micro.Tooling.TFLite.FlatBuffers;
using static Micro.Tooling.TFLite.TfliteSchema;

namespace Micro.Tooling.TFLite;

/// <summary>
/// Reads a .tflite file (FlatBuffers, file identifier "TFL3", schema version 3) into a
/// <see cref="TfliteModel"/>. Every offset is verified by <see cref="FlatBufferReader"/>; on top of that this
/// checks the cross-references (buffer, opcode and tensor indices) so that the importer can index freely.
/// A malformed file throws <see cref="TfliteFormatException"/>, nothing else.
/// </summary>
public static class TfliteModelReader
{
    public static TfliteModel Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TfliteFormatException($"cannot read {path}: {e.Message}");
        }
        return Read(bytes);
    }

    public static TfliteModel Read(byte[] bytes)
    {
        var r = new FlatBufferReader(bytes);
        FbTable model = r.ReadRoot(FileIdentifier, "model");

        uint version = model.GetUInt32(ModelVersion, "version");
        if (version != SchemaVersion)
            throw new TfliteFormatException($"model.version is {version}; only TFLite schema version {SchemaVersion} is supported");

        var buffers = ReadBuffers(model, bytes.Length, r);
        var codes = ReadOperatorCodes(model);

        FbVector? sgv = model.GetVector(ModelSubgraphs, "subgraphs", 4);
        if (sgv is null || sgv.Value.Count == 0)
            throw new TfliteFormatException("model.subgraphs is missing or empty");
        var subgraphs = new TfliteSubGraph[sgv.Value.Count];
        for (int i = 0; i < subgraphs.Length; i++)
        {
            subgraphs[i] = ReadSubGraph(sgv.Value.TableAt(i, $"subgraphs[{i}]"), buffers.Length, codes.Length);
        }

        return new TfliteModel
        {
            Version = version,
            Description = model.GetString(ModelDescription, "description"),
            OperatorCodes = codes,
            SubGraphs = subgraphs,
            Buffers = buffers,
            FileLength = bytes.Length,
        };
    }

    private static TfliteBuffer[] ReadBuffers(FbTable model, int fileLength, FlatBufferReader r)
    {
        FbVector? v = model.GetVector(ModelBuffers, "buffers", 4);
        if (v is null) return Array.Empty<TfliteBuffer>();
        var buffers = new TfliteBuffer[v.Value.Count];
        for (int i = 0; i < buffers.Length; i++)
        {
            string name = $"buffers[{i}]";
            FbTable b = v.Value.TableAt(i, name);
            ulong offset = b.GetUInt64(BufferOffset, "offset");
            ulong size = b.GetUInt64(BufferSize, "size");
            if (offset > 1)
            {
                // Buffers stored after the flatbuffer: offset from the start of the file, valid only when > 1.
                if (offset > (ulong)fileLength || size > (ulong)fileLength - offset)
                    throw new TfliteFormatException($"{name}: offset {offset} + size {size} lies outside the file ({fileLength} bytes)");
                buffers[i] = new TfliteBuffer { Data = new ReadOnlyMemory<byte>(r.Data, (int)offset, (int)size), External = true };
            }
            else
            {
                FbVector? data = b.GetVector(BufferData, "data", 1);
                buffers[i] = new TfliteBuffer { Data = data?.Bytes ?? ReadOnlyMemory<byte>.Empty, External = false };
            }
        }
        return buffers;
    }

    private static TfliteOperatorCode[] ReadOperatorCodes(FbTable model)
    {
        FbVector? v = model.GetVector(ModelOperatorCodes, "operator_codes", 4);
        if (v is null) return Array.Empty<TfliteOperatorCode>();
        var codes = new TfliteOperatorCode[v.Value.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            FbTable c = v.Value.TableAt(i, $"operator_codes[{i}]");
            codes[i] = new TfliteOperatorCode
            {
                DeprecatedBuiltinCode = c.GetSByte(OpCodeDeprecatedBuiltinCode, "deprecated_builtin_code"),
                BuiltinCodeField = c.GetInt32(OpCodeBuiltinCode, "builtin_code"),
                CustomCode = c.GetString(OpCodeCustomCode, "custom_code"),
                Version = c.GetInt32(OpCodeVersion, "version", 1),
            };
        }
        return codes;
    }

    private static TfliteSubGraph ReadSubGraph(FbTable sg, int bufferCount, int codeCount)
    {
        FbVector? tv = sg.GetVector(SubGraphTensors, "tensors", 4);
        int tensorCount = tv?.Count ?? 0;
        var tensors = new TfliteTensor[tensorCount];
        for (int i = 0; i < tensorCount; i++)
        {
            tensors[i] = ReadTensor(tv!.Value.TableAt(i, $"{sg.Name}.tensors[{i}]"), i, bufferCount);
        }

        int[] inputs = sg.GetVector(SubGraphInputs, "inputs", 4)?.ToInt32Array() ?? Array.Empty<int>();
        int[] outputs = sg.GetVector(SubGraphOutputs, "outputs", 4)?.ToInt32Array() ?? Array.Empty<int>();
        CheckIndices(inputs, tensorCount, false, sg.Name + ".inputs");
        CheckIndices(outputs, tensorCount, false, sg.Name + ".outputs");

        FbVector? ov = sg.GetVector(SubGraphOperators, "operators", 4);
        var ops = new TfliteOperator[ov?.Count ?? 0];
        for (int i = 0; i < ops.Length; i++)
        {
            ops[i] = ReadOperator(ov!.Value.TableAt(i, $"{sg.Name}.operators[{i}]"), i, tensorCount, codeCount);
        }

        return new TfliteSubGraph
        {
            Name = sg.GetString(SubGraphName, "name"),
            Tensors = tensors,
            Inputs = inputs,
            Outputs = outputs,
            Operators = ops,
        };
    }

    private static TfliteTensor ReadTensor(FbTable t, int index, int bufferCount)
    {
        uint buffer = t.GetUInt32(TensorBuffer, "buffer");
        // Buffer 0 is the empty sentinel by convention; any other index must exist.
        if (buffer != 0 && buffer >= (uint)bufferCount)
            throw new TfliteFormatException($"{t.Name}.buffer is {buffer}, but the model has {bufferCount} buffers");

        TfliteQuantization? quant = null;
        FbTable? q = t.GetTable(TensorQuantization, "quantization");
        if (q is not null)
        {
            float[] scale = q.Value.GetVector(QuantScale, "scale", 4)?.ToFloatArray() ?? Array.Empty<float>();
            long[] zp = q.Value.GetVector(QuantZeroPoint, "zero_point", 8)?.ToInt64Array() ?? Array.Empty<long>();
            // TFLM treats a tensor as quantized only when both vectors are non-empty.
            if (scale.Length > 0 && zp.Length > 0)
            {
                quant = new TfliteQuantization
                {
                    Scale = scale,
                    ZeroPoint = zp,
                    QuantizedDimension = q.Value.GetInt32(QuantQuantizedDimension, "quantized_dimension"),
                    HasCustomDetails = q.Value.GetByte(QuantDetailsType, "details_type") != 0,
                };
            }
        }

        return new TfliteTensor
        {
            Index = index,
            Name = t.GetString(TensorName, "name") ?? "",
            Shape = t.GetVector(TensorShape, "shape", 4)?.ToInt32Array() ?? Array.Empty<int>(),
            Type = (TfliteTensorType)t.GetByte(TensorType, "type"),
            Buffer = (int)buffer,
            Quantization = quant,
            IsVariable = t.GetBool(TensorIsVariable, "is_variable"),
            IsSparse = t.Has(TensorSparsity),
        };
    }

    private static TfliteOperator ReadOperator(FbTable op, int index, int tensorCount, int codeCount)
    {
        uint opcode = op.GetUInt32(OperatorOpcodeIndex, "opcode_index");
        if (opcode >= (uint)codeCount)
            throw new TfliteFormatException($"{op.Name}.opcode_index is {opcode}, but the model has {codeCount} operator codes");
        int[] inputs = op.GetVector(OperatorInputs, "inputs", 4)?.ToInt32Array() ?? Array.Empty<int>();
        int[] outputs = op.GetVector(OperatorOutputs, "outputs", 4)?.ToInt32Array() ?? Array.Empty<int>();
        CheckIndices(inputs, tensorCount, true, op.Name + ".inputs");
        CheckIndices(outputs, tensorCount, false, op.Name + ".outputs");

        FbTable? opt = op.GetUnion(OperatorBuiltinOptionsType, "builtin_options", out byte optType);
        return new TfliteOperator
        {
            Index = index,
            OpcodeIndex = (int)opcode,
            Inputs = inputs,
            Outputs = outputs,
            BuiltinOptionsType = optType,
            Options = opt is null ? null : ReadOptions(opt.Value, optType),
            HasCustomOptions = op.Has(OperatorCustomOptions) || op.GetUInt64(OperatorLargeCustomOptionsOffset, "large_custom_options_offset") > 1,
            IntermediateCount = op.GetVector(OperatorIntermediates, "intermediates", 4)?.Count ?? 0,
        };
    }

    private static TfliteOptions? ReadOptions(FbTable o, byte type)
    {
        switch (type)
        {
            case OptConv2D:
                return new Conv2DOptions(
                    (TflitePadding)o.GetByte(Conv2DPadding, "padding"),
                    o.GetInt32(Conv2DStrideW, "stride_w"),
                    o.GetInt32(Conv2DStrideH, "stride_h"),
                    (TfliteActivation)o.GetByte(Conv2DActivation, "fused_activation_function"),
                    o.GetInt32(Conv2DDilationW, "dilation_w_factor", 1),
                    o.GetInt32(Conv2DDilationH, "dilation_h_factor", 1));
            case OptDepthwiseConv2D:
                return new DepthwiseConv2DOptions(
                    (TflitePadding)o.GetByte(DwPadding, "padding"),
                    o.GetInt32(DwStrideW, "stride_w"),
                    o.GetInt32(DwStrideH, "stride_h"),
                    o.GetInt32(DwDepthMultiplier, "depth_multiplier"),
                    (TfliteActivation)o.GetByte(DwActivation, "fused_activation_function"),
                    o.GetInt32(DwDilationW, "dilation_w_factor", 1),
                    o.GetInt32(DwDilationH, "dilation_h_factor", 1));
            case OptPool2D:
                return new Pool2DOptions(
                    (TflitePadding)o.GetByte(PoolPadding, "padding"),
                    o.GetInt32(PoolStrideW, "stride_w"),
                    o.GetInt32(PoolStrideH, "stride_h"),
                    o.GetInt32(PoolFilterW, "filter_width"),
                    o.GetInt32(PoolFilterH, "filter_height"),
                    (TfliteActivation)o.GetByte(PoolActivation, "fused_activation_function"));
            case OptFullyConnected:
                return new FullyConnectedOptions(
                    (TfliteActivation)o.GetByte(FcActivation, "fused_activation_function"),
                    o.GetByte(FcWeightsFormat, "weights_format"),
                    o.GetBool(FcKeepNumDims, "keep_num_dims"),
                    o.GetBool(FcAsymmetricQuantizeInputs, "asymmetric_quantize_inputs"));
            case OptSoftmax:
                return new SoftmaxOptions(o.GetFloat(SoftmaxBeta, "beta"));
            case OptConcatenation:
                return new ConcatenationOptions(
                    o.GetInt32(ConcatAxis, "axis"),
                    (TfliteActivation)o.GetByte(ConcatActivation, "fused_activation_function"));
            case OptAdd:
                return new AddOptions(
                    (TfliteActivation)o.GetByte(AddActivation, "fused_activation_function"),
                    o.GetBool(AddPotScaleInt16, "pot_scale_int16", true));
            case OptMul:
                return new MulOptions((TfliteActivation)o.GetByte(MulActivation, "fused_activation_function"));
            case OptGelu:
                return new GeluOptions(o.GetBool(GeluApproximate, "approximate"));
            case OptSub:
                return new SubOptions(
                    (TfliteActivation)o.GetByte(SubActivation, "fused_activation_function"),
                    o.GetBool(SubPotScaleInt16, "pot_scale_int16", true));
            case OptReshape:
                return new ReshapeOptions(o.GetVector(ReshapeNewShape, "new_shape", 4)?.ToInt32Array());
            case OptReducer:
                return new ReducerOptions(o.GetBool(ReducerKeepDims, "keep_dims"));
            case OptResizeNearestNeighbor:
                return new ResizeNearestNeighborOptions(o.GetBool(ResizeNnAlignCorners, "align_corners"), o.GetBool(ResizeNnHalfPixelCenters, "half_pixel_centers"));
            case OptStridedSlice:
                return new StridedSliceOptions(o.GetInt32(StridedSliceBeginMask, "begin_mask"), o.GetInt32(StridedSliceEndMask, "end_mask"),
                    o.GetInt32(StridedSliceEllipsisMask, "ellipsis_mask"), o.GetInt32(StridedSliceNewAxisMask, "new_axis_mask"),
                    o.GetInt32(StridedSliceShrinkAxisMask, "shrink_axis_mask"), o.GetBool(StridedSliceOffset, "offset"));
            case OptUnidirectionalSequenceLstm:
                return new UnidirectionalSequenceLstmOptions((TfliteActivation)o.GetByte(LstmActivation, "fused_activation_function"),
                    o.GetFloat(LstmCellClip, "cell_clip"), o.GetFloat(LstmProjClip, "proj_clip"), o.GetBool(LstmTimeMajor, "time_major"),
                    o.GetBool(LstmAsymmetricQuantizeInputs, "asymmetric_quantize_inputs"), o.GetBool(LstmDiagonalRecurrentTensors, "diagonal_recurrent_tensors"));
            case OptTranspose:
            case OptSlice:
            case OptPad:
            case OptQuantize:
            case OptDequantize:
                return new EmptyOptions(type);
            default:
                return null;
        }
    }

    private static void CheckIndices(int[] indices, int tensorCount, bool allowOmitted, string what)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            int t = indices[i];
            if (t == -1 && allowOmitted) continue;
            if (t < 0 || t >= tensorCount)
                throw new TfliteFormatException($"{what}[{i}] is {t}, but the subgraph has {tensorCount} tensors");
        }
    }
}
