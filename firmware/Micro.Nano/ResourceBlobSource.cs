using Micro.App;
using nanoFramework.Runtime.Native;

namespace Micro.Nano
{
    /// <summary>
    /// The model embedded in the firmware image, read in chunks with ResourceUtility.GetObject(rm, id,
    /// offset, length) so the heap never holds the blob twice (ChunkedBlobReader allocates the one array
    /// Model.Load keeps and copies 4 KB pieces into it).
    /// </summary>
    internal sealed class ResourceBlobSource : IBlobSource, IChunkSource
    {
        private readonly int maxBytes;

        public ResourceBlobSource(int maxBytes)
        {
            this.maxBytes = maxBytes;
        }

        public string Name { get { return "resource heart_rate"; } }

        public byte[] Read()
        {
            if (ModelResources.Manager == null) return null;
            return ChunkedBlobReader.ReadAll(this, maxBytes);
        }

        public byte[] ReadChunk(int offset, int length)
        {
            return (byte[])ResourceUtility.GetObject(ModelResources.Manager, ModelResources.BinaryResources.heart_rate, offset, length);
        }
    }
}
