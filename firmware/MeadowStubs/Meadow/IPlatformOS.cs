// Compile-only reference declaration: lets host builds compile Meadow code. Signature source:
// WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Platform OS/IPlatformOS.cs for
// GetSerialPortName, IPlatformOS.Storage.cs for FileSystem and the nested FileSystemInfo), package
// Meadow.Contracts. Only the members the firmware uses. GetSerialPortName has a default body in the real
// interface (a search of GetSerialPortNames()); netstandard2.0 has no default interface members, so it is
// declared plainly here: call sites compile the same. The nested class's members throw.

using System;
using Meadow.Hardware;

namespace Meadow
{
    public interface IPlatformOS
    {
        SerialPortName GetSerialPortName(string portName);

        FileSystemInfo FileSystem { get; }

        public abstract class FileSystemInfo
        {
            public abstract string FileSystemRoot { get; }

            public string UserFileSystemRoot { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

            public string DataDirectory { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }
        }
    }
}
