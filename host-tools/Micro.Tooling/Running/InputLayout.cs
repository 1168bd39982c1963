using Micro.Tooling.Onnx;

namespace Micro.Tooling.Running;

/// <summary>
/// The layout a user's input data is in, and its transposition to the blob's channels-last input.
/// The blob's input tensor is always channels-last (NWC, NHWC); a model exported from PyTorch takes
/// channels-first data (NCW, NCHW). <c>micro pack</c> records the source model's layout in the blob
/// (metadata tag 3) so that <c>run</c> and <c>verify</c> take the same .npy the source model takes;
/// <c>--layout</c> overrides it. Names are by rank: C, NC, NWC/NCW, NHWC/NCHW.
/// </summary>
public static class InputLayout
{
    /// <summary>--layout value: the layout recorded in the blob (the source model's), channels-last when none is.</summary>
    public const string FromModel = "model";
    /// <summary>--layout value: the blob's own channels-last layout, no transposition.</summary>
    public const string AsBlob = "as-blob";

    public const string OptionHelp = "layout of the input data: 'model' (default: the source model's layout recorded in the blob, e.g. NCHW for a PyTorch image model), " +
                                     "'as-blob' (the blob's own channels-last layout, e.g. NHWC) or a name (NCHW, NHWC, NCW, NWC)";

    public static string ChannelsLast(int rank) => rank switch { 1 => "C", 2 => "NC", 3 => "NWC", 4 => "NHWC", _ => throw new ArgumentOutOfRangeException(nameof(rank)) };

    public static string ChannelsFirst(int rank) => rank switch { 3 => "NCW", 4 => "NCHW", _ => ChannelsLast(rank) };

    public static bool IsChannelsFirst(string layout) => layout is "NCW" or "NCHW";

    /// <summary>The layout of an ONNX graph input whose runtime tensor has the <paramref name="physical"/> shape: channels-first
    /// when the importer transposes it to channels-last. With one channel the transposition moves no value (the
    /// importer keeps no map); the shapes then tell: an NCHW [1,1,H,W] input becomes [1,H,W,1].</summary>
    public static string Of(GraphIO input, int[] physical)
    {
        int rank = input.OnnxShape.Length;
        var channelsFirst = ShapeUtil.PermMap(input.OnnxShape, ShapeUtil.ChannelsLastPerm(rank));
        if (input.Map != null)
            return input.Map.SequenceEqual(channelsFirst) ? ChannelsFirst(rank)
                : throw new InvalidOperationException($"input '{input.OnnxName}': a layout map that is neither identity nor channels-first");
        bool moves = !ShapeUtil.IsIdentity(channelsFirst);
        return rank >= 3 && !moves && physical.Length == rank && SourceShape(physical, ChannelsFirst(rank)).SequenceEqual(input.OnnxShape)
            ? ChannelsFirst(rank) : ChannelsLast(rank);
    }

    /// <summary>
    /// The layout the data is in for a blob input of this rank: <paramref name="option"/> (null = <see cref="FromModel"/>),
    /// with <paramref name="recorded"/> the blob's tag-3 layout (null when it has none). Throws ArgumentException for a
    /// name that does not fit the rank.
    /// </summary>
    public static string Resolve(string? option, string? recorded, int rank)
    {
        string o = (option ?? FromModel).Trim();
        if (o.Equals(FromModel, StringComparison.OrdinalIgnoreCase))
            return recorded != null && (recorded == ChannelsLast(rank) || recorded == ChannelsFirst(rank)) ? recorded : ChannelsLast(rank);
        if (o.Equals(AsBlob, StringComparison.OrdinalIgnoreCase)) return ChannelsLast(rank);
        string name = o.ToUpperInvariant();
        if (name == ChannelsLast(rank) || name == ChannelsFirst(rank)) return name;
        string names = ChannelsFirst(rank) == ChannelsLast(rank) ? ChannelsLast(rank) : $"{ChannelsFirst(rank)} or {ChannelsLast(rank)}";
        throw new ArgumentException($"--layout {o}: expected {FromModel}, {AsBlob} or {names} for a rank-{rank} input");
    }

    /// <summary>The shape of one sample in <paramref name="layout"/>, for the channels-last blob input dims.</summary>
    public static int[] SourceShape(int[] blobDims, string layout)
    {
        if (!IsChannelsFirst(layout)) return (int[])blobDims.Clone();
        int r = blobDims.Length;
        return new[] { blobDims[0], blobDims[r - 1] }.Concat(blobDims[1..(r - 1)]).ToArray();
    }

    /// <summary>One sample in <paramref name="layout"/> → the blob's channels-last order:
    /// out[(n·S + s)·C + c] = in[(n·C + c)·S + s], S the product of the spatial dims.</summary>
    public static T[] ToChannelsLast<T>(T[] sample, int[] blobDims, string layout)
    {
        if (!IsChannelsFirst(layout)) return sample;
        int r = blobDims.Length, n = blobDims[0], c = blobDims[r - 1], s = 1;
        for (int i = 1; i < r - 1; i++) s *= blobDims[i];
        if (sample.Length != n * c * s) throw new ArgumentException($"{sample.Length} values; the input [{string.Join(",", blobDims)}] has {n * c * s}");
        var result = new T[sample.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < s; p++)
                    result[(b * s + p) * c + ch] = sample[(b * c + ch) * s + p];
        return result;
    }
}
