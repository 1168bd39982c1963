namespace Micro.Tooling;

/// <summary>Writes a whole file or nothing: into a temporary file beside the target, then a rename.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] data) => Write(path, s => s.Write(data));

    public static void WriteAllText(string path, string text) => Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"output folder does not exist: {dir}");
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var s = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                write(s);
                s.Flush(true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }
}
