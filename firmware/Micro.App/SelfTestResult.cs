namespace Micro.App
{
    /// <summary>What the boot self-test of a blob found (ModelSelfTest.Run).</summary>
    public sealed class SelfTestResult
    {
        /// <summary>True when the blob carries a self-test record (tag 4).</summary>
        public bool Present;

        /// <summary>Vectors the record holds.</summary>
        public int Vectors;

        /// <summary>Vectors whose output matched byte for byte.</summary>
        public int Passed;

        /// <summary>Index of the first vector that did not match, or -1.</summary>
        public int FirstFailure = -1;

        /// <summary>Time for all vectors in µs, or -1 when no clock was given or nothing ran.</summary>
        public long Micros = -1;

        /// <summary>Why the self-test failed (a bad record or a mismatch), else null.</summary>
        public string Message;

        /// <summary>True when there is no record, or every vector matched. A failure is a model fault.</summary>
        public bool Ok { get { return Message == null && Passed == Vectors; } }

        /// <summary>Short form for the boot line: "none", "8/8" or "FAIL 7/8".</summary>
        public string Summary()
        {
            if (!Present) return "none";
            return (Ok ? "" : "FAIL ") + Passed + "/" + Vectors;
        }
    }
}
