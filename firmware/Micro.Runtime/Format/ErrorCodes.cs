namespace Micro.Runtime.Format
{
    /// <summary>
    /// Why a blob was refused. The device reports the number (enum ToString gives a number on nanoFramework,
    /// so these are plain int constants with a Name lookup for messages).
    /// </summary>
    public static class ErrorCodes
    {
        public const int TooShort = 1;
        public const int BadMagic = 2;
        public const int UnsupportedVersion = 3;
        public const int LengthMismatch = 4;
        public const int CrcMismatch = 5;
        public const int UnknownFlags = 6;
        public const int BadCount = 7;
        public const int BadSection = 8;
        public const int BadTensor = 9;
        public const int BadIo = 10;
        public const int UnknownOpcode = 11;
        public const int BadOpRecord = 12;
        public const int BadOpParams = 13;
        public const int ShapeMismatch = 14;
        public const int BadConstant = 15;
        public const int ReadBeforeWrite = 16;
        public const int ArenaOverlap = 17;
        public const int BadExit = 18;
        public const int BadMetadata = 19;
        public const int BadDType = 20;

        // Indexed by code; NameTableTests proves every code 1..Last exists once and is named as its constant.
        // A new array per call, not a static one: a static table and its strings would hold heap from the
        // device's start (≈ 0.6 KB each on nanoCLR) for names that only error messages and tools read.
        private static string[] Names()
        {
            return new string[]
        {
            "Ok", "TooShort", "BadMagic", "UnsupportedVersion", "LengthMismatch", "CrcMismatch", "UnknownFlags",
            "BadCount", "BadSection", "BadTensor", "BadIo", "UnknownOpcode", "BadOpRecord", "BadOpParams",
            "ShapeMismatch", "BadConstant", "ReadBeforeWrite", "ArenaOverlap", "BadExit", "BadMetadata", "BadDType",
        };
        }

        public const int Last = 20;

        public static string Name(int code)
        {
            string[] names = Names();
            if (code >= 0 && code < names.Length) return names[code];
            return "error " + code;
        }
    }
}
