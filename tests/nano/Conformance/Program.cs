using System;
using Micro.NanoData;
using Micro.Runtime;

namespace Micro.Nano.Conformance
{
    /// <summary>
    /// Runs one model on nanoCLR over its input vectors and prints every output. The data comes from the
    /// generated NanoData assembly (tests/Micro.Nano.Tests/NanoDataWriter.cs): stream 0 is the blob, every
    /// further stream is one input set (whole samples of the input tensor's bytes, back to back). Prints
    /// "out SET SAMPLE HEX" per inference (HEX = the output tensor's bytes), then
    /// "time MODEL TICKS INFERENCES" and "end MODEL". Early exit is off, as in the host's BlobRunner.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            string model = Manifest.Name(0);
            Model m = Model.Load(Manifest.Bytes(0));
            Interpreter it = new Interpreter(m);
            it.EarlyExitEnabled = false;
            Tensor input = m.Tensors[m.Inputs[0]];
            int inSize = input.ByteSize;
            sbyte[] arena = it.Arena;
            long ticks = 0;
            int inferences = 0;
            for (int set = 1; set < Manifest.Count(); set++)
            {
                string name = Manifest.Name(set);
                byte[] data = Manifest.Bytes(set);
                int samples = data.Length / inSize;
                for (int s = 0; s < samples; s++)
                {
                    int from = s * inSize;
                    for (int i = 0; i < inSize; i++) arena[input.ArenaOffset + i] = (sbyte)data[from + i];
                    long t0 = DateTime.UtcNow.Ticks;
                    it.Invoke();
                    ticks += DateTime.UtcNow.Ticks - t0;
                    inferences++;
                    Tensor output = m.Tensors[it.OutputTensor(0)];
                    Console.WriteLine("out " + name + " " + s + " " + Hex(arena, output.ArenaOffset, output.ByteSize));
                }
            }
            Console.WriteLine("time " + model + " " + ticks + " " + inferences);
            Console.WriteLine("end " + model);
        }

        private static string Hex(sbyte[] a, int offset, int count)
        {
            const string digits = "0123456789abcdef";
            char[] c = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                int b = a[offset + i] & 0xFF;
                c[2 * i] = digits[b >> 4];
                c[2 * i + 1] = digits[b & 15];
            }
            return new string(c);
        }
    }
}
