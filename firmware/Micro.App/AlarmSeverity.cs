using Micro.HeartRate.Alarms;

namespace Micro.App
{
    /// <summary>How loudly the device must tell the wearer: from the active-alarm mask.</summary>
    public static class AlarmSeverity
    {
        /// <summary>No alarm active.</summary>
        public const int None = 0;

        /// <summary>Only technical alarms (sensor off / unreachable, model fault): nothing clinical is known.</summary>
        public const int Technical = 1;

        /// <summary>A clinical alarm (brady, tachy, irregular, no pulse) is active.</summary>
        public const int Clinical = 2;

        /// <summary>Buzzer period while a clinical alarm is active: on for the first half.</summary>
        public const int ClinicalBuzzerPeriodMs = 1000;

        /// <summary>LED blink period while only technical alarms are active: on for the first half.</summary>
        public const int TechnicalLedPeriodMs = 2000;

        public static int FromMask(int activeMask)
        {
            if ((activeMask & AlarmKinds.ClinicalMask) != 0) return Clinical;
            if (activeMask != 0) return Technical;
            return None;
        }

        /// <summary>Buzzer: beeps (half on, half off) for a clinical alarm, silent otherwise, so a loose
        /// sensor never sounds like a cardiac alarm.</summary>
        public static bool BuzzerOn(int severity, long uptimeMs)
        {
            return severity == Clinical && uptimeMs % ClinicalBuzzerPeriodMs < ClinicalBuzzerPeriodMs / 2;
        }

        /// <summary>LED: steady for a clinical alarm, slow blink for a technical one, off otherwise.</summary>
        public static bool LedOn(int severity, long uptimeMs)
        {
            if (severity == Clinical) return true;
            if (severity == Technical) return uptimeMs % TechnicalLedPeriodMs < TechnicalLedPeriodMs / 2;
            return false;
        }
    }
}
