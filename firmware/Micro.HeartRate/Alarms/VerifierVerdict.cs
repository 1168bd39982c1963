namespace Micro.HeartRate.Alarms
{
    /// <summary>What <see cref="AlarmVerifier"/> concluded about a bedside alarm from the PPG.</summary>
    public enum VerifierVerdict
    {
        /// <summary>The wearable raised a compatible clinical alarm within the verifier window: keep.</summary>
        Confirmed = 0,

        /// <summary>A clean, steady pulse in the last seconds contradicts the alarm: suppress.</summary>
        Refuted = 1,

        /// <summary>Neither: the alarm type's policy decides (VerifierKeepUncertainMask).</summary>
        Uncertain = 2,
    }
}
