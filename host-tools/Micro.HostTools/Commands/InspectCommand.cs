using System.CommandLine;
using System.Text.Json;
using Micro.Tooling.Boards;
using Micro.Tooling.Inspection;
using Micro.Tooling.Packing;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro inspect FILE.mblob [--json]</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var blob = new Argument<FileInfo>("blob") { Description = "the .mblob file" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var board = new Option<string?>("--board") { Description = "also say whether the blob and arena fit this board's budget (exit code 1 when not)" };
        var cmd = new Command("inspect", "show every op of a blob with shapes, MACs, weight bytes and arena placement, and the totals");
        cmd.Arguments.Add(blob);
        cmd.Options.Add(json);
        cmd.Options.Add(board);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(blob)!, r.GetValue(json), r.GetValue(board))));
        return cmd;
    }

    public static int Execute(FileInfo file, bool json, string? boardName = null)
    {
        byte[] bytes = File.ReadAllBytes(file.FullName);
        var report = BlobReport.FromBlob(bytes);
        var selfTest = SelfTestRecord.Read(Micro.Runtime.Model.Load(bytes));
        var fit = boardName == null ? null : BoardFit.Check(BoardsFolder.Load(boardName), report.BlobBytes, report.ArenaBytes);
        int code = fit is { Fits: false } ? ExitCodes.CheckFailed : ExitCodes.Ok;
        if (json)
        {
            // Source: provenance and input layout (metadata records 1–3); null fields when the blob has none.
            var m = report.Metadata;
            var source = new { Sha256 = m.SourceSha256, PackSettings = m.PackSettings == null ? null : m.Settings().ToDictionary(kv => kv.Key, kv => kv.Value), m.InputLayout };
            Console.WriteLine(JsonSerializer.Serialize(new { report.Name, report.FormatVersion, report.ModelVersion, report.BlobBytes, report.ArenaBytes, report.PayloadBytes, report.MainMacs, report.Ops, report.Exits, SelfTest = SelfTestRecord.Json(selfTest), Board = fit, Source = source }, JsonOptions));
            return code;
        }
        var table = new Table().Border(TableBorder.Simple);
        foreach (var h in new[] { "#", "op", "exit", "inputs", "output", "MACs", "weights B", "arena off", "out B" }) table.AddColumn(h);
        foreach (var o in report.Ops)
            table.AddRow(new[] { o.Index.ToString(), o.Op, o.ExitGroup == 0 ? "" : o.ExitGroup.ToString(), string.Join(" ", o.InputShapes),
                o.OutputShape + " " + o.OutputType, o.Macs.ToString("N0"), o.WeightBytes.ToString("N0"), o.ArenaOffset.ToString(), o.OutputBytes.ToString() }
                .Select(Markup.Escape).ToArray());
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Name)}[/]   blob format version {report.FormatVersion}   model version {Markup.Escape(report.ModelVersion)} (the model's own metadata)");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"blob {report.BlobBytes:N0} B (payload {report.PayloadBytes:N0} B)   arena {report.ArenaBytes:N0} B   MACs {report.MainMacs:N0}");
        foreach (var x in report.Exits)
            AnsiConsole.MarkupLine($"exit {x.Group}: after op {x.AfterOp}, margin ≥ {x.Threshold}, head {x.HeadMacs:N0} MACs, {x.MacsWhenTaken:N0} MACs when taken");
        PrintProvenance(report.Metadata);
        foreach (var line in SelfTestRecord.Describe(selfTest)) AnsiConsole.MarkupLine(Markup.Escape(line));
        if (fit != null) AnsiConsole.MarkupLine((fit.Fits ? "[green]" : "[red]") + Markup.Escape(fit.ToString()) + "[/]");
        return code;
    }

    /// <summary>Metadata records 1–3: where the blob came from, how it was packed, the layout its data is in.</summary>
    private static void PrintProvenance(BlobMetadata m)
    {
        AnsiConsole.MarkupLine(Markup.Escape("source model SHA-256: " + (m.SourceSha256 ?? "not recorded")));
        AnsiConsole.MarkupLine(Markup.Escape("pack settings: " + (m.PackSettings == null ? "not recorded" : string.Join(", ", m.Settings().Select(kv => $"{kv.Key}={kv.Value}")))));
        AnsiConsole.MarkupLine(Markup.Escape("input layout: " + (m.InputLayout == null ? "not recorded (run takes channels-last data)" : $"{m.InputLayout} (run and verify take data in this layout; the device's input is channels-last)")));
    }

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
