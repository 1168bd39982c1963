using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Micro.Tooling.Packing;

namespace Micro.HostTools;

/// <summary>
/// The allowed range of every numeric option, checked while parsing (exit 2, one line, before any work).
/// Kept in one table so every verb is covered the same way; pack's ranges are the core's own
/// (<see cref="PackOptions.Ranges"/>, which <see cref="PackOptions.Validate"/> also checks).
/// </summary>
public static class CliRanges
{
    private sealed record Rule(Func<double, bool> Ok, string Expected);

    private static readonly Dictionary<string, Rule> Rules = PackOptions.Ranges.ToDictionary(r => "pack " + r.Option, r => new Rule(r.Ok, r.Expected));

    private static readonly Dictionary<string, Rule> OtherVerbs = new()
    {
        ["verify --max-samples"] = new(v => v >= 0, "0 (all) or a positive count"),
        ["verify --min-sqnr"] = new(v => !double.IsInfinity(v), "a finite number of dB"),
        ["simulate --fs"] = new(v => v > 0 && v <= 1e6, "a sample rate in Hz, greater than 0"),
        ["simulate --baud"] = new(v => v >= 50 && v <= 10_000_000, "a baud rate such as 9600 or 115200"),
        ["monitor --baud"] = new(v => v >= 50 && v <= 10_000_000, "a baud rate such as 9600 or 115200"),
        ["monitor --duration"] = new(v => v > 0 && v < 1e7, "a number of seconds greater than 0"),
        ["dataset --stride"] = new(v => v >= 1, "a number of seconds, at least 1"),
        ["dataset --channels"] = new(v => v is 1 or 2, "1 or 2"),
    };

    static CliRanges()
    {
        foreach (var (key, rule) in OtherVerbs) Rules.Add(key, rule);
    }

    public static void Attach(Command root)
    {
        foreach (var cmd in Walk(root))
            foreach (var o in cmd.Options)
                if (Rules.TryGetValue(cmd.Name + " " + o.Name, out var rule))
                    o.Validators.Add(r => Check(r, o.Name, rule));
    }

    private static IEnumerable<Command> Walk(Command c) => new[] { c }.Concat(c.Subcommands.SelectMany(Walk));

    private static void Check(OptionResult r, string name, Rule rule)
    {
        foreach (var token in r.Tokens)
        {
            // Values that do not parse as numbers are reported by the parser itself.
            if (!double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) continue;
            if (double.IsNaN(v) || !rule.Ok(v)) r.AddError($"{name} {token.Value}: expected {rule.Expected}");
        }
    }
}
