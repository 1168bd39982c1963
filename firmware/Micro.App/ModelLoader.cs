using System;
using Micro.Runtime;

namespace Micro.App
{
    /// <summary>
    /// The model loading policy: try each source in order (internal storage first, then the blob embedded
    /// in the firmware); a source without a blob is skipped; a blob Model.Load refuses
    /// (BlobFormatException), whose shapes do not fit the classifier, or that cannot be read falls through
    /// to the next source; so does a blob whose self-test (metadata record tag 4, <see cref="ModelSelfTest"/>)
    /// fails: its bytes passed the CRC but do not compute what the host packed. When none is left the alarm
    /// runs rule-based and reports a model fault. The self-test runs before the classifier is built, on an
    /// arena of its own that is garbage once it returns; the classifier that is kept allocates the one arena.
    /// </summary>
    public static class ModelLoader
    {
        // When even the message cannot be built (the heap is full), this constant stands in.
        private const string NoRoomForMessage = "model loading failed and the heap has no room left to say why";

        /// <summary>Tries internal-storage bytes, then resource bytes (either may be null).</summary>
        public static ModelLoadResult Load(byte[] storageBlob, byte[] resourceBlob)
        {
            return Load(new IBlobSource[] { new BytesBlobSource("storage", storageBlob), new BytesBlobSource("resource", resourceBlob) });
        }

        /// <summary>Tries the sources in order; never throws for a bad or missing blob. No self-test timing.</summary>
        public static ModelLoadResult Load(IBlobSource[] sources)
        {
            return LoadTimed(sources, null);
        }

        /// <summary>Tries the sources in order, running each blob's self-test (timed with clock, which may be
        /// null); never throws for a bad or missing blob.</summary>
        public static ModelLoadResult LoadTimed(IBlobSource[] sources, IMicroClock clock)
        {
            if (sources == null) throw new ArgumentNullException("sources");
            ModelLoadResult result = new ModelLoadResult();
            result.ErrorCode = ModelLoadResult.NoBlob;
            result.Message = "no model blob found";
            for (int i = 0; i < sources.Length; i++)
            {
                IBlobSource source = sources[i];
                if (source == null) continue;
                byte[] blob;
                try
                {
                    blob = source.Read();
                }
                catch (BlobFormatException e)
                {
                    Fail(result, e.Code, source.Name + ": " + e.Message);
                    continue;
                }
                catch (Exception e)
                {
                    Fail(result, ModelLoadResult.ReadFailed, source.Name, ": cannot read: ", e);
                    continue;
                }
                if (blob == null) continue;
                try
                {
                    Model model = Model.Load(blob);
                    SelfTestResult test = ModelSelfTest.Run(model, clock);
                    result.SelfTest = test;
                    if (!test.Ok)
                    {
                        Fail(result, ModelLoadResult.SelfTestFailed, source.Name + ": " + test.Message);
                        continue;
                    }
                    result.Classifier = new BlobRhythmClassifier(model);
                    CompactHeap();
                    result.Source = source.Name;
                    result.ErrorCode = 0;
                    if (result.FailedSources == 0) result.Message = null;
                    return result;
                }
                catch (BlobFormatException e)
                {
                    Fail(result, e.Code, source.Name + ": " + e.Message);
                }
                catch (ArgumentException e)
                {
                    Fail(result, ModelLoadResult.WrongShape, source.Name + ": " + e.Message);
                }
                catch (Exception e)
                {
                    // Out of memory for the blob or the arena, or anything else unexpected: rules still work.
                    Fail(result, ModelLoadResult.ReadFailed, source.Name, ": ", e);
                }
            }
            return result;
        }

        /// <summary>Larger than the whole managed heap of a board without PSRAM (≈ 64–100 KB).</summary>
        private const int CompactionRequestBytes = 256 * 1024;

        /// <summary>
        /// Leaves the free heap in one block once the model is in: its tables, arena and classifier
        /// (docs/performance.md, "Heap"). nanoCLR compacts only when an array request fails: a stack frame or an
        /// object that finds no contiguous room throws OutOfMemoryException with kilobytes free, and loading the
        /// model leaves the heap in pieces. Without this, the network's first frames failed in 64 KB with 8 KB free. One request larger than the heap: it fails,
        /// after a collection and a compaction (where more than this is free, it succeeds and nothing is needed).
        /// </summary>
        private static void CompactHeap()
        {
            try
            {
                byte[] probe = new byte[CompactionRequestBytes];
                probe[0] = 1;
            }
            catch (Exception)
            {
                // OutOfMemoryException: expected, the compaction has run.
            }
        }

        private static void Fail(ModelLoadResult result, int code, string name, string what, Exception e)
        {
            string message;
            try
            {
                message = name + what + e.Message;
            }
            catch (Exception)
            {
                message = NoRoomForMessage;
            }
            Fail(result, code, message);
        }

        private static void Fail(ModelLoadResult result, int code, string message)
        {
            result.FailedSources++;
            result.ErrorCode = code;
            result.Message = message;
        }
    }
}
