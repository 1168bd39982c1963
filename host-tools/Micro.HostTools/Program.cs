using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Micro.HostTools.Commands;

namespace Micro.HostTools;

public static class Program
{
    public static int Main(string[] args)
    {
        Spectre.Console.AnsiConsole.Console = ConsoleSetup.Create(Console.Out, Console.IsOutputRedirected,
            Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("COLUMNS"), ConsoleSetup.TerminalWidth());
        return Run(args);
    }

    /// <summary>
    /// Parses and runs one command line. A usage error (unknown verb or option, a missing or malformed value,
    /// a failed up-front check) prints one short line per error and a pointer to --help, and exits 2.
    /// </summary>
    public static int Run(string[] args)
    {
        var result = BuildRoot().Parse(args);
        if (result.Errors.Count > 0 && result.Action is ParseErrorAction)
        {
            Spectre.Console.AnsiConsole.Console.Profile.Out.Writer.Flush();
            var errors = result.Errors.Select(e => e.Message.StartsWith("Required command was not provided", StringComparison.Ordinal) ? "no verb given (inspect, run, pack, verify, …)" : Describe(e)).ToList();
            if (errors.Count > 1) errors.Remove("no verb given (inspect, run, pack, verify, …)");
            foreach (var e in errors) Console.Error.WriteLine($"micro: error: {Commands.CommandErrors.Escape(e)}");
            if (!result.Errors.All(e => CliPaths.IsPathError(e.Message)))
                Console.Error.WriteLine($"run '{CommandPath(result.CommandResult)} --help' for the usage");
            return ExitCodes.BadInput;
        }
        try
        {
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            // Last resort: a failure no verb anticipated still ends in one line, not a stack trace.
            return CommandErrors.Fail($"unexpected failure ({e.GetType().Name}): {e.Message}", ExitCodes.CheckFailed);
        }
    }

    private static readonly Regex CannotParse = new(@"^Cannot parse argument '(?<v>.*)' for (option|argument) '(?<o>[^']*)' as expected type '(?<t>[^']*)'\.?$");

    /// <summary>The parser's message, with .NET type names turned into words.</summary>
    private static string Describe(ParseError e)
    {
        string message = e.Message.Replace("\r", "");
        int suggestions = message.IndexOf(" Did you mean one of the following?", StringComparison.Ordinal);
        string? oneOf = null;
        if (suggestions >= 0)
        {
            oneOf = string.Join(", ", message[(suggestions + 35)..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            message = message[..suggestions];
        }
        var m = CannotParse.Match(message);
        if (!m.Success) return message;
        if (e.SymbolResult is OptionResult { Option.ValueType: var vt } && (Nullable.GetUnderlyingType(vt) ?? vt).IsEnum)
            oneOf = string.Join(", ", Enum.GetNames(Nullable.GetUnderlyingType(vt) ?? vt));
        if (oneOf != null) return $"{m.Groups["o"].Value}: '{m.Groups["v"].Value}' is not one of {oneOf}";
        if (!m.Success) return e.Message;
        string t = m.Groups["t"].Value;
        string kind = t.Contains("Int32") || t.Contains("Int64") ? "a whole number"
            : t.Contains("Double") || t.Contains("Single") ? "a number"
            : t.Contains("Boolean") ? "true or false"
            : "a valid value";
        return $"{m.Groups["o"].Value}: '{m.Groups["v"].Value}' is not {kind}";
    }

    private static string CommandPath(CommandResult? c)
    {
        var names = new List<string>();
        for (SymbolResult? s = c; s != null; s = s.Parent)
            if (s is CommandResult cr) names.Insert(0, cr.Command is RootCommand ? "micro" : cr.Command.Name);
        return names.Count == 0 ? "micro" : string.Join(" ", names);
    }

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("micro: pack, inspect, run and verify INT8 models for .NET microcontrollers");
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PackCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(DatasetCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        CliPaths.Attach(root);
        CliRanges.Attach(root);
        return root;
    }
}
