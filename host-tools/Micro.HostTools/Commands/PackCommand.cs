using System.CommandLine;
using Micro.Tooling;
using Micro.Tooling.Boards;
using Micro.Tooling.Packing;
using Micro.Tooling.TFLite;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro pack MODEL(.tflite|.onnx) --output FILE.mblob [--board NAME] [ONNX quantization options]</summary>
public static class PackCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "an int8 .tflite model, or a float .onnx model with --calibration" };
        var cmd = new Command("pack", "turn a model into a blob the device runs");
        cmd.Arguments.Add(model);
        var options = PackCliOptions.AddTo(cmd);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(options.Read(r, r.GetValue(model)!), options.Output(r), options.Board(r))));
        return cmd;
    }

    public static int Execute(PackOptions options, FileInfo output, string? boardName)
    {
        options.Validate();
        BoardDescription? board = boardName == null ? null : BoardsFolder.Load(boardName);
        PackResult result;
        string file = Path.GetFileName(options.Model);
        try
        {
            result = Packer.Pack(options);
        }
        catch (TfliteFormatException e) { throw new InvalidDataException($"malformed .tflite file: {e.Message}", e); }
        catch (TfliteImportException e) { throw new InvalidDataException($"cannot import {file}: {e.Message}", e); }
        catch (Micro.Tooling.Onnx.OnnxImportException e) { throw new InvalidDataException($"cannot import {file}: {e.Message}", e); }
        catch (Micro.Tooling.Data.DataFormatException e) { throw new InvalidDataException($"calibration data: {e.Message}", e); }
        catch (PrecisionTargetException e)
        {
            PrintSteps(e.Steps, e.Target);
            return CommandErrors.Fail(e.Message, ExitCodes.CheckFailed);
        }
        if (result.PrecisionSteps is { } steps && options.AutoPrecisionDb is { } target) PrintSteps(steps, target);

        if (board != null)
        {
            var fit = BoardFit.Check(board, result.Blob.Length, result.ArenaBytes);
            if (!fit.Fits) return CommandErrors.Fail(fit.ToString(), ExitCodes.CheckFailed);
            AnsiConsole.MarkupLine(Markup.Escape(fit.ToString()));
        }
        AtomicFile.WriteAllBytes(output.FullName, result.Blob);
        AnsiConsole.MarkupLine(Markup.Escape($"{output.Name}: blob {result.Blob.Length:N0} B (source {result.SourceBytes:N0} B), arena {result.ArenaBytes:N0} B (lower bound {result.ArenaLowerBound:N0} B), {result.Macs:N0} MACs"));
        foreach (var note in result.Notes) AnsiConsole.MarkupLine(Markup.Escape(note));
        return ExitCodes.Ok;
    }

    /// <summary>The --auto-precision table: one row per configuration measured.</summary>
    private static void PrintSteps(IReadOnlyList<PrecisionStep> steps, double target)
    {
        var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape($"--auto-precision {target:0.##} dB (output SQNR vs the float model on the calibration data)"));
        foreach (var h in new[] { "step", "raised", "int16 layers", "output SQNR", "blob B", "arena B" }) table.AddColumn(h);
        foreach (var s in steps)
            table.AddRow(new[] { s.Step.ToString(), s.Raised ?? "", s.Int16Layers.Count == 0 ? "(none)" : string.Join(", ", s.Int16Layers),
                double.IsPositiveInfinity(s.OutputSqnrDb) ? "exact" : s.OutputSqnrDb.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " dB",
                s.BlobBytes.ToString("N0"), s.ArenaBytes.ToString("N0") }.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }
}
