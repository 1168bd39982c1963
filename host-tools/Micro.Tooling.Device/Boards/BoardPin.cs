namespace Micro.Tooling.Boards;

/// <summary>A pin: an integer GPIO number (nanoFramework) or a name such as "D07" (Meadow).</summary>
public readonly record struct BoardPin(int? Number, string? Name)
{
    public static BoardPin Gpio(int number) => new(number, null);

    public static BoardPin Named(string name) => new(null, name);

    public override string ToString() => Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Name ?? "";
}
