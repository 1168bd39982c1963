namespace Micro.App.Tests.Support;

/// <summary>
/// The id nanoFramework's resource tooling gives a .resx entry (the value of the generated
/// Resources.BinaryResources enum): a BCL-style two-lane string hash folded to 16 bits, as described by
/// nanoframework/nf-Visual-Studio-extension Tools.BuildTasks ProcessResourceFiles.GenerateIdFromResourceName.
/// Written here from that description; checked against ids in nanoframework/Samples' generated designer files.
/// </summary>
public static class NanoResourceId
{
    public static short Of(string name)
    {
        int lane0 = (5381 << 16) + 5381;
        int lane1 = lane0;
        for (int i = 0; i < name.Length; i++)
        {
            if (i % 2 == 0) lane0 = unchecked(((lane0 << 5) + lane0) ^ name[i]);
            else lane1 = unchecked(((lane1 << 5) + lane1) ^ name[i]);
        }
        int hash = unchecked(lane0 + lane1 * 1566083941);
        return (short)((short)(hash >> 16) ^ (short)hash);
    }
}
