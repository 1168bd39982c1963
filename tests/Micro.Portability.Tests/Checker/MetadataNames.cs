using System.Reflection.Metadata;

namespace Micro.Portability.Tests.Checker;

/// <summary>Display names for metadata handles, in the allowlist's notation (Namespace.Type/Nested).</summary>
internal static class MetadataNames
{
    public static string TypeName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition def = reader.GetTypeDefinition(handle);
        string name = reader.GetString(def.Name);
        TypeDefinitionHandle outer = def.GetDeclaringType();
        if (!outer.IsNil) return TypeName(reader, outer) + "/" + name;
        string ns = reader.GetString(def.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string TypeName(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference r = reader.GetTypeReference(handle);
        string name = reader.GetString(r.Name);
        if (r.ResolutionScope.Kind == HandleKind.TypeReference)
            return TypeName(reader, (TypeReferenceHandle)r.ResolutionScope) + "/" + name;
        string ns = reader.GetString(r.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Namespace of a type definition; a nested type takes its outermost type's namespace.</summary>
    public static string Namespace(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition def = reader.GetTypeDefinition(handle);
        TypeDefinitionHandle outer = def.GetDeclaringType();
        return outer.IsNil ? reader.GetString(def.Namespace) : Namespace(reader, outer);
    }

    /// <summary>
    /// The assembly a type reference resolves to (following nesting), or null when it is defined in this
    /// module (module-scoped or nil scope).
    /// </summary>
    public static string? AssemblyOf(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference r = reader.GetTypeReference(handle);
        switch (r.ResolutionScope.Kind)
        {
            case HandleKind.AssemblyReference:
                return reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)r.ResolutionScope).Name);
            case HandleKind.TypeReference:
                return AssemblyOf(reader, (TypeReferenceHandle)r.ResolutionScope);
            default:
                return null;
        }
    }

    public static bool IsSpanLike(string typeName) =>
        typeName is "System.Span`1" or "System.ReadOnlySpan`1" or "System.Memory`1" or "System.ReadOnlyMemory`1";
}
