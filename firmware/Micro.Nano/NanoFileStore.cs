using System.IO;
using Micro.App;

namespace Micro.Nano
{
    /// <summary>
    /// ModelSlots' files in a folder of the board's storage (I:\). Reads are bounded: a file longer than the
    /// board's blob budget is refused before it is allocated.
    /// </summary>
    internal sealed class NanoFileStore : IModelStore
    {
        private readonly string folder;
        private readonly int maxBytes;

        public NanoFileStore(string folder, int maxBytes)
        {
            this.folder = folder;
            this.maxBytes = maxBytes;
        }

        private string PathOf(string name) { return name.IndexOf(":") > 0 ? name : folder + name; }

        public byte[] Read(string name)
        {
            string path = PathOf(name);
            if (!File.Exists(path)) return null;
            using (FileStream s = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                if (s.Length > maxBytes) throw new IOException(path + " has " + s.Length + " bytes; the board's blob budget is " + maxBytes);
                byte[] b = new byte[(int)s.Length];
                int got = 0;
                while (got < b.Length)
                {
                    int n = s.Read(b, got, b.Length - got);
                    if (n <= 0) break;
                    got += n;
                }
                return b;
            }
        }

        public void Write(string name, byte[] data)
        {
            using (FileStream s = new FileStream(PathOf(name), FileMode.Create, FileAccess.Write))
            {
                s.Write(data, 0, data.Length);
                s.Flush();
            }
        }

        public void Delete(string name)
        {
            string path = PathOf(name);
            if (File.Exists(path)) File.Delete(path);
        }
    }
}
