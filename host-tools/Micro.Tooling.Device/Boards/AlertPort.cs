namespace Micro.Tooling.Boards;

/// <summary>The UART alarm messages go out on.</summary>
public sealed record AlertPort(string SerialPort, int Baud, BoardPin TxPin, BoardPin RxPin);
