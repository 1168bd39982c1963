using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;

namespace Micro.Tooling.Monitoring;

/// <summary>The plain words for one alarm kind of the alert protocol.</summary>
/// <param name="Token">The protocol token (BRADY, TACHY, …).</param>
/// <param name="Name">What a wearer or carer calls it, used as "Tachycardia raised" / "Tachycardia cleared".</param>
/// <param name="Meaning">One sentence on what it means.</param>
/// <param name="Clinical">A clinical alarm (rate, rhythm, pulse) rather than a technical one (sensor, model).</param>
public sealed record AlarmWording(AlarmKind Kind, string Token, string Name, string Meaning, bool Clinical);

/// <summary>The plain words for one signal-quality token.</summary>
/// <param name="Signal">The quality in words ("good signal").</param>
/// <param name="Contact">What it says about the sensor's contact ("on the wrist", "sensor unreachable").</param>
/// <param name="Poor">Too poor to trust the rate: shaded in the session report.</param>
public sealed record QualityWording(SignalQuality Quality, string Token, string Signal, string Contact, bool Poor);

/// <summary>
/// Every alarm kind, quality, motion and line-kind token of the alert protocol (docs/alert-protocol.md) with its
/// plain-language wording: the one table the live view, the plain output and the session report all read.
/// </summary>
public static class AlertWording
{
    public static readonly IReadOnlyList<AlarmWording> Alarms =
    [
        new(AlarmKind.Bradycardia, "BRADY", "Bradycardia", "heart rate below the low limit", true),
        new(AlarmKind.Tachycardia, "TACHY", "Tachycardia", "heart rate above the high limit", true),
        new(AlarmKind.Irregular, "IRREG", "Irregular rhythm", "irregular beat-to-beat intervals, atrial fibrillation-like", true),
        new(AlarmKind.NoPulse, "NOPULSE", "No pulse", "no pulse or no beat while the sensor is on the skin", true),
        new(AlarmKind.SensorOff, "CONTACT", "Sensor contact", "sensor off the wrist or poor contact", false),
        new(AlarmKind.ModelFault, "MODEL", "Rhythm model fault", "the rhythm classifier failed; the device decides by rules alone", false),
    ];

    public static readonly IReadOnlyList<QualityWording> Qualities =
    [
        new(SignalQuality.Good, "GOOD", "good signal", "on the wrist", false),
        new(SignalQuality.Fair, "FAIR", "fair signal", "on the wrist", false),
        new(SignalQuality.Poor, "POOR", "poor signal, rate not trusted", "on the wrist, poor contact", true),
        new(SignalQuality.Flat, "FLAT", "flat signal", "sensor disconnected or stuck", true),
        new(SignalQuality.Clipped, "CLIP", "signal saturated", "off the wrist or loose", true),
        new(SignalQuality.NoPulse, "NOPULSE", "no pulsation in the signal", "on the skin, poor perfusion", true),
        new(SignalQuality.Motion, "MOTION", "movement dominates the signal", "on the wrist", true),
        new(SignalQuality.Unreachable, "NOSENSOR", "no samples from the sensor", "sensor unreachable, device retrying", true),
    ];

    /// <summary>Motion tokens: REST, MOVE.</summary>
    public static readonly IReadOnlyDictionary<string, string> Motion = new Dictionary<string, string>
    {
        [AlertProtocol.MotionRest] = "resting",
        [AlertProtocol.MotionMove] = "moving",
    };

    /// <summary>The non-alarm line kinds and the alarm phases.</summary>
    public static readonly IReadOnlyDictionary<string, string> Lines = new Dictionary<string, string>
    {
        [AlertProtocol.BootKind] = "Device started",
        [AlertProtocol.StatusKind] = "Status",
        [AlertProtocol.PhaseOn] = "raised",
        [AlertProtocol.PhaseOff] = "cleared",
    };

    /// <summary>The rhythm words and the device's default irregularity limit they split at (‰, HeartRateSettings).</summary>
    public static readonly int IrregularPermille = new HeartRateSettings().IrregularPermille;

    public const string Regular = "regular";
    public const string Irregular = "irregular";
    public const string TooFewBeats = "too few beats to judge";

    public static AlarmWording Of(AlarmKind kind) => Alarms[(int)kind];

    public static QualityWording Of(SignalQuality quality) => Qualities[(int)quality];

    public static string MotionOf(bool moving) => Motion[moving ? AlertProtocol.MotionMove : AlertProtocol.MotionRest];

    public static string PhaseOf(bool on) => Lines[on ? AlertProtocol.PhaseOn : AlertProtocol.PhaseOff];

    /// <summary>"regular (irregularity 24 ‰)", "irregular (irregularity 275 ‰)" or "too few beats to judge".</summary>
    public static string RhythmOf(int? irregularityPermille) => irregularityPermille is int irr
        ? $"{(irr >= IrregularPermille ? Irregular : Regular)} (irregularity {irr} ‰)"
        : TooFewBeats;
}
