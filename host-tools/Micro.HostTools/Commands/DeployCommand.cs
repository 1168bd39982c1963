using System.CommandLine;
using Micro.Tooling.Boards;
using Micro.Tooling.Deploy;

namespace Micro.HostTools.Commands;

/// <summary>micro deploy --board NAME --port PORT [--model FILE.mblob] [--app IMAGE] [--run] [--out DIR] [--boards DIR]</summary>
public static class DeployCommand
{
    /// <summary>The parsed command line. App may name a folder (Meadow: the folder App.dll was built into).</summary>
    public sealed record Options(string Board, string Port, FileInfo? Model, FileInfo? App, bool Run, DirectoryInfo? Out, DirectoryInfo? Boards);

    public static Command Create()
    {
        var board = new Option<string>("--board", "-b") { Description = "board name: a file in boards/ without .json (esp32-devkitc, esp32-s3-devkitc, stm32f769i-disco, meadow-f7v2-feather)", Required = true };
        var port = new Option<string>("--port", "-p") { Description = "serial port of the board (COM5, /dev/ttyUSB0)", Required = true };
        var model = new Option<FileInfo>("--model", "-m") { Description = "model blob (.mblob) to copy to the board's storage" };
        // A string, not a FileInfo: Meadow takes App.dll or the folder it was built into; the planner checks which.
        var app = new Option<string>("--app", "-a") { Description = "application to deploy: nanoFramework Micro.Nano.bin, Meadow App.dll or its folder" };
        var run = new Option<bool>("--run") { Description = "run the commands (needs nanoff or the meadow CLI); without it they are only printed" };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "folder for generated files (nanoff's deploy.json); default: the current folder" };
        var boards = new Option<DirectoryInfo>("--boards") { Description = "folder with the board files; default: boards/ of the clone you are in, else the copy shipped with micro" };
        var cmd = new Command("deploy", "flash the firmware and deploy the app and model to a board: prints (or with --run runs) the exact nanoff / meadow commands");
        foreach (var o in new Option[] { board, port, model, app, run, outDir, boards }) cmd.Options.Add(o);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(
            new Options(r.GetValue(board)!, r.GetValue(port)!, r.GetValue(model), r.GetValue(app) is string a ? new FileInfo(a) : null, r.GetValue(run), r.GetValue(outDir), r.GetValue(boards)),
            Console.Out)));
        return cmd;
    }

    /// <summary>
    /// Plans the deployment, writes deploy.json when a model goes to a nanoFramework board, then prints the
    /// commands or runs them. searchPath / dotnetTools override where the tool is looked for (tests).
    /// </summary>
    public static int Execute(Options o, TextWriter output, string? searchPath = null, string? dotnetTools = null)
    {
        BoardDescription board = LoadBoard(o);
        string outDir = (o.Out ?? new DirectoryInfo(Directory.GetCurrentDirectory())).FullName;
        var plan = DeployPlanner.Plan(new DeployRequest(board, o.Port, o.Model?.FullName, o.App?.FullName, outDir));

        output.WriteLine($"Board {board.Name} ({RuntimeName(board)}{(board.Deploy.NanoffTarget is string t ? ", nanoff target " + t : "")}) on {o.Port}");
        if (plan.FileDeploymentPath != null)
        {
            Directory.CreateDirectory(outDir);
            DeployRunner.WriteFiles(plan);
            output.WriteLine($"Wrote {plan.FileDeploymentPath}");
        }
        foreach (string note in plan.Notes) output.WriteLine("Note: " + note);
        output.WriteLine();

        string? tool = ToolLocator.Find(plan.Tool, searchPath, dotnetTools);
        if (!o.Run)
        {
            for (int i = 0; i < plan.Steps.Count; i++)
            {
                output.WriteLine($"{i + 1}. {plan.Steps[i].Title}");
                output.WriteLine("   " + plan.Steps[i].CommandLine);
            }
            output.WriteLine();
            if (tool == null) output.WriteLine($"{plan.Tool} is not installed (not on PATH). Install it with: {plan.InstallCommand}");
            output.WriteLine($"Run the commands above in order, or add --run to let micro run them{(tool == null ? " once " + plan.Tool + " is installed" : "")}.");
            output.WriteLine($"Alerts come out of {board.Alerts.SerialPort} (TX pin {board.Alerts.TxPin}, {board.Alerts.Baud} baud): wire a USB-serial adapter's RX to pin {board.Alerts.TxPin} and GND to GND, then run: micro monitor --port <adapter port>");
            return ExitCodes.Ok;
        }

        if (tool == null)
        {
            output.Flush();
            return CommandErrors.Fail($"{plan.Tool} is not installed (not on PATH or in ~/.dotnet/tools). Install it with: {plan.InstallCommand}", ExitCodes.CheckFailed);
        }
        var outcome = DeployRunner.Run(plan, tool, output);
        if (outcome.Failed != null)
        {
            output.Flush();
            return CommandErrors.Fail($"step {outcome.Completed + 1} failed with exit code {outcome.ExitCode}: {outcome.Failed.CommandLine}", ExitCodes.CheckFailed);
        }
        output.WriteLine($"Done: {outcome.Completed} step(s).");
        return ExitCodes.Ok;
    }

    private static string RuntimeName(BoardDescription b) => b.Runtime == BoardRuntime.Meadow ? "Meadow" : "nanoFramework";

    // Same lookup as inspect --board: the clone's boards/, else the copy shipped with the tool; --boards overrides.
    private static BoardDescription LoadBoard(Options o) => BoardsFolder.Load(o.Board, o.Boards?.FullName);
}
