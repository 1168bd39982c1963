using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using static Micro.Runtime.Tests.BlobMutation;

namespace Micro.Runtime.Tests;

/// <summary>
/// Mutated blobs (bit flips, truncation, random field values, huge lengths) must either load — and then run
/// without any exception — or be refused with BlobFormatException. Nothing else may escape, nothing may hang.
/// Most mutations re-seal the CRC so they reach the deeper checks. Cases: 100,000 by default;
/// set MICRO_FUZZ_CASES (e.g. 1000000) for a longer run.
/// </summary>
[TestClass]
public class BlobFuzzTests
{
    public static List<byte[]> Seeds() => FuzzSeeds.All();

    [TestMethod]
    public void MutatedBlobsNeverCrashTheLoaderOrTheKernels()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("MICRO_FUZZ_CASES"), out int n) ? n : 100_000;
        var seeds = Seeds();
        var rng = new Random(20261122);
        int loaded = 0, refused = 0;
        var codes = new int[ErrorCodes.Last + 1];
        for (int c = 0; c < cases; c++)
        {
            byte[] b = Mutate(rng, seeds[c % seeds.Count]);
            Model m;
            try
            {
                m = Model.Load(b);
            }
            catch (BlobFormatException e)
            {
                refused++;
                codes[e.Code]++;
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {c}: {e.GetType().Name} escaped the loader: {e.Message}\n{e.StackTrace}");
                return;
            }
            loaded++;
            try
            {
                var it = new Interpreter(m);
                for (int k = 0; k < m.Inputs.Length; k++)
                    Array.Fill(it.Arena, (sbyte)(c & 0x7F), m.Tensors[m.Inputs[k]].ArenaOffset, m.Tensors[m.Inputs[k]].ByteSize);
                it.Invoke();
            }
            catch (Exception e)
            {
                Assert.Fail($"case {c}: a blob that loaded threw {e.GetType().Name} while running: {e.Message}\n{e.StackTrace}");
            }
        }
        Console.WriteLine($"{cases} cases: {loaded} loaded and ran, {refused} refused; by code: " +
            string.Join(", ", Enumerable.Range(1, ErrorCodes.Last).Where(i => codes[i] > 0).Select(i => $"{ErrorCodes.Name(i)} {codes[i]}")));
        Assert.IsTrue(refused > cases / 2, "most mutations must be refused");
        Assert.IsTrue(codes.Count(v => v > 0) >= 8, "mutations must reach many different checks");
    }

    private static readonly Dictionary<byte[], BlobMap> Maps = new(ReferenceEqualityComparer.Instance);

    private static byte[] Mutate(Random r, byte[] seed)
    {
        var b = (byte[])seed.Clone();
        bool reseal = r.Next(10) != 0;
        switch (r.Next(8))
        {
            case 0: // bit flips anywhere
                for (int k = r.Next(1, 4); k > 0; k--) b[r.Next(b.Length)] ^= (byte)(1 << r.Next(8));
                break;
            case 1: // truncation (header length fixed up half of the time)
                b = b[..r.Next(b.Length)];
                if (r.Next(2) == 0 && b.Length >= 12) SetU32(b, BlobLayout.OffTotalLength, b.Length);
                break;
            case 2: // a header word (arena size, constant length, counts) set to a random or extreme value
                {
                    int off = BlobLayout.CrcStart + 4 * r.Next((BlobLayout.HeaderSize - BlobLayout.CrcStart) / 4);
                    SetU32(b, off, r.Next(4) switch { 0 => int.MaxValue, 1 => -1, 2 => r.Next(b.Length + 64), _ => U32(b, off) + r.Next(-8, 9) });
                    break;
                }
            case 3: // a 16-bit field inside the tables set to a random small value
                {
                    int off = r.Next(BlobLayout.HeaderSize, Math.Max(BlobLayout.HeaderSize + 1, b.Length - 2));
                    SetU16(b, off, r.Next(3) == 0 ? 0xFFFF : r.Next(64));
                    break;
                }
            case 4: // a 32-bit word (op param, offset, threshold) set to a huge or nearby value
                {
                    int off = r.Next(BlobLayout.HeaderSize, b.Length - 4) & ~3;
                    SetU32(b, off, r.Next(3) switch { 0 => int.MinValue, 1 => int.MaxValue, _ => U32(b, off) + r.Next(-300, 300) });
                    break;
                }
            case 5: // random bytes over a stretch
                {
                    int off = r.Next(b.Length), len = Math.Min(b.Length - off, r.Next(1, 16));
                    for (int i = 0; i < len; i++) b[off + i] = (byte)r.Next(256);
                    break;
                }
            case 7: // one varint field (dim, arena offset, io entry, op tensor index, param, exit) re-encoded
                {
                    if (!Maps.TryGetValue(seed, out var map)) Maps[seed] = map = BlobMap.Of(seed);
                    var fields = map.Tensors.SelectMany(t => t.Dims.Append(t.ArenaOffset)).Concat(map.Io)
                        .Concat(map.Ops.SelectMany(o => o.Tensors.Concat(o.Params)))
                        .Concat(map.Exits.SelectMany(x => new[] { x.OutputTensor, x.Threshold })).ToArray();
                    var f = fields[r.Next(fields.Length)];
                    uint v = r.Next(4) switch
                    {
                        0 => uint.MaxValue,
                        1 => (uint)r.Next(),
                        2 => (uint)r.Next(0, 300),
                        _ => (uint)(f.Value + r.Next(-4, 5)),
                    };
                    b = Splice(b, f.At, f.Length, BlobWriter.Varint(v));
                    break;
                }
            default: // appended garbage with the length field updated
                {
                    var tail = new byte[r.Next(1, 64)];
                    r.NextBytes(tail);
                    b = b.Concat(tail).ToArray();
                    SetU32(b, BlobLayout.OffTotalLength, b.Length);
                    break;
                }
        }
        return reseal ? Reseal(b) : b;
    }
}
