namespace Micro.Portability.Tests.Checker;

/// <summary>The kinds of nanoFramework 1.x incompatibility the IL checker reports.</summary>
public enum Rule
{
    /// <summary>Generic type/method definition, generic parameter, or generic instantiation (TypeSpec/MethodSpec).</summary>
    Generic,

    /// <summary>A type or member of another assembly that is not in allowlist.txt.</summary>
    NotAllowlisted,

    /// <summary>A multidimensional array (ArrayShape in a signature).</summary>
    MultidimensionalArray,

    /// <summary>Pointers, function pointers, pinned locals, localloc (stackalloc), cpblk/initblk, sizeof, calli.</summary>
    Unsafe,

    /// <summary>System.Span/ReadOnlySpan/Memory/ReadOnlyMemory.</summary>
    Span,

    /// <summary>float/double inside an integer-only namespace (the kernels).</summary>
    FloatInIntegerCode,

    /// <summary>Native (extern / P/Invoke) methods and varargs.</summary>
    Native,

    /// <summary>ToString() on an enum: nanoFramework 1.x returns the number, not the name.</summary>
    EnumToString,

    /// <summary>Nullable reference annotations (the compiler's embedded NullableAttribute): Nullable must be disabled.</summary>
    NullableAnnotations,
}

/// <summary>One incompatibility: where it is (type, method, IL offset) and what it references.</summary>
public sealed record Violation(Rule Rule, string Location, string Detail)
{
    public override string ToString() => $"[{Rule}] {Location}: {Detail}";
}
