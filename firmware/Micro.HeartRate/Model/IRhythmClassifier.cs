namespace Micro.HeartRate.Model
{
    /// <summary>
    /// The seam for a learned rhythm classifier (e.g. a 1D CNN run by Micro.Runtime). The monitor calls it
    /// only when the cheap gate says the rules are not sure, with the last WindowSamples of band-passed
    /// PPG at 25 Hz, min-max normalized to −128..127 (see HeartRateMonitor.CopyWindow).
    /// </summary>
    public interface IRhythmClassifier
    {
        /// <summary>Window length the classifier expects, in 25 Hz samples (at most
        /// HeartRateMonitor.MaxWindowSamples).</summary>
        int WindowSamples { get; }

        /// <summary>Values per window sample: 1 = the PPG only; 2 = PPG and tachogram, channels-last
        /// (see HeartRateMonitor.CopyWindow(sbyte[], int, int)). The window holds WindowSamples × WindowChannels values.</summary>
        int WindowChannels { get; }

        /// <summary>
        /// Classifies the window and writes the class scores into verdict (Set). Returns false if the model
        /// failed (the monitor then raises a model-fault alarm and decides by rules alone). Must not keep a
        /// reference to window; should not allocate.
        /// </summary>
        bool Classify(sbyte[] window, ModelVerdict verdict);
    }
}
