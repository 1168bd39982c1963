using System.Collections.Concurrent;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Micro.Benchmarks.Cases;

namespace Micro.Benchmarks.Jit
{
    /// <summary>MACs per call and median ns per MAC (or per output element for ops without MACs).</summary>
    public sealed class PerWorkColumn : IColumn
    {
        public enum What { Macs, NsPerMac, NsPerElement }

        private static readonly ConcurrentDictionary<string, (long Macs, long Elements)> Work = new();
        private readonly What what;

        public PerWorkColumn(What what) => this.what = what;

        public string Id => "Micro." + what;
        public string ColumnName => what switch { What.Macs => "MACs", What.NsPerMac => "ns/MAC", _ => "ns/elem" };
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => (int)what;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => what switch
        {
            What.Macs => "Multiply-accumulates per call (Model.MainMacs)",
            What.NsPerMac => "Median ns per multiply-accumulate (median: least disturbed by other processes)",
            _ => "Median ns per output element",
        };

        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            string name = benchmarkCase.Parameters["Case"] as string;
            if (name == null) return "-";
            var (macs, elements) = Work.GetOrAdd(name, n =>
            {
                var m = BenchCases.Get(n).TryLoad(out _);
                return m == null ? (0, 1) : (m.MainMacs, m.Tensors[m.Outputs[0]].ElementCount);
            });
            if (what == What.Macs) return macs.ToString();
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics == null) return "NA";
            double ns = report.ResultStatistics.Median;
            if (what == What.NsPerMac) return macs > 0 ? (ns / macs).ToString("0.000") : "-";
            return (ns / elements).ToString("0.00");
        }
    }
}
