using System;
using Micro.Runtime.Format;

namespace Micro.App
{
    /// <summary>Reads part of a stored blob (nanoFramework: ResourceUtility.GetObject(rm, id, offset, length)).</summary>
    public interface IChunkSource
    {
        /// <summary>
        /// Returns bytes [offset, offset + length) of the stored blob; fewer at its end. May throw when
        /// offset is past the end.
        /// </summary>
        byte[] ReadChunk(int offset, int length);
    }

    /// <summary>
    /// Assembles a whole blob from chunks without ever holding two copies: it reads the 64-byte header,
    /// takes total_length from it, allocates the one array Model.Load will keep, and copies the rest in
    /// chunks. A header that is not a Micro blob, or a length over the limit, gives BlobFormatException,
    /// so the loading policy treats it like any other bad blob.
    /// </summary>
    public static class ChunkedBlobReader
    {
        /// <summary>Bytes fetched per call after the header.</summary>
        public const int ChunkBytes = 4096;

        public static byte[] ReadAll(IChunkSource source, int maxBytes)
        {
            if (source == null) throw new ArgumentNullException("source");
            byte[] header = source.ReadChunk(0, BlobLayout.HeaderSize);
            if (header == null || header.Length < BlobLayout.HeaderSize)
                throw new Micro.Runtime.BlobFormatException(ErrorCodes.TooShort, "stored blob is shorter than its 64-byte header");
            if ((uint)LittleEndian.I32(header, BlobLayout.OffMagic) != BlobLayout.Magic)
                throw new Micro.Runtime.BlobFormatException(ErrorCodes.BadMagic, "stored blob is not a Micro blob (magic is not \"MCRO\")");
            long total = LittleEndian.U32(header, BlobLayout.OffTotalLength);
            if (total < BlobLayout.HeaderSize || total > maxBytes)
                throw new Micro.Runtime.BlobFormatException(ErrorCodes.LengthMismatch, "stored blob says it has " + total + " bytes; the limit is " + maxBytes);
            byte[] blob = new byte[(int)total];
            Array.Copy(header, 0, blob, 0, BlobLayout.HeaderSize);
            int offset = BlobLayout.HeaderSize;
            while (offset < blob.Length)
            {
                int want = blob.Length - offset;
                if (want > ChunkBytes) want = ChunkBytes;
                byte[] chunk = source.ReadChunk(offset, want);
                if (chunk == null || chunk.Length == 0)
                    throw new Micro.Runtime.BlobFormatException(ErrorCodes.LengthMismatch, "stored blob ends at byte " + offset + " of " + total);
                int n = chunk.Length < want ? chunk.Length : want;
                Array.Copy(chunk, 0, blob, offset, n);
                offset += n;
                if (n < want)
                    throw new Micro.Runtime.BlobFormatException(ErrorCodes.LengthMismatch, "stored blob ends at byte " + offset + " of " + total);
            }
            return blob;
        }
    }
}
