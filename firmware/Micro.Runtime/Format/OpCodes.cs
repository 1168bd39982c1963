namespace Micro.Runtime.Format
{
    /// <summary>Opcodes of blob format version 1 (docs/blob-format.md, "Opcodes and their params").</summary>
    public static class OpCodes
    {
        public const int FullyConnected = 1;
        public const int Conv1D = 2;
        public const int Conv2D = 3;
        public const int DepthwiseConv1D = 4;
        public const int DepthwiseConv2D = 5;
        public const int MaxPool = 6;
        public const int AveragePool = 7;
        public const int Mean = 8;
        public const int Add = 9;
        public const int Concatenation = 10;
        public const int Reshape = 11;
        public const int Pad = 12;
        public const int Logistic = 13;
        public const int Tanh = 14;
        public const int Softmax = 15;
        public const int Quantize = 16;
        public const int Relu = 17;
        public const int LeakyRelu = 18;
        // Element-wise and activation ops (issue 13): broadcasting MUL/SUB/ADD, the generic table, HARD_SWISH.
        public const int Mul = 19;
        public const int Sub = 20;
        public const int BroadcastAdd = 21;
        public const int Lut = 22;
        public const int HardSwish = 23;

        // 24 is kept free for one more element-wise op; a blob that uses it is refused at load (UnknownOpcode).
        public const int Reserved24 = 24;

        // 25..: structural ops.
        public const int ResizeNearest = 25;
        public const int GroupedConv = 26;
        public const int StridedSlice = 27;
        public const int Transpose = 28;
        public const int LayerNorm = 29;

        // 30: recurrent ops.
        public const int Lstm = 30;

        // 31..39: kernels of TFLite's 16×8 mode (int16 activations) that the int8 kernels do not cover.
        public const int DepthwiseConv16 = 31;
        public const int Add16 = 32;

        /// <summary>Highest opcode this runtime knows. Anything above is rejected at load.</summary>
        public const int Last = 32;

        // One name per opcode, indexed by code, kept next to the constants; NameTableTests proves that every
        // code 1..Last exists once and that its name is the constant's name in SCREAMING_SNAKE form.
        // A new array per call, not a static one: a static table and its strings would hold heap from the
        // device's start (≈ 0.6 KB each on nanoCLR) for names that only error messages and tools read.
        private static string[] Names()
        {
            return new string[]
        {
            "INVALID", "FULLY_CONNECTED", "CONV_1D", "CONV_2D", "DEPTHWISE_CONV_1D", "DEPTHWISE_CONV_2D",
            "MAX_POOL", "AVERAGE_POOL", "MEAN", "ADD", "CONCATENATION", "RESHAPE", "PAD", "LOGISTIC", "TANH",
            "SOFTMAX", "QUANTIZE", "RELU", "LEAKY_RELU",
            "MUL", "SUB", "BROADCAST_ADD", "LUT", "HARD_SWISH",
            "RESERVED_24",
            "RESIZE_NEAREST", "GROUPED_CONV", "STRIDED_SLICE", "TRANSPOSE", "LAYER_NORM",
            "LSTM",
            "DEPTHWISE_CONV_16", "ADD_16",
        };
        }

        public static string Name(int code)
        {
            string[] names = Names();
            if (code > 0 && code < names.Length) return names[code];
            return "opcode " + code;
        }
    }
}
