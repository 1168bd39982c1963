namespace Micro.App
{
    /// <summary>What the loading policy ended with: a classifier, or rule-based only and why.</summary>
    public sealed class ModelLoadResult
    {
        /// <summary>No source had a blob.</summary>
        public const int NoBlob = -1;

        /// <summary>A blob loaded but its shapes do not fit the rhythm classifier.</summary>
        public const int WrongShape = -2;

        /// <summary>Reading a source failed (I/O), or the arena did not fit in memory.</summary>
        public const int ReadFailed = -3;

        /// <summary>A blob loaded but failed its self-test (its outputs differ from those the host stored).</summary>
        public const int SelfTestFailed = -4;

        /// <summary>The self-test of the blob kept, or of the last blob tried when none was kept (null when
        /// no blob loaded far enough to run one).</summary>
        public SelfTestResult SelfTest;

        /// <summary>The classifier, or null when the alarm runs on rules alone.</summary>
        public BlobRhythmClassifier Classifier;

        /// <summary>Name of the source the model came from, or null.</summary>
        public string Source;

        /// <summary>Sources tried that had a blob but failed.</summary>
        public int FailedSources;

        /// <summary>0 when a model loaded; else the last failure: a Micro.Runtime.Format.ErrorCodes value
        /// (BlobFormatException.Code) or NoBlob, WrongShape, ReadFailed, SelfTestFailed.</summary>
        public int ErrorCode;

        /// <summary>Why the last failed source failed (also when a later source then loaded); null when
        /// nothing failed.</summary>
        public string Message;

        /// <summary>True when a classifier is available.</summary>
        public bool HasModel { get { return Classifier != null; } }

        /// <summary>True when the alarm must report a model fault: a blob existed but none could be used,
        /// or no blob was found where one was expected.</summary>
        public bool IsFault { get { return Classifier == null; } }
    }
}
