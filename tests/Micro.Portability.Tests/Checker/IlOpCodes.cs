using System.Reflection.Metadata;

namespace Micro.Portability.Tests.Checker;

/// <summary>What kind of operand follows an IL opcode (ECMA-335 Partition III).</summary>
internal enum OperandKind
{
    None,
    Int8,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Token,
    Switch,
}

internal static class IlOpCodes
{
    public static OperandKind Operand(ILOpCode op)
    {
        switch (op)
        {
            case ILOpCode.Ldarg_s:
            case ILOpCode.Ldarga_s:
            case ILOpCode.Starg_s:
            case ILOpCode.Ldloc_s:
            case ILOpCode.Ldloca_s:
            case ILOpCode.Stloc_s:
            case ILOpCode.Ldc_i4_s:
            case ILOpCode.Br_s:
            case ILOpCode.Brfalse_s:
            case ILOpCode.Brtrue_s:
            case ILOpCode.Beq_s:
            case ILOpCode.Bge_s:
            case ILOpCode.Bgt_s:
            case ILOpCode.Ble_s:
            case ILOpCode.Blt_s:
            case ILOpCode.Bne_un_s:
            case ILOpCode.Bge_un_s:
            case ILOpCode.Bgt_un_s:
            case ILOpCode.Ble_un_s:
            case ILOpCode.Blt_un_s:
            case ILOpCode.Leave_s:
            case ILOpCode.Unaligned:
                return OperandKind.Int8;

            case ILOpCode.Ldarg:
            case ILOpCode.Ldarga:
            case ILOpCode.Starg:
            case ILOpCode.Ldloc:
            case ILOpCode.Ldloca:
            case ILOpCode.Stloc:
                return OperandKind.Int16;

            case ILOpCode.Ldc_i4:
            case ILOpCode.Br:
            case ILOpCode.Brfalse:
            case ILOpCode.Brtrue:
            case ILOpCode.Beq:
            case ILOpCode.Bge:
            case ILOpCode.Bgt:
            case ILOpCode.Ble:
            case ILOpCode.Blt:
            case ILOpCode.Bne_un:
            case ILOpCode.Bge_un:
            case ILOpCode.Bgt_un:
            case ILOpCode.Ble_un:
            case ILOpCode.Blt_un:
            case ILOpCode.Leave:
                return OperandKind.Int32;

            case ILOpCode.Ldc_i8:
                return OperandKind.Int64;
            case ILOpCode.Ldc_r4:
                return OperandKind.Float32;
            case ILOpCode.Ldc_r8:
                return OperandKind.Float64;
            case ILOpCode.Switch:
                return OperandKind.Switch;

            case ILOpCode.Jmp:
            case ILOpCode.Call:
            case ILOpCode.Calli:
            case ILOpCode.Callvirt:
            case ILOpCode.Cpobj:
            case ILOpCode.Ldobj:
            case ILOpCode.Ldstr:
            case ILOpCode.Newobj:
            case ILOpCode.Castclass:
            case ILOpCode.Isinst:
            case ILOpCode.Unbox:
            case ILOpCode.Ldfld:
            case ILOpCode.Ldflda:
            case ILOpCode.Stfld:
            case ILOpCode.Ldsfld:
            case ILOpCode.Ldsflda:
            case ILOpCode.Stsfld:
            case ILOpCode.Stobj:
            case ILOpCode.Box:
            case ILOpCode.Newarr:
            case ILOpCode.Ldelema:
            case ILOpCode.Ldelem:
            case ILOpCode.Stelem:
            case ILOpCode.Unbox_any:
            case ILOpCode.Refanyval:
            case ILOpCode.Mkrefany:
            case ILOpCode.Ldtoken:
            case ILOpCode.Ldftn:
            case ILOpCode.Ldvirtftn:
            case ILOpCode.Initobj:
            case ILOpCode.Constrained:
            case ILOpCode.Sizeof:
                return OperandKind.Token;

            default:
                return OperandKind.None;
        }
    }

    /// <summary>Reads the next opcode (one byte, or 0xFE plus one byte).</summary>
    public static ILOpCode Read(ref BlobReader il)
    {
        byte b = il.ReadByte();
        return b == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)b;
    }

    /// <summary>Skips an operand that is not a token.</summary>
    public static void Skip(ref BlobReader il, OperandKind kind)
    {
        switch (kind)
        {
            case OperandKind.Int8: il.Offset += 1; break;
            case OperandKind.Int16: il.Offset += 2; break;
            case OperandKind.Int32:
            case OperandKind.Float32:
            case OperandKind.Token: il.Offset += 4; break;
            case OperandKind.Int64:
            case OperandKind.Float64: il.Offset += 8; break;
            case OperandKind.Switch:
                int count = il.ReadInt32();
                il.Offset += 4 * count;
                break;
        }
    }
}
