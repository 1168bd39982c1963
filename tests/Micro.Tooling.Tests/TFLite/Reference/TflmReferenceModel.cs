using Micro.Tooling.TFLite;

namespace Micro.Tooling.Tests.TFLite.Reference;

/// <summary>The model and tensor accessors the int8 and 16x8 TFLM references share.</summary>
internal abstract class TflmReferenceModel
{
    protected readonly TfliteModel _m;
    protected readonly TfliteSubGraph _sg;

    protected TflmReferenceModel(TfliteModel model)
    {
        _m = model;
        _sg = model.SubGraphs[0];
    }

    protected TfliteTensor T(int i) => _sg.Tensors[i];
    protected float S(int i) => T(i).Quantization!.Scale[0];
    protected int Zp(int i) => (int)T(i).Quantization!.ZeroPoint[0];
    protected ReadOnlySpan<byte> Data(int i) => _m.Buffers[T(i).Buffer].Data.Span;
}
