using System.IO;
using Micro.App;

namespace Micro.Meadow
{
    /// <summary>A model file on the device's flash file system; null when it is not there.</summary>
    internal sealed class FileBlobSource : IBlobSource
    {
        private readonly string path;

        public FileBlobSource(string path)
        {
            this.path = path;
        }

        public string Name { get { return path; } }

        public byte[] Read()
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
    }
}
