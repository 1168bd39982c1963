#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Micro.Runtime;

namespace Micro.Portable.Tests
{
    /// <summary>
    /// Golden blobs made on the host (GoldenModels.g.cs, regenerated and checked by
    /// Micro.Runtime.Tests.GoldenFileTests) must give the host's outputs bit for bit, here and on a device.
    /// </summary>
    [TestClass]
    public class GoldenRunTests
    {
        [TestMethod]
        public void EveryGoldenModelReproducesTheHostOutputs()
        {
            for (int g = 0; g < GoldenModels.Count; g++)
            {
                Model m = Model.Load(GoldenModels.Blob(g));
                Interpreter it = new Interpreter(m);
                it.EarlyExitEnabled = false;
                sbyte[] inputs = GoldenModels.Inputs(g);
                sbyte[] expected = GoldenModels.Outputs(g);
                int inSize = m.Tensors[m.Inputs[0]].ElementCount;
                int outSize = m.Tensors[m.Outputs[0]].ElementCount;
                int samples = inputs.Length / inSize;
                Assert.AreEqual(samples * outSize, expected.Length);
                for (int s = 0; s < samples; s++)
                {
                    it.SetInput(0, inputs, s * inSize);
                    it.Invoke();
                    for (int i = 0; i < outSize; i++)
                        Assert.AreEqual((int)expected[s * outSize + i], it.OutputValue(0, i), "model " + g + " sample " + s + " output " + i);
                }
            }
        }

        [TestMethod]
        public void AFlippedByteIsRefusedByTheCrc()
        {
            byte[] blob = GoldenModels.Blob(0);
            byte[] bad = new byte[blob.Length];
            System.Array.Copy(blob, bad, blob.Length);
            bad[bad.Length - 9] ^= 0x04;
            bool refused = false;
            try
            {
                Model.Load(bad);
            }
            catch (BlobFormatException e)
            {
                refused = e.Code == Micro.Runtime.Format.ErrorCodes.CrcMismatch;
            }
            Assert.IsTrue(refused);
        }
    }
}
