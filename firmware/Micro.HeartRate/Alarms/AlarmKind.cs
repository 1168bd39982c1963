namespace Micro.HeartRate.Alarms
{
    /// <summary>Alarm kinds; the value is the bit index in the protocol's active mask.</summary>
    public enum AlarmKind
    {
        Bradycardia = 0,
        Tachycardia = 1,
        Irregular = 2,
        NoPulse = 3,
        SensorOff = 4,
        ModelFault = 5,
    }

    /// <summary>Counts and masks of <see cref="AlarmKind"/>.</summary>
    public static class AlarmKinds
    {
        /// <summary>Number of alarm kinds.</summary>
        public const int Count = 6;

        /// <summary>Clinical alarms (rhythm and rate), as opposed to technical ones (sensor, model).</summary>
        public const int ClinicalMask = 0x0F;

        public static int Bit(AlarmKind kind) { return 1 << (int)kind; }
    }
}
