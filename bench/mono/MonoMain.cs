// Entry point of the Mono interpreter harness (bench/run-interpreter.sh compiles this with mcs together with
// firmware/Micro.Runtime/**/*.cs and tests/Micro.Benchmarks/Portable/*.cs).
public static class MonoMain
{
    public static int Main(string[] args)
    {
        return Micro.Benchmarks.Portable.Harness.Run(args);
    }
}
