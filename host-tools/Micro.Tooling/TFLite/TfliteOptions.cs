namespace Micro.Tooling.TFLite;

/// <summary>Builtin options of an operator (the BuiltinOptions union member), as far as the importer needs them.</summary>
public abstract record TfliteOptions;

public sealed record Conv2DOptions(
    TflitePadding Padding, int StrideW, int StrideH, TfliteActivation Activation, int DilationW, int DilationH)
    : TfliteOptions;

public sealed record DepthwiseConv2DOptions(
    TflitePadding Padding, int StrideW, int StrideH, int DepthMultiplier, TfliteActivation Activation,
    int DilationW, int DilationH) : TfliteOptions;

public sealed record Pool2DOptions(
    TflitePadding Padding, int StrideW, int StrideH, int FilterW, int FilterH, TfliteActivation Activation)
    : TfliteOptions;

public sealed record FullyConnectedOptions(
    TfliteActivation Activation, byte WeightsFormat, bool KeepNumDims, bool AsymmetricQuantizeInputs) : TfliteOptions;

public sealed record SoftmaxOptions(float Beta) : TfliteOptions;

public sealed record ConcatenationOptions(int Axis, TfliteActivation Activation) : TfliteOptions;

public sealed record AddOptions(TfliteActivation Activation, bool PotScaleInt16) : TfliteOptions;

public sealed record MulOptions(TfliteActivation Activation) : TfliteOptions;

public sealed record GeluOptions(bool Approximate) : TfliteOptions;

public sealed record SubOptions(TfliteActivation Activation, bool PotScaleInt16) : TfliteOptions;

public sealed record ReshapeOptions(int[]? NewShape) : TfliteOptions;

public sealed record ReducerOptions(bool KeepDims) : TfliteOptions;

public sealed record ResizeNearestNeighborOptions(bool AlignCorners, bool HalfPixelCenters) : TfliteOptions;

public sealed record StridedSliceOptions(int BeginMask, int EndMask, int EllipsisMask, int NewAxisMask, int ShrinkAxisMask, bool Offset) : TfliteOptions;

/// <summary>PadOptions, QuantizeOptions, DequantizeOptions, TransposeOptions and SliceOptions: tables without fields.</summary>
public sealed record EmptyOptions(byte UnionType) : TfliteOptions;
