using System.IO;
using System.Reflection;
using Micro.App;

namespace Micro.Meadow
{
    /// <summary>The model embedded in App.dll as a manifest resource; null when the app was built without it.</summary>
    internal sealed class EmbeddedBlobSource : IBlobSource
    {
        private readonly Assembly assembly;
        private readonly string resourceName;

        public EmbeddedBlobSource(Assembly assembly, string resourceName)
        {
            this.assembly = assembly;
            this.resourceName = resourceName;
        }

        public string Name { get { return "resource " + resourceName; } }

        public byte[] Read()
        {
            using (Stream stream = assembly.GetManifestResourceStream(resourceName))
            {
                if (stream == null) return null;
                byte[] blob = new byte[stream.Length];
                int read = 0;
                while (read < blob.Length)
                {
                    int n = stream.Read(blob, read, blob.Length - read);
                    if (n <= 0) throw new EndOfStreamException("resource " + resourceName + " ended at byte " + read + " of " + blob.Length);
                    read += n;
                }
                return blob;
            }
        }
    }
}
