// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/nanoFramework.ResourceManager (main, nanoFramework.ResourceManager/ResourceUtility.cs), package nanoFramework.ResourceManager. Its System.Resources.ResourceManager parameter is nanoFramework's own class of that name; on the host the netstandard one stands in.

using System;
using System.Resources;

namespace nanoFramework.Runtime.Native
{
    public static class ResourceUtility
    {
        public static object GetObject(ResourceManager rm, Enum id) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static object GetObject(ResourceManager rm, Enum id, int offset, int length) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
