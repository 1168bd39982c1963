using System.Diagnostics;

namespace Micro.Nano.Tests.Support;

/// <summary>One finished process: exit code, stdout, stderr and how long it took.</summary>
internal sealed record ProcResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public string Both => Stdout + (Stderr.Length > 0 ? "\n" + Stderr : "");
}

internal static class Proc
{
    /// <summary>Runs a program to its end (killed after timeout) and captures its output.</summary>
    public static ProcResult Run(string file, IEnumerable<string> args, string? workingDir = null, int timeoutSeconds = 600)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDir ?? NanoToolchain.RepoRoot,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new ProcResult(124, stdout.Result, stderr.Result + $"\n(killed after {timeoutSeconds} s)", sw.Elapsed);
        }
        p.WaitForExit();
        return new ProcResult(p.ExitCode, stdout.Result, stderr.Result, sw.Elapsed);
    }

    /// <summary>nf (shared/nanoframework/nf) with these arguments.</summary>
    public static ProcResult Nf(IEnumerable<string> args, int timeoutSeconds = 600) =>
        Run("bash", new[] { NanoToolchain.Nf }.Concat(args), timeoutSeconds: timeoutSeconds);
}
