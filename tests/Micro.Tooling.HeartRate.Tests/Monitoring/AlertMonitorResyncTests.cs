using System.Text;
using System.Text.RegularExpressions;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;
using Micro.Tooling.Monitoring;
using Micro.Tooling.Serial;

namespace Micro.Tooling.HeartRate.Tests.Monitoring;

/// <summary>
/// The monitor's byte path (splitter with the <c>MHR,</c> tag, parser, sequence tracker) keeps every intact alert line
/// whatever garbage surrounds it (docs/alert-protocol.md: a reader resynchronises on the tag). A seeded random
/// property test: garbage of every kind before each line, the stream cut into random reads.
/// </summary>
[TestClass]
public class AlertMonitorResyncTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    private sealed record Outcome(List<string> Logged, AlertMonitor Monitor);

    /// <summary>Feeds <paramref name="stream"/> in random reads through what `micro monitor` uses; the --log lines out.</summary>
    private static Outcome Monitor(byte[] stream, Random rng)
    {
        var log = new StringWriter();
        var monitor = new AlertMonitor(log);
        var splitter = new SerialLineSplitter(SerialLineSplitter.DefaultMaxLineLength, AlertMonitor.LineStart);
        void Handle(SerialEvent e) { foreach (var _ in monitor.Handle(e)) { } }
        for (int at = 0; at < stream.Length;)
        {
            int n = Math.Min(stream.Length - at, 1 + rng.Next(rng.Next(2) == 0 ? 8 : 5000));
            splitter.Push(stream.AsSpan(at, n), T0, Handle);
            at += n;
        }
        splitter.FlushPartialLine(T0, Handle);
        var logged = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => Regex.Match(r, "\"(MHR,[^\"]*)\"\\s*$").Groups[1].Value).ToList();
        return new(logged, monitor);
    }

    private static List<string> Lines(int count, int seed)
    {
        var e = new AlertEncoder();
        var rng = new Random(seed);
        var buf = new byte[AlertProtocol.MaxLineLength];
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
        {
            int n = i == 0
                ? e.EncodeBoot(0, buf, 0)
                : e.Encode(AlertProtocol.StatusKind, "-", 1000L * i, 40 + rng.Next(150), rng.Next(101), rng.Next(1001), SignalQuality.Good, rng.Next(2) == 1, 0, buf, 0);
            lines.Add(Encoding.ASCII.GetString(buf, 0, n).TrimEnd('\n'));
        }
        return lines;
    }

    /// <summary>Garbage of the kinds a serial line produces: random bytes, NULs, text, cut lines, stray tags and tag prefixes.</summary>
    private static byte[] Garbage(Random rng, List<string> lines, bool newlines)
    {
        var g = new List<byte>();
        int parts = rng.Next(4);
        for (int p = 0; p < parts; p++)
        {
            switch (rng.Next(7))
            {
                case 0: for (int i = rng.Next(1, 300); i > 0; i--) g.Add((byte)rng.Next(256)); break;
                case 1: g.AddRange(new byte[rng.Next(1, 120)]); break;
                case 2: g.AddRange(Encoding.ASCII.GetBytes("ets Jun  8 2016 00:22:57 rst:0x1 (POWERON_RESET),boot:0x13"[..rng.Next(1, 57)])); break;
                case 3: { string l = lines[rng.Next(lines.Count)]; g.AddRange(Encoding.ASCII.GetBytes(l[..rng.Next(1, l.Length)])); break; }
                case 4: g.AddRange(Encoding.ASCII.GetBytes(new[] { "M", "MH", "MHR", "MHR,", "MHR,1," }[rng.Next(5)])); break;
                case 5: for (int i = rng.Next(600, 3000); i > 0; i--) g.Add((byte)rng.Next(0x80, 0x100)); break;
                default: g.AddRange(Encoding.ASCII.GetBytes(new[] { " ", "\t", "\r", "*", "," }[rng.Next(5)])); break;
            }
        }
        if (!newlines) g.RemoveAll(b => b == (byte)'\n');
        else if (g.Count > 0 && rng.Next(3) == 0) g.Insert(rng.Next(g.Count), (byte)'\n');
        return [.. g];
    }

    [TestMethod]
    public void EveryIntactLineSurvivesAnyGarbageBeforeIt()
    {
        for (int trial = 0; trial < 300; trial++)
        {
            var rng = new Random(1000 + trial);
            var lines = Lines(rng.Next(1, 30), trial);
            var stream = new List<byte>();
            foreach (string line in lines)
            {
                stream.AddRange(Garbage(rng, lines, newlines: true));
                stream.AddRange(Encoding.ASCII.GetBytes(line + (rng.Next(4) == 0 ? "\r\n" : "\n")));
            }
            stream.AddRange(Garbage(rng, lines, newlines: true));
            var outcome = Monitor([.. stream], rng);
            CollectionAssert.AreEqual(lines, outcome.Logged, $"trial {trial}: {outcome.Monitor.Summary()}");
            Assert.AreEqual(0L, outcome.Monitor.Tracker.Lost, $"trial {trial}");
        }
    }

    [TestMethod]
    public void OneGarbageRunIsOneRejectionWhateverItsLength()
    {
        for (int trial = 0; trial < 300; trial++)
        {
            var rng = new Random(5000 + trial);
            var lines = Lines(rng.Next(1, 20), trial);
            var stream = new List<byte>();
            int runs = 0;
            foreach (string line in lines)
            {
                var g = Garbage(rng, lines, newlines: false);
                // A stray tag inside the run starts a (cut) line of its own: that is two runs, not one.
                if (Encoding.Latin1.GetString(g).Contains(AlertMonitor.LineStart, StringComparison.Ordinal)) g = [.. g.Where(b => b != (byte)',')];
                if (g.Any(b => b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))) runs++;
                stream.AddRange(g);
                stream.AddRange(Encoding.ASCII.GetBytes(line + "\n"));
            }
            var outcome = Monitor([.. stream], rng);
            CollectionAssert.AreEqual(lines, outcome.Logged, $"trial {trial}");
            Assert.AreEqual(runs, outcome.Monitor.Rejected, $"trial {trial}: {outcome.Monitor.Summary()}");
        }
    }

    [TestMethod]
    public void AMegabyteOfNoiseIsOneRejection()
    {
        var noise = new byte[1 << 20];
        new Random(3).NextBytes(noise);
        for (int i = 0; i < noise.Length; i++) if (noise[i] is (byte)'\n' or (byte)'M') noise[i] = 0;
        var lines = Lines(2, 1);
        var stream = noise.Concat(Encoding.ASCII.GetBytes(lines[0] + "\n")).Concat(noise).Concat(Encoding.ASCII.GetBytes(lines[1] + "\n")).ToArray();
        var outcome = Monitor(stream, new Random(4));
        CollectionAssert.AreEqual(lines, outcome.Logged);
        Assert.AreEqual(2L, outcome.Monitor.Rejected);
    }
}
