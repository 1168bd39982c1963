using Micro.Tooling.Data;
using Micro.Tooling.Onnx;

namespace Micro.Tooling.Tests.Onnx;

/// <summary>ONNX's own operator test cases (expected outputs from the ONNX project's NumPy reference), made by
/// tests/fixtures/make_onnx_node_cases.py: every case imports and matches, or is on the list below of cases
/// Micro refuses on purpose, and then fails with <see cref="OnnxUnsupportedException"/>.</summary>
[TestClass]
public sealed class OnnxNodeCaseTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Cases outside what the runtime can run, with the reason.</summary>
    private static readonly Dictionary<string, string> Refused = new()
    {
        ["test_averagepool_2d_precomputed_pads_count_include_pad"] = "AVERAGE_POOL averages the valid taps only",
        ["test_gemm_all_attributes"] = "transA",
        ["test_gemm_transposeA"] = "transA",
        ["test_gemm_default_matrix_bias"] = "a bias that differs between rows",
        ["test_globalaveragepool"] = "the case is written at opset 1",
        ["test_globalaveragepool_precomputed"] = "the case is written at opset 1",
        ["test_hardsigmoid"] = "the case is written at opset 6",
        ["test_hardsigmoid_default"] = "the case is written at opset 6",
        ["test_hardsigmoid_example"] = "the case is written at opset 6",
        ["test_matmul_3d"] = "batched weights",
        ["test_matmul_4d"] = "batched weights",
        ["test_maxpool_2d_dilations"] = "MAX_POOL has no dilation",
        ["test_reduce_mean_default_axes_keepdims_example"] = "a mean over every axis, batch and channels included",
        ["test_reduce_mean_default_axes_keepdims_random"] = "a mean over every axis, batch and channels included",
        ["test_reshape_allowzero_reordered"] = "an empty tensor",
        ["test_softmax_axis_0"] = "SOFTMAX normalizes along the innermost axis only",
        ["test_softmax_axis_1"] = "SOFTMAX normalizes along the innermost axis only",
    };

    private static string Dir => Path.Combine(Path.GetDirectoryName(OnnxFixtures.Dir)!, "onnx_node");

    [TestMethod]
    public void NodeCasesMatchTheOnnxReference()
    {
        var dirs = Directory.GetDirectories(Dir).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        Assert.IsGreaterThan(100, dirs.Length);
        var failures = new List<string>();
        int passed = 0, refused = 0;
        foreach (var d in dirs)
        {
            string name = Path.GetFileName(d);
            FloatGraph g;
            try { g = OnnxImporter.Import(Path.Combine(d, "model.onnx")); }
            catch (OnnxUnsupportedException e)
            {
                TestContext.WriteLine($"refused {name}: {e.Message}");
                if (Refused.ContainsKey(name)) refused++;
                else failures.Add($"{name}: refused: {e.Message}");
                continue;
            }
            if (Refused.ContainsKey(name)) { failures.Add($"{name}: imports, but is listed as refused"); continue; }
            var inputs = Directory.GetFiles(d, "input_*.npy").OrderBy(f => f, StringComparer.Ordinal).Select(f => NpyFile.Read(f).Float32!).ToArray();
            var want = NpyFile.Read(Path.Combine(d, "output_0.npy"));
            var got = new FloatExecutor(g).RunOnnx(inputs)[0];
            if (!got.Length.Equals(want.Count)) { failures.Add($"{name}: {got.Length} outputs, {want.Count} expected"); continue; }
            double worst = 0;
            for (int i = 0; i < got.Length; i++)
            {
                double tol = 1e-5 + 1e-4 * Math.Abs(want.Float32![i]);
                worst = Math.Max(worst, Math.Abs(got[i] - want.Float32[i]) / tol);
            }
            if (worst > 1) failures.Add($"{name}: off by {worst:F1}× the tolerance");
            else passed++;
        }
        TestContext.WriteLine($"{passed} passed, {refused} refused as listed, {failures.Count} wrong");
        Assert.IsEmpty(failures, string.Join("\n", failures));
    }
}
