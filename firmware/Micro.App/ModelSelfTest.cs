using System;
using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.App
{
    /// <summary>
    /// Runs the self-test a blob carries (metadata record tag 4, docs/blob-format.md "Self-test record"): each
    /// stored input vector goes into input 0, the full network runs (early exits off, so every main op and
    /// weight is exercised), and output 0's bytes must equal the stored ones exactly; integer kernels are
    /// bit-exact, so any difference means the weights, the code or the memory under them are not what the
    /// host packed. The blob's CRC only proves the bytes arrived as written; this proves they compute what
    /// the host computed. Uses its own Interpreter (one arena, freed afterwards) so it can run before the
    /// classifier is built.
    /// </summary>
    public static class ModelSelfTest
    {
        /// <summary>The record layout this reader understands (its first byte).</summary>
        public const int LayoutVersion = 1;

        /// <summary>Most vectors a record may hold.</summary>
        public const int MaxVectors = 64;

        /// <summary>Runs the blob's self-test; a blob without the record gives Present = false, Ok = true.
        /// Never throws for a bad record (the result says why). clock may be null (no timing).</summary>
        public static SelfTestResult Run(Model model, IMicroClock clock)
        {
            if (model == null) throw new ArgumentNullException("model");
            SelfTestResult r = new SelfTestResult();
            int start = model.RecordOffset(BlobLayout.RecordSelfTest);
            if (start < 0) return r;
            r.Present = true;
            int end = start + model.RecordLength(BlobLayout.RecordSelfTest);
            byte[] b = model.Blob;
            if (end - start < 3) return Bad(r, "record is " + (end - start) + " bytes, shorter than its 3-byte head");
            if (b[start] != LayoutVersion) return Bad(r, "record layout " + b[start] + " (this firmware reads " + LayoutVersion + ")");
            int count = b[start + 1];
            int flags = b[start + 2];
            r.Vectors = count;
            if (count < 1 || count > MaxVectors) return Bad(r, count + " vectors (1.." + MaxVectors + ")");
            if (flags != 0) return Bad(r, "flags " + flags + " (none are defined)");
            int p = start + 3;
            long inBytes = BlobLayout.ReadVarint(b, ref p, end);
            long outBytes = BlobLayout.ReadVarint(b, ref p, end);
            if (inBytes < 0 || outBytes < 0) return Bad(r, "bad byte counts");
            Tensor input = model.Tensors[model.Inputs[0]];
            Tensor output = model.Tensors[model.Outputs[0]];
            if (inBytes != input.ByteSize || outBytes != output.ByteSize)
                return Bad(r, "vectors of " + inBytes + " -> " + outBytes + " bytes; the model takes " + input.ByteSize + " -> " + output.ByteSize);
            if ((long)count * (inBytes + outBytes) != end - p)
                return Bad(r, "record holds " + (end - p) + " bytes of vectors, not " + count + " x " + (inBytes + outBytes));

            Interpreter interpreter = new Interpreter(model);
            interpreter.EarlyExitEnabled = false;
            sbyte[] arena = interpreter.Arena;
            int inAt = input.ArenaOffset, n = (int)inBytes, outAt = output.ArenaOffset, m = (int)outBytes;
            long t0 = clock == null ? 0 : clock.Microseconds;
            for (int v = 0; v < count; v++)
            {
                for (int i = 0; i < n; i++) arena[inAt + i] = (sbyte)b[p + i];
                p += n;
                interpreter.Invoke();
                bool same = true;
                for (int i = 0; i < m; i++)
                    if ((byte)arena[outAt + i] != b[p + i]) { same = false; break; }
                p += m;
                if (same) r.Passed++;
                else if (r.FirstFailure < 0) r.FirstFailure = v;
            }
            if (clock != null) r.Micros = clock.Microseconds - t0;
            if (r.FirstFailure >= 0)
                r.Message = "self-test failed: " + (count - r.Passed) + " of " + count + " vectors differ (first: " + r.FirstFailure + ")";
            return r;
        }

        private static SelfTestResult Bad(SelfTestResult r, string why)
        {
            r.Message = "self-test record unreadable: " + why;
            return r;
        }
    }
}
