using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Micro.Benchmarks.Cases;
using Micro.Benchmarks.Portable;
using Micro.Runtime;

namespace Micro.Benchmarks.Jit
{
    /// <summary>
    /// Every case (one op per kernel, and whole models) through the device path: Model.Load of a real blob,
    /// then Interpreter.Invoke. Cases whose kernel is not in the runtime yet are left out (Program prints why).
    /// </summary>
    [MemoryDiagnoser]
    public class KernelBenchmarks
    {
        public static IEnumerable<string> Cases() => BenchCases.All.Where(c => c.TryLoad(out _) != null).Select(c => c.Name);

        [ParamsSource(nameof(Cases))]
        public string Case { get; set; }

        private Interpreter interpreter;

        [GlobalSetup]
        public void Setup()
        {
            var m = BenchCases.Get(Case).TryLoad(out string why) ?? throw new InvalidOperationException(why);
            interpreter = new Interpreter(m) { EarlyExitEnabled = false };
            Styles.RandomInputs(interpreter, 42);
        }

        [Benchmark]
        public int Invoke() => interpreter.Invoke();
    }

    /// <summary>Case × style: the runtime's kernel, the naive baseline and candidate loops, each checked bit-exact at setup.</summary>
    public abstract class StyleBenchmarksBase
    {
        protected KernelStyle style;

        public abstract string CaseName { get; }
        public abstract string StyleName { get; }

        [GlobalSetup]
        public void Setup()
        {
            var m = BenchCases.Get(CaseName).TryLoad(out string why) ?? throw new InvalidOperationException(why);
            var it = new Interpreter(m) { EarlyExitEnabled = false };
            Styles.RandomInputs(it, 42);
            style = Styles.Create(StyleName, it) ?? throw new InvalidOperationException($"style {StyleName} does not apply to {CaseName}");
            int diff = Styles.Verify(style);
            if (diff != 0) throw new InvalidOperationException($"{StyleName} on {CaseName}: {diff} output bytes differ from the runtime's");
        }

        [Benchmark]
        public void Run() => style.Run();

        protected static IEnumerable<string> Loadable(string kind) =>
            BenchCases.All.Where(c => c.Kind == kind && c.TryLoad(out _) != null).Select(c => c.Name);
    }

    [MemoryDiagnoser]
    public class FcStyleBenchmarks : StyleBenchmarksBase
    {
        public static IEnumerable<string> Cases() => Loadable("FC");
        public static IEnumerable<string> StyleNames() => Styles.FcStyles.Where(s => s != "Interpreter");

        [ParamsSource(nameof(Cases))]
        public string Case { get; set; }

        [ParamsSource(nameof(StyleNames))]
        public string Style { get; set; }

        public override string CaseName => Case;
        public override string StyleName => Style;
    }

    [MemoryDiagnoser]
    public class Conv1DStyleBenchmarks : StyleBenchmarksBase
    {
        public static IEnumerable<string> Cases() => Loadable("Conv1D");
        public static IEnumerable<string> StyleNames() => Styles.Conv1DStyles.Where(s => s != "Interpreter");

        [ParamsSource(nameof(Cases))]
        public string Case { get; set; }

        [ParamsSource(nameof(StyleNames))]
        public string Style { get; set; }

        public override string CaseName => Case;
        public override string StyleName => Style;
    }
}

namespace Micro.Benchmarks.Jit
{
    [MemoryDiagnoser]
    public class DepthwiseStyleBenchmarks : StyleBenchmarksBase
    {
        public static IEnumerable<string> Cases() => Loadable("DepthwiseConv2D");
        public static IEnumerable<string> StyleNames() => Styles.DepthwiseStyles.Where(s => s != "Interpreter");

        [ParamsSource(nameof(Cases))]
        public string Case { get; set; }

        [ParamsSource(nameof(StyleNames))]
        public string Style { get; set; }

        public override string CaseName => Case;
        public override string StyleName => Style;
    }
}
