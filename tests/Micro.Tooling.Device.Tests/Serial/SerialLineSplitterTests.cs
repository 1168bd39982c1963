using System.Text;
using Micro.Tooling.Serial;

namespace Micro.Tooling.Device.Tests.Serial;

[TestClass]
public sealed class SerialLineSplitterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<SerialEvent> Split(SerialLineSplitter s, params byte[][] chunks)
    {
        var events = new List<SerialEvent>();
        foreach (var chunk in chunks) s.Push(chunk, T0, events.Add);
        return events;
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    [TestMethod]
    public void LinesCutAnywhereComeOutWhole()
    {
        string text = "HR,72,0\r\nHR,73,0\n\nt=1.25\tbpm=180,ALARM\r\n";
        string[] expected = ["HR,72,0", "HR,73,0", "", "t=1.25\tbpm=180,ALARM"];
        byte[] bytes = Ascii(text);
        var rng = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var s = new SerialLineSplitter();
            var chunks = new List<byte[]>();
            for (int i = 0; i < bytes.Length;)
            {
                int n = trial == 0 ? 1 : rng.Next(1, 9); // trial 0: one byte at a time
                chunks.Add(bytes[i..Math.Min(bytes.Length, i + n)]);
                i += n;
            }
            var events = Split(s, [.. chunks]);
            CollectionAssert.AreEqual(expected, events.Cast<SerialLineReceived>().Select(e => e.Text).ToArray(), $"trial {trial}");
            Assert.IsFalse(s.HasPartialLine);
        }
    }

    [TestMethod]
    public void BinaryLineIsGarbageAndTheNextLineSurvives()
    {
        var s = new SerialLineSplitter();
        var events = Split(s, Ascii("ok1\n"), [0x00, 0xFF, 0x1B, (byte)'[', (byte)'0', (byte)'m', 0xC3, 0xA9, (byte)'\n'], Ascii("ok2\n"));
        Assert.HasCount(3, events);
        Assert.AreEqual("ok1", ((SerialLineReceived)events[0]).Text);
        var g = (SerialGarbageReceived)events[1];
        Assert.AreEqual(SerialGarbageKind.NonText, g.Kind);
        Assert.AreEqual(8, g.ByteCount);
        Assert.AreEqual(@"\x00\xFF\x1B[0m\xC3\xA9", g.Preview);
        Assert.AreEqual("ok2", ((SerialLineReceived)events[2]).Text);
    }

    [TestMethod]
    public void CarriageReturnInsideALineIsGarbage()
    {
        var events = Split(new SerialLineSplitter(), Ascii("abc\rdef\nok\n"));
        Assert.AreEqual(SerialGarbageKind.NonText, ((SerialGarbageReceived)events[0]).Kind);
        Assert.AreEqual("ok", ((SerialLineReceived)events[1]).Text);
    }

    [TestMethod]
    public void LineAtTheLimitPassesOneMoreByteIsOverlong()
    {
        const int max = 16;
        string atLimit = new('a', max), over = new('b', max + 1);
        var events = Split(new SerialLineSplitter(max), Ascii($"{atLimit}\n{atLimit}\r\n{over}\n{over}\r\nnext\n"));
        Assert.HasCount(5, events);
        Assert.AreEqual(atLimit, ((SerialLineReceived)events[0]).Text);
        Assert.AreEqual(atLimit, ((SerialLineReceived)events[1]).Text, "the \\r of a line at the limit does not count");
        var g1 = (SerialGarbageReceived)events[2];
        var g2 = (SerialGarbageReceived)events[3];
        Assert.AreEqual((SerialGarbageKind.Overlong, max + 1), (g1.Kind, g1.ByteCount));
        Assert.AreEqual((SerialGarbageKind.Overlong, max + 2), (g2.Kind, g2.ByteCount));
        Assert.AreEqual("next", ((SerialLineReceived)events[4]).Text);
    }

    [TestMethod]
    public void OverlongLineIsReportedOnceWithItsLengthThenResyncs()
    {
        var s = new SerialLineSplitter(); // 512
        var events = Split(s, Ascii("before\n"), Ascii(new string('x', 3000)), Ascii(new string('y', 1000) + "\nafter\n"));
        Assert.HasCount(3, events);
        var g = (SerialGarbageReceived)events[1];
        Assert.AreEqual(SerialGarbageKind.Overlong, g.Kind);
        Assert.AreEqual(4000, g.ByteCount);
        Assert.StartsWith("xxxxxxxx", g.Preview);
        Assert.EndsWith("…", g.Preview);
        Assert.AreEqual("after", ((SerialLineReceived)events[2]).Text);
    }

    [TestMethod]
    public void OneLongNoiseRunIsOneReportWhateverItsLength()
    {
        var s = new SerialLineSplitter(64);
        var noise = new byte[3 * 64 * 1024 + 10];
        Array.Fill(noise, (byte)0xAA);
        Assert.IsEmpty(Split(s, noise, noise));
        Assert.IsTrue(s.HasPartialLine);
        var events = Split(s, Ascii("\nok\n"));
        Assert.HasCount(2, events);
        var g = (SerialGarbageReceived)events[0];
        Assert.AreEqual(SerialGarbageKind.Overlong, g.Kind);
        Assert.AreEqual(2 * noise.Length, g.ByteCount);
        Assert.AreEqual("ok", ((SerialLineReceived)events[1]).Text);
    }

    private const string Tag = "MHR,";
    private const string Good = "MHR,1,0,0,BOOT,-,-,0,-,POOR,REST,00*D4A0";

    private static List<SerialEvent> Tagged(params byte[][] chunks) => Split(new SerialLineSplitter(SerialLineSplitter.DefaultMaxLineLength, Tag), chunks);

    private static string Describe(SerialEvent e) => e switch
    {
        SerialLineReceived l => "line " + l.Text,
        SerialGarbageReceived g => $"{g.Kind} {g.ByteCount} {g.Preview}",
        _ => e.ToString(),
    };

    [TestMethod]
    public void WithATagTextBeforeItOnTheSameLineIsReportedByItselfAndTheLineSurvives()
    {
        var events = Tagged(Ascii("noise of twenty byte" + Good + "\n"));
        CollectionAssert.AreEqual(new[] { "line noise of twenty byte", "line " + Good }, events.Select(Describe).ToList());
    }

    [TestMethod]
    public void WithATagBinaryNoiseBeforeItIsOneGarbageReportWhateverItsLength()
    {
        foreach (int n in new[] { 1, 70, 100, 600, 200_000 })
        {
            var noise = new byte[n]; // NULs, as a board's UART gives while it resets
            var events = Tagged(noise, Ascii(Good + "\n"));
            Assert.HasCount(2, events, $"{n} NULs");
            var g = (SerialGarbageReceived)events[0];
            Assert.AreEqual(n, g.ByteCount);
            Assert.AreEqual(n > SerialLineSplitter.DefaultMaxLineLength ? SerialGarbageKind.Overlong : SerialGarbageKind.NonText, g.Kind);
            Assert.AreEqual("line " + Good, Describe(events[1]));
        }
    }

    [TestMethod]
    public void WithATagALineCutByTheNextLinesTagIsIncompleteAndTheNextLineSurvives()
    {
        // A board that resets mid-line: the cut line, then its BOOT line (the tag split over two reads).
        var events = Tagged(Ascii("MHR,1,41,1843000,STA" + "MH"), Ascii("R,1,0,0,BOOT,-,-,0,-,POOR,REST,00*D4A0\n"));
        CollectionAssert.AreEqual(new[] { "Incomplete 20 MHR,1,41,1843000,STA", "line " + Good }, events.Select(Describe).ToList());
    }

    [TestMethod]
    public void WithATagBlanksBeforeItAreNotReportedAndAPartialTagIsJustText()
    {
        var events = Tagged(Ascii("\n \r\n  " + Good + "\nMHMHR" + Good + "\n"));
        CollectionAssert.AreEqual(new[] { "line ", "line  ", "line " + Good, "line MHMHR", "line " + Good }, events.Select(Describe).ToList());
    }

    [TestMethod]
    public void ResetAlsoForgetsAPartlySeenTag()
    {
        var s = new SerialLineSplitter(SerialLineSplitter.DefaultMaxLineLength, Tag);
        var events = Split(s, Ascii("MH"));
        s.Reset(); // the port was reopened: "MH" and "R," are not one tag
        events.AddRange(Split(s, Ascii("R,x\n")));
        CollectionAssert.AreEqual(new[] { "line R,x" }, events.Select(Describe).ToList());
    }

    [TestMethod]
    public void WithoutATagNothingIsSplitOnIt()
    {
        var events = Split(new SerialLineSplitter(), Ascii("xyz" + Good + "\n"));
        CollectionAssert.AreEqual(new[] { "line xyz" + Good }, events.Select(Describe).ToList());
    }

    [TestMethod]
    public void ABadTagIsRefused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new SerialLineSplitter(512, ""));
        Assert.ThrowsExactly<ArgumentException>(() => new SerialLineSplitter(512, "A B"));
        Assert.ThrowsExactly<ArgumentException>(() => new SerialLineSplitter(512, "MHR\n"));
        Assert.ThrowsExactly<ArgumentException>(() => new SerialLineSplitter(3, Tag));
    }

    [TestMethod]
    public void FlushReportsAPartialLineAsIncompleteAndStartsFresh()
    {
        var s = new SerialLineSplitter();
        var events = Split(s, Ascii("HR,7"));
        Assert.IsEmpty(events);
        Assert.IsTrue(s.HasPartialLine);
        s.FlushPartialLine(T0, events.Add);
        s.Push(Ascii("HR,72,0\n"), T0, events.Add);
        Assert.HasCount(2, events);
        var g = (SerialGarbageReceived)events[0];
        Assert.AreEqual((SerialGarbageKind.Incomplete, 4, "HR,7"), (g.Kind, g.ByteCount, g.Preview));
        Assert.AreEqual("HR,72,0", ((SerialLineReceived)events[1]).Text);
    }

    [TestMethod]
    public void FlushWithNothingPendingReportsNothingAndResetIsSilent()
    {
        var s = new SerialLineSplitter();
        var events = new List<SerialEvent>();
        s.FlushPartialLine(T0, events.Add);
        s.Push(Ascii("dropped"), T0, events.Add);
        s.Reset();
        s.Push(Ascii("kept\n"), T0, events.Add);
        Assert.HasCount(1, events);
        Assert.AreEqual("kept", ((SerialLineReceived)events[0]).Text);
    }

    [TestMethod]
    public void PreviewEscapesBackslashAndCutsLongInput()
    {
        Assert.AreEqual(@"a\x5Cb\x0D", SerialLineSplitter.Preview(Ascii("a\\b\r")));
        Assert.AreEqual(new string('z', 32) + "…", SerialLineSplitter.Preview(Ascii(new string('z', 40))));
    }
}
