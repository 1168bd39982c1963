using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Micro.Tooling.HeartRate.Tests.Evaluation;

/// <summary>
/// `micro evaluate --json --report --cv` on ../shared/data (rules only, a two-candidate grid): the JSON's per-record
/// outcomes add up to its summaries, the cross-validation scores every record once, and the HTML page as headless
/// Chromium renders it (a screenshot into the test results, not committed) shows the same numbers.
/// </summary>
[TestClass]
public sealed class EvaluateCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private sealed record Run(string Dir, string Json, string Html, string Stdout);

    private static readonly Lazy<Run> Result = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("micro-evaluate").FullName;
        string json = Path.Combine(dir, "out.json"), html = Path.Combine(dir, "out.html");
        var (code, stdout, err) = CliHarness.Run("evaluate", "--data", SharedData.Root, "--json", json, "--report", html, "--cv", "--grid", "NoPulseMs=4000,3000");
        Assert.AreEqual(Micro.HostTools.ExitCodes.Ok, code, err);
        return new Run(dir, json, html, stdout);
    });

    private static JsonElement Root() => JsonDocument.Parse(File.ReadAllText(Result.Value.Json)).RootElement;

    [TestMethod]
    public void Json_per_record_outcomes_add_up_to_the_challenge_score_and_the_summaries()
    {
        var root = Root();
        foreach (var part in new[] { root, root.GetProperty("cross_validation") })
        {
            var cinc = part.GetProperty("cinc2015");
            var records = cinc.GetProperty("per_record").EnumerateArray().ToList();
            Assert.AreEqual(461, records.Count);
            var all = cinc.GetProperty("challenge_score").GetProperty("all");
            foreach (var k in new[] { "TP", "FN", "FP", "TN" })
                Assert.AreEqual(all.GetProperty(k.ToLowerInvariant()).GetInt32(), records.Count(r => r.GetProperty("outcome").GetString() == k), k);
            int tp = all.GetProperty("tp").GetInt32(), fn = all.GetProperty("fn").GetInt32(), fp = all.GetProperty("fp").GetInt32(), tn = all.GetProperty("tn").GetInt32();
            Assert.AreEqual((tp + tn) / (tp + tn + fp + 5.0 * fn), all.GetProperty("score").GetDouble(), 1e-4);
            Assert.AreEqual((tp + fn) / (double)(tp + fn + fp + tn), all.GetProperty("always_alarm").GetDouble(), 1e-4);
            // Every true alarm carries its visibility label; false ones none; a kept false alarm has a clinical alarm.
            foreach (var r in records)
            {
                bool truth = r.GetProperty("true_alarm").GetBoolean();
                Assert.AreEqual(truth, r.TryGetProperty("visible_in_ppg", out _), r.GetProperty("record").GetString());
                if (!truth) Assert.AreEqual(r.GetProperty("outcome").GetString() == "FP", r.GetProperty("clinical_alarms").GetArrayLength() > 0);
            }
            Assert.AreEqual(records.Count(r => r.TryGetProperty("visible_in_ppg", out var v) && v.GetBoolean()), cinc.GetProperty("visible_true_alarms").GetInt32());
            Assert.AreEqual(records.Count(r => r.TryGetProperty("visible_in_ppg", out var v) && v.GetBoolean() && r.GetProperty("outcome").GetString() == "TP"), cinc.GetProperty("visible_detected").GetInt32());
            // Every visible detection is about the labelled event: a compatible alarm raised or still active from the
            // ECG event's start on, not only an earlier episode in the record's first seconds.
            Assert.AreEqual(records.Count(r => r.TryGetProperty("detected_from_event_start", out var e) && e.GetBoolean()), cinc.GetProperty("visible_detected_from_event_start").GetInt32());
            Assert.AreEqual(cinc.GetProperty("visible_detected").GetInt32(), cinc.GetProperty("visible_detected_from_event_start").GetInt32(),
                "visible detections not raised or active from the event's start: " + string.Join(" ", records.Where(r => r.TryGetProperty("detected_from_event_start", out var e) && !e.GetBoolean() && r.GetProperty("outcome").GetString() == "TP").Select(r => r.GetProperty("record").GetString())));

            var troika = part.GetProperty("troika");
            var rec = troika.GetProperty("per_record").EnumerateArray().ToList();
            Assert.AreEqual(19, rec.Count);
            Assert.AreEqual(troika.GetProperty("windows").GetInt32(), rec.Sum(r => r.GetProperty("windows").GetInt32()));
            Assert.AreEqual(troika.GetProperty("windows_estimated").GetInt32(), rec.Sum(r => r.GetProperty("windows_reported").GetInt32()));
            Assert.AreEqual(rec.Max(r => r.GetProperty("mae_bpm").GetDouble()), troika.GetProperty("worst_recording_mae_bpm").GetDouble(), 1e-4);

            var liu = part.GetProperty("liu2022");
            var seg = liu.GetProperty("per_record").EnumerateArray().ToList();
            Assert.AreEqual(liu.GetProperty("af_flagged").GetInt32(), seg.Count(s => s.GetProperty("label").GetString() == "atrial_fibrillation" && s.GetProperty("irregular").GetBoolean()));
        }
        Assert.AreEqual("in-sample", root.GetProperty("figures").GetString()![..9]);

        // Cold starts: every recording from 60 and 120 s in (all are over 3 minutes long), apart from the recordings.
        var cold = root.GetProperty("troika_cold_start");
        var starts = cold.GetProperty("per_record").EnumerateArray().ToList();
        Assert.AreEqual(38, starts.Count);
        Assert.AreEqual(19, starts.Count(r => r.GetProperty("record").GetString()!.EndsWith("@60s", StringComparison.Ordinal)));
        Assert.AreEqual(cold.GetProperty("windows").GetInt32(), starts.Sum(r => r.GetProperty("windows").GetInt32()));
        Assert.AreEqual(starts.Max(r => r.GetProperty("mae_bpm").GetDouble()), cold.GetProperty("worst_recording_mae_bpm").GetDouble(), 1e-4);
        foreach (var r in starts)
            Assert.AreEqual(Micro.Tooling.Evaluation.SubjectFolds.TroikaSubject(r.GetProperty("record").GetString()!.Split('@')[0]), r.GetProperty("subject").GetString());
    }

    [TestMethod]
    public void Cross_validation_holds_out_every_subject_and_fold_once()
    {
        var cv = Root().GetProperty("cross_validation");
        StringAssert.StartsWith(cv.GetProperty("figures").GetString(), "cross-validated");
        Assert.AreEqual(2, cv.GetProperty("candidates").GetArrayLength());
        int Held(string name) => cv.GetProperty(name).EnumerateArray().Sum(f => f.GetProperty("held_out").GetInt32());
        Assert.AreEqual(461, Held("cinc2015_folds"));
        Assert.AreEqual(5, cv.GetProperty("cinc2015_folds").GetArrayLength());
        Assert.AreEqual(19, Held("troika_folds"));
        Assert.AreEqual(16, cv.GetProperty("troika_folds").GetArrayLength(), "12 training subjects and 4 test-set subjects");
        Assert.AreEqual(cv.GetProperty("liu2022").GetProperty("per_record").GetArrayLength(), Held("liu2022_folds"));
        Assert.AreEqual(28, cv.GetProperty("liu2022_folds").GetArrayLength());
        foreach (var f in cv.GetProperty("troika_folds").EnumerateArray())
            CollectionAssert.Contains(new[] { "NoPulseMs=4000", "NoPulseMs=3000" }, f.GetProperty("chosen").GetString());
        StringAssert.Contains(Result.Value.Stdout, "Cross-validated");
        StringAssert.Contains(Result.Value.Stdout, "In-sample");
    }

    [TestMethod]
    public void The_rendered_report_plots_every_troika_recording_and_shows_the_json_scores()
    {
        string? chromium = HeadlessChromium.Find();
        if (chromium == null) Assert.Inconclusive("chromium is not installed (tests/setup.sh installs it): the rendered report is not checked");
        var run = Result.Value;
        var root = Root();

        string shots = Path.Combine(TestContext.TestRunResultsDirectory ?? run.Dir, "evaluate-report");
        Directory.CreateDirectory(shots);
        string png = Path.Combine(shots, "evaluate-report.png"), blank = Path.Combine(run.Dir, "blank.png"), empty = Path.Combine(run.Dir, "empty.html");
        File.WriteAllText(empty, "<!DOCTYPE html><html><body></body></html>");
        HeadlessChromium.Run(chromium, "--window-size=1100,3000", "--screenshot=" + png, new Uri(run.Html).AbsoluteUri);
        HeadlessChromium.Run(chromium, "--window-size=1100,3000", "--screenshot=" + blank, new Uri(empty).AbsoluteUri);
        TestContext.AddResultFile(png);
        Assert.IsTrue(new FileInfo(png).Length > 5 * new FileInfo(blank).Length, $"report {new FileInfo(png).Length} B vs empty page {new FileInfo(blank).Length} B");

        string dom = HeadlessChromium.Run(chromium, "--dump-dom", new Uri(run.Html).AbsoluteUri);
        // One plot per TROIKA recording: the reference line has a point per window, the estimate lines one per reported window.
        var plots = Regex.Matches(dom, "<svg[^>]*class=\"hr-plot\" data-record=\"([^\"]+)\" data-windows=\"(\\d+)\" data-reported=\"(\\d+)\"[^>]*>(.*?)</svg>", RegexOptions.Singleline);
        // (and per cold start, after them)
        var perRecord = root.GetProperty("troika").GetProperty("per_record").EnumerateArray()
            .Concat(root.GetProperty("troika_cold_start").GetProperty("per_record").EnumerateArray()).ToDictionary(r => r.GetProperty("record").GetString()!);
        Assert.AreEqual(perRecord.Count, plots.Count);
        foreach (Match m in plots)
        {
            var r = perRecord[m.Groups[1].Value];
            Assert.AreEqual(r.GetProperty("windows").GetInt32(), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.AreEqual(r.GetProperty("windows_reported").GetInt32(), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
            string body = m.Groups[4].Value;
            int Points(string cls) => Regex.Matches(body, $"<polyline class=\"{cls}\"[^>]*points=\"([^\"]*)\"").Sum(p => p.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.AreEqual(r.GetProperty("windows").GetInt32(), Points("reference"), m.Groups[1].Value);
            Assert.AreEqual(r.GetProperty("windows_reported").GetInt32(), Points("estimate"), m.Groups[1].Value);
            Assert.AreEqual(2, Regex.Count(body, "class=\"axis-title\""), "both axes titled");
        }
        // The challenge tables, in-sample and cross-validated, carry the JSON's scores.
        foreach (var (figures, part) in new[] { ("in-sample", root), ("cross-validated", root.GetProperty("cross_validation")) })
        {
            var table = Regex.Match(dom, $"<table class=\"challenge\" data-figures=\"{figures}\">(.*?)</table>", RegexOptions.Singleline);
            Assert.IsTrue(table.Success, figures);
            var rows = Regex.Matches(table.Groups[1].Value, "<tr data-type=\"([^\"]+)\" data-score=\"([^\"]*)\" data-always=\"([^\"]*)\" data-never=\"([^\"]*)\"");
            var scores = part.GetProperty("cinc2015").GetProperty("challenge_score");
            Assert.AreEqual(scores.EnumerateObject().Count(), rows.Count, figures);
            foreach (Match row in rows)
            {
                var s = scores.GetProperty(row.Groups[1].Value);
                Assert.AreEqual(s.GetProperty("score").GetDouble(), double.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture), 6e-4);
                Assert.AreEqual(s.GetProperty("always_alarm").GetDouble(), double.Parse(row.Groups[3].Value, CultureInfo.InvariantCulture), 6e-4);
                Assert.AreEqual(s.GetProperty("never_alarm").GetDouble(), double.Parse(row.Groups[4].Value, CultureInfo.InvariantCulture), 6e-4);
            }
        }
        TestContext.WriteLine($"screenshot: {png}");
    }

    [TestMethod]
    public void A_grid_without_cv_or_with_an_unknown_setting_is_refused_before_any_work()
    {
        string dir = Directory.CreateTempSubdirectory("micro-evaluate-bad").FullName;
        string json = Path.Combine(dir, "x.json");
        var (code, _, err) = CliHarness.Run("evaluate", "--data", SharedData.Root, "--grid", "NoPulseMs=3000", "--json", json);
        Assert.AreEqual(Micro.HostTools.ExitCodes.BadInput, code);
        StringAssert.Contains(err, "--grid needs --cv");
        (code, _, err) = CliHarness.Run("evaluate", "--data", SharedData.Root, "--cv", "--grid", "Nonsense=1", "--json", json);
        Assert.AreEqual(Micro.HostTools.ExitCodes.BadInput, code);
        StringAssert.Contains(err, "not an integer setting");
        Assert.IsFalse(File.Exists(json));
        Directory.Delete(dir, true);
    }
}
