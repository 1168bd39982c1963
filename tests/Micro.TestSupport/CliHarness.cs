using Micro.HostTools;

namespace Micro.TestSupport;

/// <summary>Runs the real `micro` command line in-process and captures what it prints.</summary>
public static class CliHarness
{
    private static readonly object Gate = new();

    public static (int Code, string Out, string Err) Run(params string[] args) => Capture(() => Program.Run(args));

    /// <summary>Runs a body with stdout, stderr and the Spectre console captured.</summary>
    public static (int Code, string Out, string Err) Capture(Func<int> body)
    {
        lock (Gate)
        {
            var oldOut = Console.Out;
            var oldErr = Console.Error;
            var o = new StringWriter();
            var e = new StringWriter();
            Console.SetOut(o);
            Console.SetError(e);
            try
            {
                var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
                {
                    Out = new Spectre.Console.AnsiConsoleOutput(o),
                    Ansi = Spectre.Console.AnsiSupport.No,
                    ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
                });
                console.Profile.Width = 240;
                Spectre.Console.AnsiConsole.Console = console;
                int code = body();
                return (code, o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }

    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "micro-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Walks up from the test assembly to the repository root (the folder holding Micro.sln).</summary>
    public static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "Micro.sln"))) d = d.Parent;
        return d?.FullName ?? throw new DirectoryNotFoundException("Micro.sln not found above " + AppContext.BaseDirectory);
    }
}
