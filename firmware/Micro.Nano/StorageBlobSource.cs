using System.IO;
using Micro.App;

namespace Micro.Nano
{
    /// <summary>
    /// The model in the board's storage (I:\heart-rate.mblob on ESP32, written by `micro deploy`, which runs
    /// <c>nanoff --nanodevice --serialport COMx --filedeployment deploy.json</c>). Null when the file is not
    /// there. Read in 4 KB chunks through one FileStream into the one array Model.Load keeps
    /// (ChunkedBlobReader), with the board's blob budget as the bound: a file that says it is larger is
    /// refused before anything large is allocated.
    /// </summary>
    internal sealed class StorageBlobSource : IBlobSource, IChunkSource
    {
        private readonly string path;
        private readonly int maxBytes;
        private FileStream stream;

        public StorageBlobSource(string path, int maxBytes)
        {
            this.path = path;
            this.maxBytes = maxBytes;
        }

        public string Name { get { return path; } }

        public byte[] Read()
        {
            if (!File.Exists(path)) return null;
            stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            try
            {
                return ChunkedBlobReader.ReadAll(this, maxBytes);
            }
            finally
            {
                stream.Dispose();
                stream = null;
            }
        }

        public byte[] ReadChunk(int offset, int length)
        {
            if (stream.Position != offset) stream.Seek(offset, SeekOrigin.Begin);
            byte[] chunk = new byte[length];
            int got = 0;
            while (got < length)
            {
                int n = stream.Read(chunk, got, length - got);
                if (n <= 0) break;
                got += n;
            }
            if (got == length) return chunk;
            byte[] shorter = new byte[got];
            System.Array.Copy(chunk, shorter, got);
            return shorter;
        }
    }
}
