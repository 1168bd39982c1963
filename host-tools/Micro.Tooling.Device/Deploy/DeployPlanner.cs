using Micro.Runtime;
using Micro.Tooling.Boards;

namespace Micro.Tooling.Deploy;

/// <summary>
/// Turns a board and the files to deploy into the exact commands. nanoFramework boards use nanoff
/// (nanoframework/nanoFirmwareFlasher): flash the firmware (ESP32 over the serial port, STM32 over the
/// on-board ST-LINK with --jtag) pinned with --fwversion to a 1.x release (an unpinned --update takes the
/// latest stable, and a 2.x firmware would refuse the v1 PE files our build writes), copy the model to the
/// board's storage file (boards/*.json deploy.model_file) with a --filedeployment JSON, and deploy the
/// application image through the running nanoCLR (--nanodevice, which knows its deployment region) last:
/// file deployment does not reboot, the app deployment does, so the app starts with the model in place.
/// The file step is given without --nanodevice: nanoff returns after the --nanodevice operations and would
/// skip it; alone it connects to the SerialPort named in the JSON. A board without model_file
/// (STM32F769I-DISCO: no I: drive) gets no file step: the model embedded in the app image runs. Meadow boards use
/// the meadow CLI (WildernessLabs/Meadow.CLI): route, Meadow.OS download and write, app deploy, and the
/// model into /meadow0/Data (a folder app deploy does not clean).
/// </summary>
public static class DeployPlanner
{
    /// <summary>The nanoFramework firmware release `micro deploy` flashes: a 1.x release (PE format v1, what
    /// tests/nano builds against: mscorlib 1.17). Change it only after running the app on a board with the new one.</summary>
    public const string NanoFirmwareVersion = "1.16.0.602";
    public const string MeadowModelPath = "Data/heart-rate.mblob";
    public const string FileDeploymentName = "deploy.json";
    public const string NanoffInstall = "dotnet tool install -g nanoff";
    public const string MeadowInstall = "dotnet tool install -g WildernessLabs.Meadow.CLI";

    /// <summary>Builds the plan; checks the files (model loads and fits, app image exists). Writes nothing.</summary>
    public static DeployPlan Plan(DeployRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Port)) throw new ArgumentException("a serial port is required (e.g. COM5 or /dev/ttyUSB0)");
        if (request.Port.Any(char.IsWhiteSpace)) throw new ArgumentException($"serial port '{request.Port}' contains spaces");
        var notes = new List<string>();
        string? model = request.ModelPath == null ? null : Path.GetFullPath(request.ModelPath);
        if (model != null) CheckModel(request.Board, model, notes);
        string? app = request.AppPath == null ? null : Path.GetFullPath(request.AppPath);
        return request.Board.Runtime == BoardRuntime.Meadow
            ? Meadow(request, model, app, notes)
            : Nano(request, model, app, notes);
    }

    private static void CheckModel(BoardDescription board, string model, List<string> notes)
    {
        if (Directory.Exists(model)) throw new ArgumentException($"--model {model} is a folder, not a .mblob file");
        if (!File.Exists(model)) throw new FileNotFoundException($"model not found: {model}");
        Model m = ModelCheck.Load(model);
        long blob = new FileInfo(model).Length;
        if (!board.Fits(blob, m.ArenaSize))
            notes.Add($"The model needs {blob:N0} B of blob and {m.ArenaSize:N0} B of arena; {board.Name} budgets {board.ModelBudget.BlobBytes:N0} B and {board.ModelBudget.ArenaBytes:N0} B. " +
                      "It may not fit the managed heap; the firmware then falls back to rule-based alarms and reports MODEL.");
    }

    private static DeployPlan Nano(DeployRequest r, string? model, string? app, List<string> notes)
    {
        var b = r.Board;
        string target = b.Deploy.NanoffTarget ?? throw new InvalidDataException($"{b.Name}: board file has no deploy.nanoff_target");
        var steps = new List<DeployStep>();
        bool jtag = b.Mcu.StartsWith("STM32", StringComparison.Ordinal);
        steps.Add(jtag
            ? new DeployStep("Flash the nanoFramework firmware over the on-board ST-LINK", "nanoff", ["--update", "--target", target, "--fwversion", NanoFirmwareVersion, "--jtag"])
            : new DeployStep("Flash the nanoFramework firmware", "nanoff", ["--update", "--target", target, "--fwversion", NanoFirmwareVersion, "--serialport", r.Port]));
        string? jsonPath = null, json = null;
        if (model != null && b.Deploy.ModelFile is string modelFile)
        {
            jsonPath = Path.GetFullPath(Path.Combine(r.OutputDirectory, FileDeploymentName));
            json = new FileDeployment(r.Port, [new FileDeploymentEntry(modelFile, model)]).ToJson();
            steps.Add(new DeployStep($"Copy the model to the board's storage ({modelFile}); before the app, whose deployment reboots the board", "nanoff", ["--filedeployment", jsonPath]));
        }
        else if (model != null)
            notes.Add($"{b.Name} has no storage the firmware reads (no I: drive), so no model file is copied: the app runs the model embedded in its image " +
                      "(firmware/Micro.Nano/nano/Resources.resx, entry heart_rate). To run another model there, put its .mblob in that resource and rebuild the app.");
        if (app != null)
        {
            if (Directory.Exists(app))
            {
                string[] images = Directory.GetFiles(app, "*.bin").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
                throw new ArgumentException($"--app {app} is a directory, not a file: nanoff deploys one .bin image (the nanoFramework build writes Micro.Nano.bin)" +
                    (images.Length == 0 ? "; there is no .bin file in that folder" : ": give the file, e.g. " + Path.Combine(app, images.Contains("Micro.Nano.bin") ? "Micro.Nano.bin" : images[0])));
            }
            if (!File.Exists(app)) throw new FileNotFoundException($"application image not found: {app}");
            if (!app.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"{Path.GetFileName(app)}: nanoff deploys the .bin image the nanoFramework build writes (Micro.Nano.bin), not a .dll or .pe");
            steps.Add(new DeployStep("Deploy the application image (the board reboots into it)", "nanoff", ["--nanodevice", "--serialport", r.Port, "--deploy", "--image", app]));
        }
        if (jtag) notes.Add($"{b.Name}: the firmware is flashed over the ST-LINK USB port; {r.Port} must be the board's serial port (its virtual COM port) for the deploy steps.");
        return new DeployPlan(b, "nanoff", NanoffInstall, steps, jsonPath, json, notes);
    }

    private static DeployPlan Meadow(DeployRequest r, string? model, string? app, List<string> notes)
    {
        var steps = new List<DeployStep>
        {
            new("Talk to the board on this port", "meadow", ["config", "route", r.Port]),
            new("Download the latest Meadow.OS", "meadow", ["firmware", "download"]),
            new("Write Meadow.OS to the board", "meadow", ["firmware", "write"]),
        };
        if (app != null)
        {
            if (!File.Exists(app) && !Directory.Exists(app)) throw new FileNotFoundException($"Meadow application not found: {app} (App.dll or the folder it was built into)");
            if (File.Exists(app) && !Path.GetFileName(app).Equals("App.dll", StringComparison.Ordinal))
                throw new ArgumentException($"{Path.GetFileName(app)}: meadow app deploy takes the built App.dll or its folder");
            steps.Add(new DeployStep("Deploy the application", "meadow", ["app", "deploy", app]));
        }
        if (model != null)
            steps.Add(new DeployStep("Copy the model to /meadow0/" + MeadowModelPath, "meadow", ["file", "write", "-f", model, "-t", MeadowModelPath]));
        if (app != null || model != null)
            steps.Add(new DeployStep("Start the application", "meadow", ["runtime", "enable"]));
        return new DeployPlan(r.Board, "meadow", MeadowInstall, steps, null, null, notes);
    }
}
