using System.CommandLine;
using Micro.Tooling.Recordings;
using Micro.Tooling.Training;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro dataset --data DIR --output DIR [--stride S] [--channels 1|2]</summary>
public static class DatasetCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "folder holding ppg_arrhythmia_liu2022/, cinc2015_false_alarm/, troika_spc2015/ (any present)", Required = true };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "folder for windows.npy, labels.npy, groups.npy, sources.npy, index.csv", Required = true };
        var stride = new Option<int>("--stride") { Description = "seconds between windows of one recording", DefaultValueFactory = _ => 2 };
        var channels = new Option<int>("--channels") { Description = "1 = the PPG window; 2 = PPG + tachogram (beat intervals aligned to the window)", DefaultValueFactory = _ => 1 };
        var cmd = new Command("dataset", "build the rhythm classifier's training windows by running the device's heart-rate chain over the recordings");
        cmd.Options.Add(data);
        cmd.Options.Add(output);
        cmd.Options.Add(stride);
        cmd.Options.Add(channels);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(data)!, r.GetValue(output)!, r.GetValue(stride), r.GetValue(channels))));
        return cmd;
    }

    public static int Execute(DirectoryInfo data, DirectoryInfo output, int stride, int channels = 1)
    {
        if (stride < 1) throw new ArgumentException("--stride must be at least 1");
        if (channels < 1 || channels > HeartRate.HeartRateMonitor.MaxWindowChannels) throw new ArgumentException("--channels must be 1 or 2");
        RhythmDataset ds;
        try
        {
            ds = RhythmDatasetBuilder.Build(data.FullName, new DatasetOptions { StrideSeconds = stride, Channels = channels }, Console.Out);
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        RhythmDatasetBuilder.Write(ds, output.FullName);
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("source");
        foreach (var c in Enum.GetValues<RhythmClass>()) table.AddColumn(c.ToString());
        table.AddColumn("groups");
        foreach (var s in Enum.GetValues<WindowSource>())
        {
            var w = ds.Windows.Where(x => x.Source == s).ToList();
            if (w.Count == 0) continue;
            var row = new List<string> { s.ToString() };
            foreach (var c in Enum.GetValues<RhythmClass>()) row.Add(w.Count(x => x.Label == c).ToString());
            row.Add(w.Select(x => x.Group).Distinct().Count().ToString());
            table.AddRow(row.ToArray());
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{ds.Windows.Count} windows written to {Markup.Escape(output.FullName)}");
        return ExitCodes.Ok;
    }
}
