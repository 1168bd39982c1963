using Micro.Tooling.Evaluation;

namespace Micro.Fuzz;

/// <summary>The recording CSV reader `micro simulate` uses (header sniffing, the CinC, TROIKA and generic layouts).
/// It reads files, so each input goes through one scratch file per process (in /dev/shm when there is one).</summary>
public static class RecordingCsvTarget
{
    private static readonly string Scratch = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(),
        $"micro-fuzz-{Environment.ProcessId}.csv");

    public static void Run(byte[] input)
    {
        File.WriteAllBytes(Scratch, input);
        AlarmSimulation.ReadRecording(Scratch, input.Length > 0 && input[0] % 2 == 1 ? 125 : null);
    }
}
