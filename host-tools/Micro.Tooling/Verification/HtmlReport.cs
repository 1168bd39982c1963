using System.Globalization;
using System.Net;
using System.Text;

namespace Micro.Tooling.Verification;

/// <summary>
/// A self-contained HTML page (inline CSS and SVG, no scripts or external files) for a VerifyReport: the
/// summary, SQNR per layer, the output error histogram and, with labels, the confusion matrices. Every plot
/// has both axes drawn, ticked and titled. Numbers a test or a script may read carry ids or data attributes
/// (the summary cells' ids, each confusion cell's data-true/data-pred).
/// </summary>
public static class HtmlReport
{
    public static string Render(VerifyReport r)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>micro verify: ").Append(E(r.ModelName)).Append("</title>");
        sb.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}" +
                  "th:first-child,td:first-child{text-align:left}h1{font-size:1.4em}.bad{color:#b00}.ok{color:#070}figure{margin:1.5em 0}svg text{font-family:system-ui,sans-serif}</style></head><body>");
        sb.Append("<h1>Float vs quantized: ").Append(E(r.ModelName)).Append("</h1>");
        sb.Append("<table><tr><th>measure</th><th>value</th></tr>");
        Row(sb, "samples", r.Samples.ToString(CultureInfo.InvariantCulture), "samples");
        if (r.InputLayout.Length > 0) Row(sb, "input data layout", r.InputLayout, "layout");
        if (r.SourceCheck != null) Row(sb, "blob packed from", r.SourceCheck, "source");
        Row(sb, "top-1 agreement", Pct(r.Top1Agreement), "top1");
        if (r.FloatAccuracy is double fa) Row(sb, "float accuracy", Pct(fa), "float-accuracy");
        if (r.QuantizedAccuracy is double qa) Row(sb, "quantized accuracy", Pct(qa), "quantized-accuracy");
        Row(sb, "output SQNR", Db(r.Output.SqnrDb), "sqnr");
        Row(sb, "output PSNR", Db(r.Output.PsnrDb), "psnr");
        Row(sb, "output cosine", r.Output.Cosine.ToString("F5", CultureInfo.InvariantCulture), "cosine");
        Row(sb, "output max abs error", r.Output.MaxAbsError.ToString("G4", CultureInfo.InvariantCulture), "max-abs");
        sb.Append("</table>");

        if (r.QuantizedConfusion is { } qc)
        {
            sb.Append("<h2>Confusion matrices (").Append(r.Samples.ToString(CultureInfo.InvariantCulture)).Append(" labelled samples)</h2>");
            sb.Append("<figure><figcaption>Quantized blob: true class × predicted class</figcaption>").Append(Confusion(qc, "blob")).Append("</figure>");
            if (r.FloatConfusion is { } fc)
                sb.Append("<figure><figcaption>Float model: true class × predicted class</figcaption>").Append(Confusion(fc, "float")).Append("</figure>");
        }
        sb.Append("<figure><figcaption>SQNR per layer (dB)</figcaption>").Append(LayerChart(r.Layers)).Append("</figure>");
        sb.Append("<figure><figcaption>Distribution of output errors (quantized − float)</figcaption>")
          .Append(Histogram(r.OutputErrorHistogram, r.HistogramBinWidth)).Append("</figure>");

        sb.Append("<h2>Per layer</h2><table><tr><th>tensor</th><th>op</th><th>SQNR dB</th><th>PSNR dB</th><th>cosine</th><th>max abs</th></tr>");
        foreach (var l in r.Layers)
            sb.Append("<tr><td>").Append(E(l.Tensor)).Append("</td><td>").Append(E(l.Op)).Append("</td><td>").Append(Db(l.Metrics.SqnrDb))
              .Append("</td><td>").Append(Db(l.Metrics.PsnrDb)).Append("</td><td>").Append(l.Metrics.Cosine.ToString("F4", CultureInfo.InvariantCulture))
              .Append("</td><td>").Append(l.Metrics.MaxAbsError.ToString("G4", CultureInfo.InvariantCulture)).Append("</td></tr>");
        sb.Append("</table></body></html>\n");
        return sb.ToString();
    }

    /// <summary>Horizontal bars: y axis the layer outputs in op order, x axis SQNR in dB from 0.</summary>
    private static string LayerChart(IReadOnlyList<LayerError> layers)
    {
        const int barH = 18, labelW = 220, chartW = 420, top = 8, axisH = 44, titleW = 22;
        double max = NiceCeiling(Math.Max(10, layers.Select(l => Finite(l.Metrics.SqnrDb)).DefaultIfEmpty(0).Max()));
        int plotH = Math.Max(1, layers.Count) * (barH + 4), x0 = titleW + labelW, w = x0 + chartW + 60, h = top + plotH + axisH;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"SQNR per layer\">");
        for (int i = 0; i < layers.Count; i++)
        {
            double v = Finite(layers[i].Metrics.SqnrDb);
            double bw = Math.Max(1, v / max * chartW);
            int y = top + i * (barH + 4);
            string color = v < 20 ? "#c0392b" : v < 30 ? "#e67e22" : "#27ae60";
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 - 6}\" y=\"{y + 13}\" font-size=\"12\" text-anchor=\"end\">{E(Trim(layers[i].Tensor, 32))}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0}\" y=\"{y}\" width=\"{bw:F1}\" height=\"{barH}\" fill=\"{color}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + bw + 4:F1}\" y=\"{y + 13}\" font-size=\"12\">{Db(layers[i].Metrics.SqnrDb)}</text>");
        }
        int yAxis = top + plotH;
        Axes(sb, x0, top, chartW, plotH);
        for (int k = 0; k <= 4; k++)
        {
            double x = x0 + k * chartW / 4.0;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{yAxis}\" x2=\"{x:F1}\" y2=\"{yAxis + 5}\" stroke=\"#333\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{yAxis + 18}\" font-size=\"11\" text-anchor=\"middle\">{max * k / 4:0.#}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{x0 + chartW / 2}\" y=\"{yAxis + 38}\" font-size=\"12\" text-anchor=\"middle\">output SQNR of the layer (dB)</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" transform=\"translate(14,{top + plotH / 2}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">layer output (op order)</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Bars of error counts: x axis the error (quantized − float, ± the largest), y axis how many output values.</summary>
    private static string Histogram(double[] bins, double binWidth)
    {
        const int plotW = 600, plotH = 160, left = 70, top = 8, axisH = 44;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + plotW + 20}\" height=\"{top + plotH + axisH}\" role=\"img\" aria-label=\"error histogram\">");
        double max = bins.DefaultIfEmpty(0).Max();
        double yMax = NiceCeiling(Math.Max(1, max));
        if (bins.Length > 0 && max > 0)
        {
            double bw = (double)plotW / bins.Length;
            for (int i = 0; i < bins.Length; i++)
            {
                double bh = bins[i] / yMax * plotH;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + i * bw:F1}\" y=\"{top + plotH - bh:F1}\" width=\"{Math.Max(1, bw - 1):F1}\" height=\"{bh:F1}\" fill=\"#2e86c1\"><title>{bins[i]:0}</title></rect>");
            }
        }
        Axes(sb, left, top, plotW, plotH);
        double half = bins.Length / 2.0 * binWidth;
        int yAxis = top + plotH;
        foreach (var (frac, value) in new[] { (0.0, -half), (0.5, 0.0), (1.0, half) })
        {
            double x = left + frac * plotW;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{yAxis}\" x2=\"{x:F1}\" y2=\"{yAxis + 5}\" stroke=\"#333\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{yAxis + 18}\" font-size=\"11\" text-anchor=\"middle\">{value:G3}</text>");
        }
        for (int k = 0; k <= 4; k++)
        {
            double y = yAxis - k * plotH / 4.0;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left - 5}\" y1=\"{y:F1}\" x2=\"{left}\" y2=\"{y:F1}\" stroke=\"#333\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{y + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{yMax * k / 4:0.#}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{left + plotW / 2}\" y=\"{yAxis + 38}\" font-size=\"12\" text-anchor=\"middle\">output error, quantized − float (bin width {binWidth:G3})</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" transform=\"translate(14,{top + plotH / 2}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">output values</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>A grid of counts, rows the true class, columns the predicted one; the diagonal is green, the rest red, shaded by share of the row.</summary>
    private static string Confusion(int[][] m, string which)
    {
        int n = m.Length, cell = Math.Clamp(360 / Math.Max(1, n), 18, 48), left = 70, top = 40, plot = n * cell;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"confusion\" data-model=\"{which}\" width=\"{left + plot + 20}\" height=\"{top + plot + 20}\" role=\"img\" aria-label=\"confusion matrix ({which})\">");
        for (int t = 0; t < n; t++)
        {
            int rowSum = Math.Max(1, m[t].Sum());
            for (int p = 0; p < n; p++)
            {
                double share = (double)m[t][p] / rowSum;
                string hue = t == p ? "39,174,96" : "192,57,43";
                int x = left + p * cell, y = top + t * cell;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgba({hue},{0.08 + 0.8 * share:F2})\" stroke=\"#fff\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"cell\" data-true=\"{t}\" data-pred=\"{p}\" x=\"{x + cell / 2}\" y=\"{y + cell / 2 + 4}\" font-size=\"{Math.Min(13, cell / 2)}\" text-anchor=\"middle\">{m[t][p]}</text>");
            }
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{top + t * cell + cell / 2 + 4}\" font-size=\"11\" text-anchor=\"end\">{t}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + t * cell + cell / 2}\" y=\"{top - 6}\" font-size=\"11\" text-anchor=\"middle\">{t}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{left + plot / 2}\" y=\"14\" font-size=\"12\" text-anchor=\"middle\">predicted class</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" transform=\"translate(20,{top + plot / 2}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">true class (label)</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>The x axis under the plot and the y axis at its left.</summary>
    private static void Axes(StringBuilder sb, int x0, int top, int w, int h) =>
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x0}\" y1=\"{top + h}\" x2=\"{x0 + w}\" y2=\"{top + h}\" stroke=\"#333\"/><line x1=\"{x0}\" y1=\"{top}\" x2=\"{x0}\" y2=\"{top + h}\" stroke=\"#333\"/>");

    /// <summary>1, 2 or 5 times a power of ten, at least v (axis ends at round numbers).</summary>
    private static double NiceCeiling(double v)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (double m in new[] { 1.0, 2, 5, 10 }) if (m * p >= v) return m * p;
        return 10 * p;
    }

    /// <summary>Histogram of errors in `bins` equal bins centred on 0, spanning ± the largest error.</summary>
    public static (double[] Bins, double Width) ErrorHistogram(IReadOnlyList<float[]> reference, IReadOnlyList<float[]> quantized, int bins = 41)
    {
        var errors = reference.Zip(quantized, (r, q) => r.Zip(q, (a, b) => (double)b - a)).SelectMany(e => e).ToList();
        double span = errors.Count == 0 ? 1 : Math.Max(1e-12, errors.Max(Math.Abs));
        double width = 2 * span / bins;
        var counts = new double[bins];
        foreach (var e in errors) counts[Math.Clamp((int)Math.Floor((e + span) / width), 0, bins - 1)]++;
        return (counts, width);
    }

    private static double Finite(double v) => double.IsInfinity(v) ? 100 : double.IsNaN(v) ? 0 : v;
    private static string Db(double v) => double.IsPositiveInfinity(v) ? "exact" : v.ToString("F1", CultureInfo.InvariantCulture);
    private static string Pct(double v) => (100 * v).ToString("F2", CultureInfo.InvariantCulture) + "%";
    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static void Row(StringBuilder sb, string k, string v, string id) => sb.Append("<tr><td>").Append(E(k)).Append("</td><td id=\"").Append(id).Append("\">").Append(E(v)).Append("</td></tr>");
}
