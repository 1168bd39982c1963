namespace Micro.Tooling.Graph;

/// <summary>
/// An op whose params are integers plus int32 tables in the blob's constant data (RESIZE_NEAREST's row and
/// column tables): the emitter writes each table and stores its offset in the param slot given with it.
/// </summary>
public sealed class QTableOp : QOp
{
    public QTableOp(int opCode, int[] @params)
    {
        Code = opCode;
        Params = @params;
    }

    public int Code { get; }
    public int[] Params { get; set; }
    /// <summary>(param slot, int32 values): the slot receives the table's constant offset.</summary>
    public List<(int Param, int[] Values)> Tables { get; } = new();
    public override int OpCode => Code;
}
