using System;
using Micro.NanoData;
using Micro.Runtime;

namespace Micro.Nano.Heap
{
    /// <summary>
    /// The model as the device holds it, in whatever managed heap `nf run --heap N` gives: loads the blob
    /// (NanoData stream 0) with Model.Load, makes its Interpreter, prints what each took ("heap blob B load B
    /// interpreter B free B", from the largest byte[] the heap can give before and after), then runs every
    /// input sample of the further streams sliced as the device loop does (Start, Step until done) and prints
    /// "out SET SAMPLE HEX" per inference and "end". Early exit is off, as in the host's BlobRunner.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            int free0 = LargestBlock();
            byte[] blob = Manifest.Bytes(0);
            int free1 = LargestBlock();
            Model m = Model.Load(blob);
            int free2 = LargestBlock();
            Interpreter it = new Interpreter(m);
            int free3 = LargestBlock();
            Console.WriteLine("heap blob " + (free0 - free1) + " load " + (free1 - free2) + " interpreter " + (free2 - free3) + " free " + free3);
            it.EarlyExitEnabled = false;
            Tensor input = m.Tensors[m.Inputs[0]];
            int inSize = input.ByteSize;
            sbyte[] arena = it.Arena;
            int steps = 0;
            for (int set = 1; set < Manifest.Count(); set++)
            {
                string name = Manifest.Name(set);
                byte[] data = Manifest.Bytes(set);
                int samples = data.Length / inSize;
                for (int s = 0; s < samples; s++)
                {
                    int from = s * inSize;
                    for (int i = 0; i < inSize; i++) arena[input.ArenaOffset + i] = (sbyte)data[from + i];
                    it.Start();
                    steps++;
                    while (!it.Step()) steps++;
                    Tensor output = m.Tensors[it.OutputTensor(0)];
                    Console.WriteLine("out " + name + " " + s + " " + Hex(arena, output.ArenaOffset, output.ByteSize));
                }
                data = null;
            }
            Console.WriteLine("steps " + steps);
            Console.WriteLine("end");
        }

        /// <summary>The largest byte[] the heap can give now (an allocation that fails collects and compacts first).</summary>
        private static int LargestBlock()
        {
            int lo = 0, hi = 1 << 20;
            while (hi - lo > 16)
            {
                int mid = (lo + hi) / 2;
                try
                {
                    byte[] b = new byte[mid];
                    b[0] = 1;
                    lo = mid;
                }
                catch (OutOfMemoryException)
                {
                    hi = mid;
                }
            }
            return lo;
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
