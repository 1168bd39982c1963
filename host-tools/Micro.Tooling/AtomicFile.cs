using System.Runtime.InteropServices;

namespace Micro.Tooling;

/// <summary>
/// Writes a whole file or nothing: into a temporary file beside the target, then a rename over it.
/// <list type="bullet">
/// <item>Only a regular file (or nothing) is ever replaced. A directory, character or block device, FIFO or
/// socket at the output path is refused (ArgumentException naming the path and what it is); nothing is written.</item>
/// <item>A symbolic link is written through: the link is followed to its final target and the temporary file is
/// made in the target's folder, then renamed over the target, so the link stays a link and the target is
/// replaced atomically. A link to a missing file creates that file (as the shell's <c>&gt;</c> would);
/// a link to a directory or device is refused like the thing itself.</item>
/// <item>When the temporary file cannot be created or renamed, the IOException names the output path the user
/// gave (never the temporary name) and the reason.</item>
/// </list>
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] data) => Write(path, s => s.Write(data));

    public static void WriteAllText(string path, string text) => Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    public static void Write(string path, Action<Stream> write)
    {
        string target = WritableTarget(path);
        string dir = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException(target == Path.GetFullPath(path)
                ? $"output folder does not exist: {dir}"
                : $"output folder does not exist: {dir} (where the symbolic link {path} points)");
        // .NAME.PID.tmp: no other live process has this id, so a file of that name is a leftover of a crashed run.
        string tmp = Path.Combine(dir, $".{Path.GetFileName(target)}.{Environment.ProcessId}.tmp");
        FileStream s;
        try
        {
            if (FileKinds.Of(tmp) == FileKind.Regular) File.Delete(tmp);
            s = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(path, dir, tmp, e);
        }

        try
        {
            using (s)
            {
                write(s);
                s.Flush(true);
            }

            try
            {
                File.Move(tmp, target, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CannotWrite(path, dir, tmp, e);
            }
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>
    /// The full path the data will really be renamed onto: <paramref name="path"/> itself, or the final
    /// target of the symbolic link at <paramref name="path"/>. Throws ArgumentException when that is
    /// something other than a regular file or nothing.
    /// </summary>
    public static string WritableTarget(string path)
    {
        string full = Path.GetFullPath(path);
        var kind = FileKinds.Of(full);
        if (kind == FileKind.SymbolicLink)
        {
            string final;
            try
            {
                final = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
            }
            catch (IOException e)
            {
                throw new IOException($"cannot write {path}: cannot follow the symbolic link ({e.Message})", e);
            }

            var finalKind = FileKinds.Of(final);
            if (finalKind is not (FileKind.None or FileKind.Regular))
                throw new ArgumentException($"cannot write {path}: it is a symbolic link to {final}, which is {FileKinds.Describe(finalKind)}, not a regular file; nothing was written");
            return final;
        }

        if (kind is not (FileKind.None or FileKind.Regular))
            throw new ArgumentException($"cannot write {path}: it is {FileKinds.Describe(kind)}, not a regular file; nothing was written");
        return full;
    }

    private static IOException CannotWrite(string path, string dir, string tmp, Exception e)
    {
        string reason = e switch
        {
            UnauthorizedAccessException => $"permission denied in {dir}",
            FileNotFoundException or DirectoryNotFoundException => $"{dir} does not accept new files",
            _ => e.Message.Replace(tmp, path),
        };
        return new IOException($"cannot write {path}: {reason}", e);
    }
}

/// <summary>What a path names, without following a final symbolic link.</summary>
public enum FileKind { None, Regular, Directory, SymbolicLink, CharacterDevice, BlockDevice, Fifo, Socket, Other }

/// <summary>The type of a file system entry: lstat's file type where the OS gives it (Linux statx, macOS lstat), else the attributes.</summary>
public static class FileKinds
{
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            int? mode = UnixMode(path, out bool missing);
            if (missing) return FileKind.None;
            if (mode is int m)
            {
                return (m & 0xF000) switch
                {
                    0x8000 => FileKind.Regular,
                    0x4000 => FileKind.Directory,
                    0xA000 => FileKind.SymbolicLink,
                    0x2000 => FileKind.CharacterDevice,
                    0x6000 => FileKind.BlockDevice,
                    0x1000 => FileKind.Fifo,
                    0xC000 => FileKind.Socket,
                    _ => FileKind.Other,
                };
            }
        }

        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileKind.None;
        }

        if ((attributes & FileAttributes.ReparsePoint) != 0 && new FileInfo(path).LinkTarget != null) return FileKind.SymbolicLink;
        if ((attributes & FileAttributes.Directory) != 0) return FileKind.Directory;
        if ((attributes & FileAttributes.Device) != 0) return FileKind.CharacterDevice;
        return FileKind.Regular;
    }

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.Regular => "a regular file",
        FileKind.None => "missing",
        _ => "a special file",
    };

    // st_mode of the entry itself (not following a link); null when the call is unavailable or fails oddly.
    private static int? UnixMode(string path, out bool missing)
    {
        missing = false;
        var buffer = new byte[256];
        int rc;
        try
        {
            if (OperatingSystem.IsLinux())
            {
                rc = Native.StatX(Native.AtFdCwd, path, Native.AtSymlinkNoFollow, Native.StatxType, buffer);
                if (rc == 0) return BitConverter.ToUInt16(buffer, 28); // struct statx: stx_mode is the u16 at offset 28
            }
            else
            {
                rc = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? Native.LStatInode64(path, buffer) : Native.LStat(path, buffer);
                if (rc == 0) return BitConverter.ToUInt16(buffer, 4); // Darwin struct stat: st_dev (4 bytes), then st_mode
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        int errno = Marshal.GetLastPInvokeError();
        missing = errno is 2 or 20; // ENOENT, ENOTDIR (same numbers on Linux and macOS)
        return null;
    }

    private static class Native
    {
        public const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100;
        public const uint StatxType = 0x1;

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        public static extern int StatX(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        public static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
        public static extern int LStatInode64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
    }
}
