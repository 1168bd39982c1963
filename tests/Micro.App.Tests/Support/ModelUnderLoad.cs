using Micro.HeartRate;

namespace Micro.App.Tests.Support;

/// <summary>The bundled heart-rate model and the settings that run it on every window (as during an arrhythmia), for the FIFO-overload tests.</summary>
public static class ModelUnderLoad
{
    public static ModelLoadResult HeartRateModel() =>
        ModelLoader.Load(File.ReadAllBytes(Path.Combine(SharedData.RepoRoot(), "models", "heart-rate", "heart-rate.mblob")), null);

    /// <summary>The gate always asks the model and no verdict stands longer than 2 s: an inference every 2 s.</summary>
    public static HeartRateSettings AlwaysModel(HeartRateSettings s)
    {
        s.IrregularClearPermille = 0;
        s.ModelRecheckSeconds = 0;
        return s;
    }
}
