using System;
using System.Collections.Generic;
using System.IO;
using Micro.Tooling.Packing;
using Micro.Tooling.Onnx;

namespace Micro.Benchmarks.Cases
{
    /// <summary>
    /// The repository's own models as benchmark cases: the committed heart-rate blob (exactly what the device
    /// runs) and the PyTorch fixture models of tests/fixtures/onnx, packed with the default `micro pack`
    /// settings on their committed calibration sets.
    /// </summary>
    public static class RepoModels
    {
        private static readonly string[] Fixtures = { "ppg1d", "dscnn2d", "mlp", "autoenc" };

        public static IEnumerable<BenchCase> Cases()
        {
            string root = RepoRoot();
            if (root == null) yield break;
            string heart = Path.Combine(root, "models", "heart-rate", "heart-rate.mblob");
            if (File.Exists(heart)) yield return new BenchCase("heart_rate", "Model", () => File.ReadAllBytes(heart));
            foreach (string f in Fixtures)
            {
                string onnx = Path.Combine(root, "tests", "fixtures", "onnx", f + ".onnx");
                string calib = Path.Combine(root, "tests", "fixtures", "onnx", f + "_calib.npy");
                if (File.Exists(onnx) && File.Exists(calib))
                    yield return new BenchCase("onnx_" + f, "Model", () => Packer.Pack(new PackOptions { Model = onnx, Calibration = calib }).Blob);
            }
        }

        /// <summary>The folder holding Micro.sln above the running binary, or null.</summary>
        public static string RepoRoot()
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Micro.sln"))) return d.FullName;
            return null;
        }
    }
}
