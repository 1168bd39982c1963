using Micro.Tooling.Packing;

namespace Micro.Tooling.Tests.Packing;

/// <summary>The rules <see cref="PackOptions.Validate"/> owns, checked on the core (the CLI tests pin the same messages end to end).</summary>
[TestClass]
public sealed class PackOptionsTests
{
    private static readonly string Mlp = OnnxFixtures.Model("mlp");
    private static readonly string Calib = Path.Combine(OnnxFixtures.Dir, "mlp_calib.npy");

    private static string Refused<T>(PackOptions o) where T : Exception => Assert.ThrowsExactly<T>(o.Validate).Message;

    [TestMethod]
    public void A_tflite_model_refuses_the_onnx_options_given_by_name()
    {
        string tflite = Path.ChangeExtension(Path.GetTempFileName(), ".tflite");
        File.WriteAllBytes(tflite, new byte[] { 1 });
        try
        {
            Assert.AreEqual("--calibration, --exit-agreement apply to float .onnx models only; a .tflite model is packed with the quantization it already has",
                Refused<ArgumentException>(new PackOptions { Model = tflite, Calibration = Calib, ExitAgreement = 0.9 }));
            StringAssert.StartsWith(Refused<ArgumentException>(new PackOptions { Model = tflite, Int16Output = true }), "--int16, --int16-output and --auto-precision quantize float .onnx models");
            new PackOptions { Model = tflite, Name = "x" }.Validate();
        }
        finally { File.Delete(tflite); }
    }

    [TestMethod]
    public void An_onnx_model_needs_calibration_and_well_formed_exit_heads()
    {
        StringAssert.StartsWith(Refused<ArgumentException>(new PackOptions { Model = Mlp }), "packing an .onnx model needs --calibration");
        Assert.AreEqual("--exit a given 2 times; give each exit head once",
            Refused<ArgumentException>(new PackOptions { Model = Mlp, Calibration = Calib, Exits = new[] { "a:3", "a:auto" } }));
        StringAssert.StartsWith(Refused<ArgumentException>(new PackOptions { Model = Mlp, Calibration = Calib, Exits = new[] { "a:3" }, Int16Output = true }),
            "--int16-output cannot be combined with early-exit heads");
        Assert.AreEqual("--exit-agreement 1.5: expected a share in (0, 1]",
            Refused<ArgumentException>(new PackOptions { Model = Mlp, Calibration = Calib, ExitAgreement = 1.5 }));
        new PackOptions { Model = Mlp, Calibration = Calib, Exits = new[] { "a:3", "b:auto" } }.Validate();
    }

    [TestMethod]
    public void Missing_model_and_unknown_format_are_refused_before_any_work()
    {
        Assert.ThrowsExactly<FileNotFoundException>(new PackOptions { Model = "/no/such/model.onnx", Calibration = Calib }.Validate);
        string txt = Path.GetTempFileName();
        try
        {
            StringAssert.StartsWith(Refused<InvalidDataException>(new PackOptions { Model = txt }), "unknown model format '.tmp'");
        }
        finally { File.Delete(txt); }
    }
}
