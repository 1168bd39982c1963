using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Micro.Nano.Tests.Support;

/// <summary>
/// Puts test data on nanoCLR, which has no file system or stdin here: named byte streams become generated C#
/// (byte array literals) compiled against nanoFramework's mscorlib and converted to .pe by the metadata
/// processor. A nanoFramework assembly holds at most 64 KB of such data (its signature table has 16-bit
/// offsets; beyond that nanoCLR silently runs nothing), and ResourceManager cannot be used instead (this
/// nanoCLR's native method table does not match nanoFramework.ResourceManager 1.2.32), so the streams are cut
/// into chunks packed into assemblies NanoData0..N of at most <see cref="AssemblyBytes"/> bytes each.
/// Assembly NanoData (namespace Micro.NanoData) gives them back:
/// <c>Manifest.Count()</c>, <c>Manifest.Name(i)</c>, <c>Manifest.Bytes(i)</c>. Every NanoData has the same
/// API, so a runner compiled against one runs with any.
/// Compiled with Roslyn in-process rather than nf build (same references and conversion, ~0.5 s instead of
/// ~4 s per assembly): there are dozens of them.
/// </summary>
internal static class NanoDataWriter
{
    public const int AssemblyBytes = 60000;

    /// <summary>Writes the data assemblies into dir; returns the .pe files in load order (NanoData.pe last).</summary>
    public static string[] Write(string dir, IReadOnlyList<(string Name, byte[] Bytes)> streams)
    {
        Directory.CreateDirectory(dir);
        // Chunks: (stream, offset, length), packed greedily into assemblies.
        var assemblies = new List<List<(int Chunk, byte[] Data)>> { new() };
        var streamChunks = new List<List<(int Assembly, int Chunk)>>();
        int filled = 0, chunkId = 0;
        foreach (var (_, bytes) in streams)
        {
            var mine = new List<(int, int)>();
            for (int off = 0; off < bytes.Length;)
            {
                if (filled == AssemblyBytes) { assemblies.Add(new()); filled = 0; }
                int n = Math.Min(bytes.Length - off, AssemblyBytes - filled);
                assemblies[^1].Add((chunkId, bytes[off..(off + n)]));
                mine.Add((assemblies.Count - 1, chunkId));
                chunkId++;
                off += n;
                filled += n;
            }
            streamChunks.Add(mine);
        }

        var pes = new List<string>();
        var refs = new List<(string Name, string Dll)>();
        for (int a = 0; a < assemblies.Count; a++)
        {
            var src = new StringBuilder();
            src.Append("namespace Micro.NanoData\n{\n    public static class D").Append(a).Append("\n    {\n");
            foreach (var (chunk, data) in assemblies[a])
            {
                src.Append("        public static byte[] C").Append(chunk).Append("() { return new byte[] {");
                for (int i = 0; i < data.Length; i++)
                {
                    if (i > 0) src.Append(',');
                    src.Append(data[i].ToString(CultureInfo.InvariantCulture));
                }
                src.Append("}; }\n");
            }
            src.Append("    }\n}\n");
            string name = "NanoData" + a.ToString(CultureInfo.InvariantCulture);
            pes.Add(Compile(dir, name, src.ToString(), Array.Empty<(string, string)>()));
            refs.Add((name, Path.Combine(dir, name + ".dll")));
        }

        var m = new StringBuilder();
        m.Append("namespace Micro.NanoData\n{\n    public static class Manifest\n    {\n");
        m.Append("        public static int Count() { return ").Append(streams.Count).Append("; }\n");
        m.Append("        public static string Name(int i)\n        {\n            switch (i)\n            {\n");
        for (int s = 0; s < streams.Count; s++)
            m.Append("                case ").Append(s).Append(": return \"").Append(Escape(streams[s].Name)).Append("\";\n");
        m.Append("                default: return null;\n            }\n        }\n");
        m.Append("        public static byte[] Bytes(int i)\n        {\n            switch (i)\n            {\n");
        for (int s = 0; s < streams.Count; s++)
        {
            m.Append("                case ").Append(s).Append(": return Join(").Append(streams[s].Bytes.Length).Append(", new byte[][] { ");
            m.Append(string.Join(", ", streamChunks[s].Select(c => $"D{c.Assembly}.C{c.Chunk}()")));
            m.Append(" });\n");
        }
        m.Append("                default: return null;\n            }\n        }\n");
        m.Append("""
                private static byte[] Join(int length, byte[][] parts)
                {
                    if (parts.Length == 1) return parts[0];
                    byte[] all = new byte[length];
                    int at = 0;
                    for (int p = 0; p < parts.Length; p++)
                    {
                        System.Array.Copy(parts[p], 0, all, at, parts[p].Length);
                        at += parts[p].Length;
                    }
                    return all;
                }
            }
        }

        """);
        pes.Add(Compile(dir, "NanoData", m.ToString(), refs));
        return pes.ToArray();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>What nf build does for one assembly: C# against nanoFramework's mscorlib, then the metadata processor.</summary>
    private static string Compile(string dir, string name, string source, IReadOnlyList<(string Name, string Dll)> refs)
    {
        string mscorlib = Path.Combine(NanoToolchain.Lib, "mscorlib.dll");
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText("[assembly: System.Reflection.AssemblyVersion(\"1.0.0.0\")]"),
            CSharpSyntaxTree.ParseText(source),
        };
        var references = new List<MetadataReference> { MetadataReference.CreateFromFile(mscorlib) };
        references.AddRange(refs.Select(r => MetadataReference.CreateFromFile(r.Dll)));
        var compilation = CSharpCompilation.Create(name, trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, deterministic: true));
        string dll = Path.Combine(dir, name + ".dll");
        using (var fs = File.Create(dll))
        {
            EmitResult r = compilation.Emit(fs, options: new EmitOptions(runtimeMetadataVersion: "v4.0.30319"));
            if (!r.Success)
                throw new InvalidOperationException(name + " does not compile:\n" + string.Join("\n", r.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
        var args = new List<string> { NanoToolchain.Mdp, "-loadHints", "mscorlib", mscorlib };
        foreach (var (n, d) in refs) args.AddRange(new[] { "-loadHints", n, d });
        args.AddRange(new[] { "-parse", name + ".dll", "-compile", name + ".pe", "false" });
        ProcResult p = Proc.Run("dotnet", args, workingDir: dir, timeoutSeconds: 300);
        string pe = Path.Combine(dir, name + ".pe");
        if (p.ExitCode != 0 || !File.Exists(pe) || new FileInfo(pe).Length == 0)
            throw new InvalidOperationException("the metadata processor refuses " + name + ".dll:\n" + p.Both);
        return pe;
    }
}
