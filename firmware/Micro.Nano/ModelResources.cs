using System.Resources;

namespace Micro.Nano
{
    /// <summary>
    /// Access to the model blob embedded in the firmware (nano/Resources.resx, entry "heart_rate" of type
    /// System.Byte[]), written by hand in the shape nanoFramework's resource code generator gives it, because
    /// the SDK-style build compiles the .resx into .nanoresources but does not generate this class.
    /// The enum value is the id nanoFramework's resource tooling derives from the entry name (a 16-bit fold of
    /// a string hash; tests/Micro.App.Tests checks it). Rename the entry and this id must change with it.
    /// </summary>
    internal static class ModelResources
    {
        /// <summary>Manifest name of the resources: root namespace + ".Resources" (nano/Resources.resx).</summary>
        public const string BaseName = "Micro.Nano.Resources";

        private static ResourceManager manager;

        /// <summary>
        /// The resource manager, or null when the firmware was built without the embedded model
        /// (nanoFramework's ResourceManager throws ArgumentException when the resources are missing).
        /// </summary>
        public static ResourceManager Manager
        {
            get
            {
                if (manager == null)
                {
                    try
                    {
                        manager = new ResourceManager(BaseName, typeof(ModelResources).Assembly);
                    }
                    catch (System.Exception)
                    {
                        manager = null;
                    }
                }
                return manager;
            }
        }

        /// <summary>Binary resources; the value is nanoFramework's id of the entry name.</summary>
        public enum BinaryResources : short
        {
            heart_rate = 27110,
        }
    }
}
