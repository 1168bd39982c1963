using Micro.Tooling.Monitoring;
using Micro.Tooling.Serial;

namespace Micro.Fuzz;

/// <summary>`micro monitor` without the port: the bytes as they would arrive (in two chunks, split where the first
/// byte says) through the line splitter, the alert parser and the sequence tracker.</summary>
public static class AlertLineTarget
{
    public static void Run(byte[] input)
    {
        var monitor = new AlertMonitor(TextWriter.Null);
        var splitter = new SerialLineSplitter(SerialLineSplitter.DefaultMaxLineLength, AlertMonitor.LineStart);
        var at = DateTimeOffset.UnixEpoch;
        void Handle(SerialEvent e) { foreach (var _ in monitor.Handle(e)) { } }
        int cut = input.Length == 0 ? 0 : input[0] % (input.Length + 1);
        splitter.Push(input.AsSpan(0, cut), at, Handle);
        splitter.Push(input.AsSpan(cut), at, Handle);
        splitter.FlushPartialLine(at, Handle);
    }
}
