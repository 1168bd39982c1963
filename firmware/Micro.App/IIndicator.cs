namespace Micro.App
{
    /// <summary>An on/off output: the buzzer or the alarm LED.</summary>
    public interface IIndicator
    {
        /// <summary>Switches the output. The loop calls it only when the state changes.</summary>
        void Set(bool on);
    }
}
