using Micro.Runtime;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.Tooling.Packing;

/// <summary>An exit head to mark: the graph output that holds its class scores, and its margin threshold (null = calibrate).</summary>
public sealed record ExitHeadRequest(string Output, int? Threshold)
{
    /// <summary>Parses NODE:THRESHOLD or NODE:auto.</summary>
    public static ExitHeadRequest Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) throw new ArgumentException($"--exit '{text}': expected NODE:THRESHOLD or NODE:auto");
        string node = text[..colon], t = text[(colon + 1)..];
        if (t.Equals("auto", StringComparison.OrdinalIgnoreCase)) return new ExitHeadRequest(node, null);
        if (!int.TryParse(t, out int v) || v < 0 || v > 255) throw new ArgumentException($"--exit '{text}': the threshold is a quantized logit margin 0..255, or auto");
        return new ExitHeadRequest(node, v);
    }
}

/// <summary>What the exit calibration found for one head.</summary>
public sealed record ExitHeadCalibration(string Output, int Group, int Threshold, double ExitShare, double Agreement, long MacsSavedPerExit);

/// <summary>
/// Turns extra graph outputs (exit heads the model already has) into the blob's early exits:
/// 1. the head's ops are those the exit output needs and no remaining output needs;
/// 2. they move to just after the last main op they read, so the runtime can stop there;
/// 3. with `auto`, the threshold is the smallest margin (top-1 − top-2 of the head's int8 scores) at which,
///    on the calibration samples, the head agrees with the final output on at least `agreement` of the
///    samples that would exit.
/// </summary>
public static class ExitHeads
{
    public static void Mark(QGraph g, IReadOnlyList<ExitHeadRequest> requests)
    {
        if (requests.Count == 0) return;
        var exitTensors = requests.Select(r => g.Outputs.FirstOrDefault(t => t.Name == r.Output)
            ?? throw new ArgumentException($"--exit {r.Output}: no graph output of that name (outputs: {string.Join(", ", g.Outputs.Select(t => t.Name))})")).ToList();
        foreach (var t in exitTensors) g.Outputs.Remove(t);
        if (g.Outputs.Count == 0) throw new ArgumentException("every output was marked as an exit: the main output must remain");
        var main = g.Outputs[0];
        foreach (var t in exitTensors)
            if (t.Channels != main.Channels || t.ElementCount != t.Channels)
                throw new ArgumentException($"exit '{t.Name}' has shape [{string.Join(",", t.Shape)}]; it must be [1, {main.Channels}] class scores like '{main.Name}'");

        var producer = g.Ops.ToDictionary(o => o.Output);
        HashSet<QOp> Needed(IEnumerable<QTensor> roots)
        {
            var set = new HashSet<QOp>();
            var stack = new Stack<QTensor>(roots);
            while (stack.Count > 0)
                if (producer.TryGetValue(stack.Pop(), out var op) && set.Add(op))
                    foreach (var x in op.Inputs) stack.Push(x);
            return set;
        }
        var mainOps = Needed(g.Outputs);
        var heads = exitTensors.Select(t => g.Ops.Where(Needed(new[] { t }).Contains).Where(o => !mainOps.Contains(o)).ToList()).ToList();
        for (int e = 0; e < heads.Count; e++)
            if (heads[e].Count == 0) throw new ArgumentException($"exit '{exitTensors[e].Name}' has no ops of its own: it is computed entirely by the main graph");

        // Each head goes right after the last main op it reads; heads are numbered in that order.
        var order = g.Ops.Where(mainOps.Contains).ToList();
        int InsertAfter(List<QOp> head) => head.SelectMany(o => o.Inputs).Where(producer.ContainsKey).Select(x => producer[x])
            .Where(mainOps.Contains).Select(o => order.IndexOf(o)).DefaultIfEmpty(-1).Max();
        var placed = heads.Select((h, i) => (Head: h, Tensor: exitTensors[i], Request: requests[i], At: InsertAfter(h)))
            .OrderBy(p => p.At).ToList();
        var newOps = new List<QOp>();
        for (int i = -1; i < order.Count; i++)
        {
            if (i >= 0) newOps.Add(order[i]);
            foreach (var p in placed.Where(p => p.At == i)) newOps.AddRange(p.Head);
        }
        g.Ops.Clear();
        g.Ops.AddRange(newOps);
        g.Exits.Clear();
        for (int k = 0; k < placed.Count; k++)
        {
            foreach (var op in placed[k].Head) op.ExitGroup = k + 1;
            g.Exits.Add(new QExit(k + 1, placed[k].Tensor, placed[k].Request.Threshold ?? 0));
        }
    }

    /// <summary>
    /// Sets every `auto` exit's threshold from the calibration samples (already in the blob's input layout):
    /// runs the full network once per sample and keeps each head's margin and class.
    /// </summary>
    public static List<ExitHeadCalibration> Calibrate(QGraph g, IReadOnlyList<ExitHeadRequest> requests, IReadOnlyList<float[]> samples, double agreement)
    {
        var result = new List<ExitHeadCalibration>();
        if (g.Exits.Count == 0) return result;
        var runner = new Running.BlobRunner(BlobEmitter.Emit(g), earlyExit: true);
        var it = runner.Interpreter;
        int n = samples.Count, exits = g.Exits.Count;
        var margins = new int[exits][];
        var agrees = new bool[exits][];
        for (int e = 0; e < exits; e++) { margins[e] = new int[n]; agrees[e] = new bool[n]; }
        // Thresholds beyond any margin make every head run and never exit, so each head's margin is observed.
        foreach (var x in runner.Model.Exits) x.Threshold = int.MaxValue;
        for (int s = 0; s < n; s++)
        {
            Running.BlobRunner.Quantize(samples[s], runner.Input, it.Arena);
            it.Invoke();
            int final = it.ArgMax(0);
            for (int e = 0; e < exits; e++)
            {
                margins[e][s] = it.ExitMargins[e];
                agrees[e][s] = it.ExitClasses[e] == final;
            }
        }
        long full = runner.Model.MainMacs;
        for (int e = 0; e < exits; e++)
        {
            var x = g.Exits[e];
            var request = requests.First(r => r.Output == x.Output.Name);
            int threshold = request.Threshold ?? ChooseThreshold(margins[e], agrees[e], agreement);
            g.Exits[e] = x with { Threshold = threshold };
            int taken = 0, agreeing = 0;
            for (int s = 0; s < n; s++)
                if (margins[e][s] >= threshold) { taken++; if (agrees[e][s]) agreeing++; }
            var info = runner.Model.Exits[e];
            long macsWhenTaken = runner.Model.Ops.Take(info.LastOp + 1).Where(o => o.ExitGroup == 0 || o.ExitGroup == e + 1).Sum(o => o.Macs);
            result.Add(new ExitHeadCalibration(x.Output.Name, e + 1, threshold, n == 0 ? 0 : (double)taken / n,
                taken == 0 ? 1 : (double)agreeing / taken, full + info.HeadMacs - macsWhenTaken));
        }
        return result;
    }

    /// <summary>The smallest threshold whose exiting samples agree with the final output at least `agreement` of the time.</summary>
    public static int ChooseThreshold(int[] margins, bool[] agrees, double agreement)
    {
        var candidates = margins.Distinct().OrderBy(v => v).ToList();
        foreach (int t in candidates)
        {
            int taken = 0, ok = 0;
            for (int s = 0; s < margins.Length; s++)
                if (margins[s] >= t) { taken++; if (agrees[s]) ok++; }
            if (taken > 0 && ok >= agreement * taken) return t;
        }
        return candidates.Count == 0 ? 256 : candidates[^1] + 1; // never exits
    }
}
