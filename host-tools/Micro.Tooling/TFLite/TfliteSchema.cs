namespace Micro.Tooling.TFLite;

/// <summary>TFLite's TensorType enum (schema.fbs, schema version 3).</summary>
public enum TfliteTensorType : byte
{
    Float32 = 0,
    Float16 = 1,
    Int32 = 2,
    UInt8 = 3,
    Int64 = 4,
    String = 5,
    Bool = 6,
    Int16 = 7,
    Complex64 = 8,
    Int8 = 9,
    Float64 = 10,
    Complex128 = 11,
    UInt64 = 12,
    Resource = 13,
    Variant = 14,
    UInt32 = 15,
    UInt16 = 16,
    Int4 = 17,
    BFloat16 = 18,
}

/// <summary>Padding enum of the conv and pool options (schema: SAME = 0, VALID = 1).</summary>
public enum TflitePadding : byte
{
    Same = 0,
    Valid = 1,
}

/// <summary>ActivationFunctionType enum of the fused activations.</summary>
public enum TfliteActivation : byte
{
    None = 0,
    Relu = 1,
    ReluN1To1 = 2,
    Relu6 = 3,
    Tanh = 4,
    SignBit = 5,
}

/// <summary>
/// Numbers of TFLite's schema v3 (tensorflow/compiler/mlir/lite/schema/schema.fbs) that this reader uses:
/// field ids per table (a union counts as two ids, type then value), BuiltinOperator codes and the
/// BuiltinOptions union's type numbers.
/// </summary>
public static class TfliteSchema
{
    public const string FileIdentifier = "TFL3";
    public const uint SchemaVersion = 3;

    // table Model
    public const int ModelVersion = 0, ModelOperatorCodes = 1, ModelSubgraphs = 2, ModelDescription = 3, ModelBuffers = 4;

    // table SubGraph
    public const int SubGraphTensors = 0, SubGraphInputs = 1, SubGraphOutputs = 2, SubGraphOperators = 3, SubGraphName = 4;

    // table Tensor
    public const int TensorShape = 0, TensorType = 1, TensorBuffer = 2, TensorName = 3, TensorQuantization = 4,
        TensorIsVariable = 5, TensorSparsity = 6, TensorShapeSignature = 7;

    // table QuantizationParameters (details is a union: type id 4, value id 5)
    public const int QuantMin = 0, QuantMax = 1, QuantScale = 2, QuantZeroPoint = 3, QuantDetailsType = 4,
        QuantQuantizedDimension = 6;

    // table Buffer
    public const int BufferData = 0, BufferOffset = 1, BufferSize = 2;

    // table OperatorCode
    public const int OpCodeDeprecatedBuiltinCode = 0, OpCodeCustomCode = 1, OpCodeVersion = 2, OpCodeBuiltinCode = 3;

    // table Operator (builtin_options is a union: type id 3, value id 4)
    public const int OperatorOpcodeIndex = 0, OperatorInputs = 1, OperatorOutputs = 2, OperatorBuiltinOptionsType = 3,
        OperatorCustomOptions = 5, OperatorIntermediates = 8, OperatorLargeCustomOptionsOffset = 9,
        OperatorBuiltinOptions2Type = 11;

    // BuiltinOptions union type numbers (NONE = 0, then the union's members in order).
    public const byte OptConv2D = 1, OptDepthwiseConv2D = 2, OptPool2D = 5, OptFullyConnected = 8, OptSoftmax = 9,
        OptConcatenation = 10, OptAdd = 11, OptReshape = 17, OptPad = 22, OptReducer = 27, OptDequantize = 38,
        OptQuantize = 89;
    public const byte OptMul = 21, OptSub = 28, OptGelu = 114;
    public const byte OptTranspose = 26, OptStridedSlice = 32, OptSlice = 48, OptResizeNearestNeighbor = 74;
    public const byte OptUnidirectionalSequenceLstm = 71;

    // Fields of the options tables we read.
    public const int Conv2DPadding = 0, Conv2DStrideW = 1, Conv2DStrideH = 2, Conv2DActivation = 3, Conv2DDilationW = 4,
        Conv2DDilationH = 5;
    public const int DwPadding = 0, DwStrideW = 1, DwStrideH = 2, DwDepthMultiplier = 3, DwActivation = 4, DwDilationW = 5,
        DwDilationH = 6;
    public const int PoolPadding = 0, PoolStrideW = 1, PoolStrideH = 2, PoolFilterW = 3, PoolFilterH = 4, PoolActivation = 5;
    public const int FcActivation = 0, FcWeightsFormat = 1, FcKeepNumDims = 2, FcAsymmetricQuantizeInputs = 3;
    public const int SoftmaxBeta = 0;
    public const int ConcatAxis = 0, ConcatActivation = 1;
    public const int AddActivation = 0, AddPotScaleInt16 = 1;
    public const int ReshapeNewShape = 0;
    public const int ReducerKeepDims = 0;
    public const int MulActivation = 0;
    public const int GeluApproximate = 0;
    public const int SubActivation = 0, SubPotScaleInt16 = 1;
    public const int ResizeNnAlignCorners = 0, ResizeNnHalfPixelCenters = 1;
    public const int StridedSliceBeginMask = 0, StridedSliceEndMask = 1, StridedSliceEllipsisMask = 2, StridedSliceNewAxisMask = 3,
        StridedSliceShrinkAxisMask = 4, StridedSliceOffset = 5;
    public const int LstmActivation = 0, LstmCellClip = 1, LstmProjClip = 2, LstmTimeMajor = 3, LstmAsymmetricQuantizeInputs = 4,
        LstmDiagonalRecurrentTensors = 5;

    /// <summary>BuiltinOperator codes the importer maps.</summary>
    public static class Op
    {
        public const int Add = 0, AveragePool2D = 1, Concatenation = 2, Conv2D = 3, DepthwiseConv2D = 4, Dequantize = 6,
            FullyConnected = 9, Logistic = 14, MaxPool2D = 17, Reshape = 22, Softmax = 25, Tanh = 28, Custom = 32,
            Pad = 34, Mean = 40, Quantize = 114;
        public const int Mul = 18, Sub = 41, HardSwish = 117, Gelu = 150;
        public const int Transpose = 39, StridedSlice = 45, Slice = 65, ResizeNearestNeighbor = 97;
        public const int UnidirectionalSequenceLstm = 44;

        /// <summary>Value below which the int8 deprecated_builtin_code is the whole story.</summary>
        public const int PlaceholderForGreaterOpCodes = 127;
    }

    // BuiltinOperator names 0..161 in schema order, for error messages.
    private static readonly string[] OperatorNames =
    {
        "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE",
        "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D",
        "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU",
        "RELU_N1_TO_1", "RELU6", "RESHAPE", "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH",
        "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD",
        "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN", "SUB",
        "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN", "EXP",
        "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM",
        "ARG_MAX", "MINIMUM", "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SLICE",
        "SIN", "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG", "SUM", "SQRT",
        "RSQRT", "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK", "LOGICAL_OR",
        "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY", "SQUARE",
        "ZEROS_LIKE", "FILL", "FLOOR_MOD", "RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE",
        "MIRROR_PAD", "ABS", "SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK",
        "ELU", "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH", "IF", "WHILE",
        "NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2", "DENSIFY", "SEGMENT_SUM",
        "BATCH_MATMUL", "PLACEHOLDER_FOR_GREATER_OP_CODES", "CUMSUM", "CALL_ONCE", "BROADCAST_TO", "RFFT2D",
        "CONV_3D", "IMAG", "REAL", "COMPLEX_ABS", "HASHTABLE", "HASHTABLE_FIND", "HASHTABLE_IMPORT",
        "HASHTABLE_SIZE", "REDUCE_ALL", "CONV_3D_TRANSPOSE", "VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE",
        "BROADCAST_ARGS", "RANDOM_STANDARD_NORMAL", "BUCKETIZE", "RANDOM_UNIFORM", "MULTINOMIAL", "GELU",
        "DYNAMIC_UPDATE_SLICE", "RELU_0_TO_1", "UNSORTED_SEGMENT_PROD", "UNSORTED_SEGMENT_MAX",
        "UNSORTED_SEGMENT_SUM", "ATAN2", "UNSORTED_SEGMENT_MIN", "SIGN", "BITCAST", "BITWISE_XOR", "RIGHT_SHIFT",
    };

    /// <summary>"CONV_2D (3)", or "builtin operator 300" for codes this table does not name.</summary>
    public static string OperatorName(int code)
    {
        if (code >= 0 && code < OperatorNames.Length) return OperatorNames[code] + " (" + code + ")";
        return "builtin operator " + code;
    }

    public static string TypeName(TfliteTensorType type)
    {
        return Enum.IsDefined(type) ? type.ToString().ToUpperInvariant() : "tensor type " + (int)type;
    }
}
