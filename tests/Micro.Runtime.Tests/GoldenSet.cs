using Micro.Tooling.Graph;

namespace Micro.Runtime.Tests;

/// <summary>
/// The models and inputs behind tests/Micro.Portable.Tests/GoldenModels.g.cs. Add a model here, run
/// `MICRO_UPDATE_GOLDEN=1 dotnet test tests/Micro.Runtime.Tests --filter GoldenFileTests`, commit the file.
/// </summary>
public static class GoldenSet
{
    public sealed record Entry(string Name, QGraph Graph, sbyte[] Inputs);

    public static List<Entry> All()
    {
        var r = new Random(77);
        return new List<Entry>
        {
            new("mlp", TestModels.Mlp(31, inputs: 12, hidden: 10, classes: 3, exitThreshold: 25), TestModels.RandomInput(r, 12 * 4)),
            new("conv1d-ppg", ConvBlobTests.PpgLike(3).Graph, ConvBlobTests.PpgLike(3).Input),
            new("every-other-op", Reference.ReferenceElementwise.ClassifierTailOfEveryOp(), TestModels.RandomInput(r, 8 * 6 * 4 * 2)),
        };
    }
}
