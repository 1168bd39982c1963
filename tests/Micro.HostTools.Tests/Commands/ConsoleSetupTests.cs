using Micro.HostTools;
using Spectre.Console;

namespace Micro.HostTools.Tests.Commands;

/// <summary>What `micro` writes into a pipe or a log: no escape codes, tables not wrapped into broken words.</summary>
[TestClass]
public class ConsoleSetupTests
{
    private static string Render(bool redirected, string? noColor, string? columns, int? terminal, out IAnsiConsole console)
    {
        var w = new StringWriter();
        console = ConsoleSetup.Create(w, redirected, noColor, columns, terminal);
        console.MarkupLine("[bold]heart-rate[/] [red]alarm[/]");
        var t = new Table().Border(TableBorder.Simple);
        foreach (var h in new[] { "#", "op", "exit", "inputs", "output", "MACs", "weights B", "arena off", "out B" }) t.AddColumn(h);
        t.AddRow(new[] { "3", "DEPTHWISE_CONV_1D", "", "[1,250,16] [16,1,5]", "[1,125,16] int8", "1,775,744", "96", "12,288", "2,000" }.Select(Markup.Escape).ToArray());
        console.Write(t);
        return w.ToString();
    }

    [TestMethod]
    public void RedirectedOutputHasNoEscapeCodesAndTablesStayWhole()
    {
        string text = Render(redirected: true, noColor: null, columns: null, terminal: null, out var console);
        Assert.IsFalse(text.Contains('\u001b'), text);
        StringAssert.Contains(text, "DEPTHWISE_CONV_1D");
        StringAssert.Contains(text, "heart-rate alarm");
        Assert.AreEqual(ConsoleSetup.RedirectedWidth, console.Profile.Width);
    }

    [TestMethod]
    public void NoColorTurnsOffBoldAndColourOnATerminalToo()
    {
        string text = Render(redirected: false, noColor: "1", columns: null, terminal: 120, out var console);
        Assert.IsFalse(text.Contains('\u001b'), text);
        Assert.AreEqual(120, console.Profile.Width);
    }

    [TestMethod]
    public void ColumnsSetsTheWidth()
    {
        Render(redirected: true, noColor: null, columns: "300", terminal: null, out var console);
        Assert.AreEqual(300, console.Profile.Width);
        Render(redirected: false, noColor: "1", columns: "abc", terminal: 90, out console);
        Assert.AreEqual(90, console.Profile.Width, "a COLUMNS that is not a number is ignored");
    }
}
