namespace Micro.App
{
    /// <summary>
    /// Called between slices of long work (between the network's ops): the alarm loop uses it to drain the
    /// sensor's FIFO while the classifier runs, so a slow board loses no sample to one long inference.
    /// </summary>
    public interface ISliceHook
    {
        void BetweenSlices();
    }
}
