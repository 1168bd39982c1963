using System.Globalization;
using System.Net;
using System.Text;

namespace Micro.Tooling.Verification;

/// <summary>A self-contained HTML page (inline CSS and SVG, no scripts or external files) for a VerifyReport.</summary>
public static class HtmlReport
{
    public static string Render(VerifyReport r)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>micro verify: ").Append(E(r.ModelName)).Append("</title>");
        sb.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}" +
                  "th:first-child,td:first-child{text-align:left}h1{font-size:1.4em}.bad{color:#b00}.ok{color:#070}figure{margin:1.5em 0}</style></head><body>");
        sb.Append("<h1>Float vs quantized: ").Append(E(r.ModelName)).Append("</h1>");
        sb.Append("<table><tr><th>measure</th><th>value</th></tr>");
        Row(sb, "samples", r.Samples.ToString(CultureInfo.InvariantCulture));
        Row(sb, "top-1 agreement", Pct(r.Top1Agreement));
        if (r.FloatAccuracy is double fa) Row(sb, "float accuracy", Pct(fa));
        if (r.QuantizedAccuracy is double qa) Row(sb, "quantized accuracy", Pct(qa));
        Row(sb, "output SQNR", Db(r.Output.SqnrDb));
        Row(sb, "output PSNR", Db(r.Output.PsnrDb));
        Row(sb, "output cosine", r.Output.Cosine.ToString("F5", CultureInfo.InvariantCulture));
        Row(sb, "output max abs error", r.Output.MaxAbsError.ToString("G4", CultureInfo.InvariantCulture));
        sb.Append("</table>");

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

    private static string LayerChart(IReadOnlyList<LayerError> layers)
    {
        const int barH = 18, labelW = 220, chartW = 420;
        double max = Math.Max(10, layers.Select(l => Finite(l.Metrics.SqnrDb)).DefaultIfEmpty(0).Max());
        var sb = new StringBuilder();
        int h = Math.Max(1, layers.Count) * (barH + 4) + 20;
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelW + chartW + 80}\" height=\"{h}\" role=\"img\" aria-label=\"SQNR per layer\">");
        for (int i = 0; i < layers.Count; i++)
        {
            double v = Finite(layers[i].Metrics.SqnrDb);
            double w = Math.Max(1, v / max * chartW);
            int y = i * (barH + 4);
            string color = v < 20 ? "#c0392b" : v < 30 ? "#e67e22" : "#27ae60";
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 13}\" font-size=\"12\">{E(Trim(layers[i].Tensor, 32))}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelW}\" y=\"{y}\" width=\"{w:F1}\" height=\"{barH}\" fill=\"{color}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW + w + 4:F1}\" y=\"{y + 13}\" font-size=\"12\">{Db(layers[i].Metrics.SqnrDb)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Histogram(double[] bins, double binWidth)
    {
        const int w = 600, h = 160;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h + 20}\" role=\"img\" aria-label=\"error histogram\">");
        double max = bins.DefaultIfEmpty(0).Max();
        if (bins.Length > 0 && max > 0)
        {
            double bw = (double)w / bins.Length;
            for (int i = 0; i < bins.Length; i++)
            {
                double bh = bins[i] / max * h;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{i * bw:F1}\" y=\"{h - bh:F1}\" width=\"{Math.Max(1, bw - 1):F1}\" height=\"{bh:F1}\" fill=\"#2e86c1\"/>");
            }
            double half = bins.Length / 2.0 * binWidth;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{h + 15}\" font-size=\"11\">{-half:G3}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{w / 2 - 5}\" y=\"{h + 15}\" font-size=\"11\">0</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{w - 40}\" y=\"{h + 15}\" font-size=\"11\">{half:G3}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
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
    private static void Row(StringBuilder sb, string k, string v) => sb.Append("<tr><td>").Append(E(k)).Append("</td><td>").Append(E(v)).Append("</td></tr>");
}
