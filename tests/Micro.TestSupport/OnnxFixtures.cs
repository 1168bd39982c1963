using Micro.Tooling.Data;

namespace Micro.TestSupport;

/// <summary>Paths of the committed fixtures made by tests/fixtures/make_fixtures.py.</summary>
public static class OnnxFixtures
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !Directory.Exists(Path.Combine(d.FullName, "tests", "fixtures", "onnx"))) d = d.Parent;
        return d == null ? throw new DirectoryNotFoundException("tests/fixtures/onnx not found above " + AppContext.BaseDirectory)
            : Path.Combine(d.FullName, "tests", "fixtures", "onnx");
    });

    public static string Dir => Root.Value;
    public static string Model(string name) => Path.Combine(Dir, name + ".onnx");
    public static NpyArray Npy(string name, string suffix) => NpyFile.Read(Path.Combine(Dir, $"{name}_{suffix}.npy"));
}
