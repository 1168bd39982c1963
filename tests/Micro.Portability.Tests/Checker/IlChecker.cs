using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Micro.Portability.Tests.Checker;

public sealed class IlCheckOptions
{
    /// <summary>Namespaces (and their sub-namespaces) where float/double are forbidden: the integer kernels.</summary>
    public IReadOnlyCollection<string> IntegerOnlyNamespaces { get; init; } = new[] { "Micro.Runtime.Kernels" };

    /// <summary>
    /// Assemblies whose types may be referenced without allowlist entries because they are portable
    /// assemblies checked themselves (Micro.HeartRate referencing Micro.Runtime).
    /// </summary>
    public IReadOnlyCollection<string> PortableAssemblies { get; init; } = Array.Empty<string>();
}

/// <summary>
/// Proves from the compiled IL that an assembly only uses what nanoFramework 1.x (CoreLibrary 1.17) can run:
/// no generics of any kind, no multidimensional arrays, no pointers/stackalloc/unsafe, no Span/Memory, no
/// float/double in the integer-only namespaces, and no type or member of another assembly unless
/// allowlist.txt lists it (each entry verified against nano's mscorlib sources).
/// </summary>
public static class IlChecker
{
    /// <summary>
    /// Attributes the C# compiler adds on its own only when the core library defines them (Roslyn synthesizes
    /// them as optional): [assembly: RuntimeCompatibility] and [CompilerGenerated] on its generated types and
    /// members. nanoFramework's mscorlib 1.17 has neither, so the nano build simply omits them (the
    /// OptionalSynthesizedAttributesAreOmittedWhenTheCoreLibraryLacksThem test proves this with a core
    /// library that lacks them). They are accepted only as parameterless attribute constructors; any other
    /// use (typeof, a method call) is still checked against the allowlist.
    /// </summary>
    public static readonly IReadOnlySet<string> OptionalSynthesizedAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute",
        "System.Runtime.CompilerServices.CompilerGeneratedAttribute",
    };

    public static IReadOnlyList<Violation> Check(string assemblyPath, Allowlist allowlist, IlCheckOptions? options = null)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        return Check(stream, allowlist, options);
    }

    public static IReadOnlyList<Violation> Check(Stream image, Allowlist allowlist, IlCheckOptions? options = null)
    {
        using var pe = new PEReader(image, PEStreamOptions.LeaveOpen | PEStreamOptions.PrefetchEntireImage);
        if (!pe.HasMetadata) throw new BadImageFormatException("Not a .NET assembly (no metadata).");
        var run = new CheckRun(pe, allowlist, options ?? new IlCheckOptions());
        run.CheckAll();
        return run.Violations;
    }

    private sealed class CheckRun
    {
        private readonly PEReader _pe;
        private readonly MetadataReader _md;
        private readonly Allowlist _allow;
        private readonly IlCheckOptions _options;
        private readonly HashSet<string> _portable;
        private readonly HashSet<(Rule, string, string)> _seenInScope = new();
        private readonly HashSet<(Rule, string)> _seenAnywhere = new();

        public List<Violation> Violations { get; } = new();

        public CheckRun(PEReader pe, Allowlist allow, IlCheckOptions options)
        {
            _pe = pe;
            _md = pe.GetMetadataReader();
            _allow = allow;
            _options = options;
            _portable = new HashSet<string>(options.PortableAssemblies, StringComparer.OrdinalIgnoreCase);
        }

        public void CheckAll()
        {
            if (_md.IsAssembly)
            {
                AssemblyDefinition assembly = _md.GetAssemblyDefinition();
                CheckAttributes(assembly.GetCustomAttributes(), "assembly attributes");
                // Roslyn adds [assembly: SecurityPermission(SkipVerification)] when it compiles unsafe code.
                if (assembly.GetDeclarativeSecurityAttributes().Count > 0)
                    Report(Rule.Unsafe, "assembly attributes", "declarative security (SecurityPermission, as written for unsafe code)");
            }
            CheckAttributes(_md.GetModuleDefinition().GetCustomAttributes(), "module attributes");

            foreach (TypeDefinitionHandle h in _md.TypeDefinitions)
                CheckType(h);

            CheckLeftovers();
        }

        // ---------------------------------------------------------------- reporting

        /// <summary>Records a violation once per (rule, scope, detail); the first location in the scope wins.</summary>
        private void Report(Rule rule, string scope, string detail, string? at = null)
        {
            _seenAnywhere.Add((rule, detail));
            if (_seenInScope.Add((rule, scope, detail)))
                Violations.Add(new Violation(rule, at is null ? scope : scope + " " + at, detail));
        }

        private bool IsIntegerOnly(string ns) =>
            _options.IntegerOnlyNamespaces.Any(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal));

        // ---------------------------------------------------------------- types and members

        private void CheckType(TypeDefinitionHandle handle)
        {
            TypeDefinition def = _md.GetTypeDefinition(handle);
            string typeName = MetadataNames.TypeName(_md, handle);
            bool intOnly = IsIntegerOnly(MetadataNames.Namespace(_md, handle));

            if (def.GetGenericParameters().Count > 0)
                Report(Rule.Generic, typeName, "generic type definition");
            if (typeName is "System.Runtime.CompilerServices.NullableAttribute"
                or "System.Runtime.CompilerServices.NullableContextAttribute")
                Report(Rule.NullableAnnotations, typeName, "compiler-embedded nullable attribute (Nullable must be disabled in portable projects)");

            if (!def.BaseType.IsNil) CheckTypeHandle(def.BaseType, typeName, intOnly, "base type");
            foreach (InterfaceImplementationHandle ih in def.GetInterfaceImplementations())
            {
                InterfaceImplementation impl = _md.GetInterfaceImplementation(ih);
                CheckTypeHandle(impl.Interface, typeName, intOnly, "interface");
                CheckAttributes(impl.GetCustomAttributes(), typeName);
            }
            CheckAttributes(def.GetCustomAttributes(), typeName);

            foreach (FieldDefinitionHandle fh in def.GetFields())
            {
                FieldDefinition field = _md.GetFieldDefinition(fh);
                string fieldLoc = typeName + "::" + _md.GetString(field.Name);
                var sig = new SignatureCollector(_md);
                field.DecodeSignature(sig, null);
                ApplySignature(sig, fieldLoc, intOnly, "field type");
                CheckAttributes(field.GetCustomAttributes(), fieldLoc);
            }

            foreach (MethodDefinitionHandle mh in def.GetMethods())
                CheckMethod(mh, typeName, intOnly);

            foreach (PropertyDefinitionHandle ph in def.GetProperties())
            {
                PropertyDefinition p = _md.GetPropertyDefinition(ph);
                CheckAttributes(p.GetCustomAttributes(), typeName + "::" + _md.GetString(p.Name));
            }
            foreach (EventDefinitionHandle eh in def.GetEvents())
            {
                EventDefinition e = _md.GetEventDefinition(eh);
                string eventLoc = typeName + "::" + _md.GetString(e.Name);
                CheckTypeHandle(e.Type, eventLoc, intOnly, "event type");
                CheckAttributes(e.GetCustomAttributes(), eventLoc);
            }

            // Explicit interface implementations name the interface method (maybe in another assembly).
            foreach (MethodImplementationHandle mih in def.GetMethodImplementations())
            {
                MethodImplementation mi = _md.GetMethodImplementation(mih);
                CheckReference(mi.MethodDeclaration, typeName, null, intOnly, out _);
            }
        }

        private void CheckMethod(MethodDefinitionHandle handle, string typeName, bool intOnly)
        {
            MethodDefinition method = _md.GetMethodDefinition(handle);
            var sig = new SignatureCollector(_md);
            MethodSignature<string> decoded = method.DecodeSignature(sig, null);
            string loc = typeName + "::" + _md.GetString(method.Name) + "(" + string.Join(",", decoded.ParameterTypes) + ")";

            if (method.GetGenericParameters().Count > 0)
                Report(Rule.Generic, loc, "generic method definition");
            ApplySignature(sig, loc, intOnly, "signature");
            if (decoded.Header.CallingConvention == SignatureCallingConvention.VarArgs)
                Report(Rule.Native, loc, "varargs method (__arglist)");
            if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0)
                Report(Rule.Native, loc, "P/Invoke (DllImport) method");
            if ((method.ImplAttributes & MethodImplAttributes.InternalCall) != 0)
                Report(Rule.Native, loc, "internal call (extern) method");

            CheckAttributes(method.GetCustomAttributes(), loc);
            foreach (ParameterHandle ph in method.GetParameters())
                CheckAttributes(_md.GetParameter(ph).GetCustomAttributes(), loc);

            if (method.RelativeVirtualAddress == 0) return;
            MethodBodyBlock body = _pe.GetMethodBody(method.RelativeVirtualAddress);

            if (!body.LocalSignature.IsNil)
            {
                var locals = new SignatureCollector(_md);
                _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(locals, null);
                ApplySignature(locals, loc, intOnly, "local variables");
            }
            foreach (ExceptionRegion region in body.ExceptionRegions)
            {
                if (!region.CatchType.IsNil) CheckTypeHandle(region.CatchType, loc, intOnly, "catch type");
            }

            ScanIl(body, loc, intOnly);
        }

        private void ScanIl(MethodBodyBlock body, string loc, bool intOnly)
        {
            BlobReader il = body.GetILReader();
            EntityHandle pendingValueType = default; // operand of the previous box / constrained.
            while (il.RemainingBytes > 0)
            {
                string at = $"IL_{il.Offset:X4}";
                ILOpCode op = IlOpCodes.Read(ref il);
                OperandKind operand = IlOpCodes.Operand(op);

                switch (op)
                {
                    case ILOpCode.Localloc:
                        Report(Rule.Unsafe, loc, "localloc (stackalloc)", at);
                        break;
                    case ILOpCode.Cpblk:
                    case ILOpCode.Initblk:
                        Report(Rule.Unsafe, loc, op.ToString().ToLowerInvariant() + " (unsafe block copy/init)", at);
                        break;
                    case ILOpCode.Sizeof:
                        Report(Rule.Unsafe, loc, "sizeof", at);
                        break;
                    case ILOpCode.Calli:
                        Report(Rule.Unsafe, loc, "calli (function pointer call)", at);
                        break;
                    case ILOpCode.Arglist:
                        Report(Rule.Native, loc, "arglist (__arglist)", at);
                        break;
                    case ILOpCode.Ldc_r4:
                    case ILOpCode.Ldc_r8:
                    case ILOpCode.Conv_r4:
                    case ILOpCode.Conv_r8:
                    case ILOpCode.Conv_r_un:
                    case ILOpCode.Ckfinite:
                        if (intOnly) Report(Rule.FloatInIntegerCode, loc, OpName(op), at);
                        break;
                }

                if (operand != OperandKind.Token)
                {
                    IlOpCodes.Skip(ref il, operand);
                    pendingValueType = default;
                    continue;
                }

                int token = il.ReadInt32();
                if (op == ILOpCode.Ldstr) { pendingValueType = default; continue; }
                EntityHandle handle = MetadataTokens.EntityHandle(token);
                CheckReference(handle, loc, at, intOnly, out string? memberKey);

                if ((op == ILOpCode.Call || op == ILOpCode.Callvirt) && memberKey is "System.Object::ToString()" or "System.Enum::ToString()"
                    && IsLocalEnum(pendingValueType))
                {
                    Report(Rule.EnumToString, loc,
                        "ToString() on enum " + MetadataNames.TypeName(_md, (TypeDefinitionHandle)pendingValueType)
                        + " (nanoFramework 1.x prints the number)", at);
                }
                pendingValueType = op is ILOpCode.Box or ILOpCode.Constrained ? handle : default;
            }
        }

        private static string OpName(ILOpCode op) => op.ToString().ToLowerInvariant().Replace('_', '.');

        private bool IsLocalEnum(EntityHandle handle)
        {
            if (handle.Kind != HandleKind.TypeDefinition) return false;
            EntityHandle baseType = _md.GetTypeDefinition((TypeDefinitionHandle)handle).BaseType;
            return baseType.Kind == HandleKind.TypeReference
                && MetadataNames.TypeName(_md, (TypeReferenceHandle)baseType) == "System.Enum";
        }

        // ---------------------------------------------------------------- references

        /// <summary>
        /// Checks a token: type, member, method instantiation or signature. memberKey is the reference's
        /// allowlist key (Type::Name(params)) when it is a member.
        /// </summary>
        private void CheckReference(EntityHandle handle, string scope, string? at, bool intOnly, out string? memberKey)
        {
            memberKey = null;
            switch (handle.Kind)
            {
                case HandleKind.TypeReference:
                case HandleKind.TypeSpecification:
                    CheckTypeHandle(handle, scope, intOnly, "type", at);
                    break;

                case HandleKind.MemberReference:
                    memberKey = CheckMemberReference((MemberReferenceHandle)handle, scope, at, intOnly);
                    break;

                case HandleKind.MethodDefinition:
                    {
                        // Defined here (checked where it is defined); kernels still may not call a float method.
                        MethodDefinition m = _md.GetMethodDefinition((MethodDefinitionHandle)handle);
                        var sig = new SignatureCollector(_md);
                        MethodSignature<string> decoded = m.DecodeSignature(sig, null);
                        memberKey = MetadataNames.TypeName(_md, m.GetDeclaringType()) + "::" + _md.GetString(m.Name)
                            + "(" + string.Join(",", decoded.ParameterTypes) + ")";
                        if (intOnly && sig.UsesFloatingPoint)
                            Report(Rule.FloatInIntegerCode, scope, "uses " + memberKey + " (float/double in its signature)", at);
                        break;
                    }

                case HandleKind.FieldDefinition:
                    {
                        FieldDefinition f = _md.GetFieldDefinition((FieldDefinitionHandle)handle);
                        var sig = new SignatureCollector(_md);
                        string fieldType = f.DecodeSignature(sig, null);
                        memberKey = MetadataNames.TypeName(_md, f.GetDeclaringType()) + "::" + _md.GetString(f.Name);
                        if (intOnly && sig.UsesFloatingPoint)
                            Report(Rule.FloatInIntegerCode, scope, "uses field " + memberKey + " of type " + fieldType, at);
                        break;
                    }

                case HandleKind.MethodSpecification:
                    {
                        MethodSpecification spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                        var sig = new SignatureCollector(_md);
                        ImmutableArray<string> args = spec.DecodeSignature(sig, null);
                        CheckReference(spec.Method, scope, at, intOnly, out memberKey);
                        Report(Rule.Generic, scope, "generic method instantiation " + memberKey + "<" + string.Join(",", args) + ">", at);
                        ApplySignature(sig, scope, intOnly, "generic arguments", at);
                        break;
                    }

                case HandleKind.StandaloneSignature:
                    Report(Rule.Unsafe, scope, "standalone call signature (calli)", at);
                    break;
            }
        }

        private void CheckTypeHandle(EntityHandle handle, string scope, bool intOnly, string what, string? at = null)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeReference:
                    {
                        var h = (TypeReferenceHandle)handle;
                        CheckTypeReference(h, scope, at);
                        string name = MetadataNames.TypeName(_md, h);
                        if (intOnly && name is "System.Single" or "System.Double")
                            Report(Rule.FloatInIntegerCode, scope, what + " " + name, at);
                        if (MetadataNames.IsSpanLike(name)) Report(Rule.Span, scope, name, at);
                        break;
                    }
                case HandleKind.TypeSpecification:
                    {
                        var sig = new SignatureCollector(_md);
                        _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(sig, null);
                        ApplySignature(sig, scope, intOnly, what, at);
                        break;
                    }
            }
        }

        /// <summary>A type of another (non-portable) assembly must be in the allowlist.</summary>
        private void CheckTypeReference(TypeReferenceHandle handle, string scope, string? at)
        {
            if (!IsCheckedExternal(handle)) return;
            string name = MetadataNames.TypeName(_md, handle);
            if (!_allow.AllowsType(name))
                Report(Rule.NotAllowlisted, scope, "type " + name, at);
        }

        private bool IsCheckedExternal(TypeReferenceHandle handle)
        {
            string? assembly = MetadataNames.AssemblyOf(_md, handle);
            return assembly != null && !_portable.Contains(assembly);
        }

        private string CheckMemberReference(MemberReferenceHandle handle, string scope, string? at, bool intOnly)
        {
            MemberReference member = _md.GetMemberReference(handle);
            string name = _md.GetString(member.Name);
            var sig = new SignatureCollector(_md);
            string parentName;
            bool external = false;

            switch (member.Parent.Kind)
            {
                case HandleKind.TypeReference:
                    {
                        var parent = (TypeReferenceHandle)member.Parent;
                        parentName = MetadataNames.TypeName(_md, parent);
                        external = IsCheckedExternal(parent);
                        CheckTypeHandle(parent, scope, intOnly, "member of", at);
                        break;
                    }
                case HandleKind.TypeDefinition:
                    parentName = MetadataNames.TypeName(_md, (TypeDefinitionHandle)member.Parent);
                    break;
                case HandleKind.TypeSpecification:
                    // Generic instantiation or array type (e.g. int[,]::Get): the signature decode reports it.
                    parentName = _md.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(sig, null);
                    break;
                case HandleKind.MethodDefinition:
                    parentName = MetadataNames.TypeName(_md, _md.GetMethodDefinition((MethodDefinitionHandle)member.Parent).GetDeclaringType());
                    Report(Rule.Native, scope, "varargs call to " + parentName + "::" + name, at);
                    break;
                case HandleKind.ModuleReference:
                    parentName = "[module " + _md.GetString(_md.GetModuleReference((ModuleReferenceHandle)member.Parent).Name) + "]";
                    Report(Rule.Native, scope, "reference into native module " + parentName, at);
                    break;
                default:
                    parentName = "?";
                    break;
            }

            string key;
            if (member.GetKind() == MemberReferenceKind.Method)
            {
                MethodSignature<string> m = member.DecodeMethodSignature(sig, null);
                key = parentName + "::" + name + "(" + string.Join(",", m.ParameterTypes) + ")";
                if (m.Header.CallingConvention == SignatureCallingConvention.VarArgs)
                    Report(Rule.Native, scope, "varargs call " + key, at);
            }
            else
            {
                member.DecodeFieldSignature(sig, null);
                key = parentName + "::" + name;
            }

            ApplySignature(sig, scope, intOnly, "reference to " + key, at);
            if (external && !_allow.AllowsMember(key))
                Report(Rule.NotAllowlisted, scope, key, at);
            return key;
        }

        private void ApplySignature(SignatureCollector sig, string scope, bool intOnly, string what, string? at = null)
        {
            foreach ((Rule rule, string detail) in sig.Findings)
                Report(rule, scope, detail + " (" + what + ")", at);
            foreach (TypeReferenceHandle tr in sig.TypeReferences)
                CheckTypeReference(tr, scope, at);
            if (intOnly && sig.UsesFloatingPoint)
                Report(Rule.FloatInIntegerCode, scope, "float/double in " + what, at);
        }

        private void CheckAttributes(CustomAttributeHandleCollection attributes, string scope)
        {
            foreach (CustomAttributeHandle h in attributes)
            {
                CustomAttribute ca = _md.GetCustomAttribute(h);
                if (ca.Constructor.Kind != HandleKind.MemberReference) continue;
                var ctor = (MemberReferenceHandle)ca.Constructor;
                if (IsOptionalSynthesizedAttribute(ctor)) continue;
                CheckMemberReference(ctor, scope, "[attribute]", intOnly: false);
            }
        }

        private bool IsOptionalSynthesizedAttribute(MemberReferenceHandle ctor)
        {
            MemberReference m = _md.GetMemberReference(ctor);
            if (m.Parent.Kind != HandleKind.TypeReference || _md.GetString(m.Name) != ".ctor") return false;
            var parent = (TypeReferenceHandle)m.Parent;
            return IsCheckedExternal(parent)
                && OptionalSynthesizedAttributes.Contains(MetadataNames.TypeName(_md, parent))
                && m.DecodeMethodSignature(new SignatureCollector(_md), null).ParameterTypes.Length == 0;
        }

        // ---------------------------------------------------------------- catch-all

        /// <summary>
        /// Anything in the reference tables that the walk above did not reach (it should reach all of them):
        /// report it without a precise location rather than let it pass.
        /// </summary>
        private void CheckLeftovers()
        {
            const string scope = "metadata tables";
            foreach (TypeReferenceHandle h in _md.TypeReferences)
            {
                string name = MetadataNames.TypeName(_md, h);
                if (OptionalSynthesizedAttributes.Contains(name)) continue; // any other use was reported by the walk
                if (IsCheckedExternal(h) && !_allow.AllowsType(name) && !_seenAnywhere.Contains((Rule.NotAllowlisted, "type " + name)))
                    Report(Rule.NotAllowlisted, scope, "type " + name);
            }
            foreach (MemberReferenceHandle h in _md.MemberReferences)
            {
                if (IsOptionalSynthesizedAttribute(h)) continue;
                var probe = new CheckRun(_pe, _allow, _options);
                probe.CheckMemberReference(h, scope, null, intOnly: false);
                foreach (Violation v in probe.Violations)
                {
                    if (!_seenAnywhere.Contains((v.Rule, v.Detail))) Report(v.Rule, scope, v.Detail);
                }
            }
            for (int row = 1; row <= _md.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                var sig = new SignatureCollector(_md);
                _md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).DecodeSignature(sig, null);
                foreach ((Rule rule, string detail) in sig.Findings)
                {
                    if (!Violations.Any(v => v.Rule == rule && v.Detail.StartsWith(detail, StringComparison.Ordinal)))
                        Report(rule, scope, detail);
                }
            }
            if (_md.GetTableRowCount(TableIndex.MethodSpec) > 0 && !Violations.Any(v => v.Rule == Rule.Generic))
                Report(Rule.Generic, scope, "MethodSpec table is not empty (generic method instantiation)");
            if (_md.GetTableRowCount(TableIndex.GenericParam) > 0 && !Violations.Any(v => v.Rule == Rule.Generic))
                Report(Rule.Generic, scope, "GenericParam table is not empty");
        }
    }
}
