namespace Micro.HeartRate.Model
{
    /// <summary>
    /// A rhythm classifier's answer for one window: a score per class in permille (0..1000, ideally summing
    /// to 1000, e.g. softmax outputs × 1000). Filled in place by the classifier; Valid says it was.
    /// </summary>
    public sealed class ModelVerdict
    {
        /// <summary>Regular (sinus) rhythm.</summary>
        public int RegularPermille;

        /// <summary>Irregular rhythm (atrial fibrillation-like, frequent ectopy).</summary>
        public int IrregularPermille;

        /// <summary>No pulse in the window.</summary>
        public int NoPulsePermille;

        /// <summary>Artefact: motion or a bad signal; nothing can be said about the rhythm.</summary>
        public int ArtefactPermille;

        /// <summary>True when the scores belong to the current window.</summary>
        public bool Valid;

        public void Set(int regular, int irregular, int noPulse, int artefact)
        {
            RegularPermille = regular;
            IrregularPermille = irregular;
            NoPulsePermille = noPulse;
            ArtefactPermille = artefact;
            Valid = true;
        }

        public void Invalidate()
        {
            Valid = false;
            RegularPermille = 0;
            IrregularPermille = 0;
            NoPulsePermille = 0;
            ArtefactPermille = 0;
        }

        public void CopyFrom(ModelVerdict o)
        {
            RegularPermille = o.RegularPermille;
            IrregularPermille = o.IrregularPermille;
            NoPulsePermille = o.NoPulsePermille;
            ArtefactPermille = o.ArtefactPermille;
            Valid = o.Valid;
        }
    }
}
