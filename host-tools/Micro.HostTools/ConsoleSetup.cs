using Spectre.Console;

namespace Micro.HostTools;

/// <summary>
/// The console the verbs write tables and markup to: no escape codes when the output is a pipe or a file or
/// NO_COLOR is set, and a width that never wraps a table into broken words in a log (COLUMNS, else the
/// terminal's width, else <see cref="RedirectedWidth"/> when redirected).
/// </summary>
public static class ConsoleSetup
{
    public const int RedirectedWidth = 240;

    public static IAnsiConsole Create(TextWriter output, bool redirected, string? noColor, string? columns, int? terminalWidth)
    {
        bool plain = redirected || !string.IsNullOrEmpty(noColor);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        int? width = int.TryParse(columns, out int c) && c > 0 ? c : redirected ? RedirectedWidth : terminalWidth;
        if (width is int w && w > 0) console.Profile.Width = w;
        return console;
    }

    /// <summary>The terminal's width, or null when there is none.</summary>
    public static int? TerminalWidth()
    {
        try
        {
            return Console.IsOutputRedirected ? null : Console.WindowWidth > 0 ? Console.WindowWidth : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
