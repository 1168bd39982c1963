using System.CommandLine;
using System.Globalization;
using Micro.Tooling;
using Micro.Tooling.Running;
using Micro.Tooling.Verification;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro verify MODEL.onnx FILE.mblob --data DATA [--labels LABELS] [--report report.html] [--min-sqnr DB] [--layout L] [--force]</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var onnx = new Argument<FileInfo>("model") { Description = "the float .onnx model" };
        var blob = new Argument<FileInfo>("blob") { Description = "the .mblob packed from it" };
        var data = new Option<FileInfo>("--data", "-d") { Description = "samples (.npy or .csv) in the ONNX model's input layout (e.g. [N,C,H,W]; see --layout): the same file micro run takes", Required = true };
        var labels = new Option<FileInfo?>("--labels") { Description = "integer class labels (.npy or one per line)" };
        var report = new Option<FileInfo?>("--report") { Description = "write a self-contained HTML report" };
        var minSqnr = new Option<double?>("--min-sqnr") { Description = "exit with code 1 when the output SQNR (dB) is below this" };
        var max = new Option<int>("--max-samples") { Description = "use at most this many samples (0 = all)" };
        var layout = new Option<string?>("--layout") { Description = "layout of --data: 'model' (default: the ONNX model's own, e.g. NCHW), 'as-blob' (the blob's channels-last layout, e.g. NHWC) or a name (NCHW, NHWC, NCW, NWC)", HelpName = "model|as-blob|NCHW|NHWC|NCW|NWC" };
        var force = new Option<bool>("--force") { Description = "compare even when the blob records that it was packed from another model file" };
        var cmd = new Command("verify", "compare the float model and the quantized blob on the same data: agreement, accuracy, SQNR/PSNR, per layer");
        cmd.Arguments.Add(onnx);
        cmd.Arguments.Add(blob);
        foreach (var o in new Option[] { data, labels, report, minSqnr, max, layout, force }) cmd.Options.Add(o);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(onnx)!, r.GetValue(blob)!, r.GetValue(data)!, r.GetValue(labels), r.GetValue(report), r.GetValue(minSqnr), r.GetValue(max), r.GetValue(layout), r.GetValue(force))));
        return cmd;
    }

    public static int Execute(FileInfo onnx, FileInfo blob, FileInfo data, FileInfo? labels, FileInfo? report, double? minSqnr, int maxSamples, string? layout = null, bool force = false)
    {
        VerifyReport r;
        try
        {
            r = Verifier.Run(onnx.FullName, File.ReadAllBytes(blob.FullName), data.FullName, labels?.FullName, maxSamples, layout, force);
        }
        catch (SourceMismatchException e) { return CommandErrors.Fail($"{blob.Name}: {e.Message}", ExitCodes.CheckFailed); }
        catch (Micro.Tooling.Onnx.OnnxImportException e) { throw new InvalidDataException($"cannot import {onnx.Name}: {e.Message}", e); }
        catch (Micro.Tooling.Data.DataFormatException e) { throw new InvalidDataException(e.Message, e); }

        var t = new Table().Border(TableBorder.Simple).AddColumn("measure").AddColumn("value");
        t.AddRow("samples", r.Samples.ToString(CultureInfo.InvariantCulture));
        t.AddRow("input data layout", Markup.Escape(r.InputLayout));
        if (r.SourceCheck != null) t.AddRow("blob packed from", Markup.Escape(r.SourceCheck));
        t.AddRow("top-1 agreement", r.Top1Agreement.ToString("P2", CultureInfo.InvariantCulture));
        if (r.FloatAccuracy is double fa) t.AddRow("float accuracy", fa.ToString("P2", CultureInfo.InvariantCulture));
        if (r.QuantizedAccuracy is double qa) t.AddRow("quantized accuracy", qa.ToString("P2", CultureInfo.InvariantCulture));
        t.AddRow("output SQNR", Db(r.Output.SqnrDb));
        t.AddRow("output PSNR", Db(r.Output.PsnrDb));
        t.AddRow("output cosine", r.Output.Cosine.ToString("F5", CultureInfo.InvariantCulture));
        t.AddRow("output max abs error", r.Output.MaxAbsError.ToString("G4", CultureInfo.InvariantCulture));
        AnsiConsole.Write(t);
        if (r.QuantizedConfusion is { } cm) PrintConfusion(cm);
        if (r.Layers.Count > 0)
        {
            var l = new Table().Border(TableBorder.Simple).AddColumn("layer output").AddColumn("op").AddColumn("SQNR dB").AddColumn("cosine");
            foreach (var x in r.Layers) l.AddRow(Markup.Escape(x.Tensor), x.Op, Db(x.Metrics.SqnrDb), x.Metrics.Cosine.ToString("F4", CultureInfo.InvariantCulture));
            AnsiConsole.Write(l);
        }
        else AnsiConsole.MarkupLine("[yellow]per-layer comparison unavailable: the blob's tensors do not follow this ONNX model's (packed from another file?)[/]");
        if (report != null)
        {
            AtomicFile.WriteAllText(report.FullName, HtmlReport.Render(r));
            AnsiConsole.MarkupLine(Markup.Escape($"report: {report.FullName}"));
        }
        if (minSqnr is double min && !(r.Output.SqnrDb >= min))
            return CommandErrors.Fail($"output SQNR {Db(r.Output.SqnrDb)} dB is below the required {min} dB", ExitCodes.CheckFailed);
        return ExitCodes.Ok;
    }

    /// <summary>The blob's confusion matrix: one row per true class, one column per predicted class.</summary>
    private static void PrintConfusion(int[][] m)
    {
        var t = new Table().Border(TableBorder.Simple).Title("blob confusion matrix (rows: true class, columns: predicted)").AddColumn("true \\ pred");
        for (int p = 0; p < m.Length; p++) t.AddColumn(new TableColumn(p.ToString(CultureInfo.InvariantCulture)).RightAligned());
        for (int c = 0; c < m.Length; c++) t.AddRow(m[c].Select(v => v.ToString(CultureInfo.InvariantCulture)).Prepend(c.ToString(CultureInfo.InvariantCulture)).ToArray());
        AnsiConsole.Write(t);
    }

    private static string Db(double v) => double.IsPositiveInfinity(v) ? "exact" : v.ToString("F1", CultureInfo.InvariantCulture);
}
