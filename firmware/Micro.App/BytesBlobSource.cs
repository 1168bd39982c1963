namespace Micro.App
{
    /// <summary>A blob already in memory (or null: no blob here).</summary>
    public sealed class BytesBlobSource : IBlobSource
    {
        private readonly string name;
        private byte[] bytes;

        public BytesBlobSource(string name, byte[] bytes)
        {
            this.name = name;
            this.bytes = bytes;
        }

        public string Name { get { return name; } }

        /// <summary>Hands the bytes over once (the model keeps them; this source lets go).</summary>
        public byte[] Read()
        {
            byte[] b = bytes;
            bytes = null;
            return b;
        }
    }
}
