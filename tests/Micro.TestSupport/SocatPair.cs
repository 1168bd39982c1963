#nullable enable
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Micro.TestSupport;

/// <summary>
/// Two linked pseudo-terminals made by socat (tests/setup.sh installs it): bytes written to <see cref="B"/> come out
/// of <see cref="A"/> and back. <see cref="Stop"/> ends socat like an unplugged cable (the ptys vanish);
/// <see cref="Start"/> brings the same link names back. Everything is bounded by timeouts and removed on dispose.
/// </summary>
public sealed class SocatPair : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);
    private readonly StringBuilder _log = new();
    private Process? _socat;

    private SocatPair()
    {
        Dir = Directory.CreateTempSubdirectory("micro-serial-").FullName;
        A = Path.Combine(Dir, "a");
        B = Path.Combine(Dir, "b");
    }

    public string Dir { get; }

    public string A { get; }

    public string B { get; }

    public static string? SocatPath =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "socat")).FirstOrDefault(File.Exists);

    /// <summary>A running pair, or Assert.Inconclusive when this machine has no socat (CI has it: tests/setup.sh).</summary>
    public static SocatPair Launch()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Inconclusive("pseudo-terminal tests need Linux or macOS");
        if (SocatPath is null) Assert.Inconclusive("socat is not installed (run tests/setup.sh)");
        var pair = new SocatPair();
        try
        {
            pair.Start();
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    public void Start()
    {
        if (_socat is { HasExited: false }) throw new InvalidOperationException("socat is already running");
        var psi = new ProcessStartInfo(SocatPath!) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-d", "-d", $"pty,raw,echo=0,link={A}", $"pty,raw,echo=0,link={B}" }) psi.ArgumentList.Add(arg);
        _socat = Process.Start(psi)!;
        _socat.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _socat.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _socat.BeginErrorReadLine();
        _socat.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(A) && File.Exists(B))) // File.Exists follows the links: true once the ptys are there
        {
            if (_socat.HasExited || clock.Elapsed > StartTimeout)
                throw new AssertFailedException($"socat did not make {A} and {B} within {StartTimeout.TotalSeconds} s:\n{Log}");
            Thread.Sleep(10);
        }
    }

    /// <summary>Ends socat with SIGTERM (it removes its links), SIGKILL if it lingers; leftover links are deleted.</summary>
    public void Stop()
    {
        if (_socat is { } p)
        {
            if (!p.HasExited)
            {
                _ = kill(p.Id, SigTerm);
                if (!p.WaitForExit(3000)) p.Kill();
                p.WaitForExit(3000);
            }
            p.Dispose();
            _socat = null;
        }
        foreach (string link in new[] { A, B })
            if (new FileInfo(link).LinkTarget is not null || File.Exists(link)) File.Delete(link);
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
