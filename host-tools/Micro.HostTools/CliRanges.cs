using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Micro.HostTools;

/// <summary>
/// The allowed range of every numeric option, checked while parsing (exit 2, one line, before any work).
/// Kept in one table so every verb, including those whose files other people own, is covered the same way.
/// </summary>
public static class CliRanges
{
    private sealed record Rule(Func<double, bool> Ok, string Expected);

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["pack --percentile"] = new(v => v > 0 && v <= 100, "a percentile in (0, 100]"),
        ["pack --auto-precision"] = new(v => v > 0 && !double.IsInfinity(v), "a target SQNR in dB, greater than 0"),
        ["pack --max-calibration-samples"] = new(v => v >= 0, "0 (all) or a positive count"),
        ["pack --exit-agreement"] = new(v => v > 0 && v <= 1, "a share in (0, 1]"),
        ["verify --max-samples"] = new(v => v >= 0, "0 (all) or a positive count"),
        ["verify --min-sqnr"] = new(v => !double.IsInfinity(v), "a finite number of dB"),
        ["simulate --fs"] = new(v => v > 0 && v <= 1e6, "a sample rate in Hz, greater than 0"),
        ["simulate --baud"] = new(v => v >= 50 && v <= 10_000_000, "a baud rate such as 9600 or 115200"),
        ["monitor --baud"] = new(v => v >= 50 && v <= 10_000_000, "a baud rate such as 9600 or 115200"),
        ["monitor --duration"] = new(v => v > 0 && v < 1e7, "a number of seconds greater than 0"),
        ["dataset --stride"] = new(v => v >= 1, "a number of seconds, at least 1"),
        ["dataset --channels"] = new(v => v is 1 or 2, "1 or 2"),
    };

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
