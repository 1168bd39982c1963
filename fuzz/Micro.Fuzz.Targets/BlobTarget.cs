using System.Buffers.Binary;
using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.Fuzz;

/// <summary>The device's blob loader, then one run of the interpreter on what it accepted. The CRC is re-sealed
/// first: a mutated byte would otherwise almost always stop at the CRC check, never reaching the checks behind it.</summary>
public static class BlobTarget
{
    public static void Run(byte[] input)
    {
        var b = (byte[])input.Clone();
        if (b.Length >= BlobLayout.CrcStart)
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(BlobLayout.OffCrc), Crc32.Compute(b, BlobLayout.CrcStart, b.Length - BlobLayout.CrcStart));
        var model = Model.Load(b);
        var it = new Interpreter(model);
        foreach (int input0 in model.Inputs)
            Array.Fill(it.Arena, (sbyte)37, model.Tensors[input0].ArenaOffset, model.Tensors[input0].ByteSize);
        it.Invoke();
    }
}
