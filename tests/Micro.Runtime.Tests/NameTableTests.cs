using System.Reflection;
using System.Text.RegularExpressions;
using Micro.Runtime.Format;

namespace Micro.Runtime.Tests;

/// <summary>
/// OpCodes and ErrorCodes keep a hand-written name table next to their int constants (nanoFramework has no
/// enum names). These tests prove the two lists agree: every constant 1..Last exists once, and Name(code)
/// is the constant's own name (opcodes in TFLite's SCREAMING_SNAKE form).
/// </summary>
[TestClass]
public class NameTableTests
{
    [TestMethod]
    public void OpCodeNamesAreTheConstantsNames()
    {
        var codes = Constants(typeof(OpCodes));
        CollectionAssert.AreEquivalent(Enumerable.Range(1, OpCodes.Last).ToArray(), codes.Values.ToArray(), "codes 1..Last, each once");
        foreach (var (name, code) in codes)
            Assert.AreEqual(Regex.Replace(name, "(?<=[a-z])(?=[A-Z0-9])", "_").ToUpperInvariant(), OpCodes.Name(code), name);
        Assert.AreEqual("opcode " + (OpCodes.Last + 1), OpCodes.Name(OpCodes.Last + 1), "no name past Last");
        Assert.AreEqual("opcode 0", OpCodes.Name(0));
    }

    [TestMethod]
    public void ErrorCodeNamesAreTheConstantsNames()
    {
        var codes = Constants(typeof(ErrorCodes));
        CollectionAssert.AreEquivalent(Enumerable.Range(1, ErrorCodes.Last).ToArray(), codes.Values.ToArray(), "codes 1..Last, each once");
        foreach (var (name, code) in codes) Assert.AreEqual(name, ErrorCodes.Name(code));
        Assert.AreEqual("Ok", ErrorCodes.Name(0));
        Assert.AreEqual("error " + (ErrorCodes.Last + 1), ErrorCodes.Name(ErrorCodes.Last + 1), "no name past Last");
    }

    /// <summary>The public const int fields of a code class, Last excluded.</summary>
    private static Dictionary<string, int> Constants(Type t) =>
        t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int) && f.Name != "Last")
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
}
