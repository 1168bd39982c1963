using Micro.HostTools;
using Micro.HostTools.Commands;

namespace Micro.App.Tests.Support;

/// <summary>Runs the real `micro` command line in-process, capturing stdout and stderr (one at a time).</summary>
public static class Cli
{
    private static readonly object Gate = new();

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        return Capture(() => Program.Run(args));
    }

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
                Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
                {
                    Out = new Spectre.Console.AnsiConsoleOutput(o),
                    Ansi = Spectre.Console.AnsiSupport.No,
                    ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
                });
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
        string d = Path.Combine(Path.GetTempPath(), "micro-app-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
