using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Micro.Portability.Tests.Checker;

/// <summary>
/// Decodes one signature blob into display names (System.Int32, System.Byte[], Outer/Inner) and, on the way,
/// records everything in it that matters for nanoFramework 1.x: generic instantiations and parameters,
/// ArrayShape, pointers, pinned locals, float/double, and every type reference it mentions.
/// Create one per signature: the findings accumulate.
/// </summary>
internal sealed class SignatureCollector : ISignatureTypeProvider<string, object?>
{
    private readonly MetadataReader _reader;

    public SignatureCollector(MetadataReader reader) => _reader = reader;

    /// <summary>Type references named anywhere in the signature (including modifiers and generic arguments).</summary>
    public List<TypeReferenceHandle> TypeReferences { get; } = new();

    /// <summary>Problems found in the signature itself (generic, ArrayShape, pointer...).</summary>
    public List<(Rule Rule, string Detail)> Findings { get; } = new();

    /// <summary>True when System.Single or System.Double appears (also as array element, by-ref, etc.).</summary>
    public bool UsesFloatingPoint { get; private set; }

    public string GetPrimitiveType(PrimitiveTypeCode typeCode)
    {
        if (typeCode is PrimitiveTypeCode.Single or PrimitiveTypeCode.Double) UsesFloatingPoint = true;
        if (typeCode == PrimitiveTypeCode.TypedReference) Findings.Add((Rule.Unsafe, "TypedReference"));
        return typeCode switch
        {
            PrimitiveTypeCode.Void => "System.Void",
            PrimitiveTypeCode.Boolean => "System.Boolean",
            PrimitiveTypeCode.Char => "System.Char",
            PrimitiveTypeCode.SByte => "System.SByte",
            PrimitiveTypeCode.Byte => "System.Byte",
            PrimitiveTypeCode.Int16 => "System.Int16",
            PrimitiveTypeCode.UInt16 => "System.UInt16",
            PrimitiveTypeCode.Int32 => "System.Int32",
            PrimitiveTypeCode.UInt32 => "System.UInt32",
            PrimitiveTypeCode.Int64 => "System.Int64",
            PrimitiveTypeCode.UInt64 => "System.UInt64",
            PrimitiveTypeCode.Single => "System.Single",
            PrimitiveTypeCode.Double => "System.Double",
            PrimitiveTypeCode.String => "System.String",
            PrimitiveTypeCode.IntPtr => "System.IntPtr",
            PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
            PrimitiveTypeCode.Object => "System.Object",
            PrimitiveTypeCode.TypedReference => "System.TypedReference",
            _ => typeCode.ToString(),
        };
    }

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        => MetadataNames.TypeName(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        TypeReferences.Add(handle);
        string name = MetadataNames.TypeName(reader, handle);
        if (name is "System.Single" or "System.Double") UsesFloatingPoint = true;
        if (MetadataNames.IsSpanLike(name)) Findings.Add((Rule.Span, name));
        return name;
    }

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape)
    {
        string name = elementType + "[" + new string(',', Math.Max(0, shape.Rank - 1)) + "]";
        Findings.Add((Rule.MultidimensionalArray, name));
        return name;
    }

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetPointerType(string elementType)
    {
        Findings.Add((Rule.Unsafe, "pointer type " + elementType + "*"));
        return elementType + "*";
    }

    public string GetFunctionPointerType(MethodSignature<string> signature)
    {
        string name = "method " + signature.ReturnType + "*(" + string.Join(",", signature.ParameterTypes) + ")";
        Findings.Add((Rule.Unsafe, "function pointer " + name));
        return name;
    }

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
    {
        string name = genericType + "<" + string.Join(",", typeArguments) + ">";
        Findings.Add((Rule.Generic, "generic instantiation " + name));
        return name;
    }

    public string GetGenericTypeParameter(object? genericContext, int index)
    {
        Findings.Add((Rule.Generic, "generic type parameter !" + index));
        return "!" + index;
    }

    public string GetGenericMethodParameter(object? genericContext, int index)
    {
        Findings.Add((Rule.Generic, "generic method parameter !!" + index));
        return "!!" + index;
    }

    // Modifiers (modreq/modopt, e.g. volatile) keep the plain name for allowlist matching; the modifier's own
    // type reference has already been recorded by GetTypeFromReference.
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetPinnedType(string elementType)
    {
        Findings.Add((Rule.Unsafe, "pinned local " + elementType + " (fixed statement)"));
        return elementType;
    }
}
