namespace Micro.HeartRate.Alarms
{
    /// <summary>
    /// Alarm types a bedside monitor raises from the ECG (the five of the PhysioNet/CinC 2015 challenge), as
    /// handed to <see cref="AlarmVerifier"/>; the value is the bit index in HeartRateSettings.VerifierKeepUncertainMask.
    /// </summary>
    public enum BedsideAlarm
    {
        /// <summary>No QRS for at least 4 s.</summary>
        Asystole = 0,

        /// <summary>Heart rate under 40 bpm for 5 consecutive beats.</summary>
        Bradycardia = 1,

        /// <summary>Heart rate over 140 bpm for 17 consecutive beats.</summary>
        Tachycardia = 2,

        /// <summary>5 or more ventricular beats at over 100 bpm.</summary>
        VentricularTachycardia = 3,

        /// <summary>Ventricular flutter or fibrillation for at least 4 s.</summary>
        VentricularFlutterFib = 4,
    }
}
