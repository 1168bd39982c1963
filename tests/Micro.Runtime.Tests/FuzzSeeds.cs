using Micro.Tooling.Blob;

namespace Micro.Runtime.Tests;

/// <summary>Valid blobs the fuzz test mutates: every op the runtime has should appear in at least one.</summary>
public static class FuzzSeeds
{
    public static List<byte[]> All() => new()
    {
        BlobEmitter.Emit(TestModels.Mlp(1)),
        BlobEmitter.Emit(TestModels.Mlp(2, inputs: 8, hidden: 12, classes: 3, exitThreshold: 20)),
        BlobEmitter.Emit(ConvBlobTests.PpgLike(0).Graph),
        BlobEmitter.Emit(Reference.ReferenceElementwise.ClassifierTailOfEveryOp()),
    };
}
