using System.IO;
using Micro.App;

namespace Micro.Nano
{
    /// <summary>
    /// The model in internal storage (I:\heart-rate.mblob, written by
    /// <c>nanoff --serialport COMx --filedeployment deploy.json</c>). Null when the file is not there.
    /// </summary>
    internal sealed class StorageBlobSource : IBlobSource
    {
        /// <summary>Where `micro deploy` puts the model.</summary>
        public const string DefaultPath = "I:\\heart-rate.mblob";

        private readonly string path;

        public StorageBlobSource(string path)
        {
            this.path = path;
        }

        public string Name { get { return path; } }

        public byte[] Read()
        {
            if (!File.Exists(path)) return null;
            return File.ReadAllBytes(path);
        }
    }
}
