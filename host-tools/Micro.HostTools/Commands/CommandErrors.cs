using Micro.Runtime;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>Turns the core library's exceptions into one clear line and a named exit code.</summary>
public static class CommandErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (BlobFormatException e)
        {
            return Fail($"invalid blob: {e.Message}", ExitCodes.BadInput);
        }
        catch (Micro.Tooling.Data.DataFormatException e)
        {
            return Fail(e.Message, ExitCodes.BadInput);
        }
        catch (InvalidDataException e)
        {
            return Fail(e.Message, ExitCodes.BadInput);
        }
        catch (FormatException e)
        {
            return Fail(e.Message, ExitCodes.BadInput);
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message, ExitCodes.BadInput);
        }
        catch (Micro.Tooling.Boards.UnknownBoardException e)
        {
            // Its message names the board and lists the known ones: say that, not the file path.
            return Fail(e.Message, ExitCodes.BadInput);
        }
        catch (FileNotFoundException e)
        {
            return Fail($"file not found: {UserPath(e.FileName) ?? e.Message}", ExitCodes.BadInput);
        }
        catch (DirectoryNotFoundException e)
        {
            // .NET: "Could not find a part of the path '…'." — a folder on the way is missing.
            return QuotedPath(e.Message) is { } p ? Fail($"folder not found: {Path.GetDirectoryName(p)} (for {p})", ExitCodes.BadInput) : Fail(e.Message, ExitCodes.BadInput);
        }
        catch (IOException e)
        {
            return Fail(QuotedPath(e.Message) is { } p ? $"cannot read or write {p}: {Reason(e.Message)}" : TempToUser(e.Message), ExitCodes.IoError);
        }
        catch (UnauthorizedAccessException e)
        {
            // .NET: "Access to the path '…' is denied." — also what opening a directory as a file says.
            if (QuotedPath(e.Message) is { } p)
                return Directory.Exists(p) ? Fail($"{p} is a directory, not a file", ExitCodes.BadInput) : Fail($"permission denied: {p}", ExitCodes.IoError);
            return Fail(e.Message, ExitCodes.IoError);
        }
    }

    private static readonly System.Text.RegularExpressions.Regex TempName = new(@"\.(?<name>[^/\\]+)\.\d+\.tmp\b");

    /// <summary>A temporary file beside the output (AtomicFile's .NAME.PID.tmp) named as the output the user asked for.</summary>
    public static string TempToUser(string text) => TempName.Replace(text, m => m.Groups["name"].Value);

    private static string? UserPath(string? path) => path == null ? null : TempToUser(path);

    /// <summary>The path .NET quotes in an I/O message, as the user's output path when it is a temporary file.</summary>
    private static string? QuotedPath(string message)
    {
        int a = message.IndexOf('\''), b = message.LastIndexOf('\'');
        return a >= 0 && b > a + 1 ? TempToUser(message[(a + 1)..b]) : null;
    }

    /// <summary>The .NET message without the quoted path ("Read-only file system : '…'" → "Read-only file system").</summary>
    private static string Reason(string message)
    {
        int a = message.IndexOf('\''), b = message.LastIndexOf('\'');
        string rest = a >= 0 && b > a ? message[..a] + " " + message[(b + 1)..] : message;
        rest = string.Join(" ", rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim(' ', '.', ':');
        return rest.Length == 0 ? "I/O error" : rest;
    }

    public static int Fail(string message, int code)
    {
        AnsiConsole.Console.Profile.Out.Writer.Flush();
        Console.Error.WriteLine($"micro: error: {Escape(message)}");
        return code;
    }

    /// <summary>
    /// The message as one line of visible text: control characters (C0, DEL, C1), line and paragraph separators and
    /// invisible format characters (bidi overrides, zero-width) become \n, \r, \t, \xNN or \uNNNN, so a file name or a
    /// value quoted from the user's input cannot move the cursor, recolour the terminal or split the error line.
    /// </summary>
    public static string Escape(string message)
    {
        System.Text.StringBuilder? sb = null;
        for (int i = 0; i < message.Length; i++)
        {
            char c = message[i];
            string? esc = c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or (>= '\x7F' and <= '\x9F') => $"\\x{(int)c:X2}",
                '\u2028' or '\u2029' => $"\\u{(int)c:X4}",
                _ when char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format => $"\\u{(int)c:X4}",
                _ => null,
            };
            if (esc == null) { sb?.Append(c); continue; }
            sb ??= new System.Text.StringBuilder(message, 0, i, message.Length + 16);
            sb.Append(esc);
        }
        return sb?.ToString() ?? message;
    }
}
