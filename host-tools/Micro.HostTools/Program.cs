using System.CommandLine;
using Micro.HostTools.Commands;

namespace Micro.HostTools;

public static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("micro: pack, inspect, run and verify INT8 models for .NET microcontrollers");
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PackCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(DatasetCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root;
    }
}
