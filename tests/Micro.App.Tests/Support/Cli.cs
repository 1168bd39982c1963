using Micro.TestSupport;

namespace Micro.App.Tests.Support;

/// <summary>Runs the real `micro` command line in-process, capturing stdout and stderr (one at a time).</summary>
public static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    public static (int Code, string Out, string Err) Capture(Func<int> body) => CliHarness.Capture(body);

    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "micro-app-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
