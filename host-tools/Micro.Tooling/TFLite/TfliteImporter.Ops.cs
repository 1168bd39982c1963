using Micro.Runtime.Format;
using Micro.Tooling.Graph;
using Op = Micro.Tooling.TFLite.TfliteSchema.Op;

namespace Micro.Tooling.TFLite;

/// <summary>Operator by operator lowering: TFLite operator → QGraph op(s) with TFLM's integer parameters.</summary>
public sealed partial class TfliteImporter
{
    private void Lower(TfliteOperator op)
    {
        int code = Code(op);
        if (TouchesInt16(op))
        {
            LowerInt16(op, code);
            return;
        }
        switch (code)
        {
            case Op.FullyConnected: FullyConnected(op); break;
            case Op.Conv2D: Conv(op, depthwise: false); break;
            case Op.DepthwiseConv2D: Conv(op, depthwise: true); break;
            case Op.AveragePool2D: Pool(op, OpCodes.AveragePool); break;
            case Op.MaxPool2D: Pool(op, OpCodes.MaxPool); break;
            case Op.Add: Add(op); break;
            case Op.Reshape: Reshape(op); break;
            case Op.Softmax: Softmax(op); break;
            case Op.Logistic: LogisticOrTanh(op, OpCodes.Logistic, -128, 1f / 256); break;
            case Op.Tanh: LogisticOrTanh(op, OpCodes.Tanh, 0, 1f / 128); break;
            case Op.Pad: Pad(op); break;
            case Op.Concatenation: Concatenation(op); break;
            case Op.Mean: Mean(op); break;
            case Op.Quantize: Requantize(op); break;
            case Op.Mul: MulOp(op); break;
            case Op.Sub: SubOp(op); break;
            case Op.HardSwish: HardSwishOp(op); break;
            case Op.Gelu: GeluOp(op); break;
            case Op.ResizeNearestNeighbor: ResizeNearestNeighbor(op); break;
            case Op.Transpose: Transpose(op); break;
            case Op.StridedSlice: StridedSlice(op); break;
            case Op.Slice: Slice(op); break;
            case Op.UnidirectionalSequenceLstm: UnidirectionalSequenceLstm(op); break;
            case Op.Dequantize:
                throw new TfliteImportException($"{OpLabel(op)}: DEQUANTIZE is supported only as the last step to a float model output");
            case Op.Custom:
                throw new TfliteImportException($"{OpLabel(op)}: custom operators are not supported");
            default:
                throw new TfliteImportException($"{OpLabel(op)} is not supported (supported: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE_POOL_2D, MAX_POOL_2D, ADD, RESHAPE, SOFTMAX, LOGISTIC, TANH, PAD, CONCATENATION, MEAN, QUANTIZE, MUL, SUB, HARD_SWISH, GELU, RESIZE_NEAREST_NEIGHBOR, TRANSPOSE, STRIDED_SLICE, SLICE, UNIDIRECTIONAL_SEQUENCE_LSTM, DEQUANTIZE at the edges)");
        }
    }

    /// <summary>
    /// The op's options of type <typeparamref name="T"/>. Like TFLM (builtin_options_as_X), options of
    /// another type count as absent; absent options take <paramref name="absent"/>, or are an error when
    /// that is null (TFLM would run with zero strides or beta 0 and fail).
    /// </summary>
    private T Options<T>(TfliteOperator op, T? absent) where T : TfliteOptions
    {
        if (op.Options is T t) return t;
        if (absent != null) return absent;
        throw new TfliteImportException($"{OpLabel(op)} has no {typeof(T).Name} (builtin_options type {op.BuiltinOptionsType})");
    }

    private (int Min, int Max) Activation(TfliteOperator op, TfliteActivation activation, QTensor y)
    {
        try
        {
            return y.DType == DType.Int16
                ? TflmParams.ActivationRange(activation, Scale(y), y.ZeroPoint, short.MinValue, short.MaxValue)
                : TflmParams.ActivationRange(activation, Scale(y), y.ZeroPoint);
        }
        catch (TfliteImportException e)
        {
            throw new TfliteImportException($"{OpLabel(op)}: {e.Message}");
        }
    }

    private T Emit<T>(TfliteOperator op, T q, params QTensor[] inputs) where T : QOp
    {
        q.Name = OpLabel(op);
        q.Inputs.AddRange(inputs);
        return _graph.Add(q);
    }

    private static bool SameShape(QTensor a, QTensor b) => a.Shape.SequenceEqual(b.Shape);

    // ---- FULLY_CONNECTED --------------------------------------------------------------------------------

    private void FullyConnected(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options(op, new FullyConnectedOptions(TfliteActivation.None, 0, false, false));
        if (o.WeightsFormat != 0)
            throw new TfliteImportException($"{where}: shuffled weights format {o.WeightsFormat} is not supported");
        QTensor x = Input(op, 0);
        if (op.Inputs.Length < 2 || op.Inputs[1] < 0) throw new TfliteImportException($"{where}: the weights input is missing");
        int wi = op.Inputs[1];
        TfliteTensor wt = _sg.Tensors[wi];
        if (wt.Type == TfliteTensorType.Int4) throw new TfliteImportException($"{where}: int4 weights are not supported");
        sbyte[] weights = ConstantInt8(wi, where, "weights");
        if (wt.Shape.Length != 2) throw new TfliteImportException($"{where}: weights must be [outputs, depth], are [{string.Join(",", wt.Shape)}]");
        int m = wt.Shape[0], k = wt.Shape[1];
        if (m < 1 || k < 1) throw new TfliteImportException($"{where}: empty weights [{m},{k}]");
        float[] wScales = WeightScales(wi, m, 0, where);
        int[]? bias = Bias(op, 2, m, out float? biasScale);
        QTensor y = Output(op);

        if (x.ElementCount % k != 0)
            throw new TfliteImportException($"{where}: input [{string.Join(",", x.Shape)}] does not split into rows of depth {k}");
        int batches = x.ElementCount / k;
        if (y.Shape[^1] != m || y.ElementCount != batches * m)
            throw new TfliteImportException($"{where}: output [{string.Join(",", y.Shape)}] should hold {batches} rows of {m}");

        int[] mult, shift;
        if (wScales.Length > 1)
        {
            (mult, shift) = TflmParams.PerChannelMultipliers(Scale(x), wScales, Scale(y), m, where);
        }
        else
        {
            var (m1, s1) = TflmParams.FullyConnectedMultiplier(Scale(x), wScales[0], biasScale, Scale(y), where);
            (mult, shift) = (new[] { m1 }, new[] { s1 });
        }
        CheckWeightedShifts(shift, where);
        var (actMin, actMax) = Activation(op, o.Activation, y);
        var fc = new QFullyConnected { Weights = weights, Bias = bias, Multipliers = mult, Shifts = shift, ActMin = actMin, ActMax = actMax, Output = y };
        Emit(op, fc, x);
    }

    // ---- CONV_2D, DEPTHWISE_CONV_2D ---------------------------------------------------------------------

    /// <summary>
    /// Filters are OHWI for CONV_2D and 1HWO for DEPTHWISE_CONV_2D, byte for byte the blob's layouts.
    /// Padding and output size follow TFLite's SAME/VALID rules (TflmParams.Padding); per-channel
    /// multipliers follow PopulateConvolutionQuantizationParams.
    /// </summary>
    private void Conv(TfliteOperator op, bool depthwise)
    {
        string where = OpLabel(op);
        TflitePadding padding;
        int strideW, strideH, dilationW, dilationH, optionDm = 1;
        TfliteActivation activation;
        if (depthwise)
        {
            var o = Options<DepthwiseConv2DOptions>(op, null);
            (padding, strideW, strideH, optionDm, activation, dilationW, dilationH) =
                (o.Padding, o.StrideW, o.StrideH, o.DepthMultiplier, o.Activation, o.DilationW, o.DilationH);
        }
        else
        {
            var o = Options<Conv2DOptions>(op, null);
            (padding, strideW, strideH, activation, dilationW, dilationH) =
                (o.Padding, o.StrideW, o.StrideH, o.Activation, o.DilationW, o.DilationH);
        }

        QTensor x = Input(op, 0);
        if (x.Shape.Length != 4) throw new TfliteImportException($"{where}: input must be NHWC (rank 4), is [{string.Join(",", x.Shape)}]");
        if (op.Inputs.Length < 2 || op.Inputs[1] < 0) throw new TfliteImportException($"{where}: the filter input is missing");
        int wi = op.Inputs[1];
        TfliteTensor wt = _sg.Tensors[wi];
        if (wt.Type == TfliteTensorType.Int4) throw new TfliteImportException($"{where}: int4 filters are not supported");
        sbyte[] weights = ConstantInt8(wi, where, "filter");
        if (wt.Shape.Length != 4) throw new TfliteImportException($"{where}: filter must be rank 4, is [{string.Join(",", wt.Shape)}]");
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], cin = x.Shape[3];
        int kh = wt.Shape[1], kw = wt.Shape[2];
        int cout;
        int dm = 1, groups = 1;
        if (depthwise)
        {
            if (wt.Shape[0] != 1) throw new TfliteImportException($"{where}: depthwise filter must be [1, kh, kw, channels], is [{string.Join(",", wt.Shape)}]");
            cout = wt.Shape[3];
            if (cout % cin != 0) throw new TfliteImportException($"{where}: {cout} output channels are not a multiple of {cin} input channels");
            dm = cout / cin;
            // TFLM loops over the options' depth_multiplier; one that disagrees with the shapes would make it
            // compute something else than the shapes say.
            if (optionDm != dm) throw new TfliteImportException($"{where}: depth_multiplier option is {optionDm}, but the shapes give {dm}");
        }
        else
        {
            cout = wt.Shape[0];
            // TFLM's ConvPerChannel: groups = input depth / filter input depth (1 = dense).
            if (wt.Shape[3] < 1 || cin % wt.Shape[3] != 0 || cout % (cin / wt.Shape[3]) != 0)
                throw new TfliteImportException($"{where}: filter has {wt.Shape[3]} input channels, which do not split the input's {cin} (and the {cout} outputs) into groups");
            groups = cin / wt.Shape[3];
        }
        if (kh < 1 || kw < 1 || cout < 1) throw new TfliteImportException($"{where}: empty filter [{string.Join(",", wt.Shape)}]");
        float[] wScales = WeightScales(wi, cout, depthwise ? 3 : 0, where);
        int[]? bias = Bias(op, 2, cout, out _);
        QTensor y = Output(op);

        var (ho, padTop, _) = Window(padding, h, kh, strideH, dilationH, where, "height");
        var (wo, padLeft, _) = Window(padding, w, kw, strideW, dilationW, where, "width");
        if (y.Shape.Length != 4 || y.Shape[0] != n || y.Shape[1] != ho || y.Shape[2] != wo || y.Shape[3] != cout)
            throw new TfliteImportException($"{where}: output is [{string.Join(",", y.Shape)}], the window gives [{n},{ho},{wo},{cout}]");

        var (mult, shift) = TflmParams.PerChannelMultipliers(Scale(x), wScales, Scale(y), cout, where);
        CheckWeightedShifts(shift, where);
        var (actMin, actMax) = Activation(op, activation, y);
        var conv = new QConv
        {
            Depthwise = depthwise,
            Weights = weights,
            Bias = bias,
            Multipliers = mult,
            Shifts = shift,
            ActMin = actMin,
            ActMax = actMax,
            KernelH = kh,
            KernelW = kw,
            StrideH = strideH,
            StrideW = strideW,
            DilationH = dilationH,
            DilationW = dilationW,
            PadTop = padTop,
            PadLeft = padLeft,
            DepthMultiplier = dm,
            Groups = groups,
            Output = y,
        };
        Emit(op, conv, x);
    }

    /// <summary>Filter scales: one, or one per output channel along <paramref name="channelDim"/>; zero points all 0.</summary>
    private float[] WeightScales(int index, int channels, int channelDim, string where)
    {
        TfliteTensor t = _sg.Tensors[index];
        TfliteQuantization? q = t.Quantization;
        if (q is null || q.HasCustomDetails)
            throw new TfliteImportException($"{where}: weights {t.Describe()} are not affine-quantized (a hybrid or float model?)");
        if (q.Scale.Length != 1 && q.Scale.Length != channels)
            throw new TfliteImportException($"{where}: weights {t.Describe()} have {q.Scale.Length} scales for {channels} output channels");
        if (q.Scale.Length > 1 && q.QuantizedDimension != channelDim)
            throw new TfliteImportException($"{where}: weights {t.Describe()} are quantized along dimension {q.QuantizedDimension}, expected {channelDim}");
        foreach (float s in q.Scale)
        {
            if (!float.IsFinite(s) || s <= 0f)
                throw new TfliteImportException($"{where}: weights {t.Describe()} have scale {s}; scales must be finite and > 0");
        }
        foreach (long zp in q.ZeroPoint)
        {
            if (zp != 0)
                throw new TfliteImportException($"{where}: weights {t.Describe()} have zero point {zp}; int8 weights must be symmetric (zero point 0)");
        }
        return q.Scale;
    }

    /// <summary>The int32 bias [channels] at input <paramref name="slot"/>, or null when the op has none.</summary>
    private int[]? Bias(TfliteOperator op, int slot, int channels, out float? biasScale)
    {
        biasScale = null;
        if (slot >= op.Inputs.Length || op.Inputs[slot] < 0) return null;
        string where = OpLabel(op);
        int bi = op.Inputs[slot];
        TfliteTensor t = _sg.Tensors[bi];
        if (t.Type == TfliteTensorType.Int64)
        {
            // 16x8 operators: LowerWeighted16 reads the int64 values and sets them as Bias64 after this lowering.
            if (!_wideBias) throw new TfliteImportException($"{where}: int64 biases belong to 16x8 operators, with int16 activations");
            biasScale = t.Quantization is { Scale.Length: > 0 } bq ? bq.Scale[0] : 0f;
            return null;
        }
        int[] bias = ConstantInt32(bi, where, "bias");
        if (bias.Length != channels)
            throw new TfliteImportException($"{where}: bias {t.Describe()} has {bias.Length} values for {channels} output channels");
        // TFLM reads params.scale, which is 0 for an unquantized tensor.
        biasScale = t.Quantization?.Scale[0] ?? 0f;
        return bias;
    }

    private static void CheckWeightedShifts(int[] shifts, string where)
    {
        foreach (int s in shifts)
        {
            if (s > 30) throw new TfliteImportException($"{where}: requantization shift {s} exceeds 30 (output scale far below input × weight scale)");
        }
    }

    private static (int Out, int PadBefore, int PadAfter) Window(TflitePadding padding, int size, int filter, int stride, int dilation,
        string where, string axis) => TflmParams.Padding(padding, size, filter, stride, dilation, where + " " + axis);

    // ---- pools ------------------------------------------------------------------------------------------

    /// <summary>
    /// AVERAGE_POOL_2D / MAX_POOL_2D: params kh, kw, stride_h, stride_w, pad_top, pad_left, act_min,
    /// act_max. TFLM requires equal input and output quantization (scales within 1e-6); the blob stores the
    /// output with the input's scale so the two are exactly equal (kernels never read scales).
    /// </summary>
    private void Pool(TfliteOperator op, int opcode)
    {
        string where = OpLabel(op);
        var o = Options<Pool2DOptions>(op, null);
        QTensor x = Input(op, 0);
        QTensor y = Output(op);
        if (x.Shape.Length != 4 || y.Shape.Length != 4)
            throw new TfliteImportException($"{where}: input and output must be NHWC (rank 4)");
        TflmParams.CheckSameQuantization(Scale(x), x.ZeroPoint, Scale(y), y.ZeroPoint, where);
        var (ho, padTop, _) = Window(o.Padding, x.Shape[1], o.FilterH, o.StrideH, 1, where, "height");
        var (wo, padLeft, _) = Window(o.Padding, x.Shape[2], o.FilterW, o.StrideW, 1, where, "width");
        if (y.Shape[0] != x.Shape[0] || y.Shape[1] != ho || y.Shape[2] != wo || y.Shape[3] != x.Shape[3])
            throw new TfliteImportException($"{where}: output is [{string.Join(",", y.Shape)}], the window gives [{x.Shape[0]},{ho},{wo},{x.Shape[3]}]");
        if (o.FilterH > 65535 || o.FilterW > 65535 || o.StrideH > 65535 || o.StrideW > 65535)
            throw new TfliteImportException($"{where}: window or stride above 65535");
        var (actMin, actMax) = Activation(op, o.Activation, y);
        y.Scale = x.Scale;
        var q = new QSimpleOp(opcode, Micro.Runtime.Kernels.PoolGeometry.Encode(o.FilterH, o.FilterW, o.StrideH, o.StrideW, padTop, padLeft, actMin, actMax)) { Output = y };
        Emit(op, q, x);
    }

    // ---- ADD --------------------------------------------------------------------------------------------

    /// <summary>ADD of two int8 tensors of the output's shape: params left_shift, a_mult, a_shift, b_mult, b_shift, out_mult, out_shift, act_min, act_max.</summary>
    private void Add(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options(op, new AddOptions(TfliteActivation.None, true));
        if (op.Inputs.Length != 2) throw new TfliteImportException($"{where} has {op.Inputs.Length} inputs, expected 2");
        QTensor a = Input(op, 0);
        QTensor b = Input(op, 1);
        QTensor y = Output(op);
        bool broadcast = !SameShape(a, y) || !SameShape(b, y);
        if (broadcast) CheckBroadcast(a, b, y, where);
        AddQuantParams p = TflmParams.Add(Scale(a), Scale(b), Scale(y), where);
        var (actMin, actMax) = Activation(op, o.Activation, y);
        var q = new QSimpleOp(broadcast ? OpCodes.BroadcastAdd : OpCodes.Add, Micro.Runtime.Kernels.Add.Encode(p.LeftShift, p.Input1.Multiplier, p.Input1.Shift,
            p.Input2.Multiplier, p.Input2.Shift, p.Output.Multiplier, p.Output.Shift, actMin, actMax))
        { Output = y };
        Emit(op, q, a, b);
    }

    // ---- RESHAPE ----------------------------------------------------------------------------------------

    /// <summary>RESHAPE: TFLM copies the bytes; the output shape is the output tensor's (the shape input is ignored).</summary>
    private void Reshape(TfliteOperator op)
    {
        string where = OpLabel(op);
        QTensor x = Input(op, 0);
        QTensor y = Output(op);
        if (x.ElementCount != y.ElementCount)
            throw new TfliteImportException($"{where}: [{string.Join(",", x.Shape)}] and [{string.Join(",", y.Shape)}] hold different numbers of elements");
        RequireSameQuantization(x, y, where);
        Emit(op, new QSimpleOp(OpCodes.Reshape, Micro.Runtime.Kernels.Reshape.Encode()) { Output = y }, x);
    }

    /// <summary>
    /// For ops that copy bytes (RESHAPE, PAD): TFLite's scales and zero points must be equal; the output
    /// then takes the input's blob scale (which differs from TFLite's only after a pool, by ≤ 1e-6).
    /// </summary>
    private void RequireSameQuantization(QTensor x, QTensor y, string where)
    {
        if (Scale(x) != Scale(y) || x.ZeroPoint != y.ZeroPoint)
            throw new TfliteImportException($"{where}: input and output quantization differ (scale {Scale(x):G9} vs {Scale(y):G9}, zero point {x.ZeroPoint} vs {y.ZeroPoint}); TFLM copies bytes here, so they must be equal");
        y.Scale = x.Scale;
    }

    // ---- SOFTMAX, LOGISTIC, TANH ------------------------------------------------------------------------

    private void Softmax(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options<SoftmaxOptions>(op, null);
        QTensor x = Input(op, 0);
        QTensor y = Output(op);
        if (!SameShape(x, y)) throw new TfliteImportException($"{where}: input and output shapes differ");
        var (m, s, diffMin) = TflmParams.Softmax(o.Beta, Scale(x), Scale(y), y.ZeroPoint, where);
        Emit(op, new QSimpleOp(OpCodes.Softmax, Micro.Runtime.Kernels.Softmax.Encode(m, s, diffMin)) { Output = y }, x);
    }

    private void LogisticOrTanh(TfliteOperator op, int opcode, int outZeroPoint, float outScale)
    {
        string where = OpLabel(op);
        QTensor x = Input(op, 0);
        QTensor y = Output(op);
        if (!SameShape(x, y)) throw new TfliteImportException($"{where}: input and output shapes differ");
        if (y.ZeroPoint != outZeroPoint || Scale(y) != outScale)
            throw new TfliteImportException($"{where}: int8 output must have zero point {outZeroPoint} and scale {outScale:G9} (has {y.ZeroPoint}, {y.Scale:G9})");
        var (m, s, radius) = TflmParams.LogisticOrTanh(Scale(x), where);
        Emit(op, new QSimpleOp(opcode, opcode == OpCodes.Logistic ? Micro.Runtime.Kernels.Logistic.Encode(m, s, radius) : Micro.Runtime.Kernels.Tanh.Encode(m, s, radius)) { Output = y }, x);
    }

    // ---- PAD, CONCATENATION, MEAN, QUANTIZE -------------------------------------------------------------

    /// <summary>PAD with an int32 [rank, 2] paddings constant; the padding value is the output zero point.</summary>
    private void Pad(TfliteOperator op)
    {
        string where = OpLabel(op);
        if (op.Inputs.Length != 2) throw new TfliteImportException($"{where} has {op.Inputs.Length} inputs, expected 2 (PADV2's constant value is not supported)");
        QTensor x = Input(op, 0);
        if (op.Inputs[1] < 0) throw new TfliteImportException($"{where}: the paddings input is missing");
        int[] pads = ConstantInt32(op.Inputs[1], where, "paddings");
        QTensor y = Output(op);
        int rank = y.Shape.Length;
        if (x.Shape.Length != rank || pads.Length != 2 * rank)
            throw new TfliteImportException($"{where}: {pads.Length} padding values for input rank {x.Shape.Length} and output rank {rank}");
        for (int d = 0; d < rank; d++)
        {
            if (pads[2 * d] < 0 || pads[2 * d + 1] < 0)
                throw new TfliteImportException($"{where}: negative padding on dimension {d}");
            if ((long)x.Shape[d] + pads[2 * d] + pads[2 * d + 1] != y.Shape[d])
                throw new TfliteImportException($"{where}: dimension {d}: {x.Shape[d]} + {pads[2 * d]} + {pads[2 * d + 1]} != output {y.Shape[d]}");
        }
        RequireSameQuantization(x, y, where);
        int[] before = new int[rank], after = new int[rank];
        for (int d = 0; d < rank; d++) { before[d] = pads[2 * d]; after[d] = pads[2 * d + 1]; }
        Emit(op, new QSimpleOp(OpCodes.Pad, Micro.Runtime.Kernels.Pad.Encode(before, after)) { Output = y }, x);
    }

    /// <summary>CONCATENATION: TFLM requires every input to carry the output's scale and zero point.</summary>
    private void Concatenation(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options(op, new ConcatenationOptions(0, TfliteActivation.None));
        if (o.Activation != TfliteActivation.None)
            throw new TfliteImportException($"{where}: fused activation {o.Activation} on CONCATENATION is not supported");
        if (op.Inputs.Length < 1 || op.Inputs.Length > 255) throw new TfliteImportException($"{where} has {op.Inputs.Length} inputs");
        var xs = new QTensor[op.Inputs.Length];
        for (int i = 0; i < xs.Length; i++) xs[i] = Input(op, i);
        QTensor y = Output(op);
        int rank = y.Shape.Length;
        int axis = o.Axis < 0 ? o.Axis + rank : o.Axis;
        if (axis < 0 || axis >= rank) throw new TfliteImportException($"{where}: axis {o.Axis} outside rank {rank}");
        long along = 0;
        foreach (QTensor x in xs)
        {
            if (x.Shape.Length != rank) throw new TfliteImportException($"{where}: inputs must have the output's rank {rank}");
            for (int d = 0; d < rank; d++)
            {
                if (d != axis && x.Shape[d] != y.Shape[d])
                    throw new TfliteImportException($"{where}: input [{string.Join(",", x.Shape)}] does not match output [{string.Join(",", y.Shape)}] off axis {axis}");
            }
            along += x.Shape[axis];
            if (Scale(x) != Scale(y) || x.ZeroPoint != y.ZeroPoint)
                throw new TfliteImportException($"{where}: input {x.Name} has scale {Scale(x):G9} / zero point {x.ZeroPoint}, the output {Scale(y):G9} / {y.ZeroPoint}; TFLM requires them equal");
            if (x.Scale != xs[0].Scale)
                throw new TfliteImportException($"{where}: inputs carry pool-adjusted scales that differ by up to 1e-6; this combination is not supported");
        }
        y.Scale = xs[0].Scale;
        if (along != y.Shape[axis]) throw new TfliteImportException($"{where}: inputs add up to {along} along axis {axis}, the output has {y.Shape[axis]}");
        Emit(op, new QSimpleOp(OpCodes.Concatenation, Micro.Runtime.Kernels.Concatenation.Encode(axis)) { Output = y }, xs);
    }

    /// <summary>
    /// MEAN over the spatial axes ({1, 2} of NHWC, {1} of NWC), keep_dims or not. Params: the plain
    /// rescale (m, shift) = QuantizeMultiplier(s_in / s_out) and the int8 range; the kernel folds 1/N in
    /// (TflmParams.MeanMultiplier documents that step).
    /// </summary>
    private void Mean(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options(op, new ReducerOptions(false));
        if (op.Inputs.Length != 2 || op.Inputs[1] < 0) throw new TfliteImportException($"{where}: MEAN needs an input and an axis tensor");
        QTensor x = Input(op, 0);
        int[] axes = ConstantInt32(op.Inputs[1], where, "axis");
        QTensor y = Output(op);
        int rank = x.Shape.Length;
        var set = new SortedSet<int>();
        foreach (int a in axes)
        {
            int r = a < 0 ? a + rank : a;
            if (r < 0 || r >= rank) throw new TfliteImportException($"{where}: axis {a} outside rank {rank}");
            set.Add(r);
        }
        bool spatial = (rank == 4 && set.SetEquals(new[] { 1, 2 })) || (rank == 3 && set.SetEquals(new[] { 1 }));
        if (!spatial)
            throw new TfliteImportException($"{where}: MEAN over axes [{string.Join(",", axes)}] of a rank-{rank} tensor is not supported (only the spatial axes of NHWC / NWC)");
        int n = x.Shape[0], c = x.Shape[^1];
        int[] expected = o.KeepDims ? (rank == 4 ? new[] { n, 1, 1, c } : new[] { n, 1, c }) : new[] { n, c };
        if (!y.Shape.SequenceEqual(expected))
            throw new TfliteImportException($"{where}: output is [{string.Join(",", y.Shape)}], expected [{string.Join(",", expected)}]");
        var (m, s) = TflmParams.Rescale(Scale(x), Scale(y), where);
        if (s > 30) throw new TfliteImportException($"{where}: rescale shift {s} exceeds 30");
        Emit(op, new QSimpleOp(OpCodes.Mean, Micro.Runtime.Kernels.Mean.Encode(m, s, sbyte.MinValue, sbyte.MaxValue)) { Output = y }, x);
    }

    /// <summary>QUANTIZE int8 → int8 (requantize): params QuantizeMultiplier(s_in / s_out).</summary>
    private void Requantize(TfliteOperator op)
    {
        string where = OpLabel(op);
        QTensor x = Input(op, 0);
        QTensor y = Output(op);
        if (!SameShape(x, y)) throw new TfliteImportException($"{where}: input and output shapes differ");
        var (m, s) = TflmParams.Rescale(Scale(x), Scale(y), where);
        if (s > 30) throw new TfliteImportException($"{where}: rescale shift {s} exceeds 30");
        Emit(op, new QSimpleOp(OpCodes.Quantize, Micro.Runtime.Kernels.Quantize.Encode(m, s)) { Output = y }, x);
    }
}
