using Micro.Tooling.Calibration;
using Micro.Tooling.Data;
using Micro.Tooling.Onnx;
using Micro.Tooling.Packing;

namespace Micro.Tooling.Tests.Packing;

/// <summary>An ONNX fixture ready for mixed-precision tests: its float graph, calibrated ranges, and the
/// test and calibration samples in the runtime's (physical) layout.</summary>
internal sealed record MixedFixture(FloatGraph Graph, OnnxModel Onnx, Dictionary<string, TensorRange> Ranges, float[][] Test, float[][] Calib)
{
    /// <summary>The outlier regressor's layers (tests/fixtures/make_mixed_fixture.py), in graph order.</summary>
    public const string C1 = "/c1/Conv", C2 = "/c2/Conv", Fc1 = "/fc1/Gemm", Fc2 = "/fc2/Gemm";
    public static readonly string[] Chain = { C1, C2, Fc1, Fc2 };

    public static readonly Lazy<MixedFixture> Outlier = new(() => Load("outlier"));

    public static string FixturePath(string file) => Path.Combine(OnnxFixtures.Dir, file);

    public static MixedFixture Load(string name)
    {
        var onnx = OnnxModelReader.Read(OnnxFixtures.Model(name));
        var g = OnnxImporter.Import(onnx);
        var calib = SampleData.Load(FixturePath(name + "_calib.npy"), g.Inputs[0].OnnxShape);
        var (ranges, _) = Packer.Calibrate(g, calib, new CalibrationOptions());
        var test = SampleData.Load(FixturePath(name + "_test.npy"), g.Inputs[0].OnnxShape);
        return new MixedFixture(g, onnx, ranges, test.Select(s => g.Inputs[0].ToPhysical(s)).ToArray(), calib.Select(s => g.Inputs[0].ToPhysical(s)).ToArray());
    }
}
