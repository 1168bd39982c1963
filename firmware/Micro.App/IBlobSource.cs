namespace Micro.App
{
    /// <summary>
    /// One place a model blob may come from (internal storage, an embedded resource, a byte array). Read
    /// only when the sources before it failed, so at most one blob sits in memory at a time.
    /// </summary>
    public interface IBlobSource
    {
        /// <summary>Short name for messages, e.g. "I:\heart-rate.mblob" or "resource heart_rate".</summary>
        string Name { get; }

        /// <summary>The blob's bytes, or null when this source has none. May throw (I/O); the loader then tries the next source.</summary>
        byte[] Read();
    }
}
