namespace Micro.HeartRate.Alarms
{
    /// <summary>
    /// Debounce for one alarm: raised after onsetSteps consecutive steps of Present evidence, cleared after
    /// clearSteps consecutive steps of Absent evidence. Unknown neither advances nor resets either count,
    /// so a short burst of bad signal neither raises nor clears an alarm.
    /// </summary>
    public sealed class AlarmChannel
    {
        private readonly int onsetSteps;
        private readonly int clearSteps;
        private int presentRun;
        private int absentRun;
        private bool active;

        public AlarmChannel(int onsetSteps, int clearSteps)
        {
            this.onsetSteps = onsetSteps < 1 ? 1 : onsetSteps;
            this.clearSteps = clearSteps < 1 ? 1 : clearSteps;
        }

        public bool IsActive { get { return active; } }

        /// <summary>Steps the condition has held in a row.</summary>
        public int PresentRun { get { return presentRun; } }

        /// <summary>Applies one step; returns +1 when the alarm is raised, −1 when cleared, else 0.</summary>
        public int Update(Evidence evidence)
        {
            return Update(evidence, false);
        }

        /// <summary>
        /// As <see cref="Update(Evidence)"/>, but urgent present evidence (an extreme rate) raises the alarm
        /// at once instead of after the onset duration.
        /// </summary>
        public int Update(Evidence evidence, bool urgent)
        {
            if (evidence == Evidence.Present)
            {
                presentRun++;
                absentRun = 0;
                if (!active && (presentRun >= onsetSteps || urgent))
                {
                    active = true;
                    return 1;
                }
            }
            else if (evidence == Evidence.Absent)
            {
                absentRun++;
                presentRun = 0;
                if (active && absentRun >= clearSteps)
                {
                    active = false;
                    return -1;
                }
            }
            return 0;
        }

        public void Reset()
        {
            presentRun = 0;
            absentRun = 0;
            active = false;
        }
    }
}
