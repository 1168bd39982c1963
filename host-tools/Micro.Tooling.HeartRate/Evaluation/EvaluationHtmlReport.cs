using System.Globalization;
using System.Net;
using System.Text;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>
/// `micro evaluate --report`'s page: one self-contained HTML file (inline CSS and SVG, no scripts) with the
/// CinC 2015 challenge-score table (beside alarming always and never; cross-validated too when present), the
/// true alarms visible in the PPG that were missed, Liu AF, and per TROIKA recording its error, the share of
/// windows reported and a plot of estimated against reference heart rate over time (withheld windows leave
/// gaps). Numbers a test may read carry data- attributes.
/// </summary>
public static class EvaluationHtmlReport
{
    public static string Render(AlarmEvaluationReport r)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>micro evaluate</title>");
        sb.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{padding:3px 9px;border-bottom:1px solid #ddd;text-align:right}" +
                  "th:first-child,td:first-child{text-align:left}h1{font-size:1.4em}.bad{color:#b00}.ok{color:#070}figure{margin:1em 0;display:inline-block;vertical-align:top}" +
                  "svg text{font-family:system-ui,sans-serif}.note{color:#555;max-width:60em}</style></head><body>");
        sb.Append("<h1>Heart-rate alarm evaluation</h1><p class=\"note\">Model: ").Append(E(r.ModelName ?? "none (rules only)"))
          .Append(". In-sample figures use the default settings on the data they were developed on");
        sb.Append(r.CrossValidation == null ? "; no cross-validation was run (micro evaluate --cv)." : "; the cross-validated figures score every subject or fold with settings chosen without it.").Append("</p>");
        Section(sb, "in-sample", r.Cinc, r.Liu, r.Troika);
        if (r.CrossValidation is { } cv) Section(sb, "cross-validated", cv.Cinc, cv.Liu, cv.Troika);
        if (r.Verifier is { } v && r.Cinc != null)
        {
            sb.Append("<h2>Bedside verifier: the challenge's own framing</h2><p class=\"note\">The bedside monitor raised every alarm from the ECG; ")
              .Append("the verifier (firmware AlarmVerifier, docs/alarm-verifier.md) keeps it when the chain raised a compatible alarm, suppresses it when the last seconds ")
              .Append("of PPG show a clean steady pulse the alarm cannot have, and otherwise follows the type's policy. The wearable column is the chain's own alarms (above).</p>");
            VerifierTable(sb, "in-sample", v, r.Cinc);
            if (r.VerifierCrossValidation is { } vcv) VerifierTable(sb, "cross-validated", vcv.Summary, r.Cinc);
        }
        if (r.TroikaColdStart is { } cold)
        {
            sb.Append("<h2>TROIKA cold starts</h2><p class=\"note\">Each recording started ").Append(string.Join(" and ", ColdStart.Seconds))
              .Append(" s in, mid-exercise, with no history from the rest at its start (id: recording@cut). Not part of the per-recording target; the plots are at the end.</p>");
            TroikaTable(sb, "in-sample", "troika-cold", cold);
            if (r.CrossValidation?.TroikaColdStart is { } cvCold)
            {
                sb.Append("<h3>Cross-validated (each subject's cold starts held out with it)</h3>");
                TroikaTable(sb, "cross-validated", "troika-cold", cvCold);
            }
        }
        if (r.Troika != null)
        {
            sb.Append("<h2>TROIKA: estimated and reference heart rate (in-sample)</h2><p class=\"note\">Black: ECG reference per 8 s window; blue: the chain's rate at the window's end; gaps: windows where the chain withheld its rate.</p>");
            Figures(sb, r.Troika);
        }
        if (r.TroikaColdStart is { } starts)
        {
            sb.Append("<h2>TROIKA cold starts: estimated and reference heart rate (in-sample; time from the cut)</h2>");
            Figures(sb, starts);
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void VerifierTable(StringBuilder sb, string which, VerifierSummary v, CincSummary wearable)
    {
        var wearableScores = ChallengeScore.Table(wearable.Outcomes).ToDictionary(x => x.Name, x => x.Score);
        sb.Append(CultureInfo.InvariantCulture, $"<h3>{(which == "in-sample" ? "In-sample" : "Cross-validated (per-type policy chosen on the other folds)")}</h3>")
          .Append(CultureInfo.InvariantCulture, $"<table class=\"verifier\" data-figures=\"{which}\"><tr><th>alarm type</th><th>TP</th><th>FN</th><th>FP</th><th>TN</th><th>confirmed</th><th>refuted</th><th>uncertain</th><th>score</th><th>always alarm</th><th>never alarm</th><th>wearable</th></tr>");
        foreach (var (name, s) in v.Table())
        {
            var g = v.OfType(name).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-type=\"{name}\" data-score=\"{F3(s.Score)}\" data-always=\"{F3(s.AlwaysAlarm)}\"><td>{E(name)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td>{s.TruePositives}</td><td>{s.FalseNegatives}</td><td>{s.FalsePositives}</td><td>{s.TrueNegatives}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td>{g.Count(o => o.Verdict == Micro.HeartRate.Alarms.VerifierVerdict.Confirmed)}</td><td>{g.Count(o => o.Verdict == Micro.HeartRate.Alarms.VerifierVerdict.Refuted)}</td><td>{g.Count(o => o.Verdict == Micro.HeartRate.Alarms.VerifierVerdict.Uncertain)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"{(s.BeatsAlwaysAlarm ? "ok" : "bad")}\">{F3(s.Score)}</td><td>{F3(s.AlwaysAlarm)}</td><td>{F3(s.NeverAlarm)}</td><td>{(wearableScores.TryGetValue(name, out var w) ? F3(w.Score) : "")}</td></tr>");
        }
        sb.Append("</table>").Append(CultureInfo.InvariantCulture, $"<p>False alarms suppressed: {v.Suppressed}/{v.FalseAlarms} = {Pct(v.SuppressionRate)}; visible true alarms kept {v.VisibleKept}/{v.VisibleTrueAlarms} ({v.VisibleConfirmed} confirmed by the chain).</p>");
    }

    private static void Section(StringBuilder sb, string which, CincSummary? c, LiuAlarmSummary? l, TroikaSummary? t)
    {
        sb.Append("<h2>").Append(which == "in-sample" ? "In-sample" : "Cross-validated").Append("</h2>");
        if (c != null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<table class=\"challenge\" data-figures=\"{which}\"><tr><th>alarm type</th><th>TP</th><th>FN</th><th>FP</th><th>TN</th><th>visible in PPG detected</th><th>score</th><th>always alarm</th><th>never alarm</th></tr>");
            foreach (var (name, s) in ChallengeScore.Table(c.Outcomes))
            {
                var g = name == "all" ? c.Outcomes : c.Outcomes.Where(o => o.Alarm.AlarmType.ToString() == name).ToList();
                int v = g.Count(o => o.Visibility?.Visible == true), vd = g.Count(o => o.Visibility?.Visible == true && o.Detected);
                sb.Append(CultureInfo.InvariantCulture, $"<tr data-type=\"{name}\" data-score=\"{F3(s.Score)}\" data-always=\"{F3(s.AlwaysAlarm)}\" data-never=\"{F3(s.NeverAlarm)}\">")
                  .Append(CultureInfo.InvariantCulture, $"<td>{E(name)}</td><td>{s.TruePositives}</td><td>{s.FalseNegatives}</td><td>{s.FalsePositives}</td><td>{s.TrueNegatives}</td><td>{vd}/{v}</td>")
                  .Append(CultureInfo.InvariantCulture, $"<td class=\"{(s.BeatsAlwaysAlarm ? "ok" : "bad")}\">{F3(s.Score)}</td><td>{F3(s.AlwaysAlarm)}</td><td>{F3(s.NeverAlarm)}</td></tr>");
            }
            sb.Append("</table>");
            sb.Append(CultureInfo.InvariantCulture, $"<p>False alarms suppressed (technical alerts do not count as clinical alarms): {c.Suppressed}/{c.FalseAlarms} = {Pct(c.SuppressionRate)}. ")
              .Append(CultureInfo.InvariantCulture, $"True alarms whose event the ECG label finds visible in the PPG: {c.VisibleTrueAlarms}/{c.LabelledTrueAlarms}; detected {c.VisibleDetected} = {Pct(c.VisibleDetectionRate)}.</p>");
            var missed = c.Outcomes.Where(o => o.Visibility?.Visible == true && !o.Detected).ToList();
            if (missed.Count > 0)
            {
                sb.Append("<details><summary>Visible true alarms missed (").Append(missed.Count).Append(")</summary><table><tr><th>record</th><th>type</th><th>raised</th><th>why visible</th></tr>");
                foreach (var o in missed)
                    sb.Append("<tr><td>").Append(E(o.Alarm.RecordId)).Append("</td><td>").Append(E(o.Alarm.AlarmType.ToString())).Append("</td><td>")
                      .Append(E(string.Join(", ", EvaluationJson.Kinds(o.RaisedMask)))).Append("</td><td style=\"text-align:left\">").Append(E(o.Visibility!.Reason)).Append("</td></tr>");
                sb.Append("</table></details>");
            }
        }
        if (l != null)
            sb.Append(CultureInfo.InvariantCulture, $"<p>Liu 2022 AF: sensitivity {l.AfFlagged}/{l.Af} = {Pct(l.AfSensitivity)}, specificity {l.Sinus - l.SinusFlagged}/{l.Sinus} = {Pct(l.AfSpecificity)}.</p>");
        if (t != null) TroikaTable(sb, which, "troika", t);
    }

    // One row per TROIKA recording (or cold start): error, windows reported, tachycardia alarms; then the totals.
    private static void TroikaTable(StringBuilder sb, string which, string cssClass, TroikaSummary t)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<table class=\"{cssClass}\" data-figures=\"{which}\"><tr><th>TROIKA recording</th><th>mean error (bpm)</th><th>max error (bpm)</th><th>windows reported</th><th>tachycardia alarms</th></tr>");
        foreach (var o in t.Outcomes)
        {
            bool ok = o.MeanAbsoluteError <= 5 && o.Coverage >= 0.9;
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-record=\"{E(o.RecordId)}\" data-mae=\"{F3(o.MeanAbsoluteError)}\" data-coverage=\"{F3(o.Coverage)}\"><td>{E(o.RecordId)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"{(ok ? "ok" : "bad")}\">{o.MeanAbsoluteError:F1}</td><td>{o.MaxAbsoluteError:F0}</td><td>{o.Estimated}/{o.Windows} ({Pct(o.Coverage)})</td><td>{o.TachycardiaAlarms}</td></tr>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<tr data-record=\"all\"><td>all</td><td>{t.MeanAbsoluteError:F2}</td><td></td><td>{t.Estimated}/{t.Windows} ({Pct(t.Coverage)})</td><td>{t.TachycardiaAlarms}</td></tr></table>");
    }

    // One captioned rate plot per recording (or cold start).
    private static void Figures(StringBuilder sb, TroikaSummary t)
    {
        foreach (var o in t.Outcomes)
            sb.Append("<figure><figcaption>").Append(E(o.RecordId)).Append(CultureInfo.InvariantCulture, $": {o.MeanAbsoluteError:F1} bpm mean error, {Pct(o.Coverage)} reported</figcaption>").Append(Plot(o)).Append("</figure>");
    }

    /// <summary>Heart rate (bpm) over time (s): the reference as a black line, the estimate in blue, broken where withheld.</summary>
    private static string Plot(TroikaOutcome o)
    {
        const int w = 460, h = 200, left = 52, top = 8, bottom = 40;
        var s = o.Series;
        double tMax = Math.Max(1, s.Count == 0 ? 1 : s[^1].EndSeconds);
        var all = s.Select(x => x.ReferenceBpm).Concat(s.Where(x => x.Reported).Select(x => (double)x.EstimateBpm)).DefaultIfEmpty(60).ToList();
        double yLo = Math.Floor(all.Min() / 20) * 20, yHi = Math.Ceiling(all.Max() / 20) * 20;
        if (yHi <= yLo) yHi = yLo + 20;
        string X(double t) => (left + t / tMax * w).ToString("F1", CultureInfo.InvariantCulture);
        string Y(double v) => (top + (yHi - v) / (yHi - yLo) * h).ToString("F1", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hr-plot\" data-record=\"{E(o.RecordId)}\" data-windows=\"{s.Count}\" data-reported=\"{s.Count(x => x.Reported)}\" width=\"{left + w + 12}\" height=\"{top + h + bottom}\" role=\"img\" aria-label=\"heart rate {E(o.RecordId)}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"reference\" fill=\"none\" stroke=\"#111\" stroke-width=\"1.5\" points=\"{string.Join(" ", s.Select(x => X(x.EndSeconds) + "," + Y(x.ReferenceBpm)))}\"/>");
        // The estimate: one polyline per run of reported windows.
        var run = new List<string>();
        void Flush()
        {
            if (run.Count > 0) sb.Append("<polyline class=\"estimate\" fill=\"none\" stroke=\"#2e86c1\" stroke-width=\"1.5\" points=\"").Append(string.Join(" ", run)).Append("\"/>");
            run.Clear();
        }
        foreach (var x in s)
        {
            if (x.Reported) run.Add(X(x.EndSeconds) + "," + Y(x.EstimateBpm));
            else Flush();
        }
        Flush();
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + h}\" x2=\"{left + w}\" y2=\"{top + h}\" stroke=\"#333\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + h}\" stroke=\"#333\"/>");
        for (int k = 0; k <= 4; k++)
        {
            double t = tMax * k / 4, v = yLo + (yHi - yLo) * k / 4;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(t)}\" y=\"{top + h + 15}\" font-size=\"11\" text-anchor=\"middle\">{t:0}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Y(v)}\" font-size=\"11\" text-anchor=\"end\" dy=\"4\">{v:0}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{left + w / 2}\" y=\"{top + h + 33}\" font-size=\"12\" text-anchor=\"middle\">time (s)</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" transform=\"translate(14,{top + h / 2}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">heart rate (bpm)</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string F3(double v) => double.IsNaN(v) ? "" : v.ToString("F3", CultureInfo.InvariantCulture);
    private static string Pct(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("F1", CultureInfo.InvariantCulture) + " %";
    private static string E(string s) => WebUtility.HtmlEncode(s);
}
