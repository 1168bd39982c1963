using Micro.Fuzz;
using SharpFuzz;

// Under afl-fuzz: persistent mode, one input per iteration; a refusal (the parser's named exception) is a normal
// outcome, anything else escaping is reported to AFL as a crash. Without AFL (`--replay FILE...`) it runs the
// files once each and prints what happened, for triage.
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Micro.Fuzz TARGET [--replay FILE...]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}
if (args.Length > 1 && args[1] == "--replay")
{
    foreach (string file in args.Skip(2))
    {
        try
        {
            target(File.ReadAllBytes(file));
            Console.WriteLine($"{file}: accepted");
        }
        catch (Exception e) when (FuzzTargets.IsRefusal(e))
        {
            Console.WriteLine($"{file}: refused: {e.Message}");
        }
    }
    return 0;
}
Fuzzer.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    try
    {
        target(copy.ToArray());
    }
    catch (Exception e) when (FuzzTargets.IsRefusal(e))
    {
    }
});
return 0;
