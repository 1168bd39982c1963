namespace Micro.App
{
    /// <summary>
    /// Files on the board's storage, as ModelSlots needs them (nanoFramework: I:\ through System.IO.File). A
    /// power cut during Write may leave any prefix of the data (or an empty file); Delete is all or nothing.
    /// </summary>
    public interface IModelStore
    {
        /// <summary>The file's bytes, or null when it does not exist.</summary>
        byte[] Read(string name);

        /// <summary>Replaces the file's contents.</summary>
        void Write(string name, byte[] data);

        /// <summary>Removes the file if it exists.</summary>
        void Delete(string name);
    }

    /// <summary>Decides whether a stored blob may run (Model.Load and its self-test: <see cref="SelfTestCheck"/>).</summary>
    public interface IBlobCheck
    {
        /// <summary>True when the blob may run; else why not.</summary>
        bool Accept(byte[] blob, out string why);
    }
}
