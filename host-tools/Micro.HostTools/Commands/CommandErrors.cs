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
        catch (FileNotFoundException e)
        {
            return Fail($"file not found: {e.FileName ?? e.Message}", ExitCodes.BadInput);
        }
        catch (IOException e)
        {
            return Fail(e.Message, ExitCodes.IoError);
        }
        catch (UnauthorizedAccessException e)
        {
            return Fail(e.Message, ExitCodes.IoError);
        }
    }

    public static int Fail(string message, int code)
    {
        AnsiConsole.Console.Profile.Out.Writer.Flush();
        Console.Error.WriteLine($"micro: error: {message}");
        return code;
    }
}
