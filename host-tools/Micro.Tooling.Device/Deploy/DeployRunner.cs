using System.Diagnostics;

namespace Micro.Tooling.Deploy;

/// <summary>Runs a plan's commands in order with the tool found on the machine; stops at the first failure.</summary>
public static class DeployRunner
{
    /// <summary>The result of running a plan: how many steps succeeded and, on failure, which one and its exit code.</summary>
    public sealed record Outcome(int Completed, DeployStep? Failed, int ExitCode);

    /// <summary>
    /// Writes nanoff's deploy.json first (atomically), then runs each step with toolPath; the child's output
    /// goes to the console as it comes. log receives one line per step.
    /// </summary>
    public static Outcome Run(DeployPlan plan, string toolPath, TextWriter log)
    {
        WriteFiles(plan);
        int done = 0;
        foreach (var step in plan.Steps)
        {
            log.WriteLine($"==> {step.Title}: {step.CommandLine}");
            log.Flush();
            var psi = new ProcessStartInfo(toolPath) { UseShellExecute = false };
            foreach (string a in step.Arguments) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi) ?? throw new IOException($"could not start {toolPath}");
            process.WaitForExit();
            if (process.ExitCode != 0) return new Outcome(done, step, process.ExitCode);
            done++;
        }
        return new Outcome(done, null, 0);
    }

    /// <summary>Writes the files the commands read (nanoff's deploy.json), whole or not at all.</summary>
    public static void WriteFiles(DeployPlan plan)
    {
        if (plan.FileDeploymentPath != null && plan.FileDeploymentJson != null)
            AtomicFile.WriteAllText(plan.FileDeploymentPath, plan.FileDeploymentJson + Environment.NewLine);
    }
}
