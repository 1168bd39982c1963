using System.Text.RegularExpressions;

namespace Micro.Portability.Tests.Checker;

/// <summary>
/// The types and members of the core library that portable code may use: each one verified to exist in
/// nanoFramework.CoreLibrary 1.17 (mscorlib). One entry per line; '#' starts a comment line.
/// <list type="bullet">
/// <item>type: <c>System.Exception</c>; nested types with '/': <c>System.Diagnostics.DebuggableAttribute/DebuggingModes</c></item>
/// <item>method or constructor: <c>System.Array::Copy(System.Array,System.Int32,System.Array,System.Int32,System.Int32)</c>,
/// <c>System.Exception::.ctor(System.String)</c>, property getters as <c>System.String::get_Length()</c></item>
/// <item>field: <c>System.String::Empty</c></item>
/// </list>
/// Parameter types are full names (<c>System.Int32</c>, <c>System.Byte[]</c>, <c>System.Int32&amp;</c> for ref/out).
/// </summary>
public sealed class Allowlist
{
    // Type: dotted identifiers, optional `arity, optional /Nested parts. Member: Type::name or Type::name(params).
    private const string TypePattern = @"[A-Za-z_][A-Za-z0-9_`]*(\.[A-Za-z_][A-Za-z0-9_`]*)*(/[A-Za-z_][A-Za-z0-9_`]*)*";
    private static readonly Regex TypeEntry = new($"^{TypePattern}$", RegexOptions.CultureInvariant);
    private static readonly Regex MemberEntry = new(
        $@"^(?<type>{TypePattern})::(?<name>\.?[A-Za-z_][A-Za-z0-9_]*)(?<params>\((({TypePattern}(\[\])*&?)(,{TypePattern}(\[\])*&?)*)?\))?$",
        RegexOptions.CultureInvariant);

    private readonly HashSet<string> _types = new(StringComparer.Ordinal);
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);
    private readonly List<string> _problems = new();

    public IReadOnlyCollection<string> Types => _types;
    public IReadOnlyCollection<string> Members => _members;

    /// <summary>Format problems found while parsing (bad syntax, duplicates, member whose type is not listed).</summary>
    public IReadOnlyList<string> Problems => _problems;

    public bool AllowsType(string fullName) => _types.Contains(fullName);

    public bool AllowsMember(string memberKey) => _members.Contains(memberKey);

    public static Allowlist Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IL allowlist not found at '{path}'.", path);
        return Parse(File.ReadAllLines(path), path);
    }

    public static Allowlist Parse(IEnumerable<string> lines, string sourceName = "allowlist")
    {
        var list = new Allowlist();
        int lineNo = 0;
        foreach (string raw in lines)
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;

            if (line.Contains("::", StringComparison.Ordinal))
            {
                Match m = MemberEntry.Match(line);
                if (!m.Success)
                    list._problems.Add($"{sourceName}:{lineNo}: not a valid member entry: '{line}'");
                else if (!list._members.Add(line))
                    list._problems.Add($"{sourceName}:{lineNo}: duplicate entry '{line}'");
            }
            else if (TypeEntry.IsMatch(line))
            {
                if (!list._types.Add(line))
                    list._problems.Add($"{sourceName}:{lineNo}: duplicate entry '{line}'");
            }
            else
            {
                list._problems.Add($"{sourceName}:{lineNo}: not a valid type entry: '{line}'");
            }
        }

        // A member entry is only reachable through its declaring type, so that type must be listed too.
        foreach (string member in list._members)
        {
            string type = member[..member.IndexOf("::", StringComparison.Ordinal)];
            if (!list._types.Contains(type))
                list._problems.Add($"{sourceName}: member '{member}' is listed but its type '{type}' is not");
        }
        return list;
    }
}
