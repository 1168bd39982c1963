using Micro.Fuzz;

namespace Micro.HostTools.Tests.Fuzz;

/// <summary>
/// Replays what coverage-guided fuzzing kept (bench/fuzz.sh, bench/fuzz-keep.sh, docs/fuzzing.md) through the same
/// targets, without AFL: fuzz/regressions/TARGET holds every crash or hang it found (each fixed), fuzz/corpus/TARGET
/// the minimised corpus (inputs that reach distinct code). The .tflite corpus grows from TFLM's example models, which
/// are not in this repository, so for tflite those models are replayed instead (from ../shared, when it is there).
/// Every input must be accepted or refused with the parser's named error.
/// </summary>
[TestClass]
public class FuzzReplayTests
{
    private static string Root => Path.Combine(CliHarness.RepoRoot(), "fuzz");

    public static IEnumerable<object[]> Targets() => FuzzTargets.All.Keys.Select(t => new object[] { t });

    private static List<string> Inputs(string target)
    {
        var dirs = new List<string> { Path.Combine(Root, "regressions", target), Path.Combine(Root, "corpus", target) };
        if (target == "tflite")
            dirs.AddRange(new[] { "hello_world_int8", "micro_speech_quantized", "kws_ref_model" }
                .Select(m => Path.Combine(CliHarness.RepoRoot(), "..", "shared", "conformance", "tflite", m)));
        return dirs.Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Where(f => target != "tflite" || !f.Contains("conformance", StringComparison.Ordinal) || f.EndsWith(".tflite", StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [TestMethod]
    [DynamicData(nameof(Targets))]
    [Timeout(120_000)]
    public void KeptInputsAreAcceptedOrRefusedWithANamedError(string target)
    {
        var files = Inputs(target);
        int accepted = 0;
        foreach (string file in files)
        {
            try
            {
                if (FuzzTargets.Accepts(target, File.ReadAllBytes(file))) accepted++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{file}: {e.GetType().Name} escaped the {target} target: {e.Message}\n{e.StackTrace}");
            }
        }
        Console.WriteLine($"{target}: {files.Count} inputs, {accepted} accepted, {files.Count - accepted} refused");
    }

    [TestMethod]
    public void EveryTargetButTfliteHasACorpusAndSomeOfItIsAccepted()
    {
        foreach (string t in FuzzTargets.All.Keys.Where(t => t != "tflite"))
        {
            string dir = Path.Combine(Root, "corpus", t);
            Assert.IsTrue(Directory.Exists(dir), $"fuzz/corpus/{t} is missing (bench/fuzz-keep.sh makes it)");
            // A corpus the target refuses entirely would mean the harness never gets past the first check.
            Assert.IsTrue(Directory.EnumerateFiles(dir).Any(f => FuzzTargets.Accepts(t, File.ReadAllBytes(f))), $"nothing in fuzz/corpus/{t} is accepted");
        }
    }
}
