using Micro.Tooling.Data;
using Micro.Tooling.Evaluation;

namespace Micro.Tooling.HeartRate.Tests.Monitoring;

/// <summary>`micro simulate` reads recordings line by line with a named limit: one endless line is refused, not kept.</summary>
[TestClass]
public class RecordingLineLimitTests
{
    [TestMethod]
    public void AnEndlessLineIsRefusedNamingTheLimitAndCostsOnlyTheLimit()
    {
        string dir = CliHarness.TempDir();
        foreach (bool inHeader in new[] { false, true })
        {
            string path = Path.Combine(dir, inHeader ? "header.csv" : "row.csv");
            using (var w = new StreamWriter(path))
            {
                w.Write(inHeader ? "t_s,ppg" : "t_s,ppg\n0,1\n0.008,");
                for (int i = 0; i < 20; i++) w.Write(new string('9', 1 << 20));
                w.Write('\n');
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.ThrowsExactly<DataFormatException>(() => AlarmSimulation.ReadRecording(path, 125));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            StringAssert.Contains(e.Message, $"row.csv line 3 is longer than 65,536 characters, the limit for one recording row".Replace("row.csv line 3", inHeader ? "header.csv line 1" : "row.csv line 3"));
            Assert.IsLessThan(4L << 20, allocated, $"{allocated:N0} bytes allocated to refuse a 20 MB line");
        }
    }
}
